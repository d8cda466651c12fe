// The assessment repository against a real database: SQLite or PostgreSQL, whichever
// CONFIDE_TEST_DATABASE names. Every column round-trips; lists are newest first, scoped by
// clinic and client, filtered by instrument, and paged by id.

#include "services/assessments/ports/assessment_repository.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/timestamps.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Id(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 8000 + n); }

const std::string kJo = Id(1);
const std::string kRiley = Id(2);

AssessmentRecord NewAssessment(int n, const std::string& client_id,
                               const std::string& instrument_id) {
  return AssessmentRecord{.id = Id(100 + n),
                          .clinic_id = kClinicA,
                          .client_id = client_id,
                          .instrument_id = instrument_id,
                          .instrument_version = "1",
                          .mode = v1::ADMINISTRATION_MODE_CLINICIAN,
                          .administered_by = kAlice,
                          .role = v1::ROLE_CLINICIAN,
                          .complete_time = kCreateTime + absl::Minutes(n),
                          .request_id = "",
                          .content_sealed = absl::StrFormat("sealed-%d", n)};
}

std::vector<std::string> IdsOf(const std::vector<AssessmentRecord>& records) {
  std::vector<std::string> ids;
  for (const AssessmentRecord& record : records) {
    ids.push_back(record.id);
  }
  return ids;
}

class AssessmentRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    absl::Status seeded = InsertClients({NewClient(kJo, kClinicA), NewClient(kRiley, kClinicA)});
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  absl::Status Insert(const AssessmentRecord& record) {
    return Write([&](UnitOfWork& uow) { return uow.assessments().Insert(record); });
  }

  std::vector<std::string> List(const AssessmentQuery& query) {
    absl::StatusOr<std::vector<AssessmentRecord>> rows =
        Read([&](UnitOfWork& uow) { return uow.assessments().List(query); });
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? IdsOf(*rows) : std::vector<std::string>{};
  }
};

TEST_F(AssessmentRepositoryTest, EveryFieldRoundTrips) {
  AssessmentRecord record = NewAssessment(1, kJo, "fsfi");
  record.instrument_version = "2";
  record.mode = v1::ADMINISTRATION_MODE_SELF_REPORT;
  record.administered_by = kBea;
  record.role = v1::ROLE_PATIENT;
  record.request_id = "retry-42";
  record.content_sealed = "v1.sealed-content-with-printable-ascii";
  ASSERT_TRUE(Insert(record).ok());

  absl::StatusOr<std::optional<AssessmentRecord>> found =
      Read([](UnitOfWork& uow) { return uow.assessments().Find(kClinicA, kJo, Id(101)); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  const AssessmentRecord& stored = **found;
  EXPECT_EQ(stored.id, record.id);
  EXPECT_EQ(stored.clinic_id, kClinicA);
  EXPECT_EQ(stored.client_id, kJo);
  EXPECT_EQ(stored.instrument_id, "fsfi");
  EXPECT_EQ(stored.instrument_version, "2");
  EXPECT_EQ(stored.mode, v1::ADMINISTRATION_MODE_SELF_REPORT);
  EXPECT_EQ(stored.administered_by, kBea);
  EXPECT_EQ(stored.role, v1::ROLE_PATIENT);
  EXPECT_EQ(stored.complete_time, record.complete_time);
  EXPECT_EQ(stored.request_id, "retry-42");
  EXPECT_EQ(stored.content_sealed, record.content_sealed);

  absl::StatusOr<std::optional<AssessmentRecord>> by_request =
      Read([](UnitOfWork& uow) { return uow.assessments().FindByRequestId(kClinicA, "retry-42"); });
  ASSERT_TRUE(by_request.ok()) << by_request.status();
  ASSERT_TRUE(by_request->has_value());
  EXPECT_EQ((*by_request)->id, record.id);
  EXPECT_EQ((*by_request)->complete_time, record.complete_time);
}

TEST_F(AssessmentRepositoryTest, FindIsScopedByClinicAndClient) {
  ASSERT_TRUE(Insert(NewAssessment(1, kJo, "phq-9")).ok());
  for (const auto& [clinic, client] : {std::pair{kClinicB, kJo}, std::pair{kClinicA, kRiley}}) {
    absl::StatusOr<std::optional<AssessmentRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.assessments().Find(clinic, client, Id(101)); });
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_FALSE(found->has_value());
  }
  absl::StatusOr<std::optional<AssessmentRecord>> none =
      Read([](UnitOfWork& uow) { return uow.assessments().FindByRequestId(kClinicA, "unused"); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(AssessmentRepositoryTest, RequestIdIsUniquePerClinicAndEmptyIsNotARequestId) {
  AssessmentRecord first = NewAssessment(1, kJo, "phq-9");
  first.request_id = "same";
  ASSERT_TRUE(Insert(first).ok());
  AssessmentRecord second = NewAssessment(2, kRiley, "phq-9");
  second.request_id = "same";
  EXPECT_EQ(Insert(second).code(), absl::StatusCode::kAlreadyExists);
  // Without request ids any number of administrations coexist.
  EXPECT_TRUE(Insert(NewAssessment(3, kJo, "phq-9")).ok());
  EXPECT_TRUE(Insert(NewAssessment(4, kJo, "phq-9")).ok());
  EXPECT_EQ(Insert(NewAssessment(4, kJo, "gad-7")).code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(AssessmentRepositoryTest, AdministeredByMustBeAUser) {
  AssessmentRecord record = NewAssessment(1, kJo, "phq-9");
  record.administered_by = Id(999);
  EXPECT_FALSE(Insert(record).ok());
}

TEST_F(AssessmentRepositoryTest, ListsNewestFirstByInstrumentAndPagesByBeforeId) {
  ASSERT_TRUE(Insert(NewAssessment(1, kJo, "phq-9")).ok());
  ASSERT_TRUE(Insert(NewAssessment(2, kJo, "gad-7")).ok());
  ASSERT_TRUE(Insert(NewAssessment(3, kJo, "phq-9")).ok());
  ASSERT_TRUE(Insert(NewAssessment(4, kRiley, "phq-9")).ok());
  ASSERT_TRUE(Insert(NewAssessment(5, kJo, "phq-9")).ok());

  EXPECT_THAT(List({.clinic_id = kClinicA, .client_id = kJo}),
              ElementsAre(Id(105), Id(103), Id(102), Id(101)));
  EXPECT_THAT(List({.clinic_id = kClinicA, .client_id = kJo, .instrument_id = "phq-9"}),
              ElementsAre(Id(105), Id(103), Id(101)));
  EXPECT_THAT(List({.clinic_id = kClinicA, .client_id = kJo, .limit = 2}),
              ElementsAre(Id(105), Id(103)));
  EXPECT_THAT(List({.clinic_id = kClinicA, .client_id = kJo, .before_id = Id(103), .limit = 2}),
              ElementsAre(Id(102), Id(101)));
  EXPECT_THAT(List({.clinic_id = kClinicA,
                    .client_id = kJo,
                    .instrument_id = "phq-9",
                    .before_id = Id(105),
                    .limit = 1}),
              ElementsAre(Id(103)));
  EXPECT_THAT(List({.clinic_id = kClinicB, .client_id = kJo}), IsEmpty());
  EXPECT_THAT(List({.clinic_id = kClinicA, .client_id = kJo, .instrument_id = "fsfi"}), IsEmpty());
}

}  // namespace
}  // namespace confide::persistence
