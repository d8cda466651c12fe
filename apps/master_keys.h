#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "apps/server_config.h"

namespace confide::app {

// The master keys a process runs with: the one it seals under and those it still opens.
struct MasterKeys {
  std::string current;
  std::vector<std::string> previous;
};

// The files named by previous_master_key_files, in order, blanks dropped.
std::vector<std::string> PreviousMasterKeyFiles(const ServerConfig& config);

// Loads auth.master_key_file and auth.previous_master_key_files (LoadMasterKeyFile's checks and
// errors, each naming its file).
absl::StatusOr<MasterKeys> LoadMasterKeys(const ServerConfig& config);

}  // namespace confide::app
