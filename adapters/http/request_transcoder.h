#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "adapters/http/http_rule_router.h"
#include "adapters/http/json_precheck.h"
#include "google/protobuf/message.h"

namespace confide::http {

// Builds an RPC's request message from a matched REST route: the body (after the strict JSON
// pre-check) by protobuf's JSON parser, then path variables, then query parameters. Errors are
// INVALID_ARGUMENT naming the field and never quoting values.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequestMessage(
    const RouteMatch& match, std::string_view body, std::string_view query_string,
    const JsonPrecheckLimits& limits);

// Proto3 JSON of a response (lowerCamelCase names, RFC 3339 timestamps).
std::string ResponseToJson(const google::protobuf::Message& message);

// The google.rpc.Status JSON body of an error response.
std::string StatusToJson(const absl::Status& status);

}  // namespace confide::http
