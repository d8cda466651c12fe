#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace confide {

class AssessmentRepository;
class AuditLog;
class AuditSigningKeyRepository;
class AuditTrailRepository;
class BreakGlassRepository;
class CareTeamRepository;
class ClientDataKeyRepository;
class ClientRepository;
class ClinicRepository;
class ConsentRepository;
class ExerciseRepository;
class IntakeRepository;
class JournalRepository;
class MasterSealedValueRepository;
class MilestoneRepository;
class NoteRepository;
class OneTimeTokenRepository;
class Outbox;
class PartnerLinkRepository;
class PlanRepository;
class PracticeLogRepository;
class ProgrammeRepository;
class ProgressionSuggestionRepository;
class SessionRepository;
class SignInThrottleRepository;
class UserRepository;

// The repositories of one transaction. Everything done through one UnitOfWork commits or rolls
// back together, which is how an audit event commits with the work it describes.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  virtual ClinicRepository& clinics() = 0;
  virtual ClientRepository& clients() = 0;
  virtual UserRepository& users() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual SignInThrottleRepository& sign_in_throttle() = 0;
  virtual OneTimeTokenRepository& one_time_tokens() = 0;
  virtual CareTeamRepository& care_teams() = 0;
  virtual PartnerLinkRepository& partner_links() = 0;
  virtual BreakGlassRepository& break_glass() = 0;
  virtual Outbox& outbox() = 0;
  virtual ClientDataKeyRepository& client_data_keys() = 0;
  virtual IntakeRepository& intakes() = 0;
  virtual ConsentRepository& consents() = 0;
  virtual PlanRepository& plans() = 0;
  virtual MilestoneRepository& milestones() = 0;
  virtual AssessmentRepository& assessments() = 0;
  // The values sealed by the master key, for a master-key rotation.
  virtual MasterSealedValueRepository& master_sealed_values() = 0;
  virtual NoteRepository& notes() = 0;
  virtual ExerciseRepository& exercises() = 0;
  virtual ProgrammeRepository& programmes() = 0;
  virtual PracticeLogRepository& practice_logs() = 0;
  virtual ProgressionSuggestionRepository& progression_suggestions() = 0;
  virtual JournalRepository& journal() = 0;
  virtual AuditLog& audit() = 0;
  virtual AuditTrailRepository& audit_trail() = 0;
  virtual AuditSigningKeyRepository& audit_signing_keys() = 0;
  // Runs `work` inside a savepoint: when it returns an error its writes are undone and the
  // transaction goes on (so a refused request can still record its audit event). Returns
  // work's status.
  virtual absl::Status Atomically(absl::FunctionRef<absl::Status()> work) = 0;
};

enum class TransactionMode {
  // Reads clinical data; may still append audit events.
  kRead,
  kWrite,
};

// Runs units of work against the database.
class TransactionRunner {
 public:
  virtual ~TransactionRunner() = default;
  // Runs `work` in one transaction and returns once it is durable. Commits when work returns
  // OK, rolls back otherwise and returns work's status. Storage failures come back as
  // UNAVAILABLE (retry may help) or INTERNAL.
  virtual absl::Status Run(TransactionMode mode,
                           absl::FunctionRef<absl::Status(UnitOfWork&)> work) = 0;
};

}  // namespace confide
