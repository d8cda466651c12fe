#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "services/audit/audit_event.h"
#include "services/audit/ports/audit_log.h"
#include "services/clients/ports/client_repository.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/common/timestamps.h"
#include "services/storage/ports/unit_of_work.h"
#include "tests/fakes/in_memory_audit_signing_key_repository.h"
#include "tests/fakes/in_memory_audit_trail_repository.h"
#include "tests/fakes/in_memory_clinical_repositories.h"
#include "tests/fakes/in_memory_database.h"
#include "tests/fakes/in_memory_exercise_repository.h"
#include "tests/fakes/in_memory_identity_repositories.h"
#include "tests/fakes/in_memory_journal_repository.h"
#include "tests/fakes/in_memory_practice_log_repository.h"
#include "tests/fakes/in_memory_programme_repository.h"
#include "tests/fakes/in_memory_progression_suggestion_repository.h"

namespace confide {

class InMemoryClinicRepository final : public ClinicRepository {
 public:
  explicit InMemoryClinicRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ClinicRecord& clinic, absl::Time) override {
    if (!db_.clinics.emplace(clinic.id, clinic).second) {
      return absl::AlreadyExistsError("clinic exists");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<ClinicRecord>> Find(std::string_view clinic_id) override {
    auto it = db_.clinics.find(std::string(clinic_id));
    if (it == db_.clinics.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<int> CountRealClinics() override {
    return static_cast<int>(std::count_if(db_.clinics.begin(), db_.clinics.end(),
                                          [](const auto& c) { return !c.second.is_demo; }));
  }

 private:
  InMemoryDatabase& db_;
};

class InMemoryClientRepository final : public ClientRepository {
 public:
  explicit InMemoryClientRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ClientRecord& record, std::string_view create_request_id) override {
    const std::string& id = record.client.id();
    if (db_.clients.count(id) > 0) {
      return absl::AlreadyExistsError("client id exists");
    }
    if (!create_request_id.empty()) {
      auto key = std::make_pair(record.clinic_id, std::string(create_request_id));
      if (!db_.client_create_requests.emplace(key, id).second) {
        return absl::AlreadyExistsError("create request id used");
      }
    }
    ClientRecord stored = record;
    stored.version = 1;
    for (const v1::CareTeamMember& member : record.client.care_team()) {
      db_.care_team_added_times.insert_or_assign({id, member.user_id()},
                                                 FromTimestamp(record.client.create_time()));
    }
    db_.clients.emplace(id, std::move(stored));
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<ClientRecord>> Find(std::string_view clinic_id,
                                                   std::string_view client_id) override {
    const ClientRecord* record = Lookup(clinic_id, client_id);
    if (record == nullptr) {
      return std::nullopt;
    }
    return *record;
  }

  absl::StatusOr<std::optional<std::string>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    auto it = db_.client_create_requests.find(
        std::make_pair(std::string(clinic_id), std::string(request_id)));
    if (it == db_.client_create_requests.end()) {
      return std::nullopt;
    }
    return it->second;
  }

  absl::StatusOr<std::optional<ClientAccessFacts>> FindAccessFacts(
      std::string_view clinic_id, std::string_view client_id) override {
    const ClientRecord* record = Lookup(clinic_id, client_id);
    if (record == nullptr) {
      return std::nullopt;
    }
    ClientAccessFacts facts{.clinic_id = record->clinic_id, .client_id = record->client.id()};
    for (const v1::CareTeamMember& member : record->client.care_team()) {
      facts.care_team_user_ids.push_back(member.user_id());
    }
    return facts;
  }

  absl::StatusOr<std::vector<ClientRecord>> List(const ClientQuery& query) override {
    std::vector<ClientRecord> out;
    // std::map iterates in id order, which is the order the port promises.
    for (const auto& [id, record] : db_.clients) {
      if (static_cast<int>(out.size()) >= query.limit) {
        break;
      }
      if (Matches(record, query)) {
        out.push_back(record);
      }
    }
    return out;
  }

  absl::Status Update(const ClientRecord& record, int64_t expected_version) override {
    auto it = db_.clients.find(record.client.id());
    if (it == db_.clients.end() || it->second.clinic_id != record.clinic_id) {
      return absl::NotFoundError("client not found");
    }
    if (it->second.version != expected_version) {
      return absl::AbortedError("version moved on");
    }
    // The care team is not a client field: only CareTeamRepository changes it.
    ClientRecord stored = record;
    *stored.client.mutable_care_team() = std::move(*it->second.client.mutable_care_team());
    it->second = std::move(stored);
    return absl::OkStatus();
  }

 private:
  const ClientRecord* Lookup(std::string_view clinic_id, std::string_view client_id) const {
    auto it = db_.clients.find(std::string(client_id));
    if (it == db_.clients.end() || it->second.clinic_id != clinic_id) {
      return nullptr;
    }
    return &it->second;
  }

  static bool Matches(const ClientRecord& record, const ClientQuery& query) {
    const v1::Client& client = record.client;
    if (record.clinic_id != query.clinic_id || client.id() <= query.after_id) {
      return false;
    }
    if (!query.only_client_id.empty() && client.id() != query.only_client_id) {
      return false;
    }
    if (!query.care_team_user_id.empty() &&
        std::none_of(
            client.care_team().begin(), client.care_team().end(),
            [&](const v1::CareTeamMember& m) { return m.user_id() == query.care_team_user_id; })) {
      return false;
    }
    if (query.status != v1::CLIENT_STATUS_UNSPECIFIED && client.status() != query.status) {
      return false;
    }
    if (query.exclude_archived && client.status() == v1::CLIENT_STATUS_ARCHIVED) {
      return false;
    }
    if (query.name_prefix.empty()) {
      return true;
    }
    for (const std::string* name :
         {&client.preferred_name(), &client.legal_given_name(), &client.legal_family_name()}) {
      if (absl::StartsWith(absl::AsciiStrToLower(*name), query.name_prefix)) {
        return true;
      }
    }
    return false;
  }

  InMemoryDatabase& db_;
};

class InMemoryAuditLog final : public AuditLog {
 public:
  explicit InMemoryAuditLog(InMemoryDatabase& db) : db_(db) {}

  absl::Status Append(const AuditEvent& event) override {
    db_.audit_events.push_back(event);
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

// One transaction over a private copy of the database; the runner publishes the copy on commit.
class InMemoryUnitOfWork final : public UnitOfWork {
 public:
  explicit InMemoryUnitOfWork(InMemoryDatabase snapshot)
      : db_(std::move(snapshot)),
        clinics_(db_),
        clients_(db_),
        consents_(db_),
        users_(db_),
        sessions_(db_),
        sign_in_throttle_(db_),
        one_time_tokens_(db_),
        care_teams_(db_),
        partner_links_(db_),
        break_glass_(db_),
        outbox_(db_),
        client_data_keys_(db_),
        intakes_(db_),
        plans_(db_),
        milestones_(db_),
        assessments_(db_),
        master_sealed_values_(db_),
        notes_(db_),
        exercises_(db_),
        programmes_(db_),
        practice_logs_(db_),
        progression_suggestions_(db_),
        journal_(db_),
        audit_trail_(db_),
        audit_signing_keys_(db_),
        audit_(db_) {}
  InMemoryUnitOfWork(const InMemoryUnitOfWork&) = delete;
  InMemoryUnitOfWork& operator=(const InMemoryUnitOfWork&) = delete;

  ClinicRepository& clinics() override { return clinics_; }
  ClientRepository& clients() override { return clients_; }
  ConsentRepository& consents() override { return consents_; }
  UserRepository& users() override { return users_; }
  SessionRepository& sessions() override { return sessions_; }
  SignInThrottleRepository& sign_in_throttle() override { return sign_in_throttle_; }
  OneTimeTokenRepository& one_time_tokens() override { return one_time_tokens_; }
  CareTeamRepository& care_teams() override { return care_teams_; }
  PartnerLinkRepository& partner_links() override { return partner_links_; }
  BreakGlassRepository& break_glass() override { return break_glass_; }
  Outbox& outbox() override { return outbox_; }
  ClientDataKeyRepository& client_data_keys() override { return client_data_keys_; }
  IntakeRepository& intakes() override { return intakes_; }
  PlanRepository& plans() override { return plans_; }
  MilestoneRepository& milestones() override { return milestones_; }
  AssessmentRepository& assessments() override { return assessments_; }
  MasterSealedValueRepository& master_sealed_values() override { return master_sealed_values_; }
  NoteRepository& notes() override { return notes_; }
  ExerciseRepository& exercises() override { return exercises_; }
  ProgrammeRepository& programmes() override { return programmes_; }
  PracticeLogRepository& practice_logs() override { return practice_logs_; }
  ProgressionSuggestionRepository& progression_suggestions() override {
    return progression_suggestions_;
  }
  JournalRepository& journal() override { return journal_; }
  AuditTrailRepository& audit_trail() override { return audit_trail_; }
  AuditSigningKeyRepository& audit_signing_keys() override { return audit_signing_keys_; }
  AuditLog& audit() override { return audit_; }

  // A savepoint is a copy of the transaction's state; an error restores it.
  absl::Status Atomically(absl::FunctionRef<absl::Status()> work) override {
    InMemoryDatabase savepoint = db_;
    absl::Status status = work();
    if (!status.ok()) {
      db_ = std::move(savepoint);
    }
    return status;
  }

  InMemoryDatabase& state() { return db_; }

 private:
  InMemoryDatabase db_;
  InMemoryClinicRepository clinics_;
  InMemoryClientRepository clients_;
  InMemoryConsentRepository consents_;
  InMemoryUserRepository users_;
  InMemorySessionRepository sessions_;
  InMemorySignInThrottleRepository sign_in_throttle_;
  InMemoryOneTimeTokenRepository one_time_tokens_;
  InMemoryCareTeamRepository care_teams_;
  InMemoryPartnerLinkRepository partner_links_;
  InMemoryBreakGlassRepository break_glass_;
  InMemoryOutbox outbox_;
  InMemoryClientDataKeyRepository client_data_keys_;
  InMemoryIntakeRepository intakes_;
  InMemoryPlanRepository plans_;
  InMemoryMilestoneRepository milestones_;
  InMemoryAssessmentRepository assessments_;
  InMemoryMasterSealedValueRepository master_sealed_values_;
  InMemoryNoteRepository notes_;
  InMemoryExerciseRepository exercises_;
  InMemoryProgrammeRepository programmes_;
  InMemoryPracticeLogRepository practice_logs_;
  InMemoryProgressionSuggestionRepository progression_suggestions_;
  InMemoryJournalRepository journal_;
  InMemoryAuditTrailRepository audit_trail_;
  InMemoryAuditSigningKeyRepository audit_signing_keys_;
  InMemoryAuditLog audit_;
};

// Serializable transactions over one in-memory database: each Run works on a copy and publishes
// it only when work returns OK. Transactions run one at a time. Thread-safe.
class InMemoryTransactionRunner final : public TransactionRunner {
 public:
  absl::Status Run(TransactionMode, absl::FunctionRef<absl::Status(UnitOfWork&)> work) override {
    std::lock_guard lock(mutex_);
    InMemoryUnitOfWork uow(committed_);
    absl::Status status = work(uow);
    if (status.ok()) {
      committed_ = std::move(uow.state());
      ++commits_;
    } else {
      ++rollbacks_;
    }
    return status;
  }

  // Runs `work` as one committed transaction and returns its status; for seeding test data.
  absl::Status Seed(absl::FunctionRef<absl::Status(UnitOfWork&)> work) {
    return Run(TransactionMode::kWrite, work);
  }

  // A copy of what is committed.
  InMemoryDatabase Committed() const {
    std::lock_guard lock(mutex_);
    return committed_;
  }
  std::vector<AuditEvent> AuditEvents() const {
    std::lock_guard lock(mutex_);
    return committed_.audit_events;
  }
  int commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
  }
  int rollbacks() const {
    std::lock_guard lock(mutex_);
    return rollbacks_;
  }

 private:
  mutable std::mutex mutex_;
  InMemoryDatabase committed_;  // Guarded by mutex_.
  int commits_ = 0;             // Guarded by mutex_.
  int rollbacks_ = 0;           // Guarded by mutex_.
};

}  // namespace confide
