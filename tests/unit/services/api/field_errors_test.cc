#include "services/api/field_errors.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

using ::testing::HasSubstr;

google::rpc::BadRequest BadRequestOf(const absl::Status& status) {
  google::rpc::BadRequest details;
  // An absl::optional: Debian's abseil does not alias it to std::optional.
  auto payload = status.GetPayload(std::string(kBadRequestPayloadUrl));
  EXPECT_TRUE(payload.has_value());
  if (payload.has_value()) {
    EXPECT_TRUE(details.ParseFromString(std::string(*payload)));
  }
  return details;
}

TEST(InvalidFieldsTest, NoViolationsIsOk) { EXPECT_TRUE(InvalidFields({}).ok()); }

TEST(InvalidFieldsTest, ViolationsBecomeInvalidArgumentNamingEveryField) {
  const absl::Status status = InvalidFields(
      {{"client.email", "must be an email address"}, {"client.phone", "must be digits"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("client.email: must be an email address"));
  EXPECT_THAT(status.message(), HasSubstr("client.phone: must be digits"));
}

TEST(InvalidFieldsTest, BadRequestPayloadListsViolationsInOrder) {
  const google::rpc::BadRequest details = BadRequestOf(InvalidFields(
      {{"client.email", "must be an email address"}, {"client.phone", "must be digits"}}));
  ASSERT_EQ(details.field_violations_size(), 2);
  EXPECT_EQ(details.field_violations(0).field(), "client.email");
  EXPECT_EQ(details.field_violations(0).description(), "must be an email address");
  EXPECT_EQ(details.field_violations(1).field(), "client.phone");
  EXPECT_EQ(details.field_violations(1).description(), "must be digits");
}

TEST(InvalidFieldTest, IsOneViolation) {
  const absl::Status status = InvalidField("page_token", "is not a token");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const google::rpc::BadRequest details = BadRequestOf(status);
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "page_token");
  EXPECT_EQ(details.field_violations(0).description(), "is not a token");
}

}  // namespace
}  // namespace confide
