#include "adapters/http/json_precheck.h"

#include <algorithm>
#include <cstddef>
#include <exception>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace confide::http {
namespace {

using Json = nlohmann::json;

// nlohmann 3.11's SAX callbacks carry no position, yet a client fixing a duplicate key needs one.
// The lexer reads its input strictly forward, one byte at a time, through this iterator, so the
// iterator can publish how many bytes have been consumed when a callback runs.
class CountingByteIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingByteIterator(const char* position, std::size_t* consumed)
      : position_(position), consumed_(consumed) {}

  reference operator*() const { return *position_; }
  CountingByteIterator& operator++() {
    ++position_;
    ++*consumed_;
    return *this;
  }
  CountingByteIterator operator++(int) {
    CountingByteIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingByteIterator& other) const { return position_ == other.position_; }

 private:
  const char* position_;
  std::size_t* consumed_;
};

// Records the first reason to refuse the body. Returning false from a callback makes
// nlohmann's (iterative) parser stop at once, so a megabyte of "[[[[" costs at most
// max_depth + 1 levels of bookkeeping.
class StrictJsonHandler {
 public:
  StrictJsonHandler(std::string_view body, const std::size_t& consumed, int max_depth)
      : body_(body), consumed_(consumed), max_depth_(max_depth) {}

  bool null() { return AcceptScalar(); }
  bool boolean(bool /*value*/) { return AcceptScalar(); }
  bool number_integer(Json::number_integer_t /*value*/) { return AcceptScalar(); }
  bool number_unsigned(Json::number_unsigned_t /*value*/) { return AcceptScalar(); }
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& /*text*/) {
    return AcceptScalar();
  }
  bool string(Json::string_t& /*value*/) { return AcceptScalar(); }
  // Only binary formats (CBOR, MessagePack, ...) produce this; JSON text never does.
  bool binary(Json::binary_t& /*value*/) { return AcceptScalar(); }

  bool start_object(std::size_t /*size*/) {
    if (!EnterContainer(/*is_object=*/true)) {
      return false;
    }
    keys_.emplace_back();
    return true;
  }
  bool key(Json::string_t& key) {
    // Keys are compared after unescaping, so "a" and "\u0061" are the same key, as they are to
    // protobuf.
    if (!keys_.back().insert(key).second) {
      return Refuse(absl::StrCat("duplicate key in JSON object at byte ", RepeatedKeyOffset()));
    }
    return true;
  }
  bool end_object() {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t /*size*/) { return EnterContainer(/*is_object=*/false); }
  bool end_array() {
    --depth_;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const Json::exception& error) {
    // `position` counts the bytes read including the one the parser stopped at; at the end of
    // input it is one past the body.
    const std::size_t offset = std::min(position == 0 ? 0 : position - 1, body_.size());
    // The library's message ends with "; last read: '<token>'", a quote of the body, so only
    // the part before it is looked at, and only to choose our own wording.
    std::string_view reason = error.what();
    reason = reason.substr(0, reason.find("; last read:"));
    if (error.id == 406) {
      return Refuse(absl::StrCat("number in request body is out of range at byte ", offset));
    }
    if (reason.find("ill-formed UTF-8") != std::string_view::npos) {
      return Refuse(absl::StrCat("request body is not valid UTF-8 at byte ", offset));
    }
    // "\ud800" alone is well-formed JSON syntax but names no character, and cannot be turned
    // into the UTF-8 that protobuf string fields must hold.
    if (reason.find("surrogate") != std::string_view::npos) {
      return Refuse(
          absl::StrCat("request body has an unpaired UTF-16 surrogate escape at byte ", offset));
    }
    return Refuse(absl::StrCat("request body is not valid JSON at byte ", offset));
  }

  // The reason recorded by the callback that stopped the parser.
  absl::Status refusal() const { return refusal_; }

 private:
  bool AcceptScalar() {
    if (depth_ == 0) {
      return Refuse("request body must be a JSON object");
    }
    return true;
  }

  bool EnterContainer(bool is_object) {
    if (depth_ == 0 && !is_object) {
      return Refuse("request body must be a JSON object");
    }
    if (++depth_ > max_depth_) {
      return Refuse(absl::StrCat("JSON nesting deeper than ", max_depth_));
    }
    return true;
  }

  // Byte offset of the opening quote of the key just reported. The lexer has consumed up to and
  // including the closing quote; the opening one is the nearest earlier '"' not preceded by an odd
  // run of backslashes (any '"' inside the key is escaped, the opening one follows '{', ',' or
  // whitespace).
  std::size_t RepeatedKeyOffset() const {
    std::size_t quote = consumed_ - 1;
    while (quote > 0) {
      --quote;
      if (body_[quote] != '"') {
        continue;
      }
      std::size_t backslashes = 0;
      while (backslashes < quote && body_[quote - 1 - backslashes] == '\\') {
        ++backslashes;
      }
      if (backslashes % 2 == 0) {
        return quote;
      }
    }
    return quote;
  }

  bool Refuse(absl::string_view message) {
    refusal_ = absl::InvalidArgumentError(message);
    return false;
  }

  std::string_view body_;
  const std::size_t& consumed_;
  int max_depth_;
  int depth_ = 0;
  // One set per open object: a key may repeat across sibling or nested objects, not within one.
  std::vector<std::unordered_set<std::string>> keys_;
  absl::Status refusal_ = absl::InvalidArgumentError("request body is not valid JSON");
};

}  // namespace

absl::Status PrecheckJson(std::string_view body, const JsonPrecheckLimits& limits) {
  if (body.empty()) {
    return absl::InvalidArgumentError("request body is empty");
  }
  // nlohmann's lexer takes a NUL byte for the end of input (a C-string habit), so `{}\0<anything>`
  // would pass. A raw NUL is never valid JSON (inside strings it must be escaped), so refuse it.
  if (const std::size_t nul = body.find('\0'); nul != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("request body is not valid JSON at byte ", nul));
  }
  std::size_t consumed = 0;
  StrictJsonHandler handler(body, consumed, limits.max_depth);
  try {
    // strict: the value must be followed by nothing but whitespace. Comments are not JSON
    // (RFC 8259) and stay refused.
    const bool well_formed =
        Json::sax_parse(CountingByteIterator(body.data(), &consumed),
                        CountingByteIterator(body.data() + body.size(), &consumed), &handler,
                        Json::input_format_t::json, /*strict=*/true, /*ignore_comments=*/false);
    return well_formed ? absl::OkStatus() : handler.refusal();
  } catch (const std::exception&) {
    // Errors arrive through parse_error, not exceptions; this only guards the gateway's
    // no-throw promise (e.g. allocation failure) and, like every refusal, must not quote the body.
    return absl::InvalidArgumentError("request body could not be checked as JSON");
  }
}

}  // namespace confide::http
