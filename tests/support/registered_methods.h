#pragma once

// The real method table for unit tests: every service registered as confide-server registers it
// (apps/confide_server.cc), with fakes for the collaborators. Tests that must cover every RPC
// walk it (the access report's wording, the audit coverage).

#include <string>

#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "adapters/crypto/openssl_message_authenticator.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "services/api/method_table.h"
#include "services/assessments/assessment_service.h"
#include "services/audit/audit_service.h"
#include "services/auth/account_service.h"
#include "services/auth/auth_service.h"
#include "services/auth/password_checker.h"
#include "services/break_glass/break_glass_service.h"
#include "services/care_team/care_team_service.h"
#include "services/clients/client_service.h"
#include "services/consents/consent_service.h"
#include "services/exercises/exercise_service.h"
#include "services/intake/intake_service.h"
#include "services/journal/journal_service.h"
#include "services/notes/note_service.h"
#include "services/partners/portal_access_service.h"
#include "services/plans/milestone_service.h"
#include "services/plans/plan_service.h"
#include "services/programmes/practice_service.h"
#include "services/programmes/programme_service.h"
#include "services/progress/progress_service.h"
#include "services/records/client_data_erasure_service.h"
#include "services/records/record_export_service.h"
#include "services/staff/staff_service.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/fake_password_hasher.h"
#include "tests/fakes/fake_secret_generator.h"

namespace confide {

class RegisteredMethodTable {
 public:
  RegisteredMethodTable()
      : passwords_(hasher_, secrets_),
        box_(std::string(32, 'k')),
        clients_(ids_),
        auth_(passwords_, secrets_, ids_, box_, mac_, SessionPolicy{}, LockoutPolicy{}),
        accounts_(passwords_, secrets_, ids_, box_, mac_),
        staff_(secrets_, ids_, box_),
        portal_access_(secrets_, ids_, box_),
        break_glass_(ids_, box_),
        consents_(ids_),
        client_data_(box_, secrets_, clock_),
        intake_(client_data_),
        plans_(client_data_, ids_),
        milestones_(client_data_, ids_),
        assessments_(ids_, client_data_),
        notes_(client_data_, ids_, secrets_),
        record_export_(client_data_, secrets_),
        progress_(client_data_),
        journal_(client_data_, ids_),
        exercises_(ids_),
        practice_(client_data_, ids_),
        programmes_(client_data_, ids_),
        audit_(box_, sha256_) {
    clients_.Register(table_);
    auth_.Register(table_);
    accounts_.Register(table_);
    staff_.Register(table_);
    care_teams_.Register(table_);
    portal_access_.Register(table_);
    break_glass_.Register(table_);
    consents_.Register(table_);
    intake_.Register(table_);
    plans_.Register(table_);
    milestones_.Register(table_);
    assessments_.Register(table_);
    notes_.Register(table_);
    record_export_.Register(table_);
    erasure_.Register(table_);
    progress_.Register(table_);
    journal_.Register(table_);
    exercises_.Register(table_);
    practice_.Register(table_);
    programmes_.Register(table_);
    audit_.Register(table_);
  }

  const MethodTable& table() const { return table_; }

 private:
  FakeIdGenerator ids_;
  FakePasswordHasher hasher_;
  FakeSecretGenerator secrets_;
  PasswordChecker passwords_;
  AesGcmSecretBox box_;
  OpenSslMessageAuthenticator mac_;
  ClientService clients_;
  AuthService auth_;
  AccountService accounts_;
  StaffService staff_;
  CareTeamService care_teams_;
  PortalAccessService portal_access_;
  BreakGlassService break_glass_;
  ConsentService consents_;
  FakeClock clock_{absl::FromUnixSeconds(1700000000)};
  EnvelopeClientDataCipher client_data_;
  IntakeService intake_;
  PlanService plans_;
  MilestoneService milestones_;
  AssessmentService assessments_;
  NoteService notes_;
  RecordExportService record_export_;
  ClientDataErasureService erasure_;
  ProgressService progress_;
  JournalService journal_;
  ExerciseService exercises_;
  PracticeService practice_;
  ProgrammeService programmes_;
  OpenSslSha256Hasher sha256_;
  AuditService audit_;
  MethodTable table_;
};

}  // namespace confide
