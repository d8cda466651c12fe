#pragma once

// What the practice-log API tests share: a dilator programme for Jo written by Alex (her
// physiotherapist), activated, and her sessions logged over REST.

#include <chrono>
#include <ctime>
#include <string>

#include "api_test_fixture.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace confide::api_test {

using Clock = std::chrono::system_clock;

// RFC 3339 in UTC, whole seconds: what a phone sends as practicedAt.
inline std::string Rfc3339(Clock::time_point t) {
  const std::time_t seconds = Clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// YYYY-MM-DD in UTC.
inline std::string UtcDate(Clock::time_point t) { return Rfc3339(t).substr(0, 10); }

inline std::string ProgrammesPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/programmes";
}

// A rule: up after `up_after` sessions with the last `window` at pain <= `max_pain` and anxiety
// <= `max_anxiety`; down after `down_after` sessions at pain >= `down_pain`.
inline nlohmann::json Rule(int up_after, int window, int max_pain, int max_anxiety, int down_after,
                           int down_pain) {
  return {{"stepUpAfterSessions", up_after},     {"stepUpWindowSessions", window},
          {"stepUpMaxPain", max_pain},           {"stepUpMaxAnxiety", max_anxiety},
          {"stepDownAfterSessions", down_after}, {"stepDownMinPain", down_pain}};
}

// A programme with one dilator item "dilator": a set of six sizes (12-32 mm), 10 minutes five
// times a week, starting at `current_size`.
inline nlohmann::json DilatorProgramme(const std::string& dilator_exercise_id,
                                       const std::string& start_date, int current_size,
                                       const nlohmann::json& rule,
                                       const std::string& time_zone = "Europe/London") {
  nlohmann::json sizes = nlohmann::json::array();
  for (int size = 1; size <= 6; ++size) {
    sizes.push_back({{"size", size}, {"diameterMm", 8 + 4 * size}});
  }
  return {{"title", "Your dilator ladder"},
          {"patientMessage", "Go gently; every session counts."},
          {"timeZone", time_zone},
          {"items",
           {{{"id", "dilator"},
             {"exerciseId", dilator_exercise_id},
             {"startDate", start_date},
             {"dilator",
              {{"set", {{"brand", "Soul Source"}, {"sizes", sizes}}},
               {"currentSize", current_size},
               {"minutesPerSession", 10},
               {"sessionsPerWeek", 5},
               {"rule", rule}}}}}}};
}

// The practice-log and programme calls, for tests derived from ApiTest (with the suite's gRPC
// channel too).
class PracticeApiTestBase : public GrpcApiTestBase {
 protected:
  // The demo clinic's starter dilator exercise (Alex's view of the library).
  static std::string DilatorExerciseId() {
    HttpResponse listed = Rest().Get(
        "/v1/exercises?pageSize=500&category=EXERCISE_CATEGORY_DILATOR", TokenOf(kAlexEmail));
    EXPECT_EQ(listed.status, 200) << listed.body;
    if (listed.status != 200 || !listed.Json().contains("exercises") ||
        listed.Json()["exercises"].empty()) {
      ADD_FAILURE() << "no dilator exercise in the demo library: " << listed.body;
      return "";
    }
    return listed.Json()["exercises"][0].value("id", "");
  }

  // Creates `body` for Jo as Alex; null (and a failure) when refused.
  static nlohmann::json CreateProgramme(const nlohmann::json& body,
                                        const std::string& client_id = kJoClientId,
                                        const std::string& email = kAlexEmail) {
    HttpResponse created = Rest().Post(ProgrammesPath(client_id), body, TokenOf(email));
    EXPECT_EQ(created.status, 200) << created.body;
    return created.status == 200 ? created.Json() : nlohmann::json();
  }

  // `verb` is "activate", "pause" or "end"; returns the programme after.
  static nlohmann::json ChangeStatus(const nlohmann::json& programme, const std::string& verb,
                                     const std::string& email = kAlexEmail) {
    HttpResponse changed = Rest().Post(ProgrammesPath(programme.value("clientId", "")) + "/" +
                                           programme.value("id", "") + ":" + verb,
                                       {{"etag", programme.value("etag", "")}}, TokenOf(email));
    EXPECT_EQ(changed.status, 200) << changed.body;
    return changed.status == 200 ? changed.Json() : nlohmann::json();
  }

  static nlohmann::json GetProgramme(const std::string& programme_id,
                                     const std::string& email = kAlexEmail,
                                     const std::string& client_id = kJoClientId) {
    HttpResponse got = Rest().Get(ProgrammesPath(client_id) + "/" + programme_id, TokenOf(email));
    EXPECT_EQ(got.status, 200) << got.body;
    return got.status == 200 ? got.Json() : nlohmann::json();
  }

  // A done dilator session as her phone sends it.
  static nlohmann::json DilatorSession(const std::string& programme_id, Clock::time_point when,
                                       int size, int pain, int anxiety) {
    return {{"programmeId", programme_id},
            {"itemId", "dilator"},
            {"practicedAt", Rfc3339(when)},
            {"durationMinutes", 10},
            {"completion", "PRACTICE_COMPLETION_FULLY"},
            {"dilatorSize", size},
            {"pain", pain},
            {"anxiety", anxiety}};
  }

  static HttpResponse LogPractice(const nlohmann::json& log, const std::string& request_id,
                                  const std::string& email = kJoEmail,
                                  const std::string& client_id = "me") {
    std::string path = "/v1/clients/" + client_id + "/practiceLogs";
    if (!request_id.empty()) {
      path += "?requestId=" + request_id;
    }
    return Rest().Post(path, log, TokenOf(email));
  }

  // The client's suggestions as Alex sees them, newest first.
  static nlohmann::json Suggestions(const std::string& status = "",
                                    const std::string& client_id = kJoClientId) {
    std::string path = "/v1/clients/" + client_id + "/progressionSuggestions?pageSize=500";
    if (!status.empty()) {
      path += "&status=" + status;
    }
    HttpResponse listed = Rest().Get(path, TokenOf(kAlexEmail));
    EXPECT_EQ(listed.status, 200) << listed.body;
    if (listed.status != 200) {
      return nlohmann::json::array();
    }
    return listed.Json().value("suggestions", nlohmann::json::array());
  }

  // The client's suggestions of one programme, oldest first.
  static std::vector<nlohmann::json> SuggestionsOf(const std::string& programme_id) {
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& s : Suggestions()) {
      if (s.value("programmeId", "") == programme_id) {
        out.insert(out.begin(), s);
      }
    }
    return out;
  }

  static HttpResponse Decide(const nlohmann::json& suggestion, const std::string& verb,
                             const std::string& programme_etag,
                             const std::string& email = kAlexEmail) {
    nlohmann::json body = nlohmann::json::object();
    if (!programme_etag.empty()) {
      body["programmeEtag"] = programme_etag;
    }
    return Rest().Post("/v1/clients/" + suggestion.value("clientId", "") +
                           "/progressionSuggestions/" + suggestion.value("id", "") + ":" + verb,
                       body, TokenOf(email));
  }
};

}  // namespace confide::api_test
