// Input the gateway must refuse (DESIGN.md, "Input the gateway refuses before parsing"): each
// gets the documented 4xx with a google.rpc.Status JSON body, never a 5xx, never a dropped
// connection, and none of it touches stored data or the server's health.
//
// Most refusals target an update of one client that would change her preferred name if the body
// were parsed leniently, so "the record is unchanged" proves the refusal happened before any work.

#include <ostream>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// One refused request. In `target` and `body`, {id} and {etag} stand for the suite's client.
struct BadRequestCase {
  const char* name;
  std::string method;
  std::string target;
  std::string body;
  HeaderList headers;
  int http_status;
  // The google.rpc.Code when DESIGN.md's canonical mapping fixes it; 0 for any non-OK code.
  int code;
};

// gtest prints a failing case by its name rather than its bytes.
void PrintTo(const BadRequestCase& bad, std::ostream* out) { *out << bad.name; }

constexpr char kUpdateTarget[] = "/v1/clients/{id}?updateMask=preferredName";

std::string Nested(int depth) {
  std::string body;
  for (int i = 1; i < depth; ++i) {
    body += "{\"n\":";
  }
  body += "{}";
  for (int i = 1; i < depth; ++i) {
    body += "}";
  }
  return body;
}

const std::vector<BadRequestCase>& Cases() {
  static const std::vector<BadRequestCase> kCases = {
      {"MalformedJson",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Changed","etag":"{etag}")",
       {},
       400,
       kInvalidArgument},
      {"NotAnObject", "PATCH", kUpdateTarget, R"(["Changed"])", {}, 400, kInvalidArgument},
      {"DuplicateKeys",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Safe","preferredName":"Changed","etag":"{etag}"})",
       {},
       400,
       kInvalidArgument},
      {"TrailingComma",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Changed","etag":"{etag}",})",
       {},
       400,
       kInvalidArgument},
      {"UnknownField",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Changed","etag":"{etag}","favouriteColour":"teal"})",
       {},
       400,
       kInvalidArgument},
      // The top-level object is depth 1; 33 is one past the limit of 32.
      {"NestingDepth33", "PATCH", kUpdateTarget, Nested(33), {}, 400, kInvalidArgument},
      {"InvalidUtf8InString",
       "PATCH",
       kUpdateTarget,
       "{\"preferredName\":\"Chang\xff\xfe\",\"etag\":\"{etag}\"}",
       {},
       400,
       kInvalidArgument},
      {"UnpairedSurrogateEscape",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Chang\ud800","etag":"{etag}"})",
       {},
       400,
       kInvalidArgument},
      {"InvalidEnumName",
       "PATCH",
       "/v1/clients/{id}?updateMask=status",
       R"({"status":"CLIENT_STATUS_BOGUS","etag":"{etag}"})",
       {},
       400,
       kInvalidArgument},
      {"InvalidEnumNameInQuery",
       "GET",
       "/v1/clients?status=CLIENT_STATUS_BOGUS",
       "",
       {},
       400,
       kInvalidArgument},
      {"UnknownQueryParameter",
       "GET",
       "/v1/clients?favouriteColour=teal",
       "",
       {},
       400,
       kInvalidArgument},
      {"MalformedPercentEscape",
       "PATCH",
       "/v1/clients/{id}?updateMask=preferred%zzName",
       R"({"preferredName":"Changed","etag":"{etag}"})",
       {},
       400,
       kInvalidArgument},
      {"BodyOver1MiB",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Changed","etag":"{etag}","pronouns":")" +
           std::string(1024 * 1024, 'x') + R"("})",
       {},
       413,
       0},
      {"TextPlainContentType",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Changed","etag":"{etag}"})",
       {{"Content-Type", "text/plain"}},
       415,
       0},
      {"HeaderBlockOver16KiB",
       "PATCH",
       kUpdateTarget,
       R"({"preferredName":"Changed","etag":"{etag}"})",
       {{"X-Padding", std::string(17 * 1024, 'p')}},
       431,
       0},
      {"UnknownRoute", "GET", "/v1/no-such-thing", "", {}, 404, kNotFound},
      {"WrongMethodOnKnownPath", "DELETE", "/v1/clients/{id}", "", {}, 405, 0},
  };
  return kCases;
}

std::string Substitute(std::string text, const std::string& id, const std::string& etag) {
  for (const auto& [placeholder, value] : {std::pair<std::string, std::string>{"{id}", id},
                                           std::pair<std::string, std::string>{"{etag}", etag}}) {
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

class BadInputApiTest : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ApiTest::SetUpTestSuite();
    if (Started()) {
      client_ = CreateClient(TokenOf(kSamEmail), {{"preferredName", "Original"}});
    }
  }
  static void TearDownTestSuite() {
    client_ = nullptr;
    ApiTest::TearDownTestSuite();
  }
  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_TRUE(client_.is_object()) << "the suite's client was not created";
  }

  static HttpResponse Send(const BadRequestCase& bad) {
    const std::string id = client_["id"];
    const std::string etag = client_["etag"];
    return Rest().Send(bad.method, Substitute(bad.target, id, etag), Substitute(bad.body, id, etag),
                       TokenOf(kSamEmail), bad.headers);
  }

  static std::string ClientPath() { return "/v1/clients/" + client_["id"].get<std::string>(); }

  static inline nlohmann::json client_;
};

class BadRequestTest : public BadInputApiTest,
                       public ::testing::WithParamInterface<BadRequestCase> {};

TEST_P(BadRequestTest, IsRefusedWithDocumentedStatusAndStatusBody) {
  const BadRequestCase& bad = GetParam();

  HttpResponse response = Send(bad);

  EXPECT_TRUE(IsErrorAnswer(response, bad.http_status,
                            bad.code == 0 ? std::nullopt : std::optional<int>(bad.code)));
  EXPECT_EQ(Rest().Get(ClientPath(), TokenOf(kSamEmail)).Json(), client_);
}

INSTANTIATE_TEST_SUITE_P(GatewayRefusals, BadRequestTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BadRequestCase>& info) {
                           return std::string(info.param.name);
                         });

// A JSON parser message can quote the body; the refusal names the field instead.
TEST_F(BadInputApiTest, UnknownFieldRefusalNamesTheField) {
  HttpResponse response = Rest().Patch(
      "/v1/clients/" + client_["id"].get<std::string>() + "?updateMask=preferredName",
      {{"preferredName", "Changed"}, {"etag", client_["etag"]}, {"favouriteColour", "teal"}},
      TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(response, 400, kInvalidArgument));
  EXPECT_THAT(response.Json().value("message", ""), HasSubstr("favouriteColour"));
  EXPECT_THAT(ViolatedFields(response.Json()), ElementsAre("favouriteColour"));
  EXPECT_THAT(response.Json().value("message", ""), ::testing::Not(HasSubstr("teal")));
}

// No body this deep fits a Client, so the parser would refuse it too; the message shows the
// pre-check did, before protobuf's parser (whose cost grows with depth) ever ran.
TEST_F(BadInputApiTest, NestingDeeperThan32IsRefusedBeforeParsing) {
  HttpResponse response = Rest().Send("POST", "/v1/clients", Nested(33), TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(response, 400, kInvalidArgument));
  EXPECT_THAT(response.Json().value("message", ""), HasSubstr("nesting"));
}

TEST_F(BadInputApiTest, ImpossibleDateOfBirthIsRefusedNamingTheField) {
  HttpResponse created = Rest().Post(
      "/v1/clients",
      {{"legalGivenName", "Avery"}, {"legalFamilyName", "Lane"}, {"dateOfBirth", "2023-02-30"}},
      TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(created, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(created.Json()), ElementsAre("client.date_of_birth"));

  HttpResponse updated =
      Rest().Patch("/v1/clients/" + client_["id"].get<std::string>() + "?updateMask=dateOfBirth",
                   {{"dateOfBirth", "2023-02-30"}, {"etag", client_["etag"]}}, TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(updated, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(updated.Json()), ElementsAre("client.date_of_birth"));
  EXPECT_EQ(Rest().Get(ClientPath(), TokenOf(kSamEmail)).Json(), client_);
}

TEST_F(BadInputApiTest, RequestThatIsNotHttpGetsABadRequestAnswer) {
  HttpResponse response = Rest().SendRaw("this is not HTTP at all\r\n\r\n");

  EXPECT_TRUE(IsErrorAnswer(response, 400));
}

// The refusals are answered on the same server that keeps serving everyone else.
TEST_F(BadInputApiTest, AfterEveryRefusalClientIsUnchangedAndServerHealthy) {
  for (const BadRequestCase& bad : Cases()) {
    HttpResponse response = Send(bad);
    EXPECT_NE(response.status, 0) << bad.name << ": " << response.error;
    EXPECT_LT(response.status, 500) << bad.name << ": " << response.body;
  }
  EXPECT_TRUE(IsErrorAnswer(Rest().SendRaw("this is not HTTP at all\r\n\r\n"), 400));

  HttpResponse got = Rest().Get(ClientPath(), TokenOf(kSamEmail));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json(), client_);
  EXPECT_EQ(got.Json().value("preferredName", ""), "Original");
  EXPECT_EQ(Rest().Get("/healthz").status, 200);
  EXPECT_EQ(Rest().Get("/readyz").status, 200);
}

}  // namespace
}  // namespace confide::api_test
