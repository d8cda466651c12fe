#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace confide::http {

struct JsonPrecheckLimits {
  // DESIGN.md "Input the gateway refuses before parsing": deeper bodies get a 400.
  int max_depth = 32;
};

// Strict check of a REST request body before protobuf's JSON parser sees it. protobuf 3.21 keeps
// the last of two duplicate keys and accepts trailing commas without a word, so a body can mean
// something other than what its author (or an auditor reading it) thinks; this refuses such bodies.
//
// Returns OK when `body` is exactly one JSON object (nothing but whitespace after it), no object
// repeats a key, nesting is at most `limits.max_depth` (the top-level object is depth 1) and every
// string is valid Unicode (no ill-formed UTF-8, no unpaired \uD800..\uDFFF escapes). Otherwise
// returns InvalidArgument with a message for the client that gives a 0-based byte offset where
// useful and never quotes the body, since bodies carry clinical data. Never throws.
absl::Status PrecheckJson(std::string_view body, const JsonPrecheckLimits& limits = {});

}  // namespace confide::http
