#include "services/api/rpc_status.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"

namespace confide {
namespace {

TEST(ToRpcStatusTest, OkIsCodeZeroWithoutDetails) {
  const google::rpc::Status out = ToRpcStatus(absl::OkStatus());
  EXPECT_EQ(out.code(), google::rpc::OK);
  EXPECT_EQ(out.message(), "");
  EXPECT_EQ(out.details_size(), 0);
}

// absl and google.rpc share the canonical numbering, so the code passes through unchanged.
TEST(ToRpcStatusTest, KeepsCodeAndMessage) {
  const struct {
    absl::Status status;
    google::rpc::Code code;
  } kCases[] = {
      {absl::NotFoundError("client not found"), google::rpc::NOT_FOUND},
      {absl::UnauthenticatedError("sign in"), google::rpc::UNAUTHENTICATED},
      {absl::PermissionDeniedError("not for your role"), google::rpc::PERMISSION_DENIED},
      {absl::AbortedError("etag does not match"), google::rpc::ABORTED},
      {absl::ResourceExhaustedError("busy"), google::rpc::RESOURCE_EXHAUSTED},
      {absl::InternalError("internal error"), google::rpc::INTERNAL},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.status.ToString());
    const google::rpc::Status out = ToRpcStatus(c.status);
    EXPECT_EQ(out.code(), c.code);
    EXPECT_EQ(out.message(), c.status.message());
    EXPECT_EQ(out.details_size(), 0);
  }
}

TEST(ToRpcStatusTest, BadRequestPayloadBecomesDetailWithSameTypeUrlAndBytes) {
  const absl::Status status = InvalidFields({{"client.date_of_birth", "must be a real date"}});
  const google::rpc::Status out = ToRpcStatus(status);

  EXPECT_EQ(out.code(), google::rpc::INVALID_ARGUMENT);
  EXPECT_EQ(out.message(), status.message());
  ASSERT_EQ(out.details_size(), 1);
  EXPECT_EQ(out.details(0).type_url(), kBadRequestPayloadUrl);
  EXPECT_EQ(out.details(0).value(),
            std::string(*status.GetPayload(std::string(kBadRequestPayloadUrl))));

  // The detail is a well-formed Any, so either transport's client can unpack it.
  google::rpc::BadRequest details;
  ASSERT_TRUE(out.details(0).UnpackTo(&details));
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "client.date_of_birth");
  EXPECT_EQ(details.field_violations(0).description(), "must be a real date");
}

TEST(ToRpcStatusTest, EveryPayloadBecomesADetail) {
  absl::Status status = InvalidField("client.status", "care moves forward");
  google::rpc::LocalizedMessage localized;
  localized.set_locale("en-GB");
  localized.set_message("Care moves forward.");
  status.SetPayload("type.googleapis.com/google.rpc.LocalizedMessage",
                    absl::Cord(localized.SerializeAsString()));

  const google::rpc::Status out = ToRpcStatus(status);
  ASSERT_EQ(out.details_size(), 2);
  int bad_requests = 0;
  int localized_messages = 0;
  for (const google::protobuf::Any& detail : out.details()) {
    google::rpc::LocalizedMessage unpacked;
    if (detail.Is<google::rpc::BadRequest>()) {
      ++bad_requests;
    } else if (detail.UnpackTo(&unpacked)) {
      ++localized_messages;
      EXPECT_EQ(unpacked.message(), "Care moves forward.");
    }
  }
  EXPECT_EQ(bad_requests, 1);
  EXPECT_EQ(localized_messages, 1);
}

}  // namespace
}  // namespace confide
