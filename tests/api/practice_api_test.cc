// The practice log and the dilator ladder's suggestions over REST, against the real
// confide-server: a patient logs only against her own ACTIVE programme, a replay (same request
// id) is the first log and one row, out-of-range values are INVALID_ARGUMENT naming the field,
// her words are sealed, and a suggestion never changes the programme until a clinician accepts.

#include <chrono>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
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
  for (const auto& c : cases) {
    HttpResponse refused =
        LogPractice(DilatorSession(c.programme_id, MinutesAgo(5), 2, 1, 1), Unique());
    EXPECT_TRUE(IsErrorAnswer(refused, c.http, c.code)) << c.what << ": " << refused.body;
  }
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

}  // namespace
}  // namespace confide::api_test
