// AssessmentService's own rules over the in-memory database with the real envelope cipher:
// administration mode, request-id replay, the change between administrations across pages,
// and that only sealed content is stored. Access itself is the pipeline's
// (authorization_matrix_test.cc); scoring is the engine's (the *_scoring_test.cc files).

#include "services/assessments/assessment_service.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/assessments/instruments/instruments.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/unit/services/assessments/scoring_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::AnswersOf;
using testing_support::kSkip;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "client-jo";
constexpr char kRiley[] = "client-riley";

class AssessmentServiceTest : public ClinicalServiceTest {
 protected:
  AssessmentServiceTest()
      : ClinicalServiceTest(absl::FromUnixSeconds(1'760'000'000), InMemoryDatabase{}, kClinic, kJo),
        service_(ids_, cipher_) {}

  absl::StatusOr<v1::Assessment> Submit(const Principal& who, const std::string& client_id,
                                        const std::string& instrument_id, const std::string& prefix,
                                        const std::vector<int>& values,
                                        const std::string& request_id = "") {
    v1::SubmitAssessmentRequest request;
    request.set_client_id(client_id);
    request.set_instrument_id(instrument_id);
    *request.mutable_answers() = AnswersOf(prefix, values);
    request.set_request_id(request_id);
    return As(who, client_id, [&](RequestScope& s) { return service_.Submit(request, s); });
  }

  absl::StatusOr<v1::ListAssessmentsResponse> List(const std::string& instrument_id, int page_size,
                                                   const std::string& token) {
    v1::ListAssessmentsRequest request;
    request.set_client_id(kJo);
    request.set_instrument_id(instrument_id);
    request.set_page_size(page_size);
    request.set_page_token(token);
    return As(clinician_, kJo, [&](RequestScope& s) { return service_.List(request, s); });
  }

  // "<total>/<change>" of every administration, following page tokens.
  std::vector<std::string> History(const std::string& instrument_id, int page_size) {
    std::vector<std::string> rows;
    std::string token;
    do {
      absl::StatusOr<v1::ListAssessmentsResponse> page = List(instrument_id, page_size, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) {
        break;
      }
      for (const v1::Assessment& assessment : page->assessments()) {
        rows.push_back(assessment.score().total() + "/" + assessment.change_from_previous());
      }
      token = page->next_page_token();
    } while (!token.empty() && rows.size() < 50);
    return rows;
  }

  FakeIdGenerator ids_{"assessment"};
  AssessmentService service_;
};

TEST_F(AssessmentServiceTest, PatientSubmissionIsSelfReportAndStaffIsClinician) {
  absl::StatusOr<v1::Assessment> mine =
      Submit(patient_, kJo, "pain-nrs-dilator", "pain-nrs-dilator", {4});
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(mine->mode(), v1::ADMINISTRATION_MODE_SELF_REPORT);
  EXPECT_EQ(mine->administered_by_user_id(), "jo-user");
  EXPECT_EQ(mine->administered_by_role(), v1::ROLE_PATIENT);
  EXPECT_EQ(mine->score().severity(), "moderate");
  EXPECT_EQ(last_resource_, std::string("clients/client-jo/assessments/") + mine->id());

  absl::StatusOr<v1::Assessment> sams =
      Submit(clinician_, kJo, "pain-nrs-dilator", "pain-nrs-dilator", {2});
  ASSERT_TRUE(sams.ok()) << sams.status();
  EXPECT_EQ(sams->mode(), v1::ADMINISTRATION_MODE_CLINICIAN);
  EXPECT_EQ(sams->administered_by_role(), v1::ROLE_CLINICIAN);
  EXPECT_EQ(sams->instrument_version(), "1");
}

// A clinician-only instrument (none ships today) is refused to a patient.
TEST_F(AssessmentServiceTest, PatientCannotCompleteAClinicianAdministeredInstrument) {
  InstrumentDefinition clinician_only = instruments::PainNrsDilator();
  clinician_only.instrument.set_self_report(false);
  AssessmentService service(ids_, cipher_, InstrumentCatalogue({clinician_only}));
  v1::SubmitAssessmentRequest request;
  request.set_instrument_id("pain-nrs-dilator");
  *request.mutable_answers() = AnswersOf("pain-nrs-dilator", {1});
  EXPECT_EQ(As(patient_, kJo, [&](RequestScope& s) { return service.Submit(request, s); })
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      As(clinician_, kJo, [&](RequestScope& s) { return service.Submit(request, s); }).ok());
}

TEST_F(AssessmentServiceTest, RetryWithTheSameRequestIdReplaysOnlyForTheSameClient) {
  absl::StatusOr<v1::Assessment> first =
      Submit(clinician_, kJo, "gad-7", "gad7", {1, 1, 1, 1, 1, 1, 1}, "retry-1");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Assessment> again =
      Submit(clinician_, kJo, "gad-7", "gad7", {3, 3, 3, 3, 3, 3, 3}, "retry-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  EXPECT_EQ(again->score().total(), "7");
  EXPECT_EQ(uow_.state().assessments.size(), 1u);
  EXPECT_EQ(Submit(clinician_, kRiley, "gad-7", "gad7", {0}, "retry-1").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(AssessmentServiceTest, RequestIdReusedByAnotherSubmitterOrForAnotherInstrumentIsRefused) {
  ASSERT_TRUE(Submit(clinician_, kJo, "gad-7", "gad7", {1, 1, 1, 1, 1, 1, 1}, "retry-2").ok());
  Principal other_clinician = clinician_;
  other_clinician.user_id = "alex";
  // Another submitter, same client and instrument: not a retry of Sam's request.
  absl::StatusOr<v1::Assessment> by_alex =
      Submit(other_clinician, kJo, "gad-7", "gad7", {1, 1, 1, 1, 1, 1, 1}, "retry-2");
  EXPECT_EQ(by_alex.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(by_alex.status().message(), "request_id was already used for another request");
  // The same submitter and client, another instrument: not a retry either.
  EXPECT_EQ(Submit(clinician_, kJo, "phq-9", "phq9", {0}, "retry-2").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(uow_.state().assessments.size(), 1u);
}

TEST_F(AssessmentServiceTest, UnknownInstrumentIsInvalidArgumentOnInstrumentId) {
  absl::StatusOr<v1::Assessment> refused = Submit(clinician_, kJo, "bdi-ii", "bdi", {0});
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  const google::rpc::BadRequest details = testing_support::BadRequestOf(refused.status());
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "instrument_id");
}

TEST_F(AssessmentServiceTest, PatientReadsPatientWordingAndTheClinicianTheClinicalMessage) {
  absl::StatusOr<v1::Assessment> mine =
      Submit(patient_, kJo, "phq-9", "phq9", {0, 0, 0, 0, 0, 0, 0, 0, 2});
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->score().flags_size(), 1);
  EXPECT_EQ(mine->score().flags(0).code(), "PHQ9_ITEM9_POSITIVE");
  EXPECT_EQ(mine->score().flags(0).message(),
            "Thank you for answering honestly. Your care team will talk with you about this. If "
            "you are in danger now, call your local emergency number.");

  v1::GetAssessmentRequest get;
  get.set_client_id(kJo);
  get.set_assessment_id(mine->id());
  absl::StatusOr<v1::Assessment> read_by_her =
      As(patient_, kJo, [&](RequestScope& s) { return service_.Get(get, s); });
  ASSERT_TRUE(read_by_her.ok()) << read_by_her.status();
  EXPECT_EQ(read_by_her->SerializeAsString(), mine->SerializeAsString());
  absl::StatusOr<v1::Assessment> read_by_sam =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.Get(get, s); });
  ASSERT_TRUE(read_by_sam.ok()) << read_by_sam.status();
  ASSERT_EQ(read_by_sam->score().flags_size(), 1);
  EXPECT_EQ(read_by_sam->score().flags(0).code(), "PHQ9_ITEM9_POSITIVE");
  EXPECT_THAT(read_by_sam->score().flags(0).message(),
              HasSubstr("a clinician must follow up on safety today"));
  // Her own list carries her wording too.
  v1::ListAssessmentsRequest list;
  list.set_client_id(kJo);
  absl::StatusOr<v1::ListAssessmentsResponse> listed =
      As(patient_, kJo, [&](RequestScope& s) { return service_.List(list, s); });
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->assessments_size(), 1);
  EXPECT_EQ(listed->assessments(0).score().flags(0).message(), mine->score().flags(0).message());
}

TEST_F(AssessmentServiceTest, PartnerSeesOnlyTotalsSeverityCutOffsAndChange) {
  ASSERT_TRUE(Submit(patient_, kJo, "phq-9", "phq9", {3, 3, 3, 3, 3, 0, 0, 0, 0}).ok());
  absl::StatusOr<v1::Assessment> second =
      Submit(patient_, kJo, "phq-9", "phq9", {3, 3, 3, 3, 0, 0, 0, 0, 1});
  ASSERT_TRUE(second.ok()) << second.status();
  const Principal partner{.user_id = "kim",
                          .clinic_id = kClinic,
                          .role = v1::ROLE_PARTNER,
                          .client_id = kJo,
                          .session_id = "s3"};
  v1::ListAssessmentsRequest list;
  list.set_client_id(kJo);
  absl::StatusOr<v1::ListAssessmentsResponse> listed =
      As(partner, kJo, [&](RequestScope& s) { return service_.List(list, s); });
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->assessments_size(), 2);
  const v1::Assessment& newest = listed->assessments(0);
  EXPECT_EQ(newest.instrument_id(), "phq-9");
  EXPECT_TRUE(newest.has_complete_time());
  EXPECT_EQ(newest.score().total(), "13");
  EXPECT_EQ(newest.score().severity(), "moderate");
  EXPECT_THAT(newest.score().cut_offs_met(),
              ElementsAre("possible major depression: further assessment"));
  EXPECT_EQ(newest.change_from_previous(), "-2");
  EXPECT_EQ(newest.answers_size(), 0);
  EXPECT_EQ(newest.score().flags_size(), 0);
  EXPECT_EQ(newest.score().domains_size(), 0);
  EXPECT_EQ(newest.score().missing_item_ids_size(), 0);
  EXPECT_EQ(newest.administered_by_user_id(), "");

  v1::GetAssessmentRequest get;
  get.set_client_id(kJo);
  get.set_assessment_id(second->id());
  absl::StatusOr<v1::Assessment> read =
      As(partner, kJo, [&](RequestScope& s) { return service_.Get(get, s); });
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->score().total(), "13");
  EXPECT_EQ(read->answers_size(), 0);
  EXPECT_EQ(read->score().flags_size(), 0);
}

TEST_F(AssessmentServiceTest, RefusedAnswersStoreNothing) {
  absl::StatusOr<v1::Assessment> refused = Submit(clinician_, kJo, "phq-9", "phq9", {0, 4});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("answers[1].value"));
  EXPECT_TRUE(uow_.state().assessments.empty());
}

TEST_F(AssessmentServiceTest, ChangeFromPreviousIsTheSameOnEveryPageSize) {
  // PHQ-9 totals in submission order: 15, (GAD-7 8), 10, none (3 missing), 7, 12.
  ASSERT_TRUE(Submit(clinician_, kJo, "phq-9", "phq9", {3, 3, 3, 3, 3, 0, 0, 0, 0}).ok());
  ASSERT_TRUE(Submit(clinician_, kJo, "gad-7", "gad7", {2, 2, 2, 2, 0, 0, 0}).ok());
  ASSERT_TRUE(Submit(clinician_, kJo, "phq-9", "phq9", {3, 3, 3, 1, 0, 0, 0, 0, 0}).ok());
  ASSERT_TRUE(
      Submit(clinician_, kJo, "phq-9", "phq9", {3, 3, 3, 1, 0, 0, kSkip, kSkip, kSkip}).ok());
  ASSERT_TRUE(Submit(clinician_, kJo, "phq-9", "phq9", {3, 3, 1, 0, 0, 0, 0, 0, 0}).ok());
  ASSERT_TRUE(Submit(clinician_, kJo, "phq-9", "phq9", {3, 3, 3, 3, 0, 0, 0, 0, 0}).ok());
  // Newest first: 12 − 7 = 5; 7 after an unscored one: none; unscored: none; 10 − 15 = −5;
  // GAD-7 first: none; PHQ-9 first: none.
  const std::vector<std::string> expected = {"12/5", "7/", "/", "10/-5", "8/", "15/"};
  for (int page_size : {1, 2, 3, 50}) {
    EXPECT_EQ(History("", page_size), expected) << page_size;
  }
  EXPECT_THAT(History("phq-9", 1), ElementsAre("12/5", "7/", "/", "10/-5", "15/"));
  EXPECT_THAT(History("gad-7", 1), ElementsAre("8/"));
}

TEST_F(AssessmentServiceTest, StoredRowHoldsOnlySealedAnswersAndScore) {
  absl::StatusOr<v1::Assessment> stored =
      Submit(patient_, kJo, "phq-9", "phq9", {1, 1, 1, 1, 1, 1, 1, 1, 1}, "r-7");
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(uow_.state().assessments.size(), 1u);
  const AssessmentRecord& row = uow_.state().assessments.begin()->second;
  EXPECT_EQ(row.instrument_id, "phq-9");
  EXPECT_EQ(row.request_id, "r-7");
  EXPECT_THAT(row.content_sealed, Not(HasSubstr("phq9.")));
  EXPECT_THAT(row.content_sealed, Not(HasSubstr("PHQ9_ITEM9")));
  EXPECT_THAT(row.content_sealed, Not(HasSubstr("mild")));

  v1::GetAssessmentRequest get;
  get.set_client_id(kJo);
  get.set_assessment_id(stored->id());
  // She reads back exactly what her submit returned (both shaped for her).
  absl::StatusOr<v1::Assessment> read =
      As(patient_, kJo, [&](RequestScope& s) { return service_.Get(get, s); });
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), stored->SerializeAsString());
  // Under another client's id the same assessment does not exist.
  EXPECT_EQ(
      As(clinician_, kRiley, [&](RequestScope& s) { return service_.Get(get, s); }).status().code(),
      absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace confide
