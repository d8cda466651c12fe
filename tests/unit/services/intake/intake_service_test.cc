// IntakeService's own rules over the in-memory database with the real envelope cipher: etags,
// who may change the intake in which status, what a patient reads, and that only sealed text
// is stored. Access itself is the pipeline's (authorization_matrix_test.cc).

#include "services/intake/intake_service.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/unit/services/intake/intake_test_support.h"

namespace confide {
namespace {

google::protobuf::UnknownFieldSet& UnknownOf(google::protobuf::Message* message) {
  return *message->GetReflection()->MutableUnknownFields(message);
}
bool HasUnknownFields(const google::protobuf::Message& message) {
  return !message.GetReflection()->GetUnknownFields(message).empty();
}

using google::protobuf::util::MessageDifferencer;
using intake_test::FullAnswers;
using intake_test::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "client-jo";

// The real cipher, watched: which columns were opened, and (when asked) another writer's save
// landing just before this call seals and writes its own (a race between read and write).
class WatchedCipher final : public ClientDataCipher {
 public:
  explicit WatchedCipher(ClientDataCipher& real) : real_(real) {}

  absl::StatusOr<std::string> Seal(UnitOfWork& uow, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view plaintext) override {
    if (before_seal_) {
      std::function<void()> once = std::move(before_seal_);
      before_seal_ = nullptr;
      once();
    }
    return real_.Seal(uow, clinic_id, client_id, where, plaintext);
  }
  absl::StatusOr<std::string> Open(UnitOfWork& uow, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view sealed) override {
    opened_columns_.push_back(std::string(where.column));
    return real_.Open(uow, clinic_id, client_id, where, sealed);
  }

  std::vector<std::string> opened_columns_;
  std::function<void()> before_seal_;

 private:
  ClientDataCipher& real_;
};

class IntakeServiceTest : public ClinicalServiceTest {
 protected:
  IntakeServiceTest()
      : ClinicalServiceTest(absl::FromUnixSeconds(1'800'000'000), Seeded(), kClinic, kJo),
        watched_(cipher_),
        service_(watched_) {}

  // Jo's client record (the pipeline has found it before any handler runs).
  static InMemoryDatabase Seeded() {
    InMemoryDatabase db;
    ClientRecord jo{.clinic_id = kClinic};
    jo.client.set_id(kJo);
    jo.client.set_status(v1::CLIENT_STATUS_ACTIVE);
    db.clients.emplace(kJo, jo);
    return db;
  }

  // The answers as stored: the sealed column opened and parsed.
  v1::Intake StoredAnswers() {
    const IntakeRecord& row = uow_.state().intakes.at(kJo);
    absl::StatusOr<std::string> opened =
        cipher_.Open(uow_, kClinic, kJo,
                     FieldLocation{.table = "intakes", .column = "answers_sealed", .row_id = kJo},
                     row.answers_sealed);
    EXPECT_TRUE(opened.ok()) << opened.status();
    v1::Intake stored;
    EXPECT_TRUE(stored.ParseFromString(opened.value_or("")));
    return stored;
  }

  // Runs `call` as `who` on Jo's intake; the audit event's resource is kept for checks.
  template <typename Call>
  auto As(const Principal& who, Call call) {
    return ClinicalServiceTest::As(who, kJo, call);
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

  WatchedCipher watched_;
  IntakeService service_;
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
  // The stored intake is not ready (nothing in this request is wrong): a precondition.
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("intake.presenting_problem.conditions"));
  EXPECT_EQ(uow_.state().intakes.at(kJo).status, v1::INTAKE_STATUS_DRAFT);
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

// What is sealed is looked at directly: Present() overwrites output fields on the way out, so
// reading through Get could not see a smuggled value even if it were stored.
TEST_F(IntakeServiceTest, OutputOnlyAndUnknownFieldsInTheRequestAreNeverStored) {
  v1::Intake answers = FullAnswers();
  answers.set_clinician_summary("smuggled");
  answers.set_status(v1::INTAKE_STATUS_REVIEWED);
  answers.set_reviewed_by_user_id("mallory");
  // Fields this server does not know, as a newer (or hostile) client would send them, inside
  // masked messages where the merge copies them along.
  UnknownOf(answers.mutable_presenting_problem()).AddLengthDelimited(999, "hidden text");
  UnknownOf(answers.mutable_presenting_problem()->mutable_situations(0)).AddVarint(998, 7);
  UnknownOf(answers.mutable_trauma_history()).AddLengthDelimited(997, "more");
  absl::StatusOr<v1::Intake> saved = Update(patient_, answers, "v0");
  ASSERT_TRUE(saved.ok()) << saved.status();

  const v1::Intake stored = StoredAnswers();
  EXPECT_EQ(stored.clinician_summary(), "");
  EXPECT_EQ(stored.status(), v1::INTAKE_STATUS_UNSPECIFIED);
  EXPECT_EQ(stored.reviewed_by_user_id(), "");
  EXPECT_FALSE(HasUnknownFields(stored.presenting_problem()));
  EXPECT_FALSE(HasUnknownFields(stored.presenting_problem().situations(0)));
  EXPECT_FALSE(HasUnknownFields(stored.trauma_history()));
  EXPECT_TRUE(MessageDifferencer::Equals(stored, FullAnswers())) << stored.DebugString();
  EXPECT_EQ(uow_.state().intakes.at(kJo).clinician_summary_sealed, "");
  EXPECT_EQ(uow_.state().intakes.at(kJo).status, v1::INTAKE_STATUS_DRAFT);
}

TEST_F(IntakeServiceTest, HugeListsAreRefusedWithAShortAnswer) {
  v1::Intake answers = FullAnswers();
  for (int i = 0; i < 100'000; ++i) {
    answers.mutable_presenting_problem()->add_conditions(v1::PAIN_CONDITION_OTHER);
  }
  const absl::Status status = Update(patient_, answers, "v0").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("intake.presenting_problem.conditions"));
  EXPECT_LT(status.ToString().size(), 1000u);
  EXPECT_TRUE(uow_.state().intakes.empty());
}

TEST_F(IntakeServiceTest, ALostRaceOnTheFirstSaveIsAbortedAsAStaleEtag) {
  watched_.before_seal_ = [&] {
    uow_.state().intakes.emplace(
        kJo, IntakeRecord{.clinic_id = kClinic, .client_id = kJo, .version = 1});
  };
  const absl::Status status = Update(patient_, FullAnswers(), "v0").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(status.message(), HasSubstr("etag"));
}

TEST_F(IntakeServiceTest, AStaleVersionAtUpdateTimeIsWordedByTheService) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  // Someone else's save lands between this call's read and its write.
  watched_.before_seal_ = [&] { uow_.state().intakes.at(kJo).version = 2; };
  const absl::Status status = Update(patient_, FullAnswers(), "v1").status();
  ASSERT_EQ(status.code(), absl::StatusCode::kAborted);
  // The repository's plain status is worded for the caller by the service.
  EXPECT_THAT(status.message(), HasSubstr("etag does not match the stored intake"));
}

TEST_F(IntakeServiceTest, ChangingConditionsWithoutOtherDropsTheStoredOtherText) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  v1::Intake change;
  change.mutable_presenting_problem()->add_conditions(v1::PAIN_CONDITION_PRIMARY_VAGINISMUS);
  absl::StatusOr<v1::Intake> saved =
      Update(patient_, change, "v1", {"presenting_problem.conditions"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->presenting_problem().condition_other(), "");
  EXPECT_EQ(StoredAnswers().presenting_problem().condition_other(), "");
  EXPECT_EQ(saved->presenting_problem().onset(), FullAnswers().presenting_problem().onset());

  // Sent together, the conflict is the caller's and is refused.
  change.mutable_presenting_problem()->set_condition_other("still here");
  const absl::Status conflict =
      Update(patient_, change, "v2",
             {"presenting_problem.conditions", "presenting_problem.condition_other"})
          .status();
  EXPECT_THAT(ViolatedFields(conflict), ElementsAre("intake.presenting_problem.condition_other"));
}

TEST_F(IntakeServiceTest, DisclosureAwayFromYesDropsTheStoredDetails) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  v1::Intake change;
  change.mutable_trauma_history()->set_disclosure(v1::TRAUMA_DISCLOSURE_PREFER_NOT_TO_SAY);
  absl::StatusOr<v1::Intake> saved = Update(patient_, change, "v1", {"trauma_history.disclosure"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->trauma_history().disclosure(), v1::TRAUMA_DISCLOSURE_PREFER_NOT_TO_SAY);
  EXPECT_EQ(saved->trauma_history().details(), "");
  EXPECT_EQ(StoredAnswers().trauma_history().details(), "");

  // Back to YES keeps nothing of the old text; the details are written again.
  change.mutable_trauma_history()->set_disclosure(v1::TRAUMA_DISCLOSURE_YES);
  change.mutable_trauma_history()->set_details("Written again.");
  saved = Update(patient_, change, "v2", {"trauma_history"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->trauma_history().details(), "Written again.");
}

TEST_F(IntakeServiceTest, ArchivedClientsIntakeIsReadOnly) {
  const v1::Intake submitted = Submitted();
  uow_.state().clients.at(kJo).client.set_status(v1::CLIENT_STATUS_ARCHIVED);
  const absl::Status update = Update(clinician_, FullAnswers(), submitted.etag()).status();
  EXPECT_EQ(update.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(update.message(), "client is archived; archived records are read-only");
  EXPECT_EQ(Review(clinician_, submitted.etag()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(uow_.state().intakes.at(kJo).status, v1::INTAKE_STATUS_SUBMITTED);
  EXPECT_TRUE(Get(patient_).ok());
  EXPECT_TRUE(Get(clinician_).ok());
}

TEST_F(IntakeServiceTest, ArchivedClientCannotSubmit) {
  ASSERT_TRUE(Update(patient_, FullAnswers(), "v0").ok());
  uow_.state().clients.at(kJo).client.set_status(v1::CLIENT_STATUS_ARCHIVED);
  EXPECT_EQ(Submit(patient_, "v1").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(IntakeServiceTest, OnlyCliniciansAndAdminsSeeTheSummaryAndOnlyTheyDecryptIt) {
  const v1::Intake submitted = Submitted();
  ASSERT_TRUE(Review(clinician_, submitted.etag()).ok());
  auto summary_opened = [&] {
    return std::count(watched_.opened_columns_.begin(), watched_.opened_columns_.end(),
                      "clinician_summary_sealed");
  };

  watched_.opened_columns_.clear();
  absl::StatusOr<v1::Intake> patient_view = Get(patient_);
  ASSERT_TRUE(patient_view.ok());
  EXPECT_EQ(patient_view->clinician_summary(), "");
  EXPECT_EQ(summary_opened(), 0);

  // A role this code does not know of sees nothing (an allow-list, not a deny-list).
  Principal other = clinician_;
  other.role = v1::ROLE_PARTNER;
  absl::StatusOr<v1::Intake> other_view = Get(other);
  ASSERT_TRUE(other_view.ok());
  EXPECT_EQ(other_view->clinician_summary(), "");
  EXPECT_EQ(other_view->reviewed_by_user_id(), "");
  EXPECT_EQ(summary_opened(), 0);

  for (const Principal* who : {&clinician_, &admin_}) {
    absl::StatusOr<v1::Intake> view = Get(*who);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->clinician_summary(), "Primary vaginismus, high fear of pain.");
    EXPECT_EQ(view->reviewed_by_user_id(), "sam");
  }
  EXPECT_EQ(summary_opened(), 2);
}

}  // namespace
}  // namespace confide
