#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/assessments/ports/assessment_repository.h"
#include "services/consents/ports/consent_repository.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "services/intake/ports/intake_repository.h"
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

 private:
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

}  // namespace confide
