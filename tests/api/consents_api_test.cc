// ConsentService over the real confide-server: REST for the behaviour, one call over gRPC.
// Independent of test order (run with --gtest_shuffle): every test that changes consents or
// partners works on clients it creates itself, and counts of a demo client's consents are taken
// relative to a snapshot. No test revokes a demo partner (Kim).

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/consents.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int kAlreadyExists = 6;
constexpr char kJoUserId[] = "0190d000-0000-7000-8000-00000000a005";
// Demo consents (services/demo/demo_clinic.cc).
constexpr char kJoTreatmentConsentId[] = "0190d000-0000-7000-8000-00000000d001";
constexpr char kRileyTreatmentConsentId[] = "0190d000-0000-7000-8000-00000000d004";
constexpr char kPassword[] = "correct-horse-battery-staple";

std::string ConsentsPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/consents";
}

// The google.rpc.ErrorInfo detail of an error answer, or null.
nlohmann::json ErrorInfoOf(const HttpResponse& response) {
  const nlohmann::json body = response.Json();
  if (body.is_object() && body.contains("details") && body["details"].is_array()) {
    for (const nlohmann::json& detail : body["details"]) {
      if (detail.value("@type", "") == "type.googleapis.com/google.rpc.ErrorInfo") {
        return detail;
      }
    }
  }
  return nullptr;
}

class ConsentsApiTest : public GrpcApiTestBase {
 protected:
  static HttpResponse Record(const std::string& client_id, const std::string& kind,
                             const std::string& token, const std::string& text_version = "2026-01",
                             const std::string& request_id = "") {
    nlohmann::json body = {{"kind", kind}, {"textVersion", text_version}};
    if (!request_id.empty()) {
      body["requestId"] = request_id;
    }
    return Rest().Post(ConsentsPath(client_id), body, token);
  }
  static HttpResponse Withdraw(const std::string& client_id, const std::string& consent_id,
                               const std::string& token) {
    return Rest().Post(ConsentsPath(client_id) + "/" + consent_id + ":withdraw",
                       nlohmann::json::object(), token);
  }
  static nlohmann::json List(const std::string& client_id, const std::string& token,
                             bool in_force_only = false) {
    HttpResponse listed =
        Rest().Get(ConsentsPath(client_id) + (in_force_only ? "?inForceOnly=true" : ""), token);
    EXPECT_EQ(listed.status, 200) << listed.body;
    const nlohmann::json body = listed.Json();
    return body.is_object() ? body.value("consents", nlohmann::json::array())
                            : nlohmann::json::array();
  }
  static std::string NewClientOfSam() {
    const nlohmann::json client = CreateClient(TokenOf(kSamEmail));
    return client.is_object() ? client.value("id", "") : "";
  }
  static std::string One(const std::string& sql) {
    const std::vector<std::string> rows = Query(sql);
    EXPECT_EQ(rows.size(), 1u) << sql;
    return rows.empty() ? "" : rows[0];
  }
  // Accepts the newest invitation sent to `email` with kPassword and signs in (patients and
  // partners have no second factor); the session token, or "" after failing the test.
  static std::string AcceptAndSignIn(const std::string& email) {
    HttpResponse accepted = Rest().Post("/v1/auth/invitations:accept",
                                        {{"token", TokenSentTo(email)}, {"password", kPassword}});
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    HttpResponse login = LogIn(email, kPassword);
    EXPECT_EQ(login.status, 200) << login.body;
    return login.status == 200 ? login.Json().value("sessionToken", "") : "";
  }
  struct PortalPatient {
    std::string client_id;
    std::string user_id;
    std::string token;
  };
  // A new client of Sam's with her own portal account, signed in.
  static PortalPatient NewPortalPatient() {
    PortalPatient patient{.client_id = NewClientOfSam()};
    const std::string email = "patient-" + Unique() + "@example.test";
    HttpResponse invited = Rest().Post("/v1/clients/" + patient.client_id + ":inviteToPortal",
                                       {{"email", email}}, TokenOf(kSamEmail));
    EXPECT_EQ(invited.status, 200) << invited.body;
    patient.token = AcceptAndSignIn(email);
    patient.user_id = One("SELECT id FROM users WHERE client_id = '" + patient.client_id +
                          "' AND role = " + std::to_string(static_cast<int>(v1::ROLE_PATIENT)));
    return patient;
  }
  // Invites a partner for the signed-in patient; the partner's email.
  static std::string InvitePartner(const std::string& patient_token) {
    const std::string email = "partner-" + Unique() + "@example.test";
    HttpResponse invited =
        Rest().Post("/v1/clients/me/partners:invite",
                    {{"email", email}, {"displayName", "Sol"}, {"shares", {"PARTNER_SHARE_GOALS"}}},
                    patient_token);
    EXPECT_EQ(invited.status, 200) << invited.body;
    return email;
  }
};

TEST_F(ConsentsApiTest, ClinicianRecordsAConsentAndEveryFieldRoundTrips) {
  const std::string client_id = NewClientOfSam();
  ASSERT_FALSE(client_id.empty());

  HttpResponse recorded =
      Record(client_id, "CONSENT_KIND_TELEHEALTH", TokenOf(kSamEmail), "tele v3.1 (2026)");

  ASSERT_EQ(recorded.status, 200) << recorded.body;
  const nlohmann::json consent = recorded.Json();
  const std::string id = consent.value("id", "");
  EXPECT_EQ(id.size(), 36u) << recorded.body;
  EXPECT_EQ(consent.value("clientId", ""), client_id);
  EXPECT_EQ(consent.value("kind", ""), "CONSENT_KIND_TELEHEALTH");
  EXPECT_EQ(consent.value("textVersion", ""), "tele v3.1 (2026)");
  EXPECT_EQ(consent.value("state", ""), "CONSENT_STATE_GIVEN");
  EXPECT_FALSE(consent.value("giveTime", "").empty());
  EXPECT_EQ(consent.value("recordedByUserId", ""), kSamUserId);
  EXPECT_EQ(consent.value("recordedByRole", ""), "ROLE_CLINICIAN");
  EXPECT_FALSE(consent.contains("endTime"));
  EXPECT_FALSE(consent.contains("withdrawnByUserId"));
  EXPECT_FALSE(consent.contains("withdrawnByRole"));
  // The list returns the same record, and so does the database.
  const nlohmann::json listed = List(client_id, TokenOf(kSamEmail));
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0], consent);
  EXPECT_EQ(One("SELECT kind || '|' || state || '|' || text_version || '|' || recorded_by_role "
                "|| '|' || end_time FROM consents WHERE id = '" +
                id + "'"),
            "3|1|tele v3.1 (2026)|2|0");
  // Alex, on no care team of this client, finds nothing.
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ConsentsPath(client_id), TokenOf(kAlexEmail)), 404, kNotFound));

  HttpResponse withdrawn = Withdraw(client_id, id, TokenOf(kSamEmail));

  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  const nlohmann::json ended = withdrawn.Json();
  EXPECT_EQ(ended.value("state", ""), "CONSENT_STATE_WITHDRAWN");
  EXPECT_FALSE(ended.value("endTime", "").empty());
  EXPECT_EQ(ended.value("withdrawnByUserId", ""), kSamUserId);
  EXPECT_EQ(ended.value("withdrawnByRole", ""), "ROLE_CLINICIAN");
  EXPECT_EQ(One("SELECT withdrawn_by_role FROM consents WHERE id = '" + id + "'"), "2");
  // What was agreed is kept as it was.
  EXPECT_EQ(ended.value("giveTime", ""), consent.value("giveTime", ""));
  EXPECT_EQ(ended.value("textVersion", ""), "tele v3.1 (2026)");
  EXPECT_EQ(ended.value("recordedByUserId", ""), kSamUserId);
  EXPECT_EQ(List(client_id, TokenOf(kSamEmail)), nlohmann::json::array({ended}));
  EXPECT_EQ(List(client_id, TokenOf(kSamEmail), /*in_force_only=*/true), nlohmann::json::array());
}

TEST_F(ConsentsApiTest, PatientRecordsAndWithdrawsHerOwnConsentViaMe) {
  const std::string jo = TokenOf(kJoEmail);

  HttpResponse recorded = Record("me", "CONSENT_KIND_PORTAL_MESSAGES", jo);

  ASSERT_EQ(recorded.status, 200) << recorded.body;
  const std::string id = recorded.Json().value("id", "");
  EXPECT_EQ(recorded.Json().value("clientId", ""), kJoClientId);
  EXPECT_EQ(recorded.Json().value("recordedByUserId", ""), kJoUserId);
  EXPECT_EQ(recorded.Json().value("recordedByRole", ""), "ROLE_PATIENT");
  // Her care team sees it.
  EXPECT_THAT(List(kJoClientId, TokenOf(kSamEmail)), Contains(recorded.Json()));
  // Riley cannot touch it.
  EXPECT_TRUE(IsErrorAnswer(Withdraw(kJoClientId, id, TokenOf(kRileyEmail)), 404, kNotFound));

  HttpResponse withdrawn = Withdraw("me", id, jo);

  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(withdrawn.Json().value("state", ""), "CONSENT_STATE_WITHDRAWN");
  EXPECT_EQ(withdrawn.Json().value("withdrawnByUserId", ""), kJoUserId);
  EXPECT_EQ(withdrawn.Json().value("withdrawnByRole", ""), "ROLE_PATIENT");
}

TEST_F(ConsentsApiTest, ANewGrantSupersedesTheOneInForceAndKeepsHistory) {
  const std::string client_id = NewClientOfSam();
  const std::string sam = TokenOf(kSamEmail);
  HttpResponse first = Record(client_id, "CONSENT_KIND_TREATMENT", sam, "2025-06");
  ASSERT_EQ(first.status, 200) << first.body;

  HttpResponse second = Record(client_id, "CONSENT_KIND_TREATMENT", sam, "2026-01");

  ASSERT_EQ(second.status, 200) << second.body;
  const nlohmann::json all = List(client_id, sam);
  ASSERT_EQ(all.size(), 2u) << all.dump();
  EXPECT_EQ(all[0].value("id", ""), second.Json().value("id", ""));
  EXPECT_EQ(all[0].value("state", ""), "CONSENT_STATE_GIVEN");
  EXPECT_EQ(all[1].value("id", ""), first.Json().value("id", ""));
  EXPECT_EQ(all[1].value("state", ""), "CONSENT_STATE_SUPERSEDED");
  EXPECT_EQ(all[1].value("textVersion", ""), "2025-06");
  EXPECT_FALSE(all[1].value("endTime", "").empty());
  EXPECT_FALSE(all[1].contains("withdrawnByUserId"));
  const nlohmann::json in_force = List(client_id, sam, /*in_force_only=*/true);
  ASSERT_EQ(in_force.size(), 1u);
  EXPECT_EQ(in_force[0].value("textVersion", ""), "2026-01");
  // A superseded grant is not in force: it cannot be withdrawn.
  HttpResponse superseded = Withdraw(client_id, first.Json().value("id", ""), sam);
  EXPECT_TRUE(IsErrorAnswer(superseded, 400, kFailedPrecondition));
  EXPECT_THAT(superseded.body, HasSubstr("not in force"));
}

TEST_F(ConsentsApiTest, WithdrawingTwiceIsAFailedPreconditionAndUnknownIdsAreNotFound) {
  const std::string client_id = NewClientOfSam();
  const std::string sam = TokenOf(kSamEmail);
  HttpResponse recorded = Record(client_id, "CONSENT_KIND_RESEARCH_DATA_SHARING", sam);
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  const std::string id = recorded.Json().value("id", "");
  ASSERT_EQ(Withdraw(client_id, id, sam).status, 200);

  HttpResponse again = Withdraw(client_id, id, sam);

  EXPECT_TRUE(IsErrorAnswer(again, 400, kFailedPrecondition));
  EXPECT_THAT(again.body, HasSubstr("not in force"));
  EXPECT_TRUE(IsErrorAnswer(Withdraw(client_id, kNonexistentClientId, sam), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Withdraw(client_id, "not-an-id", sam), 404, kNotFound));
  // Another client's consent through this client's path is not found either.
  EXPECT_TRUE(IsErrorAnswer(Withdraw(client_id, kRileyTreatmentConsentId, sam), 404, kNotFound));
  EXPECT_EQ(
      One("SELECT state FROM consents WHERE id = '" + std::string(kRileyTreatmentConsentId) + "'"),
      "1");
}

TEST_F(ConsentsApiTest, ARetryWithTheSameRequestIdReturnsTheFirstResult) {
  const std::string client_id = NewClientOfSam();
  const std::string sam = TokenOf(kSamEmail);
  const std::string request_id = "consent-" + Unique();

  HttpResponse first = Record(client_id, "CONSENT_KIND_TREATMENT", sam, "2026-01", request_id);
  HttpResponse retry = Record(client_id, "CONSENT_KIND_TREATMENT", sam, "2026-01", request_id);

  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.Json(), first.Json());
  EXPECT_EQ(List(client_id, sam).size(), 1u);
  // The same request id for another client, kind or text version is refused, without saying
  // what it was used for, and records nothing.
  const size_t riley_before = List(kRileyClientId, sam).size();
  HttpResponse elsewhere =
      Record(kRileyClientId, "CONSENT_KIND_TELEHEALTH", sam, "2026-01", request_id);
  EXPECT_TRUE(IsErrorAnswer(elsewhere, 409, kAlreadyExists));
  EXPECT_THAT(elsewhere.body, HasSubstr("request_id was already used for another request"));
  EXPECT_EQ(List(kRileyClientId, sam).size(), riley_before);
  HttpResponse other_kind =
      Record(client_id, "CONSENT_KIND_TELEHEALTH", sam, "2026-01", request_id);
  EXPECT_TRUE(IsErrorAnswer(other_kind, 409, kAlreadyExists)) << other_kind.body;
  HttpResponse other_version =
      Record(client_id, "CONSENT_KIND_TREATMENT", sam, "2026-02", request_id);
  EXPECT_TRUE(IsErrorAnswer(other_version, 409, kAlreadyExists)) << other_version.body;
  EXPECT_EQ(List(client_id, sam).size(), 1u);
}

TEST_F(ConsentsApiTest, BadKindOrTextVersionIsInvalidArgumentNamingTheField) {
  const std::string sam = TokenOf(kSamEmail);
  struct Case {
    nlohmann::json body;
    std::vector<std::string> fields;
  };
  const size_t riley_before = List(kRileyClientId, sam).size();
  const Case cases[] = {
      {{{"kind", "CONSENT_KIND_UNSPECIFIED"}, {"textVersion", "2026-01"}}, {"kind"}},
      {{{"textVersion", "2026-01"}}, {"kind"}},
      {{{"kind", 99}, {"textVersion", "2026-01"}}, {"kind"}},
      {{{"kind", "CONSENT_KIND_TREATMENT"}}, {"text_version"}},
      {{{"kind", "CONSENT_KIND_TREATMENT"}, {"textVersion", std::string(41, 'v')}},
       {"text_version"}},
      {{{"kind", "CONSENT_KIND_TREATMENT"}, {"textVersion", "2026\t01"}}, {"text_version"}},
      {{{"kind", "CONSENT_KIND_TREATMENT"}, {"textVersion", "versi\xc3\xb3n"}}, {"text_version"}},
      {{{"kind", "CONSENT_KIND_TREATMENT"},
        {"textVersion", "2026-01"},
        {"requestId", std::string(101, 'r')}},
       {"request_id"}},
      {{{"kind", "CONSENT_KIND_UNSPECIFIED"}, {"textVersion", ""}}, {"kind", "text_version"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body.dump());
    HttpResponse refused = Rest().Post(ConsentsPath(kRileyClientId), c.body, sam);
    EXPECT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << refused.body;
    EXPECT_EQ(ViolatedFields(refused.Json()), c.fields) << refused.body;
  }
  EXPECT_EQ(List(kRileyClientId, sam).size(), riley_before);
}

TEST_F(ConsentsApiTest, AnotherClinicsClinicianFindsNothing) {
  const std::string other = TokenOf(kOtherTherapistEmail);

  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ConsentsPath(kJoClientId), other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Record(kJoClientId, "CONSENT_KIND_TREATMENT", other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Withdraw(kJoClientId, kJoTreatmentConsentId, other), 404, kNotFound));
  EXPECT_EQ(
      One("SELECT state FROM consents WHERE id = '" + std::string(kJoTreatmentConsentId) + "'"),
      "1");
  // Admins and auditors do not see consents of clients whose care they are not part of, and
  // cannot record or withdraw any.
  const std::string admin = TokenOf(kAdminEmail);
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ConsentsPath(kJoClientId), admin), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Record(kJoClientId, "CONSENT_KIND_TREATMENT", admin), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Withdraw(kJoClientId, kJoTreatmentConsentId, admin), 403, kPermissionDenied));
  const std::string auditor = TokenOf(kAuditorEmail);
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ConsentsPath(kJoClientId), auditor), 404, kNotFound));
  EXPECT_TRUE(
      IsErrorAnswer(Record(kJoClientId, "CONSENT_KIND_TREATMENT", auditor), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Withdraw(kJoClientId, kJoTreatmentConsentId, auditor), 404, kNotFound));
  EXPECT_EQ(
      One("SELECT state FROM consents WHERE id = '" + std::string(kJoTreatmentConsentId) + "'"),
      "1");
}

TEST_F(ConsentsApiTest, InvitingAPartnerWithoutConsentIsRefusedNamingTheConsent) {
  const PortalPatient patient = NewPortalPatient();
  ASSERT_FALSE(patient.token.empty());
  const std::string email = "partner-" + Unique() + "@example.test";
  const nlohmann::json invitation = {
      {"email", email}, {"displayName", "Lee"}, {"shares", {"PARTNER_SHARE_GOALS"}}};

  HttpResponse refused = Rest().Post("/v1/clients/me/partners:invite", invitation, patient.token);

  EXPECT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition));
  EXPECT_THAT(refused.body, HasSubstr("partner involvement consent"));
  EXPECT_THAT(refused.body, HasSubstr("CONSENT_KIND_PARTNER_INVOLVEMENT"));
  const nlohmann::json info = ErrorInfoOf(refused);
  ASSERT_TRUE(info.is_object()) << refused.body;
  EXPECT_EQ(info.value("reason", ""), "CONSENT_REQUIRED");
  EXPECT_EQ(info.value("metadata", nlohmann::json::object()).value("consent", ""),
            "CONSENT_KIND_PARTNER_INVOLVEMENT");
  EXPECT_EQ(One("SELECT COUNT(*) FROM one_time_tokens WHERE email = '" + email + "'"), "0");
  EXPECT_EQ(One("SELECT COUNT(*) FROM outbound_messages WHERE recipient_email = '" + email + "'"),
            "0");

  // Once she consents, the same invitation goes out.
  ASSERT_EQ(Record("me", "CONSENT_KIND_PARTNER_INVOLVEMENT", patient.token).status, 200);
  HttpResponse invited = Rest().Post("/v1/clients/me/partners:invite", invitation, patient.token);
  EXPECT_EQ(invited.status, 200) << invited.body;
}

TEST_F(ConsentsApiTest, WithdrawingPartnerInvolvementEndsEveryPartnersAccessAtOnce) {
  const PortalPatient patient = NewPortalPatient();
  ASSERT_FALSE(patient.token.empty());
  ASSERT_EQ(Record("me", "CONSENT_KIND_TREATMENT", patient.token).status, 200);
  HttpResponse consent = Record("me", "CONSENT_KIND_PARTNER_INVOLVEMENT", patient.token);
  ASSERT_EQ(consent.status, 200) << consent.body;
  const std::string partner = AcceptAndSignIn(InvitePartner(patient.token));
  ASSERT_FALSE(partner.empty());
  ASSERT_EQ(Rest().Get("/v1/clients/me/partnerView", partner).status, 200);
  // A partner never reads consents.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ConsentsPath("me"), partner), 403, kPermissionDenied));
  const std::string link_id =
      One("SELECT id FROM partner_links WHERE client_id = '" + patient.client_id + "'");
  const std::string partner_user_id =
      One("SELECT partner_user_id FROM partner_links WHERE id = '" + link_id + "'");

  HttpResponse withdrawn = Withdraw("me", consent.Json().value("id", ""), patient.token);

  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(withdrawn.Json().value("kind", ""), "CONSENT_KIND_PARTNER_INVOLVEMENT");
  EXPECT_EQ(withdrawn.Json().value("state", ""), "CONSENT_STATE_WITHDRAWN");
  EXPECT_EQ(withdrawn.Json().value("withdrawnByRole", ""), "ROLE_PATIENT");
  // The partner's session ended in the same transaction; her link is revoked, her account
  // inactive.
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/clients/me/partnerView", partner), 401, kUnauthenticated));
  EXPECT_NE(One("SELECT revoke_time FROM partner_links WHERE id = '" + link_id + "'"), "0");
  EXPECT_EQ(One("SELECT active FROM users WHERE id = '" + partner_user_id + "'"), "0");
  // Kim, Jo's partner, is untouched.
  EXPECT_EQ(One("SELECT revoke_time FROM partner_links WHERE id = '" +
                std::string(kKimPartnerLinkId) + "'"),
            "0");
  // No new partner until she consents again.
  HttpResponse invite = Rest().Post(
      "/v1/clients/me/partners:invite",
      {{"email", "partner-" + Unique() + "@example.test"}, {"displayName", "New"}}, patient.token);
  EXPECT_TRUE(IsErrorAnswer(invite, 400, kFailedPrecondition));
  EXPECT_EQ(ErrorInfoOf(invite).value("reason", ""), "CONSENT_REQUIRED");
  // Her other consent is untouched.
  const nlohmann::json in_force = List("me", patient.token, /*in_force_only=*/true);
  ASSERT_EQ(in_force.size(), 1u) << in_force.dump();
  EXPECT_EQ(in_force[0].value("kind", ""), "CONSENT_KIND_TREATMENT");
}

TEST_F(ConsentsApiTest, PendingPartnerInvitationIsRevokedWhenConsentIsWithdrawn) {
  const PortalPatient patient = NewPortalPatient();
  ASSERT_FALSE(patient.token.empty());
  HttpResponse consent = Record("me", "CONSENT_KIND_PARTNER_INVOLVEMENT", patient.token);
  ASSERT_EQ(consent.status, 200) << consent.body;
  const std::string partner_email = InvitePartner(patient.token);
  const std::string old_invitation = TokenSentTo(partner_email);
  ASSERT_FALSE(old_invitation.empty());
  ASSERT_EQ(Withdraw("me", consent.Json().value("id", ""), patient.token).status, 200);
  EXPECT_EQ(One("SELECT COUNT(*) FROM one_time_tokens WHERE client_id = '" + patient.client_id +
                "' AND purpose = 3 AND revoke_time = 0"),
            "0");
  // Consenting again does not bring the old invitation back.
  ASSERT_EQ(Record("me", "CONSENT_KIND_PARTNER_INVOLVEMENT", patient.token).status, 200);

  HttpResponse accepted = Rest().Post("/v1/auth/invitations:accept",
                                      {{"token", old_invitation}, {"password", kPassword}});

  // Answered exactly like any unusable token: nothing says consent was withdrawn.
  HttpResponse bogus = Rest().Post("/v1/auth/invitations:accept",
                                   {{"token", "x" + Unique()}, {"password", kPassword}});
  EXPECT_TRUE(IsErrorAnswer(accepted, 400, kInvalidArgument)) << accepted.body;
  EXPECT_EQ(accepted.status, bogus.status);
  EXPECT_EQ(accepted.Json(), bogus.Json());
  EXPECT_THAT(accepted.body, ::testing::Not(HasSubstr("consent")));
  EXPECT_EQ(One("SELECT COUNT(*) FROM partner_links WHERE client_id = '" + patient.client_id + "'"),
            "0");
  EXPECT_EQ(One("SELECT COUNT(*) FROM users WHERE email = '" + partner_email + "'"), "0");
}

// A link can outlive the consent only in data written before consent was required (here made
// by ending the grant in the database directly): the patient may still narrow what the partner
// sees, but not widen it.
TEST_F(ConsentsApiTest, NarrowingSharesNeedsNoConsentWideningDoes) {
  const PortalPatient patient = NewPortalPatient();
  ASSERT_FALSE(patient.token.empty());
  HttpResponse consent = Record("me", "CONSENT_KIND_PARTNER_INVOLVEMENT", patient.token);
  ASSERT_EQ(consent.status, 200) << consent.body;
  const std::string email = "partner-" + Unique() + "@example.test";
  ASSERT_EQ(Rest()
                .Post("/v1/clients/me/partners:invite",
                      {{"email", email},
                       {"displayName", "Sol"},
                       {"shares", {"PARTNER_SHARE_GOALS", "PARTNER_SHARE_PLAN_SUMMARY"}}},
                      patient.token)
                .status,
            200);
  ASSERT_FALSE(AcceptAndSignIn(email).empty());
  const std::string link_id =
      One("SELECT id FROM partner_links WHERE client_id = '" + patient.client_id + "'");
  Query("UPDATE consents SET state = 2 WHERE id = '" + consent.Json().value("id", "") + "'");
  const std::string path = "/v1/clients/me/partners/" + link_id + ":updateShares";

  HttpResponse same = Rest().Post(
      path, {{"shares", {"PARTNER_SHARE_GOALS", "PARTNER_SHARE_PLAN_SUMMARY"}}}, patient.token);
  HttpResponse narrowed = Rest().Post(path, {{"shares", {"PARTNER_SHARE_GOALS"}}}, patient.token);
  HttpResponse widened = Rest().Post(
      path, {{"shares", {"PARTNER_SHARE_GOALS", "PARTNER_SHARE_PROGRESS_SUMMARY"}}}, patient.token);

  EXPECT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(narrowed.status, 200) << narrowed.body;
  EXPECT_TRUE(IsErrorAnswer(widened, 400, kFailedPrecondition)) << widened.body;
  EXPECT_EQ(ErrorInfoOf(widened).value("reason", ""), "CONSENT_REQUIRED");
  // Goals only: bit 1 << PARTNER_SHARE_GOALS (2).
  EXPECT_EQ(One("SELECT shares FROM partner_links WHERE id = '" + link_id + "'"), "4");
}

TEST_F(ConsentsApiTest, ListsOverGrpc) {
  v1::ListConsentsRequest request;
  request.set_client_id(kRileyClientId);
  request.set_in_force_only(true);
  v1::ListConsentsResponse response;

  grpc::Status status = v1::ConsentService::NewStub(channel())->ListConsents(
      Context(TokenOf(kSamEmail)).get(), request, &response);

  ASSERT_TRUE(status.ok()) << Describe(status);
  std::vector<std::string> ids;
  for (const v1::Consent& consent : response.consents()) {
    ids.push_back(consent.id());
    if (consent.id() == kRileyTreatmentConsentId) {
      EXPECT_EQ(consent.kind(), v1::CONSENT_KIND_TREATMENT);
      EXPECT_EQ(consent.text_version(), "2026-01");
      EXPECT_EQ(consent.recorded_by_user_id(), kSamUserId);
      EXPECT_EQ(consent.recorded_by_role(), v1::ROLE_CLINICIAN);
      EXPECT_EQ(consent.state(), v1::CONSENT_STATE_GIVEN);
    }
  }
  EXPECT_THAT(ids, Contains(kRileyTreatmentConsentId));
  // Another clinic's clinician: NOT_FOUND over gRPC too.
  v1::ListConsentsResponse nothing;
  grpc::Status other = v1::ConsentService::NewStub(channel())->ListConsents(
      Context(TokenOf(kOtherTherapistEmail)).get(), request, &nothing);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(other);
}

}  // namespace
}  // namespace confide::api_test
