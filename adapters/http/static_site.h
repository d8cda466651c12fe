#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/http/security_headers.h"

namespace confide::http {

// One file the gateway serves, read and compressed once at start-up.
struct StaticFile {
  std::string body;
  // Empty when gzip would not make it smaller.
  std::string gzip_body;
  std::string content_type;
  // A strong validator: a digest of the body, quoted.
  std::string etag;
  std::string cache_control;
  ContentKind kind = ContentKind::kPortal;
};

// A folder published under a URL prefix.
struct StaticMount {
  // "/" or "/docs/": URL paths under it map to files under `directory`.
  std::string url_prefix;
  std::string directory;
  ContentKind kind = ContentKind::kPortal;
  // Cache-Control for its files.
  std::string cache_control = "no-cache";
  // When not empty, only these files (relative paths) are published; otherwise every file
  // with a known type, except dotfiles.
  std::vector<std::string> only;
};

// The portal, the API reference and their vendored assets. Every file is read into memory at
// start-up, so a request never touches the file system: no path traversal, no races with a
// deploy, and a missing file is noticed at start rather than by a patient.
class StaticSite {
 public:
  // NOT_FOUND naming the folder when one is missing.
  static absl::StatusOr<StaticSite> Load(const std::vector<StaticMount>& mounts);
  StaticSite() = default;

  // The file for a request path ("/" and "/docs/" serve their index.html); nullptr when none.
  const StaticFile* Find(std::string_view path) const;
  size_t size() const { return files_.size(); }

  // Adds a generated file (e.g. /config.json).
  void Add(std::string path, StaticFile file) { files_[std::move(path)] = std::move(file); }
  static StaticFile MakeFile(std::string body, std::string content_type, ContentKind kind,
                             std::string cache_control);

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

// True when an If-None-Match header value names `etag` (RFC 9110 13.1.2): "*", or a list of
// entity tags compared weakly, so W/"x" (a proxy that re-encoded the body) matches "x".
bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag);

// The media type for a file name's extension; empty for types the gateway does not publish.
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace confide::http
