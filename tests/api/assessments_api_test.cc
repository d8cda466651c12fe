// AssessmentService over the real confide-server: REST for the behaviour, one call over gRPC.
// Scores are checked against the hand-worked examples of the unit tests
// (tests/unit/services/assessments/).

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "api_test_fixture.h"
#include "confide/v1/assessments.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kAlreadyExists = 6;
constexpr char kJoUserId[] = "0190d000-0000-7000-8000-00000000a005";
constexpr int kSkip = -1;

std::string AssessmentsPath(const std::string& client_id) {
  return std::string("/v1/clients/") + client_id + "/assessments";
}

// Answers "<prefix>.1" = values[0], ... leaving kSkip items unanswered.
nlohmann::json AnswersOf(const std::string& prefix, const std::vector<int>& values) {
  nlohmann::json answers = nlohmann::json::array();
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != kSkip) {
      answers.push_back({{"itemId", prefix + "." + std::to_string(i + 1)}, {"value", values[i]}});
    }
  }
  return answers;
}

class AssessmentsApiTest : public GrpcApiTestBase {
 protected:
  static HttpResponse Submit(const std::string& client_id, const std::string& instrument_id,
                             const nlohmann::json& answers, const std::string& token,
                             const std::string& request_id = "") {
    nlohmann::json body = {{"instrumentId", instrument_id}, {"answers", answers}};
    if (!request_id.empty()) {
      body["requestId"] = request_id;
    }
    return Rest().Post(AssessmentsPath(client_id), body, token);
  }
  // Submits and returns the stored assessment; fails the test when refused.
  static nlohmann::json SubmitOk(const std::string& client_id, const std::string& instrument_id,
                                 const nlohmann::json& answers, const std::string& token) {
    HttpResponse submitted = Submit(client_id, instrument_id, answers, token);
    EXPECT_EQ(submitted.status, 200) << submitted.body;
    return submitted.Json();
  }
  static nlohmann::json List(const std::string& client_id, const std::string& token,
                             const std::string& query = "") {
    HttpResponse listed = Rest().Get(AssessmentsPath(client_id) + query, token);
    EXPECT_EQ(listed.status, 200) << listed.body;
    return listed.Json();
  }
  static std::string NewClientOfSam() {
    const nlohmann::json client = CreateClient(TokenOf(kSamEmail));
    return client.is_object() ? client.value("id", "") : "";
  }
  static std::string ScoreField(const nlohmann::json& assessment, const std::string& field) {
    return assessment.contains("score") ? assessment["score"].value(field, "") : "";
  }
  // The google.rpc.BadRequest violations of an error body as "field: description".
  static std::vector<std::string> Violations(const HttpResponse& response) {
    std::vector<std::string> out;
    const nlohmann::json body = response.Json();
    if (!body.is_object() || !body.contains("details")) {
      return out;
    }
    for (const nlohmann::json& detail : body["details"]) {
      for (const nlohmann::json& v : detail.value("fieldViolations", nlohmann::json::array())) {
        out.push_back(v.value("field", "") + ": " + v.value("description", ""));
      }
    }
    return out;
  }
};

TEST_F(AssessmentsApiTest, AnyoneSignedInReadsTheInstrumentsWithTheirScoringRules) {
  HttpResponse listed = Rest().Get("/v1/instruments", TokenOf(kJoEmail));
  ASSERT_EQ(listed.status, 200) << listed.body;
  std::vector<std::string> ids;
  const nlohmann::json body = listed.Json();
  for (const nlohmann::json& instrument : body["instruments"]) {
    ids.push_back(instrument.value("id", ""));
  }
  EXPECT_THAT(ids,
              ElementsAre("phq-9", "gad-7", "fsfi", "pain-nrs-penetration", "pain-nrs-dilator"));

  HttpResponse fsfi = Rest().Get("/v1/instruments/fsfi", TokenOf(kSamEmail));
  ASSERT_EQ(fsfi.status, 200) << fsfi.body;
  const nlohmann::json instrument = fsfi.Json();
  EXPECT_EQ(instrument["items"].size(), 19u);
  ASSERT_EQ(instrument["domains"].size(), 6u);
  EXPECT_EQ(instrument["domains"][0].value("factor", ""), "0.6");
  EXPECT_EQ(instrument["domains"][0].value("minScore", ""), "1.2");
  EXPECT_EQ(instrument["cutOffs"][0].value("score", ""), "26.55");
  EXPECT_FALSE(instrument["cutOffs"][0].value("atOrAbove", false));
  EXPECT_THAT(instrument.value("licenceNote", ""), HasSubstr("fsfiquestionnaire.com"));
  EXPECT_EQ(instrument.value("minTotal", ""), "2");
  EXPECT_EQ(instrument.value("maxTotal", ""), "36");

  HttpResponse phq = Rest().Get("/v1/instruments/phq-9", TokenOf(kKimEmail));
  ASSERT_EQ(phq.status, 200) << phq.body;
  EXPECT_EQ(phq.Json()["items"][8].value("text", ""),
            "Thoughts that you would be better off dead or of hurting yourself in some way");
  EXPECT_THAT(phq.Json().value("licenceNote", ""), HasSubstr("No permission required"));

  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/instruments/bdi-ii", TokenOf(kSamEmail)), 404, kNotFound));
}

TEST_F(AssessmentsApiTest, PatientCompletesPhq9HerselfViaMe) {
  const std::string jo = TokenOf(kJoEmail);
  // 1+1+1+1+1+1+1+1+1 = 9: mild, below the cut-off; item 9 above 0 raises the safety flag.
  HttpResponse submitted =
      Submit("me", "phq-9", AnswersOf("phq9", {1, 1, 1, 1, 1, 1, 1, 1, 1}), jo);

  ASSERT_EQ(submitted.status, 200) << submitted.body;
  const nlohmann::json assessment = submitted.Json();
  const std::string id = assessment.value("id", "");
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(assessment.value("clientId", ""), kJoClientId);
  EXPECT_EQ(assessment.value("instrumentId", ""), "phq-9");
  EXPECT_EQ(assessment.value("instrumentVersion", ""), "1");
  EXPECT_EQ(assessment.value("mode", ""), "ADMINISTRATION_MODE_SELF_REPORT");
  EXPECT_EQ(assessment.value("administeredByUserId", ""), kJoUserId);
  EXPECT_EQ(assessment.value("administeredByRole", ""), "ROLE_PATIENT");
  EXPECT_FALSE(assessment.value("completeTime", "").empty());
  EXPECT_EQ(assessment["answers"].size(), 9u);
  EXPECT_EQ(ScoreField(assessment, "total"), "9");
  EXPECT_EQ(ScoreField(assessment, "severity"), "mild");
  EXPECT_FALSE(assessment["score"].contains("cutOffsMet"));
  ASSERT_EQ(assessment["score"]["flags"].size(), 1u);
  EXPECT_EQ(assessment["score"]["flags"][0].value("code", ""), "PHQ9_ITEM9_POSITIVE");
  // She is told what happens next in words meant for her, not the clinician's instruction.
  EXPECT_EQ(assessment["score"]["flags"][0].value("message", ""),
            "Thank you for answering honestly. Your care team will talk with you about this. If "
            "you are in danger now, call your local emergency number.");

  // She reads it back through `me`, and her care team through her id.
  HttpResponse mine = Rest().Get(AssessmentsPath("me") + "/" + id, jo);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json(), assessment);
  HttpResponse sams = Rest().Get(AssessmentsPath(kJoClientId) + "/" + id, TokenOf(kSamEmail));
  ASSERT_EQ(sams.status, 200) << sams.body;
  // Sam reads the same record with the clinical message under the same code.
  nlohmann::json clinical = sams.Json();
  EXPECT_EQ(clinical["score"]["flags"][0].value("code", ""), "PHQ9_ITEM9_POSITIVE");
  EXPECT_THAT(clinical["score"]["flags"][0].value("message", ""),
              HasSubstr("a clinician must follow up on safety today"));
  clinical["score"]["flags"][0]["message"] = assessment["score"]["flags"][0]["message"];
  EXPECT_EQ(clinical, assessment);
  // Another patient cannot read or write Jo's measures.
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Get(AssessmentsPath(kJoClientId) + "/" + id, TokenOf(kRileyEmail)), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(
      Submit(kJoClientId, "gad-7", AnswersOf("gad7", {0, 0, 0, 0, 0, 0, 0}), TokenOf(kRileyEmail)),
      404, kNotFound));
}

TEST_F(AssessmentsApiTest, ClinicianAdministersFsfiAndScoresMatchThePublishedRules) {
  const std::string client_id = NewClientOfSam();
  ASSERT_FALSE(client_id.empty());
  const std::string sam = TokenOf(kSamEmail);

  // desire (5+4) × 0.6 = 5.4; arousal 20 × 0.3 = 6; lubrication 20 × 0.3 = 6;
  // orgasm (3+3+2) × 0.4 = 3.2; satisfaction (3+3+3) × 0.4 = 3.6; pain (2+2+2) × 0.4 = 2.4;
  // total 26.6 > 26.55: the cut-off is not met.
  const nlohmann::json above =
      SubmitOk(client_id, "fsfi",
               AnswersOf("fsfi", {5, 4, 5, 5, 5, 5, 5, 5, 5, 5, 3, 3, 2, 3, 3, 3, 2, 2, 2}), sam);
  EXPECT_EQ(above.value("mode", ""), "ADMINISTRATION_MODE_CLINICIAN");
  EXPECT_EQ(above.value("administeredByUserId", ""), kSamUserId);
  EXPECT_EQ(above.value("administeredByRole", ""), "ROLE_CLINICIAN");
  EXPECT_EQ(ScoreField(above, "total"), "26.6");
  EXPECT_FALSE(above["score"].contains("cutOffsMet"));
  std::vector<std::string> domains;
  for (const nlohmann::json& domain : above["score"]["domains"]) {
    domains.push_back(domain.value("domainId", "") + "=" + domain.value("score", ""));
  }
  EXPECT_THAT(domains, ElementsAre("desire=5.4", "arousal=6", "lubrication=6", "orgasm=3.2",
                                   "satisfaction=3.6", "pain=2.4"));

  // desire 10 × 0.6 = 6; arousal 19 × 0.3 = 5.7; lubrication 6; orgasm 3.2; satisfaction
  // (3+3+2) × 0.4 = 3.2; pain 2.4; total 26.5 ≤ 26.55: at risk.
  const nlohmann::json below =
      SubmitOk(client_id, "fsfi",
               AnswersOf("fsfi", {5, 5, 5, 5, 5, 4, 5, 5, 5, 5, 3, 3, 2, 3, 3, 2, 2, 2, 2}), sam);
  EXPECT_EQ(ScoreField(below, "total"), "26.5");
  EXPECT_THAT(below["score"]["cutOffsMet"].get<std::vector<std::string>>(),
              ElementsAre("at risk of sexual dysfunction"));

  // An unanswered item leaves its domain and the full scale unscored, never counted as 0.
  std::vector<int> values(19, 3);
  values[11] = kSkip;
  const nlohmann::json missing = SubmitOk(client_id, "fsfi", AnswersOf("fsfi", values), sam);
  EXPECT_EQ(ScoreField(missing, "total"), "");
  EXPECT_THAT(missing["score"]["missingItemIds"].get<std::vector<std::string>>(),
              ElementsAre("fsfi.12"));
  EXPECT_FALSE(missing["score"]["domains"][3].contains("score"));

  // Pain on penetration 7: severe.
  const nlohmann::json pain =
      SubmitOk(client_id, "pain-nrs-penetration", AnswersOf("pain-nrs-penetration", {7}), sam);
  EXPECT_EQ(ScoreField(pain, "total"), "7");
  EXPECT_EQ(ScoreField(pain, "severity"), "severe");
}

TEST_F(AssessmentsApiTest, HistoryIsNewestFirstWithChangeFromThePreviousOfTheSameInstrument) {
  const std::string client_id = NewClientOfSam();
  ASSERT_FALSE(client_id.empty());
  const std::string sam = TokenOf(kSamEmail);
  // PHQ-9 15 (3+3+3+3+3), GAD-7 8, PHQ-9 10 (3+3+3+1), PHQ-9 unscored (3 missing), PHQ-9 7.
  const std::string a =
      SubmitOk(client_id, "phq-9", AnswersOf("phq9", {3, 3, 3, 3, 3, 0, 0, 0, 0}), sam)
          .value("id", "");
  const std::string b =
      SubmitOk(client_id, "gad-7", AnswersOf("gad7", {2, 2, 2, 2, 0, 0, 0}), sam).value("id", "");
  const std::string c =
      SubmitOk(client_id, "phq-9", AnswersOf("phq9", {3, 3, 3, 1, 0, 0, 0, 0, 0}), sam)
          .value("id", "");
  const std::string d =
      SubmitOk(client_id, "phq-9", AnswersOf("phq9", {3, 3, 3, 1, 0, 0, kSkip, kSkip, kSkip}), sam)
          .value("id", "");
  const std::string e =
      SubmitOk(client_id, "phq-9", AnswersOf("phq9", {3, 3, 1, 0, 0, 0, 0, 0, 0}), sam)
          .value("id", "");

  const nlohmann::json all = List(client_id, sam);
  std::vector<std::string> rows;
  for (const nlohmann::json& item : all["assessments"]) {
    rows.push_back(item.value("id", "") + " " + ScoreField(item, "total") + " " +
                   item.value("changeFromPrevious", ""));
  }
  // e: 7, previous PHQ-9 (d) has no total → no change; d: no total; c: 10 − 15 = −5;
  // b: first GAD-7; a: first PHQ-9.
  EXPECT_THAT(rows, ElementsAre(e + " 7 ", d + "  ", c + " 10 -5", b + " 8 ", a + " 15 "));

  // One per page: the change is the same across page boundaries.
  std::vector<std::string> paged;
  std::string token;
  do {
    const nlohmann::json page = List(
        client_id, sam,
        std::string("?pageSize=1") + (token.empty() ? "" : std::string("&pageToken=") + token));
    for (const nlohmann::json& item : page["assessments"]) {
      paged.push_back(item.value("id", "") + " " + ScoreField(item, "total") + " " +
                      item.value("changeFromPrevious", ""));
    }
    token = page.value("nextPageToken", "");
  } while (!token.empty() && paged.size() < 10);
  EXPECT_EQ(paged, rows);

  // Only PHQ-9, three per page: c's change still reaches back to a on the next page.
  const nlohmann::json first = List(client_id, sam, "?instrumentId=phq-9&pageSize=3");
  ASSERT_EQ(first["assessments"].size(), 3u);
  EXPECT_EQ(first["assessments"][2].value("id", ""), c);
  EXPECT_EQ(first["assessments"][2].value("changeFromPrevious", ""), "-5");
  const nlohmann::json second = List(
      client_id, sam,
      std::string("?instrumentId=phq-9&pageSize=3&pageToken=") + first.value("nextPageToken", ""));
  ASSERT_EQ(second["assessments"].size(), 1u);
  EXPECT_EQ(second["assessments"][0].value("id", ""), a);
  EXPECT_FALSE(second.contains("nextPageToken"));
  // A token of the PHQ-9 list is refused by the unfiltered list.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(AssessmentsPath(client_id) + std::string("?pageToken=") +
                                           first.value("nextPageToken", ""),
                                       sam),
                            400, kInvalidArgument));
}

TEST_F(AssessmentsApiTest, InvalidAnswersAreInvalidArgumentNamingTheAnswerAndItem) {
  const std::string sam = TokenOf(kSamEmail);
  // phq9.4 answered 4: not an option.
  HttpResponse out_of_range = Submit(kJoClientId, "phq-9", AnswersOf("phq9", {0, 1, 2, 4}), sam);
  EXPECT_TRUE(IsErrorAnswer(out_of_range, 400, kInvalidArgument));
  EXPECT_THAT(Violations(out_of_range),
              ElementsAre("answers[3].value: not one of the options of item phq9.4"));

  nlohmann::json unknown = AnswersOf("phq9", {0});
  unknown.push_back({{"itemId", "phq9.10"}, {"value", 0}});
  HttpResponse unknown_item = Submit(kJoClientId, "phq-9", unknown, sam);
  EXPECT_TRUE(IsErrorAnswer(unknown_item, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(unknown_item.Json()), ElementsAre("answers[1].item_id"));

  nlohmann::json twice = AnswersOf("gad7", {1, 1});
  twice.push_back({{"itemId", "gad7.2"}, {"value", 0}});
  HttpResponse duplicate = Submit(kJoClientId, "gad-7", twice, sam);
  EXPECT_TRUE(IsErrorAnswer(duplicate, 400, kInvalidArgument));
  EXPECT_THAT(Violations(duplicate),
              ElementsAre("answers[2].item_id: item gad7.2 is answered twice"));

  HttpResponse too_many =
      Submit(kJoClientId, "gad-7", AnswersOf("gad7", {0, 0, 0, 0, 0, 0, 0, 0}), sam);
  EXPECT_TRUE(IsErrorAnswer(too_many, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(too_many.Json()), ElementsAre("answers"));

  // Nothing answered is no administration, whatever the instrument.
  for (const char* instrument : {"pain-nrs-dilator", "phq-9"}) {
    HttpResponse unanswered = Submit(kJoClientId, instrument, nlohmann::json::array(), sam);
    EXPECT_TRUE(IsErrorAnswer(unanswered, 400, kInvalidArgument)) << instrument;
    EXPECT_THAT(Violations(unanswered), ElementsAre("answers: at least one item must be answered"))
        << instrument;
  }

  HttpResponse unknown_instrument = Submit(kJoClientId, "bdi-ii", AnswersOf("bdi", {0}), sam);
  EXPECT_TRUE(IsErrorAnswer(unknown_instrument, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(unknown_instrument.Json()), ElementsAre("instrument_id"));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(AssessmentsPath(kJoClientId) + "?instrumentId=bdi-ii", sam),
                            400, kInvalidArgument));
}

TEST_F(AssessmentsApiTest, ARetryWithTheSameRequestIdReturnsTheFirstResult) {
  const std::string client_id = NewClientOfSam();
  ASSERT_FALSE(client_id.empty());
  const std::string sam = TokenOf(kSamEmail);
  const std::string request_id = std::string("retry-") + Unique();
  const nlohmann::json answers = AnswersOf("gad7", {1, 1, 1, 1, 1, 1, 1});
  HttpResponse first = Submit(client_id, "gad-7", answers, sam, request_id);
  ASSERT_EQ(first.status, 200) << first.body;
  HttpResponse again = Submit(client_id, "gad-7", answers, sam, request_id);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json(), first.Json());
  EXPECT_EQ(List(client_id, sam)["assessments"].size(), 1u);
  // The same request id for another client, another instrument or from another submitter is
  // refused, not replayed.
  EXPECT_TRUE(
      IsErrorAnswer(Submit(kJoClientId, "gad-7", answers, sam, request_id), 409, kAlreadyExists));
  EXPECT_TRUE(IsErrorAnswer(Submit(client_id, "phq-9", AnswersOf("phq9", {1}), sam, request_id),
                            409, kAlreadyExists));
  EXPECT_TRUE(IsErrorAnswer(Submit("me", "gad-7", answers, TokenOf(kJoEmail), request_id), 409,
                            kAlreadyExists));
  EXPECT_EQ(List(client_id, sam)["assessments"].size(), 1u);
}

TEST_F(AssessmentsApiTest, AnotherClinicsClinicianFindsNothing) {
  const std::string jo_assessment = SubmitOk(kJoClientId, "pain-nrs-dilator",
                                             AnswersOf("pain-nrs-dilator", {3}), TokenOf(kSamEmail))
                                        .value("id", "");
  const std::string other = TokenOf(kOtherTherapistEmail);
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(AssessmentsPath(kJoClientId), other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(AssessmentsPath(kJoClientId) + "/" + jo_assessment, other),
                            404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(
      Submit(kJoClientId, "pain-nrs-dilator", AnswersOf("pain-nrs-dilator", {3}), other), 404,
      kNotFound));
  // An id of Jo's assessment under another client of the same clinic is not found either.
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Get(AssessmentsPath(kRileyClientId) + "/" + jo_assessment, TokenOf(kSamEmail)), 404,
      kNotFound));
}

TEST_F(AssessmentsApiTest, StoredRowHoldsNoPlaintextAnswersOrScore) {
  const std::string client_id = NewClientOfSam();
  ASSERT_FALSE(client_id.empty());
  const nlohmann::json stored = SubmitOk(
      client_id, "phq-9", AnswersOf("phq9", {2, 2, 2, 2, 2, 2, 2, 2, 2}), TokenOf(kSamEmail));
  const std::string id = stored.value("id", "");
  ASSERT_EQ(ScoreField(stored, "severity"), "moderately severe");

  // The same answers again: sealing is randomized, so the two ciphertexts differ.
  const std::string twin =
      SubmitOk(client_id, "phq-9", AnswersOf("phq9", {2, 2, 2, 2, 2, 2, 2, 2, 2}),
               TokenOf(kSamEmail))
          .value("id", "");

  const auto row_of = [](const std::string& assessment_id) {
    const std::vector<std::string> rows = Query(
        std::string(
            "SELECT id || '|' || clinic_id || '|' || client_id || '|' || instrument_id || '|' || "
            "instrument_version || '|' || mode || '|' || administered_by || '|' || role || '|' "
            "|| complete_time || '|' || request_id || '|' || content_sealed FROM assessments "
            "WHERE id = '") +
        assessment_id + "'");
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? std::string() : rows[0];
  };
  const std::string row = row_of(id);
  // The plain columns are what lists need; the answers and the score are sealed.
  EXPECT_THAT(row, HasSubstr(id + "|"));
  EXPECT_THAT(row, HasSubstr(std::string("|phq-9|1|2|") + kSamUserId + "|"));
  // content_sealed is "v1.<key id>.<base64url of nonce, ciphertext, tag>": the markers would
  // show in the decoded bytes if the serialized answers were stored unencrypted.
  const std::string sealed = row.substr(row.rfind('|') + 1);
  ASSERT_EQ(sealed.rfind("v1.", 0), 0u) << "unexpected sealed format";
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(sealed.substr(sealed.rfind('.') + 1), &payload));
  EXPECT_GT(payload.size(), 28u);  // nonce (12) + tag (16) + the serialized content
  for (const char* plaintext : {"phq9.", "moderately severe", "PHQ9_ITEM9"}) {
    EXPECT_THAT(payload, Not(HasSubstr(plaintext))) << plaintext;
    EXPECT_THAT(row, Not(HasSubstr(plaintext))) << plaintext;
  }
  const std::string twin_row = row_of(twin);
  EXPECT_NE(twin_row.substr(twin_row.rfind('|') + 1), sealed);
}

TEST_F(AssessmentsApiTest, PartnerWithTheAssessmentsShareSeesTotalsOnly) {
  const std::string jo = TokenOf(kJoEmail);
  const std::string kim = TokenOf(kKimEmail);
  const std::string id =
      SubmitOk("me", "phq-9", AnswersOf("phq9", {3, 3, 3, 1, 0, 0, 0, 0, 1}), jo).value("id", "");
  ASSERT_FALSE(id.empty());
  // Kim (Jo's partner) has only the plan-summary share in the demo: no assessments.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(AssessmentsPath(kJoClientId), kim), 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(AssessmentsPath(kJoClientId) + "/" + id, kim), 403,
                            kPermissionDenied));

  // Jo (who consented to partner involvement in the demo) shares her assessments with Kim.
  const std::string shares_path =
      std::string("/v1/clients/me/partners/") + kKimPartnerLinkId + ":updateShares";
  HttpResponse shared = Rest().Post(
      shares_path, {{"shares", {"PARTNER_SHARE_PLAN_SUMMARY", "PARTNER_SHARE_ASSESSMENTS"}}}, jo);
  ASSERT_EQ(shared.status, 200) << shared.body;

  HttpResponse read = Rest().Get(AssessmentsPath(kJoClientId) + "/" + id, kim);
  HttpResponse listed = Rest().Get(AssessmentsPath(kJoClientId), kim);
  // Put the demo's shares back before asserting, so a failure leaves the suite as it was.
  HttpResponse restored =
      Rest().Post(shares_path, {{"shares", {"PARTNER_SHARE_PLAN_SUMMARY"}}}, jo);
  ASSERT_EQ(restored.status, 200) << restored.body;

  ASSERT_EQ(read.status, 200) << read.body;
  const nlohmann::json summary = read.Json();
  // 3+3+3+1+0+0+0+0+1 = 11: moderate, meets the cut-off.
  EXPECT_EQ(summary.value("instrumentId", ""), "phq-9");
  EXPECT_FALSE(summary.value("completeTime", "").empty());
  EXPECT_EQ(ScoreField(summary, "total"), "11");
  EXPECT_EQ(ScoreField(summary, "severity"), "moderate");
  EXPECT_THAT(summary["score"]["cutOffsMet"].get<std::vector<std::string>>(),
              ElementsAre("possible major depression: further assessment"));
  // Never her answers, the safety flag (item 9 was answered 1), domains or missing items.
  EXPECT_FALSE(summary.contains("answers")) << summary.dump();
  EXPECT_FALSE(summary["score"].contains("flags")) << summary.dump();
  EXPECT_FALSE(summary["score"].contains("domains")) << summary.dump();
  EXPECT_FALSE(summary["score"].contains("missingItemIds")) << summary.dump();
  EXPECT_THAT(read.body, Not(HasSubstr("phq9.")));
  EXPECT_THAT(read.body, Not(HasSubstr("PHQ9_ITEM9")));

  ASSERT_EQ(listed.status, 200) << listed.body;
  const nlohmann::json listed_json = listed.Json();
  ASSERT_FALSE(listed_json["assessments"].empty());
  for (const nlohmann::json& item : listed_json["assessments"]) {
    EXPECT_FALSE(item.contains("answers"));
    EXPECT_FALSE(item["score"].contains("flags"));
    EXPECT_FALSE(item["score"].contains("domains"));
  }
  EXPECT_THAT(listed.body, Not(HasSubstr("PHQ9_ITEM9")));

  // With the share gone again, so is her access.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(AssessmentsPath(kJoClientId), kim), 403, kPermissionDenied));
}

TEST_F(AssessmentsApiTest, SubmitOverGrpcReadsTheSameOverRest) {
  const std::string client_id = NewClientOfSam();
  ASSERT_FALSE(client_id.empty());
  const std::string sam = TokenOf(kSamEmail);
  std::unique_ptr<v1::AssessmentService::Stub> stub = v1::AssessmentService::NewStub(channel());
  v1::SubmitAssessmentRequest request;
  request.set_client_id(client_id);
  request.set_instrument_id("gad-7");
  // 3+3+3+3+3+0 over 6 answered (gad7.7 missing): 15 × 7 / 6 = 17.5 → 18, prorated, severe.
  for (int i = 1; i <= 6; ++i) {
    v1::Answer* answer = request.add_answers();
    answer->set_item_id(std::string("gad7.") + std::to_string(i));
    answer->set_value(i <= 5 ? 3 : 0);
  }
  v1::Assessment response;
  grpc::Status status = stub->SubmitAssessment(Context(sam).get(), request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.score().total(), "18");
  EXPECT_TRUE(response.score().prorated());
  EXPECT_EQ(response.score().severity(), "severe");
  EXPECT_THAT(response.score().missing_item_ids(), ElementsAre("gad7.7"));

  HttpResponse read = Rest().Get(AssessmentsPath(client_id) + "/" + response.id(), sam);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(ScoreField(read.Json(), "total"), "18");
  EXPECT_TRUE(read.Json()["score"].value("prorated", false));

  // A bad answer over gRPC is INVALID_ARGUMENT too.
  request.mutable_answers(0)->set_value(9);
  v1::Assessment refused;
  status = stub->SubmitAssessment(Context(sam).get(), request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("answers[0].value"));
}

}  // namespace
}  // namespace confide::api_test
