#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/api/field_errors.h"

namespace confide {

// Collects the field problems of a request so a caller can fix them all in one go: one
// violation per field (the first found, the one to fix first), and at most
// kMaxReportedViolations of them, so a request with many bad entries gets a short reply.
class FieldChecker {
 public:
  static constexpr size_t kMaxReportedViolations = 20;

  // `prefix` is the path of the checked message in the request ("intake"), prepended to every
  // field named, so errors name fields as the caller sent them.
  explicit FieldChecker(std::string_view prefix = "");

  // Records that `field` (below the prefix) is wrong; `why` must not quote the value.
  void Fail(std::string_view field, std::string_view why);
  // Records a violation from a shared check (request_fields.h); its field is below the prefix.
  void Add(std::optional<FieldViolation> violation);

  // A checker for a nested message whose problems are then Absorb()ed into this one.
  FieldChecker Nested(std::string_view field) const;
  void Absorb(const FieldChecker& nested);

  // The full path of `field` below the prefix.
  std::string Path(std::string_view field) const;
  bool ok() const { return violations_.empty(); }
  // OK, or INVALID_ARGUMENT naming every field (google.rpc.BadRequest), in the order found.
  absl::Status Result() const;

 private:
  void Record(std::string path, std::string why);

  std::string prefix_;
  std::set<std::string> failed_fields_;
  std::vector<FieldViolation> violations_;
};

}  // namespace confide
