#include "apps/master_keys.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/crypto/aes_gcm_secret_box.h"

namespace confide::app {

std::vector<std::string> PreviousMasterKeyFiles(const ServerConfig& config) {
  std::vector<std::string> files;
  for (absl::string_view part : absl::StrSplit(config.previous_master_key_files, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) {
      files.emplace_back(part);
    }
  }
  return files;
}

absl::StatusOr<MasterKeys> LoadMasterKeys(const ServerConfig& config) {
  MasterKeys keys;
  absl::StatusOr<std::string> current = LoadMasterKeyFile(config.master_key_file);
  if (!current.ok()) {
    return current.status();
  }
  keys.current = *std::move(current);
  for (const std::string& file : PreviousMasterKeyFiles(config)) {
    absl::StatusOr<std::string> previous = LoadMasterKeyFile(file);
    if (!previous.ok()) {
      return absl::Status(previous.status().code(),
                          absl::StrCat("previous master key: ", previous.status().message()));
    }
    keys.previous.push_back(*std::move(previous));
  }
  return keys;
}

}  // namespace confide::app
