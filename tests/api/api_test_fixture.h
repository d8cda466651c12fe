#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "http_client.h"
#include "nlohmann/json.hpp"
#include "test_server.h"

namespace confide::api_test {

// The demo clinic (DESIGN.md, "Signing in, and the demo clinic"; services/demo/demo_clinic.cc).
inline constexpr char kDemoPassword[] = "demo-Confide-2026";
inline constexpr char kSamEmail[] = "sam.therapist@demo.confide.test";
inline constexpr char kAlexEmail[] = "alex.physio@demo.confide.test";
inline constexpr char kAdminEmail[] = "admin@demo.confide.test";
inline constexpr char kAuditorEmail[] = "auditor@demo.confide.test";
inline constexpr char kJoEmail[] = "jo.patient@demo.confide.test";
inline constexpr char kKimEmail[] = "kim.partner@demo.confide.test";
inline constexpr char kCaseyEmail[] = "casey.patient@demo.confide.test";
inline constexpr char kRileyEmail[] = "riley.patient@demo.confide.test";
inline constexpr char kOtherTherapistEmail[] = "other.therapist@demo.confide.test";
inline constexpr char kSamUserId[] = "0190d000-0000-7000-8000-00000000a001";
inline constexpr char kAlexUserId[] = "0190d000-0000-7000-8000-00000000a002";
inline constexpr char kOtherTherapistUserId[] = "0190d000-0000-7000-8000-00000000a009";
inline constexpr char kAdminUserId[] = "0190d000-0000-7000-8000-00000000a003";
inline constexpr char kKimUserId[] = "0190d000-0000-7000-8000-00000000a007";
inline constexpr char kKimPartnerLinkId[] = "0190d000-0000-7000-8000-00000000b001";
// The demo staff accounts' published TOTP secret (DESIGN.md).
inline constexpr char kDemoTotpSecret[] = "JBSWY3DPEHPK3PXP";
// Jo's care team is Sam and Alex; Riley's is Sam only; Casey belongs to Other Clinic.
inline constexpr char kJoClientId[] = "0190d000-0000-7000-8000-00000000c001";
inline constexpr char kRileyClientId[] = "0190d000-0000-7000-8000-00000000c002";
inline constexpr char kCaseyClientId[] = "0190d000-0000-7000-8000-00000000c003";
// A well-formed id that names no client anywhere.
inline constexpr char kNonexistentClientId[] = "0190d000-0000-7000-8000-0000deadbeef";

// One real confide-server per test suite: started (with the demo accounts signed in) before the
// suite's first test, stopped after its last, where a stop that is not graceful is a failure.
// When start-up fails, every test of the suite fails with the reason (never skips).
class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // Whether the suite's server started and its demo accounts signed in.
  static bool Started() { return server_ != nullptr && start_error_.empty(); }
  static TestServer& server() { return *server_; }
  static HttpClient Rest() { return HttpClient(server_->rest_port()); }

  // The session token of a demo account, signed in once per suite.
  static std::string TokenOf(const std::string& email);
  // POST /v1/auth/login.
  static HttpResponse LogIn(std::string_view email, std::string_view password);
  static HttpResponse LogInWithTotp(std::string_view email, std::string_view password,
                                    std::string_view totp_code);
  // The demo secret's current TOTP code (from `confidectl demo totp-code`). A code signs one
  // account in once: a second sign-in of the same staff account needs the next code.
  static std::string DemoTotpCode();
  static bool IsDemoStaff(std::string_view email);
  // Text no other call in this test process returns: for names and request ids.
  static std::string Unique();
  // Creates a client over REST with required names filled in and `fields` on top; fails the
  // test and returns null when the server refuses.
  static nlohmann::json CreateClient(const std::string& token, nlohmann::json fields = {});
  // The token of the newest unsent invitation or reset message to `email` in the server's
  // outbox (read with `confidectl outbox list`, as the mail relay would); fails the test and
  // returns "" when there is none.
  static std::string TokenSentTo(const std::string& email);
  // Runs SQL on the server's database; fails the test on error.
  static std::vector<std::string> Query(const std::string& sql);

 private:
  static inline std::unique_ptr<TestServer> server_;
  static inline std::string start_error_;
  static inline std::map<std::string, std::string> tokens_;
};

// An error answer as DESIGN.md ("API conventions", "Input the gateway refuses before parsing")
// describes it: HTTP `http_status` and a google.rpc.Status JSON body with a numeric code (equal
// to `code` when given) and a non-empty message.
::testing::AssertionResult IsErrorAnswer(const HttpResponse& response, int http_status,
                                         std::optional<int> code = std::nullopt);

// The `field` of every google.rpc.BadRequest field violation in a google.rpc.Status JSON body.
std::vector<std::string> ViolatedFields(const nlohmann::json& status);

// google.rpc.Code values used by the tests.
inline constexpr int kInvalidArgument = 3;
inline constexpr int kNotFound = 5;
inline constexpr int kPermissionDenied = 7;
inline constexpr int kFailedPrecondition = 9;
inline constexpr int kAborted = 10;
inline constexpr int kUnauthenticated = 16;

}  // namespace confide::api_test
