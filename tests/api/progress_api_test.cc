// Progress, due items and the caseload through the real confide-server, over REST and gRPC: Jo
// and her care team see the same progress of her active programme, counted in her time zone; a
// partner only with the progress-summary share; a draft is the care team's only; discreet
// reminders say nothing of what the practice is; the caseload is for clinicians.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "api_test_fixture.h"
#include "confide/v1/progress.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kZone[] = "Europe/London";

std::string ProgrammesPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/programmes";
}

std::string ProgressPath(const std::string& client_id, const std::string& programme_id) {
  return ProgrammesPath(client_id) + "/" + programme_id + "/progress";
}

absl::TimeZone London() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(kZone, &zone));
  return zone;
}

// Her calendar date `days_ago` days before today, YYYY-MM-DD.
std::string LocalDay(int days_ago) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), London()) - days_ago);
}

// Noon of her day `days_ago` days before today, as RFC 3339.
std::string NoonOf(int days_ago) {
  const absl::CivilDay day = absl::ToCivilDay(absl::Now(), London()) - days_ago;
  return absl::FormatTime(absl::RFC3339_sec,
                          absl::FromCivil(absl::CivilSecond(day) + 12 * 3600, London()),
                          absl::UTCTimeZone());
}

// The Monday of her current ISO week, YYYY-MM-DD.
std::string ThisMonday() {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), London());
  // absl numbers weekdays from Monday = 0.
  return absl::FormatCivilTime(today - static_cast<int>(absl::GetWeekday(today)));
}

class ProgressApiTest : public GrpcApiTestBase {
 protected:
  // The demo clinic's first starter exercise of `category`.
  static std::string ExerciseOf(const std::string& category) {
    HttpResponse listed =
        Rest().Get("/v1/exercises?pageSize=500&category=" + category, TokenOf(kSamEmail));
    EXPECT_EQ(listed.status, 200) << listed.body;
    const nlohmann::json body = listed.Json();
    if (listed.status != 200 || !body.contains("exercises") || body["exercises"].empty()) {
      ADD_FAILURE() << "no starter exercise of " << category;
      return "";
    }
    return body["exercises"][0].value("id", "");
  }

  // A programme for Jo by Sam: breathing twice a day and a dilator ladder three times a week,
  // both from two weeks ago; activated unless `draft`. Returns its id ("" when refused).
  static std::string CreateProgramme(bool draft = false) {
    const nlohmann::json sizes = {{{"size", 1}, {"diameterMm", 12}},
                                  {{"size", 2}, {"diameterMm", 16}},
                                  {{"size", 3}, {"diameterMm", 20}},
                                  {{"size", 4}, {"diameterMm", 24}}};
    const nlohmann::json body = {
        {"title", "Your home practice"},
        {"timeZone", kZone},
        {"items",
         {{{"id", "breathing"},
           {"exerciseId", ExerciseOf("EXERCISE_CATEGORY_DOWN_TRAINING")},
           {"startDate", LocalDay(14)},
           {"schedule", {{"timesPerPeriod", 2}, {"period", "SCHEDULE_PERIOD_DAY"}}}},
          {{"id", "dilator"},
           {"exerciseId", ExerciseOf("EXERCISE_CATEGORY_DILATOR")},
           {"startDate", LocalDay(14)},
           {"dilator",
            {{"set", {{"sizes", sizes}}},
             {"currentSize", 2},
             {"minutesPerSession", 10},
             {"sessionsPerWeek", 3},
             {"rule",
              {{"stepUpAfterSessions", 10},
               {"stepUpWindowSessions", 3},
               {"stepUpMaxPain", 2},
               {"stepUpMaxAnxiety", 3},
               {"stepDownAfterSessions", 2},
               {"stepDownMinPain", 7}}}}}}}}};
    HttpResponse created = Rest().Post(ProgrammesPath(kJoClientId), body, TokenOf(kSamEmail));
    EXPECT_EQ(created.status, 200) << created.body;
    if (created.status != 200) {
      return "";
    }
    const std::string id = created.Json().value("id", "");
    if (!draft) {
      HttpResponse activated =
          Rest().Post(ProgrammesPath(kJoClientId) + "/" + id + ":activate",
                      {{"etag", created.Json().value("etag", "")}}, TokenOf(kSamEmail));
      EXPECT_EQ(activated.status, 200) << activated.body;
    }
    return id;
  }

  static void Log(const std::string& programme_id, const std::string& item, int days_ago, int pain,
                  int size = 0) {
    nlohmann::json log = {{"programmeId", programme_id},
                          {"itemId", item},
                          {"practicedAt", NoonOf(days_ago)},
                          {"durationMinutes", 10},
                          {"completion", "PRACTICE_COMPLETION_FULLY"},
                          {"pain", pain},
                          {"anxiety", 2}};
    if (size != 0) {
      log["dilatorSize"] = size;
    }
    HttpResponse logged =
        Rest().Post("/v1/clients/me/practiceLogs?requestId=" + Unique(), log, TokenOf(kJoEmail));
    EXPECT_EQ(logged.status, 200) << logged.body;
  }

  // Jo's programme with eight days of breathing (ending yesterday) and three dilator sessions,
  // the last without pain. Made once per suite.
  static const std::string& Practised() {
    static const std::string* id = [] {
      auto* made = new std::string(CreateProgramme());
      if (!made->empty()) {
        for (int days_ago = 8; days_ago >= 1; --days_ago) {
          Log(*made, "breathing", days_ago, 1);
        }
        Log(*made, "dilator", 6, 3, 2);
        Log(*made, "dilator", 4, 2, 2);
        Log(*made, "dilator", 2, 0, 2);
      }
      return made;
    }();
    return *id;
  }

  static nlohmann::json ItemOf(const nlohmann::json& progress, const std::string& item_id) {
    for (const nlohmann::json& item : progress.value("items", nlohmann::json::array())) {
      if (item.value("itemId", "") == item_id) {
        return item;
      }
    }
    ADD_FAILURE() << "no item " << item_id << " in " << progress.dump();
    return nlohmann::json::object();
  }

  static std::vector<std::string> MilestoneKinds(const nlohmann::json& progress) {
    std::vector<std::string> kinds;
    for (const nlohmann::json& m : progress.value("milestones", nlohmann::json::array())) {
      kinds.push_back(m.value("kind", ""));
    }
    return kinds;
  }
};

TEST_F(ProgressApiTest, PatientSeesHerProgressInHerTimeZone) {
  const std::string id = Practised();
  ASSERT_FALSE(id.empty());

  HttpResponse got = Rest().Get(ProgressPath("me", id), TokenOf(kJoEmail));

  ASSERT_EQ(got.status, 200) << got.body;
  const nlohmann::json progress = got.Json();
  EXPECT_EQ(progress.value("programmeId", ""), id);
  EXPECT_EQ(progress.value("timeZone", ""), kZone);
  EXPECT_EQ(progress.value("asOfDate", ""), LocalDay(0));
  const nlohmann::json breathing = ItemOf(progress, "breathing");
  EXPECT_EQ(breathing.value("totalSessions", 0), 8);
  EXPECT_EQ(breathing.value("currentStreakDays", 0), 8);
  EXPECT_EQ(breathing.value("longestStreakDays", 0), 8);
  EXPECT_FALSE(breathing.value("title", "").empty());
  EXPECT_EQ(breathing.value("category", ""), "EXERCISE_CATEGORY_DOWN_TRAINING");
  // Activated today, so prescribed from today; shown from the week of her first session (eight
  // days ago) to this one.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), London());
  const int since_monday = static_cast<int>(absl::GetWeekday(today));
  const absl::CivilDay first_monday =
      (today - 8) - static_cast<int>(absl::GetWeekday(absl::CivilDay(today - 8)));
  ASSERT_EQ(breathing["weeks"].size(),
            static_cast<size_t>((today - since_monday - first_monday) / 7 + 1));
  // Sessions 1..8 days ago: those since Monday are this week's.
  EXPECT_EQ(breathing["weeks"].back().value("done", 0), std::min(8, since_monday));
  EXPECT_EQ(breathing["weeks"].back().value("weekStart", ""), ThisMonday());
  const nlohmann::json dilator = ItemOf(progress, "dilator");
  EXPECT_EQ(dilator.value("totalSessions", 0), 3);
  EXPECT_EQ(dilator.value("currentSize", 0), 2);
  ASSERT_EQ(dilator["dilatorTimeline"].size(), 1u);
  EXPECT_EQ(dilator["dilatorTimeline"][0].value("size", 0), 2);
  EXPECT_EQ(dilator["dilatorTimeline"][0].value("diameterMm", 0), 16);
  EXPECT_EQ(dilator["dilatorTimeline"][0].value("firstDate", ""), LocalDay(6));
  EXPECT_EQ(dilator["dilatorTimeline"][0].value("sessions", 0), 3);
  const std::vector<std::string> kinds = MilestoneKinds(progress);
  EXPECT_THAT(kinds, Contains("PROGRESS_MILESTONE_KIND_FIRST_SESSION"));
  EXPECT_THAT(kinds, Contains("PROGRESS_MILESTONE_KIND_TEN_SESSIONS"));
  EXPECT_THAT(kinds, Contains("PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK"));
  EXPECT_THAT(kinds, Contains("PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION"));
  for (const nlohmann::json& m : progress["milestones"]) {
    EXPECT_FALSE(m.value("celebrationMessage", "").empty()) << m.dump();
  }
}

TEST_F(ProgressApiTest, CareTeamSeesTheSameProgressOverRestAndGrpc) {
  const std::string id = Practised();
  ASSERT_FALSE(id.empty());
  HttpResponse patient = Rest().Get(ProgressPath("me", id), TokenOf(kJoEmail));
  HttpResponse sam = Rest().Get(ProgressPath(kJoClientId, id), TokenOf(kSamEmail));
  ASSERT_EQ(sam.status, 200) << sam.body;
  ASSERT_EQ(patient.status, 200) << patient.body;
  EXPECT_EQ(sam.Json()["items"], patient.Json()["items"]);
  EXPECT_EQ(sam.Json()["milestones"], patient.Json()["milestones"]);

  v1::GetProgressRequest request;
  request.set_client_id(kJoClientId);
  request.set_programme_id(id);
  v1::Progress progress;
  grpc::Status status = v1::ProgressService::NewStub(channel())->GetProgress(
      Context(TokenOf(kSamEmail)).get(), request, &progress);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(progress.programme_id(), id);
  ASSERT_EQ(progress.items_size(), 2);
  EXPECT_EQ(progress.items(0).total_sessions(), 8);
  EXPECT_EQ(progress.items(1).total_sessions(), 3);
  EXPECT_EQ(progress.milestones_size(), static_cast<int>(sam.Json()["milestones"].size()));

  // Riley, another patient of the clinic, cannot tell it exists.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ProgressPath(kJoClientId, id), TokenOf(kRileyEmail)), 404,
                            kNotFound));
  // Nor can a clinician of another clinic.
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Get(ProgressPath(kJoClientId, id), TokenOf(kOtherTherapistEmail)), 404, kNotFound));
}

// Kim has only the plan-summary share in the demo.
TEST_F(ProgressApiTest, PartnerSeesProgressOnlyWithTheProgressShare) {
  const std::string id = Practised();
  ASSERT_FALSE(id.empty());
  const std::string kim = TokenOf(kKimEmail);
  const std::string jo = TokenOf(kJoEmail);
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ProgressPath(kJoClientId, id), kim), 403, kPermissionDenied));

  const std::string shares_path =
      std::string("/v1/clients/me/partners/") + kKimPartnerLinkId + ":updateShares";
  HttpResponse shared = Rest().Post(
      shares_path, {{"shares", {"PARTNER_SHARE_PLAN_SUMMARY", "PARTNER_SHARE_PROGRESS_SUMMARY"}}},
      jo);
  ASSERT_EQ(shared.status, 200) << shared.body;
  HttpResponse with_share = Rest().Get(ProgressPath(kJoClientId, id), kim);
  v1::GetProgressRequest request;
  request.set_client_id(kJoClientId);
  request.set_programme_id(id);
  v1::Progress over_grpc;
  grpc::Status status =
      v1::ProgressService::NewStub(channel())->GetProgress(Context(kim).get(), request, &over_grpc);
  HttpResponse restored =
      Rest().Post(shares_path, {{"shares", {"PARTNER_SHARE_PLAN_SUMMARY"}}}, jo);
  ASSERT_EQ(restored.status, 200) << restored.body;

  ASSERT_EQ(with_share.status, 200) << with_share.body;
  EXPECT_EQ(ItemOf(with_share.Json(), "breathing").value("totalSessions", 0), 8);
  // No plan linked: no goals to count, for anyone.
  EXPECT_EQ(with_share.Json().value("goalsTotal", 0), 0);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(over_grpc.items_size(), 2);
  // Once the share is gone, so is the progress.
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ProgressPath(kJoClientId, id), kim), 403, kPermissionDenied));
}

TEST_F(ProgressApiTest, ADraftsProgressIsTheCareTeamsOnly) {
  const std::string draft = CreateProgramme(/*draft=*/true);
  ASSERT_FALSE(draft.empty());
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ProgressPath("me", draft), TokenOf(kJoEmail)), 404, kNotFound));
  HttpResponse sam = Rest().Get(ProgressPath(kJoClientId, draft), TokenOf(kSamEmail));
  ASSERT_EQ(sam.status, 200) << sam.body;
  // Never activated: nothing prescribed yet.
  EXPECT_EQ(ItemOf(sam.Json(), "breathing").value("adherencePercent", 0), -1);
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ProgressPath(kJoClientId, "0190d000-0000-7000-8000-0000deadbeef"),
                               TokenOf(kSamEmail)),
                    404, kNotFound));
}

TEST_F(ProgressApiTest, WeeksOutOfRangeIsRefusedNamingTheField) {
  const std::string id = Practised();
  ASSERT_FALSE(id.empty());
  HttpResponse refused = Rest().Get(ProgressPath("me", id) + "?weeks=157", TokenOf(kJoEmail));
  ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(refused.Json()), Contains("weeks"));
  HttpResponse most = Rest().Get(ProgressPath("me", id) + "?weeks=156", TokenOf(kJoEmail));
  EXPECT_EQ(most.status, 200) << most.body;
}

TEST_F(ProgressApiTest, DueItemsInDiscreetWordingSayNothingOfThePractice) {
  const std::string id = Practised();
  ASSERT_FALSE(id.empty());
  HttpResponse plain = Rest().Get("/v1/clients/me/dueItems", TokenOf(kJoEmail));
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.Json().value("date", ""), LocalDay(0));
  int mine = 0;
  for (const nlohmann::json& item : plain.Json().value("items", nlohmann::json::array())) {
    if (item.value("programmeId", "") != id) {
      continue;
    }
    ++mine;
    if (item.value("itemId", "") == "breathing") {
      EXPECT_EQ(item.value("dueToday", 0), 2);
      EXPECT_EQ(item.value("reminderText", ""), "2 sessions left today");
    } else {
      EXPECT_EQ(item.value("dilatorSize", 0), 2);
      EXPECT_EQ(item.value("category", ""), "EXERCISE_CATEGORY_DILATOR");
      EXPECT_EQ(item.value("minutesPerSession", 0), 10);
    }
  }
  EXPECT_EQ(mine, 2) << plain.body;

  HttpResponse discreet =
      Rest().Get("/v1/clients/me/dueItems?wording=REMINDER_WORDING_DISCREET", TokenOf(kJoEmail));
  ASSERT_EQ(discreet.status, 200) << discreet.body;
  EXPECT_THAT(discreet.body, Not(HasSubstr("DILATOR")));
  for (const nlohmann::json& item : discreet.Json().value("items", nlohmann::json::array())) {
    // Item ids are the clinician's labels (the portal logs against them); titles and reminder
    // text are what a shared screen shows.
    EXPECT_FALSE(item.value("title", "").empty());
    EXPECT_THAT(item.value("title", ""), Not(HasSubstr("ilator"))) << item.dump();
    EXPECT_THAT(item.value("reminderText", ""), Not(HasSubstr("ilator"))) << item.dump();
    EXPECT_FALSE(item.contains("category")) << item.dump();
    EXPECT_FALSE(item.contains("dilatorSize")) << item.dump();
  }

  // Her care team sees the same list; another patient does not.
  EXPECT_EQ(Rest()
                .Get(std::string("/v1/clients/") + kJoClientId + "/dueItems", TokenOf(kSamEmail))
                .status,
            200);
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Get(std::string("/v1/clients/") + kJoClientId + "/dueItems", TokenOf(kRileyEmail)),
      404, kNotFound));
}

TEST_F(ProgressApiTest, CaseloadIsTheClinicianOwnClients) {
  const std::string id = Practised();
  ASSERT_FALSE(id.empty());
  HttpResponse sam = Rest().Get("/v1/caseload", TokenOf(kSamEmail));
  ASSERT_EQ(sam.status, 200) << sam.body;
  nlohmann::json jo;
  for (const nlohmann::json& entry : sam.Json().value("entries", nlohmann::json::array())) {
    EXPECT_NE(entry.value("clientId", ""), kCaseyClientId);
    if (entry.value("clientId", "") == kJoClientId) {
      jo = entry;
    }
  }
  ASSERT_FALSE(jo.is_null()) << sam.body;
  EXPECT_GE(jo.value("activeProgrammes", 0), 1);
  EXPECT_FALSE(jo.value("displayName", "").empty());
  // Yesterday (or later, should the demo have logged since).
  EXPECT_GE(jo.value("daysSinceLastPractice", -1), 0);
  EXPECT_LE(jo.value("daysSinceLastPractice", -1), 1);
  EXPECT_FALSE(jo.value("lastPracticeTime", "").empty());

  // The other clinic's therapist has none of them.
  HttpResponse other = Rest().Get("/v1/caseload", TokenOf(kOtherTherapistEmail));
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_THAT(other.body, Not(HasSubstr(kJoClientId)));
  // Patients and admins have no caseload.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/caseload", TokenOf(kJoEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/caseload", TokenOf(kAdminEmail)), 403, kPermissionDenied));
  HttpResponse refused = Rest().Get("/v1/caseload?inactiveDays=91", TokenOf(kSamEmail));
  ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(refused.Json()), Contains("inactive_days"));
}

}  // namespace
}  // namespace confide::api_test
