#include "apps/portal_site.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "openapi/openapi_document.h"

namespace confide::app {

namespace {

namespace fs = std::filesystem;
using http::ContentKind;
using http::StaticFile;
using http::StaticMount;
using http::StaticSite;

// swagger-ui-dist ships many bundles; the reference page loads these two.
const std::vector<std::string> kSwaggerUiFiles = {"swagger-ui-bundle.js", "swagger-ui.css"};

std::string PortalConfigJson(const ServerConfig& config) {
  return nlohmann::json{{"idleMinutes", config.portal_idle_minutes},
                        {"quickExitUrl", config.portal_quick_exit_url}}
      .dump();
}

}  // namespace

absl::StatusOr<StaticSite> LoadPortalSite(const ServerConfig& config) {
  std::vector<StaticMount> mounts;
  const fs::path web = config.portal_web_dir;
  std::error_code ec;
  if (!config.portal_web_dir.empty() && fs::is_directory(web / "portal", ec)) {
    mounts.push_back(StaticMount{.url_prefix = "/", .directory = web / "portal"});
    mounts.push_back(
        StaticMount{.url_prefix = "/docs/", .directory = web / "docs", .kind = ContentKind::kDocs});
    const fs::path vendor = web / "node_modules" / "swagger-ui-dist";
    if (fs::is_directory(vendor, ec)) {
      mounts.push_back(StaticMount{.url_prefix = "/docs/vendor/",
                                   .directory = vendor,
                                   .kind = ContentKind::kDocs,
                                   .cache_control = "public, max-age=86400",
                                   .only = kSwaggerUiFiles});
    } else {
      spdlog::warn(
          R"({"msg":"no swagger-ui-dist under portal.web_dir/node_modules: /docs has no renderer; run scripts/setup"})");
    }
  } else if (config.portal_web_dir != ServerConfig{}.portal_web_dir) {
    return absl::NotFoundError(
        absl::StrCat("setting portal.web_dir: ", config.portal_web_dir, " has no portal/ folder"));
  } else {
    spdlog::warn(
        R"({"msg":"no portal: the folder web/portal is not here; see setting portal.web_dir"})");
  }
  absl::StatusOr<StaticSite> site = StaticSite::Load(mounts);
  if (!site.ok()) {
    return site.status();
  }
  if (const StaticFile* docs = site->Find("/docs/"); docs != nullptr) {
    site->Add("/docs", *docs);
  }
  site->Add("/v1/openapi.json",
            StaticSite::MakeFile(std::string(openapi::OpenApiDocument()), "application/json",
                                 ContentKind::kApi, "no-cache"));
  site->Add("/config.json", StaticSite::MakeFile(PortalConfigJson(config), "application/json",
                                                 ContentKind::kApi, "no-cache"));
  return site;
}

}  // namespace confide::app
