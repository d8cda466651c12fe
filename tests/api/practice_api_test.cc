// The practice log and the dilator ladder's suggestions over REST, against the real
// confide-server: a patient logs only against her own ACTIVE programme, a replay (same request
// id) is the first log and one row, out-of-range values are INVALID_ARGUMENT naming the field,
// her words are sealed, and a suggestion never changes the programme until a clinician accepts.

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/programmes.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "practice_api_test_support.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

class PracticeApiTest : public PracticeApiTestBase {
 protected:
  // An ACTIVE dilator programme for Jo at size 2: up after 6 sessions with the last 3 at pain
  // <= 2 and anxiety <= 3, down after 2 sessions at pain >= 6.
  static nlohmann::json ActiveProgramme() {
    nlohmann::json created = CreateProgramme(
        DilatorProgramme(DilatorExerciseId(), UtcDate(Clock::now()), 2, Rule(6, 3, 2, 3, 2, 6)));
    if (created.is_null()) {
      return created;
    }
    return ChangeStatus(created, "activate");
  }

  static Clock::time_point MinutesAgo(int minutes) {
    return Clock::now() - std::chrono::minutes(minutes);
  }
};

TEST_F(PracticeApiTest, PatientLogsOnlyAgainstHerOwnActiveProgramme) {
  const std::string dilator = DilatorExerciseId();
  const nlohmann::json body =
      DilatorProgramme(dilator, UtcDate(Clock::now()), 2, Rule(6, 3, 2, 3, 2, 6));
  const nlohmann::json draft = CreateProgramme(body);
  const nlohmann::json paused =
      ChangeStatus(ChangeStatus(CreateProgramme(body), "activate"), "pause");
  const nlohmann::json ended = ChangeStatus(ChangeStatus(CreateProgramme(body), "activate"), "end");
  const nlohmann::json riley =
      ChangeStatus(CreateProgramme(body, kRileyClientId, kSamEmail), "activate", kSamEmail);
  ASSERT_FALSE(draft.is_null() || paused.is_null() || ended.is_null() || riley.is_null());

  const struct {
    std::string what;
    std::string programme_id;
    int http;
    int code;
  } cases[] = {
      {"a draft she was never shown", draft.value("id", ""), 404, kNotFound},
      {"a paused programme", paused.value("id", ""), 400, kFailedPrecondition},
      {"an ended programme", ended.value("id", ""), 400, kFailedPrecondition},
      {"another client's programme", riley.value("id", ""), 404, kNotFound},
      {"a made-up programme", "0190d000-0000-7000-8000-0000deadbeef", 404, kNotFound},
  };
  std::vector<std::string> not_found_bodies;
  for (const auto& c : cases) {
    HttpResponse refused =
        LogPractice(DilatorSession(c.programme_id, MinutesAgo(5), 2, 1, 1), Unique());
    EXPECT_TRUE(IsErrorAnswer(refused, c.http, c.code)) << c.what << ": " << refused.body;
    if (c.code == kNotFound) {
      not_found_bodies.push_back(refused.body);
    }
  }
  // A draft and another client's programme answer byte for byte as a made-up id.
  ASSERT_THAT(not_found_bodies, SizeIs(3));
  EXPECT_EQ(not_found_bodies[0], not_found_bodies[2]);
  EXPECT_EQ(not_found_bodies[1], not_found_bodies[2]);
  HttpResponse paused_answer =
      LogPractice(DilatorSession(paused.value("id", ""), MinutesAgo(5), 2, 1, 1), Unique());
  EXPECT_THAT(paused_answer.body, HasSubstr("PAUSED"));
  // Into another client's record, and as anyone but the patient herself.
  EXPECT_TRUE(
      IsErrorAnswer(LogPractice(DilatorSession(riley.value("id", ""), MinutesAgo(5), 2, 1, 1),
                                Unique(), kJoEmail, kRileyClientId),
                    404, kNotFound));
  EXPECT_TRUE(
      IsErrorAnswer(LogPractice(DilatorSession(riley.value("id", ""), MinutesAgo(5), 2, 1, 1),
                                Unique(), kSamEmail, kRileyClientId),
                    403, kPermissionDenied));
  // Her own active programme takes it.
  const nlohmann::json active = ActiveProgramme();
  HttpResponse logged =
      LogPractice(DilatorSession(active.value("id", ""), MinutesAgo(5), 2, 1, 1), Unique());
  ASSERT_EQ(logged.status, 200) << logged.body;
  EXPECT_EQ(logged.Json().value("clientId", ""), kJoClientId);
  EXPECT_EQ(logged.Json().value("programmeVersion", 0), active.value("version", 0));
}

TEST_F(PracticeApiTest, ReplayWithTheSameRequestIdReturnsTheFirstLogAndStoresOneRow) {
  const nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string request_id = "phone-" + Unique();
  nlohmann::json session = DilatorSession(programme.value("id", ""), MinutesAgo(30), 2, 2, 1);
  HttpResponse first = LogPractice(session, request_id);
  ASSERT_EQ(first.status, 200) << first.body;
  session["pain"] = 5;  // The retry of an offline phone may differ; the first result stands.
  HttpResponse again = LogPractice(session, request_id);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().value("id", "a"), first.Json().value("id", "b"));
  EXPECT_EQ(again.Json().value("pain", -1), 2);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM practice_logs WHERE request_id = '" + request_id + "'"),
            std::vector<std::string>{"1"});
  // The request id is required: without it a retry could log twice.
  HttpResponse without = LogPractice(session, "");
  ASSERT_TRUE(IsErrorAnswer(without, 400, kInvalidArgument)) << without.body;
  EXPECT_THAT(ViolatedFields(without.Json()), Contains("request_id"));
}

TEST_F(PracticeApiTest, OutOfRangeValuesAreRefusedNamingTheField) {
  const nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string id = programme.value("id", "");
  const struct {
    std::string field;
    nlohmann::json log;
  } cases[] = {
      {"log.pain",
       [&] {
         auto l = DilatorSession(id, MinutesAgo(5), 2, 11, 1);
         return l;
       }()},
      {"log.anxiety",
       [&] {
         auto l = DilatorSession(id, MinutesAgo(5), 2, 1, -1);
         return l;
       }()},
      {"log.duration_minutes",
       [&] {
         auto l = DilatorSession(id, MinutesAgo(5), 2, 1, 1);
         l["durationMinutes"] = 241;
         return l;
       }()},
      {"log.practiced_at",
       [&] { return DilatorSession(id, Clock::now() - std::chrono::hours(24 * 91), 2, 1, 1); }()},
      {"log.practiced_at",
       [&] { return DilatorSession(id, Clock::now() + std::chrono::minutes(30), 2, 1, 1); }()},
      {"log.dilator_size", [&] { return DilatorSession(id, MinutesAgo(5), 7, 1, 1); }()},
      {"log.completion",
       [&] {
         auto l = DilatorSession(id, MinutesAgo(5), 2, 1, 1);
         l.erase("completion");
         return l;
       }()},
      {"log.pain",
       [&] {
         auto l = DilatorSession(id, MinutesAgo(5), 2, 1, 1);
         l.erase("pain");
         return l;
       }()},
      {"log.item_id",
       [&] {
         auto l = DilatorSession(id, MinutesAgo(5), 2, 1, 1);
         l["itemId"] = "kegels";
         return l;
       }()},
      {"log.feelings",
       [&] {
         auto l = DilatorSession(id, MinutesAgo(5), 2, 1, 1);
         l["feelings"] = std::string(2001, 'x');
         return l;
       }()},
  };
  for (const auto& c : cases) {
    HttpResponse refused = LogPractice(c.log, Unique());
    ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << c.field << ": " << refused.body;
    EXPECT_THAT(ViolatedFields(refused.Json()), Contains(c.field)) << refused.body;
  }
  EXPECT_EQ(Query("SELECT COUNT(*) FROM practice_logs WHERE programme_id = '" + id + "'"),
            std::vector<std::string>{"0"});
}

TEST_F(PracticeApiTest, FeelingsAreSealedAndSeenByHerAndHerCareTeamOnly) {
  const nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string marker = "zqfeel" + Unique();
  nlohmann::json session = DilatorSession(programme.value("id", ""), MinutesAgo(5), 2, 1, 1);
  session["feelings"] = "Felt brave today " + marker;
  HttpResponse logged = LogPractice(session, Unique());
  ASSERT_EQ(logged.status, 200) << logged.body;
  EXPECT_THAT(logged.Json().value("feelings", ""), HasSubstr(marker));
  const std::string log_id = logged.Json().value("id", "");
  for (const std::string& row :
       Query("SELECT feelings_sealed FROM practice_logs WHERE id = '" + log_id + "'")) {
    EXPECT_THAT(row, Not(HasSubstr(marker)));
    EXPECT_THAT(row, Not(HasSubstr("brave")));
  }
  const std::string list = "/v1/clients/" + std::string(kJoClientId) +
                           "/practiceLogs?programmeId=" + programme.value("id", "");
  for (const char* email : {kJoEmail, kAlexEmail}) {
    HttpResponse listed = Rest().Get(list, TokenOf(email));
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_THAT(listed.Json()["logs"], SizeIs(1));
    EXPECT_THAT(listed.Json()["logs"][0].value("feelings", ""), HasSubstr(marker));
  }
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(list, TokenOf(kKimEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(list, TokenOf(kOtherTherapistEmail)), 404, kNotFound));
  EXPECT_THAT(server().Log(), Not(HasSubstr(marker)));
}

// The ladder suggests; only a clinician's accept changes what she is prescribed.
TEST_F(PracticeApiTest, ASuggestionNeverChangesTheProgrammeUntilAccepted) {
  nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string id = programme.value("id", "");
  for (int i = 0; i < 6; ++i) {
    HttpResponse logged = LogPractice(DilatorSession(id, MinutesAgo(60 - i), 2, 1, 2), Unique());
    ASSERT_EQ(logged.status, 200) << logged.body;
    // She is not shown which suggestion her session led to.
    EXPECT_FALSE(logged.Json().contains("suggestionId")) << logged.body;
  }
  std::vector<nlohmann::json> made = SuggestionsOf(id);
  ASSERT_THAT(made, SizeIs(1));
  const nlohmann::json suggestion = made[0];
  EXPECT_EQ(suggestion.value("direction", ""), "PROGRESSION_DIRECTION_STEP_UP");
  EXPECT_EQ(suggestion.value("status", ""), "SUGGESTION_STATUS_PENDING");
  EXPECT_EQ(suggestion.value("fromSize", 0), 2);
  EXPECT_EQ(suggestion.value("toSize", 0), 3);
  EXPECT_EQ(suggestion.value("sessionsAtSize", 0), 6);
  // The programme is as it was, for the care team and for her.
  for (const char* email : {kAlexEmail, kJoEmail}) {
    const nlohmann::json now = GetProgramme(id, email);
    EXPECT_EQ(now.value("version", 0), programme.value("version", 0));
    EXPECT_EQ(now["items"][0]["dilator"].value("currentSize", 0), 2);
  }
  // Suggestions are the care team's: not hers to list or decide.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients/me/progressionSuggestions", TokenOf(kJoEmail)),
                            403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Decide(suggestion, "accept", programme.value("etag", ""), kJoEmail),
                            403, kPermissionDenied));
  // A stale etag is refused and changes nothing.
  EXPECT_TRUE(IsErrorAnswer(Decide(suggestion, "accept", "v0"), 409, kAborted));
  EXPECT_TRUE(IsErrorAnswer(Decide(suggestion, "accept", ""), 400, kInvalidArgument));
  EXPECT_EQ(GetProgramme(id).value("version", 0), programme.value("version", 0));
  HttpResponse accepted = Decide(suggestion, "accept", GetProgramme(id).value("etag", ""));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json().value("version", 0), programme.value("version", 0) + 1);
  EXPECT_EQ(accepted.Json()["items"][0]["dilator"].value("currentSize", 0), 3);
  EXPECT_EQ(GetProgramme(id, kJoEmail)["items"][0]["dilator"].value("currentSize", 0), 3);
  made = SuggestionsOf(id);
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].value("status", ""), "SUGGESTION_STATUS_ACCEPTED");
  EXPECT_EQ(made[0].value("acceptedVersion", 0), accepted.Json().value("version", -1));
  EXPECT_EQ(made[0].value("decidedByUserId", ""), kAlexUserId);
  // Decided once: deciding again is refused naming the state.
  HttpResponse twice = Decide(made[0], "decline", "");
  EXPECT_TRUE(IsErrorAnswer(twice, 400, kFailedPrecondition));
  EXPECT_THAT(twice.body, HasSubstr("ACCEPTED"));
}

TEST_F(PracticeApiTest, DeclineLeavesTheProgrammeAsItWas) {
  const nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string id = programme.value("id", "");
  for (int pain : {7, 6}) {
    ASSERT_EQ(LogPractice(DilatorSession(id, MinutesAgo(20 - pain), 2, pain, 5), Unique()).status,
              200);
  }
  std::vector<nlohmann::json> made = SuggestionsOf(id);
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].value("direction", ""), "PROGRESSION_DIRECTION_STEP_DOWN");
  EXPECT_EQ(made[0].value("toSize", 0), 1);
  HttpResponse declined = Decide(made[0], "decline", "");
  ASSERT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(declined.Json().value("status", ""), "SUGGESTION_STATUS_DECLINED");
  const nlohmann::json after = GetProgramme(id);
  EXPECT_EQ(after.value("version", 0), programme.value("version", 0));
  EXPECT_EQ(after["items"][0]["dilator"].value("currentSize", 0), 2);
  // Unknown and other clinics' suggestions answer as if they did not exist.
  nlohmann::json unknown = made[0];
  unknown["id"] = "0190d000-0000-7000-8000-0000deadbeef";
  EXPECT_TRUE(IsErrorAnswer(Decide(unknown, "decline", ""), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Decide(made[0], "decline", "", kOtherTherapistEmail), 404, kNotFound));
}

TEST_F(PracticeApiTest, LogsListNewestPracticeFirstAcrossPages) {
  const nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string id = programme.value("id", "");
  std::vector<std::string> logged;
  for (int i = 0; i < 5; ++i) {
    nlohmann::json skipped = {{"programmeId", id},
                              {"itemId", "dilator"},
                              {"practicedAt", Rfc3339(MinutesAgo(100 - i))},
                              {"completion", "PRACTICE_COMPLETION_SKIPPED"}};
    HttpResponse made = LogPractice(skipped, Unique());
    ASSERT_EQ(made.status, 200) << made.body;
    logged.insert(logged.begin(), made.Json().value("id", ""));
  }
  std::vector<std::string> seen;
  std::string token;
  for (int page = 0; page < 5; ++page) {
    std::string path = "/v1/clients/me/practiceLogs?pageSize=2&programmeId=" + id;
    if (!token.empty()) {
      path += "&pageToken=" + token;
    }
    HttpResponse listed = Rest().Get(path, TokenOf(kJoEmail));
    ASSERT_EQ(listed.status, 200) << listed.body;
    for (const nlohmann::json& log : listed.Json().value("logs", nlohmann::json::array())) {
      seen.push_back(log.value("id", ""));
    }
    token = listed.Json().value("nextPageToken", "");
    if (token.empty()) {
      break;
    }
  }
  EXPECT_EQ(seen, logged);
}

// The same two RPCs over gRPC: her session logged (a replay is the first log), out-of-range
// values as INVALID_ARGUMENT with BadRequest naming the field, and the list as she and her
// care team see it; nobody else logs or lists.
TEST_F(PracticeApiTest, LogAndListOverGrpc) {
  const nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string id = programme.value("id", "");
  std::unique_ptr<v1::ProgrammeService::Stub> stub = v1::ProgrammeService::NewStub(channel());
  const std::string marker = "zqgrpc" + Unique();
  v1::LogPracticeRequest request;
  request.set_client_id("me");
  request.set_request_id("grpc-" + Unique());
  v1::PracticeLog* log = request.mutable_log();
  log->set_programme_id(id);
  log->set_item_id("dilator");
  log->mutable_practiced_at()->set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(MinutesAgo(7).time_since_epoch()).count());
  log->set_duration_minutes(12);
  log->set_completion(v1::PRACTICE_COMPLETION_PARTLY);
  log->set_dilator_size(2);
  log->set_pain(3);
  log->set_anxiety(0);
  log->set_feelings("Calmer with the breathing " + marker);

  v1::PracticeLog first;
  grpc::Status status = stub->LogPractice(Context(TokenOf(kJoEmail)).get(), request, &first);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(first.client_id(), kJoClientId);
  EXPECT_EQ(first.programme_version(), programme.value("version", 0));
  EXPECT_EQ(first.completion(), v1::PRACTICE_COMPLETION_PARTLY);
  EXPECT_TRUE(first.has_anxiety());
  EXPECT_EQ(first.anxiety(), 0);
  EXPECT_THAT(first.feelings(), HasSubstr(marker));
  EXPECT_FALSE(first.local_date().empty());

  v1::PracticeLog again;
  request.mutable_log()->set_pain(9);
  status = stub->LogPractice(Context(TokenOf(kJoEmail)).get(), request, &again);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.pain(), 3);

  request.set_request_id("grpc-" + Unique());
  request.mutable_log()->set_pain(11);
  v1::PracticeLog refused;
  status = stub->LogPractice(Context(TokenOf(kJoEmail)).get(), request, &refused);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "log.pain");
  EXPECT_THAT(status.error_message(), Not(HasSubstr(marker)));
  request.mutable_log()->set_pain(3);
  // Logging is hers alone: not her clinician's.
  request.set_client_id(kJoClientId);
  status = stub->LogPractice(Context(TokenOf(kAlexEmail)).get(), request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);

  v1::ListPracticeLogsRequest list;
  list.set_client_id(kJoClientId);
  list.set_programme_id(id);
  for (const char* email : {kJoEmail, kAlexEmail}) {
    v1::ListPracticeLogsResponse listed;
    status = stub->ListPracticeLogs(Context(TokenOf(email)).get(), list, &listed);
    ASSERT_TRUE(status.ok()) << email << ": " << Describe(status);
    ASSERT_EQ(listed.logs_size(), 1) << email;
    EXPECT_EQ(listed.logs(0).id(), first.id());
    EXPECT_THAT(listed.logs(0).feelings(), HasSubstr(marker));
    EXPECT_TRUE(listed.next_page_token().empty());
  }
  v1::ListPracticeLogsResponse hidden;
  status = stub->ListPracticeLogs(Context(TokenOf(kKimEmail)).get(), list, &hidden);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  status = stub->ListPracticeLogs(Context(TokenOf(kOtherTherapistEmail)).get(), list, &hidden);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
  list.set_page_size(501);
  status = stub->ListPracticeLogs(Context(TokenOf(kJoEmail)).get(), list, &hidden);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_THAT(server().Log(), Not(HasSubstr(marker)));
}

// Sessions arriving at once (a phone syncing a week of practice, several servers on one
// PostgreSQL) race on the one-PENDING-per-item index and on the request id: every session is
// logged once, the ladder makes one suggestion, and a session sent many times is one row.
TEST_F(PracticeApiTest, ConcurrentLogsMakeOneSuggestionAndOneRowPerRequestId) {
  const nlohmann::json programme = ActiveProgramme();
  ASSERT_FALSE(programme.is_null());
  const std::string id = programme.value("id", "");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(LogPractice(DilatorSession(id, MinutesAgo(90 - i), 2, 1, 1), Unique()).status, 200);
  }
  ASSERT_THAT(SuggestionsOf(id), SizeIs(0));

  constexpr int kBurst = 8;
  std::vector<HttpResponse> answers(kBurst);
  std::vector<std::string> request_ids;
  request_ids.reserve(kBurst);
  for (int i = 0; i < kBurst; ++i) {
    request_ids.push_back("burst-" + Unique());
  }
  {
    std::vector<std::thread> phones;
    phones.reserve(kBurst);
    for (int i = 0; i < kBurst; ++i) {
      phones.emplace_back([&, i] {
        answers[i] = LogPractice(DilatorSession(id, MinutesAgo(60 - i), 2, 1, 1), request_ids[i]);
      });
    }
    for (std::thread& phone : phones) {
      phone.join();
    }
  }
  for (const HttpResponse& answer : answers) {
    EXPECT_EQ(answer.status, 200) << answer.body;
  }
  const std::vector<nlohmann::json> made = SuggestionsOf(id);
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].value("status", ""), "SUGGESTION_STATUS_PENDING");
  EXPECT_EQ(made[0].value("toSize", 0), 3);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM practice_logs WHERE programme_id = '" + id + "'"),
            std::vector<std::string>{std::to_string(5 + kBurst)});

  const std::string same = "same-" + Unique();
  const nlohmann::json session = DilatorSession(id, MinutesAgo(30), 2, 0, 0);
  std::vector<HttpResponse> retries(6);
  {
    std::vector<std::thread> phones;
    phones.reserve(retries.size());
    for (size_t i = 0; i < retries.size(); ++i) {
      phones.emplace_back([&, i] { retries[i] = LogPractice(session, same); });
    }
    for (std::thread& phone : phones) {
      phone.join();
    }
  }
  ASSERT_EQ(retries[0].status, 200) << retries[0].body;
  for (const HttpResponse& retry : retries) {
    ASSERT_EQ(retry.status, 200) << retry.body;
    EXPECT_EQ(retry.Json().value("id", "a"), retries[0].Json().value("id", "b"));
  }
  EXPECT_EQ(Query("SELECT COUNT(*) FROM practice_logs WHERE request_id = '" + same + "'"),
            std::vector<std::string>{"1"});
}

}  // namespace
}  // namespace confide::api_test
