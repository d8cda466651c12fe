#include "services/audit/access_wording.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace confide {
namespace {

constexpr v1::RecordAccessKind kViewed = v1::RECORD_ACCESS_KIND_VIEWED;
constexpr v1::RecordAccessKind kChanged = v1::RECORD_ACCESS_KIND_CHANGED;
constexpr v1::RecordAccessKind kExported = v1::RECORD_ACCESS_KIND_EXPORTED;
constexpr v1::RecordAccessKind kErased = v1::RECORD_ACCESS_KIND_ERASED;
constexpr v1::RecordAccessKind kBreakGlass = v1::RECORD_ACCESS_KIND_BREAK_GLASS;

// Every RPC, worded as the patient reads it ("your"): the report lists accesses to her record,
// and clinic-level RPCs get wording too so that an event naming a client always reads well.
const std::map<std::string_view, AccessWording, std::less<>>& Wordings() {
  static const auto* wordings = new std::map<std::string_view, AccessWording, std::less<>>{
      // Clinic and staff.
      {"confide.v1.ClinicService.GetMyClinic",
       {kViewed, "viewed the clinic's details", "view the clinic's details"}},
      {"confide.v1.StaffService.InviteStaff",
       {kChanged, "invited a staff member", "invite a staff member"}},
      {"confide.v1.StaffService.ListStaff",
       {kViewed, "viewed the clinic's staff list", "view the clinic's staff list"}},
      {"confide.v1.StaffService.DeactivateStaff",
       {kChanged, "deactivated a staff account", "deactivate a staff account"}},
      {"confide.v1.StaffService.ReactivateStaff",
       {kChanged, "reactivated a staff account", "reactivate a staff account"}},
      {"confide.v1.StaffService.CreateServiceAccount",
       {kChanged, "created a system account", "create a system account"}},
      {"confide.v1.StaffService.IssueStaffPasswordReset",
       {kChanged, "reset a staff member's password", "reset a staff member's password"}},
      // Care team, portal and partners.
      {"confide.v1.CareTeamService.ListCareTeam",
       {kViewed, "viewed your care team", "view your care team"}},
      {"confide.v1.CareTeamService.AddCareTeamMember",
       {kChanged, "added someone to your care team", "add someone to your care team"}},
      {"confide.v1.CareTeamService.RemoveCareTeamMember",
       {kChanged, "removed someone from your care team", "remove someone from your care team"}},
      {"confide.v1.CareTeamService.SetPrimaryClinician",
       {kChanged, "changed your main clinician", "change your main clinician"}},
      {"confide.v1.PortalAccessService.InviteClientToPortal",
       {kChanged, "invited you to the patient portal", "invite you to the patient portal"}},
      {"confide.v1.PortalAccessService.InvitePartner",
       {kChanged, "invited your partner to the portal", "invite your partner to the portal"}},
      {"confide.v1.PortalAccessService.ListPartners",
       {kViewed, "viewed your partner links", "view your partner links"}},
      {"confide.v1.PortalAccessService.UpdatePartnerShares",
       {kChanged, "changed what your partner can see", "change what your partner can see"}},
      {"confide.v1.PortalAccessService.RevokePartner",
       {kChanged, "ended your partner's access", "end your partner's access"}},
      {"confide.v1.PortalAccessService.GetPartnerView",
       {kViewed, "viewed what you share with your partner",
        "view what you share with your partner"}},
      {"confide.v1.BreakGlassService.BreakGlass",
       {kBreakGlass, "opened emergency access to your record",
        "open emergency access to your record"}},
      {"confide.v1.BreakGlassService.ListBreakGlassGrants",
       {kViewed, "reviewed emergency access to records", "review emergency access to records"}},
      // Assessments.
      {"confide.v1.AssessmentService.ListInstruments",
       {kViewed, "viewed the list of questionnaires", "view the list of questionnaires"}},
      {"confide.v1.AssessmentService.GetInstrument",
       {kViewed, "viewed a questionnaire", "view a questionnaire"}},
      {"confide.v1.AssessmentService.SubmitAssessment",
       {kChanged, "recorded a questionnaire result for you",
        "record a questionnaire result for you"}},
      {"confide.v1.AssessmentService.GetAssessment",
       {kViewed, "viewed one of your questionnaire results",
        "view one of your questionnaire results"}},
      {"confide.v1.AssessmentService.ListAssessments",
       {kViewed, "viewed your questionnaire results", "view your questionnaire results"}},
      // Audit.
      {"confide.v1.AuditService.ListAuditEvents",
       {kViewed, "reviewed the clinic's audit trail", "review the clinic's audit trail"}},
      {"confide.v1.AuditService.ExportAuditEvents",
       {kExported, "exported the clinic's audit trail", "export the clinic's audit trail"}},
      {"confide.v1.AuditService.GetAuditCheckpoint",
       {kViewed, "viewed the audit trail's checkpoint", "view the audit trail's checkpoint"}},
      {"confide.v1.AuditService.ListAuditKeys",
       {kViewed, "viewed the audit trail's keys", "view the audit trail's keys"}},
      {"confide.v1.AuditService.ListRecordAccess",
       {kViewed, "viewed who has accessed your record", "view who has accessed your record"}},
      // Accounts and sign-in.
      {"confide.v1.AuthService.Login", {kViewed, "signed in", "sign in"}},
      {"confide.v1.AuthService.Logout", {kViewed, "signed out", "sign out"}},
      {"confide.v1.AuthService.GetCurrentUser",
       {kViewed, "viewed their own account", "view their own account"}},
      {"confide.v1.AuthService.ListMySessions",
       {kViewed, "viewed their own sign-ins", "view their own sign-ins"}},
      {"confide.v1.AuthService.RevokeMySession",
       {kChanged, "signed out one of their own sessions", "sign out one of their own sessions"}},
      {"confide.v1.AuthService.ChangePassword",
       {kChanged, "changed their own password", "change their own password"}},
      {"confide.v1.AuthService.RequestPasswordReset",
       {kChanged, "asked for a password reset", "ask for a password reset"}},
      {"confide.v1.AuthService.ResetPassword",
       {kChanged, "reset their password", "reset their password"}},
      {"confide.v1.AuthService.AcceptInvitation",
       {kChanged, "accepted an invitation to the portal", "accept an invitation to the portal"}},
      {"confide.v1.AuthService.BeginTotpEnrollment",
       {kChanged, "started setting up two-step sign-in", "set up two-step sign-in"}},
      {"confide.v1.AuthService.ConfirmTotpEnrollment",
       {kChanged, "set up two-step sign-in", "set up two-step sign-in"}},
      // Client record.
      {"confide.v1.ClientService.CreateClient",
       {kChanged, "created your record", "create your record"}},
      {"confide.v1.ClientService.GetClient",
       {kViewed, "viewed your personal details", "view your personal details"}},
      {"confide.v1.ClientService.ListClients",
       {kViewed, "viewed the clinic's client list", "view the clinic's client list"}},
      {"confide.v1.ClientService.UpdateClient",
       {kChanged, "changed your personal details", "change your personal details"}},
      {"confide.v1.ClientService.ArchiveClient",
       {kChanged, "archived your record", "archive your record"}},
      // Consents.
      {"confide.v1.ConsentService.RecordConsent",
       {kChanged, "recorded a consent of yours", "record a consent of yours"}},
      {"confide.v1.ConsentService.WithdrawConsent",
       {kChanged, "recorded that you withdrew a consent", "record that you withdrew a consent"}},
      {"confide.v1.ConsentService.ListConsents",
       {kViewed, "viewed your consents", "view your consents"}},
      // Exercise library.
      {"confide.v1.ExerciseService.CreateExercise",
       {kChanged, "added an exercise to the clinic's library",
        "add an exercise to the clinic's library"}},
      {"confide.v1.ExerciseService.GetExercise",
       {kViewed, "viewed an exercise", "view an exercise"}},
      {"confide.v1.ExerciseService.ListExercises",
       {kViewed, "viewed the exercise library", "view the exercise library"}},
      {"confide.v1.ExerciseService.UpdateExercise",
       {kChanged, "changed an exercise in the clinic's library",
        "change an exercise in the clinic's library"}},
      // Intake.
      {"confide.v1.IntakeService.GetIntake",
       {kViewed, "viewed your intake form", "view your intake form"}},
      {"confide.v1.IntakeService.UpdateIntake",
       {kChanged, "changed your intake form", "change your intake form"}},
      {"confide.v1.IntakeService.SubmitIntake",
       {kChanged, "submitted your intake form", "submit your intake form"}},
      {"confide.v1.IntakeService.ReviewIntake",
       {kChanged, "reviewed your intake form", "review your intake form"}},
      // Journal.
      {"confide.v1.JournalService.CreateJournalEntry",
       {kChanged, "added a journal entry", "add a journal entry"}},
      {"confide.v1.JournalService.GetJournalEntry",
       {kViewed, "viewed one of your journal entries", "view one of your journal entries"}},
      {"confide.v1.JournalService.ListJournalEntries",
       {kViewed, "viewed your journal", "view your journal"}},
      {"confide.v1.JournalService.UpdateJournalEntry",
       {kChanged, "changed a journal entry", "change a journal entry"}},
      {"confide.v1.JournalService.DeleteJournalEntry",
       {kChanged, "deleted a journal entry", "delete a journal entry"}},
      // Notes.
      {"confide.v1.NoteService.CreateNote",
       {kChanged, "wrote a note in your record", "write a note in your record"}},
      {"confide.v1.NoteService.GetNote",
       {kViewed, "viewed a note in your record", "view a note in your record"}},
      {"confide.v1.NoteService.ListNotes",
       {kViewed, "viewed the notes in your record", "view the notes in your record"}},
      {"confide.v1.NoteService.UpdateNote",
       {kChanged, "edited a note in your record", "edit a note in your record"}},
      {"confide.v1.NoteService.SignNote",
       {kChanged, "signed a note in your record", "sign a note in your record"}},
      {"confide.v1.NoteService.CosignNote",
       {kChanged, "co-signed a note in your record", "co-sign a note in your record"}},
      {"confide.v1.NoteService.DiscardNote",
       {kChanged, "discarded a draft note in your record", "discard a draft note in your record"}},
      {"confide.v1.NoteService.AddAddendum",
       {kChanged, "added to a note in your record", "add to a note in your record"}},
      {"confide.v1.NoteService.SharePsychotherapyNote",
       {kChanged, "shared a therapy note with a colleague",
        "share a therapy note with a colleague"}},
      {"confide.v1.NoteService.ListSessionSummaries",
       {kViewed, "viewed your session summaries", "view your session summaries"}},
      // Plans.
      {"confide.v1.PlanService.CreatePlan",
       {kChanged, "created your treatment plan", "create your treatment plan"}},
      {"confide.v1.PlanService.GetPlan",
       {kViewed, "viewed your treatment plan", "view your treatment plan"}},
      {"confide.v1.PlanService.ListPlans",
       {kViewed, "viewed your treatment plans", "view your treatment plans"}},
      {"confide.v1.PlanService.ListPlanVersions",
       {kViewed, "viewed earlier versions of your treatment plan",
        "view earlier versions of your treatment plan"}},
      {"confide.v1.PlanService.UpdatePlan",
       {kChanged, "changed your treatment plan", "change your treatment plan"}},
      {"confide.v1.PlanService.SharePlanVersion",
       {kChanged, "shared your treatment plan with you", "share your treatment plan with you"}},
      {"confide.v1.PlanService.ListSharedPlans",
       {kViewed, "viewed the plan summary shared with you",
        "view the plan summary shared with you"}},
      {"confide.v1.PlanService.RecordMilestone",
       {kChanged, "recorded a milestone of yours", "record a milestone of yours"}},
      {"confide.v1.PlanService.ListMilestones",
       {kViewed, "viewed your milestones", "view your milestones"}},
      // Home programmes.
      {"confide.v1.ProgrammeService.CreateProgramme",
       {kChanged, "created a home programme for you", "create a home programme for you"}},
      {"confide.v1.ProgrammeService.GetProgramme",
       {kViewed, "viewed your home programme", "view your home programme"}},
      {"confide.v1.ProgrammeService.ListProgrammes",
       {kViewed, "viewed your home programmes", "view your home programmes"}},
      {"confide.v1.ProgrammeService.ListProgrammeVersions",
       {kViewed, "viewed earlier versions of your home programme",
        "view earlier versions of your home programme"}},
      {"confide.v1.ProgrammeService.UpdateProgramme",
       {kChanged, "changed your home programme", "change your home programme"}},
      {"confide.v1.ProgrammeService.ActivateProgramme",
       {kChanged, "started your home programme", "start your home programme"}},
      {"confide.v1.ProgrammeService.PauseProgramme",
       {kChanged, "paused your home programme", "pause your home programme"}},
      {"confide.v1.ProgrammeService.EndProgramme",
       {kChanged, "ended your home programme", "end your home programme"}},
      {"confide.v1.ProgrammeService.LogPractice",
       {kChanged, "logged a practice session", "log a practice session"}},
      {"confide.v1.ProgrammeService.ListPracticeLogs",
       {kViewed, "viewed your practice log", "view your practice log"}},
      {"confide.v1.ProgrammeService.ListProgressionSuggestions",
       {kViewed, "viewed suggestions to progress your programme",
        "view suggestions to progress your programme"}},
      {"confide.v1.ProgrammeService.AcceptProgressionSuggestion",
       {kChanged, "accepted a change to your programme", "accept a change to your programme"}},
      {"confide.v1.ProgrammeService.DeclineProgressionSuggestion",
       {kChanged, "declined a change to your programme", "decline a change to your programme"}},
      // Progress.
      {"confide.v1.ProgressService.GetProgress",
       {kViewed, "viewed your progress", "view your progress"}},
      {"confide.v1.ProgressService.ListDueItems",
       {kViewed, "viewed what is due for you today", "view what is due for you today"}},
      {"confide.v1.ProgressService.ListCaseload",
       {kViewed, "viewed their list of clients", "view their list of clients"}},
      // The whole record.
      {"confide.v1.RecordService.ExportClientRecord",
       {kExported, "exported a copy of your record", "export a copy of your record"}},
      {"confide.v1.RecordService.EraseClientData",
       {kErased, "erased your clinical data", "erase your clinical data"}},
  };
  return *wordings;
}

}  // namespace

std::optional<AccessWording> WordingForAction(std::string_view action) {
  auto found = Wordings().find(action);
  if (found == Wordings().end()) {
    return std::nullopt;
  }
  return found->second;
}

std::string DescribeAccess(std::string_view action, bool refused) {
  std::optional<AccessWording> wording = WordingForAction(action);
  if (refused) {
    return absl::StrCat(
        "tried to ",
        std::string(wording ? wording->attempted : std::string_view("access your record")),
        " and was refused");
  }
  return std::string(wording ? wording->done : std::string_view("accessed your record"));
}

}  // namespace confide
