#include "tests/fakes/in_memory_identity_repositories.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/clients/ports/care_team_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/storage/ports/unit_of_work.h"
#include "tests/fakes/in_memory_unit_of_work.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1'770'000'000);
constexpr char kClinic[] = "clinic-a";
constexpr char kClient[] = "client-jo";

UserRecord User(const std::string& id, v1::Role role) {
  UserRecord record;
  record.user.set_id(id);
  record.user.set_clinic_id(kClinic);
  record.user.set_email(id + "@example.test");
  record.user.set_display_name("Name of " + id);
  record.user.set_role(role);
  return record;
}

class InMemoryIdentityRepositoriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(runner_
                    .Seed([](UnitOfWork& uow) -> absl::Status {
                      for (const char* id : {"alex", "sam"}) {
                        if (absl::Status s = uow.users().Insert(User(id, v1::ROLE_CLINICIAN), kNow);
                            !s.ok()) {
                          return s;
                        }
                      }
                      ClientRecord client{.clinic_id = kClinic};
                      client.client.set_id(kClient);
                      client.client.add_care_team()->set_user_id("alex");
                      return uow.clients().Insert(client, "");
                    })
                    .ok());
  }

  InMemoryTransactionRunner runner_;
};

TEST_F(InMemoryIdentityRepositoriesTest, AdvanceTotpStepRefusesReplayAndOlderSteps) {
  InMemoryUnitOfWork uow(runner_.Committed());
  UserRepository& users = uow.users();
  EXPECT_EQ(users.AdvanceTotpStep("alex", 100).value(), true);
  EXPECT_EQ(users.AdvanceTotpStep("alex", 100).value(), false);
  EXPECT_EQ(users.AdvanceTotpStep("alex", 99).value(), false);
  EXPECT_EQ(users.AdvanceTotpStep("alex", 101).value(), true);
  EXPECT_EQ(users.AdvanceTotpStep("nobody", 5).value(), false);
  EXPECT_EQ((*users.FindById("alex"))->totp_last_step, 101);
}

TEST_F(InMemoryIdentityRepositoriesTest, RecoveryCodeIsUsedOnceAndReplacingResetsThem) {
  InMemoryUnitOfWork uow(runner_.Committed());
  UserRepository& users = uow.users();
  ASSERT_TRUE(users.ReplaceRecoveryCodes("alex", {"d1", "d2"}).ok());
  EXPECT_EQ(users.CountUnusedRecoveryCodes("alex").value(), 2);
  EXPECT_EQ(users.UseRecoveryCode("alex", "d1", kNow).value(), true);
  EXPECT_EQ(users.UseRecoveryCode("alex", "d1", kNow).value(), false);
  EXPECT_EQ(users.UseRecoveryCode("sam", "d2", kNow).value(), false);
  EXPECT_EQ(users.CountUnusedRecoveryCodes("alex").value(), 1);

  ASSERT_TRUE(users.ReplaceRecoveryCodes("alex", {"d3"}).ok());
  EXPECT_EQ(users.CountUnusedRecoveryCodes("alex").value(), 1);
  EXPECT_EQ(users.UseRecoveryCode("alex", "d2", kNow).value(), false);
  EXPECT_EQ(users.ReplaceRecoveryCodes("nobody", {"d4"}).code(), absl::StatusCode::kNotFound);
}

TEST_F(InMemoryIdentityRepositoriesTest, TokenIsMarkedUsedOnceAndNeverAfterRevoke) {
  InMemoryUnitOfWork uow(runner_.Committed());
  OneTimeTokenRepository& tokens = uow.one_time_tokens();
  OneTimeTokenRecord invite{.id = "t1",
                            .token_digest = "digest-1",
                            .purpose = TokenPurpose::kStaffInvitation,
                            .clinic_id = kClinic,
                            .email = "New@Example.test"};
  ASSERT_TRUE(tokens.Insert(invite).ok());
  OneTimeTokenRecord same_digest = invite;
  same_digest.id = "t9";
  EXPECT_EQ(tokens.Insert(same_digest).code(), absl::StatusCode::kAlreadyExists);

  EXPECT_EQ(tokens.MarkUsed("t1", kNow).value(), true);
  EXPECT_EQ(tokens.MarkUsed("t1", kNow).value(), false);
  EXPECT_EQ(tokens.MarkUsed("missing", kNow).value(), false);

  OneTimeTokenRecord second = invite;
  second.id = "t2";
  second.token_digest = "digest-2";
  ASSERT_TRUE(tokens.Insert(second).ok());
  ASSERT_TRUE(tokens.RevokeOutstanding(second, kNow).ok());
  EXPECT_EQ(tokens.MarkUsed("t2", kNow).value(), false);
  std::optional<OneTimeTokenRecord> used = *tokens.FindByDigest("digest-1");
  ASSERT_TRUE(used.has_value());
  EXPECT_FALSE(used->revoke_time.has_value());  // Used tokens are not revoked.
}

TEST_F(InMemoryIdentityRepositoriesTest, CareTeamAddIsVisibleInAccessFacts) {
  InMemoryUnitOfWork uow(runner_.Committed());
  ASSERT_TRUE(
      uow.care_teams().Add({.client_id = kClient, .user_id = "sam", .added_time = kNow}).ok());
  EXPECT_EQ(uow.care_teams().Add({.client_id = kClient, .user_id = "sam"}).code(),
            absl::StatusCode::kAlreadyExists);

  auto facts = uow.clients().FindAccessFacts(kClinic, kClient);
  ASSERT_TRUE(facts.ok() && facts->has_value());
  EXPECT_THAT((*facts)->care_team_user_ids, ElementsAre("alex", "sam"));
  EXPECT_THAT(*uow.care_teams().List(kClient),
              ElementsAre(Field(&CareTeamMemberRecord::user_id, "alex"),
                          Field(&CareTeamMemberRecord::user_id, "sam")));

  ASSERT_TRUE(uow.care_teams().Remove(kClient, "alex").ok());
  EXPECT_EQ(uow.care_teams().Remove(kClient, "alex").code(), absl::StatusCode::kNotFound);
  facts = uow.clients().FindAccessFacts(kClinic, kClient);
  EXPECT_THAT((*facts)->care_team_user_ids, ElementsAre("sam"));
}

TEST_F(InMemoryIdentityRepositoriesTest, CareTeamChangeRollsBackWithTheSavepoint) {
  InMemoryUnitOfWork uow(runner_.Committed());
  absl::Status status = uow.Atomically([&] {
    EXPECT_TRUE(uow.care_teams().Add({.client_id = kClient, .user_id = "sam"}).ok());
    return absl::AbortedError("refused");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT((*uow.clients().FindAccessFacts(kClinic, kClient))->care_team_user_ids,
              ElementsAre("alex"));
}

TEST_F(InMemoryIdentityRepositoriesTest, SetPrimaryLeavesExactlyOnePrimary) {
  InMemoryUnitOfWork uow(runner_.Committed());
  CareTeamRepository& team = uow.care_teams();
  ASSERT_TRUE(team.Add({.client_id = kClient, .user_id = "sam"}).ok());
  ASSERT_TRUE(team.SetPrimary(kClient, "alex").ok());
  ASSERT_TRUE(team.SetPrimary(kClient, "sam").ok());
  EXPECT_EQ(team.SetPrimary(kClient, "nobody").code(), absl::StatusCode::kNotFound);

  EXPECT_THAT(*team.List(kClient), ElementsAre(Field(&CareTeamMemberRecord::is_primary, false),
                                               Field(&CareTeamMemberRecord::is_primary, true)));
  std::optional<ClientRecord> client = *uow.clients().Find(kClinic, kClient);
  ASSERT_TRUE(client.has_value());
  ASSERT_EQ(client->client.care_team_size(), 2);
  EXPECT_FALSE(client->client.care_team(0).primary());
  EXPECT_TRUE(client->client.care_team(1).primary());
}

TEST_F(InMemoryIdentityRepositoriesTest, ClientUpdateKeepsTheStoredCareTeam) {
  InMemoryUnitOfWork uow(runner_.Committed());
  ClientRecord stale = **uow.clients().Find(kClinic, kClient);
  ASSERT_TRUE(uow.care_teams().Add({.client_id = kClient, .user_id = "sam"}).ok());
  stale.client.set_preferred_name("Jo");
  stale.version = 2;
  ASSERT_TRUE(uow.clients().Update(stale, 1).ok());
  EXPECT_THAT((*uow.clients().FindAccessFacts(kClinic, kClient))->care_team_user_ids,
              ElementsAre("alex", "sam"));
}

TEST_F(InMemoryIdentityRepositoriesTest, ListLiveSessionsNewestFirstAndRevokeAllKeepsOne) {
  InMemoryUnitOfWork uow(runner_.Committed());
  SessionRepository& sessions = uow.sessions();
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(sessions
                    .Insert({.id = "s" + std::to_string(i),
                             .token_digest = "d" + std::to_string(i),
                             .user_id = "alex",
                             .create_time = kNow + absl::Minutes(i),
                             .expire_time = kNow + absl::Hours(i == 1 ? 0 : 8)})
                    .ok());
  }
  EXPECT_THAT(*sessions.ListLiveOfUser("alex", kNow + absl::Minutes(5)),
              ElementsAre(Field(&SessionRecord::id, "s3"), Field(&SessionRecord::id, "s2")));
  EXPECT_EQ(sessions.RevokeAllOfUser("alex", "s3", kNow + absl::Minutes(5)).value(), 1);
  EXPECT_THAT(*sessions.ListLiveOfUser("alex", kNow + absl::Minutes(5)),
              ElementsAre(Field(&SessionRecord::id, "s3")));
  EXPECT_THAT(*sessions.ListLiveOfUser("sam", kNow), IsEmpty());
}

TEST_F(InMemoryIdentityRepositoriesTest, PartnerLinkSharesChangeOnlyWhileLive) {
  InMemoryUnitOfWork uow(runner_.Committed());
  PartnerLinkRepository& links = uow.partner_links();
  ASSERT_TRUE(links
                  .Insert({.id = "l1",
                           .clinic_id = kClinic,
                           .client_id = kClient,
                           .partner_user_id = "pat",
                           .shares = 1,
                           .create_time = kNow})
                  .ok());
  ASSERT_TRUE(links.UpdateShares("l1", 3, kNow + absl::Minutes(1)).ok());
  ASSERT_TRUE(links.Revoke("l1", kNow + absl::Minutes(2)).ok());
  ASSERT_TRUE(links.Revoke("l1", kNow + absl::Minutes(3)).ok());
  EXPECT_EQ(links.UpdateShares("l1", 7, kNow).code(), absl::StatusCode::kNotFound);
  std::optional<PartnerLinkRecord> link = *links.Find(kClinic, "l1");
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->shares, 3u);
  EXPECT_EQ(link->revoke_time, kNow + absl::Minutes(2));
  EXPECT_FALSE(links.FindLiveOfPartner("pat")->has_value());
  EXPECT_FALSE(links.Find("clinic-b", "l1")->has_value());
}

TEST_F(InMemoryIdentityRepositoriesTest, BreakGlassLiveUntilIsTheLatestLiveExpiry) {
  InMemoryUnitOfWork uow(runner_.Committed());
  BreakGlassRepository& grants = uow.break_glass();
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(grants
                    .Insert({.id = "g" + std::to_string(i),
                             .clinic_id = kClinic,
                             .client_id = kClient,
                             .user_id = "sam",
                             .create_time = kNow,
                             .expire_time = kNow + absl::Hours(i)})
                    .ok());
  }
  EXPECT_EQ(*grants.LiveUntil("sam", kClient, kNow), kNow + absl::Hours(3));
  EXPECT_FALSE(grants.LiveUntil("sam", kClient, kNow + absl::Hours(3))->has_value());
  EXPECT_THAT(*grants.List({.clinic_id = kClinic, .before_id = "g3", .limit = 1}),
              ElementsAre(Field(&BreakGlassRecord::id, "g2")));
}

}  // namespace
}  // namespace confide
