// Every answer is checked against the instrument before scoring; each refusal names the
// answer in the request and the item it concerns.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/assessments/assessment_scoring.h"
#include "tests/unit/services/assessments/scoring_test_support.h"

namespace confide {
namespace {

using ::testing::HasSubstr;
using testing_support::AnswersOf;
using testing_support::BadRequestOf;
using testing_support::Standard;

google::rpc::BadRequest Refusal(const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  absl::StatusOr<v1::AssessmentScore> score = ScoreAnswers(Standard("phq-9"), answers);
  EXPECT_EQ(score.status().code(), absl::StatusCode::kInvalidArgument);
  return BadRequestOf(score.status());
}

TEST(AnswerValidationTest, ValueOutsideTheOptionsNamesTheAnswerAndItem) {
  // phq9.4 answered 4: the options are 0-3.
  const google::rpc::BadRequest details = Refusal(AnswersOf("phq9", {0, 1, 2, 4}));
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers[3].value");
  EXPECT_THAT(details.field_violations(0).description(), HasSubstr("phq9.4"));
}

TEST(AnswerValidationTest, NegativeValueIsRefused) {
  const google::rpc::BadRequest details = Refusal(AnswersOf("phq9", {-2}));
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers[0].value");
}

TEST(AnswerValidationTest, UnknownItemIsRefusedWithoutEchoingIt) {
  google::protobuf::RepeatedPtrField<v1::Answer> answers = AnswersOf("phq9", {0});
  v1::Answer* unknown = answers.Add();
  unknown->set_item_id("gad7.1 <secret>");
  unknown->set_value(0);
  const google::rpc::BadRequest details = Refusal(answers);
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers[1].item_id");
  EXPECT_THAT(details.field_violations(0).description(), HasSubstr("phq-9"));
  EXPECT_THAT(details.field_violations(0).description(), ::testing::Not(HasSubstr("secret")));
}

TEST(AnswerValidationTest, ItemAnsweredTwiceNamesTheSecondAnswer) {
  google::protobuf::RepeatedPtrField<v1::Answer> answers = AnswersOf("phq9", {0, 1});
  *answers.Add() = answers[0];
  const google::rpc::BadRequest details = Refusal(answers);
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers[2].item_id");
  EXPECT_THAT(details.field_violations(0).description(), HasSubstr("phq9.1"));
}

TEST(AnswerValidationTest, MoreAnswersThanItemsIsRefused) {
  google::protobuf::RepeatedPtrField<v1::Answer> answers =
      AnswersOf("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 0});
  *answers.Add() = answers[0];
  const google::rpc::BadRequest details = Refusal(answers);
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "answers");
  EXPECT_THAT(details.field_violations(0).description(), HasSubstr("9 items"));
}

TEST(AnswerValidationTest, EveryBadAnswerIsListed) {
  const google::rpc::BadRequest details = Refusal(AnswersOf("phq9", {7, 0, 9}));
  ASSERT_EQ(details.field_violations_size(), 2);
  EXPECT_EQ(details.field_violations(0).field(), "answers[0].value");
  EXPECT_EQ(details.field_violations(1).field(), "answers[2].value");
}

}  // namespace
}  // namespace confide
