#include "adapters/http/static_site.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace confide::http {
namespace {

namespace fs = std::filesystem;

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("confide_static_" + std::to_string(getpid()));
    fs::create_directories(root_ / "portal" / "js");
    fs::create_directories(root_ / "portal" / ".git");
    std::ofstream(root_ / "portal" / "index.html") << "<!doctype html>";
    std::ofstream(root_ / "portal" / "js" / "app.js") << std::string(5000, 'a');
    std::ofstream(root_ / "portal" / "notes.md") << "unpublished type";
    std::ofstream(root_ / "portal" / ".git" / "config.json") << "{}";
    std::ofstream(root_ / "portal" / ".env.js") << "secret";
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

TEST_F(StaticSiteTest, PublishesKnownTypesAndNeverDotfiles) {
  absl::StatusOr<StaticSite> site =
      StaticSite::Load({StaticMount{.url_prefix = "/", .directory = root_ / "portal"}});
  ASSERT_TRUE(site.ok()) << site.status();
  EXPECT_EQ(site->size(), 2U);
  ASSERT_NE(site->Find("/"), nullptr);
  EXPECT_EQ(site->Find("/")->body, "<!doctype html>");
  EXPECT_EQ(site->Find("/index.html"), site->Find("/"));
  EXPECT_EQ(site->Find("/notes.md"), nullptr);
  EXPECT_EQ(site->Find("/.env.js"), nullptr);
  EXPECT_EQ(site->Find("/.git/config.json"), nullptr);
  EXPECT_EQ(site->Find("/js/../index.html"), nullptr);
  const StaticFile* script = site->Find("/js/app.js");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_FALSE(script->gzip_body.empty());
  EXPECT_LT(script->gzip_body.size(), script->body.size());
  EXPECT_TRUE(site->Find("/")->gzip_body.empty());  // too small to be worth it
  EXPECT_EQ(script->etag.size(), 34U);
  EXPECT_NE(script->etag, site->Find("/")->etag);
}

TEST_F(StaticSiteTest, AMountWithAListPublishesOnlyThoseFiles) {
  absl::StatusOr<StaticSite> site = StaticSite::Load({StaticMount{.url_prefix = "/vendor/",
                                                                  .directory = root_ / "portal",
                                                                  .kind = ContentKind::kDocs,
                                                                  .cache_control = "public",
                                                                  .only = {"js/app.js"}}});
  ASSERT_TRUE(site.ok()) << site.status();
  EXPECT_EQ(site->size(), 1U);
  ASSERT_NE(site->Find("/vendor/js/app.js"), nullptr);
  EXPECT_EQ(site->Find("/vendor/js/app.js")->cache_control, "public");
  EXPECT_EQ(site->Find("/vendor/js/app.js")->kind, ContentKind::kDocs);
}

TEST_F(StaticSiteTest, AMissingFolderOrListedFileIsAnErrorAtStart) {
  absl::StatusOr<StaticSite> missing =
      StaticSite::Load({StaticMount{.url_prefix = "/", .directory = root_ / "nowhere"}});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<StaticSite> listed = StaticSite::Load(
      {StaticMount{.url_prefix = "/", .directory = root_ / "portal", .only = {"gone.js"}}});
  EXPECT_FALSE(listed.ok());
}

// Browsers send back the exact tag, but caches send lists, "*", and proxies that re-encode a
// body weaken its tag; a conditional GET is answered 304 for each (RFC 9110 13.1.2).
TEST(IfNoneMatchTest, ListsWeakTagsAndStarMatch) {
  const std::string etag = "\"5de24ddd\"";
  EXPECT_TRUE(IfNoneMatchMatches(etag, etag));
  EXPECT_TRUE(IfNoneMatchMatches("\"older\", \"5de24ddd\"", etag));
  EXPECT_TRUE(IfNoneMatchMatches("\"older\",\"5de24ddd\"", etag));
  EXPECT_TRUE(IfNoneMatchMatches("W/\"5de24ddd\"", etag));
  EXPECT_TRUE(IfNoneMatchMatches(" W/\"older\" , W/\"5de24ddd\" ", etag));
  EXPECT_TRUE(IfNoneMatchMatches("*", etag));
  EXPECT_FALSE(IfNoneMatchMatches("", etag));
  EXPECT_FALSE(IfNoneMatchMatches("\"older\"", etag));
  EXPECT_FALSE(IfNoneMatchMatches("\"5de24dd\"", etag));
  EXPECT_FALSE(IfNoneMatchMatches("5de24ddd", etag));
  EXPECT_FALSE(IfNoneMatchMatches("\"5de24ddd\"x", etag));
}

}  // namespace
}  // namespace confide::http
