// Home programmes over REST and gRPC, against the real confide-server: a programme round-trips
// with its exercise snapshots and goal links, every change is a new version and old versions
// stay as they were, status changes move the etag, the patient sees no draft and no clinician
// notes, wrong input is refused naming the field, another client's programme is NOT_FOUND, and
// nothing of a programme is stored in clear.

#include <memory>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/programmes.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ProgrammesOf(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/programmes";
}

std::string ProgrammeOf(const std::string& client_id, const std::string& programme_id) {
  return ProgrammesOf(client_id) + "/" + programme_id;
}

class ProgrammesApiTest : public GrpcApiTestBase {
 protected:
  // The first exercise of `category` in the demo library, as Alex sees it.
  static nlohmann::json ExerciseOf(const std::string& category) {
    HttpResponse listed =
        Rest().Get("/v1/exercises?pageSize=500&category=" + category, TokenOf(kAlexEmail));
    EXPECT_EQ(listed.status, 200) << listed.body;
    if (listed.status != 200 || !listed.Json().contains("exercises") ||
        listed.Json()["exercises"].empty()) {
      ADD_FAILURE() << "no " << category << " exercise in the demo library";
      return nlohmann::json::object();
    }
    return listed.Json()["exercises"][0];
  }

  static nlohmann::json Ladder(int current_size) {
    nlohmann::json sizes = nlohmann::json::array();
    for (int size = 1; size <= 6; ++size) {
      sizes.push_back({{"size", size}, {"diameterMm", 8 + 4 * size}});
    }
    return {{"set", {{"brand", "Soul Source"}, {"sizes", sizes}}},
            {"currentSize", current_size},
            {"minutesPerSession", 10},
            {"sessionsPerWeek", 5},
            {"rule",
             {{"stepUpAfterSessions", 6},
              {"stepUpWindowSessions", 3},
              {"stepUpMaxPain", 2},
              {"stepUpMaxAnxiety", 3},
              {"stepDownAfterSessions", 2},
              {"stepDownMinPain", 6}}}};
  }

  // Kegels three times a week and a dilator ladder at size 2; `marker` in the patient-facing
  // text so the database can be searched for it.
  static nlohmann::json Body(const std::string& marker, const std::string& plan_id = "") {
    nlohmann::json kegels = {
        {"id", "kegels"},
        {"exerciseId", ExerciseOf("EXERCISE_CATEGORY_KEGELS").value("id", "")},
        {"schedule", {{"timesPerPeriod", 3}, {"period", "SCHEDULE_PERIOD_WEEK"}}},
        {"dose", {{"sets", 2}, {"reps", 8}, {"holdSeconds", 3}}},
        {"startDate", "2026-06-01"},
        {"instructions", "zqinstr" + marker}};
    nlohmann::json dilator = {
        {"id", "dilator"},
        {"exerciseId", ExerciseOf("EXERCISE_CATEGORY_DILATOR").value("id", "")},
        {"startDate", "2026-06-01"},
        {"dilator", Ladder(2)}};
    nlohmann::json body = {{"title", "zqtitle" + marker},
                           {"patientMessage", "zqmessage" + marker},
                           {"timeZone", "Europe/London"},
                           {"items", {kegels, dilator}}};
    if (!plan_id.empty()) {
      body["planId"] = plan_id;
      body["items"][0]["goalIds"] = {"size-3"};
    }
    return body;
  }

  static HttpResponse Create(const nlohmann::json& body, const std::string& client_id = kJoClientId,
                             const std::string& email = kAlexEmail,
                             const std::string& request_id = "") {
    std::string path = ProgrammesOf(client_id);
    if (!request_id.empty()) {
      path += "?requestId=" + request_id;
    }
    return Rest().Post(path, body, TokenOf(email));
  }

  static nlohmann::json Created(const nlohmann::json& body) {
    HttpResponse created = Create(body);
    EXPECT_EQ(created.status, 200) << created.body;
    return created.status == 200 ? created.Json() : nlohmann::json::object();
  }

  static HttpResponse Change(const nlohmann::json& programme, const std::string& verb,
                             const std::string& email = kAlexEmail) {
    return Rest().Post(ProgrammeOf(kJoClientId, programme.value("id", "")) + ":" + verb,
                       {{"etag", programme.value("etag", "")}}, TokenOf(email));
  }

  static HttpResponse Update(const nlohmann::json& programme, const std::string& mask,
                             nlohmann::json fields, const std::string& email = kAlexEmail) {
    fields["etag"] = programme.value("etag", "");
    return Rest().Patch(ProgrammeOf(kJoClientId, programme.value("id", "")) + "?updateMask=" + mask,
                        fields, TokenOf(email));
  }

  // A plan of Jo's (by Sam) with the goal "size-3".
  static std::string JosPlan() {
    nlohmann::json plan = {
        {"title", "Plan"},
        {"goals", {{{"id", "size-3"}, {"patientWording", "Use size 3 comfortably"}}}}};
    HttpResponse created =
        Rest().Post("/v1/clients/" + std::string(kJoClientId) + "/plans", plan, TokenOf(kSamEmail));
    EXPECT_EQ(created.status, 200) << created.body;
    return created.status == 200 ? created.Json().value("id", "") : "";
  }

  static bool Lists(const std::string& email, const std::string& client_id,
                    const std::string& programme_id) {
    HttpResponse listed = Rest().Get(ProgrammesOf(client_id) + "?pageSize=500", TokenOf(email));
    EXPECT_EQ(listed.status, 200) << listed.body;
    if (listed.status != 200 || !listed.Json().contains("programmes")) {
      ADD_FAILURE() << listed.body;
      return false;
    }
    const nlohmann::json answer = listed.Json();
    for (const nlohmann::json& p : answer["programmes"]) {
      if (p.value("id", "") == programme_id) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(ProgrammesApiTest, CreatedProgrammeRoundTripsWithSnapshotsAndGoalLinks) {
  const std::string marker = Unique();
  const std::string plan_id = JosPlan();
  const nlohmann::json made = Created(Body(marker, plan_id));
  ASSERT_TRUE(made.contains("id")) << made.dump();

  EXPECT_EQ(made.value("version", 0), 1);
  EXPECT_EQ(made.value("status", ""), "PROGRAMME_STATUS_DRAFT");
  EXPECT_EQ(made.value("clientId", ""), kJoClientId);
  EXPECT_EQ(made.value("authorUserId", ""), kAlexUserId);
  EXPECT_EQ(made.value("planId", ""), plan_id);
  ASSERT_EQ(made["items"].size(), 2u);
  EXPECT_EQ(made["items"][0]["goalIds"][0], "size-3");
  EXPECT_GE(made["items"][0].value("exerciseVersion", 0), 1);
  EXPECT_EQ(made["items"][0]["exercise"].value("category", ""), "EXERCISE_CATEGORY_KEGELS");
  EXPECT_TRUE(made["items"][1]["dilator"].contains("currentSizeSince"));
  EXPECT_EQ(made["items"][1]["dilator"].value("currentSize", 0), 2);

  HttpResponse got = Rest().Get(ProgrammeOf(kJoClientId, made.value("id", "")), TokenOf(kSamEmail));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json(), made);
}

TEST_F(ProgrammesApiTest, RetriedCreateReturnsTheFirstProgramme) {
  const std::string request_id = "retry-" + Unique();
  const nlohmann::json body = Body(Unique());
  HttpResponse first = Create(body, kJoClientId, kAlexEmail, request_id);
  HttpResponse again = Create(body, kJoClientId, kAlexEmail, request_id);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().value("id", ""), first.Json().value("id", ""));
}

TEST_F(ProgrammesApiTest, ChangesMakeVersionsAndOldVersionsStayAsTheyWere) {
  const std::string marker = Unique();
  const nlohmann::json first = Created(Body(marker));
  ASSERT_TRUE(first.contains("id"));
  nlohmann::json items = first["items"];
  items[1]["dilator"]["currentSize"] = 3;
  HttpResponse second =
      Update(first, "title,items", {{"title", "Renamed " + marker}, {"items", items}});
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.Json().value("version", 0), 2);
  EXPECT_NE(second.Json().value("etag", ""), first.value("etag", ""));
  EXPECT_EQ(second.Json()["items"][1]["dilator"].value("currentSize", 0), 3);
  EXPECT_EQ(second.Json()["items"][0].value("exerciseVersion", 0),
            first["items"][0].value("exerciseVersion", 0));

  HttpResponse old = Rest().Get(ProgrammeOf(kJoClientId, first.value("id", "")) + "?version=1",
                                TokenOf(kAlexEmail));
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(old.Json().value("title", ""), "zqtitle" + marker);
  EXPECT_EQ(old.Json()["items"][1]["dilator"].value("currentSize", 0), 2);

  HttpResponse versions =
      Rest().Get(ProgrammeOf(kJoClientId, first.value("id", "")) + "/versions?pageSize=1",
                 TokenOf(kAlexEmail));
  ASSERT_EQ(versions.status, 200) << versions.body;
  ASSERT_EQ(versions.Json()["versions"].size(), 1u);
  EXPECT_EQ(versions.Json()["versions"][0].value("version", 0), 2);
  const std::string token = versions.Json().value("nextPageToken", "");
  ASSERT_FALSE(token.empty());
  HttpResponse rest = Rest().Get(
      ProgrammeOf(kJoClientId, first.value("id", "")) + "/versions?pageSize=1&pageToken=" + token,
      TokenOf(kAlexEmail));
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.Json()["versions"][0].value("version", 0), 1);
  EXPECT_EQ(rest.Json().value("nextPageToken", ""), "");

  // The etag of version 1 is stale now.
  HttpResponse stale = Update(first, "title", {{"title", "Late"}});
  EXPECT_TRUE(IsErrorAnswer(stale, 409, kAborted)) << stale.body;
}

TEST_F(ProgrammesApiTest, PatientSeesNoDraftAndNoClinicianNotes) {
  const nlohmann::json draft = Created(Body(Unique()));
  ASSERT_TRUE(draft.contains("id"));
  const std::string id = draft.value("id", "");
  HttpResponse hidden = Rest().Get(ProgrammeOf("me", id), TokenOf(kJoEmail));
  EXPECT_TRUE(IsErrorAnswer(hidden, 404, kNotFound)) << hidden.body;
  // Byte for byte what a made-up id answers, and the same with a version asked for.
  HttpResponse made_up =
      Rest().Get(ProgrammeOf("me", "0190d000-0000-7000-8000-0000deadbeef"), TokenOf(kJoEmail));
  EXPECT_EQ(hidden.body, made_up.body);
  EXPECT_EQ(Rest().Get(ProgrammeOf("me", id) + "?version=9", TokenOf(kJoEmail)).body, made_up.body);
  EXPECT_FALSE(Lists(kJoEmail, "me", id));
  EXPECT_TRUE(Lists(kAlexEmail, kJoClientId, id));

  HttpResponse active = Change(draft, "activate");
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.Json().value("status", ""), "PROGRAMME_STATUS_ACTIVE");
  EXPECT_TRUE(active.Json().contains("activateTime"));
  EXPECT_NE(active.Json().value("etag", ""), draft.value("etag", ""));

  HttpResponse seen = Rest().Get(ProgrammeOf("me", id), TokenOf(kJoEmail));
  ASSERT_EQ(seen.status, 200) << seen.body;
  const nlohmann::json kegels = ExerciseOf("EXERCISE_CATEGORY_KEGELS");
  EXPECT_FALSE(seen.Json()["items"][0]["exercise"].contains("clinicianNotes"));
  EXPECT_FALSE(seen.Json()["items"][0]["exercise"].contains("contraindications"));
  // The starter Kegels carries clinician notes, so this checks something.
  ASSERT_FALSE(kegels.value("clinicianNotes", "").empty()) << kegels.dump();
  EXPECT_THAT(seen.body, Not(HasSubstr(kegels.value("clinicianNotes", ""))));
  EXPECT_TRUE(Lists(kJoEmail, "me", id));
  HttpResponse versions = Rest().Get(ProgrammeOf("me", id) + "/versions", TokenOf(kJoEmail));
  EXPECT_TRUE(IsErrorAnswer(versions, 403, kPermissionDenied)) << versions.body;
}

// Kim sees Jo's programmes only while Jo shares her programme schedule with him, and then as
// Jo does: never a draft, never clinician notes.
TEST_F(ProgrammesApiTest, PartnerSeesActiveProgrammesOnlyWithTheScheduleShare) {
  const nlohmann::json draft = Created(Body(Unique()));
  ASSERT_TRUE(draft.contains("id"));
  const std::string id = draft.value("id", "");
  HttpResponse active = Change(draft, "activate");
  ASSERT_EQ(active.status, 200) << active.body;
  const nlohmann::json other_draft = Created(Body(Unique()));
  ASSERT_TRUE(other_draft.contains("id"));
  const std::string shares_path =
      "/v1/clients/me/partners/" + std::string(kKimPartnerLinkId) + ":updateShares";

  HttpResponse without = Rest().Get(ProgrammeOf(kJoClientId, id), TokenOf(kKimEmail));
  EXPECT_TRUE(IsErrorAnswer(without, 403, kPermissionDenied)) << without.body;

  HttpResponse shared = Rest().Post(
      shares_path, {{"shares", {"PARTNER_SHARE_PLAN_SUMMARY", "PARTNER_SHARE_PROGRAMME_SCHEDULE"}}},
      TokenOf(kJoEmail));
  ASSERT_EQ(shared.status, 200) << shared.body;
  HttpResponse seen = Rest().Get(ProgrammeOf(kJoClientId, id), TokenOf(kKimEmail));
  EXPECT_EQ(seen.status, 200) << seen.body;
  if (seen.status == 200) {
    const nlohmann::json programme = seen.Json();
    EXPECT_FALSE(programme["items"][0]["exercise"].contains("clinicianNotes"));
    EXPECT_FALSE(programme["items"][0]["exercise"].contains("contraindications"));
  }
  HttpResponse hidden =
      Rest().Get(ProgrammeOf(kJoClientId, other_draft.value("id", "")), TokenOf(kKimEmail));
  EXPECT_TRUE(IsErrorAnswer(hidden, 404, kNotFound)) << hidden.body;
  EXPECT_EQ(hidden.body, Rest()
                             .Get(ProgrammeOf(kJoClientId, "0190d000-0000-7000-8000-0000deadbeef"),
                                  TokenOf(kKimEmail))
                             .body);
  EXPECT_TRUE(Lists(kKimEmail, kJoClientId, id));
  EXPECT_FALSE(Lists(kKimEmail, kJoClientId, other_draft.value("id", "")));

  HttpResponse unshared =
      Rest().Post(shares_path, {{"shares", {"PARTNER_SHARE_PLAN_SUMMARY"}}}, TokenOf(kJoEmail));
  ASSERT_EQ(unshared.status, 200) << unshared.body;
  HttpResponse after = Rest().Get(ProgrammeOf(kJoClientId, id), TokenOf(kKimEmail));
  EXPECT_TRUE(IsErrorAnswer(after, 403, kPermissionDenied)) << after.body;
}

TEST_F(ProgrammesApiTest, StatusChangesFollowTheLifecycle) {
  const nlohmann::json draft = Created(Body(Unique()));
  ASSERT_TRUE(draft.contains("id"));
  HttpResponse pause_draft = Change(draft, "pause");
  EXPECT_TRUE(IsErrorAnswer(pause_draft, 400, kFailedPrecondition)) << pause_draft.body;
  EXPECT_THAT(pause_draft.body, HasSubstr("DRAFT"));

  HttpResponse active = Change(draft, "activate");
  ASSERT_EQ(active.status, 200) << active.body;
  HttpResponse stale = Change(draft, "pause");
  EXPECT_TRUE(IsErrorAnswer(stale, 409, kAborted)) << stale.body;
  HttpResponse paused = Change(active.Json(), "pause");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.Json().value("status", ""), "PROGRAMME_STATUS_PAUSED");
  HttpResponse ended = Change(paused.Json(), "end");
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.Json().value("status", ""), "PROGRAMME_STATUS_ENDED");
  EXPECT_EQ(ended.Json().value("version", 0), 1);

  HttpResponse late = Update(ended.Json(), "title", {{"title", "After the end"}});
  EXPECT_TRUE(IsErrorAnswer(late, 400, kFailedPrecondition)) << late.body;
  EXPECT_THAT(late.body, HasSubstr("ENDED"));
  HttpResponse again = Change(ended.Json(), "activate");
  EXPECT_TRUE(IsErrorAnswer(again, 400, kFailedPrecondition)) << again.body;
  // A patient cannot change it.
  HttpResponse by_jo = Change(ended.Json(), "pause", kJoEmail);
  EXPECT_TRUE(IsErrorAnswer(by_jo, 403, kPermissionDenied)) << by_jo.body;
}

TEST_F(ProgrammesApiTest, WrongInputIsRefusedNamingTheField) {
  struct Case {
    std::string field;
    void (*spoil)(nlohmann::json&);
  } cases[] = {
      {"programme.items[0].dose.duration_minutes",
       [](nlohmann::json& b) { b["items"][0]["dose"]["durationMinutes"] = 5; }},
      {"programme.items[0].schedule.times_per_period",
       [](nlohmann::json& b) { b["items"][0]["schedule"]["timesPerPeriod"] = 51; }},
      {"programme.items[0].end_date",
       [](nlohmann::json& b) { b["items"][0]["endDate"] = "2026-05-01"; }},
      {"programme.items[1].dilator.rule.step_down_min_pain",
       [](nlohmann::json& b) { b["items"][1]["dilator"]["rule"]["stepDownMinPain"] = 2; }},
      {"programme.items[1].dilator.set.sizes[3].diameter_mm",
       [](nlohmann::json& b) { b["items"][1]["dilator"]["set"]["sizes"][3]["diameterMm"] = 1; }},
      {"programme.items[1].dilator.current_size",
       [](nlohmann::json& b) { b["items"][1]["dilator"]["currentSize"] = 7; }},
      {"programme.time_zone", [](nlohmann::json& b) { b["timeZone"] = "Atlantis/Lost"; }},
      {"programme.items[0].dilator",
       [](nlohmann::json& b) { b["items"][0]["dilator"] = Ladder(1); }},
      {"programme.items[0].goal_ids",
       [](nlohmann::json& b) { b["items"][0]["goalIds"] = {"size-3"}; }},
  };
  const nlohmann::json valid = Body(Unique());
  for (const Case& c : cases) {
    nlohmann::json body = valid;
    c.spoil(body);
    HttpResponse refused = Create(body);
    EXPECT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << c.field << ": " << refused.body;
    if (refused.status == 400) {
      EXPECT_THAT(ViolatedFields(refused.Json()), Contains(c.field)) << refused.body;
    }
  }
}

TEST_F(ProgrammesApiTest, AnotherClientsOrClinicsProgrammeIsNotFound) {
  const nlohmann::json made = Created(Body(Unique()));
  ASSERT_TRUE(made.contains("id"));
  const std::string id = made.value("id", "");
  HttpResponse as_riley = Rest().Get(ProgrammeOf(kRileyClientId, id), TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(as_riley, 404, kNotFound)) << as_riley.body;
  HttpResponse riley_self = Rest().Get(ProgrammeOf("me", id), TokenOf(kRileyEmail));
  EXPECT_TRUE(IsErrorAnswer(riley_self, 404, kNotFound)) << riley_self.body;
  HttpResponse made_up = Rest().Get(
      ProgrammeOf(kJoClientId, "0190d000-0000-7000-8000-0000deadbeef"), TokenOf(kAlexEmail));
  EXPECT_TRUE(IsErrorAnswer(made_up, 404, kNotFound)) << made_up.body;
  HttpResponse other_clinic =
      Rest().Get(ProgrammeOf(kCaseyClientId, id), TokenOf(kOtherTherapistEmail));
  EXPECT_EQ(other_clinic.status, 404) << other_clinic.body;
}

TEST_F(ProgrammesApiTest, NothingOfAProgrammeIsStoredInClear) {
  const std::string marker = Unique();
  const nlohmann::json made = Created(Body(marker));
  ASSERT_TRUE(made.contains("id"));
  const std::vector<std::string> rows =
      Query("SELECT content_sealed FROM programme_versions WHERE programme_id = '" +
            made.value("id", "") + "'");
  ASSERT_EQ(rows.size(), 1u);
  for (const std::string& text : {"zqtitle" + marker, "zqmessage" + marker, "zqinstr" + marker}) {
    EXPECT_THAT(rows[0], Not(HasSubstr(text)));
  }
}

TEST_F(ProgrammesApiTest, ProgrammeOverGrpcMatchesRest) {
  const nlohmann::json made = Created(Body(Unique()));
  ASSERT_TRUE(made.contains("id"));
  auto stub = v1::ProgrammeService::NewStub(channel());
  v1::GetProgrammeRequest get;
  get.set_client_id(kJoClientId);
  get.set_programme_id(made.value("id", ""));
  v1::Programme programme;
  grpc::Status status = stub->GetProgramme(Context(TokenOf(kAlexEmail)).get(), get, &programme);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(programme.version(), 1);
  EXPECT_EQ(programme.title(), made.value("title", ""));
  EXPECT_EQ(programme.items(1).dilator().current_size(), 2);

  v1::ChangeProgrammeStatusRequest activate;
  activate.set_client_id(kJoClientId);
  activate.set_programme_id(programme.id());
  activate.set_etag(programme.etag());
  v1::Programme active;
  status = stub->ActivateProgramme(Context(TokenOf(kAlexEmail)).get(), activate, &active);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(active.status(), v1::PROGRAMME_STATUS_ACTIVE);
  status = stub->ActivateProgramme(Context(TokenOf(kAlexEmail)).get(), activate, &active);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << Describe(status);

  v1::UpdateProgrammeRequest update;
  *update.mutable_programme() = active;
  update.mutable_programme()->mutable_items(0)->mutable_dose()->set_reps(101);
  update.mutable_update_mask()->add_paths("items");
  v1::Programme updated;
  status = stub->UpdateProgramme(Context(TokenOf(kAlexEmail)).get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("programme.items[0].dose.reps"));

  v1::GetProgrammeRequest mine = get;
  mine.set_client_id("me");
  status = stub->GetProgramme(Context(TokenOf(kJoEmail)).get(), mine, &programme);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(programme.items(0).exercise().clinician_notes().empty());
}

}  // namespace
}  // namespace confide::api_test
