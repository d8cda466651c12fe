// 0-10 pain ratings: the total is the value chosen; bands 0 none, 1-3 mild, 4-6 moderate,
// 7-10 severe; the single item is required.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/assessments/assessment_scoring.h"
#include "tests/unit/services/assessments/scoring_test_support.h"

namespace confide {
namespace {

using testing_support::AnswersOf;
using testing_support::BadRequestOf;
using testing_support::Standard;

TEST(PainNrsScoringTest, EveryBandBoundaryOnBothScales) {
  const struct {
    int value;
    std::string severity;
  } cases[] = {{0, "none"},     {1, "mild"},   {3, "mild"},   {4, "moderate"},
               {6, "moderate"}, {7, "severe"}, {10, "severe"}};
  for (const InstrumentDefinition& nrs :
       {Standard("pain-nrs-penetration"), Standard("pain-nrs-dilator")}) {
    for (const auto& c : cases) {
      absl::StatusOr<v1::AssessmentScore> score =
          ScoreAnswers(nrs, AnswersOf(nrs.instrument.id(), {c.value}));
      ASSERT_TRUE(score.ok()) << score.status();
      EXPECT_EQ(score->total(), std::to_string(c.value));
      EXPECT_EQ(score->severity(), c.severity) << nrs.instrument.id() << " " << c.value;
      EXPECT_TRUE(score->cut_offs_met().empty());
    }
  }
}

TEST(PainNrsScoringTest, UnansweredIsRefused) {
  absl::StatusOr<v1::AssessmentScore> score =
      ScoreAnswers(Standard("pain-nrs-dilator"), AnswersOf("pain-nrs-dilator", {}));
  ASSERT_EQ(score.status().code(), absl::StatusCode::kInvalidArgument);
  const google::rpc::BadRequest details = BadRequestOf(score.status());
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers");
  EXPECT_THAT(details.field_violations(0).description(),
              ::testing::HasSubstr("pain-nrs-dilator.1"));
}

TEST(PainNrsScoringTest, ElevenIsOutOfRange) {
  absl::StatusOr<v1::AssessmentScore> score =
      ScoreAnswers(Standard("pain-nrs-penetration"), AnswersOf("pain-nrs-penetration", {11}));
  ASSERT_EQ(score.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadRequestOf(score.status()).field_violations(0).field(), "answers[0].value");
}

}  // namespace
}  // namespace confide
