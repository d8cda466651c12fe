#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/programmes/ports/programme_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryProgrammeRepository final : public ProgrammeRepository {
 public:
  explicit InMemoryProgrammeRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ProgrammeRecord& record, std::string_view create_request_id) override {
    if (db_.programmes.count(record.id) > 0) {
      return absl::AlreadyExistsError("programme id exists");
    }
    if (!create_request_id.empty() &&
        !db_.programme_create_requests
             .emplace(std::make_pair(record.clinic_id, std::string(create_request_id)), record.id)
             .second) {
      return absl::AlreadyExistsError("create request id used");
    }
    db_.programmes.emplace(record.id, record);
    return absl::OkStatus();
  }
  absl::Status InsertVersion(const ProgrammeVersionRecord& record) override {
    if (db_.programmes.count(record.programme_id) == 0) {
      return absl::FailedPreconditionError("no such programme");
    }
    if (!db_.programme_versions.emplace(std::make_pair(record.programme_id, record.version), record)
             .second) {
      return absl::AlreadyExistsError("programme version exists");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<ProgrammeRecord>> Find(std::string_view clinic_id,
                                                      std::string_view client_id,
                                                      std::string_view programme_id) override {
    auto it = db_.programmes.find(std::string(programme_id));
    if (it == db_.programmes.end() || it->second.clinic_id != clinic_id ||
        it->second.client_id != client_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::optional<ProgrammeRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    auto it = db_.programme_create_requests.find({std::string(clinic_id), std::string(request_id)});
    if (it == db_.programme_create_requests.end()) {
      return std::nullopt;
    }
    return db_.programmes.at(it->second);
  }
  absl::StatusOr<std::vector<ProgrammeRecord>> ListOfClient(std::string_view clinic_id,
                                                            std::string_view client_id,
                                                            const std::vector<int>& statuses,
                                                            std::string_view after_id,
                                                            int limit) override {
    std::vector<ProgrammeRecord> out;
    for (auto it = db_.programmes.rbegin(); it != db_.programmes.rend(); ++it) {
      const ProgrammeRecord& p = it->second;
      if (p.clinic_id == clinic_id && p.client_id == client_id &&
          (after_id.empty() || it->first < after_id) &&
          (statuses.empty() ||
           std::find(statuses.begin(), statuses.end(), p.status) != statuses.end()) &&
          static_cast<int>(out.size()) < limit) {
        out.push_back(p);
      }
    }
    return out;
  }
  absl::StatusOr<std::optional<ProgrammeVersionRecord>> FindVersion(std::string_view clinic_id,
                                                                    std::string_view programme_id,
                                                                    int version) override {
    auto it = db_.programme_versions.find({std::string(programme_id), version});
    if (it == db_.programme_versions.end() || it->second.clinic_id != clinic_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::vector<ProgrammeVersionRecord>> ListVersions(std::string_view clinic_id,
                                                                   std::string_view programme_id,
                                                                   int before_version,
                                                                   int limit) override {
    std::vector<ProgrammeVersionRecord> out;
    for (auto it = db_.programme_versions.rbegin(); it != db_.programme_versions.rend(); ++it) {
      if (it->first.first == programme_id && it->second.clinic_id == clinic_id &&
          (before_version == 0 || it->first.second < before_version) &&
          static_cast<int>(out.size()) < limit) {
        out.push_back(it->second);
      }
    }
    return out;
  }
  absl::Status Update(const ProgrammeRecord& next, int expected_revision) override {
    auto it = db_.programmes.find(next.id);
    if (it == db_.programmes.end() || it->second.clinic_id != next.clinic_id) {
      return absl::NotFoundError("programme not found");
    }
    if (it->second.revision != expected_revision) {
      return absl::AbortedError("the programme was changed meanwhile; reload and retry");
    }
    ProgrammeRecord& stored = it->second;
    stored.latest_version = next.latest_version;
    stored.status = next.status;
    stored.time_zone = next.time_zone;
    stored.activate_time = next.activate_time;
    stored.revision = expected_revision + 1;
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
