#include "services/policy/access_policy.h"

#include <algorithm>

#include "confide/v1/access.pb.h"

namespace confide {
namespace {

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
    case Action::kReadPracticeLog:
      return true;
    default:
      return false;
  }
}

// The share a partner needs for a content kind; UNSPECIFIED when no share allows it.
v1::PartnerShare ShareFor(Action action) {
  switch (action) {
    case Action::kReadPlanSummary:
      return v1::PARTNER_SHARE_PLAN_SUMMARY;
    case Action::kReadGoals:
      return v1::PARTNER_SHARE_GOALS;
    case Action::kReadProgrammeSchedule:
      return v1::PARTNER_SHARE_PROGRAMME_SCHEDULE;
    case Action::kReadProgressSummary:
      return v1::PARTNER_SHARE_PROGRESS_SUMMARY;
    case Action::kReadAssessments:
      return v1::PARTNER_SHARE_ASSESSMENTS;
    case Action::kReadJournal:
      return v1::PARTNER_SHARE_JOURNAL;
    default:
      return v1::PARTNER_SHARE_UNSPECIFIED;
  }
}

Decision Allowed(bool allowed) { return allowed ? Decision::kAllow : Decision::kPermissionDenied; }

Decision DecideClinicLevel(const Principal& who, Action action) {
  if (action == Action::kReadClinic) {
    return Decision::kAllow;
  }
  switch (who.role) {
    case v1::ROLE_ADMIN:
      return Allowed(
          action == Action::kCreateClient || action == Action::kListClients ||
          action == Action::kListStaff || action == Action::kManageStaff ||
          action == Action::kListBreakGlassGrants || action == Action::kReadAuditCheckpoint ||
          action == Action::kReadExerciseLibrary || action == Action::kManageExerciseLibrary);
    case v1::ROLE_CLINICIAN:
      return Allowed(action == Action::kCreateClient || action == Action::kListClients ||
                     action == Action::kListStaff || action == Action::kReadExerciseLibrary ||
                     action == Action::kManageExerciseLibrary || action == Action::kReadCaseload);
    case v1::ROLE_AUDITOR:
      return Allowed(action == Action::kQueryAudit || action == Action::kExportAudit ||
                     action == Action::kReadAuditCheckpoint ||
                     action == Action::kListBreakGlassGrants);
    case v1::ROLE_PATIENT:
      // A patient's list is just her own record.
      return Allowed(action == Action::kListClients);
    case v1::ROLE_SERVICE:
      return Allowed(action == Action::kCreateClient || action == Action::kListClients);
    default:
      return Decision::kPermissionDenied;
  }
}

Decision DecideForClinician(const Principal& who, Action action, const ClientAccessFacts& client,
                            const CallerRelation& relation) {
  const bool on_team = IsOnCareTeam(who, client);
  if (action == Action::kBreakGlass) {
    // Break-glass exists for clients one does not treat; the care team already has access.
    return on_team ? Decision::kPermissionDenied : Decision::kAllow;
  }
  if (!on_team && !relation.break_glass_live) {
    return Decision::kNotFound;
  }
  switch (action) {
    case Action::kManagePartners:
    case Action::kReadPartnerView:
      // The patient's own business.
      return Decision::kPermissionDenied;
    case Action::kReadAccessReport:
      // Her treating clinicians may answer her questions about who looked; emergency access is
      // for care, not for reading who else looked.
    case Action::kManageCareTeam:
    case Action::kInviteToPortal:
    case Action::kArchiveClient:
    case Action::kRecordConsent:
    case Action::kExportRecord:
      // Emergency access is for care, not for changing who treats the client, closing her
      // record, changing what she agreed to (recording or withdrawing a consent) or carrying her
      // whole record away (export); reading her consents stays allowed.
      return Allowed(on_team);
    case Action::kEraseClientData:
    case Action::kLogPractice:
    case Action::kWriteJournal:
      // Her practice log and journal are in her own words, written by her alone.
      return Decision::kPermissionDenied;
    default:
      return Decision::kAllow;
  }
}

Decision DecideForAdmin(const Principal& who, Action action, const ClientAccessFacts& client) {
  if (action == Action::kEraseClientData) {
    return Decision::kAllow;
  }
  if (action == Action::kExportRecord) {
    // A record leaves the clinic on a treating clinician's judgement, not an administrator's.
    return Decision::kPermissionDenied;
  }
  if (IsClinicalContent(action)) {
    return Allowed(IsOnCareTeam(who, client));
  }
  return Allowed(action == Action::kReadClient || action == Action::kArchiveClient ||
                 action == Action::kReadCareTeam || action == Action::kManageCareTeam);
}

Decision DecideForPatient(const Principal& who, Action action, const ClientAccessFacts& client) {
  if (who.client_id != client.client_id) {
    return Decision::kNotFound;
  }
  switch (action) {
    case Action::kReadClient:
    case Action::kReadCareTeam:
    case Action::kManagePartners:
    case Action::kReadAccessReport:
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
    case Action::kReadSessionSummaries:
    case Action::kLogPractice:
    case Action::kWriteJournal:
    case Action::kReadPracticeLog:
      return Decision::kAllow;
    default:
      return Decision::kPermissionDenied;
  }
}

Decision DecideForPartner(const Principal& who, Action action, const ClientAccessFacts& client,
                          const CallerRelation& relation) {
  if (who.client_id != client.client_id || !relation.partner_shares.has_value()) {
    return Decision::kNotFound;
  }
  if (action == Action::kReadPartnerView) {
    return Decision::kAllow;
  }
  const v1::PartnerShare share = ShareFor(action);
  return Allowed(share != v1::PARTNER_SHARE_UNSPECIFIED &&
                 (*relation.partner_shares & ShareBit(share)) != 0);
}

}  // namespace

bool IsOnCareTeam(const Principal& who, const ClientAccessFacts& client) {
  return std::find(client.care_team_user_ids.begin(), client.care_team_user_ids.end(),
                   who.user_id) != client.care_team_user_ids.end();
}

bool ServedByBreakGlass(const Principal& who, const ClientAccessFacts& client,
                        const CallerRelation& relation) {
  return who.role == v1::ROLE_CLINICIAN && relation.break_glass_live && !IsOnCareTeam(who, client);
}

bool IsClinicLevel(Action action) {
  switch (action) {
    case Action::kReadClinic:
    case Action::kCreateClient:
    case Action::kListClients:
    case Action::kListStaff:
    case Action::kManageStaff:
    case Action::kListBreakGlassGrants:
    case Action::kQueryAudit:
    case Action::kExportAudit:
    case Action::kReadAuditCheckpoint:
    case Action::kReadExerciseLibrary:
    case Action::kManageExerciseLibrary:
    case Action::kReadCaseload:
      return true;
    default:
      return false;
  }
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kReadClinic:
      return "kReadClinic";
    case Action::kCreateClient:
      return "kCreateClient";
    case Action::kListClients:
      return "kListClients";
    case Action::kListStaff:
      return "kListStaff";
    case Action::kManageStaff:
      return "kManageStaff";
    case Action::kListBreakGlassGrants:
      return "kListBreakGlassGrants";
    case Action::kQueryAudit:
      return "kQueryAudit";
    case Action::kExportAudit:
      return "kExportAudit";
    case Action::kReadAuditCheckpoint:
      return "kReadAuditCheckpoint";
    case Action::kReadClient:
      return "kReadClient";
    case Action::kUpdateClient:
      return "kUpdateClient";
    case Action::kArchiveClient:
      return "kArchiveClient";
    case Action::kReadCareTeam:
      return "kReadCareTeam";
    case Action::kManageCareTeam:
      return "kManageCareTeam";
    case Action::kInviteToPortal:
      return "kInviteToPortal";
    case Action::kManagePartners:
      return "kManagePartners";
    case Action::kReadPartnerView:
      return "kReadPartnerView";
    case Action::kBreakGlass:
      return "kBreakGlass";
    case Action::kReadAccessReport:
      return "kReadAccessReport";
    case Action::kReadPlanSummary:
      return "kReadPlanSummary";
    case Action::kReadGoals:
      return "kReadGoals";
    case Action::kReadProgrammeSchedule:
      return "kReadProgrammeSchedule";
    case Action::kReadProgressSummary:
      return "kReadProgressSummary";
    case Action::kReadAssessments:
      return "kReadAssessments";
    case Action::kReadJournal:
      return "kReadJournal";
    case Action::kReadIntake:
      return "kReadIntake";
    case Action::kWriteIntake:
      return "kWriteIntake";
    case Action::kReadConsents:
      return "kReadConsents";
    case Action::kRecordConsent:
      return "kRecordConsent";
    case Action::kCompleteAssessment:
      return "kCompleteAssessment";
    case Action::kRecordMilestone:
      return "kRecordMilestone";
    case Action::kReadClinicalPlan:
      return "kReadClinicalPlan";
    case Action::kReadNotes:
      return "kReadNotes";
    case Action::kReadSessionSummaries:
      return "kReadSessionSummaries";
    case Action::kExportRecord:
      return "kExportRecord";
    case Action::kEraseClientData:
      return "kEraseClientData";
    case Action::kWriteClinical:
      return "kWriteClinical";
    case Action::kReadExerciseLibrary:
      return "kReadExerciseLibrary";
    case Action::kManageExerciseLibrary:
      return "kManageExerciseLibrary";
    case Action::kReadCaseload:
      return "kReadCaseload";
    case Action::kLogPractice:
      return "kLogPractice";
    case Action::kWriteJournal:
      return "kWriteJournal";
    case Action::kReadPracticeLog:
      return "kReadPracticeLog";
  }
  return "unknown";
}

Decision Decide(const Principal& who, Action action, const ClientAccessFacts* client,
                const CallerRelation& relation) {
  if (who.clinic_id.empty() || who.user_id.empty()) {
    return Decision::kNotFound;
  }
  if (IsStaffRole(who.role) && !who.mfa_verified) {
    // Until the second factor is enrolled and checked, a staff session may only enrol. Decided
    // before tenancy so the answer is the same whether or not a record exists.
    return Decision::kPermissionDenied;
  }
  if (client != nullptr && client->clinic_id != who.clinic_id) {
    return Decision::kNotFound;
  }
  if (client == nullptr) {
    // A record-level action without its record: there is nothing to act on.
    return IsClinicLevel(action) ? DecideClinicLevel(who, action) : Decision::kNotFound;
  }
  switch (who.role) {
    case v1::ROLE_CLINICIAN:
      return DecideForClinician(who, action, *client, relation);
    case v1::ROLE_ADMIN:
      return DecideForAdmin(who, action, *client);
    case v1::ROLE_PATIENT:
      return DecideForPatient(who, action, *client);
    case v1::ROLE_PARTNER:
      return DecideForPartner(who, action, *client, relation);
    case v1::ROLE_SERVICE:
      // Demographics of the clinic's clients (stripped of clinical fields), nothing else.
      return Allowed(action == Action::kReadClient);
    default:
      return Decision::kNotFound;
  }
}

}  // namespace confide
