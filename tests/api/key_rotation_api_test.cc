// Master-key rotation end to end, with the real binaries: the server writes clinical content
// and a portal invitation under key 1 and stops; `confidectl keys rotate` re-seals everything
// sealed by the master key under key 2 (and refuses a "new" key that is the current one); a
// second run re-seals nothing; the server, started with key 2 alone, reads what was written.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ClientPath(const std::string& id) { return "/v1/clients/" + id; }

// The "v1.<key id>." prefix of a value sealed by a master key.
std::string KeyPrefix(const std::string& sealed) { return sealed.substr(0, 12); }

class KeyRotationApiTest : public ApiTest {
 protected:
  static CommandResult Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {CONFIDE_CTL_BINARY, "--database-url",
                                     server().database().url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  // The sealed value of one row; `id` is a server-made UUID, safe to splice into SQL.
  static std::string Column(const std::string& sql) {
    std::vector<std::string> rows = Query(sql);
    return rows.empty() ? "" : rows.front();
  }
};

TEST_F(KeyRotationApiTest, AfterRotationTheServerReadsEverythingWithTheNewKeyAlone) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam, {{"email", "rotation-" + Unique() + "@x.test"}});
  ASSERT_FALSE(client.is_null());
  const std::string id = client["id"];
  const std::string hopes = "rotation-hopes-" + Unique();
  const std::string title = "rotation-plan-" + Unique();
  ASSERT_EQ(Rest()
                .Patch(ClientPath(id) + "/intake?updateMask=hopes",
                       {{"etag", "v0"}, {"hopes", hopes}}, sam)
                .status,
            200);
  HttpResponse plan = Rest().Post(ClientPath(id) + "/plans", {{"title", title}}, sam);
  ASSERT_EQ(plan.status, 200) << plan.body;
  const std::string plan_id = plan.Json().value("id", "");
  HttpResponse invited =
      Rest().Post(ClientPath(id) + ":inviteToPortal", nlohmann::json::object(), sam);
  ASSERT_EQ(invited.status, 200) << invited.body;

  const std::string intake_before =
      Column("SELECT answers_sealed FROM intakes WHERE client_id = '" + id + "'");
  const std::string key1_prefix =
      KeyPrefix(Column("SELECT wrapped_key FROM client_data_keys WHERE client_id = '" + id + "'"));
  ASSERT_EQ(KeyPrefix(Column("SELECT totp_secret_sealed FROM users WHERE id = '" +
                             std::string(kSamUserId) + "'")),
            key1_prefix);

  // Offline rotation: stop, rotate, start with the new key only.
  ASSERT_EQ(server().Stop(), "");
  const std::string key1 = server().master_key_path();
  const std::string key2 = key1 + ".2";
  CommandResult keygen = Ctl({"--master-key-file", key2, "keygen"});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.output;

  CommandResult same =
      Ctl({"--master-key-file", key1, "keys", "rotate", "--new-master-key-file", key1});
  EXPECT_NE(same.exit_code, 0);
  EXPECT_THAT(same.output, HasSubstr("holds the current master key"));

  // A wrong current key (not the one the values are under) fails on the first value and
  // changes nothing.
  const std::string wrong = key1 + ".wrong";
  ASSERT_EQ(Ctl({"--master-key-file", wrong, "keygen"}).exit_code, 0);
  CommandResult wrong_current =
      Ctl({"--master-key-file", wrong, "keys", "rotate", "--new-master-key-file", key2});
  EXPECT_NE(wrong_current.exit_code, 0);
  EXPECT_THAT(wrong_current.output, HasSubstr("nothing was changed"));
  EXPECT_THAT(wrong_current.output, HasSubstr("opens with neither"));
  EXPECT_EQ(
      KeyPrefix(Column("SELECT wrapped_key FROM client_data_keys WHERE client_id = '" + id + "'")),
      key1_prefix);

  // A new key file others may read is refused before the database is touched.
  const std::string readable = key1 + ".readable";
  std::filesystem::copy_file(key2, readable);
  std::filesystem::permissions(readable, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  CommandResult open_file =
      Ctl({"--master-key-file", key1, "keys", "rotate", "--new-master-key-file", readable});
  EXPECT_NE(open_file.exit_code, 0);
  EXPECT_THAT(open_file.output, HasSubstr("chmod 600"));
  EXPECT_EQ(
      KeyPrefix(Column("SELECT wrapped_key FROM client_data_keys WHERE client_id = '" + id + "'")),
      key1_prefix);

  CommandResult rotated =
      Ctl({"--master-key-file", key1, "keys", "rotate", "--new-master-key-file", key2});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
  // No key material is ever printed.
  for (const std::string& file : {key1, key2}) {
    std::ifstream in(file);
    std::string hex;
    in >> hex;
    ASSERT_EQ(hex.size(), 64u);
    for (const CommandResult* run : {&rotated, &wrong_current, &open_file}) {
      EXPECT_THAT(run->output, Not(HasSubstr(hex.substr(0, 16))));
    }
  }
  EXPECT_THAT(rotated.output, HasSubstr("users.totp_secret_sealed: "));
  EXPECT_THAT(rotated.output, HasSubstr("outbound_messages.token_sealed: "));
  EXPECT_THAT(rotated.output, Not(HasSubstr("client_data_keys.wrapped_key: 0 re-sealed")));
  EXPECT_THAT(rotated.output, Not(HasSubstr(hopes)));

  CommandResult again =
      Ctl({"--master-key-file", key1, "keys", "rotate", "--new-master-key-file", key2});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("rotation committed (0 values re-sealed)"));

  // Every master-sealed value is now under key 2; the clinical content was not rewritten.
  const std::string key2_prefix =
      KeyPrefix(Column("SELECT wrapped_key FROM client_data_keys WHERE client_id = '" + id + "'"));
  EXPECT_NE(key2_prefix, key1_prefix);
  EXPECT_EQ(KeyPrefix(Column("SELECT totp_secret_sealed FROM users WHERE id = '" +
                             std::string(kSamUserId) + "'")),
            key2_prefix);
  EXPECT_EQ(Column("SELECT answers_sealed FROM intakes WHERE client_id = '" + id + "'"),
            intake_before);
  // The mail relay reads the invitation token with the new key.
  CommandResult outbox = Ctl({"--master-key-file", key2, "outbox", "list"});
  ASSERT_EQ(outbox.exit_code, 0) << outbox.output;
  EXPECT_THAT(outbox.output, HasSubstr(client.value("email", "")));
  EXPECT_THAT(outbox.output, Not(HasSubstr("skipping message")));

  std::string error;
  ASSERT_TRUE(server().Restart(key2, &error)) << error;
  // Sessions are stored in the database: Sam's survives the restart.
  HttpResponse intake = Rest().Get(ClientPath(id) + "/intake", sam);
  ASSERT_EQ(intake.status, 200) << intake.body;
  EXPECT_EQ(intake.Json().value("hopes", ""), hopes);
  HttpResponse read_plan = Rest().Get(ClientPath(id) + "/plans/" + plan_id, sam);
  ASSERT_EQ(read_plan.status, 200) << read_plan.body;
  EXPECT_EQ(read_plan.Json().value("title", ""), title);
}

}  // namespace
}  // namespace confide::api_test
