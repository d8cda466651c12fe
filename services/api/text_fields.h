#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "services/api/field_checker.h"

namespace confide {

// The checks for free text fields that plans, programmes and the exercise library share. Limits
// are in characters (code points), so Greek or emoji get as much room as ASCII.

// One-line text (titles, brands, names of things): valid UTF-8, at most `max` characters, no C0
// or C1 control characters and no Unicode line or paragraph separator (a title must stay one
// line wherever it is shown).
void CheckLine(FieldChecker& check, std::string_view field, const std::string& value, size_t max);

// Prose: valid UTF-8, at most `max` characters; line breaks and tabs allowed, no other C0 or C1
// control character.
void CheckProse(FieldChecker& check, std::string_view field, const std::string& value, size_t max);

}  // namespace confide
