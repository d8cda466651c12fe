#include "adapters/http/static_site.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "adapters/http/gzip.h"

namespace confide::http {

namespace fs = std::filesystem;

namespace {

std::string Etag(std::string_view body) {
  const std::string digest = OpenSslSha256Hasher().Hash(body);
  // 16 bytes of SHA-256 tell versions apart; the whole digest would only lengthen headers.
  return absl::StrCat("\"", absl::BytesToHexString(absl::string_view(digest.data(), 16)), "\"");
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return absl::UnavailableError(absl::StrCat("cannot read ", path.string()));
  }
  return content.str();
}

bool IsHidden(const fs::path& relative) {
  for (const fs::path& part : relative) {
    if (part.string().starts_with(".")) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag) {
  const absl::string_view header(if_none_match.data(), if_none_match.size());
  if (absl::StripAsciiWhitespace(header) == "*") {
    return true;
  }
  absl::string_view wanted(etag.data(), etag.size());
  absl::ConsumePrefix(&wanted, "W/");
  // Entity tags are quoted and cannot hold a comma, so splitting on commas is exact.
  for (absl::string_view tag : absl::StrSplit(header, ',')) {
    tag = absl::StripAsciiWhitespace(tag);
    absl::ConsumePrefix(&tag, "W/");
    if (tag == wanted) {
      return true;
    }
  }
  return false;
}

std::string_view ContentTypeFor(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (file_name.ends_with(extension)) {
      return type;
    }
  }
  return {};
}

StaticFile StaticSite::MakeFile(std::string body, std::string content_type, ContentKind kind,
                                std::string cache_control) {
  StaticFile file{.body = std::move(body),
                  .content_type = std::move(content_type),
                  .cache_control = std::move(cache_control),
                  .kind = kind};
  file.etag = Etag(file.body);
  if (file.body.size() >= kGzipMinimumBytes && !file.content_type.starts_with("image/png") &&
      !file.content_type.starts_with("font/")) {
    if (std::optional<std::string> gzip = GzipCompress(file.body);
        gzip.has_value() && gzip->size() < file.body.size()) {
      file.gzip_body = *std::move(gzip);
    }
  }
  return file;
}

absl::StatusOr<StaticSite> StaticSite::Load(const std::vector<StaticMount>& mounts) {
  StaticSite site;
  for (const StaticMount& mount : mounts) {
    std::error_code ec;
    if (!fs::is_directory(mount.directory, ec)) {
      return absl::NotFoundError(absl::StrCat("the folder ", mount.directory, " to publish at ",
                                              mount.url_prefix,
                                              " does not exist (setting portal.web_dir)"));
    }
    std::vector<fs::path> relatives;
    if (mount.only.empty()) {
      for (const fs::directory_entry& entry : fs::recursive_directory_iterator(mount.directory)) {
        if (entry.is_regular_file()) {
          relatives.push_back(fs::relative(entry.path(), mount.directory));
        }
      }
    } else {
      relatives.assign(mount.only.begin(), mount.only.end());
    }
    for (const fs::path& relative : relatives) {
      const std::string name = relative.generic_string();
      const std::string_view type = ContentTypeFor(name);
      if (type.empty() || IsHidden(relative)) {
        continue;
      }
      absl::StatusOr<std::string> body = ReadFile(fs::path(mount.directory) / relative);
      if (!body.ok()) {
        return body.status();
      }
      site.Add(absl::StrCat(mount.url_prefix, name),
               MakeFile(*std::move(body), std::string(type), mount.kind, mount.cache_control));
    }
  }
  return site;
}

const StaticFile* StaticSite::Find(std::string_view path) const {
  auto it = files_.find(path);
  if (it == files_.end() && (path.empty() || path.back() == '/')) {
    it = files_.find(std::string(path) + "index.html");
  }
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace confide::http
