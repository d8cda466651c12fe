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

namespace {

std::optional<google::rpc::ErrorInfo> ErrorInfoOf(const absl::Status& status) {
  auto payload = status.GetPayload(std::string(kErrorInfoPayloadUrl));
  if (!payload.has_value()) {
    return std::nullopt;
  }
  google::rpc::ErrorInfo info;
  const std::string bytes(*payload);
  if (!info.ParseFromString(bytes)) {
    return std::nullopt;
  }
  return info;
}

}  // namespace

std::string ErrorReason(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(status);
  return info.has_value() ? info->reason() : "";
}

std::string ErrorMetadata(const absl::Status& status, std::string_view key) {
  std::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(status);
  if (!info.has_value()) {
    return "";
  }
  auto found = info->metadata().find(std::string(key));
  return found == info->metadata().end() ? "" : found->second;
}

}  // namespace confide
