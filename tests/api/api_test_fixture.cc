#include "api_test_fixture.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace confide::api_test {
namespace {

// The end of a log, so a failure report stays readable.
std::string Tail(const std::string& text, size_t max_lines) {
  size_t start = text.size();
  for (size_t lines = 0; start > 0 && lines <= max_lines; --start) {
    if (text[start - 1] == '\n') {
      ++lines;
    }
  }
  return text.substr(start);
}

}  // namespace

void ApiTest::SetUpTestSuite() {
  start_error_.clear();
  tokens_.clear();
  server_ = TestServer::Start(&start_error_);
  if (server_ == nullptr) {
    return;
  }
  for (const char* email : {kSamEmail, kAlexEmail, kAdminEmail, kAuditorEmail, kJoEmail,
                            kRileyEmail, kKimEmail, kOtherTherapistEmail}) {
    // Each staff account signs in once per suite: a TOTP code is good only once.
    HttpResponse login = IsDemoStaff(email) ? LogInWithTotp(email, kDemoPassword, DemoTotpCode())
                                            : LogIn(email, kDemoPassword);
    nlohmann::json body = login.Json();
    if (login.status != 200 || !body.is_object() || !body.contains("sessionToken")) {
      start_error_ = std::string("demo sign-in of ") + email + " failed: HTTP " +
                     std::to_string(login.status) + " " + login.error + " " + login.body;
      return;
    }
    tokens_[email] = body["sessionToken"].get<std::string>();
  }
}

void ApiTest::TearDownTestSuite() {
  if (server_ == nullptr) {
    return;
  }
  const std::string stopped = server_->Stop();
  const ::testing::TestSuite* suite = ::testing::UnitTest::GetInstance()->current_test_suite();
  if (!stopped.empty()) {
    ADD_FAILURE() << stopped << "; end of its log:\n" << Tail(server_->Log(), 60);
  } else if (suite != nullptr && suite->Failed()) {
    std::fprintf(stderr, "end of confide-server's log for %s:\n%s\n", suite->name(),
                 Tail(server_->Log(), 60).c_str());
  }
  server_.reset();
  tokens_.clear();
}

void ApiTest::SetUp() {
  ASSERT_TRUE(Started()) << "the suite's confide-server is not usable: " << start_error_;
}

std::string ApiTest::TokenOf(const std::string& email) {
  auto it = tokens_.find(email);
  if (it == tokens_.end()) {
    ADD_FAILURE() << "no session for " << email;
    return "";
  }
  return it->second;
}

HttpResponse ApiTest::LogIn(std::string_view email, std::string_view password) {
  return Rest().Post("/v1/auth/login", {{"email", email}, {"password", password}});
}

HttpResponse ApiTest::LogInWithTotp(std::string_view email, std::string_view password,
                                    std::string_view totp_code) {
  return Rest().Post("/v1/auth/login",
                     {{"email", email}, {"password", password}, {"totpCode", totp_code}});
}

std::string ApiTest::TokenSentTo(const std::string& email) {
  CommandResult listed =
      RunCommand({CONFIDE_CTL_BINARY, "--database-url", server().database().url(),
                  "--master-key-file", server().master_key_path(), "outbox", "list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  std::string lowered = email;
  for (char& c : lowered) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string token;
  std::istringstream lines(listed.output);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json message = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    // Oldest first: the last match is the newest.
    if (message.is_object() && message.value("to", "") == lowered) {
      token = message.value("token", "");
    }
  }
  EXPECT_FALSE(token.empty()) << "no message to " << email << " in the outbox";
  return token;
}

std::string ApiTest::DemoTotpCode() {
  CommandResult code = RunCommand({CONFIDE_CTL_BINARY, "demo", "totp-code"});
  EXPECT_EQ(code.exit_code, 0) << code.output;
  std::string digits;
  for (char c : code.output) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    }
  }
  return digits;
}

bool ApiTest::IsDemoStaff(std::string_view email) {
  return email == kSamEmail || email == kAlexEmail || email == kAdminEmail ||
         email == kAuditorEmail || email == kOtherTherapistEmail;
}

std::string ApiTest::Unique() {
  static std::atomic<int> counter{0};
  std::ostringstream text;
  text << "t" << getpid() << "x" << ++counter;
  return text.str();
}

nlohmann::json ApiTest::CreateClient(const std::string& token, nlohmann::json fields) {
  nlohmann::json client = {{"legalGivenName", "Given" + Unique()},
                           {"legalFamilyName", "Family" + Unique()}};
  if (fields.is_object()) {
    client.update(fields);
  }
  HttpResponse created = Rest().Post("/v1/clients", client, token);
  if (created.status != 200) {
    ADD_FAILURE() << "create client: HTTP " << created.status << " " << created.error << " "
                  << created.body;
    return nullptr;
  }
  return created.Json();
}

std::vector<std::string> ApiTest::Query(const std::string& sql) {
  std::string error;
  std::vector<std::string> rows = server_->database().Query(sql, &error);
  if (!error.empty()) {
    ADD_FAILURE() << error;
  }
  return rows;
}

::testing::AssertionResult IsErrorAnswer(const HttpResponse& response, int http_status,
                                         std::optional<int> code) {
  if (response.status == 0) {
    return ::testing::AssertionFailure() << "no response: " << response.error;
  }
  if (response.status != http_status) {
    return ::testing::AssertionFailure()
           << "HTTP " << response.status << " (wanted " << http_status << "): " << response.body;
  }
  auto content_type = response.headers.find("content-type");
  if (content_type == response.headers.end() ||
      content_type->second.rfind("application/json", 0) != 0) {
    return ::testing::AssertionFailure() << "error answer is not JSON: " << response.body;
  }
  const nlohmann::json status = response.Json();
  if (!status.is_object() || !status.contains("code") || !status["code"].is_number_integer()) {
    return ::testing::AssertionFailure()
           << "body is not a google.rpc.Status with a numeric code: " << response.body;
  }
  if (status["code"].get<int>() == 0 || (code.has_value() && status["code"].get<int>() != *code)) {
    return ::testing::AssertionFailure()
           << "code " << status["code"] << " (wanted " << (code ? std::to_string(*code) : "non-0")
           << "): " << response.body;
  }
  if (!status.contains("message") || !status["message"].is_string() ||
      status["message"].get<std::string>().empty()) {
    return ::testing::AssertionFailure() << "Status body has no message: " << response.body;
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::string> ViolatedFields(const nlohmann::json& status) {
  std::vector<std::string> fields;
  if (!status.is_object() || !status.contains("details") || !status["details"].is_array()) {
    return fields;
  }
  for (const nlohmann::json& detail : status["details"]) {
    if (detail.value("@type", "") != "type.googleapis.com/google.rpc.BadRequest" ||
        !detail.contains("fieldViolations")) {
      continue;
    }
    for (const nlohmann::json& violation : detail["fieldViolations"]) {
      fields.push_back(violation.value("field", ""));
    }
  }
  return fields;
}

}  // namespace confide::api_test
