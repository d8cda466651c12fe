// PHQ-9 scored by hand (Kroenke, Spitzer & Williams 2001): total = sum of nine items (0-3),
// bands 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe, cut-off
// ≥ 10; up to two unanswered items prorated as round half up (sum × 9 / answered): clinic
// policy, not a published rule (missing_items_rule).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/assessments/assessment_scoring.h"
#include "services/assessments/assessment_validation.h"
#include "services/assessments/instrument_catalogue.h"
#include "tests/unit/services/assessments/scoring_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing_support::AnswersOf;
using testing_support::BadRequestOf;
using testing_support::FlagCodes;
using testing_support::kSkip;
using testing_support::Standard;

constexpr char kMajorDepression[] = "possible major depression: further assessment";

v1::AssessmentScore Score(const std::vector<int>& values) {
  absl::StatusOr<v1::AssessmentScore> score =
      ScoreAnswers(Standard("phq-9"), AnswersOf("phq9", values));
  EXPECT_TRUE(score.ok()) << score.status();
  return score.value_or(v1::AssessmentScore());
}

struct BandCase {
  std::vector<int> values;
  std::string total;
  std::string severity;
  bool meets_cut_off;
};

// Each side of every band boundary. Item 9 stays 0 except where the total needs it.
TEST(Phq9ScoringTest, TotalsFallInThePublishedBands) {
  const BandCase cases[] = {
      // 0+0+0+0+0+0+0+0+0 = 0
      {{0, 0, 0, 0, 0, 0, 0, 0, 0}, "0", "minimal", false},
      // 1+1+1+1+0+0+0+0+0 = 4
      {{1, 1, 1, 1, 0, 0, 0, 0, 0}, "4", "minimal", false},
      // 1+1+1+1+1+0+0+0+0 = 5
      {{1, 1, 1, 1, 1, 0, 0, 0, 0}, "5", "mild", false},
      // 3+3+3+0+0+0+0+0+0 = 9: one below the cut-off
      {{3, 3, 3, 0, 0, 0, 0, 0, 0}, "9", "mild", false},
      // 3+3+3+1+0+0+0+0+0 = 10: at the cut-off
      {{3, 3, 3, 1, 0, 0, 0, 0, 0}, "10", "moderate", true},
      // 2+2+2+2+2+2+2+0+0 = 14
      {{2, 2, 2, 2, 2, 2, 2, 0, 0}, "14", "moderate", true},
      // 3+3+3+3+3+0+0+0+0 = 15
      {{3, 3, 3, 3, 3, 0, 0, 0, 0}, "15", "moderately severe", true},
      // 3+3+3+3+3+3+1+0+0 = 19
      {{3, 3, 3, 3, 3, 3, 1, 0, 0}, "19", "moderately severe", true},
      // 3+3+3+3+3+3+2+0+0 = 20
      {{3, 3, 3, 3, 3, 3, 2, 0, 0}, "20", "severe", true},
      // 3 × 9 = 27, the maximum (item 9 = 3 also raises its flag)
      {{3, 3, 3, 3, 3, 3, 3, 3, 3}, "27", "severe", true},
  };
  for (const BandCase& c : cases) {
    const v1::AssessmentScore score = Score(c.values);
    EXPECT_EQ(score.total(), c.total);
    EXPECT_EQ(score.severity(), c.severity) << c.total;
    EXPECT_FALSE(score.prorated());
    EXPECT_THAT(score.missing_item_ids(), IsEmpty());
    if (c.meets_cut_off) {
      EXPECT_THAT(score.cut_offs_met(), ElementsAre(kMajorDepression)) << c.total;
    } else {
      EXPECT_THAT(score.cut_offs_met(), IsEmpty()) << c.total;
    }
  }
}

// Item 9 asks about thoughts of death or self-harm: any answer above 0 needs safety follow-up
// the same day, even when the total is minimal.
TEST(Phq9ScoringTest, Item9AboveZeroRaisesTheSafetyFlagWhateverTheTotal) {
  // 0+0+0+0+0+0+0+0+1 = 1, minimal
  const v1::AssessmentScore score = Score({0, 0, 0, 0, 0, 0, 0, 0, 1});
  EXPECT_EQ(score.total(), "1");
  EXPECT_EQ(score.severity(), "minimal");
  EXPECT_THAT(FlagCodes(score), ElementsAre("PHQ9_ITEM9_POSITIVE"));
  EXPECT_FALSE(score.flags(0).message().empty());
}

TEST(Phq9ScoringTest, Item9AtZeroRaisesNoFlag) {
  EXPECT_THAT(Score({3, 3, 3, 3, 3, 3, 3, 3, 0}).flags(), IsEmpty());
}

TEST(Phq9ScoringTest, Item9UnansweredIsFlaggedAndTheTotalProrated) {
  // Answered 1+1+1+1+1+1+1+1 = 8 over 8 items; prorated 8 × 9 / 8 = 9 exactly.
  const v1::AssessmentScore score = Score({1, 1, 1, 1, 1, 1, 1, 1, kSkip});
  EXPECT_EQ(score.total(), "9");
  EXPECT_TRUE(score.prorated());
  EXPECT_THAT(score.missing_item_ids(), ElementsAre("phq9.9"));
  EXPECT_THAT(FlagCodes(score), ElementsAre("PHQ9_ITEM9_UNANSWERED"));
}

TEST(Phq9ScoringTest, ProrationRoundsHalfUp) {
  // One missing: 1+1+1+1+0+0+0+0 = 4; 4 × 9 / 8 = 36 / 8 = 4.5 → 5 (mild, not minimal).
  v1::AssessmentScore score = Score({1, 1, 1, 1, 0, 0, 0, 0, kSkip});
  EXPECT_EQ(score.total(), "5");
  EXPECT_EQ(score.severity(), "mild");
  EXPECT_TRUE(score.prorated());
  // One missing: 1+0+0+0+0+0+0+0 = 1; 1 × 9 / 8 = 1.125 → 1.
  score = Score({kSkip, 1, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(score.total(), "1");
  EXPECT_THAT(score.missing_item_ids(), ElementsAre("phq9.1"));
}

TEST(Phq9ScoringTest, TwoMissingAreProratedOverSevenAndCanMeetTheCutOff) {
  // Answered 2+2+1+1+1+1+0 = 8 over 7 items; 8 × 9 / 7 = 72 / 7 = 10.29 → 10: moderate, meets
  // the cut-off although the raw sum is 8.
  const v1::AssessmentScore score = Score({2, kSkip, 2, 1, 1, kSkip, 1, 1, 0});
  EXPECT_EQ(score.total(), "10");
  EXPECT_TRUE(score.prorated());
  EXPECT_EQ(score.severity(), "moderate");
  EXPECT_THAT(score.cut_offs_met(), ElementsAre(kMajorDepression));
  EXPECT_THAT(score.missing_item_ids(), ElementsAre("phq9.2", "phq9.6"));
}

TEST(Phq9ScoringTest, MoreThanTwoMissingLeavesNoTotalAndNoBand) {
  const v1::AssessmentScore score = Score({3, 3, 3, 3, 3, 3, kSkip, kSkip, kSkip});
  EXPECT_EQ(score.total(), "");
  EXPECT_EQ(score.severity(), "");
  EXPECT_FALSE(score.prorated());
  EXPECT_THAT(score.cut_offs_met(), IsEmpty());
  EXPECT_THAT(score.missing_item_ids(), ElementsAre("phq9.7", "phq9.8", "phq9.9"));
  EXPECT_THAT(FlagCodes(score), ElementsAre("PHQ9_ITEM9_UNANSWERED"));
}

TEST(Phq9ScoringTest, NothingAnsweredIsNotZeroAndIsRefusedAsASubmission) {
  // The engine never makes 0 of nothing: no total, every item missing.
  const v1::AssessmentScore score = Score({});
  EXPECT_EQ(score.total(), "");
  EXPECT_EQ(score.missing_item_ids_size(), 9);
  // A submission with no answers never reaches it: validation refuses it on `answers`.
  v1::SubmitAssessmentRequest request;
  request.set_client_id("me");
  request.set_instrument_id("phq-9");
  const absl::Status refused = ValidateSubmitAssessment(InstrumentCatalogue::Standard(), request);
  ASSERT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  const google::rpc::BadRequest details = BadRequestOf(refused);
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers");
  EXPECT_EQ(details.field_violations(0).description(), "at least one item must be answered");
}

}  // namespace
}  // namespace confide
