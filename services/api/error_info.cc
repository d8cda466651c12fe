#include "services/api/error_info.h"

#include <optional>

#include "absl/strings/cord.h"
#include "google/rpc/error_details.pb.h"

namespace confide {

absl::Status WithErrorInfo(absl::Status status, std::string_view reason,
                           const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = value;
  }
  status.SetPayload(std::string(kErrorInfoPayloadUrl), absl::Cord(info.SerializeAsString()));
  return status;
}

std::string ErrorReason(const absl::Status& status) {
  auto payload = status.GetPayload(std::string(kErrorInfoPayloadUrl));
  if (!payload.has_value()) {
    return "";
  }
  google::rpc::ErrorInfo info;
  const std::string bytes(*payload);
  if (!info.ParseFromString(bytes)) {
    return "";
  }
  return info.reason();
}

}  // namespace confide
