#include "services/policy/access_policy.h"

#include <cctype>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/principal.h"

namespace confide {

// Readable decisions in failure messages; found by gtest through argument-dependent lookup.
void PrintTo(Decision decision, std::ostream* os) {
  switch (decision) {
    case Decision::kAllow:
      *os << "kAllow";
      return;
    case Decision::kNotFound:
      *os << "kNotFound";
      return;
    case Decision::kPermissionDenied:
      *os << "kPermissionDenied";
      return;
  }
  *os << "Decision(" << static_cast<int>(decision) << ")";
}

namespace {

constexpr char kClinicA[] = "clinic-a";
constexpr char kClinicB[] = "clinic-b";

Principal Staff(std::string user_id, std::string clinic_id, v1::Role role) {
  return Principal{.user_id = std::move(user_id),
                   .clinic_id = std::move(clinic_id),
                   .role = role,
                   .session_id = "session",
                   .mfa_verified = true};
}

Principal Patient(std::string user_id, std::string clinic_id, std::string client_id) {
  return Principal{.user_id = std::move(user_id),
                   .clinic_id = std::move(clinic_id),
                   .role = v1::ROLE_PATIENT,
                   .client_id = std::move(client_id),
                   .session_id = "session"};
}

const Principal kSam = Staff("sam", kClinicA, v1::ROLE_CLINICIAN);
const Principal kAlex = Staff("alex", kClinicA, v1::ROLE_CLINICIAN);
const Principal kAdminA = Staff("admin-a", kClinicA, v1::ROLE_ADMIN);
const Principal kAuditorA = Staff("auditor-a", kClinicA, v1::ROLE_AUDITOR);
const Principal kKimPartner = Staff("kim", kClinicA, v1::ROLE_PARTNER);
const Principal kOtherTherapist = Staff("other", kClinicB, v1::ROLE_CLINICIAN);
const Principal kAdminB = Staff("admin-b", kClinicB, v1::ROLE_ADMIN);
const Principal kJo = Patient("jo", kClinicA, "client-jo");
const Principal kRiley = Patient("riley", kClinicA, "client-riley");
// A patient of the other clinic whose client id happens to equal Jo's.
const Principal kCaseyWithJosId = Patient("casey", kClinicB, "client-jo");

// Jo's care team is Sam only; Alex works in the same clinic but is not on it. The other clinic's
// therapist is listed too, to show care-team membership never crosses clinics.
const ClientAccessFacts kJoFacts{
    .clinic_id = kClinicA, .client_id = "client-jo", .care_team_user_ids = {"sam", "other"}};

struct DecideCase {
  std::string description;
  Principal who;
  Action action;
  // Unset for clinic-level actions.
  std::optional<ClientAccessFacts> client;
  Decision expected;
};

const std::vector<DecideCase>& Cases() {
  static const auto* cases = new std::vector<DecideCase>{
      // Clinicians: care team within the clinic.
      {"clinician on care team reads client", kSam, Action::kReadClient, kJoFacts,
       Decision::kAllow},
      {"clinician on care team updates client", kSam, Action::kUpdateClient, kJoFacts,
       Decision::kAllow},
      {"clinician on care team archives client", kSam, Action::kArchiveClient, kJoFacts,
       Decision::kAllow},
      {"clinician off care team cannot see client", kAlex, Action::kReadClient, kJoFacts,
       Decision::kNotFound},
      {"clinician off care team cannot update client", kAlex, Action::kUpdateClient, kJoFacts,
       Decision::kNotFound},
      {"clinician off care team cannot archive client", kAlex, Action::kArchiveClient, kJoFacts,
       Decision::kNotFound},
      {"clinician of other clinic cannot see client even when listed on care team", kOtherTherapist,
       Action::kReadClient, kJoFacts, Decision::kNotFound},
      {"clinician with no clinic cannot see client of no clinic",
       Staff("sam", "", v1::ROLE_CLINICIAN), Action::kReadClient,
       ClientAccessFacts{.clinic_id = "", .client_id = "c", .care_team_user_ids = {"sam"}},
       Decision::kNotFound},

      // Admins: demographics in their own clinic, no edits.
      {"admin reads client of own clinic", kAdminA, Action::kReadClient, kJoFacts,
       Decision::kAllow},
      {"admin archives client of own clinic", kAdminA, Action::kArchiveClient, kJoFacts,
       Decision::kAllow},
      {"admin may not update client of own clinic", kAdminA, Action::kUpdateClient, kJoFacts,
       Decision::kPermissionDenied},
      {"admin of other clinic cannot see client", kAdminB, Action::kReadClient, kJoFacts,
       Decision::kNotFound},
      {"admin of other clinic cannot archive client", kAdminB, Action::kArchiveClient, kJoFacts,
       Decision::kNotFound},
      {"admin of other clinic cannot update client", kAdminB, Action::kUpdateClient, kJoFacts,
       Decision::kNotFound},

      // Patients: only their own record, read only.
      {"patient reads own record", kJo, Action::kReadClient, kJoFacts, Decision::kAllow},
      {"patient may not update own record", kJo, Action::kUpdateClient, kJoFacts,
       Decision::kPermissionDenied},
      {"patient may not archive own record", kJo, Action::kArchiveClient, kJoFacts,
       Decision::kPermissionDenied},
      {"patient cannot see another client", kRiley, Action::kReadClient, kJoFacts,
       Decision::kNotFound},
      {"patient cannot update another client", kRiley, Action::kUpdateClient, kJoFacts,
       Decision::kNotFound},
      {"patient of other clinic with same client id cannot see client", kCaseyWithJosId,
       Action::kReadClient, kJoFacts, Decision::kNotFound},

      // Auditors and partners see no client record.
      {"auditor cannot see client", kAuditorA, Action::kReadClient, kJoFacts, Decision::kNotFound},
      {"auditor cannot archive client", kAuditorA, Action::kArchiveClient, kJoFacts,
       Decision::kNotFound},
      {"partner cannot see client", kKimPartner, Action::kReadClient, kJoFacts,
       Decision::kNotFound},
      {"partner cannot update client", kKimPartner, Action::kUpdateClient, kJoFacts,
       Decision::kNotFound},

      // Clinic-level actions (no client).
      {"clinician creates client", kSam, Action::kCreateClient, std::nullopt, Decision::kAllow},
      {"clinician lists clients", kSam, Action::kListClients, std::nullopt, Decision::kAllow},
      {"admin creates client", kAdminA, Action::kCreateClient, std::nullopt, Decision::kAllow},
      {"admin lists clients", kAdminA, Action::kListClients, std::nullopt, Decision::kAllow},
      {"patient lists clients", kJo, Action::kListClients, std::nullopt, Decision::kAllow},
      {"patient may not create client", kJo, Action::kCreateClient, std::nullopt,
       Decision::kPermissionDenied},
      {"auditor may not create client", kAuditorA, Action::kCreateClient, std::nullopt,
       Decision::kPermissionDenied},
      {"auditor may not list clients", kAuditorA, Action::kListClients, std::nullopt,
       Decision::kPermissionDenied},
      {"partner may not create client", kKimPartner, Action::kCreateClient, std::nullopt,
       Decision::kPermissionDenied},
      {"partner may not list clients", kKimPartner, Action::kListClients, std::nullopt,
       Decision::kPermissionDenied},
      {"clinician read without a client finds nothing", kSam, Action::kReadClient, std::nullopt,
       Decision::kNotFound},
      {"admin update without a client finds nothing", kAdminA, Action::kUpdateClient, std::nullopt,
       Decision::kNotFound},

      // A principal without identity is nobody.
      {"empty principal cannot list clients", Principal{}, Action::kListClients, std::nullopt,
       Decision::kNotFound},
      {"empty principal cannot create client", Principal{}, Action::kCreateClient, std::nullopt,
       Decision::kNotFound},
      {"empty principal cannot see client", Principal{}, Action::kReadClient, kJoFacts,
       Decision::kNotFound},
      {"admin without user id cannot list clients", Staff("", kClinicA, v1::ROLE_ADMIN),
       Action::kListClients, std::nullopt, Decision::kNotFound},
      {"clinician on care team without clinic id cannot see client",
       Staff("sam", "", v1::ROLE_CLINICIAN), Action::kReadClient, kJoFacts, Decision::kNotFound},
  };
  return *cases;
}

// "clinician on care team reads client" → "ClinicianOnCareTeamReadsClient".
std::string CaseName(const ::testing::TestParamInfo<DecideCase>& info) {
  std::string name;
  bool upper = true;
  for (char c : info.param.description) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return name;
}

class DecideTest : public ::testing::TestWithParam<DecideCase> {};

TEST_P(DecideTest, ReturnsTheExpectedDecision) {
  const DecideCase& c = GetParam();
  const ClientAccessFacts* facts = c.client.has_value() ? &*c.client : nullptr;
  EXPECT_EQ(Decide(c.who, c.action, facts), c.expected) << c.description;
}

INSTANTIATE_TEST_SUITE_P(AccessPolicy, DecideTest, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace confide
