// AuditService over the real server (REST and gRPC, SQLite and PostgreSQL as
// CONFIDE_TEST_DATABASE names): the auditor's filtered, keyset-paged query of the clinic's
// trail, the checkpoint and its keys, and the patient's plain-language record access report.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "api_test_fixture.h"
#include "confide/v1/audit.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kDemoClinicId[] = "0190d000-0000-7000-8000-000000000001";
constexpr char kGetClient[] = "confide.v1.ClientService.GetClient";
constexpr char kRileyEmailLocal[] = "riley.patient@demo.confide.test";

class AuditServiceApiTest : public GrpcApiTestBase {
 protected:
  static HttpResponse Tagged(const std::string& method, const std::string& path,
                             const std::string& token, const std::string& request_id,
                             const std::string& body = "") {
    return Rest().Send(method, path, body, token, {{"X-Request-Id", request_id}});
  }

  // Every event of a ListAuditEvents query (`query` without pageSize/pageToken), following the
  // tokens with pages of `page_size`; fails the test on an error answer.
  static std::vector<nlohmann::json> AllEvents(const std::string& query, int page_size,
                                               int* pages = nullptr) {
    std::vector<nlohmann::json> events;
    std::string token;
    int count = 0;
    for (; count < 1000; ++count) {
      std::string path = "/v1/auditEvents?pageSize=" + std::to_string(page_size) +
                         (query.empty() ? "" : "&" + query);
      if (!token.empty()) {
        path += "&pageToken=" + token;
      }
      HttpResponse page = Rest().Get(path, TokenOf(kAuditorEmail));
      EXPECT_EQ(page.status, 200) << path << " " << page.body;
      if (page.status != 200) {
        break;
      }
      const nlohmann::json body = page.Json();
      if (body.contains("events")) {
        for (const nlohmann::json& e : body["events"]) {
          events.push_back(e);
        }
        EXPECT_LE(body["events"].size(), static_cast<size_t>(page_size));
      }
      token = body.value("nextPageToken", "");
      if (token.empty()) {
        ++count;
        break;
      }
    }
    if (pages != nullptr) {
      *pages = count;
    }
    return events;
  }

  // The request ids of `events` that start with `prefix`, in order.
  static std::vector<std::string> RequestIds(const std::vector<nlohmann::json>& events,
                                             const std::string& prefix) {
    std::vector<std::string> ids;
    for (const nlohmann::json& e : events) {
      const std::string id = e.value("requestId", "");
      if (id.rfind(prefix, 0) == 0) {
        ids.push_back(id);
      }
    }
    return ids;
  }

  // The whole access report of `client` ("me" or an id) as `email` sees it, paged by
  // `page_size`.
  static std::vector<nlohmann::json> AccessReport(const std::string& email,
                                                  const std::string& client, int page_size) {
    std::vector<nlohmann::json> accesses;
    std::string token;
    for (int page = 0; page < 1000; ++page) {
      std::string path =
          "/v1/clients/" + client + "/recordAccess?pageSize=" + std::to_string(page_size);
      if (!token.empty()) {
        path += "&pageToken=" + token;
      }
      HttpResponse response = Rest().Get(path, TokenOf(email));
      EXPECT_EQ(response.status, 200) << response.body;
      if (response.status != 200) {
        break;
      }
      const nlohmann::json body = response.Json();
      if (body.contains("accesses")) {
        for (const nlohmann::json& a : body["accesses"]) {
          accesses.push_back(a);
        }
      }
      token = body.value("nextPageToken", "");
      if (token.empty()) {
        break;
      }
    }
    return accesses;
  }

  static std::string QueryOne(const std::string& sql) {
    std::vector<std::string> rows = Query(sql);
    return rows.empty() ? "" : rows[0];
  }
};

// A tagged burst of Sam's reads of Jo: the auditor's actor, client, action and time filters
// each find exactly them, page by page of 3, in newest-first order, without gaps or repeats.
TEST_F(AuditServiceApiTest, AuditorFiltersAndPagesThroughTheTrail) {
  const std::string prefix = "aq-" + Unique() + "-";
  std::vector<std::string> sent;
  for (int i = 0; i < 11; ++i) {
    sent.push_back(prefix + std::to_string(i));
    ASSERT_EQ(
        Tagged("GET", "/v1/clients/" + std::string(kJoClientId), TokenOf(kSamEmail), sent.back())
            .status,
        200);
  }
  std::vector<std::string> newest_first(sent.rbegin(), sent.rend());

  int pages = 0;
  std::vector<nlohmann::json> by_actor =
      AllEvents(std::string("actorUserId=") + kSamUserId + "&clientId=" + kJoClientId, 3, &pages);
  EXPECT_EQ(RequestIds(by_actor, prefix), newest_first);
  EXPECT_GE(pages, 4);
  std::set<std::string> ids;
  for (const nlohmann::json& e : by_actor) {
    EXPECT_TRUE(ids.insert(e.value("id", "")).second) << "repeated " << e.dump();
    EXPECT_EQ(e.value("actorUserId", ""), kSamUserId);
    EXPECT_EQ(e.value("clientId", ""), kJoClientId);
  }
  const nlohmann::json& first = by_actor.front();
  EXPECT_EQ(first.value("actorRole", ""), "ROLE_CLINICIAN");
  EXPECT_EQ(first.value("action", ""), kGetClient);
  EXPECT_EQ(first.value("outcome", ""), "AUDIT_OUTCOME_SUCCESS");
  EXPECT_EQ(first.value("statusCode", ""), "OK");
  EXPECT_EQ(first.value("resource", ""), std::string("clients/") + kJoClientId);
  EXPECT_GT(std::stoll(first.value("sequence", "0")), 0);

  std::vector<nlohmann::json> by_client = AllEvents(std::string("clientId=") + kJoClientId, 4);
  EXPECT_EQ(RequestIds(by_client, prefix), newest_first);
  std::vector<nlohmann::json> by_action =
      AllEvents(std::string("action=") + kGetClient + "&outcome=AUDIT_OUTCOME_SUCCESS", 5);
  EXPECT_EQ(RequestIds(by_action, prefix), newest_first);
  for (const nlohmann::json& e : by_action) {
    EXPECT_EQ(e.value("action", ""), kGetClient);
    EXPECT_EQ(e.value("outcome", ""), "AUDIT_OUTCOME_SUCCESS");
  }

  // A time range holding exactly the burst: from the first event's time to just after the last.
  const std::string start = by_actor.back().value("time", "");
  std::vector<nlohmann::json> by_time = AllEvents("startTime=" + start, 2);
  EXPECT_EQ(RequestIds(by_time, prefix), newest_first);
  for (const nlohmann::json& e : by_time) {
    EXPECT_GE(e.value("time", ""), start);
  }
  std::vector<nlohmann::json> before =
      AllEvents("endTime=" + start + "&clientId=" + kJoClientId, 50);
  EXPECT_THAT(RequestIds(before, prefix), IsEmpty());

  // Refusals: outcome DENIED finds Alex's attempt on Riley and not Sam's reads.
  const std::string denied_id = prefix + "denied";
  ASSERT_EQ(
      Tagged("GET", "/v1/clients/" + std::string(kRileyClientId), TokenOf(kAlexEmail), denied_id)
          .status,
      404);
  std::vector<nlohmann::json> denied =
      AllEvents(std::string("outcome=AUDIT_OUTCOME_DENIED&actorUserId=") + kAlexUserId, 50);
  EXPECT_THAT(RequestIds(denied, prefix), ElementsAre(denied_id));

  // Every event of the clinic's whole trail, paged by 500, has no gap against the database.
  std::vector<nlohmann::json> all = AllEvents("", 500);
  const std::string in_db =
      QueryOne(std::string("SELECT COUNT(*) FROM audit_events WHERE "
                           "clinic_id = '") +
               kDemoClinicId + "' AND seq <= " + all.front().value("sequence", "0"));
  EXPECT_EQ(std::to_string(all.size()), in_db);
}

TEST_F(AuditServiceApiTest, BreakGlassOnlyFilterFindsEmergencyAccess) {
  const std::string request_id = "abg-" + Unique();
  // Alex is not on Riley's care team: break-glass, then a flagged read.
  ASSERT_EQ(
      Rest()
          .Post(std::string("/v1/clients/") + kRileyClientId + ":breakGlass",
                {{"reason", "Covering the evening clinic for Sam today"}}, TokenOf(kAlexEmail))
          .status,
      200);
  ASSERT_EQ(
      Tagged("GET", std::string("/v1/clients/") + kRileyClientId, TokenOf(kAlexEmail), request_id)
          .status,
      200);
  std::vector<nlohmann::json> flagged = AllEvents("breakGlassOnly=true", 100);
  EXPECT_THAT(RequestIds(flagged, request_id), ElementsAre(request_id));
  for (const nlohmann::json& e : flagged) {
    EXPECT_TRUE(e.value("breakGlass", false)) << e.dump();
  }
}

TEST_F(AuditServiceApiTest, BadFiltersAreNamed) {
  const std::string auditor = TokenOf(kAuditorEmail);
  struct Case {
    std::string query;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {"startTime=2026-02-01T00:00:00Z&endTime=2026-01-01T00:00:00Z", "end_time"},
           {"startTime=yesterday", "startTime"},
           {"actorUserId=not-a-user", "actor_user_id"},
           {"clientId=nobody", "client_id"},
           {"action=DROP%20TABLE", "action"},
           {"pageSize=501", "page_size"},
           {"pageSize=-1", "page_size"},
           {"pageToken=garbage", "page_token"}}) {
    SCOPED_TRACE(c.query);
    HttpResponse response = Rest().Get("/v1/auditEvents?" + c.query, auditor);
    ASSERT_TRUE(IsErrorAnswer(response, 400, kInvalidArgument)) << response.body;
    EXPECT_THAT(ViolatedFields(response.Json()), Contains(c.field));
  }
  // A token is tied to the filters it was issued for.
  HttpResponse first =
      Rest().Get(std::string("/v1/auditEvents?pageSize=1&clientId=") + kJoClientId, auditor);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string token = first.Json().value("nextPageToken", "");
  ASSERT_FALSE(token.empty());
  HttpResponse other = Rest().Get(
      std::string("/v1/auditEvents?pageSize=1&clientId=") + kRileyClientId + "&pageToken=" + token,
      auditor);
  ASSERT_TRUE(IsErrorAnswer(other, 400, kInvalidArgument)) << other.body;
  EXPECT_THAT(ViolatedFields(other.Json()), Contains("page_token"));
  HttpResponse same = Rest().Get(
      std::string("/v1/auditEvents?pageSize=1&clientId=") + kJoClientId + "&pageToken=" + token,
      auditor);
  EXPECT_EQ(same.status, 200) << same.body;
}

TEST_F(AuditServiceApiTest, OnlyAuditorsQueryAndAdminsAndAuditorsSeeKeys) {
  for (const char* email : {kSamEmail, kAdminEmail, kJoEmail, kKimEmail}) {
    SCOPED_TRACE(email);
    EXPECT_TRUE(
        IsErrorAnswer(Rest().Get("/v1/auditEvents", TokenOf(email)), 403, kPermissionDenied));
    EXPECT_TRUE(
        IsErrorAnswer(Rest().Post("/v1/auditEvents:export",
                                  {{"format", "AUDIT_EXPORT_FORMAT_NDJSON"}}, TokenOf(email)),
                      403, kPermissionDenied));
  }
  for (const char* email : {kSamEmail, kJoEmail, kKimEmail}) {
    SCOPED_TRACE(email);
    EXPECT_TRUE(
        IsErrorAnswer(Rest().Get("/v1/audit/checkpoint", TokenOf(email)), 403, kPermissionDenied));
    EXPECT_TRUE(
        IsErrorAnswer(Rest().Get("/v1/audit/keys", TokenOf(email)), 403, kPermissionDenied));
  }
  EXPECT_EQ(Rest().Get("/v1/audit/keys", TokenOf(kAdminEmail)).status, 200);
  EXPECT_EQ(Rest().Get("/v1/audit/keys", TokenOf(kAuditorEmail)).status, 200);
  // The auditor's own queries are audited.
  const std::string request_id = "aself-" + Unique();
  ASSERT_EQ(Tagged("GET", "/v1/auditEvents?pageSize=1", TokenOf(kAuditorEmail), request_id).status,
            200);
  EXPECT_THAT(Query("SELECT action || '|' || outcome || '|' || resource FROM audit_events WHERE "
                    "request_id = '" +
                    request_id + "'"),
              ElementsAre("confide.v1.AuditService.ListAuditEvents|success|auditEvents"));
}

// The sealer signs a checkpoint within seconds; the checkpoint names a key ListAuditKeys lists.
TEST_F(AuditServiceApiTest, CheckpointIsSignedWithAListedKey) {
  HttpResponse checkpoint;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  do {
    checkpoint = Rest().Get("/v1/audit/checkpoint", TokenOf(kAuditorEmail));
    if (checkpoint.status == 200) {
      break;
    }
    ASSERT_TRUE(IsErrorAnswer(checkpoint, 404, kNotFound)) << checkpoint.body;
    EXPECT_THAT(checkpoint.body, HasSubstr("sealed"));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(checkpoint.status, 200) << checkpoint.body;
  const nlohmann::json c = checkpoint.Json();
  EXPECT_EQ(c.value("clinicId", ""), kDemoClinicId);
  EXPECT_GE(std::stoll(c.value("batchNumber", "0")), 1);
  EXPECT_EQ(c.value("rootHash", "").size(), 64u);
  EXPECT_EQ(c.value("headerHash", "").size(), 64u);
  EXPECT_EQ(c.value("previousHeaderHash", "").size(), 64u);
  EXPECT_FALSE(c.value("signature", "").empty());
  EXPECT_LT(std::stoll(c.value("sequenceAfter", "0")), std::stoll(c.value("sequenceThrough", "0")));
  // The admin sees the same checkpoint (or a later one).
  EXPECT_EQ(Rest().Get("/v1/audit/checkpoint", TokenOf(kAdminEmail)).status, 200);

  HttpResponse keys = Rest().Get("/v1/audit/keys", TokenOf(kAuditorEmail));
  ASSERT_EQ(keys.status, 200) << keys.body;
  bool listed = false;
  const nlohmann::json key_list = keys.Json();
  for (const nlohmann::json& key : key_list["keys"]) {
    EXPECT_EQ(key.value("algorithm", ""), "Ed25519");
    EXPECT_EQ(key.value("keyId", "").size(), 64u);
    EXPECT_FALSE(key.value("publicKey", "").empty());
    listed = listed || key.value("keyId", "") == c.value("keyId", "");
  }
  EXPECT_TRUE(listed) << keys.body;

  // Every event the checkpoint covers names a batch up to it.
  const int64_t through = std::stoll(c.value("sequenceThrough", "0"));
  const int64_t batch = std::stoll(c.value("batchNumber", "0"));
  int covered = 0;
  for (const nlohmann::json& e : AllEvents("endTime=" + c.value("sealTime", ""), 500)) {
    if (std::stoll(e.value("sequence", "0")) <= through) {
      ++covered;
      const int64_t sealed_in = std::stoll(e.value("batchNumber", "0"));
      EXPECT_GE(sealed_in, 1) << e.dump();
      EXPECT_LE(sealed_in, batch) << e.dump();
    }
  }
  EXPECT_GT(covered, 0);
}

// Jo's access report as Jo and as Sam (her clinician): Sam's and Alex's reads, Kim's (her
// partner's) read and refused attempt, each in plain words with the person's name and role;
// Jo's own actions are left out.
TEST_F(AuditServiceApiTest, AccessReportShowsWhoAccessedJosRecord) {
  const std::string jo = TokenOf(kJoEmail);
  ASSERT_EQ(Rest().Get("/v1/clients/me", jo).status, 200);  // Jo's own read: not listed
  ASSERT_EQ(Rest().Get(std::string("/v1/clients/") + kJoClientId, TokenOf(kAlexEmail)).status, 200);
  ASSERT_EQ(Rest().Get("/v1/clients/me/partnerView", TokenOf(kKimEmail)).status, 200);
  ASSERT_NE(
      Rest().Get(std::string("/v1/clients/") + kJoClientId + "/notes", TokenOf(kKimEmail)).status,
      200);
  ASSERT_EQ(Rest().Get(std::string("/v1/clients/") + kJoClientId, TokenOf(kSamEmail)).status, 200);

  for (const auto& [email, client] :
       {std::pair{kJoEmail, std::string("me")}, std::pair{kSamEmail, std::string(kJoClientId)}}) {
    SCOPED_TRACE(email);
    std::vector<nlohmann::json> report = AccessReport(email, client, 2);
    ASSERT_GE(report.size(), 4u);
    for (const nlohmann::json& a : report) {
      EXPECT_NE(a.value("accessorName", ""), "Jo (demo)") << a.dump();
      EXPECT_NE(a.value("accessorRole", ""), "patient");
      EXPECT_FALSE(a.value("description", "").empty());
    }
    // Newest first: Sam's read, then Kim's refusal, Kim's view, Alex's read.
    EXPECT_EQ(report[0].value("accessorName", ""), "Sam Rivers (demo)");
    EXPECT_EQ(report[0].value("accessorRole", ""), "clinician");
    EXPECT_EQ(report[0].value("kind", ""), "RECORD_ACCESS_KIND_VIEWED");
    EXPECT_EQ(report[0].value("description", ""), "viewed your personal details");
    EXPECT_EQ(report[1].value("accessorName", ""), "Kim (demo)");
    EXPECT_EQ(report[1].value("accessorRole", ""), "partner");
    EXPECT_EQ(report[1].value("kind", ""), "RECORD_ACCESS_KIND_REFUSED");
    EXPECT_EQ(report[1].value("description", ""),
              "tried to view the notes in your record and was refused");
    EXPECT_EQ(report[2].value("accessorName", ""), "Kim (demo)");
    EXPECT_EQ(report[2].value("kind", ""), "RECORD_ACCESS_KIND_VIEWED");
    EXPECT_EQ(report[3].value("accessorName", ""), "Alex Moreau (demo)");
    EXPECT_EQ(report[3].value("accessorUserId", ""), kAlexUserId);
    EXPECT_FALSE(report[3].value("breakGlass", false));
    // Sam's report call, made after Jo's, is itself an access Jo sees next time.
  }
  std::vector<nlohmann::json> again = AccessReport(kJoEmail, "me", 50);
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(again[0].value("description", ""), "viewed who has accessed your record");
  EXPECT_EQ(again[0].value("accessorName", ""), "Sam Rivers (demo)");
}

// Alex (off Riley's care team) opens break-glass access: Riley and Sam see it, marked, with
// Alex's reason.
TEST_F(AuditServiceApiTest, AccessReportMarksBreakGlassWithItsReason) {
  const std::string reason = "Riley called with acute pain; Sam is on leave - " + Unique();
  ASSERT_EQ(Rest()
                .Post(std::string("/v1/clients/") + kRileyClientId + ":breakGlass",
                      {{"reason", reason}}, TokenOf(kAlexEmail))
                .status,
            200);
  ASSERT_EQ(Rest().Get(std::string("/v1/clients/") + kRileyClientId, TokenOf(kAlexEmail)).status,
            200);
  for (const auto& [email, client] : {std::pair{kRileyEmailLocal, std::string("me")},
                                      std::pair{kSamEmail, std::string(kRileyClientId)}}) {
    SCOPED_TRACE(email);
    std::vector<nlohmann::json> report = AccessReport(email, client, 50);
    ASSERT_GE(report.size(), 2u);
    EXPECT_EQ(report[0].value("accessorName", ""), "Alex Moreau (demo)");
    EXPECT_EQ(report[0].value("kind", ""), "RECORD_ACCESS_KIND_BREAK_GLASS");
    EXPECT_TRUE(report[0].value("breakGlass", false));
    EXPECT_EQ(report[0].value("breakGlassReason", ""), reason);
    EXPECT_EQ(report[0].value("description", ""), "viewed your personal details");
    EXPECT_EQ(report[1].value("kind", ""), "RECORD_ACCESS_KIND_BREAK_GLASS");
    EXPECT_EQ(report[1].value("description", ""), "opened emergency access to your record");
    EXPECT_EQ(report[1].value("breakGlassReason", ""), reason);
  }
}

// Kim is Jo's partner, not Riley's: her refused attempt on Riley's record is listed for Riley
// without her name, role or id, which would tell Riley who is another patient's partner.
TEST_F(AuditServiceApiTest, AccessReportKeepsAnotherPatientsPartnerAnonymous) {
  ASSERT_NE(Rest().Get(std::string("/v1/clients/") + kRileyClientId, TokenOf(kKimEmail)).status,
            200);
  std::vector<nlohmann::json> report = AccessReport(kRileyEmailLocal, "me", 50);
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report[0].value("kind", ""), "RECORD_ACCESS_KIND_REFUSED");
  EXPECT_EQ(report[0].value("accessorName", ""), "Someone outside your care team");
  EXPECT_EQ(report[0].value("accessorRole", ""), "");
  EXPECT_EQ(report[0].value("accessorUserId", ""), "");
  for (const nlohmann::json& access : report) {
    EXPECT_EQ(access.dump().find("Kim"), std::string::npos) << access.dump();
  }
}

TEST_F(AuditServiceApiTest, AccessReportIsRefusedOutsideThePatientAndHerCareTeam) {
  // Riley is not Jo; Kim is a partner; the auditor and admin work at clinic level; Alex is not
  // on Riley's team; the other clinic's therapist cannot see Jo at all.
  EXPECT_NE(Rest()
                .Get(std::string("/v1/clients/") + kJoClientId + "/recordAccess",
                     TokenOf(kRileyEmailLocal))
                .status,
            200);
  for (const char* email : {kKimEmail, kAuditorEmail, kAdminEmail, kOtherTherapistEmail}) {
    SCOPED_TRACE(email);
    HttpResponse response =
        Rest().Get(std::string("/v1/clients/") + kJoClientId + "/recordAccess", TokenOf(email));
    EXPECT_TRUE(response.status == 403 || response.status == 404) << response.body;
  }
  HttpResponse bad = Rest().Get("/v1/clients/me/recordAccess?pageSize=900", TokenOf(kJoEmail));
  ASSERT_TRUE(IsErrorAnswer(bad, 400, kInvalidArgument)) << bad.body;
  EXPECT_THAT(ViolatedFields(bad.Json()), Contains("page_size"));
}

TEST_F(AuditServiceApiTest, GrpcServesTheSameQueryAndReport) {
  auto stub = v1::AuditService::NewStub(channel());
  const std::string request_id = "agrpc-" + Unique();
  ASSERT_EQ(Tagged("GET", std::string("/v1/clients/") + kJoClientId, TokenOf(kSamEmail), request_id)
                .status,
            200);
  v1::ListAuditEventsRequest request;
  request.set_actor_user_id(kSamUserId);
  request.set_client_id(kJoClientId);
  request.set_page_size(1);
  v1::ListAuditEventsResponse response;
  grpc::Status status =
      stub->ListAuditEvents(Context(TokenOf(kAuditorEmail)).get(), request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(response.events_size(), 1);
  EXPECT_EQ(response.events(0).request_id(), request_id);
  EXPECT_EQ(response.events(0).outcome(), v1::AUDIT_OUTCOME_SUCCESS);
  EXPECT_FALSE(response.next_page_token().empty());

  request.set_page_token(response.next_page_token());
  request.set_client_id(kRileyClientId);
  status = stub->ListAuditEvents(Context(TokenOf(kAuditorEmail)).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));

  status = stub->ListAuditEvents(Context(TokenOf(kSamEmail)).get(), v1::ListAuditEventsRequest(),
                                 &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);

  v1::ListRecordAccessRequest report_request;
  report_request.set_client_id("me");
  v1::ListRecordAccessResponse report;
  status = stub->ListRecordAccess(Context(TokenOf(kJoEmail)).get(), report_request, &report);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_GT(report.accesses_size(), 0);
  EXPECT_EQ(report.accesses(0).accessor_user_id(), kSamUserId);
  EXPECT_EQ(report.accesses(0).kind(), v1::RECORD_ACCESS_KIND_VIEWED);

  v1::ListAuditKeysResponse keys;
  status =
      stub->ListAuditKeys(Context(TokenOf(kAdminEmail)).get(), v1::ListAuditKeysRequest(), &keys);
  EXPECT_TRUE(status.ok()) << Describe(status);
}

// Times out of google.protobuf.Timestamp's range (years 1 to 9999) or with bad nanos, sent over
// gRPC (which does not check them), are refused naming the field by every AuditService method
// that takes times, never answered with INTERNAL or a garbled export.
TEST_F(AuditServiceApiTest, OutOfRangeTimesAreNamedOverGrpc) {
  auto stub = v1::AuditService::NewStub(channel());
  google::protobuf::Timestamp year_10000;
  year_10000.set_seconds(253402300800);
  google::protobuf::Timestamp year_0;
  year_0.set_seconds(-62135596801);
  google::protobuf::Timestamp bad_nanos;
  bad_nanos.set_seconds(1700000000);
  bad_nanos.set_nanos(-1);
  struct Case {
    const google::protobuf::Timestamp* start;
    const google::protobuf::Timestamp* end;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{{&year_10000, nullptr, "start_time"},
                                         {nullptr, &year_0, "end_time"},
                                         {nullptr, &bad_nanos, "end_time"},
                                         {&bad_nanos, nullptr, "start_time"}}) {
    SCOPED_TRACE(c.field);
    v1::ExportAuditEventsRequest export_request;
    export_request.set_format(v1::AUDIT_EXPORT_FORMAT_NDJSON);
    v1::ListAuditEventsRequest list_request;
    v1::ListRecordAccessRequest access_request;
    access_request.set_client_id("me");
    if (c.start != nullptr) {
      *export_request.mutable_start_time() = *c.start;
      *list_request.mutable_start_time() = *c.start;
      *access_request.mutable_start_time() = *c.start;
    }
    if (c.end != nullptr) {
      *export_request.mutable_end_time() = *c.end;
      *list_request.mutable_end_time() = *c.end;
      *access_request.mutable_end_time() = *c.end;
    }
    v1::ExportAuditEventsResponse exported;
    grpc::Status status =
        stub->ExportAuditEvents(Context(TokenOf(kAuditorEmail)).get(), export_request, &exported);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
    v1::ListAuditEventsResponse listed;
    status = stub->ListAuditEvents(Context(TokenOf(kAuditorEmail)).get(), list_request, &listed);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
    v1::ListRecordAccessResponse accesses;
    status = stub->ListRecordAccess(Context(TokenOf(kJoEmail)).get(), access_request, &accesses);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
  }
}

// The same over REST: a time a JSON body or URL cannot carry is a 400 naming the field.
TEST_F(AuditServiceApiTest, OutOfRangeTimesAreNamedOverRest) {
  for (const char* time : {"10000-01-01T00:00:00Z", "0000-12-31T00:00:00Z"}) {
    SCOPED_TRACE(time);
    HttpResponse listed =
        Rest().Get(std::string("/v1/auditEvents?startTime=") + time, TokenOf(kAuditorEmail));
    ASSERT_TRUE(IsErrorAnswer(listed, 400, kInvalidArgument)) << listed.body;
    EXPECT_THAT(listed.body, HasSubstr("start"));
    HttpResponse exported = Rest().Post(
        "/v1/auditEvents:export", {{"format", "AUDIT_EXPORT_FORMAT_NDJSON"}, {"endTime", time}},
        TokenOf(kAuditorEmail));
    ASSERT_TRUE(IsErrorAnswer(exported, 400, kInvalidArgument)) << exported.body;
    EXPECT_THAT(exported.body, HasSubstr("end"));
  }
}

// A hand-made export page token (a position outside the export's scope) is refused as
// page_token, never answered with INTERNAL.
TEST_F(AuditServiceApiTest, ForgedExportTokensAreRefused) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Rest().Get("/v1/audit/checkpoint", TokenOf(kAuditorEmail)).status != 200 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  HttpResponse checkpoint = Rest().Get("/v1/audit/checkpoint", TokenOf(kAuditorEmail));
  ASSERT_EQ(checkpoint.status, 200) << checkpoint.body;
  const std::string batch = checkpoint.Json().value("batchNumber", "0");
  const std::string hash = checkpoint.Json().value("headerHash", "").substr(0, 16);
  const auto page_with = [&](const std::string& token_text) {
    std::string token;
    absl::WebSafeBase64Escape(token_text, &token);
    return Rest().Post("/v1/auditEvents:export", {{"pageToken", token}}, TokenOf(kAuditorEmail));
  };
  // format:checkpoint:first:last:next:page:batches:events:chain:start:end:hash. A well-formed
  // token for the checkpoint alone is answered; the same with another checkpoint's hash is not.
  const std::string chain_only = "auditexport:v1:1:" + batch + ":0:0:" + batch + ":1:0:0:0:-:-:";
  HttpResponse answered = page_with(chain_only + hash);
  EXPECT_EQ(answered.status, 200) << answered.body;
  HttpResponse other = page_with(chain_only + "0123456789abcdef");
  ASSERT_TRUE(IsErrorAnswer(other, 400, kInvalidArgument)) << other.body;
  EXPECT_THAT(ViolatedFields(other.Json()), Contains("page_token"));
  // Next batch 0 (with and without a batch scope).
  for (const std::string& forged :
       {"auditexport:v1:1:" + batch + ":1:" + batch + ":0:1:0:0:0:-:-:" + hash,
        "auditexport:v1:1:" + batch + ":0:0:0:1:0:0:0:-:-:" + hash}) {
    SCOPED_TRACE(forged);
    HttpResponse page = page_with(forged);
    ASSERT_TRUE(IsErrorAnswer(page, 400, kInvalidArgument)) << page.body;
    EXPECT_THAT(ViolatedFields(page.Json()), Contains("page_token"));
  }
}

// The export's pages, concatenated, are a file `confidectl audit verify` accepts, in every
// format; every page is itself audited.
TEST_F(AuditServiceApiTest, ExportPagesConcatenatedVerify) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Rest().Get("/v1/audit/checkpoint", TokenOf(kAuditorEmail)).status != 200 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (const char* format :
       {"AUDIT_EXPORT_FORMAT_NDJSON", "AUDIT_EXPORT_FORMAT_CSV", "AUDIT_EXPORT_FORMAT_FHIR_R4"}) {
    SCOPED_TRACE(format);
    const std::string prefix = "aexp-" + Unique() + "-";
    std::string content;
    std::string token;
    int pages = 0;
    for (; pages < 1000; ++pages) {
      nlohmann::json body = {{"format", format}, {"pageSize", 20}};
      if (!token.empty()) {
        body["pageToken"] = token;
      }
      HttpResponse page = Tagged("POST", "/v1/auditEvents:export", TokenOf(kAuditorEmail),
                                 prefix + std::to_string(pages), body.dump());
      ASSERT_EQ(page.status, 200) << page.body;
      const nlohmann::json json = page.Json();
      content += json.value("content", "");
      EXPECT_FALSE(json.value("contentType", "").empty());
      token = json.value("nextPageToken", "");
      if (token.empty()) {
        ++pages;
        break;
      }
    }
    const std::string path = ::testing::TempDir() + "/" + prefix + "export";
    {
      std::ofstream out(path, std::ios::binary);
      out << content;
    }
    CommandResult verify = RunCommand({CONFIDE_CTL_BINARY, "audit", "verify", path});
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_events WHERE action = "
                    "'confide.v1.AuditService.ExportAuditEvents' AND outcome = 'success' AND "
                    "request_id LIKE '" +
                    prefix + "%'"),
              std::vector<std::string>{std::to_string(pages)});
  }
}

}  // namespace
}  // namespace confide::api_test
