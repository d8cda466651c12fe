#include "services/programmes/programme_store.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/etag.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/crypto/sealed_message.h"
#include "services/exercises/exercise_store.h"
#include "services/programmes/ports/progression_suggestion_repository.h"

namespace confide {
namespace {

constexpr std::string_view kVersionsTable = "programme_versions";
constexpr std::string_view kContentColumn = "content";

// The row id a version's content is sealed for: programme and version, so a sealed version
// copied to another version or programme does not open.
std::string VersionRowId(std::string_view programme_id, int version) {
  return absl::StrCat(std::string(programme_id), "/", version);
}

absl::Status ProgrammeNotFound() { return absl::NotFoundError("programme not found"); }

// The output-only fields of version `version` of `record`'s programme, from the row's columns.
void FillOutputFields(const ProgrammeRecord& record, int version, std::string_view author_user_id,
                      absl::Time version_create_time, v1::Programme* programme) {
  programme->set_id(record.id);
  programme->set_client_id(record.client_id);
  programme->set_version(version);
  programme->set_status(static_cast<v1::ProgrammeStatus>(record.status));
  programme->set_author_user_id(std::string(author_user_id));
  *programme->mutable_version_create_time() = ToTimestamp(version_create_time);
  *programme->mutable_create_time() = ToTimestamp(record.create_time);
  if (record.activate_time.has_value()) {
    *programme->mutable_activate_time() = ToTimestamp(*record.activate_time);
  }
  programme->set_etag(ProgrammeEtag(record));
}

}  // namespace

std::string ProgrammeResource(std::string_view client_id, std::string_view programme_id) {
  return absl::StrCat("clients/", std::string(client_id), "/programmes/",
                      std::string(programme_id));
}

std::string ProgrammeEtag(const ProgrammeRecord& record) { return EtagOf(record.revision); }

v1::Programme ProgrammeContent(const v1::Programme& programme) {
  v1::Programme content;
  content.set_title(programme.title());
  content.set_patient_message(programme.patient_message());
  content.set_plan_id(programme.plan_id());
  content.set_time_zone(programme.time_zone());
  *content.mutable_items() = programme.items();
  return content;
}

absl::Status StoreProgrammeVersion(UnitOfWork& uow, ClientDataCipher& cipher,
                                   const ProgrammeRecord& record, int version,
                                   const v1::Programme& content, std::string_view author_user_id,
                                   absl::Time now) {
  const std::string row_id = VersionRowId(record.id, version);
  absl::StatusOr<std::string> sealed =
      SealMessage(cipher, uow, record.clinic_id, record.client_id,
                  FieldLocation{kVersionsTable, kContentColumn, row_id}, ProgrammeContent(content));
  if (!sealed.ok()) {
    return sealed.status();
  }
  return uow.programmes().InsertVersion(
      ProgrammeVersionRecord{.programme_id = record.id,
                             .version = version,
                             .clinic_id = record.clinic_id,
                             .client_id = record.client_id,
                             .author_user_id = std::string(author_user_id),
                             .create_time = StoredTime(now),
                             .content_sealed = *std::move(sealed)});
}

absl::StatusOr<v1::Programme> OpenProgrammeVersion(UnitOfWork& uow, ClientDataCipher& cipher,
                                                   const ProgrammeRecord& record,
                                                   const ProgrammeVersionRecord& row) {
  const std::string row_id = VersionRowId(record.id, row.version);
  v1::Programme programme;
  if (absl::Status opened = OpenMessage(cipher, uow, record.clinic_id, record.client_id,
                                        FieldLocation{kVersionsTable, kContentColumn, row_id},
                                        row.content_sealed, &programme);
      !opened.ok()) {
    return opened;
  }
  programme = ProgrammeContent(programme);
  FillOutputFields(record, row.version, row.author_user_id, row.create_time, &programme);
  return programme;
}

absl::StatusOr<OpenedProgramme> LoadProgramme(UnitOfWork& uow, ClientDataCipher& cipher,
                                              std::string_view clinic_id,
                                              std::string_view client_id,
                                              std::string_view programme_id, int version) {
  if (!IsUuidText(programme_id) || version < 0) {
    return ProgrammeNotFound();
  }
  absl::StatusOr<std::optional<ProgrammeRecord>> record =
      uow.programmes().Find(clinic_id, client_id, programme_id);
  if (!record.ok()) {
    return record.status();
  }
  if (!record->has_value()) {
    return ProgrammeNotFound();
  }
  const int number = version == 0 ? (*record)->latest_version : version;
  absl::StatusOr<std::optional<ProgrammeVersionRecord>> row =
      uow.programmes().FindVersion(clinic_id, programme_id, number);
  if (!row.ok()) {
    return row.status();
  }
  if (!row->has_value()) {
    return ProgrammeNotFound();
  }
  absl::StatusOr<v1::Programme> programme = OpenProgrammeVersion(uow, cipher, **record, **row);
  if (!programme.ok()) {
    return programme.status();
  }
  return OpenedProgramme{.record = **std::move(record), .programme = *std::move(programme)};
}

absl::StatusOr<OpenedProgramme> WriteNextVersion(UnitOfWork& uow, ClientDataCipher& cipher,
                                                 const OpenedProgramme& current,
                                                 v1::Programme content,
                                                 std::string_view author_user_id, absl::Time now) {
  const absl::Time stored_now = StoredTime(now);
  content = ProgrammeContent(content);

  // The dilator items of the latest version, by item id: what their sizes were.
  std::map<std::string, const v1::DilatorPrescription*> before;
  for (const v1::ProgrammeItem& item : current.programme.items()) {
    if (item.has_dilator()) {
      before.emplace(item.id(), &item.dilator());
    }
  }
  std::vector<std::string> size_changed;
  std::vector<std::string> set_shrunk;
  for (v1::ProgrammeItem& item : *content.mutable_items()) {
    if (!item.has_dilator()) {
      continue;
    }
    v1::DilatorPrescription& dilator = *item.mutable_dilator();
    auto previous = before.find(item.id());
    if (previous != before.end() && previous->second->current_size() == dilator.current_size() &&
        previous->second->has_current_size_since()) {
      *dilator.mutable_current_size_since() = previous->second->current_size_since();
      // Same size, fewer sizes in her set: a step up to a size she no longer has is moot.
      if (dilator.set().sizes_size() < previous->second->set().sizes_size()) {
        set_shrunk.push_back(item.id());
      }
    } else {
      *dilator.mutable_current_size_since() = ToTimestamp(stored_now);
      if (previous != before.end()) {
        size_changed.push_back(item.id());
      }
    }
    if (previous != before.end()) {
      before.erase(previous);
    }
  }
  // A removed dilator item can no longer step up or down: its pending suggestion is moot.
  for (const auto& [item_id, unused] : before) {
    size_changed.push_back(item_id);
  }

  const ProgrammeRecord& record = current.record;
  if (record.status == v1::PROGRAMME_STATUS_ENDED) {
    return absl::FailedPreconditionError("the programme is ENDED and can no longer change");
  }
  const int next_version = record.latest_version + 1;
  ProgrammeRecord next = record;
  next.latest_version = next_version;
  next.time_zone = content.time_zone();
  // The revision check first: a stale caller is refused before anything is written.
  if (absl::Status updated = uow.programmes().Update(next, record.revision); !updated.ok()) {
    return updated;
  }
  if (absl::Status stored = StoreProgrammeVersion(uow, cipher, record, next_version, content,
                                                  author_user_id, stored_now);
      !stored.ok()) {
    return stored;
  }
  next.revision = record.revision + 1;
  for (const std::string& item_id : size_changed) {
    absl::StatusOr<int> superseded =
        uow.progression_suggestions().SupersedePending(record.clinic_id, record.id, item_id);
    if (!superseded.ok()) {
      return superseded.status();
    }
  }
  for (const v1::ProgrammeItem& item : content.items()) {
    if (std::find(set_shrunk.begin(), set_shrunk.end(), item.id()) == set_shrunk.end()) {
      continue;
    }
    absl::StatusOr<std::optional<ProgressionSuggestionRecord>> pending =
        uow.progression_suggestions().FindPending(record.clinic_id, record.id, item.id());
    if (!pending.ok()) {
      return pending.status();
    }
    if (pending->has_value() && (*pending)->to_size > item.dilator().set().sizes_size()) {
      absl::StatusOr<int> superseded =
          uow.progression_suggestions().SupersedePending(record.clinic_id, record.id, item.id());
      if (!superseded.ok()) {
        return superseded.status();
      }
    }
  }
  v1::Programme programme = std::move(content);
  FillOutputFields(next, next_version, author_user_id, stored_now, &programme);
  return OpenedProgramme{.record = std::move(next), .programme = std::move(programme)};
}

v1::Programme ProgrammeForPatient(v1::Programme programme) {
  for (v1::ProgrammeItem& item : *programme.mutable_items()) {
    if (item.has_exercise()) {
      *item.mutable_exercise() = PatientView(std::move(*item.mutable_exercise()));
    }
  }
  return programme;
}

}  // namespace confide
