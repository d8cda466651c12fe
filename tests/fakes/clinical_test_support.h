#pragma once

// What the clinical services' unit tests (and the cipher's own) run on: the real envelope cipher
// under a fixed master key and a fake clock, over the in-memory database; the staff and patient
// principals of one clinic; and a way to call a handler as one of them.

#include <string>
#include <utility>

#include "absl/time/time.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "gtest/gtest.h"
#include "services/api/method_table.h"
#include "services/audit/audit_event.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_secret_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"

namespace confide {

// The patient `client_id` of `clinic_id`, signed in.
inline Principal PatientPrincipal(const std::string& clinic_id, const std::string& client_id) {
  return Principal{.user_id = "jo-user",
                   .clinic_id = clinic_id,
                   .role = v1::ROLE_PATIENT,
                   .client_id = client_id,
                   .session_id = "s1"};
}

// A clinician of `clinic_id`, signed in with MFA.
inline Principal ClinicianPrincipal(const std::string& clinic_id) {
  return Principal{.user_id = "sam",
                   .clinic_id = clinic_id,
                   .role = v1::ROLE_CLINICIAN,
                   .session_id = "s2",
                   .mfa_verified = true};
}

// An admin of `clinic_id`, signed in with MFA.
inline Principal AdminPrincipal(const std::string& clinic_id) {
  return Principal{.user_id = "ada",
                   .clinic_id = clinic_id,
                   .role = v1::ROLE_ADMIN,
                   .session_id = "s3",
                   .mfa_verified = true};
}

// The real envelope cipher (master key of 32 'm's, randomness from `Random`, time from a fake
// clock starting at `start`) over an in-memory database holding `seed`.
template <typename Random = FakeSecretGenerator>
class EnvelopeCipherTest : public ::testing::Test {
 protected:
  explicit EnvelopeCipherTest(absl::Time start = absl::FromUnixSeconds(1'800'000'000),
                              InMemoryDatabase seed = InMemoryDatabase{})
      : clock_(start),
        master_(std::string(32, 'm')),
        cipher_(master_, random_, clock_),
        uow_(std::move(seed)) {}

  FakeClock clock_;
  Random random_;
  AesGcmSecretBox master_;
  EnvelopeClientDataCipher cipher_;
  InMemoryUnitOfWork uow_;
};

// EnvelopeCipherTest plus a request as the pipeline would make it: As() runs a handler as a
// principal on a client, one clock second per call, keeping the audit resource it named.
class ClinicalServiceTest : public EnvelopeCipherTest<FakeSecretGenerator> {
 protected:
  ClinicalServiceTest(absl::Time start, InMemoryDatabase seed, const std::string& clinic_id,
                      const std::string& patient_client_id)
      : EnvelopeCipherTest(start, std::move(seed)),
        patient_(PatientPrincipal(clinic_id, patient_client_id)),
        clinician_(ClinicianPrincipal(clinic_id)),
        admin_(AdminPrincipal(clinic_id)) {}

  template <typename Call>
  auto As(const Principal& who, const std::string& client_id, Call call) {
    AuditEvent audit;
    RequestScope scope{.principal = &who,
                       .uow = uow_,
                       .call = call_,
                       .client_id = client_id,
                       .audit = audit,
                       .now = clock_.Now()};
    clock_.Advance(absl::Seconds(1));
    auto result = call(scope);
    last_resource_ = audit.resource;
    return result;
  }

  CallContext call_;
  Principal patient_;
  Principal clinician_;
  Principal admin_;
  std::string last_resource_;
};

}  // namespace confide
