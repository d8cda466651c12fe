// confide-server: the composition root. Reads configuration, builds the adapters and services,
// wires them by constructor injection, serves REST and gRPC until SIGTERM, then drains.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/argon2_password_hasher.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_message_authenticator.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "adapters/crypto/uuid7_id_generator.h"
#include "adapters/grpc/grpc_server.h"
#include "adapters/http/http_rule_router.h"
#include "adapters/http/http_server.h"
#include "adapters/persistence/database.h"
#include "apps/master_keys.h"
#include "apps/portal_site.h"
#include "apps/server_config.h"
#include "services/api/bounded_executor.h"
#include "services/api/method_table.h"
#include "services/api/pipeline.h"
#include "services/assessments/assessment_service.h"
#include "services/audit/audit_sealer.h"
#include "services/audit/audit_sealer_loop.h"
#include "services/audit/audit_service.h"
#include "services/auth/account_service.h"
#include "services/auth/auth_service.h"
#include "services/auth/authenticator.h"
#include "services/break_glass/break_glass_service.h"
#include "services/care_team/care_team_service.h"
#include "services/clients/client_service.h"
#include "services/common/system_clock.h"
#include "services/consents/consent_service.h"
#include "services/exercises/exercise_service.h"
#include "services/intake/intake_service.h"
#include "services/journal/journal_service.h"
#include "services/notes/note_service.h"
#include "services/partners/portal_access_service.h"
#include "services/plans/milestone_service.h"
#include "services/plans/plan_service.h"
#include "services/programmes/practice_service.h"
#include "services/programmes/programme_service.h"
#include "services/progress/progress_service.h"
#include "services/records/client_data_erasure_service.h"
#include "services/records/record_export_service.h"
#include "services/staff/staff_service.h"

namespace {

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "confide-server: %s\n", message.c_str());
  std::exit(1);
}

void WritePortsFile(const std::string& path, int rest_port, int grpc_port) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp);
    out << "{\"rest\":" << rest_port << ",\"grpc\":" << grpc_port << "}\n";
  }
  // Rename so a reader never sees a half-written file.
  std::rename(temp.c_str(), path.c_str());
}

// Names this process in the batches it seals: "<hostname>:<pid>:<8 random hex>" (the random part
// tells apart two processes that reuse a pid, e.g. in containers).
std::string SealerInstanceId(confide::SecretGenerator& secrets) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) {
    host[0] = '\0';
  }
  return absl::StrCat(host, ":", getpid(), ":", absl::BytesToHexString(secrets.RandomBytes(4)));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace confide;
  app::ServerConfig config;
  CLI::App cli{"Confide practice-management server"};
  std::string config_path;
  cli.add_option("--config", config_path, "TOML configuration file");
  std::string database_url, rest_address, grpc_address, ports_file, master_key_file;
  int rest_port = -1, grpc_port = -1;
  cli.add_option("--database-url", database_url, "sqlite:<path> or postgresql://...");
  cli.add_option("--rest-address", rest_address, "REST listen address");
  cli.add_option("--rest-port", rest_port, "REST port (0 = any free port)");
  cli.add_option("--grpc-address", grpc_address, "gRPC listen address");
  cli.add_option("--grpc-port", grpc_port, "gRPC port (0 = any free port)");
  cli.add_option("--ports-file", ports_file, "write the bound ports here as JSON");
  cli.add_option("--master-key-file", master_key_file,
                 "clinic master key (create with `confidectl keygen`)");
  std::string previous_master_key_files;
  cli.add_option("--previous-master-key-files", previous_master_key_files,
                 "comma-separated master keys being rotated away from (still opened)");
  CLI11_PARSE(cli, argc, argv);

  if (!config_path.empty()) {
    if (absl::Status s = app::ApplyConfigFile(config_path, config); !s.ok()) {
      Fatal(s.ToString());
    }
  }
  if (absl::Status s = app::ApplyEnvironment(config); !s.ok()) {
    Fatal(s.ToString());
  }
  if (!database_url.empty()) {
    config.database_url = database_url;
  }
  if (!rest_address.empty()) {
    config.rest_address = rest_address;
  }
  if (!grpc_address.empty()) {
    config.grpc_address = grpc_address;
  }
  if (rest_port >= 0) {
    config.rest_port = rest_port;
  }
  if (grpc_port >= 0) {
    config.grpc_port = grpc_port;
  }
  if (!ports_file.empty()) {
    config.ports_file = ports_file;
  }
  if (!master_key_file.empty()) {
    config.master_key_file = master_key_file;
  }
  if (!previous_master_key_files.empty()) {
    config.previous_master_key_files = previous_master_key_files;
  }
  if (absl::Status s = app::ValidateConfig(config); !s.ok()) {
    Fatal(s.ToString());
  }

  spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","event":%v})",
                      spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  SystemClock clock;
  Uuid7IdGenerator ids(clock);
  OpenSslSecretGenerator secrets;
  OpenSslMessageAuthenticator mac;
  absl::StatusOr<app::MasterKeys> master_key = app::LoadMasterKeys(config);
  if (!master_key.ok()) {
    Fatal(absl::StrCat("master key ", config.master_key_file, ": ", master_key.status().ToString(),
                       " (create one with `confidectl keygen`)"));
  }
  // A key of its own for the lockout table's email HMAC, derived from the current master key (so
  // a key rotation restarts the per-email failure counts: docs/security.md, "Key rotation").
  const std::string email_key_secret =
      mac.HmacSha1(master_key->current, "confide sign-in throttle v1");
  AesGcmSecretBox box(std::move(master_key->current), std::move(master_key->previous));
  Argon2PasswordHasher hasher(
      Argon2Params{.time_cost = static_cast<uint32_t>(config.argon2_time_cost),
                   .memory_kib = static_cast<uint32_t>(config.argon2_memory_kib)});

  absl::StatusOr<std::unique_ptr<persistence::Database>> database = persistence::Database::Open(
      {.url = config.database_url, .connections = config.database_connections});
  if (!database.ok()) {
    Fatal(database.status().ToString());
  }
  if (config.migrate_on_start) {
    absl::StatusOr<std::vector<std::string>> applied = (*database)->Migrate();
    if (!applied.ok()) {
      Fatal(applied.status().ToString());
    }
    for (const std::string& name : *applied) {
      spdlog::info(R"({{"msg":"migration applied","name":"{}"}})", name);
    }
  }

  MethodTable methods;
  ClientService clients(ids);
  clients.Register(methods);
  PasswordChecker passwords(hasher, secrets);
  AuthService auth(passwords, secrets, ids, box, mac,
                   SessionPolicy{.staff_absolute = absl::Hours(config.staff_session_hours),
                                 .staff_idle = absl::Minutes(config.staff_idle_minutes),
                                 .patient_absolute = absl::Hours(config.patient_session_hours),
                                 .patient_idle = absl::Minutes(config.patient_idle_minutes)},
                   LockoutPolicy{.email_threshold = config.lockout_email_threshold,
                                 .address_threshold = config.lockout_address_threshold,
                                 .email_key_secret = email_key_secret});
  auth.Register(methods);
  AccountService accounts(passwords, secrets, ids, box, mac);
  accounts.Register(methods);
  StaffService staff(secrets, ids, box);
  staff.Register(methods);
  CareTeamService care_teams;
  care_teams.Register(methods);
  PortalAccessService portal_access(secrets, ids, box);
  portal_access.Register(methods);
  BreakGlassService break_glass(ids, box);
  break_glass.Register(methods);
  // Clinical content is sealed under per-client data keys wrapped by the master key.
  EnvelopeClientDataCipher client_data(box, secrets, clock);
  // The clinical record's services register below (intake, consents, assessments, plans).
  IntakeService intake(client_data);
  intake.Register(methods);
  ConsentService consents(ids);
  consents.Register(methods);
  AssessmentService assessments(ids, client_data);
  assessments.Register(methods);

  PlanService plans(client_data, ids);
  plans.Register(methods);
  MilestoneService milestones(client_data, ids);
  milestones.Register(methods);
  NoteService notes(client_data, ids, secrets);
  notes.Register(methods);
  ProgrammeService programmes(client_data, ids);
  programmes.Register(methods);
  PracticeService practice(client_data, ids);
  practice.Register(methods);
  JournalService journal(client_data, ids);
  journal.Register(methods);
  ExerciseService exercises(ids);
  exercises.Register(methods);
  ProgressService progress(client_data);
  progress.Register(methods);
  RecordExportService record_export(client_data, secrets);
  record_export.Register(methods);
  ClientDataErasureService erasure;
  erasure.Register(methods);
  OpenSslSha256Hasher sha256;
  AuditService audit(box, sha256);
  audit.Register(methods);

  BoundedExecutor executor(config.workers, static_cast<size_t>(config.queue_capacity));
  Authenticator authenticator(secrets);
  Pipeline pipeline(methods, authenticator, (*database)->transactions(), executor, clock, ids);

  absl::StatusOr<http::HttpRuleRouter> router = http::HttpRuleRouter::Build(methods);
  if (!router.ok()) {
    Fatal(router.status().ToString());
  }
  absl::StatusOr<http::StaticSite> site = LoadPortalSite(config);
  if (!site.ok()) {
    Fatal(site.status().ToString());
  }
  http::HttpServer rest(
      http::HttpServerOptions{
          .address = config.rest_address,
          .port = static_cast<uint16_t>(config.rest_port),
          .io_threads = config.io_threads,
          .body_limit = static_cast<size_t>(config.body_limit_bytes),
          .trusted_proxies =
              absl::StrSplit(config.trusted_proxies, absl::ByAnyChar(", "), absl::SkipEmpty()),
          .tls_cert_file = config.tls_cert_file,
          .tls_key_file = config.tls_key_file,
          .cors_allowed_origins =
              absl::StrSplit(config.cors_allowed_origins, absl::ByAnyChar(", "), absl::SkipEmpty()),
          .sign_in_attempts_per_minute = config.sign_in_attempts_per_minute,
          .static_site = *std::move(site)},
      pipeline, *router, executor, [&database] { return (*database)->CheckReady(); }, ids);
  if (absl::Status s = rest.Start(); !s.ok()) {
    Fatal(s.ToString());
  }
  grpc_adapter::GrpcServer grpc(
      grpc_adapter::GrpcServerOptions{
          .address = config.grpc_address,
          .port = static_cast<uint16_t>(config.grpc_port),
          .max_message_bytes = static_cast<size_t>(config.body_limit_bytes)},
      pipeline, ids);
  if (absl::Status s = grpc.Start(); !s.ok()) {
    Fatal(s.ToString());
  }

  spdlog::info(R"({{"msg":"listening","rest":"{}:{}","tls":{},"grpc":"{}:{}","database":"{}"}})",
               config.rest_address, rest.port(), !config.tls_cert_file.empty(), config.grpc_address,
               grpc.port(),
               (*database)->dialect() == persistence::Dialect::kSqlite ? "sqlite" : "postgresql");
  if (!config.ports_file.empty()) {
    WritePortsFile(config.ports_file, rest.port(), grpc.port());
  }

  // The audit trail's sealer: one leader per deployment (docs/audit.md, "Sealing").
  OpenSslCheckpointSigner checkpoint_signer;
  AuditSealer sealer((*database)->transactions(), box, checkpoint_signer, sha256, clock,
                     SealerInstanceId(secrets), config.audit_seal_batch_events);
  std::unique_ptr<SealerLeadership> sealer_leadership = (*database)->NewSealerLeadership();
  AuditSealerLoop sealer_loop(
      sealer, *sealer_leadership, absl::Milliseconds(config.audit_seal_interval_ms),
      AuditSealerLoopEvents{
          .leadership_changed =
              [](bool leading) {
                spdlog::info(R"({{"msg":"audit sealer leadership","leading":{}}})", leading);
              },
          .seal_failed =
              [](const absl::Status& status) {
                spdlog::warn(R"({{"msg":"audit sealing failed","code":"{}"}})",
                             absl::StatusCodeToString(status.code()));
              }});
  sealer_loop.Start();

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info(R"({{"msg":"stopping","signal":{}}})", signal_number);
  // Drain: stop taking new work and tell the load balancer (/readyz 503), let calls in flight
  // finish (bounded), run what is queued, then close the transports.
  rest.BeginDrain();
  grpc.Shutdown(std::chrono::seconds(10));
  if (!rest.WaitForConnectionsToClose(std::chrono::seconds(5))) {
    spdlog::warn(R"({"msg":"closing idle or slow REST connections at shutdown"})");
  }
  executor.Shutdown();
  rest.Stop();
  // After the drain, so the last round seals the events of the calls that just finished.
  sealer_loop.Stop();
  spdlog::info(R"({"msg":"stopped"})");
  return 0;
}
