#include "adapters/http/path_template.h"

#include <gtest/gtest.h>

namespace confide::http {
namespace {

TEST(PathTemplateTest, LiteralPathMatchesOnlyItself) {
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse("/v1/clients");
  ASSERT_TRUE(path.ok());
  EXPECT_TRUE(path->Match("/v1/clients").has_value());
  EXPECT_FALSE(path->Match("/v1/clients/x").has_value());
  EXPECT_FALSE(path->Match("/v1/client").has_value());
  EXPECT_FALSE(path->Match("/v1/clients:search").has_value());
}

TEST(PathTemplateTest, VariableBindsOneDecodedSegment) {
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse("/v1/clients/{client_id}");
  ASSERT_TRUE(path.ok());
  auto bindings = path->Match("/v1/clients/abc%2Ddef");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ(bindings->at("client_id"), "abc-def");
  EXPECT_FALSE(path->Match("/v1/clients/").has_value());
  EXPECT_FALSE(path->Match("/v1/clients/a/b").has_value());
}

// An encoded slash must not let a variable span segments.
TEST(PathTemplateTest, EncodedSlashInVariableDoesNotMatch) {
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse("/v1/clients/{client_id}");
  ASSERT_TRUE(path.ok());
  EXPECT_FALSE(path->Match("/v1/clients/a%2Fb").has_value());
  EXPECT_FALSE(path->Match("/v1/clients/a%00b").has_value());
  EXPECT_FALSE(path->Match("/v1/clients/a%zz").has_value());
}

TEST(PathTemplateTest, NestedFieldVariable) {
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse("/v1/clients/{client.id}");
  ASSERT_TRUE(path.ok());
  auto bindings = path->Match("/v1/clients/42");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ(bindings->at("client.id"), "42");
}

TEST(PathTemplateTest, CustomVerbIsRequiredAndStripped) {
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse("/v1/clients/{client_id}:archive");
  ASSERT_TRUE(path.ok());
  auto bindings = path->Match("/v1/clients/42:archive");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ(bindings->at("client_id"), "42");
  EXPECT_FALSE(path->Match("/v1/clients/42").has_value());
  EXPECT_FALSE(path->Match("/v1/clients/42:restore").has_value());
}

TEST(PathTemplateTest, UnsupportedSyntaxIsRefused) {
  EXPECT_FALSE(PathTemplate::Parse("v1/clients").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/{name=clients/**}").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1//clients").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/*").ok());
}

TEST(PercentDecodeTest, DecodesAndRejectsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a%20b").value_or("?"), "a b");
  EXPECT_FALSE(PercentDecode("a%2").has_value());
  EXPECT_FALSE(PercentDecode("%").has_value());
  EXPECT_FALSE(PercentDecode("%00").has_value());
}

}  // namespace
}  // namespace confide::http
