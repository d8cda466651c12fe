#include "services/api/field_checker.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace confide {

FieldChecker::FieldChecker(std::string_view prefix) : prefix_(prefix) {}

void FieldChecker::Fail(std::string_view field, std::string_view why) {
  Record(Path(field), std::string(why));
}

void FieldChecker::Add(std::optional<FieldViolation> violation) {
  if (violation.has_value()) {
    Record(Path(violation->field), std::move(violation->description));
  }
}

FieldChecker FieldChecker::Nested(std::string_view field) const {
  return FieldChecker(Path(field));
}

void FieldChecker::Absorb(const FieldChecker& nested) {
  for (const FieldViolation& violation : nested.violations_) {
    Record(violation.field, violation.description);
  }
}

std::string FieldChecker::Path(std::string_view field) const {
  return prefix_.empty() ? std::string(field) : absl::StrCat(prefix_, ".", std::string(field));
}

absl::Status FieldChecker::Result() const { return InvalidFields(violations_); }

void FieldChecker::Record(std::string path, std::string why) {
  if (violations_.size() >= kMaxReportedViolations || !failed_fields_.insert(path).second) {
    return;
  }
  violations_.push_back({std::move(path), std::move(why)});
}

}  // namespace confide
