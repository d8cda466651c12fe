// IntakeService's own rules over the in-memory database with the real envelope cipher: etags,
// who may change the intake in which status, what a patient reads, and that only sealed text
// is stored. Access itself is the pipeline's (authorization_matrix_test.cc).

#include "services/intake/intake_service.h"

#include <string>

#include "absl/strings/match.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_secret_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"
#include "tests/unit/services/intake/intake_test_support.h"

namespace confide {
namespace {

using google::protobuf::util::MessageDifferencer;
using intake_test::FullAnswers;
using intake_test::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "client-jo";

class IntakeServiceTest : public ::testing::Test {
 protected:
  IntakeServiceTest()
      : master_(std::string(32, 'm')),
        cipher_(master_, random_, clock_),
        service_(cipher_),
        uow_(InMemoryDatabase{}) {
    patient_ = Principal{.user_id = "jo-user",
                         .clinic_id = kClinic,
                         .role = v1::ROLE_PATIENT,
                         .client_id = kJo,
                         .session_id = "s1"};
    clinician_ = Principal{.user_id = "sam",
                           .clinic_id = kClinic,
                           .role = v1::ROLE_CLINICIAN,
                           .session_id = "s2",
                           .mfa_verified = true};
  }

  // Runs `call` as `who` on Jo's intake; the audit event's resource is kept for checks.
  template <typename Call>
  auto As(const Principal& who, Call call) {
    AuditEvent audit;
    RequestScope scope{.principal = &who,
                       .uow = uow_,
                       .call = call_,
                       .client_id = kJo,
                       .audit = audit,
                       .now = clock_.Now()};
    clock_.Advance(absl::Seconds(1));
    auto result = call(scope);
    last_resource_ = audit.resource;
    return result;
  }

  absl::StatusOr<v1::Intake> Get(const Principal& who) {
    return As(who, [&](RequestScope& s) { return service_.Get(v1::GetIntakeRequest(), s); });
  }
  absl::StatusOr<v1::Intake> Update(const Principal& who, const v1::Intake& answers,
                                    std::string etag,
                                    std::vector<std::string> paths = {
                                        "presenting_problem", "trauma_history", "anxiety",
                                        "medical_history", "prior_treatments", "relationship",
                                        "hopes", "preferred_name", "pronouns"}) {
    v1::UpdateIntakeRequest request;
    *request.mutable_intake() = answers;
    request.mutable_intake()->set_client_id(kJo);
    request.mutable_intake()->set_etag(etag);
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return As(who, [&](RequestScope& s) { return service_.Update(request, s); });
  }
  absl::StatusOr<v1::Intake> Submit(const Principal& who, std::string etag) {
    v1::SubmitIntakeRequest request;
    request.set_client_id(kJo);
    request.set_etag(etag);
    return As(who, [&](RequestScope& s) { return service_.Submit(request, s); });
  }
  absl::StatusOr<v1::Intake> Review(const Principal& who, std::string etag) {
    v1::ReviewIntakeRequest request;
    request.set_client_id(kJo);
    request.set_etag(etag);
    request.set_clinician_summary("Primary vaginismus, high fear of pain.");
    return As(who, [&](RequestScope& s) { return service_.Review(request, s); });
  }

  // Draft saved and submitted by the patient; returns the submitted intake.
  v1::Intake Submitted() {
    absl::StatusOr<v1::Intake> saved = Update(patient_, FullAnswers(), "v0");
    EXPECT_TRUE(saved.ok()) << saved.status();
    absl::StatusOr<v1::Intake> submitted = Submit(patient_, saved->etag());
    EXPECT_TRUE(submitted.ok()) << submitted.status();
    return *submitted;
  }

  AesGcmSecretBox master_;
  FakeSecretGenerator random_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  EnvelopeClientDataCipher cipher_;
  IntakeService service_;
  InMemoryUnitOfWork uow_;
  CallContext call_;
  Principal patient_;
  Principal clinician_;
  std::string last_resource_;
};

TEST_F(IntakeServiceTest, ReadingWithoutAnIntakeGivesAFreshDraftAndWritesNothing) {
  absl::StatusOr<v1::Intake> intake = Get(patient_);
  ASSERT_TRUE(intake.ok()) << intake.status();
  EXPECT_EQ(intake->client_id(), kJo);
  EXPECT_EQ(intake->status(), v1::INTAKE_STATUS_DRAFT);
  EXPECT_EQ(intake->etag(), "v0");
  EXPECT_FALSE(intake->has_create_time());
  EXPECT_TRUE(uow_.state().intakes.empty());
  EXPECT_TRUE(uow_.state().client_data_keys.empty());
  EXPECT_EQ(last_resource_, "clients/client-jo/intake");
}

TEST_F(IntakeServiceTest, FirstSaveWithV0CreatesItAndEveryAnswerReadsBack) {
  absl::StatusOr<v1::Intake> saved = Update(patient_, FullAnswers(), "v0");
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->etag(), "v1");
  absl::StatusOr<v1::Intake> read = Get(patient_);
  ASSERT_TRUE(read.ok()) << read.status();
  v1::Intake answers = *read;
  for (int field : {1, 2, 16, 17, 18}) {
    answers.GetReflection()->ClearField(&answers,
                                        answers.GetDescriptor()->FindFieldByNumber(field));
  }
  EXPECT_TRUE(MessageDifferencer::Equals(answers, FullAnswers())) << answers.DebugString();
  EXPECT_EQ(read->create_time().seconds(), read->update_time().seconds());
}

TEST_F(IntakeServiceTest, StoredRowHoldsNoAnswerText) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  const IntakeRecord& row = uow_.state().intakes.at(kJo);
  EXPECT_FALSE(absl::StrContains(row.answers_sealed, "tampon"));
  EXPECT_FALSE(absl::StrContains(row.answers_sealed, "Something I would like"));
  EXPECT_EQ(row.clinician_summary_sealed, "");
  EXPECT_EQ(row.clinic_id, kClinic);
}

TEST_F(IntakeServiceTest, MaskChangesOnlyTheNamedFields) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  v1::Intake change;
  change.set_hopes("New hopes.");
  change.set_pronouns("ignored: not in the mask");
  absl::StatusOr<v1::Intake> saved = Update(patient_, change, "v1", {"hopes"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->hopes(), "New hopes.");
  EXPECT_EQ(saved->pronouns(), "she/her");
  EXPECT_EQ(saved->presenting_problem().conditions_size(), 2);
}

TEST_F(IntakeServiceTest, StaleEtagIsAborted) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  EXPECT_EQ(Update(patient_, FullAnswers(), "v0").status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Update(patient_, FullAnswers(), "v7").status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Submit(patient_, "v0").status().code(), absl::StatusCode::kAborted);
}

TEST_F(IntakeServiceTest, InvalidMergedAnswersNameTheRequestPath) {
  v1::Intake bad = FullAnswers();
  bad.mutable_presenting_problem()->mutable_situations(1)->set_pain_rating(12);
  bad.mutable_presenting_problem()->mutable_situations(1)->set_outcome(
      v1::SITUATION_OUTCOME_POSSIBLE_WITH_PAIN);
  const absl::Status status = Update(patient_, bad, "v0").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("intake.presenting_problem.situations[1].pain_rating"));
  EXPECT_TRUE(uow_.state().intakes.empty());
}

TEST_F(IntakeServiceTest, SubmitNeedsAPainCondition) {
  v1::Intake no_condition;
  no_condition.set_hopes("Only hopes so far.");
  ASSERT_TRUE(Update(patient_, no_condition, "v0", {"hopes"}).ok());
  const absl::Status status = Submit(patient_, "v1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("presenting_problem.conditions"));
}

TEST_F(IntakeServiceTest, PatientCannotEditAfterSubmitButTheCareTeamCan) {
  const v1::Intake submitted = Submitted();
  EXPECT_EQ(submitted.status(), v1::INTAKE_STATUS_SUBMITTED);
  EXPECT_TRUE(submitted.has_submit_time());
  const absl::Status refused = Update(patient_, FullAnswers(), submitted.etag()).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("care team"));
  v1::Intake change;
  change.set_preferred_name("Joanna");
  absl::StatusOr<v1::Intake> edited =
      Update(clinician_, change, submitted.etag(), {"preferred_name"});
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->status(), v1::INTAKE_STATUS_SUBMITTED);
  EXPECT_EQ(edited->preferred_name(), "Joanna");
  EXPECT_EQ(Submit(patient_, edited->etag()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(IntakeServiceTest, ReviewLocksTheIntakeAndHidesTheSummaryFromThePatient) {
  const v1::Intake submitted = Submitted();
  absl::StatusOr<v1::Intake> reviewed = Review(clinician_, submitted.etag());
  ASSERT_TRUE(reviewed.ok()) << reviewed.status();
  EXPECT_EQ(reviewed->status(), v1::INTAKE_STATUS_REVIEWED);
  EXPECT_EQ(reviewed->clinician_summary(), "Primary vaginismus, high fear of pain.");
  EXPECT_EQ(reviewed->reviewed_by_user_id(), "sam");
  EXPECT_TRUE(reviewed->has_review_time());

  absl::StatusOr<v1::Intake> patient_view = Get(patient_);
  ASSERT_TRUE(patient_view.ok());
  EXPECT_EQ(patient_view->status(), v1::INTAKE_STATUS_REVIEWED);
  EXPECT_EQ(patient_view->clinician_summary(), "");
  EXPECT_EQ(patient_view->reviewed_by_user_id(), "");
  absl::StatusOr<v1::Intake> clinician_view = Get(clinician_);
  ASSERT_TRUE(clinician_view.ok());
  EXPECT_EQ(clinician_view->clinician_summary(), "Primary vaginismus, high fear of pain.");

  const IntakeRecord& row = uow_.state().intakes.at(kJo);
  EXPECT_FALSE(absl::StrContains(row.clinician_summary_sealed, "vaginismus"));
  EXPECT_NE(row.clinician_summary_sealed, "");

  for (const Principal* who : {&patient_, &clinician_}) {
    EXPECT_EQ(Update(*who, FullAnswers(), reviewed->etag()).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_EQ(Review(clinician_, reviewed->etag()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(IntakeServiceTest, ADraftCannotBeReviewed) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  EXPECT_EQ(Review(clinician_, "v1").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(IntakeServiceTest, OutputOnlyFieldsInTheRequestAreNeverStored) {
  v1::Intake answers = FullAnswers();
  answers.set_clinician_summary("smuggled");
  answers.set_status(v1::INTAKE_STATUS_REVIEWED);
  absl::StatusOr<v1::Intake> saved = Update(patient_, answers, "v0");
  ASSERT_TRUE(saved.ok()) << saved.status();
  absl::StatusOr<v1::Intake> read = Get(clinician_);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->clinician_summary(), "");
  EXPECT_EQ(read->status(), v1::INTAKE_STATUS_DRAFT);
}

}  // namespace
}  // namespace confide
