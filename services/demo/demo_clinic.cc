#include "services/demo/demo_clinic.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "confide/v1/access.pb.h"
#include "services/auth/auth_service.h"
#include "services/auth/ports/user_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/common/base32.h"
#include "services/common/timestamps.h"
#include "services/consents/ports/consent_repository.h"
#include "services/demo/demo_programme.h"
#include "services/exercises/starter_exercises.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/policy/access_policy.h"

namespace confide {
namespace {

struct DemoUser {
  const char* id;
  const char* clinic_id;
  const char* email;
  const char* display_name;
  v1::Role role;
  v1::Discipline discipline;
  const char* client_id;
};

constexpr char kSamId[] = "0190d000-0000-7000-8000-00000000a001";
constexpr char kAlexId[] = "0190d000-0000-7000-8000-00000000a002";
constexpr char kOtherTherapistId[] = "0190d000-0000-7000-8000-00000000a009";
constexpr char kKimId[] = "0190d000-0000-7000-8000-00000000a007";
constexpr char kKimLinkId[] = "0190d000-0000-7000-8000-00000000b001";
constexpr char kDemoConsentTextVersion[] = "2026-01";

struct DemoConsent {
  const char* id;
  const char* clinic_id;
  const char* client_id;
  v1::ConsentKind kind;
  const char* recorded_by;
};

// Consistent with the rest of the demo: Kim's partner link exists, so Jo has consented to
// partner involvement; each client has consented to treatment.
const std::vector<DemoConsent>& DemoConsents() {
  static const std::vector<DemoConsent> kConsents = {
      {"0190d000-0000-7000-8000-00000000d001", kDemoClinicId, kDemoJoClientId,
       v1::CONSENT_KIND_TREATMENT, kSamId},
      {"0190d000-0000-7000-8000-00000000d002", kDemoClinicId, kDemoJoClientId,
       v1::CONSENT_KIND_INTERNAL_EXAMINATION, kSamId},
      {"0190d000-0000-7000-8000-00000000d003", kDemoClinicId, kDemoJoClientId,
       v1::CONSENT_KIND_PARTNER_INVOLVEMENT, kSamId},
      {"0190d000-0000-7000-8000-00000000d004", kDemoClinicId, kDemoRileyClientId,
       v1::CONSENT_KIND_TREATMENT, kSamId},
      {"0190d000-0000-7000-8000-00000000d005", kOtherClinicId, kDemoCaseyClientId,
       v1::CONSENT_KIND_TREATMENT, kOtherTherapistId},
  };
  return kConsents;
}

const std::vector<DemoUser>& DemoUsers() {
  static const std::vector<DemoUser> kUsers = {
      {kSamId, kDemoClinicId, "sam.therapist@demo.confide.test", "Sam Rivers (demo)",
       v1::ROLE_CLINICIAN, v1::DISCIPLINE_SEX_THERAPIST, ""},
      {kAlexId, kDemoClinicId, "alex.physio@demo.confide.test", "Alex Moreau (demo)",
       v1::ROLE_CLINICIAN, v1::DISCIPLINE_PELVIC_PHYSIO, ""},
      {"0190d000-0000-7000-8000-00000000a003", kDemoClinicId, "admin@demo.confide.test",
       "Demo Admin", v1::ROLE_ADMIN, v1::DISCIPLINE_UNSPECIFIED, ""},
      {"0190d000-0000-7000-8000-00000000a004", kDemoClinicId, "auditor@demo.confide.test",
       "Demo Auditor", v1::ROLE_AUDITOR, v1::DISCIPLINE_UNSPECIFIED, ""},
      {"0190d000-0000-7000-8000-00000000a005", kDemoClinicId, "jo.patient@demo.confide.test",
       "Jo (demo)", v1::ROLE_PATIENT, v1::DISCIPLINE_UNSPECIFIED, kDemoJoClientId},
      {"0190d000-0000-7000-8000-00000000a006", kDemoClinicId, "riley.patient@demo.confide.test",
       "Riley (demo)", v1::ROLE_PATIENT, v1::DISCIPLINE_UNSPECIFIED, kDemoRileyClientId},
      {kOtherTherapistId, kOtherClinicId, "other.therapist@demo.confide.test",
       "Other Therapist (demo)", v1::ROLE_CLINICIAN, v1::DISCIPLINE_OTHER, ""},
      {"0190d000-0000-7000-8000-00000000a00a", kOtherClinicId, "casey.patient@demo.confide.test",
       "Casey (demo)", v1::ROLE_PATIENT, v1::DISCIPLINE_UNSPECIFIED, kDemoCaseyClientId},
      {kKimId, kDemoClinicId, "kim.partner@demo.confide.test", "Kim (demo)", v1::ROLE_PARTNER,
       v1::DISCIPLINE_UNSPECIFIED, kDemoJoClientId},
  };
  return kUsers;
}

ClientRecord DemoClient(const char* clinic_id, const char* id, const char* given,
                        const char* family, v1::PresentingConcern concern, v1::ClientStatus status,
                        const std::vector<const char*>& care_team, absl::Time now) {
  ClientRecord record;
  record.clinic_id = clinic_id;
  record.version = 1;
  v1::Client& c = record.client;
  c.set_id(id);
  c.set_legal_given_name(given);
  c.set_legal_family_name(family);
  c.set_preferred_name(given);
  c.set_pronouns("she/her");
  c.set_date_of_birth("1994-05-17");
  c.set_email(absl::AsciiStrToLower(given) + ".patient@demo.confide.test");
  c.set_phone("+44 20 7946 0000");  // Ofcom's range reserved for drama: never a real number
  c.mutable_discreet_contact()->set_no_clinic_name_in_messages(true);
  c.mutable_discreet_contact()->set_preferred_channel(v1::CONTACT_CHANNEL_PORTAL_ONLY);
  c.set_referral_source("Demo GP practice");
  c.set_presenting_concern(concern);
  c.set_status(status);
  *c.mutable_create_time() = ToTimestamp(now);
  *c.mutable_update_time() = ToTimestamp(now);
  for (const char* member : care_team) {
    v1::CareTeamMember* added = c.add_care_team();
    added->set_user_id(member);
    // The first listed clinician leads the care.
    added->set_primary(c.care_team_size() == 1);
  }
  return record;
}

// Fixed ids for the demo clinics' starter exercises, so docs and tests can name them:
// 0190d000-0000-7000-8000-0000e<clinic>00<nnnn> (hex), in starter-set order.
class DemoExerciseIds final : public IdGenerator {
 public:
  explicit DemoExerciseIds(int clinic_number) : clinic_number_(clinic_number) {}
  std::string NewId() override {
    return absl::StrCat("0190d000-0000-7000-8000-0000e", clinic_number_, "00",
                        absl::Hex(++issued_, absl::kZeroPad4));
  }

 private:
  int clinic_number_;
  int issued_ = 0;
};

}  // namespace

absl::StatusOr<DemoLoadResult> LoadDemoClinic(TransactionRunner& transactions,
                                              PasswordHasher& hasher, const SecretBox& box,
                                              ClientDataCipher& cipher, const Clock& clock) {
  absl::StatusOr<std::string> password_hash = hasher.Hash(kDemoPassword);
  if (!password_hash.ok()) {
    return password_hash.status();
  }
  const absl::Time now = clock.Now();
  DemoLoadResult result = DemoLoadResult::kLoaded;
  absl::Status status =
      transactions.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) -> absl::Status {
        absl::StatusOr<int> real = uow.clinics().CountRealClinics();
        if (!real.ok()) {
          return real.status();
        }
        if (*real > 0) {
          return absl::FailedPreconditionError(
              "this database holds real clinics; the demo clinic is only loaded into a database "
              "of its own");
        }
        absl::StatusOr<std::optional<ClinicRecord>> existing = uow.clinics().Find(kDemoClinicId);
        if (!existing.ok()) {
          return existing.status();
        }
        if (existing->has_value()) {
          result = DemoLoadResult::kAlreadyLoaded;
          return absl::OkStatus();
        }
        for (const ClinicRecord& clinic : {ClinicRecord{kDemoClinicId, "Demo Clinic", true},
                                           ClinicRecord{kOtherClinicId, "Other Clinic", true}}) {
          if (absl::Status s = uow.clinics().Insert(clinic, now); !s.ok()) {
            return s;
          }
        }
        // Both demo clinics start with the starter exercise library, like any new clinic.
        for (const auto& [clinic_id, number] :
             {std::pair{kDemoClinicId, 1}, std::pair{kOtherClinicId, 2}}) {
          DemoExerciseIds exercise_ids(number);
          if (absl::Status s = SeedStarterExercises(uow, exercise_ids, clinic_id, now); !s.ok()) {
            return s;
          }
        }
        for (const DemoUser& demo : DemoUsers()) {
          UserRecord user;
          user.user.set_id(demo.id);
          user.user.set_clinic_id(demo.clinic_id);
          user.user.set_email(demo.email);
          user.user.set_display_name(demo.display_name);
          user.user.set_role(demo.role);
          user.user.set_discipline(demo.discipline);
          user.user.set_client_id(demo.client_id);
          user.password_hash = *password_hash;
          if (IsStaffRole(demo.role)) {
            absl::StatusOr<std::string> sealed =
                box.Seal(*Base32Decode(kDemoTotpSecretBase32), TotpSecretContext(demo.id));
            if (!sealed.ok()) {
              return sealed.status();
            }
            user.totp_secret_sealed = *std::move(sealed);
          }
          if (absl::Status s = uow.users().Insert(user, now); !s.ok()) {
            return s;
          }
        }
        for (const ClientRecord& client :
             {DemoClient(kDemoClinicId, kDemoJoClientId, "Jo", "Example",
                         v1::PRESENTING_CONCERN_PRIMARY_VAGINISMUS, v1::CLIENT_STATUS_ACTIVE,
                         {kSamId, kAlexId}, now),
              DemoClient(kDemoClinicId, kDemoRileyClientId, "Riley", "Sample",
                         v1::PRESENTING_CONCERN_DYSPAREUNIA, v1::CLIENT_STATUS_INTAKE, {kSamId},
                         now),
              DemoClient(kOtherClinicId, kDemoCaseyClientId, "Casey", "Placeholder",
                         v1::PRESENTING_CONCERN_VULVODYNIA, v1::CLIENT_STATUS_ACTIVE,
                         {kOtherTherapistId}, now)}) {
          if (absl::Status s = uow.clients().Insert(client, ""); !s.ok()) {
            return s;
          }
        }
        for (const DemoConsent& demo : DemoConsents()) {
          ConsentRecord consent{.id = demo.id,
                                .clinic_id = demo.clinic_id,
                                .client_id = demo.client_id,
                                .kind = demo.kind,
                                .text_version = kDemoConsentTextVersion,
                                .state = v1::CONSENT_STATE_GIVEN,
                                .give_time = now,
                                .recorded_by_user_id = demo.recorded_by,
                                .recorded_by_role = v1::ROLE_CLINICIAN};
          if (absl::Status s = uow.consents().Insert(consent, ""); !s.ok()) {
            return s;
          }
        }
        if (absl::Status s = uow.partner_links().Insert(
                PartnerLinkRecord{.id = kKimLinkId,
                                  .clinic_id = kDemoClinicId,
                                  .client_id = kDemoJoClientId,
                                  .partner_user_id = kKimId,
                                  .shares = ShareBit(v1::PARTNER_SHARE_PLAN_SUMMARY),
                                  .create_time = now,
                                  .update_time = now,
                                  .revoke_time = std::nullopt});
            !s.ok()) {
          return s;
        }
        // Jo's active dilator programme, practice logs and journal (demo_programme.h).
        return LoadDemoHomeProgramme(uow, cipher, now);
      });
  if (!status.ok()) {
    return status;
  }
  return result;
}

}  // namespace confide
