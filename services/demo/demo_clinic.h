#pragma once

#include "absl/status/statusor.h"
#include "services/auth/ports/password_hasher.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/clock.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/crypto/ports/secret_box.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// The fixed, documented demo data of DESIGN.md ("Signing in, and the demo clinic"): the same
// accounts, ids and obviously fake people everywhere (docs, tests, a newcomer's first run).
inline constexpr char kDemoPassword[] = "demo-Confide-2026";
inline constexpr char kDemoClinicId[] = "0190d000-0000-7000-8000-000000000001";
inline constexpr char kOtherClinicId[] = "0190d000-0000-7000-8000-000000000002";
inline constexpr char kDemoJoClientId[] = "0190d000-0000-7000-8000-00000000c001";
inline constexpr char kDemoRileyClientId[] = "0190d000-0000-7000-8000-00000000c002";
inline constexpr char kDemoCaseyClientId[] = "0190d000-0000-7000-8000-00000000c003";
// Every demo staff account has enrolled TOTP with this base32 secret (DESIGN.md).
inline constexpr char kDemoTotpSecretBase32[] = "JBSWY3DPEHPK3PXP";

enum class DemoLoadResult { kLoaded, kAlreadyLoaded };

// Creates the demo clinics, accounts and clients in one transaction. FAILED_PRECONDITION when
// the database holds any clinic that is not a demo clinic: demo accounts with a published
// password must never appear beside real records.
// Staff TOTP secrets are sealed with `box`; Kim's partner link shares Jo's plan summary.
// Consents (text version "2026-01"): Jo has treatment, internal examination and partner
// involvement (recorded by Sam); Riley treatment (Sam); Casey treatment (her clinic's therapist).
// Both clinics get the starter exercise library (starter_exercises.h) under fixed ids
// 0190d000-0000-7000-8000-0000e<1 demo, 2 other>00<nnnn, hex from 1 in StarterExercises() order>.
// Jo's home programme, practice logs and journal (demo_programme.h) are sealed with `cipher`.
absl::StatusOr<DemoLoadResult> LoadDemoClinic(TransactionRunner& transactions,
                                              PasswordHasher& hasher, const SecretBox& box,
                                              ClientDataCipher& cipher, const Clock& clock);

}  // namespace confide
