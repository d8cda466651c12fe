// An archived client's clinical records are read-only over REST against the real server: the
// intake cannot be changed, submitted or reviewed, and plans cannot be created, changed or
// shared, nor milestones recorded; everything can still be read.

#include <string>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::HasSubstr;

constexpr char kArchivedMessage[] = "client is archived; archived records are read-only";

std::string ClientPath(const std::string& id) { return "/v1/clients/" + id; }

nlohmann::json PlanBody(const std::string& title) {
  return {{"title", title},
          {"goals",
           {{{"id", "g1"},
             {"clinicalWording", "Dilator size 3, 5 minutes"},
             {"patientWording", "Use size 3 comfortably"},
             {"status", "GOAL_STATUS_IN_PROGRESS"}}}},
          {"patientSummary", "Step by step"}};
}

class ArchivedClientApiTest : public ApiTest {
 protected:
  // Archives `client` as Sam with its etag; fails the test when refused.
  static void Archive(const nlohmann::json& client, const std::string& sam) {
    HttpResponse archived =
        Rest().Post(ClientPath(client["id"]) + ":archive", {{"etag", client["etag"]}}, sam);
    ASSERT_EQ(archived.status, 200) << archived.body;
    EXPECT_EQ(archived.Json().value("status", ""), "CLIENT_STATUS_ARCHIVED");
  }

  static void ExpectArchivedRefusal(const HttpResponse& response, const std::string& what) {
    EXPECT_TRUE(IsErrorAnswer(response, 400, kFailedPrecondition)) << what << " " << response.body;
    EXPECT_THAT(response.body, HasSubstr(kArchivedMessage)) << what;
  }
};

TEST_F(ArchivedClientApiTest, IntakeCanBeReadButNotChanged) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_FALSE(client.is_null());
  const std::string id = client["id"];
  const std::string intake = ClientPath(id) + "/intake";
  HttpResponse saved =
      Rest().Patch(intake + "?updateMask=presentingProblem,hopes",
                   {{"etag", "v0"},
                    {"presentingProblem", {{"conditions", {"PAIN_CONDITION_DYSPAREUNIA"}}}},
                    {"hopes", "archived-hopes"}},
                   sam);
  ASSERT_EQ(saved.status, 200) << saved.body;
  HttpResponse submitted = Rest().Post(intake + ":submit", {{"etag", "v1"}}, sam);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  ASSERT_EQ(submitted.Json().value("etag", ""), "v2");
  // The intake has its own etag: the client's is still the one it was created with.
  Archive(client, sam);

  ExpectArchivedRefusal(
      Rest().Patch(intake + "?updateMask=hopes", {{"etag", "v2"}, {"hopes", "changed"}}, sam),
      "UpdateIntake");
  ExpectArchivedRefusal(
      Rest().Post(intake + ":review", {{"etag", "v2"}, {"clinicianSummary", "summary"}}, sam),
      "ReviewIntake");

  HttpResponse read = Rest().Get(intake, sam);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json().value("etag", ""), "v2");
  EXPECT_EQ(read.Json().value("status", ""), "INTAKE_STATUS_SUBMITTED");
  EXPECT_EQ(read.Json().value("hopes", ""), "archived-hopes");
}

TEST_F(ArchivedClientApiTest, DraftIntakeCannotBeSubmitted) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_FALSE(client.is_null());
  const std::string intake = ClientPath(client["id"]) + "/intake";
  HttpResponse saved = Rest().Patch(
      intake + "?updateMask=presentingProblem",
      {{"etag", "v0"}, {"presentingProblem", {{"conditions", {"PAIN_CONDITION_DYSPAREUNIA"}}}}},
      sam);
  ASSERT_EQ(saved.status, 200) << saved.body;
  Archive(client, sam);
  ExpectArchivedRefusal(Rest().Post(intake + ":submit", {{"etag", "v1"}}, sam), "SubmitIntake");
  EXPECT_EQ(Rest().Get(intake, sam).Json().value("status", ""), "INTAKE_STATUS_DRAFT");
}

TEST_F(ArchivedClientApiTest, PlansAndMilestonesCanBeReadButNotChanged) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_FALSE(client.is_null());
  const std::string plans = ClientPath(client["id"]) + "/plans";
  HttpResponse created = Rest().Post(plans, PlanBody("archived-plan"), sam);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string plan_path = plans + "/" + created.Json().value("id", "");
  Archive(client, sam);

  ExpectArchivedRefusal(Rest().Post(plans, PlanBody("another"), sam), "CreatePlan");
  ExpectArchivedRefusal(
      Rest().Patch(plan_path + "?updateMask=title",
                   {{"etag", created.Json().value("etag", "")}, {"title", "renamed"}}, sam),
      "UpdatePlan");
  ExpectArchivedRefusal(Rest().Post(plan_path + ":share", {{"version", 1}}, sam),
                        "SharePlanVersion");
  ExpectArchivedRefusal(Rest().Post(ClientPath(client["id"]) + "/milestones",
                                    {{"title", "First time"}, {"achievedDate", "2026-03-01"}}, sam),
                        "RecordMilestone");

  HttpResponse read = Rest().Get(plan_path, sam);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json().value("title", ""), "archived-plan");
  HttpResponse list = Rest().Get(plans, sam);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json()["plans"].size(), 1u);
  EXPECT_EQ(Rest().Get(ClientPath(client["id"]) + "/milestones", sam).status, 200);
}

}  // namespace
}  // namespace confide::api_test
