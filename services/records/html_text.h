#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace confide {

// Small pieces of turning record data into text a person reads in an HTML document.

// `text` made inert in HTML element content and in quoted attribute values: & < > " and ' become
// character references; everything else (UTF-8 included) is kept as it is.
std::string HtmlEscape(std::string_view text);

// An enum value as words, from the descriptor rather than a hand-kept table, so a value added to
// a proto reads right at once: the enum's own prefix is dropped and the rest lower-cased
// ("SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY" → "Pelvic floor physiotherapy"); the zero value
// reads "Not specified".
std::string EnumValueWords(const google::protobuf::EnumValueDescriptor& value);

// A field name as words: "dilator_size_tolerated" → "Dilator size tolerated"; "id" reads "ID".
std::string FieldNameWords(std::string_view field_name);

// A moment as a person reads it in the record, always in UTC so every reader sees the same:
// "2 March 2026, 09:30 UTC".
std::string ReadableTime(absl::Time time);

// A calendar date "YYYY-MM-DD" as "2 March 2026"; nullopt when `text` is not such a date.
std::optional<std::string> ReadableDate(std::string_view text);

}  // namespace confide
