#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/assessments/ports/assessment_repository.h"
#include "services/consents/ports/consent_repository.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "services/crypto/ports/master_sealed_value_repository.h"
#include "services/intake/ports/intake_repository.h"
#include "services/notes/ports/note_repository.h"
#include "services/plans/ports/milestone_repository.h"
#include "services/plans/ports/plan_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

// The clinical record's repositories over InMemoryDatabase, for unit tests of one class.

class InMemoryClientDataKeyRepository final : public ClientDataKeyRepository {
 public:
  explicit InMemoryClientDataKeyRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::optional<ClientDataKeyRecord>> Find(std::string_view clinic_id,
                                                          std::string_view client_id) override {
    auto it = db_.client_data_keys.find({std::string(clinic_id), std::string(client_id)});
    if (it == db_.client_data_keys.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::Status Insert(const ClientDataKeyRecord& record) override {
    if (!db_.client_data_keys.emplace(std::make_pair(record.clinic_id, record.client_id), record)
             .second) {
      return absl::AlreadyExistsError("client has a data key");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<DataKeyErasure> Erase(std::string_view clinic_id, std::string_view client_id,
                                       absl::Time now) override {
    // A client without a key gets an erased row, as the SQL adapters store it.
    ClientDataKeyRecord& key =
        db_.client_data_keys
            .try_emplace({std::string(clinic_id), std::string(client_id)},
                         ClientDataKeyRecord{.clinic_id = std::string(clinic_id),
                                             .client_id = std::string(client_id),
                                             .create_time = now})
            .first->second;
    if (key.erase_time.has_value()) {
      return DataKeyErasure{.erase_time = *key.erase_time, .erased_now = false};
    }
    key.wrapped_key.clear();
    key.erase_time = now;
    return DataKeyErasure{.erase_time = now, .erased_now = true};
  }

 private:
  InMemoryDatabase& db_;
};

// The master-key-sealed columns over InMemoryDatabase (see SociMasterSealedValueRepository).
class InMemoryMasterSealedValueRepository final : public MasterSealedValueRepository {
 public:
  explicit InMemoryMasterSealedValueRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::vector<MasterSealedValue>> List(MasterSealedColumn column) override {
    std::vector<MasterSealedValue> values;
    ForEach(column,
            [&](const std::string& clinic_id, const std::string& row_id, std::string& sealed) {
              if (!sealed.empty()) {
                values.push_back({.clinic_id = clinic_id, .row_id = row_id, .sealed = sealed});
              }
            });
    std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
      return std::tie(a.clinic_id, a.row_id) < std::tie(b.clinic_id, b.row_id);
    });
    return values;
  }
  absl::Status Replace(MasterSealedColumn column, const MasterSealedValue& value,
                       std::string_view resealed) override {
    bool replaced = false;
    ForEach(
        column, [&](const std::string& clinic_id, const std::string& row_id, std::string& sealed) {
          if (clinic_id == value.clinic_id && row_id == value.row_id && sealed == value.sealed) {
            sealed = std::string(resealed);
            replaced = true;
          }
        });
    return replaced ? absl::OkStatus() : absl::AbortedError("value changed during the rotation");
  }

 private:
  // Calls visit(clinic id, row id, stored value) for every row of the column's table.
  template <typename Visit>
  void ForEach(MasterSealedColumn column, Visit visit) {
    switch (column) {
      case MasterSealedColumn::kClientDataKey:
        for (auto& [key, row] : db_.client_data_keys) {
          visit(row.clinic_id, row.client_id, row.wrapped_key);
        }
        return;
      case MasterSealedColumn::kTotpSecret:
        for (auto& [id, user] : db_.users) {
          visit(user.user.clinic_id(), id, user.totp_secret_sealed);
        }
        return;
      case MasterSealedColumn::kPendingTotpSecret:
        for (auto& [id, user] : db_.users) {
          visit(user.user.clinic_id(), id, user.totp_pending_sealed);
        }
        return;
      case MasterSealedColumn::kBreakGlassReason:
        for (auto& [id, grant] : db_.break_glass_grants) {
          visit(grant.clinic_id, id, grant.reason_sealed);
        }
        return;
      case MasterSealedColumn::kOutboundToken:
        for (auto& [id, message] : db_.outbox) {
          visit(message.clinic_id, id, message.token_sealed);
        }
        return;
      case MasterSealedColumn::kAuditSigningKey:
        for (auto& [id, key] : db_.audit_signing_keys) {
          visit(key.clinic_id, id, key.sealed_private_key);
        }
        return;
    }
  }

  InMemoryDatabase& db_;
};

class InMemoryIntakeRepository final : public IntakeRepository {
 public:
  explicit InMemoryIntakeRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::optional<IntakeRecord>> Find(std::string_view clinic_id,
                                                   std::string_view client_id) override {
    auto it = db_.intakes.find(std::string(client_id));
    if (it == db_.intakes.end() || it->second.clinic_id != clinic_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::Status Insert(const IntakeRecord& record) override {
    if (!db_.intakes.emplace(record.client_id, record).second) {
      return absl::AlreadyExistsError("client has an intake");
    }
    return absl::OkStatus();
  }
  absl::Status Update(const IntakeRecord& record, int64_t expected_version) override {
    auto it = db_.intakes.find(record.client_id);
    if (it == db_.intakes.end() || it->second.clinic_id != record.clinic_id ||
        it->second.version != expected_version) {
      return absl::AbortedError("intakes.update: the version moved on");
    }
    IntakeRecord stored = record;
    stored.create_time = it->second.create_time;  // as the SQL adapter: never rewritten
    it->second = std::move(stored);
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

class InMemoryConsentRepository final : public ConsentRepository {
 public:
  explicit InMemoryConsentRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ConsentRecord& record, std::string_view record_request_id) override {
    if (db_.consents.count(record.id) > 0) {
      return absl::AlreadyExistsError("consent id exists");
    }
    if (record.state == v1::CONSENT_STATE_GIVEN) {
      for (const auto& [id, other] : db_.consents) {
        if (other.clinic_id == record.clinic_id && other.client_id == record.client_id &&
            other.kind == record.kind && other.state == v1::CONSENT_STATE_GIVEN) {
          return absl::AlreadyExistsError("a consent of this kind is in force");
        }
      }
    }
    if (!record_request_id.empty() &&
        !db_.consent_record_requests
             .emplace(std::make_pair(record.clinic_id, std::string(record_request_id)), record.id)
             .second) {
      return absl::AlreadyExistsError("record request id used");
    }
    db_.consents.emplace(record.id, record);
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<ConsentRecord>> Find(std::string_view clinic_id,
                                                    std::string_view consent_id) override {
    auto it = db_.consents.find(std::string(consent_id));
    if (it == db_.consents.end() || it->second.clinic_id != clinic_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::optional<ConsentRecord>> FindByRecordRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    auto it = db_.consent_record_requests.find({std::string(clinic_id), std::string(request_id)});
    if (it == db_.consent_record_requests.end()) {
      return std::nullopt;
    }
    return Find(clinic_id, it->second);
  }
  absl::StatusOr<std::optional<ConsentRecord>> FindInForce(std::string_view clinic_id,
                                                           std::string_view client_id,
                                                           v1::ConsentKind kind) override {
    for (const auto& [id, record] : db_.consents) {
      if (record.clinic_id == clinic_id && record.client_id == client_id && record.kind == kind &&
          record.state == v1::CONSENT_STATE_GIVEN) {
        return record;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::optional<ConsentRecord>> LockInForce(std::string_view clinic_id,
                                                           std::string_view client_id,
                                                           v1::ConsentKind kind) override {
    return FindInForce(clinic_id, client_id, kind);  // one thread, nothing to lock
  }
  absl::StatusOr<std::vector<ConsentRecord>> ListOfClient(std::string_view clinic_id,
                                                          std::string_view client_id,
                                                          bool in_force_only) override {
    std::vector<ConsentRecord> out;
    for (const auto& [id, record] : db_.consents) {
      if (record.clinic_id == clinic_id && record.client_id == client_id &&
          (!in_force_only || record.state == v1::CONSENT_STATE_GIVEN)) {
        out.push_back(record);
      }
    }
    std::sort(out.begin(), out.end(), [](const ConsentRecord& a, const ConsentRecord& b) {
      return a.give_time != b.give_time ? a.give_time > b.give_time : a.id > b.id;
    });
    return out;
  }
  absl::Status End(std::string_view clinic_id, std::string_view consent_id, v1::ConsentState state,
                   absl::Time end_time, std::string_view withdrawn_by_user_id,
                   v1::Role withdrawn_by_role) override {
    auto it = db_.consents.find(std::string(consent_id));
    if (it == db_.consents.end() || it->second.clinic_id != clinic_id ||
        it->second.state != v1::CONSENT_STATE_GIVEN) {
      return absl::FailedPreconditionError("the consent is not in force");
    }
    it->second.state = state;
    it->second.end_time = end_time;
    it->second.withdrawn_by_user_id = std::string(withdrawn_by_user_id);
    it->second.withdrawn_by_role = withdrawn_by_role;
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

class InMemoryPlanRepository final : public PlanRepository {
 public:
  explicit InMemoryPlanRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const PlanRecord& record, std::string_view create_request_id) override {
    if (db_.plans.count(record.id) > 0) {
      return absl::AlreadyExistsError("plan id exists");
    }
    if (!create_request_id.empty() &&
        !db_.plan_create_requests
             .emplace(std::make_pair(record.clinic_id, std::string(create_request_id)), record.id)
             .second) {
      return absl::AlreadyExistsError("create request id used");
    }
    db_.plans.emplace(record.id, record);
    return absl::OkStatus();
  }
  absl::Status InsertVersion(const PlanVersionRecord& record) override {
    if (!db_.plan_versions.emplace(std::make_pair(record.plan_id, record.version), record).second) {
      return absl::AlreadyExistsError("plan version exists");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<PlanRecord>> Find(std::string_view clinic_id,
                                                 std::string_view client_id,
                                                 std::string_view plan_id) override {
    auto it = db_.plans.find(std::string(plan_id));
    if (it == db_.plans.end() || it->second.clinic_id != clinic_id ||
        it->second.client_id != client_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::optional<PlanRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    auto it = db_.plan_create_requests.find({std::string(clinic_id), std::string(request_id)});
    if (it == db_.plan_create_requests.end()) {
      return std::nullopt;
    }
    return db_.plans.at(it->second);
  }
  absl::StatusOr<std::vector<PlanRecord>> ListOfClient(std::string_view clinic_id,
                                                       std::string_view client_id,
                                                       std::string_view after_id,
                                                       int limit) override {
    std::vector<PlanRecord> out;
    for (auto it = db_.plans.rbegin(); it != db_.plans.rend(); ++it) {
      if (it->second.clinic_id == clinic_id && it->second.client_id == client_id &&
          (after_id.empty() || it->first < after_id) && static_cast<int>(out.size()) < limit) {
        out.push_back(it->second);
      }
    }
    return out;
  }
  absl::StatusOr<std::optional<PlanVersionRecord>> FindVersion(std::string_view clinic_id,
                                                               std::string_view plan_id,
                                                               int version) override {
    auto it = db_.plan_versions.find({std::string(plan_id), version});
    if (it == db_.plan_versions.end() || it->second.clinic_id != clinic_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::vector<PlanVersionRecord>> ListVersions(std::string_view clinic_id,
                                                              std::string_view plan_id,
                                                              int before_version,
                                                              int limit) override {
    std::vector<PlanVersionRecord> out;
    for (auto it = db_.plan_versions.rbegin(); it != db_.plan_versions.rend(); ++it) {
      if (it->first.first == plan_id && it->second.clinic_id == clinic_id &&
          (before_version == 0 || it->first.second < before_version) &&
          static_cast<int>(out.size()) < limit) {
        out.push_back(it->second);
      }
    }
    return out;
  }
  absl::Status AdvanceLatest(std::string_view clinic_id, std::string_view plan_id, int expected,
                             int next) override {
    auto it = db_.plans.find(std::string(plan_id));
    if (it == db_.plans.end() || it->second.clinic_id != clinic_id) {
      return absl::NotFoundError("plan not found");
    }
    if (it->second.latest_version != expected) {
      return absl::AbortedError("the plan has a newer version");
    }
    it->second.latest_version = next;
    return absl::OkStatus();
  }
  absl::Status SetShared(std::string_view clinic_id, std::string_view plan_id, int version,
                         absl::Time share_time) override {
    auto it = db_.plans.find(std::string(plan_id));
    if (it == db_.plans.end() || it->second.clinic_id != clinic_id) {
      return absl::NotFoundError("plan not found");
    }
    it->second.shared_version = version;
    it->second.share_time = share_time;
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

class InMemoryMilestoneRepository final : public MilestoneRepository {
 public:
  explicit InMemoryMilestoneRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const MilestoneRecord& record) override {
    if (db_.milestones.count(record.id) > 0) {
      return absl::AlreadyExistsError("milestone id exists");
    }
    if (!record.request_id.empty()) {
      for (const auto& [id, other] : db_.milestones) {
        if (other.clinic_id == record.clinic_id && other.request_id == record.request_id) {
          return absl::AlreadyExistsError("request id used");
        }
      }
    }
    if (!record.goal_id.empty()) {
      for (const auto& [id, other] : db_.milestones) {
        if (other.clinic_id == record.clinic_id && other.plan_id == record.plan_id &&
            other.goal_id == record.goal_id) {
          return absl::AlreadyExistsError("the goal has its milestone");
        }
      }
    }
    db_.milestones.emplace(record.id, record);
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<MilestoneRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    for (const auto& [id, record] : db_.milestones) {
      if (!request_id.empty() && record.clinic_id == clinic_id && record.request_id == request_id) {
        return record;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::vector<std::string>> GoalIdsWithMilestone(std::string_view clinic_id,
                                                                std::string_view plan_id) override {
    std::vector<std::string> out;
    for (const auto& [id, record] : db_.milestones) {
      if (record.clinic_id == clinic_id && record.plan_id == plan_id && !record.goal_id.empty()) {
        out.push_back(record.goal_id);
      }
    }
    return out;
  }
  absl::StatusOr<std::vector<MilestoneRecord>> ListOfClient(std::string_view clinic_id,
                                                            std::string_view client_id,
                                                            std::string_view after_id,
                                                            int limit) override {
    std::vector<MilestoneRecord> out;
    for (const auto& [id, record] : db_.milestones) {
      if (record.clinic_id == clinic_id && record.client_id == client_id) {
        out.push_back(record);
      }
    }
    const auto newer = [](const MilestoneRecord& a, const MilestoneRecord& b) {
      if (a.achieved_date != b.achieved_date) {
        return a.achieved_date > b.achieved_date;
      }
      return a.create_time != b.create_time ? a.create_time > b.create_time : a.id > b.id;
    };
    std::sort(out.begin(), out.end(), newer);
    if (!after_id.empty()) {
      auto last = std::find_if(out.begin(), out.end(),
                               [&](const MilestoneRecord& m) { return m.id == after_id; });
      out.erase(out.begin(), last == out.end() ? out.end() : last + 1);
    }
    if (static_cast<int>(out.size()) > limit) {
      out.resize(limit);
    }
    return out;
  }

 private:
  InMemoryDatabase& db_;
};

class InMemoryAssessmentRepository final : public AssessmentRepository {
 public:
  explicit InMemoryAssessmentRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const AssessmentRecord& record) override {
    for (const auto& [id, stored] : db_.assessments) {
      if (!record.request_id.empty() && stored.clinic_id == record.clinic_id &&
          stored.request_id == record.request_id) {
        return absl::AlreadyExistsError("request id used");
      }
    }
    if (!db_.assessments.emplace(record.id, record).second) {
      return absl::AlreadyExistsError("assessment id exists");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<AssessmentRecord>> Find(std::string_view clinic_id,
                                                       std::string_view client_id,
                                                       std::string_view id) override {
    auto it = db_.assessments.find(std::string(id));
    if (it == db_.assessments.end() || it->second.clinic_id != clinic_id ||
        it->second.client_id != client_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::optional<AssessmentRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    for (const auto& [id, record] : db_.assessments) {
      if (!request_id.empty() && record.clinic_id == clinic_id && record.request_id == request_id) {
        return record;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::vector<AssessmentRecord>> List(const AssessmentQuery& query) override {
    std::vector<AssessmentRecord> out;
    // Newest first: ids are time-ordered, so highest id first.
    for (auto it = db_.assessments.rbegin();
         it != db_.assessments.rend() && static_cast<int>(out.size()) < query.limit; ++it) {
      const AssessmentRecord& record = it->second;
      if (record.clinic_id == query.clinic_id && record.client_id == query.client_id &&
          (query.instrument_id.empty() || record.instrument_id == query.instrument_id) &&
          (query.before_id.empty() || record.id < query.before_id)) {
        out.push_back(record);
      }
    }
    return out;
  }

 private:
  InMemoryDatabase& db_;
};

// Keeps every contract of NoteRepository, including the list's order, keyset and filters.
class InMemoryNoteRepository final : public NoteRepository {
 public:
  explicit InMemoryNoteRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const NoteRecord& record, std::string_view create_request_id) override {
    if (db_.notes.count(record.id) > 0) {
      return absl::AlreadyExistsError("note id exists");
    }
    if (!create_request_id.empty() &&
        !db_.note_create_requests
             .emplace(std::make_pair(record.clinic_id, std::string(create_request_id)), record.id)
             .second) {
      return absl::AlreadyExistsError("create request id used");
    }
    NoteRecord stored = record;
    SortReaders(stored.reader_user_ids);
    db_.notes.emplace(record.id, std::move(stored));
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<NoteRecord>> Find(std::string_view clinic_id,
                                                 std::string_view client_id,
                                                 std::string_view note_id) override {
    const NoteRecord* note = Lookup(clinic_id, note_id);
    if (note == nullptr || note->client_id != client_id) {
      return std::nullopt;
    }
    return *note;
  }
  absl::StatusOr<std::optional<NoteRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    auto it = db_.note_create_requests.find({std::string(clinic_id), std::string(request_id)});
    if (request_id.empty() || it == db_.note_create_requests.end()) {
      return std::nullopt;
    }
    return db_.notes.at(it->second);
  }
  absl::StatusOr<bool> UpdateDraft(const NoteRecord& next, int expected_version) override {
    NoteRecord* note = Draft(next.clinic_id, next.id, expected_version);
    if (note == nullptr || note->client_id != next.client_id) {
      return false;
    }
    note->session_start_time = next.session_start_time;
    note->duration_minutes = next.duration_minutes;
    note->modality = next.modality;
    note->session_type = next.session_type;
    note->content_sealed = next.content_sealed;
    note->patient_summary_sealed = next.patient_summary_sealed;
    note->update_time = next.update_time;
    note->version = next.version;
    return true;
  }
  absl::StatusOr<bool> Sign(const NoteRecord& signed_note, int expected_version) override {
    NoteRecord* note = Draft(signed_note.clinic_id, signed_note.id, expected_version);
    if (note == nullptr || note->client_id != signed_note.client_id ||
        !signed_note.sign_time.has_value()) {
      return false;
    }
    note->state = kSigned;
    note->signed_by_user_id = signed_note.signed_by_user_id;
    note->sign_time = signed_note.sign_time;
    note->content_hash = signed_note.content_hash;
    note->cosigner_user_id = signed_note.cosigner_user_id;
    note->update_time = *signed_note.sign_time;
    note->version = expected_version + 1;
    return true;
  }
  absl::StatusOr<bool> Cosign(std::string_view clinic_id, std::string_view note_id,
                              absl::Time cosign_time) override {
    NoteRecord* note = Lookup(clinic_id, note_id);
    if (note == nullptr || note->state != kSigned || note->cosigner_user_id.empty() ||
        note->cosign_time.has_value()) {
      return false;
    }
    note->cosign_time = cosign_time;
    note->update_time = cosign_time;
    ++note->version;
    return true;
  }
  absl::StatusOr<bool> Discard(std::string_view clinic_id, std::string_view note_id,
                               int expected_version, std::string_view by_user_id,
                               absl::Time when) override {
    NoteRecord* note = Draft(clinic_id, note_id, expected_version);
    if (note == nullptr) {
      return false;
    }
    note->state = kDiscarded;
    note->content_sealed.clear();
    note->patient_summary_sealed.clear();
    note->discarded_by_user_id = std::string(by_user_id);
    note->discard_time = when;
    note->update_time = when;
    ++note->version;
    return true;
  }
  absl::Status SetReaders(std::string_view clinic_id, std::string_view note_id,
                          const std::vector<std::string>& reader_user_ids) override {
    NoteRecord* note = Lookup(clinic_id, note_id);
    if (note == nullptr) {
      return absl::NotFoundError("note not found");
    }
    note->reader_user_ids = reader_user_ids;
    SortReaders(note->reader_user_ids);
    ++note->version;
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<NoteRecord>> List(const NoteListQuery& query) override {
    std::vector<NoteRecord> out;
    for (const auto& [id, note] : db_.notes) {
      if (note.clinic_id == query.clinic_id && note.client_id == query.client_id &&
          Matches(note, query)) {
        out.push_back(note);
      }
    }
    const auto before = [](const NoteRecord& a, const NoteRecord& b) {
      return a.session_start_time != b.session_start_time
                 ? a.session_start_time > b.session_start_time
                 : a.id > b.id;
    };
    std::sort(out.begin(), out.end(), before);
    if (!query.after_id.empty()) {
      // Keyset: whatever comes after the named note in the order, visible or not; nothing when
      // there is no such note (as the SQL's subquery).
      const NoteRecord* after = Lookup(query.clinic_id, query.after_id);
      if (after == nullptr || after->client_id != query.client_id) {
        return std::vector<NoteRecord>();
      }
      out.erase(out.begin(), std::find_if(out.begin(), out.end(),
                                          [&](const NoteRecord& n) { return before(*after, n); }));
    }
    if (static_cast<int>(out.size()) > query.limit) {
      out.resize(std::max(query.limit, 0));
    }
    return out;
  }

  absl::Status InsertAddendum(const AddendumRecord& record, std::string_view request_id) override {
    // The database's note_addenda_only_on_signed trigger (an internal error there too).
    const NoteRecord* note = Lookup(record.clinic_id, record.note_id);
    if (note == nullptr || note->state != kSigned || note->client_id != record.client_id) {
      return absl::InternalError("an addendum is added only to a signed note of its client");
    }
    if (db_.note_addenda.count(record.id) > 0) {
      return absl::AlreadyExistsError("addendum id exists");
    }
    if (!request_id.empty() &&
        !db_.note_addendum_requests
             .emplace(std::make_pair(record.clinic_id, std::string(request_id)), record.id)
             .second) {
      return absl::AlreadyExistsError("request id used");
    }
    db_.note_addenda.emplace(record.id, record);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<AddendumRecord>> ListAddenda(std::string_view clinic_id,
                                                          std::string_view note_id) override {
    std::vector<AddendumRecord> out;
    for (const auto& [id, addendum] : db_.note_addenda) {
      if (addendum.clinic_id == clinic_id && addendum.note_id == note_id) {
        out.push_back(addendum);
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const AddendumRecord& a, const AddendumRecord& b) {
      return a.create_time < b.create_time;
    });
    return out;
  }
  absl::StatusOr<std::optional<AddendumRecord>> FindAddendumByRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    auto it = db_.note_addendum_requests.find({std::string(clinic_id), std::string(request_id)});
    if (request_id.empty() || it == db_.note_addendum_requests.end()) {
      return std::nullopt;
    }
    return db_.note_addenda.at(it->second);
  }

 private:
  // v1::NoteKind and v1::NoteState values (the port stores them as ints).
  static constexpr int kSession = 1;
  static constexpr int kPsychotherapy = 2;
  static constexpr int kDraft = 1;
  static constexpr int kSigned = 2;
  static constexpr int kDiscarded = 3;

  static void SortReaders(std::vector<std::string>& readers) {
    std::sort(readers.begin(), readers.end());
    readers.erase(std::unique(readers.begin(), readers.end()), readers.end());
  }

  static bool Matches(const NoteRecord& note, const NoteListQuery& query) {
    const bool viewer_wrote = note.author_user_id == query.viewer_user_id;
    if (note.kind == kPsychotherapy && !viewer_wrote &&
        !std::binary_search(note.reader_user_ids.begin(), note.reader_user_ids.end(),
                            query.viewer_user_id)) {
      return false;
    }
    if (query.unsigned_only_of_viewer && note.state != kSigned && !viewer_wrote) {
      return false;
    }
    if (!query.include_discarded && note.state == kDiscarded) {
      return false;
    }
    return !query.only_signed_with_summary ||
           (note.state == kSigned && note.kind == kSession && !note.patient_summary_sealed.empty());
  }

  NoteRecord* Lookup(std::string_view clinic_id, std::string_view note_id) {
    auto it = db_.notes.find(std::string(note_id));
    if (it == db_.notes.end() || it->second.clinic_id != clinic_id) {
      return nullptr;
    }
    return &it->second;
  }
  NoteRecord* Draft(std::string_view clinic_id, std::string_view note_id, int expected_version) {
    NoteRecord* note = Lookup(clinic_id, note_id);
    if (note == nullptr || note->state != kDraft || note->version != expected_version) {
      return nullptr;
    }
    return note;
  }

  InMemoryDatabase& db_;
};

}  // namespace confide
