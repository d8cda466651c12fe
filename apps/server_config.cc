#include "apps/server_config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace confide::app {
namespace {

// One table drives the file, the environment and validation, so a setting is named once.
struct Setting {
  std::function<absl::Status(const std::string&)> set_text;
};

absl::Status SetInt(const std::string& name, const std::string& text, int64_t min, int64_t max,
                    int64_t& out) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting ", name, " must be an integer from ", min, " to ", max));
  }
  out = value;
  return absl::OkStatus();
}

std::map<std::string, Setting> Settings(ServerConfig& c) {
  auto text = [](std::string& field) {
    return Setting{[&field](const std::string& v) {
      field = v;
      return absl::OkStatus();
    }};
  };
  auto integer = [](const std::string& name, auto& field, int64_t min, int64_t max) {
    return Setting{[&field, name, min, max](const std::string& v) {
      int64_t value = 0;
      absl::Status s = SetInt(name, v, min, max, value);
      if (s.ok()) {
        field = static_cast<std::remove_reference_t<decltype(field)>>(value);
      }
      return s;
    }};
  };
  auto boolean = [](const std::string& name, bool& field) {
    return Setting{[&field, name](const std::string& v) {
      if (v != "true" && v != "false") {
        return absl::InvalidArgumentError(absl::StrCat("setting ", name, " must be true or false"));
      }
      field = v == "true";
      return absl::OkStatus();
    }};
  };
  return {
      {"database.url", text(c.database_url)},
      {"database.connections", integer("database.connections", c.database_connections, 1, 256)},
      {"rest.address", text(c.rest_address)},
      {"rest.trusted_proxies", text(c.trusted_proxies)},
      {"rest.port", integer("rest.port", c.rest_port, 0, 65535)},
      {"rest.io_threads", integer("rest.io_threads", c.io_threads, 1, 64)},
      {"rest.body_limit_bytes",
       integer("rest.body_limit_bytes", c.body_limit_bytes, 1024, int64_t{64} * 1024 * 1024)},
      {"rest.tls_cert_file", text(c.tls_cert_file)},
      {"rest.tls_key_file", text(c.tls_key_file)},
      {"rest.cors_allowed_origins", text(c.cors_allowed_origins)},
      {"rest.sign_in_attempts_per_minute",
       integer("rest.sign_in_attempts_per_minute", c.sign_in_attempts_per_minute, 1, 1000000)},
      {"grpc.address", text(c.grpc_address)},
      {"grpc.port", integer("grpc.port", c.grpc_port, 0, 65535)},
      {"server.workers", integer("server.workers", c.workers, 1, 256)},
      {"server.queue_capacity", integer("server.queue_capacity", c.queue_capacity, 1, 1000000)},
      {"server.migrate_on_start", boolean("server.migrate_on_start", c.migrate_on_start)},
      {"server.ports_file", text(c.ports_file)},
      {"server.log_level", text(c.log_level)},
      {"auth.argon2_memory_kib",
       integer("auth.argon2_memory_kib", c.argon2_memory_kib, 8, int64_t{4} * 1024 * 1024)},
      {"auth.argon2_time_cost", integer("auth.argon2_time_cost", c.argon2_time_cost, 1, 100)},
      {"auth.staff_session_hours",
       integer("auth.staff_session_hours", c.staff_session_hours, 1, int64_t{24} * 7)},
      {"auth.patient_session_hours",
       integer("auth.patient_session_hours", c.patient_session_hours, 1, int64_t{24} * 365)},
      {"auth.staff_idle_minutes",
       integer("auth.staff_idle_minutes", c.staff_idle_minutes, 1, int64_t{24} * 60)},
      {"auth.patient_idle_minutes",
       integer("auth.patient_idle_minutes", c.patient_idle_minutes, 1, int64_t{24} * 60 * 30)},
      {"auth.lockout_email_threshold",
       integer("auth.lockout_email_threshold", c.lockout_email_threshold, 1, 1000)},
      {"auth.lockout_address_threshold",
       integer("auth.lockout_address_threshold", c.lockout_address_threshold, 1, 100000)},
      {"auth.master_key_file", text(c.master_key_file)},
      {"auth.previous_master_key_files", text(c.previous_master_key_files)},
      {"audit.seal_interval_ms",
       integer("audit.seal_interval_ms", c.audit_seal_interval_ms, 10, int64_t{3600} * 1000)},
      {"audit.seal_batch_events",
       integer("audit.seal_batch_events", c.audit_seal_batch_events, 1, 1000000)},
      {"audit.retention_years", integer("audit.retention_years", c.audit_retention_years, 1, 100)},
      {"portal.web_dir", text(c.portal_web_dir)},
      {"portal.idle_minutes",
       integer("portal.idle_minutes", c.portal_idle_minutes, 1, int64_t{24} * 60)},
      {"portal.quick_exit_url", text(c.portal_quick_exit_url)},
  };
}

// "database.url" → "CONFIDE_DATABASE_URL".
std::string EnvName(const std::string& key) {
  std::string name = "CONFIDE_";
  for (char ch : key) {
    name.push_back(ch == '.' ? '_'
                             : static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  return name;
}

}  // namespace

absl::Status ApplyConfigFile(const std::string& path, ServerConfig& config) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("config file ", path, ": ", std::string(e.description())));
  }
  std::map<std::string, Setting> settings = Settings(config);
  for (const auto& [section, node] : table) {
    const toml::table* inner = node.as_table();
    if (inner == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("config file ", path, ": top-level key ",
                                                     std::string(section.str()),
                                                     " must be a [section]"));
    }
    for (const auto& [key, value] : *inner) {
      const std::string name =
          absl::StrCat(std::string(section.str()), ".", std::string(key.str()));
      auto setting = settings.find(name);
      if (setting == settings.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("config file ", path, ": unknown setting ", name));
      }
      std::string text;
      if (auto s = value.value<std::string>()) {
        text = *s;
      } else if (auto i = value.value<int64_t>()) {
        text = absl::StrCat(*i);
      } else if (auto b = value.value<bool>()) {
        text = *b ? "true" : "false";
      } else if (const toml::array* list = value.as_array()) {
        // A list of strings, as a comma-separated text like its environment variable.
        for (const toml::node& item : *list) {
          std::optional<std::string> entry = item.value<std::string>();
          if (!entry.has_value()) {
            return absl::InvalidArgumentError(
                absl::StrCat("config file ", path, ": setting ", name, " must list strings"));
          }
          absl::StrAppend(&text, text.empty() ? "" : ",", *entry);
        }
      }
      if (absl::Status s = setting->second.set_text(text); !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyEnvironment(ServerConfig& config) {
  for (auto& [name, setting] : Settings(config)) {
    if (const char* value = std::getenv(EnvName(name).c_str()); value != nullptr) {
      if (absl::Status s = setting.set_text(value); !s.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(EnvName(name), ": ", s.message()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateConfig(const ServerConfig& config) {
  if (config.database_url.empty()) {
    return absl::InvalidArgumentError("setting database.url is required");
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "settings rest.tls_cert_file and rest.tls_key_file must be set together");
  }
  if (!config.portal_quick_exit_url.starts_with("https://")) {
    return absl::InvalidArgumentError("setting portal.quick_exit_url must be an https:// URL");
  }
  return absl::OkStatus();
}

}  // namespace confide::app
