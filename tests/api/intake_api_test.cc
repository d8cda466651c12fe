// The structured intake over REST (and one call over gRPC) against the real confide-server: every
// answer round-trips, the draft → submitted → reviewed flow with who may change what when, the
// clinician's summary hidden from the patient, stale etags, bad input named by field, who may
// not see an intake at all, and that no answer reaches the database (or the SQLite file) in the
// clear.

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/intake.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// Every input field of the Intake, each with a value the JSON printer shows. `marker` makes
// the free text unique, so a raw search of the database finds only this intake's text.
nlohmann::json EveryAnswer(const std::string& marker) {
  return {
      {"presentingProblem",
       {{"conditions", {"PAIN_CONDITION_SECONDARY_VAGINISMUS", "PAIN_CONDITION_OTHER"}},
        {"conditionOther", "stinging " + marker},
        {"onset", "After my second child " + marker},
        {"lifelong", false},
        {"situations",
         {{{"situation", "PENETRATION_SITUATION_TAMPON"},
           {"outcome", "SITUATION_OUTCOME_POSSIBLE_WITH_PAIN"},
           {"painRating", 0}},
          {{"situation", "PENETRATION_SITUATION_INTERCOURSE"},
           {"outcome", "SITUATION_OUTCOME_NOT_POSSIBLE"},
           {"painRating", 10}},
          {{"situation", "PENETRATION_SITUATION_GYNAECOLOGICAL_EXAMINATION"},
           {"outcome", "SITUATION_OUTCOME_NOT_TRIED"}}}},
        {"description", "Línea uno\nline two « ü » " + marker}}},
      {"traumaHistory",
       {{"disclosure", "TRAUMA_DISCLOSURE_YES"}, {"details", "trauma-detail-" + marker}}},
      {"anxiety",
       {{"fearOfPain", 8},
        {"anxietyAboutPenetration", 0},
        {"avoidance", true},
        {"notes", "anxiety notes " + marker}}},
      {"medicalHistory",
       {{"factors", {"MEDICAL_FACTOR_CHILDBIRTH", "MEDICAL_FACTOR_OTHER"}},
        {"medications", "medications " + marker},
        {"details", "details " + marker}}},
      {"priorTreatments",
       {{{"kind", "PRIOR_TREATMENT_KIND_PELVIC_FLOOR_PHYSIOTHERAPY"},
         {"helpfulness", "TREATMENT_HELPFULNESS_HELPFUL"},
         {"notes", "physio notes " + marker}},
        {{"kind", "PRIOR_TREATMENT_KIND_DILATORS"},
         {"helpfulness", "TREATMENT_HELPFULNESS_NOT_HELPFUL"},
         {"notes", "dilator notes " + marker}}}},
      {"relationship",
       {{"status", "RELATIONSHIP_STATUS_MARRIED_OR_PARTNERED"},
        {"wantsPartnerInvolved", true},
        {"notes", "relationship notes " + marker}}},
      {"hopes", "hopes-" + marker},
      {"preferredName", "Jojo " + marker},
      {"pronouns", "she/they"},
  };
}

constexpr char kEveryPath[] =
    "presentingProblem,traumaHistory,anxiety,medicalHistory,priorTreatments,relationship,hopes,"
    "preferredName,pronouns";

std::string IntakePath(const std::string& client) { return "/v1/clients/" + client + "/intake"; }

// The answers of an Intake read back: the output-only fields removed.
nlohmann::json AnswersOf(nlohmann::json intake) {
  for (const char* output : {"clientId", "status", "clinicianSummary", "reviewedByUserId",
                             "reviewTime", "submitTime", "createTime", "updateTime", "etag"}) {
    intake.erase(output);
  }
  return intake;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A client and the etag of its intake.
struct SamsClient {
  std::string id;
  std::string etag;
};

class IntakeApiTest : public GrpcApiTestBase {
 protected:
  static HttpResponse Save(const std::string& client, const nlohmann::json& answers,
                           const std::string& etag, const std::string& mask,
                           const std::string& token) {
    nlohmann::json intake = answers;
    intake["etag"] = etag;
    return Rest().Patch(IntakePath(client) + "?updateMask=" + mask, intake, token);
  }

  static HttpResponse Submit(const std::string& client, const std::string& etag,
                             const std::string& token) {
    return Rest().Post(IntakePath(client) + ":submit", {{"etag", etag}}, token);
  }

  static HttpResponse Review(const std::string& client, const std::string& etag,
                             const std::string& summary, const std::string& token) {
    return Rest().Post(IntakePath(client) + ":review",
                       {{"etag", etag}, {"clinicianSummary", summary}}, token);
  }

  // A fresh client of Sam's (he is on its care team) with a saved draft naming a condition.
  static SamsClient NewClientWithDraft(const std::string& marker) {
    const std::string sam = TokenOf(kSamEmail);
    const nlohmann::json client = CreateClient(sam);
    if (client.is_null()) {
      return {};
    }
    const std::string id = client["id"].get<std::string>();
    HttpResponse saved = Save(id, EveryAnswer(marker), "v0", kEveryPath, sam);
    EXPECT_EQ(saved.status, 200) << saved.body;
    return {id, saved.Json().value("etag", "")};
  }
};

// --- Jo's own intake: every field, and nothing in the clear at rest ---

TEST_F(IntakeApiTest, PatientSavesEveryFieldAndReadsItBackIdenticalWithNothingInTheClear) {
  const std::string jo = TokenOf(kJoEmail);
  const std::string marker = "mk" + Unique() + "zq";

  HttpResponse fresh = Rest().Get(IntakePath("me"), jo);
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.Json().value("etag", ""), "v0");
  EXPECT_EQ(fresh.Json().value("status", ""), "INTAKE_STATUS_DRAFT");
  EXPECT_EQ(fresh.Json().value("clientId", ""), kJoClientId);
  EXPECT_TRUE(
      Query("SELECT client_id FROM intakes WHERE client_id = '" + std::string(kJoClientId) + "'")
          .empty())
      << "a read must not write";

  const nlohmann::json answers = EveryAnswer(marker);
  HttpResponse saved = Save("me", answers, "v0", kEveryPath, jo);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.Json().value("etag", ""), "v1");
  EXPECT_EQ(AnswersOf(saved.Json()), answers);

  HttpResponse read = Rest().Get(IntakePath("me"), jo);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(AnswersOf(read.Json()), answers);
  EXPECT_EQ(read.Json().value("status", ""), "INTAKE_STATUS_DRAFT");
  EXPECT_FALSE(read.Json().value("createTime", "").empty());
  HttpResponse by_sam = Rest().Get(IntakePath(kJoClientId), TokenOf(kSamEmail));
  ASSERT_EQ(by_sam.status, 200) << by_sam.body;
  EXPECT_EQ(AnswersOf(by_sam.Json()), answers);

  // Nothing of the answers in any column, on either database.
  const std::vector<std::string> rows = Query("SELECT * FROM intakes");
  ASSERT_FALSE(rows.empty());
  for (const std::string& row : rows) {
    EXPECT_THAT(row, Not(HasSubstr(marker)));
    EXPECT_THAT(row, Not(HasSubstr("trauma-detail")));
    EXPECT_THAT(row, Not(HasSubstr("hopes-")));
  }
  if (!server().database().is_postgresql()) {
    // The SQLite file and its write-ahead log as bytes on disk.
    const std::string path = server().database().url().substr(std::string("sqlite:").size());
    const std::string bytes = FileBytes(path) + FileBytes(path + "-wal");
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(bytes.find(marker), std::string::npos);
    EXPECT_EQ(bytes.find("trauma-detail-"), std::string::npos);
  }
}

// --- Draft → submitted → reviewed ---

TEST_F(IntakeApiTest, DraftSubmitReviewWithThePatientLockedOutAfterSubmitAndSummaryHidden) {
  const std::string riley = TokenOf(kRileyEmail);
  const std::string sam = TokenOf(kSamEmail);
  const std::string marker = "rl" + Unique();

  HttpResponse saved = Save("me", EveryAnswer(marker), "v0", kEveryPath, riley);
  ASSERT_EQ(saved.status, 200) << saved.body;
  HttpResponse submitted = Submit("me", saved.Json().value("etag", ""), riley);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.Json().value("status", ""), "INTAKE_STATUS_SUBMITTED");
  EXPECT_FALSE(submitted.Json().value("submitTime", "").empty());
  const std::string after_submit = submitted.Json().value("etag", "");
  // What Submit answered is what was stored.
  HttpResponse read_submitted = Rest().Get(IntakePath(kRileyClientId), sam);
  ASSERT_EQ(read_submitted.status, 200) << read_submitted.body;
  EXPECT_EQ(read_submitted.Json(), submitted.Json()) << read_submitted.body;
  EXPECT_EQ(read_submitted.Json().value("submitTime", "x"),
            read_submitted.Json().value("updateTime", "y"));

  HttpResponse patient_edit = Save("me", {{"hopes", "changed"}}, after_submit, "hopes", riley);
  EXPECT_TRUE(IsErrorAnswer(patient_edit, 400, kFailedPrecondition));
  EXPECT_THAT(patient_edit.body, HasSubstr("care team"));
  EXPECT_TRUE(IsErrorAnswer(Submit("me", after_submit, riley), 400, kFailedPrecondition));
  EXPECT_TRUE(
      IsErrorAnswer(Review("me", after_submit, "I review myself", riley), 403, kPermissionDenied));

  // The care team may still correct it before the review.
  HttpResponse sam_edit =
      Save(kRileyClientId, {{"pronouns", "she/her"}}, after_submit, "pronouns", sam);
  ASSERT_EQ(sam_edit.status, 200) << sam_edit.body;
  EXPECT_EQ(sam_edit.Json().value("status", ""), "INTAKE_STATUS_SUBMITTED");

  const std::string summary = "summary-" + marker + ": fear-avoidance, start with education.";
  HttpResponse reviewed = Review(kRileyClientId, sam_edit.Json().value("etag", ""), summary, sam);
  ASSERT_EQ(reviewed.status, 200) << reviewed.body;
  EXPECT_EQ(reviewed.Json().value("status", ""), "INTAKE_STATUS_REVIEWED");
  EXPECT_EQ(reviewed.Json().value("clinicianSummary", ""), summary);
  EXPECT_EQ(reviewed.Json().value("reviewedByUserId", ""), kSamUserId);
  EXPECT_FALSE(reviewed.Json().value("reviewTime", "").empty());
  EXPECT_EQ(reviewed.Json().value("reviewTime", "x"), reviewed.Json().value("updateTime", "y"));

  // Read back, Sam sees exactly what Review answered (every output-only field stored as
  // answered), and the patient the same minus the summary and the reviewer.
  HttpResponse read_reviewed = Rest().Get(IntakePath(kRileyClientId), sam);
  ASSERT_EQ(read_reviewed.status, 200) << read_reviewed.body;
  EXPECT_EQ(read_reviewed.Json(), reviewed.Json()) << read_reviewed.body;
  EXPECT_EQ(read_reviewed.Json().value("submitTime", ""),
            submitted.Json().value("submitTime", "-"));
  EXPECT_EQ(read_reviewed.Json().value("createTime", ""), saved.Json().value("createTime", "-"));
  nlohmann::json expected_for_riley = read_reviewed.Json();
  expected_for_riley.erase("clinicianSummary");
  expected_for_riley.erase("reviewedByUserId");

  HttpResponse patient_view = Rest().Get(IntakePath("me"), riley);
  ASSERT_EQ(patient_view.status, 200) << patient_view.body;
  EXPECT_EQ(patient_view.Json().value("status", ""), "INTAKE_STATUS_REVIEWED");
  EXPECT_FALSE(patient_view.Json().contains("clinicianSummary")) << patient_view.body;
  EXPECT_FALSE(patient_view.Json().contains("reviewedByUserId")) << patient_view.body;
  EXPECT_THAT(patient_view.body, Not(HasSubstr("summary-")));
  EXPECT_EQ(patient_view.Json(), expected_for_riley) << patient_view.body;
  HttpResponse sam_view = Rest().Get(IntakePath(kRileyClientId), sam);
  ASSERT_EQ(sam_view.status, 200);
  EXPECT_EQ(sam_view.Json().value("clinicianSummary", ""), summary);
  EXPECT_EQ(sam_view.Json().value("pronouns", ""), "she/her");

  // Reviewed: locked for everyone.
  const std::string after_review = reviewed.Json().value("etag", "");
  EXPECT_TRUE(IsErrorAnswer(Save(kRileyClientId, {{"hopes", "x"}}, after_review, "hopes", sam), 400,
                            kFailedPrecondition));
  EXPECT_TRUE(
      IsErrorAnswer(Review(kRileyClientId, after_review, "again", sam), 400, kFailedPrecondition));
  for (const std::string& row : Query("SELECT * FROM intakes")) {
    EXPECT_THAT(row, Not(HasSubstr("summary-")));
  }
}

// --- Etags and bad input ---

TEST_F(IntakeApiTest, StaleEtagIsConflict) {
  const std::string sam = TokenOf(kSamEmail);
  const SamsClient client = NewClientWithDraft("st" + Unique());
  ASSERT_EQ(client.etag, "v1");
  EXPECT_TRUE(IsErrorAnswer(Save(client.id, {{"hopes", "a"}}, "v0", "hopes", sam), 409, kAborted));
  HttpResponse next = Save(client.id, {{"hopes", "b"}}, "v1", "hopes", sam);
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_TRUE(IsErrorAnswer(Save(client.id, {{"hopes", "c"}}, "v1", "hopes", sam), 409, kAborted));
  EXPECT_TRUE(IsErrorAnswer(Submit(client.id, "v1", sam), 409, kAborted));
}

TEST_F(IntakeApiTest, BadAnswersAreRefusedNamingTheFieldWithoutEchoingThem) {
  const std::string sam = TokenOf(kSamEmail);
  const SamsClient client = NewClientWithDraft("bd" + Unique());
  struct Case {
    nlohmann::json answers;
    std::string mask;
    std::string field;
  };
  const Case cases[] = {
      {{{"presentingProblem",
         {{"conditions", {"PAIN_CONDITION_DYSPAREUNIA"}},
          {"situations",
           {{{"situation", "PENETRATION_SITUATION_TAMPON"},
             {"outcome", "SITUATION_OUTCOME_POSSIBLE_WITH_PAIN"}},
            {{"situation", "PENETRATION_SITUATION_OWN_FINGER"},
             {"outcome", "SITUATION_OUTCOME_POSSIBLE_WITH_PAIN"},
             {"painRating", 11}}}}}}},
       "presentingProblem",
       "intake.presenting_problem.situations[1].pain_rating"},
      {{{"anxiety", {{"fearOfPain", -1}}}}, "anxiety", "intake.anxiety.fear_of_pain"},
      {{{"traumaHistory",
         {{"disclosure", "TRAUMA_DISCLOSURE_PREFER_TO_DISCUSS_IN_PERSON"},
          {"details", "secret-echo-check"}}}},
       "traumaHistory",
       "intake.trauma_history.details"},
      {{{"presentingProblem",
         {{"conditions", {"PAIN_CONDITION_VULVODYNIA"}}, {"conditionOther", "secret-echo"}}}},
       "presentingProblem",
       "intake.presenting_problem.condition_other"},
      {{{"medicalHistory",
         {{"factors", {"MEDICAL_FACTOR_MENOPAUSE", "MEDICAL_FACTOR_MENOPAUSE"}}}}},
       "medicalHistory",
       "intake.medical_history.factors[1]"},
      {{{"medicalHistory", {{"factors", {"MEDICAL_FACTOR_UNSPECIFIED"}}}}},
       "medicalHistory",
       "intake.medical_history.factors[0]"},
      {{{"hopes", std::string(5001, 'h')}}, "hopes", "intake.hopes"},
      {{{"preferredName", "bell\u0007secret-echo"}}, "preferredName", "intake.preferred_name"},
      {{{"hopes", "x"}}, "status", "update_mask.paths[0]"},
      {{{"hopes", "x"}}, "hopes,clinicianSummary", "update_mask.paths[1]"},
      // A path is the caller's text: named by index, never quoted back.
      {{{"hopes", "x"}}, "hopes,secretEchoPath", "update_mask.paths[1]"},
  };
  for (const Case& c : cases) {
    HttpResponse refused = Save(client.id, c.answers, client.etag, c.mask, sam);
    EXPECT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << c.field << " " << refused.body;
    EXPECT_THAT(ViolatedFields(refused.Json()), Contains(c.field)) << refused.body;
    EXPECT_THAT(refused.body, Not(HasSubstr("secret-echo"))) << c.field;
    EXPECT_THAT(refused.body, Not(HasSubstr("secret_echo"))) << c.field;
    EXPECT_THAT(refused.body, Not(HasSubstr("secretEcho"))) << c.field;
  }
  // Nothing was saved by any of them.
  HttpResponse read = Rest().Get(IntakePath(client.id), sam);
  EXPECT_EQ(read.Json().value("etag", ""), client.etag);
}

TEST_F(IntakeApiTest, SubmitWithoutAPainConditionIsAFailedPreconditionNamingTheField) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_FALSE(client.is_null());
  const std::string id = client["id"];
  HttpResponse saved = Save(id, {{"hopes", "only hopes"}}, "v0", "hopes", sam);
  ASSERT_EQ(saved.status, 200) << saved.body;
  HttpResponse refused = Submit(id, "v1", sam);
  // The stored draft is not ready; nothing in the request is wrong.
  EXPECT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition)) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("intake.presenting_problem.conditions"));
  EXPECT_EQ(Rest().Get(IntakePath(id), sam).Json().value("status", ""), "INTAKE_STATUS_DRAFT");
}

TEST_F(IntakeApiTest, ReviewSummaryMustBeOneToTwentyThousandCharacters) {
  const std::string sam = TokenOf(kSamEmail);
  const SamsClient client = NewClientWithDraft("rv" + Unique());
  HttpResponse submitted = Submit(client.id, client.etag, sam);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  const std::string etag = submitted.Json().value("etag", "");
  for (const std::string& summary : {std::string(""), std::string(20001, 's')}) {
    HttpResponse refused = Review(client.id, etag, summary, sam);
    EXPECT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument));
    EXPECT_THAT(ViolatedFields(refused.Json()), Contains("clinician_summary"));
  }
  EXPECT_EQ(Review(client.id, etag, std::string(20000, 's'), sam).status, 200);
}

// --- Who may not ---

TEST_F(IntakeApiTest, OutsidersAnswerAsThePolicySays) {
  const SamsClient client = NewClientWithDraft("ou" + Unique());
  // Another clinic's clinician and a clinician not on the care team: as if it did not exist.
  for (const char* email : {kOtherTherapistEmail, kAlexEmail}) {
    EXPECT_TRUE(IsErrorAnswer(Rest().Get(IntakePath(client.id), TokenOf(email)), 404, kNotFound))
        << email;
    EXPECT_TRUE(IsErrorAnswer(
        Save(client.id, {{"hopes", "x"}}, client.etag, "hopes", TokenOf(email)), 404, kNotFound))
        << email;
  }
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(IntakePath(kJoClientId), TokenOf(kOtherTherapistEmail)), 404,
                            kNotFound));
  // Jo's partner never sees the intake, whatever Jo shares with him.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(IntakePath(kJoClientId), TokenOf(kKimEmail)), 403,
                            kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(IntakePath("me"), TokenOf(kKimEmail)), 403, kPermissionDenied));
  // Admins manage the practice, not care; auditors never read clinical content.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(IntakePath(client.id), TokenOf(kAdminEmail)), 403,
                            kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(IntakePath(client.id), TokenOf(kAuditorEmail)), 404, kNotFound));
  // Another patient.
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(IntakePath(kJoClientId), TokenOf(kRileyEmail)), 404, kNotFound));
}

TEST_F(IntakeApiTest, AuditEventNamesTheIntakeButNoAnswer) {
  const std::string marker = "au" + Unique();
  const SamsClient client = NewClientWithDraft(marker);
  const std::vector<std::string> events =
      Query("SELECT action, resource FROM audit_events WHERE resource = 'clients/" + client.id +
            "/intake'");
  EXPECT_THAT(events, Contains(HasSubstr("confide.v1.IntakeService.UpdateIntake")));
  for (const std::string& row : Query("SELECT * FROM audit_events")) {
    EXPECT_THAT(row, Not(HasSubstr(marker)));
  }
}

// --- gRPC ---

TEST_F(IntakeApiTest, SavedOverRestReadsTheSameOverGrpc) {
  const SamsClient client = NewClientWithDraft("gr" + Unique());
  HttpResponse rest = Rest().Get(IntakePath(client.id), TokenOf(kSamEmail));
  ASSERT_EQ(rest.status, 200);

  auto stub = v1::IntakeService::NewStub(channel());
  v1::GetIntakeRequest request;
  request.set_client_id(client.id);
  v1::Intake intake;
  auto context = Context(TokenOf(kSamEmail));
  grpc::Status status = stub->GetIntake(context.get(), request, &intake);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(intake.etag(), client.etag);
  EXPECT_EQ(intake.status(), v1::INTAKE_STATUS_DRAFT);
  EXPECT_EQ(intake.presenting_problem().situations_size(), 3);
  EXPECT_EQ(intake.presenting_problem().situations(1).pain_rating(), 10);
  EXPECT_EQ(intake.hopes(), rest.Json().value("hopes", ""));
  EXPECT_EQ(intake.trauma_history().disclosure(), v1::TRAUMA_DISCLOSURE_YES);

  auto kim = Context(TokenOf(kKimEmail));
  request.set_client_id(kJoClientId);
  EXPECT_EQ(stub->GetIntake(kim.get(), request, &intake).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace confide::api_test
