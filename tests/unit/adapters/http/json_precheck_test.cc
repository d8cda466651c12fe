#include "adapters/http/json_precheck.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace confide::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An object chain {"a":{"a":...{}}} whose top-level object is depth 1, so it is `depth` deep.
std::string NestedObjects(int depth) {
  std::string body = "{";
  for (int i = 1; i < depth; ++i) {
    body += "\"a\":{";
  }
  body.append(depth, '}');
  return body;
}

// {"a":[[...]]} with `arrays` arrays inside the top-level object, i.e. arrays + 1 deep.
std::string ArraysInsideObject(int arrays) {
  return "{\"a\":" + std::string(arrays, '[') + std::string(arrays, ']') + "}";
}

TEST(PrecheckJsonTest, WellFormedObjectPasses) {
  EXPECT_TRUE(PrecheckJson(R"({"client_id":"c-1","age":34,"active":true,"note":null})").ok());
}

TEST(PrecheckJsonTest, NestedObjectsAndArraysPass) {
  EXPECT_TRUE(
      PrecheckJson(R"( {"ladder":{"steps":[{"size":1},{"size":2}],"tags":[]},"x":[[1.5e3,-2]]} )")
          .ok());
}

TEST(PrecheckJsonTest, MultiByteUtf8AndPairedSurrogateEscapesPass) {
  EXPECT_TRUE(PrecheckJson("{\"name\":\"Ren\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
                           "\"emoji\":\"\\ud83d\\ude00\"}")
                  .ok());
}

TEST(PrecheckJsonTest, EmptyBodyIsRefused) {
  const absl::Status status = PrecheckJson("");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("request body is empty"));
}

TEST(PrecheckJsonTest, WhitespaceOnlyBodyIsRefused) {
  const absl::Status status = PrecheckJson("  \n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid JSON at byte 3"));
}

TEST(PrecheckJsonTest, TopLevelArrayIsRefused) {
  const absl::Status status = PrecheckJson(R"([{"a":1}])");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("request body must be a JSON object"));
}

TEST(PrecheckJsonTest, TopLevelNumberIsRefused) {
  const absl::Status status = PrecheckJson("42");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("request body must be a JSON object"));
}

// protobuf 3.21 would silently keep the last value; the client must learn which key repeats.
TEST(PrecheckJsonTest, DuplicateTopLevelKeyIsRefusedAtTheRepeatedKey) {
  const absl::Status status = PrecheckJson(R"({"a":1,"a":2})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("duplicate key in JSON object at byte 7"));
}

TEST(PrecheckJsonTest, DuplicateKeyInNestedObjectIsRefused) {
  const absl::Status status = PrecheckJson(R"({"o":{"k":1,"k":2}})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("duplicate key in JSON object at byte 12"));
}

// Keys are compared unescaped, as protobuf matches field names; the offset skips escaped quotes.
TEST(PrecheckJsonTest, DuplicateKeySpelledWithEscapesIsRefused) {
  const absl::Status escaped_letter = PrecheckJson(R"({"a":1, "\u0061":2})");
  EXPECT_EQ(escaped_letter.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(escaped_letter.message()),
              HasSubstr("duplicate key in JSON object at byte 8"));

  const absl::Status escaped_quote = PrecheckJson(R"({"x\"y":1, "x\"y":2})");
  EXPECT_EQ(escaped_quote.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(escaped_quote.message()),
              HasSubstr("duplicate key in JSON object at byte 11"));
}

TEST(PrecheckJsonTest, SameKeyInSiblingAndNestedObjectsIsAccepted) {
  EXPECT_TRUE(PrecheckJson(R"({"o":{"k":1},"p":{"k":2,"o":{"k":3}},"k":[{"k":4},{"k":5}]})").ok());
}

TEST(PrecheckJsonTest, TrailingCommaInObjectIsRefused) {
  const absl::Status status = PrecheckJson(R"({"a":1,})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid JSON at byte 7"));
}

TEST(PrecheckJsonTest, TrailingCommaInArrayIsRefused) {
  const absl::Status status = PrecheckJson(R"({"a":[1,2,]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid JSON at byte 10"));
}

TEST(PrecheckJsonTest, NestingAtTheDefaultLimitOf32IsAccepted) {
  EXPECT_TRUE(PrecheckJson(NestedObjects(32)).ok());
  EXPECT_TRUE(PrecheckJson(ArraysInsideObject(31)).ok());
}

TEST(PrecheckJsonTest, NestingOf33IsRefused) {
  for (const std::string& body : {NestedObjects(33), ArraysInsideObject(32)}) {
    const absl::Status status = PrecheckJson(body);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), HasSubstr("JSON nesting deeper than 32"));
  }
}

TEST(PrecheckJsonTest, ConfiguredDepthLimitIsHonoured) {
  const JsonPrecheckLimits limits{.max_depth = 3};
  EXPECT_TRUE(PrecheckJson(NestedObjects(3), limits).ok());
  const absl::Status status = PrecheckJson(NestedObjects(4), limits);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("JSON nesting deeper than 3"));
}

// A small body can ask for huge depth; parsing must stop at the limit rather than recurse.
TEST(PrecheckJsonTest, HundredThousandDeepArraysAreRefusedAtTheLimitWithoutCrashing) {
  const absl::Status unclosed = PrecheckJson("{\"a\":" + std::string(100000, '['));
  EXPECT_EQ(unclosed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unclosed.message()), HasSubstr("JSON nesting deeper than 32"));

  const absl::Status closed = PrecheckJson(ArraysInsideObject(100000));
  EXPECT_EQ(closed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(closed.message()), HasSubstr("JSON nesting deeper than 32"));
}

// Even with the limit lifted, the parser and handler walk the depth iteratively.
TEST(PrecheckJsonTest, HundredThousandDeepArraysUnderAGenerousLimitDoNotExhaustTheStack) {
  EXPECT_TRUE(PrecheckJson(ArraysInsideObject(100000), {.max_depth = 200000}).ok());
}

TEST(PrecheckJsonTest, InvalidUtf8ByteInStringIsRefused) {
  const absl::Status status = PrecheckJson("{\"a\":\"x\xff\"}");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid UTF-8 at byte 7"));
}

TEST(PrecheckJsonTest, InvalidUtf8ByteInKeyIsRefused) {
  const absl::Status status = PrecheckJson("{\"\xff\":1}");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid UTF-8 at byte 2"));
}

// 0xC0 0xAF is an overlong '/', the classic way to smuggle a character past a filter.
TEST(PrecheckJsonTest, OverlongEncodingIsRefused) {
  const absl::Status status = PrecheckJson("{\"a\":\"\xc0\xaf\"}");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid UTF-8"));
}

// UTF-8-encoded surrogates (CESU-8) are not UTF-8 either.
TEST(PrecheckJsonTest, Utf8EncodedSurrogateIsRefused) {
  const absl::Status status = PrecheckJson("{\"a\":\"\xed\xa0\x80\"}");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid UTF-8"));
}

// "\ud800" is valid escape syntax but names no character, so no UTF-8 string can hold it.
TEST(PrecheckJsonTest, EscapedLoneSurrogateIsRefused) {
  for (const char* body : {R"({"a":"\ud800"})", R"({"a":"\udc00x"})", R"({"a":"\ud800\u0041"})"}) {
    const absl::Status status = PrecheckJson(body);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_THAT(std::string(status.message()), HasSubstr("unpaired UTF-16 surrogate escape"))
        << body;
  }
}

TEST(PrecheckJsonTest, TrailingGarbageAfterObjectIsRefused) {
  const absl::Status garbage = PrecheckJson(R"({"a":1} x)");
  EXPECT_EQ(garbage.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(garbage.message()), HasSubstr("not valid JSON at byte 8"));

  const absl::Status second_object = PrecheckJson(R"({"a":1}{"a":2})");
  EXPECT_EQ(second_object.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(second_object.message()), HasSubstr("not valid JSON at byte 7"));
}

// nlohmann alone would read the NUL as end of input and accept what follows it.
TEST(PrecheckJsonTest, NulByteAfterObjectIsRefused) {
  const absl::Status status = PrecheckJson(std::string_view("{\"a\":1}\0{\"a\":2}", 15));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid JSON at byte 7"));
}

TEST(PrecheckJsonTest, NumberBeyondDoubleRangeIsRefused) {
  const absl::Status status = PrecheckJson(R"({"a":1e400})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("out of range"));
}

TEST(PrecheckJsonTest, CommentsAreRefused) {
  const absl::Status status = PrecheckJson(R"({/* note */"a":1})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not valid JSON at byte 1"));
}

// Bodies carry clinical data and refusals reach clients and logs, so no message may quote the
// body, although nlohmann's own error text does.
TEST(PrecheckJsonTest, RefusalMessagesNeverQuoteTheBody) {
  const std::string secret = "Zyxwvutsecret";
  const std::string bodies[] = {
      "{\"" + secret + "\":1,\"" + secret + "\":2}",
      "{\"note\":\"" + secret + "\",}",
      "{\"note\":\"" + secret + "\xff\"}",
      "{\"note\":\"" + secret + "\\ud800\"}",
      "{\"note\":\"" + secret + "\n\"}",
      "{\"note\":\"" + secret + "\"",
      "{\"note\":1} " + secret,
      "{\"note\":" + secret + "}",
      "[\"" + secret + "\"]",
  };
  for (const std::string& body : bodies) {
    const absl::Status status = PrecheckJson(body);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr(secret))) << body;
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("secret"))) << body;
  }
}

}  // namespace
}  // namespace confide::http
