#pragma once

// What every repository test starts from: two clinics and their clinicians.

#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/auth/ports/user_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/common/timestamps.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide::persistence {

inline constexpr char kClinicA[] = "00000000-0000-7000-8000-000000000001";
inline constexpr char kClinicB[] = "00000000-0000-7000-8000-000000000002";
// Clinicians seeded by SeedClinicsAndClinicians: Alice and Bea in clinic A, Cai in clinic B.
inline constexpr char kAlice[] = "00000000-0000-7000-8000-000000000101";
inline constexpr char kBea[] = "00000000-0000-7000-8000-000000000102";
inline constexpr char kCai[] = "00000000-0000-7000-8000-000000000103";

// Microsecond-precise, so a round trip that truncated to milliseconds or seconds would show.
inline const absl::Time kCreateTime = absl::FromUnixMicros(1'717'171'717'123'456);

// Inserts clinics A and B and the clinicians Alice, Bea (A) and Cai (B).
inline absl::Status SeedClinicsAndClinicians(UnitOfWork& uow) {
  for (const ClinicRecord& clinic : {ClinicRecord{.id = kClinicA, .name = "Clinic A"},
                                     ClinicRecord{.id = kClinicB, .name = "Clinic B"}}) {
    if (absl::Status s = uow.clinics().Insert(clinic, kCreateTime); !s.ok()) {
      return s;
    }
  }
  for (const auto& [id, clinic, email, name] :
       {std::tuple{kAlice, kClinicA, "alice@a.example", "Dr Alice Ng"},
        std::tuple{kBea, kClinicA, "bea@a.example", "Bea Okafor"},
        std::tuple{kCai, kClinicB, "cai@b.example", "Cai Jones"}}) {
    UserRecord user{.password_hash = "$argon2id$fake"};
    user.user.set_id(id);
    user.user.set_clinic_id(clinic);
    user.user.set_email(email);
    user.user.set_display_name(name);
    user.user.set_role(v1::ROLE_CLINICIAN);
    user.user.set_discipline(v1::DISCIPLINE_SEX_THERAPIST);
    if (absl::Status s = uow.users().Insert(user, kCreateTime); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// A client record of `clinic_id` created at kCreateTime, ready for ClientRepository::Insert.
inline ClientRecord NewClient(const std::string& id, const std::string& clinic_id,
                              const std::string& given = "Given",
                              const std::string& family = "Family",
                              v1::ClientStatus status = v1::CLIENT_STATUS_ACTIVE) {
  ClientRecord record;
  record.clinic_id = clinic_id;
  record.version = 1;
  record.client.set_id(id);
  record.client.set_legal_given_name(given);
  record.client.set_legal_family_name(family);
  record.client.set_status(status);
  *record.client.mutable_create_time() = ToTimestamp(kCreateTime);
  *record.client.mutable_update_time() = ToTimestamp(kCreateTime);
  return record;
}

}  // namespace confide::persistence
