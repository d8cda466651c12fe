// Home programmes and their versions against a real database (SQLite or PostgreSQL, whichever
// CONFIDE_TEST_DATABASE names): every field round-trips, versions are never changed, a stale
// revision is ABORTED, lists filter by status and page by keyset, and create request ids are
// unique per clinic.

#include "services/programmes/ports/programme_repository.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kJo[] = "00000000-0000-7000-8000-000000007401";
constexpr char kRiley[] = "00000000-0000-7000-8000-000000007402";
constexpr char kCasey[] = "00000000-0000-7000-8000-000000007403";  // clinic B

// v1::ProgrammeStatus values, as the column stores them.
constexpr int kDraft = 1;
constexpr int kActive = 2;
constexpr int kPaused = 3;
constexpr int kEnded = 4;

std::string ProgrammeId(int n) {
  return absl::StrFormat("00000000-0000-7000-8000-%012d", 7500 + n);
}

ProgrammeRecord NewProgramme(int n, const std::string& client_id = kJo,
                             const std::string& clinic_id = kClinicA) {
  return ProgrammeRecord{.id = ProgrammeId(n),
                         .clinic_id = clinic_id,
                         .client_id = client_id,
                         .latest_version = 1,
                         .status = kDraft,
                         .revision = 1,
                         .time_zone = "Europe/London",
                         .activate_time = std::nullopt,
                         .create_time = kCreateTime + absl::Seconds(n),
                         .created_by = clinic_id == kClinicA ? kAlice : kCai};
}

ProgrammeVersionRecord NewVersion(const ProgrammeRecord& programme, int version) {
  return ProgrammeVersionRecord{
      .programme_id = programme.id,
      .version = version,
      .clinic_id = programme.clinic_id,
      .client_id = programme.client_id,
      .author_user_id = version == 1 ? programme.created_by : kBea,
      .create_time = kCreateTime + absl::Minutes(version) + absl::Microseconds(3),
      .content_sealed = absl::StrFormat("sealed:%s:%d", programme.id, version)};
}

class ProgrammeRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    absl::Status seeded = InsertClients(
        {NewClient(kJo, kClinicA), NewClient(kRiley, kClinicA), NewClient(kCasey, kClinicB)});
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  absl::Status InsertProgramme(const ProgrammeRecord& programme,
                               const std::string& request_id = "") {
    return Write([&](UnitOfWork& uow) -> absl::Status {
      if (absl::Status s = uow.programmes().Insert(programme, request_id); !s.ok()) {
        return s;
      }
      return uow.programmes().InsertVersion(NewVersion(programme, 1));
    });
  }

  std::optional<ProgrammeRecord> Find(const std::string& programme_id,
                                      const std::string& client_id = kJo,
                                      const std::string& clinic_id = kClinicA) {
    absl::StatusOr<std::optional<ProgrammeRecord>> found = Read(
        [&](UnitOfWork& uow) { return uow.programmes().Find(clinic_id, client_id, programme_id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  std::vector<std::string> ListIds(const std::vector<int>& statuses, const std::string& after = "",
                                   int limit = 100) {
    absl::StatusOr<std::vector<ProgrammeRecord>> listed = Read([&](UnitOfWork& uow) {
      return uow.programmes().ListOfClient(kClinicA, kJo, statuses, after, limit);
    });
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> ids;
    if (listed.ok()) {
      for (const ProgrammeRecord& p : *listed) {
        ids.push_back(p.id);
      }
    }
    return ids;
  }
};

TEST_F(ProgrammeRepositoryTest, ProgrammeAndVersionRoundTripEveryField) {
  const ProgrammeRecord programme = NewProgramme(1);
  ASSERT_TRUE(InsertProgramme(programme).ok());

  std::optional<ProgrammeRecord> found = Find(programme.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, programme.id);
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->client_id, kJo);
  EXPECT_EQ(found->latest_version, 1);
  EXPECT_EQ(found->status, kDraft);
  EXPECT_EQ(found->revision, 1);
  EXPECT_EQ(found->time_zone, "Europe/London");
  EXPECT_EQ(found->activate_time, std::nullopt);
  EXPECT_EQ(found->create_time, programme.create_time);
  EXPECT_EQ(found->created_by, kAlice);

  absl::StatusOr<std::optional<ProgrammeVersionRecord>> version = Read(
      [&](UnitOfWork& uow) { return uow.programmes().FindVersion(kClinicA, programme.id, 1); });
  ASSERT_TRUE(version.ok()) << version.status();
  ASSERT_TRUE(version->has_value());
  const ProgrammeVersionRecord expected = NewVersion(programme, 1);
  EXPECT_EQ((*version)->programme_id, programme.id);
  EXPECT_EQ((*version)->version, 1);
  EXPECT_EQ((*version)->clinic_id, kClinicA);
  EXPECT_EQ((*version)->client_id, kJo);
  EXPECT_EQ((*version)->author_user_id, kAlice);
  EXPECT_EQ((*version)->create_time, expected.create_time);
  EXPECT_EQ((*version)->content_sealed, expected.content_sealed);
}

TEST_F(ProgrammeRepositoryTest, ProgrammeIsFoundOnlyForItsClientAndClinic) {
  ASSERT_TRUE(InsertProgramme(NewProgramme(1)).ok());

  EXPECT_EQ(Find(ProgrammeId(1), kRiley), std::nullopt);
  EXPECT_EQ(Find(ProgrammeId(1), kJo, kClinicB), std::nullopt);
  absl::StatusOr<std::optional<ProgrammeVersionRecord>> version = Read(
      [&](UnitOfWork& uow) { return uow.programmes().FindVersion(kClinicB, ProgrammeId(1), 1); });
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, std::nullopt);
}

TEST_F(ProgrammeRepositoryTest, UpdateWritesTheRowAndBumpsRevisionOnlyWhenExpected) {
  const ProgrammeRecord programme = NewProgramme(1);
  ASSERT_TRUE(InsertProgramme(programme).ok());
  ProgrammeRecord next = programme;
  next.latest_version = 2;
  next.status = kActive;
  next.time_zone = "America/New_York";
  next.activate_time = kCreateTime + absl::Hours(3) + absl::Microseconds(11);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                if (absl::Status s = uow.programmes().Update(next, 1); !s.ok()) {
                  return s;
                }
                return uow.programmes().InsertVersion(NewVersion(programme, 2));
              }).ok());

  std::optional<ProgrammeRecord> found = Find(programme.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->latest_version, 2);
  EXPECT_EQ(found->status, kActive);
  EXPECT_EQ(found->revision, 2);
  EXPECT_EQ(found->time_zone, "America/New_York");
  EXPECT_EQ(found->activate_time, next.activate_time);
  EXPECT_EQ(found->create_time, programme.create_time);

  // A writer that read revision 1 has lost the race.
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.programmes().Update(next, 1); }).code(),
            absl::StatusCode::kAborted);
  ProgrammeRecord elsewhere = next;
  elsewhere.clinic_id = kClinicB;
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.programmes().Update(elsewhere, 2); }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.programmes().InsertVersion(NewVersion(programme, 2));
            }).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Find(programme.id)->revision, 2);

  // A status change alone moves the revision too.
  ProgrammeRecord paused = *Find(programme.id);
  paused.status = kPaused;
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.programmes().Update(paused, 2); }).ok());
  EXPECT_EQ(Find(programme.id)->revision, 3);
  EXPECT_EQ(Find(programme.id)->latest_version, 2);
}

TEST_F(ProgrammeRepositoryTest, VersionsListNewestFirstAndPageBelowAVersion) {
  const ProgrammeRecord programme = NewProgramme(1);
  ASSERT_TRUE(InsertProgramme(programme).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (int v : {2, 3, 4}) {
                  if (absl::Status s = uow.programmes().InsertVersion(NewVersion(programme, v));
                      !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());

  auto versions = [&](int before, int limit) {
    absl::StatusOr<std::vector<ProgrammeVersionRecord>> rows = Read([&](UnitOfWork& uow) {
      return uow.programmes().ListVersions(kClinicA, programme.id, before, limit);
    });
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::vector<int> numbers;
    if (rows.ok()) {
      for (const ProgrammeVersionRecord& row : *rows) {
        numbers.push_back(row.version);
      }
    }
    return numbers;
  };
  EXPECT_THAT(versions(0, 100), ElementsAre(4, 3, 2, 1));
  EXPECT_THAT(versions(0, 2), ElementsAre(4, 3));
  EXPECT_THAT(versions(3, 100), ElementsAre(2, 1));
  absl::StatusOr<std::vector<ProgrammeVersionRecord>> other = Read([&](UnitOfWork& uow) {
    return uow.programmes().ListVersions(kClinicB, programme.id, 0, 100);
  });
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_THAT(*other, IsEmpty());
}

// What the database says when `statement` fails, or "" when it succeeds.
std::string FailureOf(soci::session& sql, const std::string& statement,
                      const std::string& programme_id) {
  try {
    if (programme_id.empty()) {
      sql << statement;
    } else {
      sql << statement, soci::use(programme_id);
    }
    return "";
  } catch (const soci::soci_error& e) {
    return e.what();
  }
}

// A version is what the patient was given at the time: the database refuses to change it.
TEST_F(ProgrammeRepositoryTest, StoredVersionCannotBeUpdatedOrDeleted) {
  ASSERT_TRUE(InsertProgramme(NewProgramme(1)).ok());
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  const std::string programme_id = ProgrammeId(1);

  EXPECT_THAT(FailureOf(*sql,
                        "UPDATE programme_versions SET content_sealed = 'forged' "
                        "WHERE programme_id = :id",
                        programme_id),
              HasSubstr("programme versions are never changed"));
  EXPECT_THAT(
      FailureOf(*sql, "DELETE FROM programme_versions WHERE programme_id = :id", programme_id),
      HasSubstr("programme versions are never changed"));
  absl::StatusOr<std::optional<ProgrammeVersionRecord>> version = Read(
      [&](UnitOfWork& uow) { return uow.programmes().FindVersion(kClinicA, programme_id, 1); });
  ASSERT_TRUE(version.ok()) << version.status();
  ASSERT_TRUE(version->has_value());
  EXPECT_EQ((*version)->content_sealed, NewVersion(NewProgramme(1), 1).content_sealed);
}

TEST_F(ProgrammeRepositoryTest, ListOfClientIsNewestFirstFiltersStatusesAndPages) {
  const std::vector<int> statuses = {kDraft, kActive, kPaused, kEnded};
  for (int n = 1; n <= 4; ++n) {
    ProgrammeRecord p = NewProgramme(n);
    p.status = statuses[n - 1];
    ASSERT_TRUE(InsertProgramme(p).ok());
  }
  ASSERT_TRUE(InsertProgramme(NewProgramme(5, kRiley)).ok());
  ASSERT_TRUE(InsertProgramme(NewProgramme(6, kCasey, kClinicB)).ok());

  EXPECT_THAT(ListIds({}),
              ElementsAre(ProgrammeId(4), ProgrammeId(3), ProgrammeId(2), ProgrammeId(1)));
  EXPECT_THAT(ListIds({kActive, kPaused, kEnded}),
              ElementsAre(ProgrammeId(4), ProgrammeId(3), ProgrammeId(2)));
  EXPECT_THAT(ListIds({kDraft}), ElementsAre(ProgrammeId(1)));
  EXPECT_THAT(ListIds({}, "", 2), ElementsAre(ProgrammeId(4), ProgrammeId(3)));
  EXPECT_THAT(ListIds({}, ProgrammeId(3), 2), ElementsAre(ProgrammeId(2), ProgrammeId(1)));
  EXPECT_THAT(ListIds({kActive, kPaused}, ProgrammeId(3)), ElementsAre(ProgrammeId(2)));
}

TEST_F(ProgrammeRepositoryTest, CreateRequestIdIsUniquePerClinicAndFindsTheProgramme) {
  ASSERT_TRUE(InsertProgramme(NewProgramme(1), "retry-1").ok());
  ASSERT_TRUE(InsertProgramme(NewProgramme(2), "").ok());
  ASSERT_TRUE(InsertProgramme(NewProgramme(3), "").ok());  // empty ids never clash
  ASSERT_TRUE(InsertProgramme(NewProgramme(4, kCasey, kClinicB), "retry-1").ok());

  EXPECT_EQ(InsertProgramme(NewProgramme(5), "retry-1").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(InsertProgramme(NewProgramme(1)).code(), absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::optional<ProgrammeRecord>> found = Read(
      [](UnitOfWork& uow) { return uow.programmes().FindByCreateRequestId(kClinicA, "retry-1"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ProgrammeId(1));
  absl::StatusOr<std::optional<ProgrammeRecord>> empty =
      Read([](UnitOfWork& uow) { return uow.programmes().FindByCreateRequestId(kClinicA, ""); });
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, std::nullopt);
}

}  // namespace
}  // namespace confide::persistence
