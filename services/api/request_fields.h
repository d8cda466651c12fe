#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "services/api/field_errors.h"

namespace confide {

// Checks of fields that many requests carry, so every service words and bounds them alike.
// Each returns the violation naming `field`, or nullopt when the value is acceptable; the
// description never quotes the value.

// Record ids (UUIDv7 text, or `me` for a client) are at most this long.
inline constexpr size_t kMaxRecordIdLength = 64;
// The caller's idempotency key of a create (not the x-request-id header: see request_id.h).
inline constexpr size_t kMaxRequestIdLength = 100;

// The client a request is about: required, a client id or `me`, at most kMaxRecordIdLength.
std::optional<FieldViolation> CheckClientId(std::string_view field, std::string_view value);

// The id of a record of the client: required, at most kMaxRecordIdLength.
std::optional<FieldViolation> CheckRecordId(std::string_view field, std::string_view value);

// An optional request id: empty (no retry protection), or 1 to kMaxRequestIdLength printable
// ASCII characters. It is stored and compared, so it is a label, never prose.
std::optional<FieldViolation> CheckRequestId(std::string_view field, std::string_view value);

}  // namespace confide
