#include "services/intake/intake_validation.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/intake/intake_test_support.h"

namespace confide {
namespace {

using intake_test::FullAnswers;
using intake_test::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Violations(const v1::Intake& intake) {
  const absl::Status status = ValidateIntakeAnswers(intake, "intake");
  if (!status.ok()) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  }
  return ViolatedFields(status);
}

TEST(ValidateIntakeAnswersTest, EveryFieldAnsweredIsAccepted) {
  EXPECT_TRUE(ValidateIntakeAnswers(FullAnswers(), "intake").ok());
}

TEST(ValidateIntakeAnswersTest, AnEmptyDraftIsAccepted) {
  EXPECT_TRUE(ValidateIntakeAnswers(v1::Intake(), "intake").ok());
}

TEST(ValidateIntakeAnswersTest, RatingsOutsideZeroToTenNameTheirExactPath) {
  v1::Intake intake = FullAnswers();
  intake.mutable_presenting_problem()->mutable_situations(0)->set_pain_rating(11);
  intake.mutable_anxiety()->set_fear_of_pain(-1);
  intake.mutable_anxiety()->set_anxiety_about_penetration(10);  // the upper bound is allowed
  EXPECT_THAT(Violations(intake),
              UnorderedElementsAre("intake.presenting_problem.situations[0].pain_rating",
                                   "intake.anxiety.fear_of_pain"));
}

TEST(ValidateIntakeAnswersTest, PainRatingIsRefusedForASituationNotTried) {
  v1::Intake intake = FullAnswers();
  intake.mutable_presenting_problem()->mutable_situations(1)->set_pain_rating(3);
  EXPECT_THAT(Violations(intake),
              ElementsAre("intake.presenting_problem.situations[1].pain_rating"));
}

TEST(ValidateIntakeAnswersTest, UnknownAndUnspecifiedEnumsInRepeatedFieldsAreRefused) {
  v1::Intake intake = FullAnswers();
  intake.mutable_presenting_problem()->add_conditions(v1::PAIN_CONDITION_UNSPECIFIED);
  intake.mutable_presenting_problem()->add_conditions(static_cast<v1::PainCondition>(99));
  intake.mutable_medical_history()->add_factors(static_cast<v1::MedicalFactor>(77));
  intake.mutable_presenting_problem()->mutable_situations(0)->set_situation(
      v1::PENETRATION_SITUATION_UNSPECIFIED);
  intake.mutable_presenting_problem()->mutable_situations(1)->set_outcome(
      static_cast<v1::SituationOutcome>(42));
  intake.mutable_prior_treatments(0)->set_kind(v1::PRIOR_TREATMENT_KIND_UNSPECIFIED);
  intake.mutable_prior_treatments(0)->set_helpfulness(static_cast<v1::TreatmentHelpfulness>(9));
  EXPECT_THAT(
      Violations(intake),
      UnorderedElementsAre(
          "intake.presenting_problem.conditions[2]", "intake.presenting_problem.conditions[3]",
          "intake.medical_history.factors[2]", "intake.presenting_problem.situations[0].situation",
          "intake.presenting_problem.situations[1].outcome", "intake.prior_treatments[0].kind",
          "intake.prior_treatments[0].helpfulness"));
}

TEST(ValidateIntakeAnswersTest, UnknownSingleEnumsAreRefusedButUnansweredIsFine) {
  v1::Intake intake = FullAnswers();
  intake.mutable_trauma_history()->clear_details();
  intake.mutable_trauma_history()->set_disclosure(static_cast<v1::TraumaDisclosure>(12));
  intake.mutable_relationship()->set_status(static_cast<v1::RelationshipStatus>(-3));
  EXPECT_THAT(Violations(intake), UnorderedElementsAre("intake.trauma_history.disclosure",
                                                       "intake.relationship.status"));
  intake.mutable_trauma_history()->set_disclosure(v1::TRAUMA_DISCLOSURE_UNSPECIFIED);
  intake.mutable_relationship()->set_status(v1::RELATIONSHIP_STATUS_UNSPECIFIED);
  EXPECT_THAT(Violations(intake), IsEmpty());
}

TEST(ValidateIntakeAnswersTest, DuplicatesInRepeatedEnumsAreRefused) {
  v1::Intake intake = FullAnswers();
  intake.mutable_presenting_problem()->add_conditions(v1::PAIN_CONDITION_PRIMARY_VAGINISMUS);
  intake.mutable_medical_history()->add_factors(v1::MEDICAL_FACTOR_RECURRENT_INFECTIONS);
  *intake.mutable_presenting_problem()->add_situations() =
      intake.presenting_problem().situations(0);
  EXPECT_THAT(Violations(intake),
              UnorderedElementsAre("intake.presenting_problem.conditions[2]",
                                   "intake.medical_history.factors[2]",
                                   "intake.presenting_problem.situations[2].situation"));
}

TEST(ValidateIntakeAnswersTest, TraumaDetailsOnlyWithDisclosureYes) {
  for (v1::TraumaDisclosure other : {v1::TRAUMA_DISCLOSURE_UNSPECIFIED, v1::TRAUMA_DISCLOSURE_NONE,
                                     v1::TRAUMA_DISCLOSURE_PREFER_TO_DISCUSS_IN_PERSON,
                                     v1::TRAUMA_DISCLOSURE_PREFER_NOT_TO_SAY}) {
    v1::Intake intake = FullAnswers();
    intake.mutable_trauma_history()->set_disclosure(other);
    EXPECT_THAT(Violations(intake), ElementsAre("intake.trauma_history.details")) << other;
  }
}

TEST(ValidateIntakeAnswersTest, ConditionOtherOnlyWithOtherInConditions) {
  v1::Intake intake = FullAnswers();
  intake.mutable_presenting_problem()->mutable_conditions()->RemoveLast();
  EXPECT_THAT(Violations(intake), ElementsAre("intake.presenting_problem.condition_other"));
}

TEST(ValidateIntakeAnswersTest, LengthCapsCountCharactersNotBytes) {
  v1::Intake intake = FullAnswers();
  // 100 two-byte characters fit a 100-character field; 101 do not.
  std::string name;
  for (int i = 0; i < 100; ++i) name += "é";
  intake.set_preferred_name(name);
  EXPECT_THAT(Violations(intake), IsEmpty());
  intake.set_preferred_name(name + "é");
  EXPECT_THAT(Violations(intake), ElementsAre("intake.preferred_name"));
}

TEST(ValidateIntakeAnswersTest, EveryTextFieldHasItsDocumentedCap) {
  struct Cap {
    std::string path;
    size_t max;
    void (*set)(v1::Intake&, const std::string&);
  };
  const Cap caps[] = {
      {"intake.presenting_problem.condition_other", 500,
       [](v1::Intake& i, const std::string& t) {
         i.mutable_presenting_problem()->set_condition_other(t);
       }},
      {"intake.presenting_problem.onset", 2000,
       [](v1::Intake& i, const std::string& t) { i.mutable_presenting_problem()->set_onset(t); }},
      {"intake.presenting_problem.description", 10000,
       [](v1::Intake& i, const std::string& t) {
         i.mutable_presenting_problem()->set_description(t);
       }},
      {"intake.trauma_history.details", 10000,
       [](v1::Intake& i, const std::string& t) { i.mutable_trauma_history()->set_details(t); }},
      {"intake.anxiety.notes", 5000,
       [](v1::Intake& i, const std::string& t) { i.mutable_anxiety()->set_notes(t); }},
      {"intake.medical_history.medications", 5000,
       [](v1::Intake& i, const std::string& t) {
         i.mutable_medical_history()->set_medications(t);
       }},
      {"intake.medical_history.details", 5000,
       [](v1::Intake& i, const std::string& t) { i.mutable_medical_history()->set_details(t); }},
      {"intake.prior_treatments[0].notes", 2000,
       [](v1::Intake& i, const std::string& t) { i.mutable_prior_treatments(0)->set_notes(t); }},
      {"intake.relationship.notes", 5000,
       [](v1::Intake& i, const std::string& t) { i.mutable_relationship()->set_notes(t); }},
      {"intake.hopes", 5000, [](v1::Intake& i, const std::string& t) { i.set_hopes(t); }},
      {"intake.preferred_name", 100,
       [](v1::Intake& i, const std::string& t) { i.set_preferred_name(t); }},
      {"intake.pronouns", 100, [](v1::Intake& i, const std::string& t) { i.set_pronouns(t); }},
  };
  for (const Cap& cap : caps) {
    v1::Intake intake = FullAnswers();
    cap.set(intake, std::string(cap.max, 'a'));
    EXPECT_THAT(Violations(intake), IsEmpty()) << cap.path;
    cap.set(intake, std::string(cap.max + 1, 'a'));
    EXPECT_THAT(Violations(intake), ElementsAre(cap.path));
  }
}

TEST(ValidateIntakeAnswersTest, ProseKeepsLineBreaksButNoOtherControlCharacters) {
  v1::Intake intake = FullAnswers();
  intake.set_hopes("line one\r\nline two\tindented");
  EXPECT_THAT(Violations(intake), IsEmpty());
  intake.set_hopes(std::string("bell\a"));
  intake.set_preferred_name("Jo\nJo");  // short answers stay on one line
  intake.mutable_medical_history()->set_details(std::string("nul\0here", 8));
  intake.mutable_anxiety()->set_notes("bad utf-8 \xC3\x28");
  EXPECT_THAT(Violations(intake),
              UnorderedElementsAre("intake.hopes", "intake.preferred_name",
                                   "intake.medical_history.details", "intake.anxiety.notes"));
}

TEST(ValidateIntakeAnswersTest, MessagesNeverEchoTheAnswer) {
  v1::Intake intake = FullAnswers();
  intake.set_hopes(std::string(5001, 'Z') + "secret-hope");
  intake.mutable_trauma_history()->set_disclosure(v1::TRAUMA_DISCLOSURE_NONE);
  const absl::Status status = ValidateIntakeAnswers(intake, "intake");
  EXPECT_FALSE(absl::StrContains(status.ToString(), "secret-hope"));
  EXPECT_FALSE(absl::StrContains(status.ToString(), "Something I would like"));
}

TEST(ValidateIntakeAnswersTest, TooManyPriorTreatmentsAreRefused) {
  v1::Intake intake = FullAnswers();
  for (int i = 0; i < kMaxPriorTreatments; ++i) {
    intake.add_prior_treatments()->set_kind(v1::PRIOR_TREATMENT_KIND_OTHER);
  }
  EXPECT_THAT(Violations(intake), ElementsAre("intake.prior_treatments"));
}

// 100,000 entries in each capped list: each list is refused once, by its size, and the reply
// stays small. (Before the caps every entry was checked against every earlier violation.)
v1::Intake HugeLists() {
  v1::Intake intake;
  for (int i = 0; i < 100'000; ++i) {
    intake.mutable_presenting_problem()->add_conditions(v1::PAIN_CONDITION_OTHER);
    intake.mutable_presenting_problem()->add_situations()->set_situation(
        v1::PENETRATION_SITUATION_TAMPON);
    intake.mutable_medical_history()->add_factors(
        static_cast<v1::MedicalFactor>(1000 + i));  // unknown values, each a distinct error
    intake.add_prior_treatments();
  }
  return intake;
}

TEST(ValidateIntakeAnswersTest, HugeListsAreRefusedOnceEachByTheirSize) {
  const absl::Status status = ValidateIntakeAnswers(HugeLists(), "intake");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status),
              UnorderedElementsAre("intake.presenting_problem.conditions",
                                   "intake.presenting_problem.situations",
                                   "intake.medical_history.factors", "intake.prior_treatments"));
  EXPECT_THAT(status.ToString(), HasSubstr("must have at most"));
  EXPECT_LT(status.ToString().size(), 2000u);
}

TEST(ValidateIntakeAnswersTest, ListsMayHoldEveryKnownValueOnce) {
  EXPECT_EQ(MaxIntakeConditions(), v1::PainCondition_descriptor()->value_count() - 1);
  v1::Intake intake;
  for (int i = 0; i < v1::PainCondition_descriptor()->value_count(); ++i) {
    const int value = v1::PainCondition_descriptor()->value(i)->number();
    if (value != 0) {
      intake.mutable_presenting_problem()->add_conditions(static_cast<v1::PainCondition>(value));
    }
  }
  intake.mutable_presenting_problem()->set_condition_other("something else");
  EXPECT_THAT(Violations(intake), IsEmpty());
  intake.mutable_presenting_problem()->add_conditions(v1::PAIN_CONDITION_OTHER);
  EXPECT_THAT(Violations(intake), ElementsAre("intake.presenting_problem.conditions"));
}

TEST(ValidateIntakeAnswersTest, AtMostTwentyViolationsAreReported) {
  v1::Intake intake;
  for (int i = 0; i < kMaxPriorTreatments; ++i) {
    intake.add_prior_treatments();  // each: kind missing
  }
  const absl::Status status = ValidateIntakeAnswers(intake, "intake");
  EXPECT_EQ(ViolatedFields(status).size(), 20u);
}

TEST(ValidateUpdateIntakeTest, HugeListsAndMasksAreRefusedBeforeTheAnswersAreMerged) {
  v1::UpdateIntakeRequest request;
  *request.mutable_intake() = HugeLists();
  request.mutable_intake()->set_client_id("me");
  request.mutable_intake()->set_etag("v1");
  for (int i = 0; i < 100'000; ++i) {
    request.mutable_update_mask()->add_paths("status");
  }
  const absl::Status status = ValidateUpdateIntake(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_LE(fields.size(), 20u);
  EXPECT_THAT(fields, ::testing::Contains("intake.presenting_problem.conditions"));
  EXPECT_LT(status.ToString().size(), 4000u);
}

TEST(ValidateUpdateIntakeTest, MaskMayNameInputFieldsAndFieldsInsideThem) {
  v1::UpdateIntakeRequest request;
  request.mutable_intake()->set_client_id("me");
  request.mutable_intake()->set_etag("v0");
  for (const char* path : {"presenting_problem", "presenting_problem.onset", "trauma_history",
                           "anxiety.fear_of_pain", "medical_history", "prior_treatments",
                           "relationship.notes", "hopes", "preferred_name", "pronouns"}) {
    request.mutable_update_mask()->add_paths(path);
  }
  EXPECT_TRUE(ValidateUpdateIntake(request).ok());
}

TEST(ValidateUpdateIntakeTest, OutputOnlyPathsAreRefusedByIndexWithoutQuotingThem) {
  for (const char* path :
       {"status", "clinician_summary", "reviewed_by_user_id", "review_time", "submit_time",
        "create_time", "update_time", "etag", "client_id", "no_such_field"}) {
    v1::UpdateIntakeRequest request;
    request.mutable_intake()->set_client_id("me");
    request.mutable_intake()->set_etag("v1");
    request.mutable_update_mask()->add_paths(path);
    const absl::Status status = ValidateUpdateIntake(request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask.paths[0]")) << path;
    EXPECT_FALSE(absl::StrContains(status.ToString(), path)) << status;
  }
  v1::UpdateIntakeRequest request;
  request.mutable_intake()->set_client_id("me");
  request.mutable_intake()->set_etag("v1");
  for (const char* path : {"hopes", "pronouns", "<script>private text</script>"}) {
    request.mutable_update_mask()->add_paths(path);
  }
  const absl::Status status = ValidateUpdateIntake(request);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask.paths[2]"));
  EXPECT_THAT(status.ToString(), HasSubstr("cannot update this path"));
  EXPECT_FALSE(absl::StrContains(status.ToString(), "private text")) << status;
}

TEST(ValidateUpdateIntakeTest, NonexistentSubfieldIsRefused) {
  v1::UpdateIntakeRequest request;
  request.mutable_intake()->set_client_id("me");
  request.mutable_intake()->set_etag("v1");
  request.mutable_update_mask()->add_paths("presenting_problem.nonsense");
  EXPECT_THAT(ViolatedFields(ValidateUpdateIntake(request)), ElementsAre("update_mask"));
}

TEST(ValidateUpdateIntakeTest, ClientIdEtagAndMaskAreRequired) {
  EXPECT_THAT(ViolatedFields(ValidateUpdateIntake(v1::UpdateIntakeRequest())),
              UnorderedElementsAre("intake.client_id", "intake.etag", "update_mask"));
}

TEST(ValidateReviewIntakeTest, SummaryIsRequiredAndAtMostTwentyThousandCharacters) {
  v1::ReviewIntakeRequest request;
  request.set_client_id("me");
  request.set_etag("v2");
  request.set_clinician_summary("   ");
  EXPECT_THAT(ViolatedFields(ValidateReviewIntake(request)), ElementsAre("clinician_summary"));
  request.set_clinician_summary(std::string(20000, 's'));
  EXPECT_TRUE(ValidateReviewIntake(request).ok());
  request.set_clinician_summary(std::string(20001, 's'));
  EXPECT_THAT(ViolatedFields(ValidateReviewIntake(request)), ElementsAre("clinician_summary"));
}

TEST(ValidateSubmitIntakeTest, ClientIdAndEtagAreRequired) {
  EXPECT_THAT(ViolatedFields(ValidateSubmitIntake(v1::SubmitIntakeRequest())),
              UnorderedElementsAre("client_id", "etag"));
  EXPECT_THAT(ViolatedFields(ValidateGetIntake(v1::GetIntakeRequest())), ElementsAre("client_id"));
}

TEST(IntakeStatusRulesTest, PatientEditsOnlyHerDraft) {
  EXPECT_TRUE(CheckIntakeEditable(true, v1::INTAKE_STATUS_DRAFT).ok());
  const absl::Status submitted = CheckIntakeEditable(true, v1::INTAKE_STATUS_SUBMITTED);
  EXPECT_EQ(submitted.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(submitted.message(), HasSubstr("care team"));
  EXPECT_EQ(CheckIntakeEditable(true, v1::INTAKE_STATUS_REVIEWED).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(IntakeStatusRulesTest, CareTeamEditsUntilReviewed) {
  EXPECT_TRUE(CheckIntakeEditable(false, v1::INTAKE_STATUS_DRAFT).ok());
  EXPECT_TRUE(CheckIntakeEditable(false, v1::INTAKE_STATUS_SUBMITTED).ok());
  EXPECT_EQ(CheckIntakeEditable(false, v1::INTAKE_STATUS_REVIEWED).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(IntakeStatusRulesTest, SubmitNeedsADraftWithAPainCondition) {
  const absl::Status empty = CheckIntakeSubmittable(v1::Intake(), v1::INTAKE_STATUS_DRAFT);
  EXPECT_EQ(empty.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(empty.message(), HasSubstr("intake.presenting_problem.conditions"));
  EXPECT_TRUE(CheckIntakeSubmittable(FullAnswers(), v1::INTAKE_STATUS_DRAFT).ok());
  EXPECT_EQ(CheckIntakeSubmittable(FullAnswers(), v1::INTAKE_STATUS_SUBMITTED).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckIntakeSubmittable(FullAnswers(), v1::INTAKE_STATUS_REVIEWED).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(IntakeStatusRulesTest, OnlyASubmittedIntakeIsReviewed) {
  EXPECT_TRUE(CheckIntakeReviewable(v1::INTAKE_STATUS_SUBMITTED).ok());
  EXPECT_EQ(CheckIntakeReviewable(v1::INTAKE_STATUS_DRAFT).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckIntakeReviewable(v1::INTAKE_STATUS_REVIEWED).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace confide
