#include "services/api/text_fields.h"

#include "absl/strings/str_cat.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

// C1 controls (U+0080-U+009F) and, for one-line text, U+2028/U+2029, which display as line
// breaks. `text` is valid UTF-8, so these are the only encodings of them.
bool HasUnicodeControl(const std::string& text, bool one_line) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if (lead == 0xC2 && next >= 0x80 && next <= 0x9F) {
      return true;
    }
    if (one_line && lead == 0xE2 && next == 0x80 && i + 2 < text.size() &&
        (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      return true;
    }
  }
  return false;
}

}  // namespace

void CheckLine(FieldChecker& check, std::string_view field, const std::string& value, size_t max) {
  if (CharacterCount(value) > max) {
    check.Fail(field, absl::StrCat("must be at most ", max, " characters"));
  } else if (!IsValidUtf8(value) || !HasNoControlCharacters(value) ||
             HasUnicodeControl(value, /*one_line=*/true)) {
    check.Fail(field, "must be UTF-8 text without control characters");
  }
}

void CheckProse(FieldChecker& check, std::string_view field, const std::string& value, size_t max) {
  if (CharacterCount(value) > max) {
    check.Fail(field, absl::StrCat("must be at most ", max, " characters"));
    return;
  }
  if (!IsValidUtf8(value)) {
    check.Fail(field, "must be UTF-8 text");
    return;
  }
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f) {
      check.Fail(field, "must not hold control characters other than line breaks and tabs");
      return;
    }
  }
  if (HasUnicodeControl(value, /*one_line=*/false)) {
    check.Fail(field, "must not hold control characters other than line breaks and tabs");
  }
}

}  // namespace confide
