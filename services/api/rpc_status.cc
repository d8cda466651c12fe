#include "services/api/rpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace confide {

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status out;
  out.set_code(static_cast<int>(status.code()));
  out.set_message(static_cast<std::string>(status.message()));
  status.ForEachPayload([&out](absl::string_view type_url, const absl::Cord& payload) {
    google::protobuf::Any* any = out.add_details();
    any->set_type_url(static_cast<std::string>(type_url));
    any->set_value(static_cast<std::string>(payload));
  });
  return out;
}

}  // namespace confide
