// confidectl: the administrator's command line (migrations, demo data, a gRPC probe).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "adapters/crypto/argon2_password_hasher.h"
#include "adapters/persistence/database.h"
#include "apps/grpc_get_client.h"
#include "apps/server_config.h"
#include "services/common/system_clock.h"
#include "services/demo/demo_clinic.h"

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "confidectl: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace confide;
  app::ServerConfig config;
  CLI::App cli{"Confide administration"};
  std::string config_path, database_url;
  cli.add_option("--config", config_path, "TOML configuration file");
  cli.add_option("--database-url", database_url, "sqlite:<path> or postgresql://...");
  cli.require_subcommand(1);
  CLI::App* migrate = cli.add_subcommand("migrate", "apply pending database migrations");
  CLI::App* demo = cli.add_subcommand("demo", "demo clinic data");
  demo->require_subcommand(1);
  CLI::App* demo_load = demo->add_subcommand(
      "load", "create the documented demo clinic (refuses a database with real clinics)");
  CLI::App* grpc = cli.add_subcommand("grpc", "call a running server over gRPC");
  grpc->require_subcommand(1);
  CLI::App* get_client = grpc->add_subcommand("get-client", "print one client (GetClient) as JSON");
  std::string grpc_address = "127.0.0.1:50051", token, client_id = "me";
  get_client->add_option("--address", grpc_address, "host:port of confide-server's gRPC");
  get_client->add_option("--token", token, "session token from Login")->required();
  get_client->add_option("--client-id", client_id, "client id, or `me` for a patient");
  CLI11_PARSE(cli, argc, argv);

  if (get_client->parsed()) {
    return app::GetClientOverGrpc(grpc_address, token, client_id);
  }
  if (!config_path.empty()) {
    if (absl::Status s = app::ApplyConfigFile(config_path, config); !s.ok()) {
      return Fail(s);
    }
  }
  if (absl::Status s = app::ApplyEnvironment(config); !s.ok()) {
    return Fail(s);
  }
  if (!database_url.empty()) {
    config.database_url = database_url;
  }

  absl::StatusOr<std::unique_ptr<persistence::Database>> database =
      persistence::Database::Open({.url = config.database_url, .connections = 1});
  if (!database.ok()) {
    return Fail(database.status());
  }
  absl::StatusOr<std::vector<std::string>> applied = (*database)->Migrate();
  if (!applied.ok()) {
    return Fail(applied.status());
  }
  for (const std::string& name : *applied) {
    std::printf("applied migration %s\n", name.c_str());
  }
  if (migrate->parsed()) {
    std::printf("database is up to date\n");
    return 0;
  }
  if (demo_load->parsed()) {
    SystemClock clock;
    Argon2PasswordHasher hasher(
        Argon2Params{.time_cost = static_cast<uint32_t>(config.argon2_time_cost),
                     .memory_kib = static_cast<uint32_t>(config.argon2_memory_kib)});
    absl::StatusOr<DemoLoadResult> loaded =
        LoadDemoClinic((*database)->transactions(), hasher, clock);
    if (!loaded.ok()) {
      return Fail(loaded.status());
    }
    std::printf(*loaded == DemoLoadResult::kLoaded ? "demo clinic loaded\n"
                                                   : "demo clinic already loaded\n");
  }
  return 0;
}
