#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/programmes.pb.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/programmes/ports/programme_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Programmes and their versions as stored: a programme row (latest version, status, revision)
// and each version's content (title, message, plan, time zone, items with their exercise
// snapshots) sealed as one column under the client's data key. Everything that reads or writes a
// programme version goes through here, so the sealing location is decided in one place.

// The audit resource of a programme: ids only, never programme text.
std::string ProgrammeResource(std::string_view client_id, std::string_view programme_id);

// The etag of a programme: made from its revision, which moves on every change (a new version
// or a status change), so a status change makes an etag read before it stale.
std::string ProgrammeEtag(const ProgrammeRecord& record);

// A programme as the care team sees it: its row, and one version's content with the output-only
// fields filled from the row (status, version, etag, author and times).
struct OpenedProgramme {
  ProgrammeRecord record;
  v1::Programme programme;
};

// Version `version` (0: the latest) of the client's programme in the clinic. NOT_FOUND for a
// programme of another client or clinic, a malformed id or a version it does not have, so none
// of them is distinguishable from a made-up id.
absl::StatusOr<OpenedProgramme> LoadProgramme(UnitOfWork& uow, ClientDataCipher& cipher,
                                              std::string_view clinic_id,
                                              std::string_view client_id,
                                              std::string_view programme_id, int version);

// Writes version latest+1 of `current`'s programme with `content` (title, patient_message,
// plan_id, time_zone and items, already validated, exercise snapshots filled; output-only
// fields are ignored). A dilator item's current_size_since becomes `now` when its current size
// is new or changed and is kept otherwise; PENDING progression suggestions of dilator items
// whose current size changed (or which were removed) become SUPERSEDED. The revision moves on:
// ABORTED when `current` is stale. Returns the new version opened.
absl::StatusOr<OpenedProgramme> WriteNextVersion(UnitOfWork& uow, ClientDataCipher& cipher,
                                                 const OpenedProgramme& current,
                                                 v1::Programme content,
                                                 std::string_view author_user_id, absl::Time now);

// The programme as the patient and a partner see it: each item's exercise through the library's
// patient view (no clinician notes, no contraindications).
v1::Programme ProgrammeForPatient(v1::Programme programme);

// --- Used by ProgrammeService (and tests); others should not need them. ---

// Seals and stores `content` as version `version` of `record`'s programme, written by
// `author_user_id` at `now`. ALREADY_EXISTS when that version exists.
absl::Status StoreProgrammeVersion(UnitOfWork& uow, ClientDataCipher& cipher,
                                   const ProgrammeRecord& record, int version,
                                   const v1::Programme& content, std::string_view author_user_id,
                                   absl::Time now);

// A stored version opened with the output-only fields filled from `record` and `row`.
absl::StatusOr<v1::Programme> OpenProgrammeVersion(UnitOfWork& uow, ClientDataCipher& cipher,
                                                   const ProgrammeRecord& record,
                                                   const ProgrammeVersionRecord& row);

// `programme`'s storable content: title, patient_message, plan_id, time_zone and items; every
// output-only field of the programme cleared.
v1::Programme ProgrammeContent(const v1::Programme& programme);

}  // namespace confide
