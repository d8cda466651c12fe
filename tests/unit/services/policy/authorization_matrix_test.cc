// The authorization matrix: every RPC of the real method table × every kind of caller, with the
// expected decision written out per cell, checked against the access policy with the action each
// RPC registers. A new RPC with an action fails this test until its row is added here, so no RPC
// can skip the matrix. Global invariants (tenancy, partners, auditors, service accounts, the
// second factor) are checked over every cell and over every Action, not only those RPCs use today.
//
// The same callers over the real server: tests/api/authorization_matrix_api_test.cc.

#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "confide/v1/access.pb.h"
#include "gtest/gtest.h"
#include "services/api/method_table.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/principal.h"
#include "services/policy/access_policy.h"
#include "tests/support/registered_methods.h"

namespace confide {
namespace {

constexpr char kClinicA[] = "clinic-a";
constexpr char kClinicB[] = "clinic-b";
constexpr char kJo[] = "client-jo";
constexpr char kRiley[] = "client-riley";

// --- The callers ------------------------------------------------------------------------------

// One column of the matrix: a principal and its relationship to Jo's record (clinic A).
struct Caller {
  std::string_view column;
  std::string_view description;
  Principal who;
  CallerRelation relation;
};

Principal Staff(std::string user_id, std::string clinic_id, v1::Role role, bool mfa = true) {
  return Principal{.user_id = std::move(user_id),
                   .clinic_id = std::move(clinic_id),
                   .role = role,
                   .session_id = "session",
                   .mfa_verified = mfa};
}

// Patients and partners have no second factor: their sessions never carry mfa_verified.
Principal Portal(std::string user_id, std::string clinic_id, v1::Role role, std::string client_id) {
  return Principal{.user_id = std::move(user_id),
                   .clinic_id = std::move(clinic_id),
                   .role = role,
                   .client_id = std::move(client_id),
                   .session_id = "session"};
}

constexpr uint32_t kAllShares =
    ShareBit(v1::PARTNER_SHARE_PLAN_SUMMARY) | ShareBit(v1::PARTNER_SHARE_GOALS) |
    ShareBit(v1::PARTNER_SHARE_PROGRAMME_SCHEDULE) | ShareBit(v1::PARTNER_SHARE_PROGRESS_SUMMARY) |
    ShareBit(v1::PARTNER_SHARE_ASSESSMENTS) | ShareBit(v1::PARTNER_SHARE_JOURNAL);

// Jo's record, the target of every client-level cell. Her care team is Sam, admin "admin-team"
// (an admin who is also on the team) and, to show membership never crosses clinics, the other
// clinic's therapist.
const ClientAccessFacts& JoRecord() {
  static const ClientAccessFacts* record =
      new ClientAccessFacts{.clinic_id = kClinicA,
                            .client_id = kJo,
                            .care_team_user_ids = {"sam", "admin-team", "other"}};
  return *record;
}

// The columns, in the order of the expectation strings below. The relation is what the pipeline
// looks up (services/api/pipeline.cc, RelationTo): an expired break-glass grant or a revoked
// partner link is no relation at all.
const std::vector<Caller>& Callers() {
  static const auto* callers = new std::vector<Caller>{
      {"CT", "clinician on the care team", Staff("sam", kClinicA, v1::ROLE_CLINICIAN), {}},
      {"CO",
       "clinician of the clinic, not on the care team",
       Staff("alex", kClinicA, v1::ROLE_CLINICIAN),
       {}},
      {"BG",
       "clinician off the care team with a live break-glass grant",
       Staff("alex", kClinicA, v1::ROLE_CLINICIAN),
       {.break_glass_live = true}},
      {"BX",
       "clinician off the care team whose break-glass grant expired",
       Staff("alex", kClinicA, v1::ROLE_CLINICIAN),
       {.break_glass_live = false}},
      {"CX",
       "clinician of another clinic, listed on the care team, with a break-glass grant",
       Staff("other", kClinicB, v1::ROLE_CLINICIAN),
       {.break_glass_live = true}},
      {"AD", "admin of the clinic", Staff("admin", kClinicA, v1::ROLE_ADMIN), {}},
      {"AX", "admin of another clinic", Staff("admin-b", kClinicB, v1::ROLE_ADMIN), {}},
      {"AT",
       "admin of the clinic who is also on the care team",
       Staff("admin-team", kClinicA, v1::ROLE_ADMIN),
       {}},
      {"AU", "auditor of the clinic", Staff("auditor", kClinicA, v1::ROLE_AUDITOR), {}},
      {"PS", "patient, her own record", Portal("jo", kClinicA, v1::ROLE_PATIENT, kJo), {}},
      {"PO",
       "another patient of the clinic",
       Portal("riley", kClinicA, v1::ROLE_PATIENT, kRiley),
       {}},
      {"PX",
       "patient of another clinic whose client id equals Jo's",
       Portal("casey", kClinicB, v1::ROLE_PATIENT, kJo),
       {}},
      {"R+",
       "partner of Jo with every share",
       Portal("kim", kClinicA, v1::ROLE_PARTNER, kJo),
       {.partner_shares = kAllShares}},
      {"R-",
       "partner of Jo with no share",
       Portal("kim", kClinicA, v1::ROLE_PARTNER, kJo),
       {.partner_shares = 0u}},
      {"RO",
       "partner of another client (Riley)",
       Portal("pat", kClinicA, v1::ROLE_PARTNER, kRiley),
       {}},
      {"RR",
       "partner of Jo whose link was revoked",
       Portal("kim", kClinicA, v1::ROLE_PARTNER, kJo),
       {}},
      {"MC",
       "clinician on the care team, session without second factor",
       Staff("sam", kClinicA, v1::ROLE_CLINICIAN, /*mfa=*/false),
       {}},
      {"MA",
       "admin, session without second factor",
       Staff("admin", kClinicA, v1::ROLE_ADMIN, /*mfa=*/false),
       {}},
      {"MU",
       "auditor, session without second factor",
       Staff("auditor", kClinicA, v1::ROLE_AUDITOR, /*mfa=*/false),
       {}},
      // A clinic system over gRPC: its session never asks for a second factor and is created
      // with mfa_verified set (services/staff/staff_service.cc, CreateServiceAccount).
      {"SV", "service account of the clinic", Staff("billing", kClinicA, v1::ROLE_SERVICE), {}},
  };
  return *callers;
}

// --- The expectations -------------------------------------------------------------------------

// Legend: A = kAllow, N = kNotFound (answered as if the record did not exist),
//         P = kPermissionDenied. Spaces and '|' only group the columns for the reader.
// Columns (see Callers() for each):
//   clinicians:  CT on care team, CO not on it, BG live break-glass, BX expired break-glass,
//                CX other clinic (listed on the care team)
//   admins:      AD own clinic, AX other clinic, AT own clinic and on the care team
//   auditor:     AU
//   patients:    PS self, PO other patient of the clinic, PX patient of another clinic
//   partners:    R+ with every share, R- with no share, RO of another client, RR link revoked
//   no MFA:      MC clinician on care team, MA admin, MU auditor
//   service:     SV service account of the clinic (a clinic system calling over gRPC)
// Client-level RPCs target Jo's record; clinic-level RPCs have no record (each caller acts in
// its own clinic) and depend only on role and second factor.
struct RpcExpectation {
  // Without the "confide.v1." prefix.
  std::string_view rpc;
  // The action the RPC must register.
  Action action;
  std::string_view codes;
};

// clang-format off
constexpr RpcExpectation kRpcMatrix[] = {
    //                                                        CT CO BG BX CX   AD AX AT   AU   PS PO PX   R+ R- RO RR   MC MA MU   SV
    // Client records.
    {"ClientService.CreateClient", Action::kCreateClient,   "A  A  A  A  A  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | A"},
    {"ClientService.ListClients", Action::kListClients,     "A  A  A  A  A  | A  A  A  | P  | A  A  A  | P  P  P  P  | P  P  P  | A"},
    {"ClientService.GetClient", Action::kReadClient,        "A  N  A  N  N  | A  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | A"},
    {"ClientService.UpdateClient", Action::kUpdateClient,   "A  N  A  N  N  | P  N  P  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ClientService.ArchiveClient", Action::kArchiveClient, "A  N  P  N  N  | A  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    // Care teams.
    {"CareTeamService.ListCareTeam", Action::kReadCareTeam,           "A  N  A  N  N  | A  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"CareTeamService.AddCareTeamMember", Action::kManageCareTeam,    "A  N  P  N  N  | A  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"CareTeamService.RemoveCareTeamMember", Action::kManageCareTeam, "A  N  P  N  N  | A  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"CareTeamService.SetPrimaryClinician", Action::kManageCareTeam,  "A  N  P  N  N  | A  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    // Portal access and partners.
    {"PortalAccessService.InviteClientToPortal", Action::kInviteToPortal, "A  N  P  N  N  | P  N  P  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PortalAccessService.InvitePartner", Action::kManagePartners,        "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PortalAccessService.ListPartners", Action::kManagePartners,         "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PortalAccessService.UpdatePartnerShares", Action::kManagePartners,  "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PortalAccessService.RevokePartner", Action::kManagePartners,        "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PortalAccessService.GetPartnerView", Action::kReadPartnerView,      "P  N  P  N  N  | P  N  P  | N  | P  N  N  | A  A  N  N  | P  P  P  | P"},
    // Consents: the patient records and withdraws her own; the care team (or break-glass) too.
    {"ConsentService.RecordConsent", Action::kRecordConsent,   "A  N  P  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ConsentService.WithdrawConsent", Action::kRecordConsent, "A  N  P  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ConsentService.ListConsents", Action::kReadConsents,     "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    // Intake: the patient reads and edits her own; only the care team (or break-glass) reviews.
    {"IntakeService.GetIntake", Action::kReadIntake,        "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"IntakeService.UpdateIntake", Action::kWriteIntake,    "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"IntakeService.SubmitIntake", Action::kWriteIntake,    "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"IntakeService.ReviewIntake", Action::kWriteClinical,  "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    // Plans: the care team writes and reads the full plan; the patient (and a partner with the
    // plan-summary share) reads the shared version; milestones are the patient's too.
    {"PlanService.CreatePlan", Action::kWriteClinical,            "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PlanService.GetPlan", Action::kReadClinicalPlan,            "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PlanService.ListPlans", Action::kReadClinicalPlan,          "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PlanService.ListPlanVersions", Action::kReadClinicalPlan,   "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PlanService.UpdatePlan", Action::kWriteClinical,            "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PlanService.SharePlanVersion", Action::kWriteClinical,      "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PlanService.ListSharedPlans", Action::kReadPlanSummary,     "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"PlanService.RecordMilestone", Action::kRecordMilestone,     "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"PlanService.ListMilestones", Action::kReadProgressSummary,  "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    // Measures: instruments are clinic-level reference data; the patient completes and reads
    // her own, a partner reads them with the assessments share.
    {"AssessmentService.ListInstruments", Action::kReadClinic,          "A  A  A  A  A  | A  A  A  | A  | A  A  A  | A  A  A  A  | P  P  P  | A"},
    {"AssessmentService.GetInstrument", Action::kReadClinic,            "A  A  A  A  A  | A  A  A  | A  | A  A  A  | A  A  A  A  | P  P  P  | A"},
    {"AssessmentService.SubmitAssessment", Action::kCompleteAssessment, "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"AssessmentService.GetAssessment", Action::kReadAssessments,       "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"AssessmentService.ListAssessments", Action::kReadAssessments,     "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    // Session notes: the care team writes and reads them (psychotherapy notes are further
    // limited by the note service to their author and readers); the patient reads only the
    // session summaries.
    {"NoteService.CreateNote", Action::kWriteClinical,                 "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.GetNote", Action::kReadNotes,                        "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.ListNotes", Action::kReadNotes,                      "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.UpdateNote", Action::kWriteClinical,                 "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.SignNote", Action::kWriteClinical,                   "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.CosignNote", Action::kWriteClinical,                 "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.DiscardNote", Action::kWriteClinical,                "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.AddAddendum", Action::kWriteClinical,                "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.SharePsychotherapyNote", Action::kWriteClinical,     "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"NoteService.ListSessionSummaries", Action::kReadSessionSummaries, "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    // The whole record: exported by the treating clinicians only (not under break-glass, not by
    // an admin); crypto-erased by an admin only.
    {"RecordService.ExportClientRecord", Action::kExportRecord,        "A  N  P  N  N  | P  N  P  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"RecordService.EraseClientData", Action::kEraseClientData,       "P  N  P  N  N  | A  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    // The exercise library holds no client data: the clinic's clinicians and admins.
    {"ExerciseService.CreateExercise", Action::kManageExerciseLibrary, "A  A  A  A  A  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"ExerciseService.GetExercise", Action::kReadExerciseLibrary,       "A  A  A  A  A  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"ExerciseService.ListExercises", Action::kReadExerciseLibrary,     "A  A  A  A  A  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"ExerciseService.UpdateExercise", Action::kManageExerciseLibrary, "A  A  A  A  A  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    // Home programmes: written by the care team, read by the patient and a partner with the
    // programme-schedule share; versions and suggestions are the care team's working material.
    {"ProgrammeService.CreateProgramme", Action::kWriteClinical,             "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.GetProgramme", Action::kReadProgrammeSchedule,        "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.ListProgrammes", Action::kReadProgrammeSchedule,      "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.ListProgrammeVersions", Action::kReadClinicalPlan,    "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.UpdateProgramme", Action::kWriteClinical,             "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.ActivateProgramme", Action::kWriteClinical,           "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.PauseProgramme", Action::kWriteClinical,              "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.EndProgramme", Action::kWriteClinical,                "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    // Practice is logged by the patient alone; her logs (with her words) are hers and her care
    // team's, never a partner's.
    {"ProgrammeService.LogPractice", Action::kLogPractice,                   "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.ListPracticeLogs", Action::kReadPracticeLog,          "A  N  A  N  N  | P  N  A  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.ListProgressionSuggestions", Action::kReadClinicalPlan, "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.AcceptProgressionSuggestion", Action::kWriteClinical,  "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"ProgrammeService.DeclineProgressionSuggestion", Action::kWriteClinical, "A  N  A  N  N  | P  N  A  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    // The journal is written by the patient alone; which entries others see is per entry.
    {"JournalService.CreateJournalEntry", Action::kWriteJournal,   "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"JournalService.GetJournalEntry", Action::kReadJournal,       "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"JournalService.ListJournalEntries", Action::kReadJournal,    "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"JournalService.UpdateJournalEntry", Action::kWriteJournal,   "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    {"JournalService.DeleteJournalEntry", Action::kWriteJournal,   "P  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    // Progress: the patient, her care team and a partner with the progress-summary share.
    {"ProgressService.GetProgress", Action::kReadProgressSummary,    "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"ProgressService.ListDueItems", Action::kReadProgrammeSchedule, "A  N  A  N  N  | P  N  A  | N  | A  N  N  | A  P  N  N  | P  P  P  | P"},
    {"ProgressService.ListCaseload", Action::kReadCaseload,          "A  A  A  A  A  | P  P  P  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    // Break-glass: for clients one does not treat; any clinician of the clinic may ask.
    {"BreakGlassService.BreakGlass", Action::kBreakGlass,                     "P  A  A  A  N  | P  N  P  | N  | P  N  N  | P  P  N  N  | P  P  P  | P"},
    {"BreakGlassService.ListBreakGlassGrants", Action::kListBreakGlassGrants, "P  P  P  P  P  | A  A  A  | A  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    // The audit trail: auditors query and export; admins and auditors read checkpoints and keys;
    // the patient and her care team read who accessed her record.
    {"AuditService.ListAuditEvents", Action::kQueryAudit,               "P  P  P  P  P  | P  P  P  | A  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"AuditService.ExportAuditEvents", Action::kExportAudit,            "P  P  P  P  P  | P  P  P  | A  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"AuditService.GetAuditCheckpoint", Action::kReadAuditCheckpoint,   "P  P  P  P  P  | A  A  A  | A  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"AuditService.ListAuditKeys", Action::kReadAuditCheckpoint,        "P  P  P  P  P  | A  A  A  | A  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"AuditService.ListRecordAccess", Action::kReadAccessReport,        "A  N  P  N  N  | P  N  P  | N  | A  N  N  | P  P  N  N  | P  P  P  | P"},
    // Staff and clinic.
    {"StaffService.InviteStaff", Action::kManageStaff,             "P  P  P  P  P  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"StaffService.ListStaff", Action::kListStaff,                 "A  A  A  A  A  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"StaffService.DeactivateStaff", Action::kManageStaff,         "P  P  P  P  P  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"StaffService.ReactivateStaff", Action::kManageStaff,         "P  P  P  P  P  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"StaffService.IssueStaffPasswordReset", Action::kManageStaff, "P  P  P  P  P  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"StaffService.CreateServiceAccount", Action::kManageStaff,    "P  P  P  P  P  | A  A  A  | P  | P  P  P  | P  P  P  P  | P  P  P  | P"},
    {"ClinicService.GetMyClinic", Action::kReadClinic,             "A  A  A  A  A  | A  A  A  | A  | A  A  A  | A  A  A  A  | P  P  P  | A"},
};
// clang-format on

// RPCs without an action: the policy is never asked. Public ones run without a session;
// session-only ones act on the caller's own account or session.
const std::set<std::string_view> kPublicRpcs = {
    "AuthService.Login", "AuthService.RequestPasswordReset", "AuthService.ResetPassword",
    "AuthService.AcceptInvitation"};
const std::set<std::string_view> kSessionOnlyRpcs = {"AuthService.Logout",
                                                     "AuthService.GetCurrentUser",
                                                     "AuthService.ListMySessions",
                                                     "AuthService.RevokeMySession",
                                                     "AuthService.ChangePassword",
                                                     "AuthService.BeginTotpEnrollment",
                                                     "AuthService.ConfirmTotpEnrollment"};

// Every Action (including those no RPC uses yet) for partners, by the shares they hold.
// Columns: S1..S6 only that one share (plan summary, goals, programme schedule, progress
// summary, assessments, journal), ALL every share, NONE a live link without shares, OTHER
// partner of another client (Riley), REVOKED link to Jo revoked. Clinic-level actions have no
// record.
struct ActionExpectation {
  Action action;
  std::string_view codes;
};

// clang-format off
constexpr ActionExpectation kPartnerMatrix[] = {
    //                                     S1 S2 S3 S4 S5 S6   ALL NONE   OTHER REVOKED
    {Action::kReadClinic,             "A  A  A  A  A  A  | A   A    | A     A"},
    {Action::kCreateClient,           "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kListClients,            "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kListStaff,              "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kManageStaff,            "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kListBreakGlassGrants,   "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kQueryAudit,             "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kExportAudit,            "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kReadAuditCheckpoint,    "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kReadClient,             "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kUpdateClient,           "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kArchiveClient,          "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadCareTeam,           "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kManageCareTeam,         "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kInviteToPortal,         "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kManagePartners,         "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadPartnerView,        "A  A  A  A  A  A  | A   A    | N     N"},
    {Action::kBreakGlass,             "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadAccessReport,       "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadPlanSummary,        "A  P  P  P  P  P  | A   P    | N     N"},
    {Action::kReadGoals,              "P  A  P  P  P  P  | A   P    | N     N"},
    {Action::kReadProgrammeSchedule,  "P  P  A  P  P  P  | A   P    | N     N"},
    {Action::kReadProgressSummary,    "P  P  P  A  P  P  | A   P    | N     N"},
    {Action::kReadAssessments,        "P  P  P  P  A  P  | A   P    | N     N"},
    {Action::kReadJournal,            "P  P  P  P  P  A  | A   P    | N     N"},
    {Action::kReadIntake,             "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kWriteIntake,            "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadConsents,           "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kRecordConsent,          "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kCompleteAssessment,     "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kRecordMilestone,        "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadClinicalPlan,       "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadNotes,              "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kWriteClinical,          "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadSessionSummaries,   "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kExportRecord,           "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kEraseClientData,        "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadExerciseLibrary,    "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kManageExerciseLibrary,  "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kReadCaseload,           "P  P  P  P  P  P  | P   P    | P     P"},
    {Action::kLogPractice,            "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kWriteJournal,           "P  P  P  P  P  P  | P   P    | N     N"},
    {Action::kReadPracticeLog,        "P  P  P  P  P  P  | P   P    | N     N"},
};
// clang-format on

// Every Action, for sweeps over all of them.
constexpr Action kAllActions[] = {Action::kReadClinic,
                                  Action::kCreateClient,
                                  Action::kListClients,
                                  Action::kListStaff,
                                  Action::kManageStaff,
                                  Action::kListBreakGlassGrants,
                                  Action::kQueryAudit,
                                  Action::kExportAudit,
                                  Action::kReadAuditCheckpoint,
                                  Action::kReadClient,
                                  Action::kUpdateClient,
                                  Action::kArchiveClient,
                                  Action::kReadCareTeam,
                                  Action::kManageCareTeam,
                                  Action::kInviteToPortal,
                                  Action::kManagePartners,
                                  Action::kReadPartnerView,
                                  Action::kBreakGlass,
                                  Action::kReadAccessReport,
                                  Action::kReadPlanSummary,
                                  Action::kReadGoals,
                                  Action::kReadProgrammeSchedule,
                                  Action::kReadProgressSummary,
                                  Action::kReadAssessments,
                                  Action::kReadJournal,
                                  Action::kReadIntake,
                                  Action::kWriteIntake,
                                  Action::kReadConsents,
                                  Action::kRecordConsent,
                                  Action::kCompleteAssessment,
                                  Action::kRecordMilestone,
                                  Action::kReadClinicalPlan,
                                  Action::kReadNotes,
                                  Action::kReadSessionSummaries,
                                  Action::kWriteClinical,
                                  Action::kExportRecord,
                                  Action::kEraseClientData,
                                  Action::kReadExerciseLibrary,
                                  Action::kManageExerciseLibrary,
                                  Action::kReadCaseload,
                                  Action::kLogPractice,
                                  Action::kWriteJournal,
                                  Action::kReadPracticeLog};
static_assert(std::size(kAllActions) == static_cast<size_t>(Action::kReadPracticeLog) + 1,
              "kAllActions must list every Action");

// The partner callers of kPartnerMatrix, in its column order.
std::vector<Caller> PartnerCallers() {
  std::vector<Caller> callers;
  const v1::PartnerShare shares[] = {
      v1::PARTNER_SHARE_PLAN_SUMMARY,       v1::PARTNER_SHARE_GOALS,
      v1::PARTNER_SHARE_PROGRAMME_SCHEDULE, v1::PARTNER_SHARE_PROGRESS_SUMMARY,
      v1::PARTNER_SHARE_ASSESSMENTS,        v1::PARTNER_SHARE_JOURNAL};
  const std::string_view columns[] = {"S1", "S2", "S3", "S4", "S5", "S6"};
  const Principal kim = Portal("kim", kClinicA, v1::ROLE_PARTNER, kJo);
  for (size_t i = 0; i < std::size(shares); ++i) {
    callers.push_back(
        {columns[i], "only this share", kim, {.partner_shares = ShareBit(shares[i])}});
  }
  callers.push_back({"ALL", "every share", kim, {.partner_shares = kAllShares}});
  callers.push_back({"NONE", "live link, no share", kim, {.partner_shares = 0u}});
  callers.push_back(
      {"OTHER", "partner of Riley", Portal("pat", kClinicA, v1::ROLE_PARTNER, kRiley), {}});
  callers.push_back({"REVOKED", "revoked link to Jo", kim, {}});
  return callers;
}

// --- Helpers ------------------------------------------------------------------------------------

char Code(Decision decision) {
  switch (decision) {
    case Decision::kAllow:
      return 'A';
    case Decision::kNotFound:
      return 'N';
    case Decision::kPermissionDenied:
      return 'P';
  }
  return '?';
}

// "A  N | P" → "ANP".
std::string Codes(std::string_view text) {
  std::string codes;
  for (char c : text) {
    if (c != ' ' && c != '|') {
      codes.push_back(c);
    }
  }
  return codes;
}

constexpr std::string_view kPackage = "confide.v1.";

std::string_view ShortName(std::string_view full_name) {
  return full_name.substr(0, kPackage.size()) == kPackage ? full_name.substr(kPackage.size())
                                                          : full_name;
}

// Clinical content (services/policy/access_policy.h: the content kinds, notes, clinical writes).
bool IsClinicalContent(Action action) {
  switch (action) {
    case Action::kReadPlanSummary:
    case Action::kReadGoals:
    case Action::kReadProgrammeSchedule:
    case Action::kReadProgressSummary:
    case Action::kReadAssessments:
    case Action::kReadJournal:
    case Action::kReadIntake:
    case Action::kWriteIntake:
    case Action::kReadConsents:
    case Action::kRecordConsent:
    case Action::kCompleteAssessment:
    case Action::kRecordMilestone:
    case Action::kReadClinicalPlan:
    case Action::kReadNotes:
    case Action::kReadSessionSummaries:
    case Action::kWriteClinical:
    case Action::kExportRecord:
      return true;
    default:
      return false;
  }
}

bool IsPartnerContentForbidden(Action action) {
  return action == Action::kReadNotes || action == Action::kWriteClinical ||
         action == Action::kReadSessionSummaries || action == Action::kExportRecord ||
         action == Action::kEraseClientData || action == Action::kReadClient ||
         action == Action::kReadClinicalPlan || action == Action::kReadIntake ||
         action == Action::kWriteIntake;
}

// The global invariants, checked for one decision. Returns the number of invariants applied.
int CheckInvariants(const Caller& caller, Action action, const ClientAccessFacts* record,
                    Decision decision, const std::string& where) {
  SCOPED_TRACE(where);
  const Principal& who = caller.who;
  int checked = 0;
  if (record != nullptr && who.clinic_id != record->clinic_id) {
    ++checked;
    EXPECT_NE(decision, Decision::kAllow) << "another clinic's record was allowed";
  }
  if (who.role == v1::ROLE_PARTNER && IsPartnerContentForbidden(action)) {
    ++checked;
    EXPECT_NE(decision, Decision::kAllow) << "a partner was allowed " << ActionName(action);
  }
  if (who.role == v1::ROLE_AUDITOR && !IsClinicLevel(action)) {
    ++checked;
    EXPECT_NE(decision, Decision::kAllow) << "an auditor was allowed client-level action";
  }
  if (IsStaffRole(who.role) && !who.mfa_verified) {
    ++checked;
    EXPECT_NE(decision, Decision::kAllow) << "a staff session without second factor was allowed";
  }
  // Service accounts: demographics only, never clinical content or staff management. Another
  // clinic's record is covered for them by the tenancy check above.
  if (who.role == v1::ROLE_SERVICE && IsClinicalContent(action)) {
    ++checked;
    EXPECT_NE(decision, Decision::kAllow)
        << "a service account was allowed clinical content " << ActionName(action);
  }
  if (who.role == v1::ROLE_SERVICE && action == Action::kManageStaff) {
    ++checked;
    EXPECT_NE(decision, Decision::kAllow) << "a service account was allowed kManageStaff";
  }
  if (who.role == v1::ROLE_PATIENT && record != nullptr && who.client_id != record->client_id) {
    ++checked;
    EXPECT_NE(decision, Decision::kAllow) << "a patient was allowed another client's record";
  }
  return checked;
}

// --- The tests ----------------------------------------------------------------------------------

// Every RPC with an action has a row here, and every row names a registered RPC with that
// action: a new RPC cannot skip the matrix, and a removed one cannot leave a stale row.
TEST(AuthorizationMatrixTest, EveryRegisteredRpcHasARowAndEveryRowARegisteredRpc) {
  RegisteredMethodTable methods;
  std::map<std::string_view, const RpcExpectation*> rows;
  for (const RpcExpectation& row : kRpcMatrix) {
    EXPECT_TRUE(rows.emplace(row.rpc, &row).second) << row.rpc << " has two rows";
  }
  std::set<std::string_view> registered;
  for (const MethodSpec* spec : methods.table().All()) {
    const std::string_view name = ShortName(spec->full_name);
    registered.insert(name);
    SCOPED_TRACE(spec->full_name);
    if (!spec->action.has_value()) {
      EXPECT_TRUE(kPublicRpcs.contains(name) || kSessionOnlyRpcs.contains(name))
          << "an RPC without an action must be listed as public or session-only";
      EXPECT_EQ(spec->is_public, kPublicRpcs.contains(name));
      EXPECT_FALSE(rows.contains(name)) << "has a matrix row but registers no action";
      EXPECT_FALSE(static_cast<bool>(spec->target_client))
          << "targets a client without asking the policy";
      continue;
    }
    EXPECT_FALSE(spec->is_public) << "a public RPC would run without a principal to decide on";
    auto row = rows.find(name);
    if (row == rows.end()) {
      ADD_FAILURE() << "registers " << ActionName(*spec->action)
                    << " but has no row in kRpcMatrix: add its expected decisions";
      continue;
    }
    EXPECT_EQ(ActionName(*spec->action), ActionName(row->second->action))
        << "registers a different action than its matrix row";
    // A client-level action without a target would always be NOT_FOUND; a clinic-level one
    // with a target would look up a record the policy ignores.
    EXPECT_EQ(spec->target_client != nullptr, !IsClinicLevel(*spec->action));
  }
  for (const RpcExpectation& row : kRpcMatrix) {
    EXPECT_TRUE(registered.contains(row.rpc)) << row.rpc << " has a row but is not registered";
  }
  for (std::string_view name : kPublicRpcs) {
    EXPECT_TRUE(registered.contains(name)) << name << " is listed public but not registered";
  }
  for (std::string_view name : kSessionOnlyRpcs) {
    EXPECT_TRUE(registered.contains(name)) << name << " is listed session-only but not registered";
  }
}

TEST(AuthorizationMatrixTest, EveryRpcDecidesAsWrittenForEveryCaller) {
  RegisteredMethodTable methods;
  const std::vector<Caller>& callers = Callers();
  int cells = 0;
  int invariants = 0;
  for (const RpcExpectation& row : kRpcMatrix) {
    const std::string full_name = std::string(kPackage) + std::string(row.rpc);
    const MethodSpec* spec = methods.table().Find(full_name);
    ASSERT_NE(spec, nullptr) << full_name;
    ASSERT_TRUE(spec->action.has_value()) << full_name;
    const std::string codes = Codes(row.codes);
    ASSERT_EQ(codes.size(), callers.size()) << full_name << ": one code per caller column";
    const Action action = *spec->action;
    const ClientAccessFacts* record = IsClinicLevel(action) ? nullptr : &JoRecord();
    for (size_t i = 0; i < callers.size(); ++i) {
      const Caller& caller = callers[i];
      const std::string where = full_name + " × " + std::string(caller.column) + " (" +
                                std::string(caller.description) + ")";
      const Decision decision = Decide(caller.who, action, record, caller.relation);
      EXPECT_EQ(Code(decision), codes[i]) << where;
      ++cells;
      invariants += CheckInvariants(caller, action, record, decision, where);
    }
  }
  std::printf(
      "authorization matrix: %d RPC × caller cases (%zu RPCs × %zu callers), %d "
      "invariant checks\n",
      cells, std::size(kRpcMatrix), callers.size(), invariants);
  RecordProperty("rpc_cases", cells);
}

TEST(AuthorizationMatrixTest, EveryActionDecidesAsWrittenForPartnersByShare) {
  const std::vector<Caller> callers = PartnerCallers();
  std::set<Action> covered;
  int cells = 0;
  for (const ActionExpectation& row : kPartnerMatrix) {
    EXPECT_TRUE(covered.insert(row.action).second) << ActionName(row.action) << " has two rows";
    const std::string codes = Codes(row.codes);
    ASSERT_EQ(codes.size(), callers.size()) << ActionName(row.action);
    const ClientAccessFacts* record = IsClinicLevel(row.action) ? nullptr : &JoRecord();
    for (size_t i = 0; i < callers.size(); ++i) {
      const Caller& caller = callers[i];
      const std::string where = std::string(ActionName(row.action)) + " × partner " +
                                std::string(caller.column) + " (" +
                                std::string(caller.description) + ")";
      const Decision decision = Decide(caller.who, row.action, record, caller.relation);
      EXPECT_EQ(Code(decision), codes[i]) << where;
      ++cells;
      CheckInvariants(caller, row.action, record, decision, where);
    }
  }
  EXPECT_EQ(covered.size(), std::size(kAllActions)) << "every Action needs a partner row";
  std::printf("authorization matrix: %d Action × partner-share cases\n", cells);
  RecordProperty("partner_action_cases", cells);
}

// The invariants over every Action (used by an RPC or not) × every caller, on Jo's record, on
// the same record moved to another clinic, and without a record.
TEST(AuthorizationMatrixTest, InvariantsHoldForEveryActionAndCaller) {
  ClientAccessFacts jo_elsewhere = JoRecord();
  jo_elsewhere.clinic_id = "clinic-c";
  std::vector<Caller> callers = Callers();
  for (const Caller& partner : PartnerCallers()) {
    callers.push_back(partner);
  }
  int cells = 0;
  for (Action action : kAllActions) {
    for (const Caller& caller : callers) {
      const std::string where = std::string(ActionName(action)) + " × " +
                                std::string(caller.column) + " (" +
                                std::string(caller.description) + ")";
      if (IsClinicLevel(action)) {
        CheckInvariants(caller, action, nullptr,
                        Decide(caller.who, action, nullptr, caller.relation), where);
        ++cells;
        continue;
      }
      const Decision on_jo = Decide(caller.who, action, &JoRecord(), caller.relation);
      CheckInvariants(caller, action, &JoRecord(), on_jo, where);
      const Decision elsewhere = Decide(caller.who, action, &jo_elsewhere, caller.relation);
      CheckInvariants(caller, action, &jo_elsewhere, elsewhere, where + ", record elsewhere");
      // No existence leak: another clinic's record is answered exactly as no record at all.
      const Decision nothing = Decide(caller.who, action, nullptr, caller.relation);
      EXPECT_EQ(Code(elsewhere), Code(nothing)) << where << ": another clinic's record";
      // A hidden record is answered as a missing one, never as a refusal that admits it exists.
      if (on_jo == Decision::kNotFound) {
        EXPECT_EQ(Code(nothing), 'N') << where;
      }
      cells += 3;
    }
  }
  std::printf("authorization matrix: %d invariant sweep cases (%zu actions × %zu callers)\n", cells,
              std::size(kAllActions), callers.size());
  RecordProperty("invariant_sweep_cases", cells);
}

}  // namespace
}  // namespace confide
