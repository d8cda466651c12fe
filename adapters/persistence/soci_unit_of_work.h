#pragma once

#include <vector>

#include "adapters/persistence/soci_assessment_repository.h"
#include "adapters/persistence/soci_audit_log.h"
#include "adapters/persistence/soci_audit_signing_key_repository.h"
#include "adapters/persistence/soci_audit_trail_repository.h"
#include "adapters/persistence/soci_break_glass_repository.h"
#include "adapters/persistence/soci_care_team_repository.h"
#include "adapters/persistence/soci_client_data_key_repository.h"
#include "adapters/persistence/soci_client_repository.h"
#include "adapters/persistence/soci_clinic_repository.h"
#include "adapters/persistence/soci_consent_repository.h"
#include "adapters/persistence/soci_exercise_repository.h"
#include "adapters/persistence/soci_intake_repository.h"
#include "adapters/persistence/soci_journal_repository.h"
#include "adapters/persistence/soci_master_sealed_value_repository.h"
#include "adapters/persistence/soci_milestone_repository.h"
#include "adapters/persistence/soci_note_repository.h"
#include "adapters/persistence/soci_one_time_token_repository.h"
#include "adapters/persistence/soci_outbox.h"
#include "adapters/persistence/soci_partner_link_repository.h"
#include "adapters/persistence/soci_plan_repository.h"
#include "adapters/persistence/soci_practice_log_repository.h"
#include "adapters/persistence/soci_programme_repository.h"
#include "adapters/persistence/soci_progression_suggestion_repository.h"
#include "adapters/persistence/soci_session_repository.h"
#include "adapters/persistence/soci_sign_in_throttle_repository.h"
#include "adapters/persistence/soci_user_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide::persistence {

// Keeps audit events in memory instead of writing them: a read transaction on a read-only
// SQLite connection hands them to the writer afterwards (DESIGN.md: a read's audit event rides
// the writer's group commit).
class BufferedAuditLog final : public AuditLog {
 public:
  absl::Status Append(const AuditEvent& event) override {
    events_.push_back(event);
    return absl::OkStatus();
  }
  const std::vector<AuditEvent>& events() const { return events_; }

 private:
  std::vector<AuditEvent> events_;
};

// The repositories of one transaction on one soci session. The transaction itself (BEGIN,
// COMMIT) belongs to the runner that made this unit.
class SociUnitOfWork final : public UnitOfWork {
 public:
  // Audit events go to `audit` when given, else straight into the session's transaction.
  explicit SociUnitOfWork(soci::session& sql, AuditLog* audit = nullptr);

  ClinicRepository& clinics() override { return clinics_; }
  ClientRepository& clients() override { return clients_; }
  ConsentRepository& consents() override { return consents_; }
  UserRepository& users() override { return users_; }
  SessionRepository& sessions() override { return sessions_; }
  SignInThrottleRepository& sign_in_throttle() override { return sign_in_throttle_; }
  OneTimeTokenRepository& one_time_tokens() override { return one_time_tokens_; }
  CareTeamRepository& care_teams() override { return care_teams_; }
  PartnerLinkRepository& partner_links() override { return partner_links_; }
  BreakGlassRepository& break_glass() override { return break_glass_; }
  Outbox& outbox() override { return outbox_; }
  ClientDataKeyRepository& client_data_keys() override { return client_data_keys_; }
  IntakeRepository& intakes() override { return intakes_; }
  PlanRepository& plans() override { return plans_; }
  MilestoneRepository& milestones() override { return milestones_; }
  AssessmentRepository& assessments() override { return assessments_; }
  MasterSealedValueRepository& master_sealed_values() override { return master_sealed_values_; }
  NoteRepository& notes() override { return notes_; }
  ExerciseRepository& exercises() override { return exercises_; }
  ProgrammeRepository& programmes() override { return programmes_; }
  PracticeLogRepository& practice_logs() override { return practice_logs_; }
  ProgressionSuggestionRepository& progression_suggestions() override {
    return progression_suggestions_;
  }
  JournalRepository& journal() override { return journal_; }
  AuditTrailRepository& audit_trail() override { return audit_trail_; }
  AuditSigningKeyRepository& audit_signing_keys() override { return audit_signing_keys_; }
  AuditLog& audit() override { return audit_ != nullptr ? *audit_ : direct_audit_; }
  absl::Status Atomically(absl::FunctionRef<absl::Status()> work) override;

 private:
  soci::session& sql_;
  SociClinicRepository clinics_;
  SociClientRepository clients_;
  SociConsentRepository consents_;
  SociUserRepository users_;
  SociSessionRepository sessions_;
  SociSignInThrottleRepository sign_in_throttle_;
  SociOneTimeTokenRepository one_time_tokens_;
  SociCareTeamRepository care_teams_;
  SociPartnerLinkRepository partner_links_;
  SociBreakGlassRepository break_glass_;
  SociOutbox outbox_;
  SociClientDataKeyRepository client_data_keys_;
  SociIntakeRepository intakes_;
  SociPlanRepository plans_;
  SociMilestoneRepository milestones_;
  SociAssessmentRepository assessments_;
  SociMasterSealedValueRepository master_sealed_values_;
  SociNoteRepository notes_;
  SociExerciseRepository exercises_;
  SociProgrammeRepository programmes_;
  SociPracticeLogRepository practice_logs_;
  SociProgressionSuggestionRepository progression_suggestions_;
  SociJournalRepository journal_;
  SociAuditTrailRepository audit_trail_;
  SociAuditSigningKeyRepository audit_signing_keys_;
  SociAuditLog direct_audit_;
  AuditLog* audit_;
  int savepoints_ = 0;
};

}  // namespace confide::persistence
