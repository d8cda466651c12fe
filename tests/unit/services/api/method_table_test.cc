#include "services/api/method_table.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/openssl_message_authenticator.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "services/audit/audit_event.h"
#include "services/auth/auth_service.h"
#include "services/auth/password_checker.h"
#include "services/clients/client_service.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/fake_password_hasher.h"
#include "tests/fakes/fake_secret_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"

namespace confide {
namespace {

using ::testing::UnorderedElementsAre;

MethodDefinition<v1::GetClientRequest, v1::Client> GetClientDefinition(std::string name) {
  return MethodDefinition<v1::GetClientRequest, v1::Client>{
      .full_name = std::move(name),
      .action = Action::kReadClient,
      .target_client = [](const v1::GetClientRequest& r) { return r.client_id(); },
      .handler = [](const v1::GetClientRequest& r, RequestScope&) -> absl::StatusOr<v1::Client> {
        v1::Client client;
        client.set_id(r.client_id());
        return client;
      }};
}

TEST(MethodTableTest, FindReturnsTheRegisteredMethodWithItsDescriptor) {
  MethodTable table;
  table.Add(GetClientDefinition("confide.v1.ClientService.GetClient"));
  const MethodSpec* spec = table.Find("confide.v1.ClientService.GetClient");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->full_name, "confide.v1.ClientService.GetClient");
  ASSERT_NE(spec->descriptor, nullptr);
  EXPECT_EQ(spec->descriptor->full_name(), "confide.v1.ClientService.GetClient");
  EXPECT_EQ(spec->request_prototype, &v1::GetClientRequest::default_instance());
  EXPECT_EQ(spec->action, Action::kReadClient);
}

TEST(MethodTableTest, FindOfUnregisteredNameIsNull) {
  MethodTable table;
  table.Add(GetClientDefinition("confide.v1.ClientService.GetClient"));
  EXPECT_EQ(table.Find("confide.v1.ClientService.ListClients"), nullptr);
  EXPECT_EQ(table.Find("GetClient"), nullptr);
}

TEST(MethodTableTest, TypeErasedFunctionsSeeTheTypedRequest) {
  MethodTable table;
  table.Add(GetClientDefinition("confide.v1.ClientService.GetClient"));
  const MethodSpec& spec = *table.Find("confide.v1.ClientService.GetClient");
  v1::GetClientRequest request;
  request.set_client_id("client-42");

  EXPECT_EQ(spec.target_client(request), "client-42");

  InMemoryTransactionRunner db;
  AuditEvent event;
  CallContext call;
  absl::Status ran = db.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    RequestScope scope{
        .principal = nullptr, .uow = uow, .call = call, .client_id = {}, .audit = event};
    auto response = spec.handler(request, scope);
    EXPECT_TRUE(response.ok());
    if (response.ok()) {
      const auto* client = dynamic_cast<const v1::Client*>(response->get());
      EXPECT_NE(client, nullptr);
      EXPECT_EQ(client == nullptr ? "" : client->id(), "client-42");
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(ran.ok());
}

TEST(MethodTableTest, ServicesRegisterEveryRpcOfTheirProtoService) {
  FakeIdGenerator ids;
  FakePasswordHasher hasher;
  FakeSecretGenerator secrets;
  ClientService clients(ids);
  PasswordChecker passwords(hasher, secrets);
  AesGcmSecretBox box(std::string(32, 'k'));
  OpenSslMessageAuthenticator mac;
  AuthService auth(passwords, secrets, ids, box, mac, SessionPolicy{}, LockoutPolicy{});
  MethodTable table;
  clients.Register(table);
  auth.Register(table);

  std::vector<std::string> names;
  for (const MethodSpec* spec : table.All()) {
    names.push_back(spec->full_name);
  }
  EXPECT_THAT(
      names,
      UnorderedElementsAre(
          "confide.v1.ClientService.CreateClient", "confide.v1.ClientService.GetClient",
          "confide.v1.ClientService.ListClients", "confide.v1.ClientService.UpdateClient",
          "confide.v1.ClientService.ArchiveClient", "confide.v1.AuthService.Login",
          "confide.v1.AuthService.Logout", "confide.v1.AuthService.GetCurrentUser",
          "confide.v1.AuthService.ListMySessions", "confide.v1.AuthService.RevokeMySession"));
}

// Only Login may run without a session; writes get a write transaction.
TEST(MethodTableTest, OnlyLoginIsPublicAndWritesRunInWriteTransactions) {
  FakeIdGenerator ids;
  FakePasswordHasher hasher;
  FakeSecretGenerator secrets;
  ClientService clients(ids);
  PasswordChecker passwords(hasher, secrets);
  AesGcmSecretBox box(std::string(32, 'k'));
  OpenSslMessageAuthenticator mac;
  AuthService auth(passwords, secrets, ids, box, mac, SessionPolicy{}, LockoutPolicy{});
  MethodTable table;
  clients.Register(table);
  auth.Register(table);

  for (const MethodSpec* spec : table.All()) {
    SCOPED_TRACE(spec->full_name);
    EXPECT_EQ(spec->is_public, spec->full_name == "confide.v1.AuthService.Login");
    const bool reads = spec->full_name == "confide.v1.ClientService.GetClient" ||
                       spec->full_name == "confide.v1.ClientService.ListClients" ||
                       spec->full_name == "confide.v1.AuthService.GetCurrentUser" ||
                       spec->full_name == "confide.v1.AuthService.ListMySessions";
    EXPECT_EQ(spec->mode, reads ? TransactionMode::kRead : TransactionMode::kWrite);
  }
}

using MethodTableDeathTest = ::testing::Test;

// A typo in a method name must stop the server at start-up, not answer UNIMPLEMENTED later.
TEST_F(MethodTableDeathTest, RegisteringAnRpcThatDoesNotExistAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MethodTable table;
  EXPECT_DEATH(table.Add(GetClientDefinition("confide.v1.ClientService.GetClinet")), "no such RPC");
}

TEST_F(MethodTableDeathTest, RegisteringWithTheWrongRequestTypeAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MethodTable table;
  EXPECT_DEATH(table.Add(GetClientDefinition("confide.v1.ClientService.ArchiveClient")),
               "type differs");
}

TEST_F(MethodTableDeathTest, RegisteringTheSameRpcTwiceAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MethodTable table;
  table.Add(GetClientDefinition("confide.v1.ClientService.GetClient"));
  EXPECT_DEATH(table.Add(GetClientDefinition("confide.v1.ClientService.GetClient")),
               "registered twice");
}

// Without an action the pipeline would hand the client to the handler without asking the policy.
TEST_F(MethodTableDeathTest, MethodTargetingAClientWithoutAnActionAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MethodTable table;
  auto definition = GetClientDefinition("confide.v1.ClientService.GetClient");
  definition.action.reset();
  EXPECT_DEATH(table.Add(definition), "needs an action");
}

}  // namespace
}  // namespace confide
