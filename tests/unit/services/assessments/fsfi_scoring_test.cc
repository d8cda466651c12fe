// FSFI scored by hand (Rosen et al. 2000): domain = sum of its items × factor (desire 1-2 × 0.6,
// arousal 3-6 × 0.3, lubrication 7-10 × 0.3, orgasm 11-13 × 0.4, satisfaction 14-16 × 0.4,
// pain 17-19 × 0.4); full scale = sum of the domains, 2-36; cut-off total ≤ 26.55 = at risk of
// sexual dysfunction (Wiegel, Meston & Rosen 2005). No imputation for unanswered items.

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
using testing_support::BadRequestOf;
using testing_support::kSkip;
using testing_support::Standard;

constexpr char kAtRisk[] = "at risk of sexual dysfunction";

v1::AssessmentScore Score(const std::vector<int>& values) {
  absl::StatusOr<v1::AssessmentScore> score =
      ScoreAnswers(Standard("fsfi"), AnswersOf("fsfi", values));
  EXPECT_TRUE(score.ok()) << score.status();
  return score.value_or(v1::AssessmentScore());
}

// Domain scores in the instrument's order: desire, arousal, lubrication, orgasm, satisfaction,
// pain ("" when unscored).
std::vector<std::string> Domains(const v1::AssessmentScore& score) {
  std::vector<std::string> domains;
  for (const v1::DomainScore& domain : score.domains()) {
    domains.push_back(domain.score());
  }
  return domains;
}

TEST(FsfiScoringTest, HighestAnswersGiveSixPerDomainAndThirtySix) {
  // desire (5+5) × 0.6 = 6; arousal (5+5+5+5) × 0.3 = 6; lubrication 20 × 0.3 = 6;
  // orgasm (5+5+5) × 0.4 = 6; satisfaction 15 × 0.4 = 6; pain 15 × 0.4 = 6; total 6 × 6 = 36.
  const v1::AssessmentScore score = Score(std::vector<int>(19, 5));
  EXPECT_THAT(Domains(score), ElementsAre("6", "6", "6", "6", "6", "6"));
  EXPECT_EQ(score.total(), "36");
  EXPECT_THAT(score.cut_offs_met(), IsEmpty());
  EXPECT_EQ(score.severity(), "");
  EXPECT_FALSE(score.prorated());
}

TEST(FsfiScoringTest, LowestAnswersGiveEachDomainItsMinimumAndTwo) {
  // Items 1, 2, 15 and 16 start at 1; every other item may be 0 (no sexual activity).
  // desire (1+1) × 0.6 = 1.2; arousal 0; lubrication 0; orgasm 0;
  // satisfaction (0+1+1) × 0.4 = 0.8; pain 0; total 1.2 + 0.8 = 2.
  const std::vector<int> lowest = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0};
  const v1::AssessmentScore score = Score(lowest);
  EXPECT_THAT(Domains(score), ElementsAre("1.2", "0", "0", "0", "0.8", "0"));
  EXPECT_EQ(score.total(), "2");
  EXPECT_THAT(score.cut_offs_met(), ElementsAre(kAtRisk));
  // 0 is an answer, not a missing item.
  EXPECT_THAT(score.missing_item_ids(), IsEmpty());
}

TEST(FsfiScoringTest, TotalOf26Point5MeetsTheCutOff) {
  // desire (5+5) × 0.6 = 6.0; arousal (5+5+5+4) × 0.3 = 19 × 0.3 = 5.7;
  // lubrication (5+5+5+5) × 0.3 = 6.0; orgasm (3+3+2) × 0.4 = 3.2;
  // satisfaction (3+3+2) × 0.4 = 3.2; pain (2+2+2) × 0.4 = 2.4;
  // total 6.0 + 5.7 + 6.0 + 3.2 + 3.2 + 2.4 = 26.5 ≤ 26.55.
  const v1::AssessmentScore score =
      Score({5, 5, 5, 5, 5, 4, 5, 5, 5, 5, 3, 3, 2, 3, 3, 2, 2, 2, 2});
  EXPECT_THAT(Domains(score), ElementsAre("6", "5.7", "6", "3.2", "3.2", "2.4"));
  EXPECT_EQ(score.total(), "26.5");
  EXPECT_THAT(score.cut_offs_met(), ElementsAre(kAtRisk));
}

TEST(FsfiScoringTest, TotalOf26Point6DoesNotMeetTheCutOff) {
  // desire (5+4) × 0.6 = 5.4; arousal 20 × 0.3 = 6.0; lubrication 20 × 0.3 = 6.0;
  // orgasm (3+3+2) × 0.4 = 3.2; satisfaction (3+3+3) × 0.4 = 3.6; pain (2+2+2) × 0.4 = 2.4;
  // total 5.4 + 6.0 + 6.0 + 3.2 + 3.6 + 2.4 = 26.6 > 26.55.
  const v1::AssessmentScore score =
      Score({5, 4, 5, 5, 5, 5, 5, 5, 5, 5, 3, 3, 2, 3, 3, 3, 2, 2, 2});
  EXPECT_THAT(Domains(score), ElementsAre("5.4", "6", "6", "3.2", "3.6", "2.4"));
  EXPECT_EQ(score.total(), "26.6");
  EXPECT_THAT(score.cut_offs_met(), IsEmpty());
}

TEST(FsfiScoringTest, DomainWithAnUnansweredItemIsUnscoredAndSoIsTheTotal) {
  // Item 12 (orgasm) unanswered: orgasm has no score and there is no full scale; the other
  // domains are scored: desire (3+3) × 0.6 = 3.6, arousal (3+3+3+3) × 0.3 = 3.6,
  // lubrication 12 × 0.3 = 3.6, satisfaction (3+3+3) × 0.4 = 3.6, pain 9 × 0.4 = 3.6.
  std::vector<int> values(19, 3);
  values[11] = kSkip;
  const v1::AssessmentScore score = Score(values);
  EXPECT_THAT(Domains(score), ElementsAre("3.6", "3.6", "3.6", "", "3.6", "3.6"));
  EXPECT_EQ(score.domains(3).domain_id(), "orgasm");
  EXPECT_EQ(score.total(), "");
  EXPECT_FALSE(score.prorated());
  EXPECT_THAT(score.cut_offs_met(), IsEmpty());
  EXPECT_THAT(score.missing_item_ids(), ElementsAre("fsfi.12"));
}

TEST(FsfiScoringTest, NoActivityAnswersScoreZeroNotMissing) {
  // Arousal items 3-6 all 0 (no sexual activity): (0+0+0+0) × 0.3 = 0, a score.
  // desire (2+2) × 0.6 = 2.4; lubrication 0; orgasm 0; satisfaction (0+2+2) × 0.4 = 1.6; pain 0;
  // total 2.4 + 1.6 = 4.
  const v1::AssessmentScore score =
      Score({2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0});
  EXPECT_THAT(Domains(score), ElementsAre("2.4", "0", "0", "0", "1.6", "0"));
  EXPECT_EQ(score.total(), "4");
}

// Whether `value` is accepted as the one answer to item `number`.
bool Accepts(int number, int value) {
  google::protobuf::RepeatedPtrField<v1::Answer> answers;
  v1::Answer* answer = answers.Add();
  answer->set_item_id("fsfi." + std::to_string(number));
  answer->set_value(value);
  const absl::StatusOr<v1::AssessmentScore> score = ScoreAnswers(Standard("fsfi"), answers);
  if (!score.ok()) {
    EXPECT_EQ(score.status().code(), absl::StatusCode::kInvalidArgument);
    const google::rpc::BadRequest details = BadRequestOf(score.status());
    EXPECT_EQ(details.field_violations_size(), 1);
    if (details.field_violations_size() == 1) {
      EXPECT_EQ(details.field_violations(0).field(), "answers[0].value");
    }
  }
  return score.ok();
}

TEST(FsfiScoringTest, EachItemAcceptsExactlyItsPublishedValues) {
  // Items 1, 2, 15 and 16 run 1-5 (they have no "no sexual activity" answer); the other
  // fifteen run 0-5. Nothing accepts 6 or -1.
  for (int number = 1; number <= 19; ++number) {
    SCOPED_TRACE(number);
    const bool starts_at_one = number == 1 || number == 2 || number == 15 || number == 16;
    EXPECT_EQ(Accepts(number, 0), !starts_at_one);
    for (int value = 1; value <= 5; ++value) {
      EXPECT_TRUE(Accepts(number, value)) << value;
    }
    EXPECT_FALSE(Accepts(number, 6));
    EXPECT_FALSE(Accepts(number, -1));
  }
}

TEST(FsfiScoringTest, DesireHasNoZeroOption) {
  const absl::StatusOr<v1::AssessmentScore> score =
      ScoreAnswers(Standard("fsfi"), AnswersOf("fsfi", {0}));
  ASSERT_EQ(score.status().code(), absl::StatusCode::kInvalidArgument);
  const google::rpc::BadRequest details = BadRequestOf(score.status());
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers[0].value");
  EXPECT_THAT(details.field_violations(0).description(), ::testing::HasSubstr("fsfi.1"));
}

}  // namespace
}  // namespace confide
