#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace confide {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
// PostgreSQL refuses anything else, so it is checked before a value reaches storage.
bool IsValidUtf8(std::string_view text);

// True when `text` holds no C0 control character (U+0000-U+001F) or DEL: names, phone numbers
// and ids never need them, and PostgreSQL cannot store NUL at all.
bool HasNoControlCharacters(std::string_view text);

// True when every character of `text` is printable ASCII (space to '~'); true for "". For labels
// (request ids, text versions) that are logged or compared, never prose.
bool IsPrintableAscii(std::string_view text);

// Unicode code points in `text` (valid UTF-8 assumed: every byte that does not continue a
// character starts one). Length limits are in characters, so a person writing Greek or emoji
// gets as much room as one writing ASCII.
size_t CharacterCount(std::string_view text);

// At most `max` characters (code points) of `text`, cut at a character boundary so the result
// is still valid UTF-8 when `text` is.
std::string TruncateUtf8(std::string_view text, size_t max);

// True for a lowercase or uppercase 8-4-4-4-12 hex UUID, the shape of every record id.
bool IsUuidText(std::string_view text);

// An email address as accounts store and compare it: surrounding whitespace removed, lowercase.
std::string NormalizeEmail(std::string_view email);

// True when `email`, once normalized, is an account email: at most 254 characters, exactly one
// '@' with text on both sides, no spaces or control characters, valid UTF-8.
bool IsAccountEmail(std::string_view email);

}  // namespace confide
