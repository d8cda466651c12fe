#include "adapters/persistence/database_url.h"

#include <gtest/gtest.h>

namespace confide::persistence {
namespace {

TEST(DatabaseUrlTest, SqliteUrlNamesTheFile) {
  absl::StatusOr<DatabaseUrl> url = ParseDatabaseUrl("sqlite:./data/confide.db");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->dialect, Dialect::kSqlite);
  EXPECT_EQ(url->connect_string, "./data/confide.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///tmp/x.db")->connect_string, "/tmp/x.db");
}

// soci 4.0 would mangle a URI, so the adapter hands it keyword/value pairs.
TEST(DatabaseUrlTest, PostgresqlUriBecomesQuotedKeywordValuePairs) {
  absl::StatusOr<DatabaseUrl> url =
      ParseDatabaseUrl("postgresql://confide:s3cret@127.0.0.1:5433/confide_test");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->dialect, Dialect::kPostgresql);
  EXPECT_NE(url->connect_string.find("user='confide'"), std::string::npos);
  EXPECT_NE(url->connect_string.find("password='s3cret'"), std::string::npos);
  EXPECT_NE(url->connect_string.find("port='5433'"), std::string::npos);
  EXPECT_NE(url->connect_string.find("dbname='confide_test'"), std::string::npos);
}

TEST(DatabaseUrlTest, QuotesAndBackslashesInValuesAreEscaped) {
  absl::StatusOr<DatabaseUrl> url = ParseDatabaseUrl("postgresql://u:it%27s%5Cx@h/db");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_NE(url->connect_string.find(R"(password='it\'s\\x')"), std::string::npos);
}

TEST(DatabaseUrlTest, UnknownSchemeAndMalformedUrisAreRefusedWithoutEchoingThem) {
  for (const char* bad : {"mysql://root@h/db", "sqlite:", "postgresql://u:pw@h:notaport/db?x=1"}) {
    absl::StatusOr<DatabaseUrl> url = ParseDatabaseUrl(bad);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(url.status().message().find("pw"), std::string::npos);
  }
}

}  // namespace
}  // namespace confide::persistence
