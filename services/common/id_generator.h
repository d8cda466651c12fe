#pragma once

#include <string>

namespace confide {

// Makes server-side record ids: time-ordered UUIDv7 text (RFC 9562), so keyset pagination by id
// follows creation order.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // Returns a new lowercase 36-character UUIDv7; never fails.
  virtual std::string NewId() = 0;
};

}  // namespace confide
