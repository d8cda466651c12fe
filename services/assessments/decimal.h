#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace confide {

// Scores are exact decimals kept as whole hundredths in an int64 (26.55 → 2655), so no binary
// floating point ever rounds a published cut-off (FSFI ≤ 26.55) the wrong way.
using Hundredths = int64_t;

// Parses "12", "-3", "0.6", "26.55" (at most two decimals, no exponent, no spaces); nullopt
// for anything else.
std::optional<Hundredths> ParseHundredths(std::string_view text);

// "26.6" for 2660, "12" for 1200, "26.55" for 2655, "-3" for -300: trailing zeros dropped.
std::string FormatHundredths(Hundredths value);

}  // namespace confide
