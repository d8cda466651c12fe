#include "services/common/base32.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace confide {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// The 5-bit value of `c`, or -1 when it is not a base32 character.
int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a';
  }
  if (c >= '2' && c <= '7') {
    return c - '2' + 26;
  }
  return -1;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<uint8_t>(c);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text.push_back(kAlphabet[(buffer >> bits) & 0x1F]);
    }
  }
  if (bits > 0) {
    text.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
  }
  return text;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  // Padding may only trail the data (spaces may sit among it).
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == '=' || text[end - 1] == ' ')) {
    --end;
  }
  text = text.substr(0, end);

  std::string bytes;
  bytes.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  size_t characters = 0;
  for (const char c : text) {
    if (c == ' ') {
      continue;
    }
    const int value = Base32Value(c);
    if (value < 0) {
      return std::nullopt;
    }
    ++characters;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // A final group of 8 characters encodes 5 bytes; the last group may hold 2, 4, 5 or 7
  // characters (1 to 4 bytes). 1, 3 and 6 characters cannot come from any input.
  switch (characters % 8) {
    case 1:
    case 3:
    case 6:
      return std::nullopt;
    default:
      break;
  }
  // The bits left over after the last byte are padding the encoder filled with zeros.
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace confide
