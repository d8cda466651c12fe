#include "services/records/client_record_reader.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/assessments/assessment_service.h"
#include "services/clients/ports/client_repository.h"
#include "services/consents/consent_service.h"
#include "services/intake/intake_service.h"
#include "services/journal/journal_store.h"
#include "services/journal/ports/journal_repository.h"
#include "services/notes/note_store.h"
#include "services/notes/ports/note_repository.h"
#include "services/plans/milestones.h"
#include "services/plans/plan_store.h"
#include "services/plans/ports/milestone_repository.h"
#include "services/plans/ports/plan_repository.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/programme_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/programmes/practice_log_store.h"
#include "services/programmes/programme_store.h"

namespace confide {
namespace {

// Rows read per repository call. Lists are read on until a short page: the export holds all.
constexpr int kPage = 200;

// Calls `visit` on every row of a keyset-paged list, in the list's order: `fetch(after)` returns
// the next kPage rows after the key `after` (the initial `after` for the first page), and
// `key_of(row)` is the key the next page starts after.
template <typename Key, typename Fetch, typename KeyOf, typename Visit>
absl::Status VisitEveryRow(Key after, Fetch fetch, KeyOf key_of, Visit visit) {
  while (true) {
    auto rows = fetch(after);
    if (!rows.ok()) {
      return rows.status();
    }
    for (const auto& row : *rows) {
      if (absl::Status visited = visit(row); !visited.ok()) {
        return visited;
      }
    }
    if (static_cast<int>(rows->size()) < kPage) {
      return absl::OkStatus();
    }
    after = key_of(rows->back());
  }
}

absl::Status AddClient(RequestScope& scope, v1::ClientRecord& record) {
  absl::StatusOr<std::optional<ClientRecord>> client =
      scope.uow.clients().Find(scope.principal->clinic_id, scope.client_id);
  if (!client.ok()) {
    return client.status();
  }
  if (!client->has_value()) {
    return absl::NotFoundError("client not found");
  }
  *record.mutable_client() = (*client)->client;
  return absl::OkStatus();
}

absl::Status AddIntake(ClientDataCipher& cipher, RequestScope& scope, v1::ClientRecord& record) {
  absl::StatusOr<std::optional<v1::Intake>> intake = ReadSavedIntake(cipher, scope);
  if (!intake.ok()) {
    return intake.status();
  }
  if (intake->has_value()) {
    *record.mutable_intake() = **std::move(intake);
  }
  return absl::OkStatus();
}

absl::Status AddConsents(RequestScope& scope, v1::ClientRecord& record) {
  absl::StatusOr<std::vector<v1::Consent>> consents = ReadConsents(scope, /*in_force_only=*/false);
  if (!consents.ok()) {
    return consents.status();
  }
  for (v1::Consent& consent : *consents) {
    *record.add_consents() = std::move(consent);
  }
  return absl::OkStatus();
}

absl::Status AddAssessments(ClientDataCipher& cipher, const InstrumentCatalogue& catalogue,
                            RequestScope& scope, v1::ClientRecord& record) {
  AssessmentQuery query{
      .clinic_id = scope.principal->clinic_id, .client_id = scope.client_id, .limit = kPage};
  while (true) {
    absl::StatusOr<v1::ListAssessmentsResponse> page =
        ReadAssessmentsPage(cipher, catalogue, query, scope);
    if (!page.ok()) {
      return page.status();
    }
    for (v1::Assessment& assessment : *page->mutable_assessments()) {
      *record.add_assessments() = std::move(assessment);
    }
    if (page->next_page_token().empty() || record.assessments().empty()) {
      return absl::OkStatus();
    }
    query.before_id = record.assessments(record.assessments_size() - 1).id();
  }
}

// Every version of `plan`, newest first.
absl::Status AddPlanVersions(ClientDataCipher& cipher, RequestScope& scope, const PlanRecord& plan,
                             v1::ClientRecord& record) {
  return VisitEveryRow(
      /*after=*/0,
      [&](int before_version) {
        return scope.uow.plans().ListVersions(plan.clinic_id, plan.id, before_version, kPage);
      },
      [](const PlanVersionRecord& row) { return row.version; },
      [&](const PlanVersionRecord& row) -> absl::Status {
        absl::StatusOr<v1::TherapyPlan> version = OpenVersion(cipher, scope, plan, row);
        if (!version.ok()) {
          return version.status();
        }
        *record.add_plan_versions() = *std::move(version);
        return absl::OkStatus();
      });
}

absl::Status AddPlans(ClientDataCipher& cipher, RequestScope& scope, v1::ClientRecord& record) {
  return VisitEveryRow(
      std::string(),
      [&](const std::string& after_id) {
        return scope.uow.plans().ListOfClient(scope.principal->clinic_id, scope.client_id, after_id,
                                              kPage);
      },
      [](const PlanRecord& plan) { return plan.id; },
      [&](const PlanRecord& plan) { return AddPlanVersions(cipher, scope, plan, record); });
}

absl::Status AddMilestones(ClientDataCipher& cipher, RequestScope& scope,
                           v1::ClientRecord& record) {
  return VisitEveryRow(
      std::string(),
      [&](const std::string& after_id) {
        return scope.uow.milestones().ListOfClient(scope.principal->clinic_id, scope.client_id,
                                                   after_id, kPage);
      },
      [](const MilestoneRecord& row) { return row.id; },
      [&](const MilestoneRecord& row) -> absl::Status {
        absl::StatusOr<v1::Milestone> milestone = OpenMilestone(cipher, scope, row);
        if (!milestone.ok()) {
          return milestone.status();
        }
        *record.add_milestones() = *std::move(milestone);
        return absl::OkStatus();
      });
}

// Whether `note` belongs in the export: signed notes only (a draft is its author's unfinished
// work, a discarded one was never part of the record); a psychotherapy note only when asked for
// and readable by the caller.
// MayReadNote is enough here (no ReaderStillOnCareTeam): only clinicians on the care team may
// export at all (Action::kExportRecord), so a reader who is exporting is still on the team.
bool Exported(const Principal& who, const NoteRecord& note, const ClientRecordScope& what) {
  if (note.state != v1::NOTE_STATE_SIGNED || !MayReadNote(who, note)) {
    return false;
  }
  return note.kind != v1::NOTE_KIND_PSYCHOTHERAPY || what.include_psychotherapy_notes;
}

absl::Status AddNotes(ClientDataCipher& cipher, const SecretGenerator& digests,
                      const ClientRecordScope& what, RequestScope& scope,
                      v1::ClientRecord& record) {
  const Principal& who = *scope.principal;
  NoteListQuery query;
  query.clinic_id = who.clinic_id;
  query.client_id = scope.client_id;
  // Psychotherapy notes come back only when the caller wrote or was given them.
  query.viewer_user_id = who.user_id;
  query.include_discarded = false;
  query.limit = kPage;
  std::vector<v1::Note> notes;
  absl::Status read = VisitEveryRow(
      std::string(),
      [&](const std::string& after_id) {
        query.after_id = after_id;
        return scope.uow.notes().List(query);
      },
      [](const NoteRecord& row) { return row.id; },
      [&](const NoteRecord& row) -> absl::Status {
        if (!Exported(who, row, what)) {
          return absl::OkStatus();
        }
        absl::StatusOr<v1::Note> note = OpenNote(cipher, digests, scope, row);
        if (!note.ok()) {
          return note.status();
        }
        notes.push_back(*std::move(note));
        return absl::OkStatus();
      });
  if (!read.ok()) {
    return read;
  }
  // The list runs newest session first; a record reads from the first session on.
  std::reverse(notes.begin(), notes.end());
  for (v1::Note& note : notes) {
    *record.add_notes() = std::move(note);
  }
  return absl::OkStatus();
}

// Every version of `programme`, newest first.
absl::Status AddProgrammeVersions(ClientDataCipher& cipher, RequestScope& scope,
                                  const ProgrammeRecord& programme, v1::ClientRecord& record) {
  return VisitEveryRow(
      /*after=*/0,
      [&](int before_version) {
        return scope.uow.programmes().ListVersions(programme.clinic_id, programme.id,
                                                   before_version, kPage);
      },
      [](const ProgrammeVersionRecord& row) { return row.version; },
      [&](const ProgrammeVersionRecord& row) -> absl::Status {
        absl::StatusOr<v1::Programme> version =
            OpenProgrammeVersion(scope.uow, cipher, programme, row);
        if (!version.ok()) {
          return version.status();
        }
        *record.add_programme_versions() = *std::move(version);
        return absl::OkStatus();
      });
}

// Every programme in every status (drafts too: the care team reads them), newest first.
absl::Status AddProgrammes(ClientDataCipher& cipher, RequestScope& scope,
                           v1::ClientRecord& record) {
  return VisitEveryRow(
      std::string(),
      [&](const std::string& after_id) {
        return scope.uow.programmes().ListOfClient(scope.principal->clinic_id, scope.client_id,
                                                   /*statuses=*/{}, after_id, kPage);
      },
      [](const ProgrammeRecord& programme) { return programme.id; },
      [&](const ProgrammeRecord& programme) {
        return AddProgrammeVersions(cipher, scope, programme, record);
      });
}

// Every practice log, newest practice first, her feelings opened.
absl::Status AddPracticeLogs(ClientDataCipher& cipher, RequestScope& scope,
                             v1::ClientRecord& record) {
  PracticeLogQuery query{
      .clinic_id = scope.principal->clinic_id, .client_id = scope.client_id, .limit = kPage};
  return VisitEveryRow(
      std::pair<std::optional<absl::Time>, std::string>(),
      [&](const std::pair<std::optional<absl::Time>, std::string>& after) {
        query.after_practiced_at = after.first;
        query.after_id = after.second;
        return scope.uow.practice_logs().List(query);
      },
      [](const PracticeLogRecord& row) {
        return std::pair<std::optional<absl::Time>, std::string>(row.practiced_at, row.id);
      },
      [&](const PracticeLogRecord& row) -> absl::Status {
        absl::StatusOr<v1::PracticeLog> log =
            OpenPracticeLog(cipher, scope.uow, row, /*for_patient=*/false);
        if (!log.ok()) {
          return log.status();
        }
        *record.add_practice_logs() = *std::move(log);
        return absl::OkStatus();
      });
}

absl::Status AddProgressionSuggestions(RequestScope& scope, v1::ClientRecord& record) {
  return VisitEveryRow(
      std::string(),
      [&](const std::string& after_id) {
        return scope.uow.progression_suggestions().ListOfClient(
            scope.principal->clinic_id, scope.client_id, /*status=*/0, after_id, kPage);
      },
      [](const ProgressionSuggestionRecord& row) { return row.id; },
      [&](const ProgressionSuggestionRecord& row) {
        *record.add_progression_suggestions() = ProgressionSuggestionOf(row);
        return absl::OkStatus();
      });
}

// The entries she shares with her care team, newest written first; her private ones are not
// even read (the query filters them). Only care-team clinicians export, so these are the
// entries the exporting clinician may already read; as for any reader but her, whether she also
// shares an entry with her partner is left out, and so is the etag (nothing to update with).
absl::Status AddSharedJournalEntries(ClientDataCipher& cipher, RequestScope& scope,
                                     v1::ClientRecord& record) {
  return VisitEveryRow(
      std::pair<std::optional<absl::Time>, std::string>(),
      [&](const std::pair<std::optional<absl::Time>, std::string>& after) {
        return scope.uow.journal().List(scope.principal->clinic_id, scope.client_id,
                                        JournalAudience::kCareTeam, after.first, after.second,
                                        kPage);
      },
      [](const JournalEntryRecord& row) {
        return std::pair<std::optional<absl::Time>, std::string>(row.write_time, row.id);
      },
      [&](const JournalEntryRecord& row) -> absl::Status {
        // The query already filters; checked again because a private entry must never leave.
        if (!row.shared_with_care_team) {
          return absl::OkStatus();
        }
        absl::StatusOr<v1::JournalEntry> entry = OpenEntry(cipher, scope.uow, row);
        if (!entry.ok()) {
          return entry.status();
        }
        entry->set_shared_with_partner(false);
        entry->clear_etag();
        *record.add_journal_entries() = *std::move(entry);
        return absl::OkStatus();
      });
}

}  // namespace

absl::StatusOr<v1::ClientRecord> ReadClientRecord(ClientDataCipher& cipher,
                                                  const SecretGenerator& digests,
                                                  const InstrumentCatalogue& catalogue,
                                                  const ClientRecordScope& what,
                                                  RequestScope& scope) {
  v1::ClientRecord record;
  absl::Status read = AddClient(scope, record);
  if (read.ok()) {
    read = AddIntake(cipher, scope, record);
  }
  if (read.ok()) {
    read = AddConsents(scope, record);
  }
  if (read.ok()) {
    read = AddAssessments(cipher, catalogue, scope, record);
  }
  if (read.ok()) {
    read = AddPlans(cipher, scope, record);
  }
  if (read.ok()) {
    read = AddMilestones(cipher, scope, record);
  }
  if (read.ok()) {
    read = AddNotes(cipher, digests, what, scope, record);
  }
  if (read.ok()) {
    read = AddProgrammes(cipher, scope, record);
  }
  if (read.ok()) {
    read = AddPracticeLogs(cipher, scope, record);
  }
  if (read.ok()) {
    read = AddProgressionSuggestions(scope, record);
  }
  if (read.ok()) {
    read = AddSharedJournalEntries(cipher, scope, record);
  }
  if (!read.ok()) {
    return read;
  }
  return record;
}

}  // namespace confide
