// The soci repositories, unit of work and transaction runners against a real database: SQLite or
// PostgreSQL, whichever CONFIDE_TEST_DATABASE names (ctest runs this suite once for each).

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "adapters/persistence/database.h"
#include "adapters/persistence/migrator.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/audit/ports/audit_log.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/common/timestamps.h"
#include "services/storage/ports/unit_of_work.h"
#include "soci/soci.h"
#include "tests/persistence/scratch_database.h"
#include "tests/persistence/seed.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// kClinicA, kClinicB, kAlice, kBea, kCai and kCreateTime come from seed.h.
const absl::Time kUpdateTime = absl::FromUnixMicros(1'717'258'117'654'321);

// Client ids sort like their numbers, which keyset pagination relies on.
std::string ClientId(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 1000 + n); }

std::vector<std::string> IdsOf(const std::vector<ClientRecord>& records) {
  std::vector<std::string> ids;
  for (const ClientRecord& record : records) {
    ids.push_back(record.client.id());
  }
  return ids;
}

// A client with every stored field set to something other than its default.
ClientRecord FullClient() {
  ClientRecord record =
      NewClient(ClientId(1), kClinicA, "Margaret", "Hughes-O'Brien", v1::CLIENT_STATUS_INTAKE);
  v1::Client& c = record.client;
  c.set_preferred_name("Peggy");
  c.set_pronouns("she/her");
  c.set_date_of_birth("1991-04-17");
  c.set_email("peggy@example.org");
  c.set_phone("+44 20 7946 0958");
  c.mutable_discreet_contact()->set_no_clinic_name_in_messages(true);
  c.mutable_discreet_contact()->set_voicemail_ok(true);
  c.mutable_discreet_contact()->set_safe_times_to_call("weekdays 12:00-13:00");
  c.mutable_discreet_contact()->set_preferred_channel(v1::CONTACT_CHANNEL_SMS);
  c.mutable_emergency_contact()->set_name("Tom Hughes");
  c.mutable_emergency_contact()->set_relationship("brother");
  c.mutable_emergency_contact()->set_phone("+44 7700 900123");
  c.set_referral_source("GP referral");
  c.set_presenting_concern(v1::PRESENTING_CONCERN_OTHER);
  c.set_presenting_concern_other("pain after childbirth");
  *c.mutable_update_time() = ToTimestamp(kUpdateTime);
  v1::CareTeamMember* alice = c.add_care_team();
  alice->set_user_id(kAlice);
  alice->set_display_name("Dr Alice Ng");
  v1::CareTeamMember* bea = c.add_care_team();
  bea->set_user_id(kBea);
  bea->set_display_name("Bea Okafor");
  return record;
}

AuditEvent NewAuditEvent(const std::string& id, const std::string& client_id = "") {
  return AuditEvent{.id = id,
                    .time = kCreateTime,
                    .actor_user_id = kAlice,
                    .actor_role = "ROLE_CLINICIAN",
                    .clinic_id = kClinicA,
                    .action = "confide.v1.ClientService.GetClient",
                    .resource = client_id.empty() ? "clients" : "clients/" + client_id,
                    .client_id = client_id,
                    .outcome = "success",
                    .status_code = "OK",
                    .request_id = "req-" + id,
                    .source_address = "127.0.0.1"};
}

// An open, empty (unmigrated) scratch database of the dialect under test.
class PersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ScratchDatabase>> scratch = ScratchDatabase::Create();
    ASSERT_TRUE(scratch.ok()) << scratch.status();
    scratch_ = *std::move(scratch);
    // A long lease timeout: the concurrency test runs more threads than connections on a
    // loaded 2-core CI machine, and is about correctness, not waiting time.
    absl::StatusOr<std::unique_ptr<Database>> db =
        Database::Open({.url = scratch_->url(), .lease_timeout_ms = 30000});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  std::vector<std::string> MigrationNamesOfDialect() const {
    std::vector<std::string> names;
    for (const Migration& migration : EmbeddedMigrations()) {
      if (migration.dialect == DialectName(scratch_->dialect())) {
        names.push_back(migration.name);
      }
    }
    return names;
  }

  // Runs `sql_text`, a single-number query, on a connection of the test's own.
  long long CountRows(const std::string& sql_text) {
    std::unique_ptr<soci::session> sql = scratch_->OpenSession();
    long long count = -1;
    *sql << sql_text, soci::into(count);
    return count;
  }

  // Declared first so the database closes its connections before the scratch copy is removed.
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<Database> db_;
};

// A migrated scratch database holding clinics A and B and their clinicians.
class RepositoryTest : public PersistenceTest {
 protected:
  void SetUp() override {
    PersistenceTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    absl::StatusOr<std::vector<std::string>> applied = db_->Migrate();
    ASSERT_TRUE(applied.ok()) << applied.status();
    absl::Status seeded = Write(SeedClinicsAndClinicians);
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  absl::Status Write(absl::FunctionRef<absl::Status(UnitOfWork&)> work) {
    return db_->transactions().Run(TransactionMode::kWrite, work);
  }

  // Runs `query` in a read transaction of its own and returns what it returned.
  template <typename Query>
  auto Read(Query query) -> decltype(query(std::declval<UnitOfWork&>())) {
    std::optional<decltype(query(std::declval<UnitOfWork&>()))> result;
    absl::Status status = db_->transactions().Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      result.emplace(query(uow));
      return result->status();
    });
    if (!status.ok()) {
      return status;
    }
    return *std::move(result);
  }

  absl::Status InsertClient(const ClientRecord& record, std::string_view request_id = "") {
    return Write([&](UnitOfWork& uow) { return uow.clients().Insert(record, request_id); });
  }

  absl::StatusOr<std::optional<ClientRecord>> FindClient(std::string_view clinic_id,
                                                         std::string_view client_id) {
    return Read([&](UnitOfWork& uow) { return uow.clients().Find(clinic_id, client_id); });
  }

  absl::StatusOr<std::vector<ClientRecord>> ListClients(const ClientQuery& query) {
    return Read([&](UnitOfWork& uow) { return uow.clients().List(query); });
  }

  // Inserts each client; false (with the failure recorded) when one is refused.
  bool InsertClients(const std::vector<ClientRecord>& records) {
    for (const ClientRecord& record : records) {
      absl::Status inserted = InsertClient(record);
      EXPECT_TRUE(inserted.ok()) << record.client.id() << ": " << inserted;
      if (!inserted.ok()) {
        return false;
      }
    }
    return true;
  }
};

TEST_F(PersistenceTest, MigrateAppliesEachMigrationOnceAndASecondRunAppliesNothing) {
  const std::vector<std::string> expected = MigrationNamesOfDialect();
  ASSERT_THAT(expected, ::testing::Not(IsEmpty()));

  absl::StatusOr<std::vector<std::string>> first = db_->Migrate();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, expected);

  absl::StatusOr<std::vector<std::string>> second = db_->Migrate();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(*second, IsEmpty());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<long long>(expected.size()));
}

TEST_F(PersistenceTest, CheckReadyFailsBeforeMigrateAndSucceedsAfter) {
  EXPECT_FALSE(db_->CheckReady().ok());

  absl::StatusOr<std::vector<std::string>> applied = db_->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.status();

  absl::Status ready = db_->CheckReady();
  EXPECT_TRUE(ready.ok()) << ready;
}

TEST_F(RepositoryTest, InsertedClinicIsFoundAndOnlyRealClinicsAreCounted) {
  constexpr char kDemo[] = "00000000-0000-7000-8000-000000000003";
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.clinics().Insert({.id = kDemo, .name = "Demo", .is_demo = true},
                                            kCreateTime);
              }).ok());

  absl::StatusOr<std::optional<ClinicRecord>> demo =
      Read([&](UnitOfWork& uow) { return uow.clinics().Find(kDemo); });
  ASSERT_TRUE(demo.ok()) << demo.status();
  ASSERT_TRUE(demo->has_value());
  EXPECT_EQ((*demo)->id, kDemo);
  EXPECT_EQ((*demo)->name, "Demo");
  EXPECT_TRUE((*demo)->is_demo);

  absl::StatusOr<std::optional<ClinicRecord>> real =
      Read([&](UnitOfWork& uow) { return uow.clinics().Find(kClinicA); });
  ASSERT_TRUE(real.ok()) << real.status();
  ASSERT_TRUE(real->has_value());
  EXPECT_EQ((*real)->name, "Clinic A");
  EXPECT_FALSE((*real)->is_demo);

  absl::StatusOr<std::optional<ClinicRecord>> missing = Read(
      [&](UnitOfWork& uow) { return uow.clinics().Find("00000000-0000-7000-8000-000000000999"); });
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->has_value());

  // Clinics A and B from the fixture; the demo clinic does not count.
  absl::StatusOr<int> count =
      Read([](UnitOfWork& uow) { return uow.clinics().CountRealClinics(); });
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 2);
}

TEST_F(RepositoryTest, ClinicWithTakenIdIsRefusedAsAlreadyExists) {
  absl::Status inserted = Write([](UnitOfWork& uow) {
    return uow.clinics().Insert({.id = kClinicA, .name = "Again"}, kCreateTime);
  });
  EXPECT_EQ(inserted.code(), absl::StatusCode::kAlreadyExists) << inserted;
}

TEST_F(RepositoryTest, InsertedUserIsFoundByEmailIgnoringCaseAndById) {
  constexpr char kDana[] = "00000000-0000-7000-8000-000000000201";
  UserRecord dana{.password_hash = "$argon2id$v=19$dana", .active = false};
  dana.user.set_id(kDana);
  dana.user.set_clinic_id(kClinicA);
  dana.user.set_email("Dana.Reyes@Example.ORG");
  dana.user.set_display_name("Dana Reyes");
  dana.user.set_role(v1::ROLE_PATIENT);
  dana.user.set_discipline(v1::DISCIPLINE_OTHER);
  dana.user.set_client_id(ClientId(1));
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.users().Insert(dana, kCreateTime); }).ok());

  for (const char* email : {"dana.reyes@example.org", "DANA.REYES@EXAMPLE.ORG"}) {
    absl::StatusOr<std::optional<UserRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.users().FindByEmail(email); });
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_TRUE(found->has_value()) << email;
    EXPECT_EQ((*found)->user.id(), kDana);
    EXPECT_EQ((*found)->user.clinic_id(), kClinicA);
    EXPECT_EQ((*found)->user.email(), "dana.reyes@example.org");
    EXPECT_EQ((*found)->user.display_name(), "Dana Reyes");
    EXPECT_EQ((*found)->user.role(), v1::ROLE_PATIENT);
    EXPECT_EQ((*found)->user.discipline(), v1::DISCIPLINE_OTHER);
    EXPECT_EQ((*found)->user.client_id(), ClientId(1));
    EXPECT_EQ((*found)->password_hash, "$argon2id$v=19$dana");
    EXPECT_FALSE((*found)->active);
  }

  absl::StatusOr<std::optional<UserRecord>> by_id =
      Read([&](UnitOfWork& uow) { return uow.users().FindById(kDana); });
  ASSERT_TRUE(by_id.ok()) << by_id.status();
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->user.email(), "dana.reyes@example.org");

  absl::StatusOr<std::optional<UserRecord>> unknown =
      Read([&](UnitOfWork& uow) { return uow.users().FindByEmail("nobody@example.org"); });
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(RepositoryTest, UserWithTakenEmailInAnyCaseIsRefusedAsAlreadyExists) {
  UserRecord again{.password_hash = "x"};
  again.user.set_id("00000000-0000-7000-8000-000000000202");
  again.user.set_clinic_id(kClinicB);
  again.user.set_email("ALICE@a.example");
  again.user.set_display_name("Another Alice");
  again.user.set_role(v1::ROLE_ADMIN);

  absl::Status inserted =
      Write([&](UnitOfWork& uow) { return uow.users().Insert(again, kCreateTime); });

  EXPECT_EQ(inserted.code(), absl::StatusCode::kAlreadyExists) << inserted;
}

TEST_F(RepositoryTest, PasswordHashIsReplacedAndUnknownUserIsNotFound) {
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.users().UpdatePasswordHash(kAlice, "$argon2id$v=19$new");
              }).ok());
  absl::StatusOr<std::optional<UserRecord>> alice =
      Read([&](UnitOfWork& uow) { return uow.users().FindById(kAlice); });
  ASSERT_TRUE(alice.ok() && alice->has_value());
  EXPECT_EQ((*alice)->password_hash, "$argon2id$v=19$new");

  absl::Status missing = Write([&](UnitOfWork& uow) {
    return uow.users().UpdatePasswordHash("00000000-0000-7000-8000-000000000999", "x");
  });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
}

// A 12-hour session of Alice's, not revoked.
SessionRecord AlicesSession() {
  return SessionRecord{.id = "00000000-0000-7000-8000-000000000301",
                       .token_digest = "5f2b9c0e4d",
                       .user_id = kAlice,
                       .clinic_id = kClinicA,
                       .create_time = kCreateTime,
                       .expire_time = kCreateTime + absl::Hours(12)};
}

TEST_F(RepositoryTest, InsertedSessionIsFoundByTokenDigest) {
  const SessionRecord session = AlicesSession();
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.sessions().Insert(session); }).ok());

  absl::StatusOr<std::optional<SessionRecord>> found =
      Read([](UnitOfWork& uow) { return uow.sessions().FindByDigest("5f2b9c0e4d"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, session.id);
  EXPECT_EQ((*found)->token_digest, session.token_digest);
  EXPECT_EQ((*found)->user_id, kAlice);
  EXPECT_EQ((*found)->clinic_id, kClinicA);
  EXPECT_EQ((*found)->create_time, session.create_time);
  EXPECT_EQ((*found)->expire_time, session.expire_time);
  EXPECT_FALSE((*found)->revoke_time.has_value());

  absl::StatusOr<std::optional<SessionRecord>> unknown =
      Read([](UnitOfWork& uow) { return uow.sessions().FindByDigest("0000"); });
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(RepositoryTest, RevokingASessionTwiceKeepsTheFirstRevokeTime) {
  const SessionRecord session = AlicesSession();
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.sessions().Insert(session); }).ok());
  const absl::Time first = kCreateTime + absl::Minutes(5);
  const absl::Time second = kCreateTime + absl::Minutes(9);

  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.sessions().Revoke(session.id, first); }).ok());
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.sessions().Revoke(session.id, second); }).ok());

  absl::StatusOr<std::optional<SessionRecord>> found =
      Read([](UnitOfWork& uow) { return uow.sessions().FindByDigest("5f2b9c0e4d"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->revoke_time, first);
}

TEST_F(RepositoryTest, InsertedClientIsFoundWithEveryFieldAndItsCareTeam) {
  const ClientRecord inserted = FullClient();
  ASSERT_TRUE(InsertClient(inserted).ok());

  absl::StatusOr<std::optional<ClientRecord>> found = FindClient(kClinicA, ClientId(1));

  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->clinic_id, kClinicA);
  EXPECT_EQ((*found)->version, 1);
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare((*found)->client, inserted.client)) << differences;
  EXPECT_EQ(FromTimestamp((*found)->client.update_time()), kUpdateTime);
}

TEST_F(RepositoryTest, ClientOfAnotherClinicIsNotFound) {
  ASSERT_TRUE(InsertClient(FullClient()).ok());

  absl::StatusOr<std::optional<ClientRecord>> found = FindClient(kClinicB, ClientId(1));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());

  absl::StatusOr<std::optional<ClientAccessFacts>> facts =
      Read([](UnitOfWork& uow) { return uow.clients().FindAccessFacts(kClinicB, ClientId(1)); });
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_FALSE(facts->has_value());
}

TEST_F(RepositoryTest, FindByCreateRequestIdReturnsTheIdCreatedWithItInThatClinicOnly) {
  ASSERT_TRUE(InsertClient(NewClient(ClientId(1), kClinicA, "Ann", "Lee"), "req-1").ok());

  auto find = [&](const char* clinic_id, const char* request_id) {
    return Read([&](UnitOfWork& uow) {
      return uow.clients().FindByCreateRequestId(clinic_id, request_id);
    });
  };
  absl::StatusOr<std::optional<std::string>> same = find(kClinicA, "req-1");
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(*same, ClientId(1));

  absl::StatusOr<std::optional<std::string>> other_clinic = find(kClinicB, "req-1");
  ASSERT_TRUE(other_clinic.ok()) << other_clinic.status();
  EXPECT_FALSE(other_clinic->has_value());

  absl::StatusOr<std::optional<std::string>> other_request = find(kClinicA, "req-2");
  ASSERT_TRUE(other_request.ok()) << other_request.status();
  EXPECT_FALSE(other_request->has_value());
}

TEST_F(RepositoryTest, CreateRequestIdIsUniqueWithinAClinicButNotAcrossClinics) {
  ASSERT_TRUE(InsertClient(NewClient(ClientId(1), kClinicA, "Ann", "Lee"), "req-1").ok());

  absl::Status same_clinic = InsertClient(NewClient(ClientId(2), kClinicA, "Bo", "Ray"), "req-1");
  absl::Status other_clinic = InsertClient(NewClient(ClientId(3), kClinicB, "Cy", "Ng"), "req-1");

  EXPECT_EQ(same_clinic.code(), absl::StatusCode::kAlreadyExists) << same_clinic;
  EXPECT_TRUE(other_clinic.ok()) << other_clinic;
  absl::StatusOr<std::optional<ClientRecord>> refused = FindClient(kClinicA, ClientId(2));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_FALSE(refused->has_value());
}

TEST_F(RepositoryTest, FindAccessFactsNamesTheClinicAndCareTeam) {
  ASSERT_TRUE(InsertClient(FullClient()).ok());

  absl::StatusOr<std::optional<ClientAccessFacts>> facts =
      Read([](UnitOfWork& uow) { return uow.clients().FindAccessFacts(kClinicA, ClientId(1)); });

  ASSERT_TRUE(facts.ok()) << facts.status();
  ASSERT_TRUE(facts->has_value());
  EXPECT_EQ((*facts)->clinic_id, kClinicA);
  EXPECT_EQ((*facts)->client_id, ClientId(1));
  EXPECT_THAT((*facts)->care_team_user_ids, UnorderedElementsAre(kAlice, kBea));

  absl::StatusOr<std::optional<ClientAccessFacts>> unknown =
      Read([](UnitOfWork& uow) { return uow.clients().FindAccessFacts(kClinicA, ClientId(9)); });
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(RepositoryTest, ListPagesThroughClientsByIdAfterTheCursor) {
  // Inserted out of order: the listing orders by id, not by insertion.
  std::vector<ClientRecord> clients;
  for (int n : {4, 1, 7, 3, 6, 2, 5}) {
    clients.push_back(NewClient(ClientId(n), kClinicA, "Given", "Family"));
  }
  clients.push_back(NewClient(ClientId(8), kClinicB, "Other", "Clinic"));
  ASSERT_TRUE(InsertClients(clients));

  ClientQuery query{.clinic_id = kClinicA, .limit = 3};
  std::vector<std::vector<std::string>> pages;
  for (int page = 0; page < 4; ++page) {
    absl::StatusOr<std::vector<ClientRecord>> listed = ListClients(query);
    ASSERT_TRUE(listed.ok()) << listed.status();
    pages.push_back(IdsOf(*listed));
    if (!listed->empty()) {
      query.after_id = listed->back().client.id();
    }
  }

  EXPECT_THAT(pages, ElementsAre(ElementsAre(ClientId(1), ClientId(2), ClientId(3)),
                                 ElementsAre(ClientId(4), ClientId(5), ClientId(6)),
                                 ElementsAre(ClientId(7)), IsEmpty()));
}

TEST_F(RepositoryTest, ListWithStatusReturnsOnlyClientsInThatStatus) {
  ASSERT_TRUE(
      InsertClients({NewClient(ClientId(1), kClinicA, "A", "A", v1::CLIENT_STATUS_ENQUIRY),
                     NewClient(ClientId(2), kClinicA, "B", "B", v1::CLIENT_STATUS_ACTIVE),
                     NewClient(ClientId(3), kClinicA, "C", "C", v1::CLIENT_STATUS_ARCHIVED),
                     NewClient(ClientId(4), kClinicA, "D", "D", v1::CLIENT_STATUS_ACTIVE)}));

  absl::StatusOr<std::vector<ClientRecord>> active =
      ListClients({.clinic_id = kClinicA, .status = v1::CLIENT_STATUS_ACTIVE});
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_THAT(IdsOf(*active), ElementsAre(ClientId(2), ClientId(4)));

  absl::StatusOr<std::vector<ClientRecord>> archived =
      ListClients({.clinic_id = kClinicA, .status = v1::CLIENT_STATUS_ARCHIVED});
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_THAT(IdsOf(*archived), ElementsAre(ClientId(3)));
}

TEST_F(RepositoryTest, ListExcludingArchivedLeavesOutArchivedClients) {
  ASSERT_TRUE(
      InsertClients({NewClient(ClientId(1), kClinicA, "A", "A", v1::CLIENT_STATUS_ENQUIRY),
                     NewClient(ClientId(2), kClinicA, "B", "B", v1::CLIENT_STATUS_ARCHIVED),
                     NewClient(ClientId(3), kClinicA, "C", "C", v1::CLIENT_STATUS_DISCHARGED),
                     NewClient(ClientId(4), kClinicA, "D", "D", v1::CLIENT_STATUS_INTAKE)}));

  absl::StatusOr<std::vector<ClientRecord>> listed = ListClients(
      {.clinic_id = kClinicA, .status = v1::CLIENT_STATUS_UNSPECIFIED, .exclude_archived = true});

  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(IdsOf(*listed), ElementsAre(ClientId(1), ClientId(3), ClientId(4)));
}

TEST_F(RepositoryTest, ListWithCareTeamUserReturnsOnlyHerClientsWithTheirCareTeams) {
  ClientRecord alices = NewClient(ClientId(1), kClinicA, "A", "A");
  alices.client.add_care_team()->set_user_id(kAlice);
  ClientRecord beas = NewClient(ClientId(2), kClinicA, "B", "B");
  beas.client.add_care_team()->set_user_id(kBea);
  ClientRecord shared = NewClient(ClientId(3), kClinicA, "C", "C");
  shared.client.add_care_team()->set_user_id(kAlice);
  shared.client.add_care_team()->set_user_id(kBea);
  ClientRecord nobodys = NewClient(ClientId(4), kClinicA, "D", "D");
  ASSERT_TRUE(InsertClients({alices, beas, shared, nobodys}));

  absl::StatusOr<std::vector<ClientRecord>> listed =
      ListClients({.clinic_id = kClinicA, .care_team_user_id = kAlice});

  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(IdsOf(*listed), ElementsAre(ClientId(1), ClientId(3)));
  const v1::Client& listed_shared = (*listed)[1].client;
  ASSERT_EQ(listed_shared.care_team_size(), 2);
  EXPECT_EQ(listed_shared.care_team(0).user_id(), kAlice);
  EXPECT_EQ(listed_shared.care_team(0).display_name(), "Dr Alice Ng");
  EXPECT_EQ(listed_shared.care_team(1).user_id(), kBea);
  EXPECT_EQ(listed_shared.care_team(1).display_name(), "Bea Okafor");
}

TEST_F(RepositoryTest, ListWithOnlyClientIdReturnsThatClientAlone) {
  ASSERT_TRUE(InsertClients(
      {NewClient(ClientId(1), kClinicA, "A", "A"), NewClient(ClientId(2), kClinicA, "B", "B"),
       NewClient(ClientId(3), kClinicA, "C", "C"), NewClient(ClientId(4), kClinicB, "D", "D")}));

  absl::StatusOr<std::vector<ClientRecord>> listed =
      ListClients({.clinic_id = kClinicA, .only_client_id = ClientId(2)});
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(IdsOf(*listed), ElementsAre(ClientId(2)));

  // Still scoped by clinic: a client of clinic B is not listed through clinic A.
  absl::StatusOr<std::vector<ClientRecord>> other_clinic =
      ListClients({.clinic_id = kClinicA, .only_client_id = ClientId(4)});
  ASSERT_TRUE(other_clinic.ok()) << other_clinic.status();
  EXPECT_THAT(IdsOf(*other_clinic), IsEmpty());
}

TEST_F(RepositoryTest, ListNamePrefixMatchesPreferredAndLegalNamesIgnoringCase) {
  ClientRecord by_preferred = NewClient(ClientId(1), kClinicA, "Rosa", "Lee");
  by_preferred.client.set_preferred_name("Mary");
  ClientRecord by_given = NewClient(ClientId(2), kClinicA, "MARGARET", "Hughes");
  ClientRecord by_family = NewClient(ClientId(3), kClinicA, "Ann", "Marsh");
  // "mar" inside a name but not at its start.
  ClientRecord inside = NewClient(ClientId(4), kClinicA, "Tamar", "Omar");
  ClientRecord neither = NewClient(ClientId(5), kClinicA, "Jo", "Smith");
  ASSERT_TRUE(InsertClients({by_preferred, by_given, by_family, inside, neither}));

  absl::StatusOr<std::vector<ClientRecord>> listed =
      ListClients({.clinic_id = kClinicA, .name_prefix = "mar"});

  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(IdsOf(*listed), ElementsAre(ClientId(1), ClientId(2), ClientId(3)));
}

TEST_F(RepositoryTest, ListNamePrefixTreatsLikeWildcardsLiterally) {
  ASSERT_TRUE(InsertClients({NewClient(ClientId(1), kClinicA, "100% Real", "A"),
                             NewClient(ClientId(2), kClinicA, "1000 Days", "B"),
                             NewClient(ClientId(3), kClinicA, "C", "O_Neil"),
                             NewClient(ClientId(4), kClinicA, "D", "Oxley"),
                             NewClient(ClientId(5), kClinicA, "E", "back\\slash"),
                             NewClient(ClientId(6), kClinicA, "F", "backslash")}));

  absl::StatusOr<std::vector<ClientRecord>> percent =
      ListClients({.clinic_id = kClinicA, .name_prefix = "100%"});
  ASSERT_TRUE(percent.ok()) << percent.status();
  EXPECT_THAT(IdsOf(*percent), ElementsAre(ClientId(1)));

  absl::StatusOr<std::vector<ClientRecord>> underscore =
      ListClients({.clinic_id = kClinicA, .name_prefix = "o_"});
  ASSERT_TRUE(underscore.ok()) << underscore.status();
  EXPECT_THAT(IdsOf(*underscore), ElementsAre(ClientId(3)));

  absl::StatusOr<std::vector<ClientRecord>> backslash =
      ListClients({.clinic_id = kClinicA, .name_prefix = "back\\"});
  ASSERT_TRUE(backslash.ok()) << backslash.status();
  EXPECT_THAT(IdsOf(*backslash), ElementsAre(ClientId(5)));
}

TEST_F(RepositoryTest, UpdateWithTheStoredVersionReplacesFieldsAndStoresTheNewVersion) {
  ASSERT_TRUE(InsertClient(FullClient()).ok());
  ClientRecord changed = FullClient();
  changed.version = 2;
  changed.client.set_preferred_name("Meg");
  changed.client.set_status(v1::CLIENT_STATUS_ACTIVE);
  changed.client.mutable_discreet_contact()->set_voicemail_ok(false);
  *changed.client.mutable_update_time() = ToTimestamp(kUpdateTime + absl::Microseconds(7));

  absl::Status updated =
      Write([&](UnitOfWork& uow) { return uow.clients().Update(changed, /*expected_version=*/1); });

  ASSERT_TRUE(updated.ok()) << updated;
  absl::StatusOr<std::optional<ClientRecord>> found = FindClient(kClinicA, ClientId(1));
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->version, 2);
  EXPECT_EQ((*found)->client.preferred_name(), "Meg");
  EXPECT_EQ((*found)->client.status(), v1::CLIENT_STATUS_ACTIVE);
  EXPECT_FALSE((*found)->client.discreet_contact().voicemail_ok());
  EXPECT_EQ(FromTimestamp((*found)->client.update_time()), kUpdateTime + absl::Microseconds(7));
}

TEST_F(RepositoryTest, UpdateWithAStaleVersionIsAbortedAndLeavesTheRecordUnchanged) {
  ASSERT_TRUE(InsertClient(FullClient()).ok());
  ClientRecord first = FullClient();
  first.version = 2;
  first.client.set_preferred_name("Meg");
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.clients().Update(first, 1); }).ok());
  ClientRecord stale = FullClient();
  stale.version = 2;
  stale.client.set_preferred_name("Maggie");

  absl::Status updated = Write([&](UnitOfWork& uow) { return uow.clients().Update(stale, 1); });

  EXPECT_EQ(updated.code(), absl::StatusCode::kAborted) << updated;
  absl::StatusOr<std::optional<ClientRecord>> found = FindClient(kClinicA, ClientId(1));
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->version, 2);
  EXPECT_EQ((*found)->client.preferred_name(), "Meg");
}

TEST_F(RepositoryTest, UnitOfWorkThatReturnsAnErrorLeavesNothingBehind) {
  absl::Status result = Write([](UnitOfWork& uow) -> absl::Status {
    if (absl::Status s = uow.clients().Insert(FullClient(), "req-1"); !s.ok()) {
      return s;
    }
    if (absl::Status s = uow.audit().Append(NewAuditEvent("evt-1", ClientId(1))); !s.ok()) {
      return s;
    }
    return absl::InvalidArgumentError("refused after the writes");
  });

  EXPECT_EQ(result, absl::InvalidArgumentError("refused after the writes"));
  absl::StatusOr<std::optional<ClientRecord>> found = FindClient(kClinicA, ClientId(1));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM care_team_members"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events"), 0);
}

// A refused request still records its audit event: Atomically undoes only the work inside it.
TEST_F(RepositoryTest, AtomicallyRollsBackOnlyItsOwnWorkWhileTheTransactionCommits) {
  absl::Status inner;
  absl::Status outer = Write([&](UnitOfWork& uow) -> absl::Status {
    if (absl::Status s = uow.clients().Insert(NewClient(ClientId(1), kClinicA, "A", "A"), "");
        !s.ok()) {
      return s;
    }
    inner = uow.Atomically([&]() -> absl::Status {
      if (absl::Status s = uow.clients().Insert(NewClient(ClientId(2), kClinicA, "B", "B"), "");
          !s.ok()) {
        return s;
      }
      return absl::FailedPreconditionError("refused");
    });
    return absl::OkStatus();
  });

  ASSERT_TRUE(outer.ok()) << outer;
  EXPECT_EQ(inner.code(), absl::StatusCode::kFailedPrecondition) << inner;
  absl::StatusOr<std::optional<ClientRecord>> a = FindClient(kClinicA, ClientId(1));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->has_value());
  absl::StatusOr<std::optional<ClientRecord>> b = FindClient(kClinicA, ClientId(2));
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_FALSE(b->has_value());
}

TEST_F(RepositoryTest, AuditEventsAppendedInAWriteTransactionAreDurable) {
  absl::Status appended = Write([](UnitOfWork& uow) -> absl::Status {
    if (absl::Status s = uow.audit().Append(NewAuditEvent("evt-1", ClientId(1))); !s.ok()) {
      return s;
    }
    return uow.audit().Append(NewAuditEvent("evt-2"));
  });
  ASSERT_TRUE(appended.ok()) << appended;

  // Closed and read back on a fresh connection: committed, not held by the runner.
  db_.reset();
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  std::string action, client_id, outcome;
  long long time = 0;
  *sql << "SELECT action, client_id, outcome, time FROM audit_events WHERE id = 'evt-1'",
      soci::into(action), soci::into(client_id), soci::into(outcome), soci::into(time);
  ASSERT_TRUE(sql->got_data());
  EXPECT_EQ(action, "confide.v1.ClientService.GetClient");
  EXPECT_EQ(client_id, ClientId(1));
  EXPECT_EQ(outcome, "success");
  EXPECT_EQ(time, absl::ToUnixMicros(kCreateTime));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events"), 2);
}

// Reading a record is itself audited, so a read transaction may append (on SQLite the event
// leaves the read-only connection and rides the writer's next commit).
TEST_F(RepositoryTest, AuditEventAppendedInAReadTransactionIsStored) {
  ASSERT_TRUE(InsertClient(FullClient()).ok());

  absl::Status read = db_->transactions().Run(TransactionMode::kRead, [](UnitOfWork& uow) {
    absl::StatusOr<std::optional<ClientRecord>> found = uow.clients().Find(kClinicA, ClientId(1));
    if (!found.ok()) {
      return found.status();
    }
    return uow.audit().Append(NewAuditEvent("evt-read", ClientId(1)));
  });

  ASSERT_TRUE(read.ok()) << read;
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events WHERE id = 'evt-read'"), 1);
}

TEST_F(RepositoryTest, DatabaseRefusesToUpdateOrDeleteAuditEvents) {
  ASSERT_TRUE(
      Write([](UnitOfWork& uow) { return uow.audit().Append(NewAuditEvent("evt-1")); }).ok());
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();

  EXPECT_THROW(*sql << "UPDATE audit_events SET outcome = 'denied'", soci::soci_error);
  EXPECT_THROW(*sql << "DELETE FROM audit_events", soci::soci_error);

  std::string outcome;
  *sql << "SELECT outcome FROM audit_events WHERE id = 'evt-1'", soci::into(outcome);
  EXPECT_TRUE(sql->got_data());
  EXPECT_EQ(outcome, "success");
}

// Many request threads writing at once: SQLite's group commit and PostgreSQL's pool must lose
// none of them.
TEST_F(RepositoryTest, ConcurrentWriteTransactionsAllCommit) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const ClientRecord record =
            NewClient(ClientId(t * kPerThread + i + 1), kClinicA, "Given", "Family");
        if (!InsertClient(record).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clients"), kThreads * kPerThread);
  absl::StatusOr<std::vector<ClientRecord>> listed =
      ListClients({.clinic_id = kClinicA, .limit = 500});
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace confide::persistence
