// The authorization matrix through the real server over REST (the policy-level matrix with every
// cell is tests/unit/services/policy/authorization_matrix_test.cc). For each call the HTTP
// status must be the one written here; every refusal must leave an audit event for its request
// id; and every 404 must be byte-identical to the same RPC's 404 for a client id that exists
// nowhere, so no answer tells whether a hidden record exists.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

constexpr char kDemoClinic[] = "demo";
constexpr char kOtherClinic[] = "other";

// A client record a call targets, by the clinic it belongs to.
struct Target {
  std::string id;
  std::string clinic;
};

// One caller: a session token and the clinic its account belongs to.
struct Caller {
  std::string name;
  std::string token;
  std::string clinic;
};

// An HTTP request for one RPC.
struct Request {
  std::string method;
  std::string path;
  std::string body;
};

// What the server answered.
struct Answer {
  int status = 0;
  std::string body;
  std::string request_id;
};

// The RPCs the matrix sends, by short name.
constexpr std::string_view kClientRpcs[] = {"GetClient",         "UpdateClient",
                                            "ArchiveClient",     "ListCareTeam",
                                            "AddCareTeamMember", "InviteClientToPortal",
                                            "ListPartners",      "UpdatePartnerShares",
                                            "GetPartnerView",    "BreakGlass"};
constexpr std::string_view kClinicRpcs[] = {"CreateClient",   "ListClients",          "ListStaff",
                                            "InviteStaff",    "ListBreakGlassGrants", "GetMyClinic",
                                            "DeactivateStaff"};

class AuthorizationMatrixApiTest : public ApiTest {
 protected:
  static void TearDownTestSuite() {
    std::printf(
        "authorization matrix over REST: %d cases, %d requests in all (with setup and "
        "nonexistent-id twins)\n",
        cases_, requests_);
    std::printf(
        "authorization matrix over REST: %d refusals on another clinic's record audited "
        "like a nonexistent id, not as 'denied'\n",
        other_clinic_not_denied_);
    ApiTest::TearDownTestSuite();
  }

  static Caller Demo(const std::string& name, const char* email) {
    return Caller{name, TokenOf(email), kDemoClinic};
  }

  // The request for `rpc` on client `client_id` (ignored by clinic-level RPCs). `client` is the
  // record as created (for its etag) when the call changes it.
  static Request RequestFor(std::string_view rpc, const std::string& client_id,
                            const nlohmann::json& client = nullptr) {
    const std::string path = "/v1/clients/" + client_id;
    const std::string etag =
        client.is_object() && client.contains("etag") ? client["etag"].get<std::string>() : "x";
    if (rpc == "GetClient") return {"GET", path, ""};
    if (rpc == "UpdateClient") {
      return {"PATCH", path + "?updateMask=preferredName",
              nlohmann::json{{"preferredName", "Matrix"}, {"etag", etag}}.dump()};
    }
    if (rpc == "ArchiveClient") {
      return {"POST", path + ":archive", nlohmann::json{{"etag", etag}}.dump()};
    }
    if (rpc == "ListCareTeam") return {"GET", path + "/careTeam", ""};
    if (rpc == "AddCareTeamMember") {
      return {"POST", path + "/careTeam", nlohmann::json{{"userId", kAlexUserId}}.dump()};
    }
    if (rpc == "InviteClientToPortal") {
      return {"POST", path + ":inviteToPortal",
              nlohmann::json{{"email", "matrix-" + Unique() + "@example.test"}}.dump()};
    }
    if (rpc == "ListPartners") return {"GET", path + "/partners", ""};
    if (rpc == "UpdatePartnerShares") {
      // Kim's link, to the share she already has: allowed calls change nothing.
      return {"POST", path + "/partners/" + kKimPartnerLinkId + ":updateShares",
              nlohmann::json{{"shares", {"PARTNER_SHARE_PLAN_SUMMARY"}}}.dump()};
    }
    if (rpc == "GetPartnerView") return {"GET", path + "/partnerView", ""};
    if (rpc == "BreakGlass") {
      return {"POST", path + ":breakGlass",
              nlohmann::json{{"reason", "authorization matrix: urgent clinical question"}}.dump()};
    }
    if (rpc == "CreateClient") {
      return {"POST", "/v1/clients",
              nlohmann::json{{"legalGivenName", "Matrix"}, {"legalFamilyName", Unique()}}.dump()};
    }
    if (rpc == "ListClients") return {"GET", "/v1/clients", ""};
    if (rpc == "ListStaff") return {"GET", "/v1/staff", ""};
    if (rpc == "InviteStaff") {
      return {"POST", "/v1/staff:invite",
              nlohmann::json{{"email", "matrix-" + Unique() + "@example.test"},
                             {"displayName", "Matrix Invitee"},
                             {"role", "ROLE_CLINICIAN"},
                             {"discipline", "DISCIPLINE_OTHER"}}
                  .dump()};
    }
    if (rpc == "ListBreakGlassGrants") return {"GET", "/v1/breakGlassGrants", ""};
    if (rpc == "GetMyClinic") return {"GET", "/v1/clinic", ""};
    if (rpc == "DeactivateStaff") {
      return {"POST", std::string("/v1/staff/") + kAlexUserId + ":deactivate", "{}"};
    }
    if (rpc == "ListMySessions") return {"GET", "/v1/auth/sessions", ""};
    if (rpc == "GetCurrentUser") return {"GET", "/v1/auth/me", ""};
    ADD_FAILURE() << "no request for " << rpc;
    return {"GET", "/", ""};
  }

  static bool IsClientRpc(std::string_view rpc) {
    for (std::string_view name : kClientRpcs) {
      if (name == rpc) return true;
    }
    return false;
  }

  static Answer Send(const std::string& token, const Request& request) {
    ++requests_;
    Answer answer;
    answer.request_id = "matrix-" + Unique();
    HttpResponse response = Rest().Send(request.method, request.path, request.body, token,
                                        {{"X-Request-Id", answer.request_id}});
    answer.status = response.status;
    answer.body = response.status == 0 ? response.error : response.body;
    return answer;
  }

  // The audit events of a request as "outcome|status_code" rows.
  static std::vector<std::string> EventsOf(const std::string& request_id) {
    // `request_id` is the test's own [a-z0-9-] text, safe to splice into SQL.
    return Query("SELECT outcome, status_code FROM audit_events WHERE request_id = '" + request_id +
                 "' ORDER BY seq");
  }

  // Sends `rpc` as `caller` on `target` and checks the answer is `expected`, that a refusal is
  // audited (as a denial; a record of another clinic as exactly a nonexistent one), and that a
  // 404 (and, with `existence_blind`, any refusal) reads exactly like the same call on a client
  // id that exists nowhere.
  static void Expect(const Caller& caller, std::string_view rpc, const Target& target, int expected,
                     const nlohmann::json& client = nullptr, bool existence_blind = false) {
    const bool client_rpc = IsClientRpc(rpc);
    const std::string what =
        caller.name + " " + std::string(rpc) + (client_rpc ? " on " + target.id : std::string());
    SCOPED_TRACE(what);
    ++cases_;
    const Answer answer = Send(caller.token, RequestFor(rpc, target.id, client));
    EXPECT_EQ(answer.status, expected) << what << ": " << answer.body;
    if (answer.status < 400 || answer.status == 401) {
      return;
    }
    const std::vector<std::string> events = EventsOf(answer.request_id);
    const std::string code = answer.status == 403   ? "PERMISSION_DENIED"
                             : answer.status == 404 ? "NOT_FOUND"
                                                    : "";
    std::string outcome;
    if (events.size() != 1) {
      ADD_FAILURE() << what << ": " << events.size() << " audit events, want 1";
    } else {
      outcome = events[0].substr(0, events[0].find('|'));
      EXPECT_EQ(events[0].substr(events[0].find('|') + 1), code) << what;
    }
    const bool has_twin = client_rpc && (answer.status == 404 || existence_blind);
    Answer twin;
    if (has_twin) {
      twin = Send(caller.token, RequestFor(rpc, kNonexistentClientId, client));
      EXPECT_EQ(twin.status, answer.status) << what << ": for a nonexistent id: " << twin.body;
      EXPECT_EQ(twin.body, answer.body) << what << ": differs from the answer for a nonexistent id";
    }
    if (outcome.empty() || outcome == "denied") {
      return;
    }
    // The one refusal not audited as a denial: a record of another clinic leaves exactly the
    // trail of one that exists nowhere, so not even the caller's clinic's audit trail reveals it
    // (AuditApiTest.ReadFromAnotherClinicIsAuditedLikeANonexistentRecord).
    if (client_rpc && target.clinic != caller.clinic && has_twin) {
      ++other_clinic_not_denied_;
      EXPECT_EQ(EventsOf(twin.request_id), events) << what << ": audited unlike a nonexistent id";
    } else {
      ADD_FAILURE() << what << ": the refusal is audited as " << events[0] << ", not as denied";
    }
  }

  // A client created by Sam (care team: Sam only) for calls that change it.
  static nlohmann::json Fresh() {
    ++requests_;
    return CreateClient(TokenOf(kSamEmail));
  }

  // Redeems an invitation token and signs the new account in; returns its session token.
  static std::string AcceptAndSignIn(const std::string& invitation_token, const std::string& email,
                                     std::string* user_id = nullptr,
                                     std::string* password_out = nullptr) {
    const std::string password = "matrix-password-" + Unique();
    if (password_out != nullptr) {
      *password_out = password;
    }
    requests_ += 2;
    HttpResponse accepted = Rest().Post("/v1/auth/invitations:accept",
                                        {{"token", invitation_token}, {"password", password}});
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    if (user_id != nullptr) {
      *user_id = accepted.Json().value("id", "");
    }
    HttpResponse login = LogIn(email, password);
    EXPECT_EQ(login.status, 200) << login.body;
    return login.Json().value("sessionToken", "");
  }

  // Expects 401 with one and the same body for every RPC (client RPCs on `target` and on a
  // nonexistent id).
  static void ExpectUnauthenticatedEverywhere(const Caller& caller, const Target& target) {
    SCOPED_TRACE(caller.name);
    std::string first_body;
    auto check = [&](std::string_view rpc, const std::string& id) {
      ++cases_;
      const Answer answer = Send(caller.token, RequestFor(rpc, id));
      EXPECT_EQ(answer.status, 401) << caller.name << " " << rpc << ": " << answer.body;
      if (first_body.empty()) {
        first_body = answer.body;
      }
      EXPECT_EQ(answer.body, first_body) << caller.name << " " << rpc;
    };
    for (std::string_view rpc : kClientRpcs) {
      check(rpc, target.id);
      check(rpc, kNonexistentClientId);
    }
    for (std::string_view rpc : kClinicRpcs) {
      check(rpc, "");
    }
    check("ListMySessions", "");
  }

  static inline int cases_ = 0;
  static inline int requests_ = 0;
  static inline int other_clinic_not_denied_ = 0;
};

// One row of the demo-account matrix: an RPC on a target, and the HTTP status per caller in
// the column order of the header comment. "---" = not sent (it would change state other rows read).
struct Row {
  std::string_view rpc;
  std::string_view target;
  std::string_view statuses;
};

// Targets: "jo" (care team Sam and Alex; Kim is her partner with the plan summary shared),
// "riley" (care team Sam), "casey" (Other Clinic; care team other.therapist), "fresh" (a new
// client Sam creates for the call: care team Sam only), "" (clinic-level RPC).
// clang-format off
constexpr Row kDemoMatrix[] = {
    //                                            Sam Alex Admin Audit Jo  Riley Kim Other Casey
    {"GetClient", "jo",                          "200 200  200   404   200 404   403 404   404"},
    {"GetClient", "riley",                       "200 404  200   404   404 200   404 404   404"},
    {"GetClient", "casey",                       "404 404  404   404   404 404   404 200   200"},
    {"UpdateClient", "fresh",                    "200 404  403   404   404 404   404 404   404"},
    {"UpdateClient", "jo",                       "--- ---  403   404   403 404   403 404   404"},
    {"ArchiveClient", "fresh",                   "200 404  200   404   404 404   404 404   404"},
    {"ArchiveClient", "jo",                      "--- ---  ---   404   403 404   403 404   404"},
    {"ListCareTeam", "jo",                       "200 200  200   404   200 404   403 404   404"},
    {"ListCareTeam", "riley",                    "200 404  200   404   404 200   404 404   404"},
    {"AddCareTeamMember", "fresh",               "200 404  200   404   404 404   404 404   404"},
    {"AddCareTeamMember", "riley",               "--- 404  ---   404   404 403   404 404   404"},
    {"InviteClientToPortal", "fresh",            "200 404  403   404   404 404   404 404   404"},
    {"InviteClientToPortal", "jo",               "200 200  403   404   403 404   403 404   404"},
    {"ListPartners", "jo",                       "403 403  403   404   200 404   403 404   404"},
    {"ListPartners", "riley",                    "403 404  403   404   404 200   404 404   404"},
    {"UpdatePartnerShares", "jo",                "403 403  403   404   200 404   403 404   404"},
    {"GetPartnerView", "jo",                     "403 403  403   404   403 404   200 404   404"},
    {"GetPartnerView", "riley",                  "403 404  403   404   404 403   404 404   404"},
    {"BreakGlass", "fresh",                      "403 200  403   404   404 404   404 404   404"},
    {"BreakGlass", "jo",                         "403 403  403   404   403 404   403 404   404"},
    {"BreakGlass", "riley",                      "403 ---  403   404   404 403   404 404   404"},
    {"CreateClient", "",                         "200 200  200   403   403 403   403 200   403"},
    {"ListClients", "",                          "200 200  200   403   200 200   403 200   200"},
    {"ListStaff", "",                            "200 200  200   403   403 403   403 200   403"},
    {"InviteStaff", "",                          "403 403  200   403   403 403   403 403   403"},
    {"DeactivateStaff", "",                      "403 403  ---   403   403 403   403 403   403"},
    {"ListBreakGlassGrants", "",                 "403 403  200   200   403 403   403 403   403"},
    {"GetMyClinic", "",                          "200 200  200   200   200 200   200 200   200"},
};
// clang-format on

std::vector<std::string> Statuses(std::string_view text) {
  std::vector<std::string> statuses;
  size_t start = 0;
  while (start < text.size()) {
    if (text[start] == ' ') {
      ++start;
      continue;
    }
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    statuses.emplace_back(text.substr(start, end - start));
    start = end;
  }
  return statuses;
}

TEST_F(AuthorizationMatrixApiTest, DemoAccountsGetTheWrittenStatusForEveryRpcAndTarget) {
  HttpResponse casey_login = LogIn(kCaseyEmail, kDemoPassword);
  ASSERT_EQ(casey_login.status, 200) << casey_login.body;
  const std::vector<Caller> callers = {
      Demo("Sam", kSamEmail),
      Demo("Alex", kAlexEmail),
      Demo("Admin", kAdminEmail),
      Demo("Auditor", kAuditorEmail),
      Demo("Jo", kJoEmail),
      Demo("Riley", kRileyEmail),
      Demo("Kim", kKimEmail),
      Caller{"Other", TokenOf(kOtherTherapistEmail), kOtherClinic},
      Caller{"Casey", casey_login.Json().value("sessionToken", ""), kOtherClinic}};
  const int before = cases_;
  for (const Row& row : kDemoMatrix) {
    const std::vector<std::string> statuses = Statuses(row.statuses);
    ASSERT_EQ(statuses.size(), callers.size()) << row.rpc << " " << row.target;
    for (size_t i = 0; i < callers.size(); ++i) {
      if (statuses[i] == "---") {
        continue;
      }
      Target target{"", kDemoClinic};
      nlohmann::json client;
      if (row.target == "jo") {
        target.id = kJoClientId;
      } else if (row.target == "riley") {
        target.id = kRileyClientId;
      } else if (row.target == "casey") {
        target = {kCaseyClientId, kOtherClinic};
      } else if (row.target == "fresh") {
        client = Fresh();
        ASSERT_TRUE(client.is_object());
        target.id = client["id"].get<std::string>();
      }
      Expect(callers[i], row.rpc, target, std::stoi(statuses[i]), client);
    }
  }
  std::printf("authorization matrix over REST: %d demo-account cases\n", cases_ - before);
}

// Alex is not on the care team of Sam's new client: a live break-glass grant opens clinical
// access (not care-team, portal or partner management); once it expires the record is hidden
// again, exactly like a nonexistent one.
TEST_F(AuthorizationMatrixApiTest, BreakGlassOpensAccessUntilItExpires) {
  const Caller alex = Demo("Alex", kAlexEmail);
  const nlohmann::json client = Fresh();
  ASSERT_TRUE(client.is_object());
  const Target target{client["id"].get<std::string>(), kDemoClinic};

  Expect(alex, "GetClient", target, 404);
  Expect(alex, "BreakGlass", target, 200);
  // Under break-glass (policy: everything clinical, no care-team or portal management).
  Expect(alex, "GetClient", target, 200);
  Expect(alex, "ListCareTeam", target, 200);
  Expect(alex, "AddCareTeamMember", target, 403);
  Expect(alex, "InviteClientToPortal", target, 403);
  Expect(alex, "ListPartners", target, 403);
  Expect(alex, "GetPartnerView", target, 403);
  Expect(alex, "BreakGlass", target, 200);
  Expect(alex, "UpdateClient", target, 200, client);
  // Served by break-glass: the trail flags it.
  EXPECT_EQ(
      Query("SELECT count(*) FROM audit_events WHERE actor_user_id = '" + std::string(kAlexUserId) +
            "' AND client_id = '" + target.id + "' AND outcome = 'success' AND break_glass = 1"),
      std::vector<std::string>{"5"});

  // Time passes: every grant of Alex on this client expires.
  Query("UPDATE break_glass_grants SET expire_time = 1 WHERE user_id = '" +
        std::string(kAlexUserId) + "' AND client_id = '" + target.id + "'");
  Expect(alex, "GetClient", target, 404);
  Expect(alex, "UpdateClient", target, 404, client);
  Expect(alex, "ArchiveClient", target, 404, client);
  Expect(alex, "ListCareTeam", target, 404);
  Expect(alex, "ListPartners", target, 404);
}

// A newly invited clinician before TOTP enrolment may do nothing the policy decides, whether or
// not the record exists and even on a client whose care team she is on; once deactivated her
// session is refused everywhere and she cannot sign in again.
TEST_F(AuthorizationMatrixApiTest, StaffWithoutSecondFactorThenDeactivated) {
  const Caller admin = Demo("Admin", kAdminEmail);
  const std::string email = "matrix-" + Unique() + "@example.test";
  HttpResponse invited = Rest().Post("/v1/staff:invite",
                                     {{"email", email},
                                      {"displayName", "Matrix Clinician"},
                                      {"role", "ROLE_CLINICIAN"},
                                      {"discipline", "DISCIPLINE_SEX_THERAPIST"}},
                                     admin.token);
  ++requests_;
  ASSERT_EQ(invited.status, 200) << invited.body;
  std::string user_id;
  const Caller dana{"Dana (no MFA)", AcceptAndSignIn(TokenSentTo(email), email, &user_id),
                    kDemoClinic};
  ASSERT_FALSE(dana.token.empty());
  ASSERT_FALSE(user_id.empty());

  // On the care team of a new client.
  const nlohmann::json client = Fresh();
  ASSERT_TRUE(client.is_object());
  const Target own{client["id"].get<std::string>(), kDemoClinic};
  ++requests_;
  HttpResponse added =
      Rest().Post("/v1/clients/" + own.id + "/careTeam", {{"userId", user_id}}, admin.token);
  ASSERT_EQ(added.status, 200) << added.body;

  for (const Target& target :
       {own, Target{kJoClientId, kDemoClinic}, Target{kCaseyClientId, kOtherClinic}}) {
    for (std::string_view rpc : kClientRpcs) {
      Expect(dana, rpc, target, 403, client, /*existence_blind=*/true);
    }
  }
  for (std::string_view rpc : kClinicRpcs) {
    Expect(dana, rpc, Target{}, 403);
  }
  // Only her own sessions and enrolment are open to her.
  ++cases_;
  EXPECT_EQ(Send(dana.token, RequestFor("ListMySessions", "")).status, 200);

  ++requests_;
  HttpResponse deactivated =
      Rest().Post("/v1/staff/" + user_id + ":deactivate", nlohmann::json::object(), admin.token);
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  ExpectUnauthenticatedEverywhere(Caller{"Dana (deactivated)", dana.token, kDemoClinic}, own);
  ++cases_;
  EXPECT_TRUE(IsErrorAnswer(LogIn(email, "matrix-password-wrong"), 401, kUnauthenticated));
}

// An account deactivated behind the server's back (its sessions not revoked) is still refused:
// the session check reads the account.
TEST_F(AuthorizationMatrixApiTest, SessionOfAnInactiveAccountIsRefused) {
  const Caller admin = Demo("Admin", kAdminEmail);
  const std::string email = "matrix-" + Unique() + "@example.test";
  ++requests_;
  HttpResponse invited = Rest().Post(
      "/v1/staff:invite",
      {{"email", email}, {"displayName", "Matrix Auditor"}, {"role", "ROLE_AUDITOR"}}, admin.token);
  ASSERT_EQ(invited.status, 200) << invited.body;
  std::string user_id;
  const std::string token = AcceptAndSignIn(TokenSentTo(email), email, &user_id);
  ASSERT_FALSE(token.empty());
  ++requests_;
  ASSERT_EQ(Rest().Get("/v1/auth/sessions", token).status, 200);

  Query("UPDATE users SET active = 0 WHERE id = '" + user_id + "'");

  ExpectUnauthenticatedEverywhere(Caller{"inactive auditor", token, kDemoClinic},
                                  Target{kJoClientId, kDemoClinic});
}

// Partners: one without any share still has the partner view but no record; one of another
// client sees nothing of Jo; once Jo revokes a link, its sessions end and the partner, signed
// in again, finds nothing.
TEST_F(AuthorizationMatrixApiTest, PartnersByShareByClientAndAfterRevocation) {
  const Caller jo = Demo("Jo", kJoEmail);
  const Caller riley = Demo("Riley", kRileyEmail);
  const Target jo_record{kJoClientId, kDemoClinic};
  const Target riley_record{kRileyClientId, kDemoClinic};

  // Jo's partner without shares.
  const std::string pat_email = "matrix-" + Unique() + "@example.test";
  ++requests_;
  HttpResponse pat_invited = Rest().Post(
      "/v1/clients/me/partners:invite",
      {{"email", pat_email}, {"displayName", "Pat"}, {"shares", nlohmann::json::array()}},
      jo.token);
  ASSERT_EQ(pat_invited.status, 200) << pat_invited.body;
  std::string pat_user_id;
  std::string pat_password;
  const Caller pat{"Pat (Jo's partner, no share)",
                   AcceptAndSignIn(TokenSentTo(pat_email), pat_email, &pat_user_id, &pat_password),
                   kDemoClinic};
  ASSERT_FALSE(pat.token.empty());

  // Riley's partner, once Riley has consented to involving one (Jo has in the demo data).
  ++requests_;
  HttpResponse riley_consent = Rest().Post(
      "/v1/clients/me/consents",
      {{"kind", "CONSENT_KIND_PARTNER_INVOLVEMENT"}, {"textVersion", "2026-01"}}, riley.token);
  ASSERT_EQ(riley_consent.status, 200) << riley_consent.body;
  const std::string lee_email = "matrix-" + Unique() + "@example.test";
  ++requests_;
  HttpResponse lee_invited =
      Rest().Post("/v1/clients/me/partners:invite",
                  {{"email", lee_email},
                   {"displayName", "Lee"},
                   {"shares", {"PARTNER_SHARE_PLAN_SUMMARY", "PARTNER_SHARE_JOURNAL"}}},
                  riley.token);
  ASSERT_EQ(lee_invited.status, 200) << lee_invited.body;
  const Caller lee{"Lee (Riley's partner)", AcceptAndSignIn(TokenSentTo(lee_email), lee_email),
                   kDemoClinic};
  ASSERT_FALSE(lee.token.empty());

  // client RPC → status for Pat on Jo, Lee on Jo, Lee on Riley.
  struct PartnerRow {
    std::string_view rpc;
    int pat_on_jo;
    int lee_on_jo;
    int lee_on_riley;
  };
  const PartnerRow rows[] = {
      {"GetClient", 403, 404, 403},         {"UpdateClient", 403, 404, 403},
      {"ArchiveClient", 403, 404, 403},     {"ListCareTeam", 403, 404, 403},
      {"AddCareTeamMember", 403, 404, 403}, {"InviteClientToPortal", 403, 404, 403},
      {"ListPartners", 403, 404, 403},      {"UpdatePartnerShares", 403, 404, 403},
      {"GetPartnerView", 200, 404, 200},    {"BreakGlass", 403, 404, 403},
  };
  for (const PartnerRow& row : rows) {
    Expect(pat, row.rpc, jo_record, row.pat_on_jo);
    Expect(lee, row.rpc, jo_record, row.lee_on_jo);
    Expect(lee, row.rpc, riley_record, row.lee_on_riley);
  }

  // Jo revokes Pat's link.
  ++requests_;
  HttpResponse partners = Rest().Get("/v1/clients/me/partners", jo.token);
  ASSERT_EQ(partners.status, 200) << partners.body;
  std::string link_id;
  for (const nlohmann::json& link : partners.Json().value("partners", nlohmann::json::array())) {
    if (link.value("partnerUserId", "") == pat_user_id) {
      link_id = link.value("id", "");
    }
  }
  ASSERT_FALSE(link_id.empty()) << partners.body;
  ++requests_;
  HttpResponse revoked = Rest().Post("/v1/clients/me/partners/" + link_id + ":revoke",
                                     nlohmann::json::object(), jo.token);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  ExpectUnauthenticatedEverywhere(pat, jo_record);

  // Signed in again (if the server lets her), without a live link she finds no record.
  HttpResponse again = LogIn(pat_email, pat_password);
  ++requests_;
  if (again.status == 401) {
    return;  // stricter than required: a partner without a live link cannot sign in
  }
  ASSERT_EQ(again.status, 200) << again.body;
  const Caller pat_again{"Pat (link revoked)", again.Json().value("sessionToken", ""), kDemoClinic};
  if (Send(pat_again.token, RequestFor("GetMyClinic", "")).status == 401) {
    ExpectUnauthenticatedEverywhere(pat_again, jo_record);
    return;
  }
  for (std::string_view rpc : kClientRpcs) {
    Expect(pat_again, rpc, jo_record, 404);
  }
  Expect(pat_again, "ListClients", Target{}, 403);
  Expect(pat_again, "GetMyClinic", Target{}, 200);
}

// Sessions that ended (logged out, past expiry, idle too long) and tokens that never were one
// are refused on every RPC with one and the same answer, whether or not the record exists.
TEST_F(AuthorizationMatrixApiTest, EndedAndBogusSessionsAreUnauthenticatedEverywhere) {
  const Target riley_record{kRileyClientId, kDemoClinic};

  // Logged out.
  HttpResponse login = LogIn(kRileyEmail, kDemoPassword);
  ++requests_;
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string logged_out = login.Json()["sessionToken"];
  ++requests_;
  ASSERT_EQ(Rest().Post("/v1/auth/logout", nlohmann::json::object(), logged_out).status, 200);
  ExpectUnauthenticatedEverywhere(Caller{"Riley (logged out)", logged_out, kDemoClinic},
                                  riley_record);

  // Past its absolute expiry, and idle too long.
  for (const char* column : {"expire_time", "last_seen_time"}) {
    HttpResponse fresh_login = LogIn(kRileyEmail, kDemoPassword);
    ++requests_;
    ASSERT_EQ(fresh_login.status, 200) << fresh_login.body;
    const std::string token = fresh_login.Json()["sessionToken"];
    ++requests_;
    HttpResponse sessions = Rest().Get("/v1/auth/sessions", token);
    ASSERT_EQ(sessions.status, 200) << sessions.body;
    std::string session_id;
    for (const nlohmann::json& s : sessions.Json().value("sessions", nlohmann::json::array())) {
      if (s.value("current", false)) {
        session_id = s.value("id", "");
      }
    }
    ASSERT_FALSE(session_id.empty()) << sessions.body;
    Query(std::string("UPDATE sessions SET ") + column + " = 1 WHERE id = '" + session_id + "'");
    ExpectUnauthenticatedEverywhere(
        Caller{std::string("Riley (") + column + " passed)", token, kDemoClinic}, riley_record);
  }

  ExpectUnauthenticatedEverywhere(Caller{"garbage token", "garbage-token", kDemoClinic},
                                  riley_record);
  ExpectUnauthenticatedEverywhere(Caller{"no token", "", kDemoClinic}, riley_record);
}

}  // namespace
}  // namespace confide::api_test
