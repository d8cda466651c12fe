#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "apps/server_config.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide::app {

// `confidectl audit export|verify|checkpoint` (docs/audit.md). Construct before parsing; then
// RunOffline (verify FILE needs no database) or RunWithDatabase.
class AuditCommands {
 public:
  explicit AuditCommands(CLI::App& cli);

  // The `audit` subcommand, for other audit commands (prune) to add themselves to.
  CLI::App* audit() { return audit_; }

  // `audit verify FILE`: true when it was parsed (run it with RunOffline, before opening the
  // database).
  bool offline() const;
  int RunOffline();
  // `audit export`, `audit verify --database`, `audit checkpoint`, `audit rotate-key`, `audit seal`
  // (which opens the master keys of `config` to create or use the clinics' signing keys).
  bool needs_database() const;
  int RunWithDatabase(TransactionRunner& transactions, const ServerConfig& config);

 private:
  CLI::App* audit_;
  CLI::App* export_;
  CLI::App* verify_;
  CLI::App* checkpoint_;
  CLI::App* seal_;
  CLI::App* rotate_key_;
  std::string rotate_clinic_id_;
  int seal_batch_events_ = 1000;
  std::string clinic_id_;
  std::string format_ = "ndjson";
  std::string start_;
  std::string end_;
  std::string out_;
  std::string file_;
  std::string saved_checkpoint_file_;
  std::string keys_file_;
  bool database_ = false;
  std::string verify_clinic_id_;
  std::string checkpoint_clinic_id_;
};

}  // namespace confide::app
