#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "services/clients/ports/client_repository.h"
#include "services/common/principal.h"

namespace confide {

// What a caller wants to do. One value per kind of access, not per RPC, so new RPCs reuse them.
// Every RPC except sign-in and the caller's own session management names one.
enum class Action {
  // Clinic level (no client record involved).
  kReadClinic,
  kCreateClient,
  kListClients,
  kListStaff,
  kManageStaff,
  kListBreakGlassGrants,
  kQueryAudit,
  // A verifiable export of the clinic's audit trail (auditors).
  kExportAudit,
  // The clinic's signed checkpoint and verification keys (admins and auditors).
  kReadAuditCheckpoint,
  // The clinic's exercise library (no client data): clinicians and admins.
  kReadExerciseLibrary,
  kManageExerciseLibrary,
  // The calling clinician's own caseload overview.
  kReadCaseload,
  // On one client record.
  kReadClient,
  kUpdateClient,
  kArchiveClient,
  kReadCareTeam,
  kManageCareTeam,
  kInviteToPortal,
  kManagePartners,
  kReadPartnerView,
  kBreakGlass,
  kReadAccessReport,
  // Clinical content, by what a partner may be shown.
  kReadPlanSummary,
  kReadGoals,
  kReadProgrammeSchedule,
  kReadProgressSummary,
  kReadAssessments,
  kReadJournal,
  // The clinical record: what a patient also does for herself (her intake, her consents, her
  // self-report measures, her own milestones), and the care team does with her.
  kReadIntake,
  kWriteIntake,
  kReadConsents,
  kRecordConsent,
  kCompleteAssessment,
  kRecordMilestone,
  // The full therapy plan (clinical wording, every version): care team only. Patients and
  // partners read the shared version through kReadPlanSummary.
  kReadClinicalPlan,
  // Session notes and psychotherapy notes: care team only, never patients or partners.
  kReadNotes,
  // The plain-language session summaries of signed notes: the patient and her care team.
  kReadSessionSummaries,
  // Writing any clinical content (intake review, plans, programmes, notes).
  kWriteClinical,
  // Exporting the whole record (transfer of care, access request): care-team clinicians only,
  // never under break-glass.
  kExportRecord,
  // Crypto-erasure of an archived client's clinical content: clinic admins only.
  kEraseClientData,
  // The patient's own home practice: logging a session and writing her journal are hers alone
  // (not her clinicians', not under break-glass, not an admin's).
  kLogPractice,
  kWriteJournal,
  // Practice logs with her own words on how it felt: the patient and her care team, never a
  // partner (partners see progress through kReadProgressSummary).
  kReadPracticeLog,
};

// Whether the action is decided without a client record.
bool IsClinicLevel(Action action);
// The action's name as tests and logs show it, e.g. "kReadClient".
std::string_view ActionName(Action action);

enum class Decision {
  kAllow,
  // The caller may not know the record exists: answered exactly as if it did not.
  kNotFound,
  // The caller may see the record but not do this to it.
  kPermissionDenied,
};

// The caller's relationship to one client record beyond the record's own facts, looked up by
// the pipeline before deciding.
struct CallerRelation {
  // A clinician outside the care team holds a live break-glass grant for this client.
  bool break_glass_live = false;
  // A partner's live link to this client: the PartnerShare bit set the patient granted.
  std::optional<uint32_t> partner_shares;
};

// The bit for a v1::PartnerShare value in a PartnerLinkRecord's set.
constexpr uint32_t ShareBit(int share) { return 1u << share; }

// Whether `who` is on the client's care team.
bool IsOnCareTeam(const Principal& who, const ClientAccessFacts& client);

// Whether an allowed request of `who` on this client is served only thanks to a break-glass
// grant (the audit trail flags such events).
bool ServedByBreakGlass(const Principal& who, const ClientAccessFacts& client,
                        const CallerRelation& relation);

// The access policy, a pure function so it can be tested as a table. `client` is null for
// clinic-level actions. Rules (docs/security.md has the full table):
// - tenancy: a record of another clinic is NOT_FOUND for everyone;
// - staff whose session has not passed the second factor may do nothing;
// - clinicians: everything clinical for clients whose care team they are on, or under a live
//   break-glass grant (which gives no care-team management); break-glass itself for clients of
//   their clinic they are not treating;
// - admins: staff and care-team management, client demographics (read, create, archive), the
//   clinic's break-glass list; no clinical content unless also on the care team;
// - patients: their own record, care team, plan, programmes, journal, assessments, partners and
//   access report; no notes; never another client (NOT_FOUND);
// - partners: only their linked client's partner view and the content kinds shared with them;
//   never notes;
// - auditors: audit queries and the break-glass list; no client record (NOT_FOUND);
// - service accounts (clinic systems over gRPC): create, list and read client demographics.
Decision Decide(const Principal& who, Action action, const ClientAccessFacts* client,
                const CallerRelation& relation = {});

}  // namespace confide
