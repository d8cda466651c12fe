// Signing in and the client records over REST, against the real confide-server: sessions, the
// create/read/list/update/archive life cycle, pagination, and who may see which record.

#include <set>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class ClientsApiTest : public ApiTest {};

std::vector<std::string> IdsOf(const nlohmann::json& list) {
  std::vector<std::string> ids;
  if (list.contains("clients")) {
    for (const nlohmann::json& client : list["clients"]) {
      ids.push_back(client.value("id", ""));
    }
  }
  return ids;
}

std::string ClientPath(const std::string& id) { return "/v1/clients/" + id; }

std::string UpdatePath(const std::string& id, const std::string& mask) {
  return ClientPath(id) + "?updateMask=" + mask;
}

// --- Signing in and out ---

TEST_F(ClientsApiTest, LoginReturnsSessionTokenExpiryAndUser) {
  HttpResponse login = LogIn(kRileyEmail, kDemoPassword);

  ASSERT_EQ(login.status, 200) << login.error << login.body;
  const nlohmann::json body = login.Json();
  EXPECT_FALSE(body.value("sessionToken", "").empty());
  EXPECT_FALSE(body.value("expireTime", "").empty());
  ASSERT_TRUE(body.contains("user"));
  EXPECT_EQ(body["user"].value("clientId", ""), kRileyClientId);
  EXPECT_EQ(body["user"].value("email", ""), kRileyEmail);
  EXPECT_EQ(body["user"].value("role", ""), "ROLE_PATIENT");
}

// Staff have enrolled TOTP: the right password alone is not enough.
TEST_F(ClientsApiTest, StaffLoginWithoutTotpCodeIsAskedForIt) {
  HttpResponse login = LogIn(kSamEmail, kDemoPassword);

  EXPECT_TRUE(IsErrorAnswer(login, 401, kUnauthenticated));
  EXPECT_FALSE(login.Json().contains("sessionToken"));
  EXPECT_NE(login.body.find("MFA_REQUIRED"), std::string::npos) << login.body;
}

TEST_F(ClientsApiTest, LoginWithWrongPasswordIsUnauthenticated) {
  HttpResponse login = LogIn(kSamEmail, "not-the-password");

  EXPECT_TRUE(IsErrorAnswer(login, 401, kUnauthenticated));
  EXPECT_FALSE(login.Json().contains("sessionToken"));
}

// Whether an account exists must not show in the answer.
TEST_F(ClientsApiTest, LoginWithUnknownEmailAnswersLikeWrongPassword) {
  HttpResponse unknown = LogIn("nobody@demo.confide.test", "not-the-password");
  HttpResponse wrong = LogIn(kSamEmail, "not-the-password");

  EXPECT_TRUE(IsErrorAnswer(unknown, 401, kUnauthenticated));
  EXPECT_EQ(unknown.body, wrong.body);
}

TEST_F(ClientsApiTest, RequestWithoutTokenIsUnauthenticated) {
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients"), 401, kUnauthenticated));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ClientPath(kJoClientId)), 401, kUnauthenticated));
}

TEST_F(ClientsApiTest, RequestWithGarbageTokenIsUnauthenticated) {
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients", "garbage-token"), 401, kUnauthenticated));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/clients", std::string(300, 'A')), 401, kUnauthenticated));
}

TEST_F(ClientsApiTest, TokenIsRefusedAfterLogout) {
  HttpResponse login = LogIn(kJoEmail, kDemoPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.Json()["sessionToken"];
  ASSERT_EQ(Rest().Get("/v1/clients", token).status, 200);

  HttpResponse logout = Rest().Post("/v1/auth/logout", nlohmann::json::object(), token);

  ASSERT_EQ(logout.status, 200) << logout.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients", token), 401, kUnauthenticated));
  // The suite's other session of the same account is untouched.
  EXPECT_EQ(Rest().Get("/v1/clients", TokenOf(kJoEmail)).status, 200);
}

// --- Create, read, list, update, archive ---

TEST_F(ClientsApiTest, CreatedClientReadsBackAndAppearsInList) {
  const std::string sam = TokenOf(kSamEmail);
  const std::string family = "Rowan" + Unique();
  HttpResponse created = Rest().Post("/v1/clients",
                                     {{"legalGivenName", "Morgan"},
                                      {"legalFamilyName", family},
                                      {"preferredName", "Mo"},
                                      {"dateOfBirth", "1990-02-28"},
                                      {"presentingConcern", "PRESENTING_CONCERN_DYSPAREUNIA"},
                                      {"discreetContact", {{"voicemailOk", true}}}},
                                     sam);

  ASSERT_EQ(created.status, 200) << created.body;
  const nlohmann::json client = created.Json();
  const std::string id = client.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(client.value("status", ""), "CLIENT_STATUS_ENQUIRY");
  EXPECT_FALSE(client.value("etag", "").empty());
  ASSERT_TRUE(client.contains("careTeam"));
  EXPECT_EQ(client["careTeam"][0].value("userId", ""), kSamUserId);

  HttpResponse got = Rest().Get(ClientPath(id), sam);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json(), client);
  EXPECT_EQ(got.Json().value("preferredName", ""), "Mo");
  EXPECT_EQ(got.Json()["discreetContact"].value("voicemailOk", false), true);

  HttpResponse listed = Rest().Get("/v1/clients?namePrefix=" + family, sam);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_THAT(IdsOf(listed.Json()), ElementsAre(id));
  EXPECT_THAT(IdsOf(Rest().Get("/v1/clients?pageSize=500", sam).Json()), ::testing::Contains(id));
}

TEST_F(ClientsApiTest, UpdateChangesTheFieldAndTheEtag) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam, {{"preferredName", "Before"}});
  ASSERT_TRUE(client.is_object());

  HttpResponse updated = Rest().Patch(
      UpdatePath(client["id"], "preferredName"),
      {{"preferredName", "After"}, {"pronouns", "ignored"}, {"etag", client["etag"]}}, sam);

  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.Json().value("preferredName", ""), "After");
  EXPECT_NE(updated.Json().value("etag", ""), client["etag"]);
  // Only masked fields change.
  EXPECT_FALSE(updated.Json().contains("pronouns"));
  HttpResponse got = Rest().Get(ClientPath(client["id"]), sam);
  EXPECT_EQ(got.Json(), updated.Json());
}

TEST_F(ClientsApiTest, UpdateWithStaleEtagIsAbortedAndLeavesDataUnchanged) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam, {{"preferredName", "First"}});
  ASSERT_TRUE(client.is_object());
  HttpResponse first = Rest().Patch(UpdatePath(client["id"], "preferredName"),
                                    {{"preferredName", "Second"}, {"etag", client["etag"]}}, sam);
  ASSERT_EQ(first.status, 200) << first.body;

  // A second editor still holding the original etag.
  HttpResponse stale = Rest().Patch(UpdatePath(client["id"], "preferredName"),
                                    {{"preferredName", "Third"}, {"etag", client["etag"]}}, sam);

  EXPECT_TRUE(IsErrorAnswer(stale, 409, kAborted));
  HttpResponse got = Rest().Get(ClientPath(client["id"]), sam);
  EXPECT_EQ(got.Json(), first.Json());
}

TEST_F(ClientsApiTest, ArchivedClientLeavesDefaultListAndShowsUnderArchivedFilter) {
  const std::string sam = TokenOf(kSamEmail);
  const std::string family = "Archived" + Unique();
  const nlohmann::json client = CreateClient(sam, {{"legalFamilyName", family}});
  ASSERT_TRUE(client.is_object());

  HttpResponse archived =
      Rest().Post(ClientPath(client["id"]) + ":archive", {{"etag", client["etag"]}}, sam);

  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(archived.Json().value("status", ""), "CLIENT_STATUS_ARCHIVED");
  EXPECT_NE(archived.Json().value("etag", ""), client["etag"]);
  EXPECT_THAT(IdsOf(Rest().Get("/v1/clients?namePrefix=" + family, sam).Json()), IsEmpty());
  HttpResponse filtered =
      Rest().Get("/v1/clients?status=CLIENT_STATUS_ARCHIVED&namePrefix=" + family, sam);
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_THAT(IdsOf(filtered.Json()), ElementsAre(client["id"]));
}

TEST_F(ClientsApiTest, UpdateOfArchivedClientIsFailedPreconditionAndLeavesItUnchanged) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam, {{"preferredName", "Kept"}});
  ASSERT_TRUE(client.is_object());
  HttpResponse archived =
      Rest().Post(ClientPath(client["id"]) + ":archive", {{"etag", client["etag"]}}, sam);
  ASSERT_EQ(archived.status, 200) << archived.body;

  HttpResponse updated =
      Rest().Patch(UpdatePath(client["id"], "preferredName"),
                   {{"preferredName", "Changed"}, {"etag", archived.Json()["etag"]}}, sam);

  EXPECT_TRUE(IsErrorAnswer(updated, 400, kFailedPrecondition));
  EXPECT_EQ(Rest().Get(ClientPath(client["id"]), sam).Json(), archived.Json());
}

// A phone that retries a create after a lost response must not make a second client.
TEST_F(ClientsApiTest, CreateRepeatedWithSameRequestIdReturnsTheFirstClient) {
  const std::string sam = TokenOf(kSamEmail);
  const std::string family = "Retry" + Unique();
  const std::string target = "/v1/clients?requestId=0190d000-0000-7000-8000-" + Unique();
  const nlohmann::json body = {{"legalGivenName", "Robin"}, {"legalFamilyName", family}};

  HttpResponse first = Rest().Post(target, body, sam);
  HttpResponse second = Rest().Post(target, body, sam);

  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.Json().value("id", "second"), first.Json().value("id", "first"));
  EXPECT_THAT(IdsOf(Rest().Get("/v1/clients?namePrefix=" + family, sam).Json()),
              ElementsAre(first.Json()["id"]));
}

// --- Pagination ---

TEST_F(ClientsApiTest, PagesOfThreeWalkAllClientsWithoutDuplicates) {
  const std::string sam = TokenOf(kSamEmail);
  const std::string family = "Paged" + Unique();
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) {
    const nlohmann::json client = CreateClient(sam, {{"legalFamilyName", family}});
    ASSERT_TRUE(client.is_object());
    created.insert(client["id"].get<std::string>());
  }

  std::vector<std::string> seen;
  std::vector<size_t> page_sizes;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/v1/clients?pageSize=3&namePrefix=" + family;
    if (!token.empty()) {
      target += "&pageToken=" + token;
    }
    HttpResponse response = Rest().Get(target, sam);
    ASSERT_EQ(response.status, 200) << response.body;
    const std::vector<std::string> ids = IdsOf(response.Json());
    page_sizes.push_back(ids.size());
    seen.insert(seen.end(), ids.begin(), ids.end());
    token = response.Json().value("nextPageToken", "");
    if (token.empty()) {
      break;
    }
  }

  EXPECT_THAT(page_sizes, ElementsAre(3, 3, 1));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);
  EXPECT_EQ(seen.size(), created.size()) << "a client appeared on two pages";
}

TEST_F(ClientsApiTest, InvalidPageTokenIsInvalidArgument) {
  HttpResponse response = Rest().Get("/v1/clients?pageToken=not-a-token", TokenOf(kSamEmail));

  EXPECT_TRUE(IsErrorAnswer(response, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(response.Json()), ElementsAre("page_token"));
}

TEST_F(ClientsApiTest, PageSizeOverMaximumIsInvalidArgumentNamingPageSize) {
  HttpResponse response = Rest().Get("/v1/clients?pageSize=501", TokenOf(kSamEmail));

  EXPECT_TRUE(IsErrorAnswer(response, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(response.Json()), ElementsAre("page_size"));
  EXPECT_EQ(Rest().Get("/v1/clients?pageSize=500", TokenOf(kSamEmail)).status, 200);
}

// --- Tenancy and visibility: a record the caller may not see is NOT_FOUND, as if absent ---

TEST_F(ClientsApiTest, OtherClinicGetsSameNotFoundAsForNonexistentClient) {
  const std::string other = TokenOf(kOtherTherapistEmail);

  HttpResponse jo = Rest().Get(ClientPath(kJoClientId), other);
  HttpResponse nobody = Rest().Get(ClientPath(kNonexistentClientId), other);

  EXPECT_TRUE(IsErrorAnswer(jo, 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(nobody, 404, kNotFound));
  EXPECT_EQ(jo.body, nobody.body);
  EXPECT_THAT(jo.body, ::testing::Not(HasSubstr(kJoClientId)));
}

TEST_F(ClientsApiTest, OtherClinicCannotUpdateOrArchiveAndSeesNoneInList) {
  const std::string other = TokenOf(kOtherTherapistEmail);
  const nlohmann::json before = Rest().Get(ClientPath(kJoClientId), TokenOf(kSamEmail)).Json();

  EXPECT_TRUE(IsErrorAnswer(Rest().Patch(UpdatePath(kJoClientId, "preferredName"),
                                         {{"preferredName", "X"}, {"etag", before["etag"]}}, other),
                            404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Post(ClientPath(kJoClientId) + ":archive", {{"etag", before["etag"]}}, other), 404,
      kNotFound));
  EXPECT_THAT(IdsOf(Rest().Get("/v1/clients?pageSize=500", other).Json()),
              ::testing::Not(::testing::Contains(kJoClientId)));
  EXPECT_EQ(Rest().Get(ClientPath(kJoClientId), TokenOf(kSamEmail)).Json(), before);
}

// The path names the record: proxies, access logs and the patient's "who accessed my record"
// view all go by it, so a query parameter must not point the call at another client.
TEST_F(ClientsApiTest, QueryParameterCannotRetargetThePath) {
  const std::string sam = TokenOf(kSamEmail);

  HttpResponse camel =
      Rest().Get(ClientPath(kJoClientId) + "?clientId=" + std::string(kRileyClientId), sam);
  HttpResponse snake =
      Rest().Get(ClientPath(kJoClientId) + "?client_id=" + std::string(kRileyClientId), sam);

  for (const HttpResponse& response : {camel, snake}) {
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_NE(response.Json().value("id", ""), kRileyClientId) << "served the query's client";
  }
}

TEST_F(ClientsApiTest, ClinicianOffTheCareTeamGetsNotFound) {
  // Alex is on Jo's care team but not Riley's.
  EXPECT_EQ(Rest().Get(ClientPath(kJoClientId), TokenOf(kAlexEmail)).status, 200);
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ClientPath(kRileyClientId), TokenOf(kAlexEmail)), 404, kNotFound));
}

TEST_F(ClientsApiTest, PatientReadsHerOwnRecordThroughMe) {
  HttpResponse me = Rest().Get("/v1/clients/me", TokenOf(kJoEmail));

  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().value("id", ""), kJoClientId);
  EXPECT_EQ(me.Json().value("legalGivenName", ""), "Jo");
}

TEST_F(ClientsApiTest, PatientGetsNotFoundForAnotherPatient) {
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ClientPath(kRileyClientId), TokenOf(kJoEmail)), 404, kNotFound));
}

TEST_F(ClientsApiTest, PatientMayNotUpdateHerOwnRecord) {
  const std::string jo = TokenOf(kJoEmail);
  const nlohmann::json before = Rest().Get("/v1/clients/me", jo).Json();

  HttpResponse updated = Rest().Patch(UpdatePath(kJoClientId, "preferredName"),
                                      {{"preferredName", "Changed"}, {"etag", before["etag"]}}, jo);

  EXPECT_TRUE(IsErrorAnswer(updated, 403, kPermissionDenied));
  EXPECT_EQ(Rest().Get("/v1/clients/me", jo).Json(), before);
}

TEST_F(ClientsApiTest, PatientListShowsOnlyHerself) {
  HttpResponse list = Rest().Get("/v1/clients", TokenOf(kRileyEmail));

  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_THAT(IdsOf(list.Json()), ElementsAre(kRileyClientId));
}

TEST_F(ClientsApiTest, ClinicianListShowsOnlyClientsOnHerCareTeam) {
  HttpResponse list = Rest().Get("/v1/clients?pageSize=500", TokenOf(kAlexEmail));

  ASSERT_EQ(list.status, 200) << list.body;
  const std::vector<std::string> ids = IdsOf(list.Json());
  EXPECT_THAT(ids, ::testing::Contains(kJoClientId));
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains(kRileyClientId)));
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains(kCaseyClientId)));
}

TEST_F(ClientsApiTest, HealthAndReadinessAnswerOk) {
  EXPECT_EQ(Rest().Get("/healthz").status, 200);
  EXPECT_EQ(Rest().Get("/readyz").status, 200);
}

}  // namespace
}  // namespace confide::api_test
