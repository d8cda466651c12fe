// GAD-7 scored by hand (Spitzer et al. 2006): total = sum of seven items (0-3), bands 0-4
// minimal, 5-9 mild, 10-14 moderate, 15-21 severe, cut-off ≥ 10; up to two unanswered items
// prorated as round half up (sum × 7 / answered).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/assessments/assessment_scoring.h"
#include "tests/unit/services/assessments/scoring_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing_support::AnswersOf;
using testing_support::kSkip;
using testing_support::Standard;

constexpr char kAnxiety[] = "possible generalised anxiety disorder: further assessment";

v1::AssessmentScore Score(const std::vector<int>& values) {
  absl::StatusOr<v1::AssessmentScore> score =
      ScoreAnswers(Standard("gad-7"), AnswersOf("gad7", values));
  EXPECT_TRUE(score.ok()) << score.status();
  return score.value_or(v1::AssessmentScore());
}

TEST(Gad7ScoringTest, TotalsFallInThePublishedBands) {
  struct Case {
    std::vector<int> values;
    std::string total;
    std::string severity;
    bool meets_cut_off;
  };
  const Case cases[] = {
      // 0 × 7 = 0
      {{0, 0, 0, 0, 0, 0, 0}, "0", "minimal", false},
      // 1+1+1+1+0+0+0 = 4
      {{1, 1, 1, 1, 0, 0, 0}, "4", "minimal", false},
      // 1+1+1+1+1+0+0 = 5
      {{1, 1, 1, 1, 1, 0, 0}, "5", "mild", false},
      // 3+3+3+0+0+0+0 = 9: one below the cut-off
      {{3, 3, 3, 0, 0, 0, 0}, "9", "mild", false},
      // 3+3+3+1+0+0+0 = 10: at the cut-off
      {{3, 3, 3, 1, 0, 0, 0}, "10", "moderate", true},
      // 2 × 7 = 14
      {{2, 2, 2, 2, 2, 2, 2}, "14", "moderate", true},
      // 3+3+3+3+3+0+0 = 15
      {{3, 3, 3, 3, 3, 0, 0}, "15", "severe", true},
      // 3 × 7 = 21, the maximum
      {{3, 3, 3, 3, 3, 3, 3}, "21", "severe", true},
  };
  for (const Case& c : cases) {
    const v1::AssessmentScore score = Score(c.values);
    EXPECT_EQ(score.total(), c.total);
    EXPECT_EQ(score.severity(), c.severity) << c.total;
    EXPECT_FALSE(score.prorated());
    EXPECT_THAT(score.flags(), IsEmpty());
    if (c.meets_cut_off) {
      EXPECT_THAT(score.cut_offs_met(), ElementsAre(kAnxiety)) << c.total;
    } else {
      EXPECT_THAT(score.cut_offs_met(), IsEmpty()) << c.total;
    }
  }
}

TEST(Gad7ScoringTest, ProrationRoundsHalfUp) {
  // One missing: 1+1+1+0+0+0 = 3; 3 × 7 / 6 = 21 / 6 = 3.5 → 4 (minimal).
  v1::AssessmentScore score = Score({1, 1, 1, 0, 0, 0, kSkip});
  EXPECT_EQ(score.total(), "4");
  EXPECT_EQ(score.severity(), "minimal");
  EXPECT_TRUE(score.prorated());
  // One missing: 3+3+3+0+0+0 = 9; 9 × 7 / 6 = 63 / 6 = 10.5 → 11: moderate, meets the cut-off
  // although the raw sum is 9.
  score = Score({3, 3, 3, kSkip, 0, 0, 0});
  EXPECT_EQ(score.total(), "11");
  EXPECT_EQ(score.severity(), "moderate");
  EXPECT_THAT(score.cut_offs_met(), ElementsAre(kAnxiety));
  EXPECT_THAT(score.missing_item_ids(), ElementsAre("gad7.4"));
}

TEST(Gad7ScoringTest, TwoMissingAreProratedOverFive) {
  // 2+2+2+1+1 = 8 over 5; 8 × 7 / 5 = 56 / 5 = 11.2 → 11.
  const v1::AssessmentScore score = Score({2, 2, kSkip, 2, kSkip, 1, 1});
  EXPECT_EQ(score.total(), "11");
  EXPECT_TRUE(score.prorated());
  EXPECT_THAT(score.missing_item_ids(), ElementsAre("gad7.3", "gad7.5"));
}

TEST(Gad7ScoringTest, MoreThanTwoMissingLeavesNoTotal) {
  const v1::AssessmentScore score = Score({3, 3, 3, 3, kSkip, kSkip, kSkip});
  EXPECT_EQ(score.total(), "");
  EXPECT_EQ(score.severity(), "");
  EXPECT_FALSE(score.prorated());
  EXPECT_THAT(score.cut_offs_met(), IsEmpty());
  EXPECT_EQ(score.missing_item_ids_size(), 3);
}

}  // namespace
}  // namespace confide
