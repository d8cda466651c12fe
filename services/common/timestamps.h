#pragma once

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace confide {

inline google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp out;
  const int64_t micros = absl::ToUnixMicros(t);
  out.set_seconds(micros / 1000000);
  out.set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
  return out;
}

inline absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// `now` as the database keeps it (whole microseconds), so what a write returns equals what a
// later read of the same record returns.
inline absl::Time StoredTime(absl::Time now) {
  return absl::FromUnixMicros(absl::ToUnixMicros(now));
}

}  // namespace confide
