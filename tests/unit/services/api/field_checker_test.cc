#include "services/api/field_checker.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

using ::testing::ElementsAre;

// The violated fields in the order the BadRequest lists them.
std::vector<std::string> FieldsOf(const absl::Status& status) {
  google::rpc::BadRequest details;
  auto payload = status.GetPayload(std::string(kBadRequestPayloadUrl));
  if (payload.has_value()) {
    EXPECT_TRUE(details.ParseFromString(std::string(*payload)));
  }
  std::vector<std::string> fields;
  for (const auto& violation : details.field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

TEST(FieldCheckerTest, NothingFailedIsOk) {
  FieldChecker check;
  EXPECT_TRUE(check.ok());
  EXPECT_TRUE(check.Result().ok());
}

TEST(FieldCheckerTest, NamesFieldsBelowThePrefixInTheOrderFound) {
  FieldChecker check("intake");
  check.Fail("hopes", "must be at most 5000 characters");
  check.Fail("anxiety.notes", "must not contain control characters");
  EXPECT_FALSE(check.ok());
  const absl::Status status = check.Result();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(status), ElementsAre("intake.hopes", "intake.anxiety.notes"));
}

TEST(FieldCheckerTest, KeepsOnlyTheFirstProblemOfAField) {
  FieldChecker check;
  check.Fail("client_id", "is required");
  check.Fail("client_id", "must be at most 64 characters");
  const absl::Status status = check.Result();
  EXPECT_THAT(FieldsOf(status), ElementsAre("client_id"));
  EXPECT_NE(status.message().find("is required"), std::string::npos);
  EXPECT_EQ(status.message().find("at most 64"), std::string::npos);
}

TEST(FieldCheckerTest, ReportsAtMostTheCap) {
  FieldChecker check;
  for (int i = 0; i < 50; ++i) {
    check.Fail(absl::StrCat("prior_treatments[", i, "].kind"), "must be a known treatment");
  }
  const std::vector<std::string> fields = FieldsOf(check.Result());
  ASSERT_EQ(fields.size(), FieldChecker::kMaxReportedViolations);
  EXPECT_EQ(fields.front(), "prior_treatments[0].kind");
  EXPECT_EQ(fields.back(), "prior_treatments[19].kind");
}

TEST(FieldCheckerTest, AddTakesASharedCheckOrNothing) {
  FieldChecker check("plan");
  check.Add(std::nullopt);
  EXPECT_TRUE(check.ok());
  check.Add(FieldViolation{"client_id", "is required"});
  EXPECT_THAT(FieldsOf(check.Result()), ElementsAre("plan.client_id"));
}

TEST(FieldCheckerTest, NestedProblemsAreAbsorbedWithTheirFullPath) {
  FieldChecker check;
  FieldChecker client = check.Nested("client");
  client.Fail("email", "must be an email address like name@example.org");
  client.Fail("email", "second problem of the same field");
  check.Absorb(client);
  check.Fail("request_id", "must be at most 64 characters");
  EXPECT_THAT(FieldsOf(check.Result()), ElementsAre("client.email", "request_id"));
}

TEST(FieldCheckerTest, AbsorbingKeepsTheDedupeAndTheCap) {
  FieldChecker check;
  check.Fail("client.email", "first");
  FieldChecker client = check.Nested("client");
  client.Fail("email", "again");
  for (int i = 0; i < 30; ++i) {
    client.Fail(absl::StrCat("field", i), "bad");
  }
  check.Absorb(client);
  const std::vector<std::string> fields = FieldsOf(check.Result());
  ASSERT_EQ(fields.size(), FieldChecker::kMaxReportedViolations);
  EXPECT_EQ(fields[0], "client.email");
  EXPECT_EQ(fields[1], "client.field0");
}

}  // namespace
}  // namespace confide
