// What a library exercise and the ExerciseService requests must satisfy before anything is
// stored; every refusal names the field.

#include "services/exercises/exercise_validation.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;

v1::Exercise ValidExercise() {
  v1::Exercise exercise;
  exercise.set_title("Belly breathing");
  exercise.set_patient_instructions("Breathe in slowly.\n\nLet your belly rise.\tRest.");
  exercise.set_clinician_notes("Down-training.");
  exercise.set_category(v1::EXERCISE_CATEGORY_DOWN_TRAINING);
  exercise.add_parameters(v1::DOSE_PARAMETER_DURATION_MINUTES);
  v1::MediaLink* link = exercise.add_media();
  link->set_title("Audio guide");
  link->set_url("https://example.org/breathing?track=1#start");
  exercise.add_contraindications("Light-headedness: slow down.");
  exercise.add_disciplines(v1::PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY);
  exercise.set_discreet_title("Breathing practice");
  return exercise;
}

std::vector<std::string> Violations(const v1::Exercise& exercise) {
  return ViolatedFields(ValidateExerciseContent(exercise, "exercise"));
}

TEST(ExerciseValidationTest, ValidExercisePasses) {
  EXPECT_TRUE(ValidateExerciseContent(ValidExercise(), "exercise").ok());
}

TEST(ExerciseValidationTest, TitleIsRequiredOneLineAndAtMost200Characters) {
  v1::Exercise exercise = ValidExercise();
  exercise.set_title(" ");
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.title"));
  // 200 characters of two bytes each: the limit counts characters, not bytes.
  std::string title;
  for (int i = 0; i < 200; ++i) {
    title += "\xc3\xa9";
  }
  exercise.set_title(title);
  EXPECT_TRUE(ValidateExerciseContent(exercise, "exercise").ok());
  exercise.set_title(title + "e");
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.title"));
  exercise.set_title("two\nlines");
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.title"));
}

TEST(ExerciseValidationTest, InstructionsAreRequiredAndBoundedButMayHoldLineBreaks) {
  v1::Exercise exercise = ValidExercise();
  exercise.set_patient_instructions("");
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.patient_instructions"));
  exercise.set_patient_instructions(std::string(10000, 'a'));
  EXPECT_TRUE(ValidateExerciseContent(exercise, "exercise").ok());
  exercise.set_patient_instructions(std::string(10001, 'a'));
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.patient_instructions"));
  exercise.set_patient_instructions("bell\x07");
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.patient_instructions"));
  exercise.set_patient_instructions("bad \xff utf-8");
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.patient_instructions"));
}

TEST(ExerciseValidationTest, ClinicianNotesAreOptionalAndBounded) {
  v1::Exercise exercise = ValidExercise();
  exercise.clear_clinician_notes();
  EXPECT_TRUE(ValidateExerciseContent(exercise, "exercise").ok());
  exercise.set_clinician_notes(std::string(10001, 'n'));
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.clinician_notes"));
}

TEST(ExerciseValidationTest, CategoryMustBeAKnownOne) {
  v1::Exercise exercise = ValidExercise();
  exercise.set_category(v1::EXERCISE_CATEGORY_UNSPECIFIED);
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.category"));
  exercise.set_category(static_cast<v1::ExerciseCategory>(99));
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.category"));
}

TEST(ExerciseValidationTest, ParametersAreKnownAndEachAtMostOnce) {
  v1::Exercise exercise = ValidExercise();
  exercise.add_parameters(v1::DOSE_PARAMETER_UNSPECIFIED);
  exercise.add_parameters(v1::DOSE_PARAMETER_DURATION_MINUTES);
  EXPECT_THAT(Violations(exercise),
              ElementsAre("exercise.parameters[1]", "exercise.parameters[2]"));
  exercise.clear_parameters();
  for (int i = 0; i < 11; ++i) {
    exercise.add_parameters(v1::DOSE_PARAMETER_SETS);
  }
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.parameters"));
}

TEST(ExerciseValidationTest, DisciplinesAreKnownAndEachAtMostOnce) {
  v1::Exercise exercise = ValidExercise();
  exercise.add_disciplines(v1::PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY);
  exercise.add_disciplines(static_cast<v1::PlanDiscipline>(42));
  EXPECT_THAT(Violations(exercise),
              ElementsAre("exercise.disciplines[1]", "exercise.disciplines[2]"));
}

// A link the portal shows must be https, so it can be neither a javascript: link nor a
// plain-http page on a shared network.
TEST(ExerciseValidationTest, MediaLinksAreTitledHttpsUrls) {
  for (const char* bad :
       {"http://example.org/a", "javascript:alert(1)", "https://", "https:///path",
        "https://exa mple.org", "https://example.org/\"onmouseover", "ftp://example.org",
        "HTTPS//example.org"}) {
    v1::Exercise exercise = ValidExercise();
    exercise.mutable_media(0)->set_url(bad);
    EXPECT_THAT(Violations(exercise), ElementsAre("exercise.media[0].url")) << bad;
  }
  v1::Exercise exercise = ValidExercise();
  exercise.mutable_media(0)->set_url("HTTPS://Example.org/Path%20One");
  EXPECT_TRUE(ValidateExerciseContent(exercise, "exercise").ok());
  exercise.mutable_media(0)->set_url("https://example.org/" + std::string(1981, 'a'));
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.media[0].url"));
  exercise = ValidExercise();
  exercise.mutable_media(0)->clear_title();
  exercise.mutable_media(0)->clear_url();
  EXPECT_THAT(Violations(exercise),
              ElementsAre("exercise.media[0].title", "exercise.media[0].url"));
}

// User info before the host hides where a link really goes: the patient reads the first name,
// the browser opens the second.
TEST(ExerciseValidationTest, MediaLinksMayNotCarryUserInfoBeforeTheHost) {
  for (const char* bad :
       {"https://trusted.example@elsewhere.example/leaflet.pdf", "https://user:pass@example.org/",
        "https://a@b", "https://@example.org", "https://x@y?z", "https://x@y#z"}) {
    v1::Exercise exercise = ValidExercise();
    exercise.mutable_media(0)->set_url(bad);
    EXPECT_THAT(Violations(exercise), ElementsAre("exercise.media[0].url")) << bad;
  }
  for (const char* good : {"https://medium.example/@physio/breathing", "https://example.org?by=@x",
                           "https://example.org#@x", "https://example.org:8443/a"}) {
    v1::Exercise exercise = ValidExercise();
    exercise.mutable_media(0)->set_url(good);
    EXPECT_TRUE(ValidateExerciseContent(exercise, "exercise").ok()) << good;
  }
}

// C1 controls (U+0080-U+009F) are never typed; U+2028/U+2029 break a one-line title like a
// newline. Ordinary non-ASCII text (accents, emoji) stays allowed.
TEST(ExerciseValidationTest, UnicodeControlCharactersAreRefused) {
  v1::Exercise exercise = ValidExercise();
  exercise.set_title("Breathing\xc2\x85practice");  // U+0085 NEXT LINE
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.title"));
  exercise = ValidExercise();
  exercise.set_discreet_title("Quiet\xe2\x80\xa8time");  // U+2028 LINE SEPARATOR
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.discreet_title"));
  exercise = ValidExercise();
  exercise.mutable_media(0)->set_title("Audio\xe2\x80\xa9guide");  // U+2029
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.media[0].title"));
  exercise = ValidExercise();
  exercise.set_patient_instructions("Breathe in\xc2\x9b slowly.");  // U+009B CSI
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.patient_instructions"));
  exercise = ValidExercise();
  exercise.add_contraindications("Pain\xc2\x80");
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.contraindications[1]"));
  exercise = ValidExercise();
  // Prose may hold a paragraph separator; titles may hold accents, U+00A0 and emoji.
  exercise.set_patient_instructions("One.\xe2\x80\xa9Two.");
  exercise.set_title(
      "Respiraci\xc3\xb3n\xc2\xa0"
      "calma \xf0\x9f\x8c\xbf");
  EXPECT_TRUE(ValidateExerciseContent(exercise, "exercise").ok())
      << ValidateExerciseContent(exercise, "exercise");
}

TEST(ExerciseValidationTest, AtMostTenMediaLinksAndTwentyContraindications) {
  v1::Exercise exercise = ValidExercise();
  for (int i = 0; i < 10; ++i) {
    *exercise.add_media() = exercise.media(0);
  }
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.media"));
  exercise = ValidExercise();
  for (int i = 0; i < 20; ++i) {
    exercise.add_contraindications("x");
  }
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.contraindications"));
}

TEST(ExerciseValidationTest, ContraindicationsAreNonEmptyAndAtMost500Characters) {
  v1::Exercise exercise = ValidExercise();
  exercise.add_contraindications(" ");
  exercise.add_contraindications(std::string(501, 'c'));
  EXPECT_THAT(Violations(exercise),
              ElementsAre("exercise.contraindications[1]", "exercise.contraindications[2]"));
}

TEST(ExerciseValidationTest, DiscreetTitleIsOptionalOneLineAndAtMost100Characters) {
  v1::Exercise exercise = ValidExercise();
  exercise.clear_discreet_title();
  EXPECT_TRUE(ValidateExerciseContent(exercise, "exercise").ok());
  exercise.set_discreet_title(std::string(101, 'd'));
  EXPECT_THAT(Violations(exercise), ElementsAre("exercise.discreet_title"));
}

TEST(ExerciseValidationTest, EveryWrongFieldIsNamedAtOnce) {
  v1::Exercise exercise;
  EXPECT_THAT(Violations(exercise),
              ElementsAre("exercise.title", "exercise.patient_instructions", "exercise.category"));
}

TEST(ExerciseValidationTest, UpdateMaskNamesContentFieldsOnly) {
  google::protobuf::FieldMask mask;
  EXPECT_THAT(ViolatedFields(ValidateExerciseUpdateMask(mask)), ElementsAre("update_mask"));
  for (const char* path :
       {"title", "patient_instructions", "clinician_notes", "category", "parameters", "media",
        "contraindications", "disciplines", "discreet_title", "archived"}) {
    mask.Clear();
    mask.add_paths(path);
    EXPECT_TRUE(ValidateExerciseUpdateMask(mask).ok()) << path;
  }
  for (const char* path : {"id", "version", "starter", "etag", "create_time", "author_user_id",
                           "version_create_time", "media.url", "nonsense"}) {
    mask.Clear();
    mask.add_paths(path);
    EXPECT_THAT(ViolatedFields(ValidateExerciseUpdateMask(mask)), ElementsAre("update_mask"))
        << path;
  }
}

TEST(ExerciseValidationTest, UpdateMaskNamesAtMostSixteenPaths) {
  google::protobuf::FieldMask mask;
  for (int i = 0; i < 16; ++i) {
    mask.add_paths("title");
  }
  EXPECT_TRUE(ValidateExerciseUpdateMask(mask).ok());
  mask.add_paths("title");
  EXPECT_THAT(ViolatedFields(ValidateExerciseUpdateMask(mask)), ElementsAre("update_mask"));
  v1::UpdateExerciseRequest request;
  request.mutable_exercise()->set_id("0190d000-0000-7000-8000-0000e1000001");
  request.mutable_exercise()->set_etag("v1");
  *request.mutable_update_mask() = mask;
  EXPECT_THAT(ViolatedFields(ValidateUpdateExercise(request)), ElementsAre("update_mask"));
}

TEST(ExerciseValidationTest, CreateRequestChecksRequestIdAndCounts) {
  v1::CreateExerciseRequest request;
  *request.mutable_exercise() = ValidExercise();
  EXPECT_TRUE(ValidateCreateExercise(request).ok());
  request.set_request_id(std::string(101, 'r'));
  EXPECT_THAT(ViolatedFields(ValidateCreateExercise(request)), ElementsAre("request_id"));
  request.set_request_id("retry-1");
  for (int i = 0; i < 25; ++i) {
    request.mutable_exercise()->add_contraindications("x");
  }
  EXPECT_THAT(ViolatedFields(ValidateCreateExercise(request)),
              ElementsAre("exercise.contraindications"));
}

TEST(ExerciseValidationTest, GetRequestNeedsAnIdAndAVersionNotBelowZero) {
  v1::GetExerciseRequest request;
  EXPECT_THAT(ViolatedFields(ValidateGetExercise(request)), ElementsAre("exercise_id"));
  request.set_exercise_id("0190d000-0000-7000-8000-0000e1000001");
  request.set_version(-1);
  EXPECT_THAT(ViolatedFields(ValidateGetExercise(request)), ElementsAre("version"));
  request.set_version(0);
  EXPECT_TRUE(ValidateGetExercise(request).ok());
}

TEST(ExerciseValidationTest, ListRequestChecksPageSizeAndCategory) {
  v1::ListExercisesRequest request;
  EXPECT_TRUE(ValidateListExercises(request).ok());
  request.set_page_size(501);
  EXPECT_THAT(ViolatedFields(ValidateListExercises(request)), ElementsAre("page_size"));
  request.set_page_size(500);
  request.set_category(static_cast<v1::ExerciseCategory>(77));
  EXPECT_THAT(ViolatedFields(ValidateListExercises(request)), ElementsAre("category"));
}

TEST(ExerciseValidationTest, UpdateRequestNeedsIdEtagAndMask) {
  v1::UpdateExerciseRequest request;
  EXPECT_THAT(ViolatedFields(ValidateUpdateExercise(request)),
              ElementsAre("exercise.id", "exercise.etag", "update_mask"));
  request.mutable_exercise()->set_id("0190d000-0000-7000-8000-0000e1000001");
  request.mutable_exercise()->set_etag("v1");
  request.mutable_update_mask()->add_paths("title");
  EXPECT_TRUE(ValidateUpdateExercise(request).ok());
}

}  // namespace
}  // namespace confide
