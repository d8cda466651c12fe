// Text that one database accepts and the other cannot store (invalid UTF-8, NUL) must be refused
// the same way on both, as a 4xx naming the field — never a 500, never a silent truncation.

#include <string>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

class HostileTextApiTest : public ApiTest {};

TEST_F(HostileTextApiTest, InvalidUtf8InThePathIsRefusedNotAServerError) {
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/clients/%FF", TokenOf(kSamEmail)), 400, kInvalidArgument));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/clients/not-a-uuid", TokenOf(kSamEmail)), 404, kNotFound));
}

TEST_F(HostileTextApiTest, InvalidUtf8InTheQueryIsRefused) {
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients?namePrefix=%FF", TokenOf(kSamEmail)), 400,
                            kInvalidArgument));
}

TEST_F(HostileTextApiTest, NulInsideANameIsRefusedNamingTheField) {
  HttpResponse response = Rest().Send(
      "POST", "/v1/clients", R"({"legalGivenName":"A\u0000B","legalFamilyName":"Example"})",
      TokenOf(kSamEmail));
  ASSERT_TRUE(IsErrorAnswer(response, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(response.Json()), ::testing::Contains("client.legal_given_name"));
}

TEST_F(HostileTextApiTest, ForgedPageTokenIsRefused) {
  // base64url("clients:v1:" + 0xFF): a token this server never issued.
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/clients?pageToken=Y2xpZW50czp2MTr_", TokenOf(kSamEmail)), 400,
                    kInvalidArgument));
}

TEST_F(HostileTextApiTest, FieldUnderTwoSpellingsIsRefused) {
  HttpResponse response = Rest().Send(
      "POST", "/v1/clients",
      R"({"legalGivenName":"Alice","legal_given_name":"Mallory","legalFamilyName":"X"})",
      TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(response, 400, kInvalidArgument));
}

// Admins run the practice; why a client came is for her care team only.
TEST_F(HostileTextApiTest, AdminSeesDemographicsButNotThePresentingConcern) {
  HttpResponse response =
      Rest().Get("/v1/clients/" + std::string(kJoClientId), TokenOf(kAdminEmail));
  ASSERT_EQ(response.status, 200) << response.body;
  const nlohmann::json jo = response.Json();
  EXPECT_EQ(jo.value("legalGivenName", ""), "Jo");
  EXPECT_FALSE(jo.contains("presentingConcern"));
  EXPECT_FALSE(jo.contains("referralSource"));
  HttpResponse sam = Rest().Get("/v1/clients/" + std::string(kJoClientId), TokenOf(kSamEmail));
  EXPECT_TRUE(sam.Json().contains("presentingConcern"));
}

}  // namespace
}  // namespace confide::api_test
