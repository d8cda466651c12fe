#include "services/api/request_fields.h"

#include <string>

#include "gtest/gtest.h"

namespace confide {
namespace {

TEST(CheckClientIdTest, AcceptsAnIdOrMeUpToTheCap) {
  EXPECT_FALSE(CheckClientId("client_id", "me").has_value());
  EXPECT_FALSE(CheckClientId("client_id", std::string(kMaxRecordIdLength, 'a')).has_value());
}

TEST(CheckClientIdTest, RefusesEmptyAndTooLongNamingTheField) {
  for (const std::string& bad : {std::string(), std::string(kMaxRecordIdLength + 1, 'a')}) {
    const std::optional<FieldViolation> violation = CheckClientId("plan.client_id", bad);
    ASSERT_TRUE(violation.has_value());
    EXPECT_EQ(violation->field, "plan.client_id");
    EXPECT_FALSE(violation->description.empty());
  }
}

TEST(CheckRecordIdTest, RequiredAndCapped) {
  EXPECT_FALSE(CheckRecordId("consent_id", "0190a1b2-0000-7000-8000-000000000001").has_value());
  EXPECT_EQ(CheckRecordId("consent_id", "")->field, "consent_id");
  EXPECT_TRUE(CheckRecordId("consent_id", std::string(kMaxRecordIdLength + 1, 'x')).has_value());
}

TEST(CheckRequestIdTest, EmptyMeansNoRequestId) {
  EXPECT_FALSE(CheckRequestId("request_id", "").has_value());
}

TEST(CheckRequestIdTest, AcceptsPrintableAsciiUpToTheCap) {
  EXPECT_FALSE(CheckRequestId("request_id", "retry 1: form #7 ~ok").has_value());
  EXPECT_FALSE(CheckRequestId("request_id", std::string(kMaxRequestIdLength, 'r')).has_value());
}

TEST(CheckRequestIdTest, RefusesTooLongControlAndNonAsciiWithoutQuotingIt) {
  for (const std::string& bad : {std::string(kMaxRequestIdLength + 1, 'r'), std::string("a\tb"),
                                 std::string("caf\xc3\xa9"), std::string("x\x7f")}) {
    const std::optional<FieldViolation> violation = CheckRequestId("request_id", bad);
    ASSERT_TRUE(violation.has_value()) << bad.size();
    EXPECT_EQ(violation->field, "request_id");
    EXPECT_EQ(violation->description.find(bad), std::string::npos);
  }
}

}  // namespace
}  // namespace confide
