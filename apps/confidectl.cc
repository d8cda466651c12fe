// confidectl: the administrator's command line (migrations, demo data, key rotation, a gRPC
// probe).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/argon2_password_hasher.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "adapters/crypto/openssl_message_authenticator.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "adapters/persistence/database.h"
#include "apps/admin_commands.h"
#include "apps/audit_commands.h"
#include "apps/audit_prune_command.h"
#include "apps/grpc_get_client.h"
#include "apps/master_keys.h"
#include "apps/server_config.h"
#include "services/auth/totp.h"
#include "services/common/base32.h"
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
  std::string config_path, database_url, master_key_file;
  cli.add_option("--config", config_path, "TOML configuration file");
  cli.add_option("--database-url", database_url, "sqlite:<path> or postgresql://...");
  cli.add_option("--master-key-file", master_key_file, "clinic master key file");
  cli.require_subcommand(1);
  CLI::App* keygen =
      cli.add_subcommand("keygen", "create a new master key file (mode 0600; never overwrites)");
  CLI::App* clinic = cli.add_subcommand("clinic", "clinics (platform operator only)");
  clinic->require_subcommand(1);
  CLI::App* clinic_create =
      clinic->add_subcommand("create", "create a clinic and an invitation for its first admin");
  std::string clinic_name, admin_email, admin_name;
  clinic_create->add_option("--name", clinic_name, "the clinic's name")->required();
  clinic_create->add_option("--admin-email", admin_email, "the first admin's email")->required();
  clinic_create->add_option("--admin-name", admin_name, "the first admin's name")->required();
  CLI::App* exercises = cli.add_subcommand("exercises", "the clinic's exercise library");
  exercises->require_subcommand(1);
  CLI::App* exercises_seed = exercises->add_subcommand(
      "seed", "add the starter exercises a clinic does not have yet (idempotent)");
  std::string seed_clinic_id;
  exercises_seed->add_option("--clinic-id", seed_clinic_id, "the clinic's id")->required();
  CLI::App* migrate = cli.add_subcommand("migrate", "apply pending database migrations");
  CLI::App* demo = cli.add_subcommand("demo", "demo clinic data");
  demo->require_subcommand(1);
  CLI::App* demo_load = demo->add_subcommand(
      "load", "create the documented demo clinic (refuses a database with real clinics)");
  CLI::App* outbox = cli.add_subcommand("outbox", "invitation and reset emails to deliver");
  outbox->require_subcommand(1);
  CLI::App* outbox_list = outbox->add_subcommand(
      "list", "print unsent messages as JSON lines, tokens included (for the mail relay)");
  CLI::App* outbox_mark_sent = outbox->add_subcommand("mark-sent", "record a delivered message");
  std::string message_id;
  outbox_mark_sent->add_option("--id", message_id, "message id from `outbox list`")->required();
  CLI::App* keys = cli.add_subcommand("keys", "the master key");
  keys->require_subcommand(1);
  CLI::App* keys_rotate = keys->add_subcommand(
      "rotate",
      "re-seal every value sealed by the master key (data keys, TOTP secrets, ...) under a new "
      "key, in one transaction; clinical content is not re-encrypted");
  std::string new_master_key_file;
  keys_rotate
      ->add_option("--new-master-key-file", new_master_key_file,
                   "the key to rotate to (create it with `confidectl keygen`)")
      ->required();
  std::string previous_master_key_files;
  cli.add_option("--previous-master-key-files", previous_master_key_files,
                 "comma-separated older master keys whose values are still to be opened");
  CLI::App* demo_totp = demo->add_subcommand(
      "totp-code", "print the current TOTP code of the demo staff accounts' published secret");
  app::AuditCommands audit_commands(cli);
  CLI::App* audit_prune = audit_commands.audit()->add_subcommand(
      "prune",
      "archive-then-prune: export the batches older than the retention cutoff to --archive, "
      "verify it, then record the prune and delete those events in one transaction (idempotent)");
  std::string prune_clinic_id, prune_archive, prune_before;
  audit_prune
      ->add_option("--clinic-id", prune_clinic_id, "clinic id (\"\" = the deployment's own trail)")
      ->required();
  audit_prune->add_option("--archive", prune_archive, "the archive file to write (must not exist)")
      ->required();
  audit_prune->add_option("--before", prune_before,
                          "YYYY-MM-DD: an earlier cutoff than today - audit.retention_years");
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
  if (demo_totp->parsed()) {
    SystemClock clock;
    OpenSslMessageAuthenticator mac;
    std::printf("%s\n",
                TotpCode(mac, *Base32Decode(kDemoTotpSecretBase32), TotpStep(clock.Now())).c_str());
    return 0;
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
  if (!master_key_file.empty()) {
    config.master_key_file = master_key_file;
  }
  if (!previous_master_key_files.empty()) {
    config.previous_master_key_files = previous_master_key_files;
  }
  if (keygen->parsed()) {
    if (absl::Status s = WriteNewMasterKeyFile(config.master_key_file); !s.ok()) {
      return Fail(s);
    }
    std::printf("master key written to %s (mode 0600); back it up separately from the database\n",
                config.master_key_file.c_str());
    return 0;
  }

  // The keys of a rotation are checked before the database is touched.
  std::unique_ptr<AesGcmSecretBox> rotate_from, rotate_to;
  if (keys_rotate->parsed()) {
    absl::StatusOr<app::MasterKeys> current = app::LoadMasterKeys(config);
    if (!current.ok()) {
      return Fail(current.status());
    }
    absl::StatusOr<std::string> next = LoadMasterKeyFile(new_master_key_file);
    if (!next.ok()) {
      return Fail(next.status());
    }
    if (*next == current->current) {
      return Fail(absl::InvalidArgumentError(
          "--new-master-key-file holds the current master key; create a new one with "
          "`confidectl keygen`"));
    }
    rotate_from = std::make_unique<AesGcmSecretBox>(std::move(current->current),
                                                    std::move(current->previous));
    rotate_to = std::make_unique<AesGcmSecretBox>(*std::move(next));
  }

  if (audit_commands.offline()) {
    return audit_commands.RunOffline();
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
  if (audit_prune->parsed()) {
    app::AuditPruneOptions options{.clinic_id = prune_clinic_id,
                                   .archive_path = prune_archive,
                                   .retention_years = config.audit_retention_years};
    if (!prune_before.empty()) {
      options.before = app::ParseDay(prune_before);
      if (!options.before.has_value()) {
        return Fail(absl::InvalidArgumentError("--before must be a date written YYYY-MM-DD"));
      }
    }
    return app::AuditPruneCommand((*database)->transactions(), options);
  }
  if (audit_commands.needs_database()) {
    return audit_commands.RunWithDatabase((*database)->transactions(), config);
  }
  if (keys_rotate->parsed()) {
    return app::RotateKeys((*database)->transactions(), *rotate_from, *rotate_to);
  }
  if (demo_load->parsed()) {
    SystemClock clock;
    Argon2PasswordHasher hasher(
        Argon2Params{.time_cost = static_cast<uint32_t>(config.argon2_time_cost),
                     .memory_kib = static_cast<uint32_t>(config.argon2_memory_kib)});
    absl::StatusOr<std::string> master_key = LoadMasterKeyFile(config.master_key_file);
    if (!master_key.ok()) {
      return Fail(master_key.status());
    }
    AesGcmSecretBox box(*std::move(master_key));
    OpenSslSecretGenerator secrets;
    EnvelopeClientDataCipher client_data(box, secrets, clock);
    absl::StatusOr<DemoLoadResult> loaded =
        LoadDemoClinic((*database)->transactions(), hasher, box, client_data, clock);
    if (!loaded.ok()) {
      return Fail(loaded.status());
    }
    std::printf(*loaded == DemoLoadResult::kLoaded ? "demo clinic loaded\n"
                                                   : "demo clinic already loaded\n");
  }
  if (exercises_seed->parsed()) {
    return app::SeedClinicExercises((*database)->transactions(), seed_clinic_id);
  }
  if (clinic_create->parsed() || outbox_list->parsed() || outbox_mark_sent->parsed()) {
    absl::StatusOr<std::string> master_key = LoadMasterKeyFile(config.master_key_file);
    if (!master_key.ok()) {
      return Fail(master_key.status());
    }
    AesGcmSecretBox box(*std::move(master_key));
    TransactionRunner& transactions = (*database)->transactions();
    if (clinic_create->parsed()) {
      return app::CreateClinic(transactions, box, clinic_name, admin_email, admin_name);
    }
    if (outbox_list->parsed()) {
      return app::ListOutbox(transactions, box);
    }
    return app::MarkOutboxSent(transactions, message_id);
  }
  return 0;
}
