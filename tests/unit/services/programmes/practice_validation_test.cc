// The practice requests' own shape, checked before anything is loaded: each problem names its
// field as the caller sent it, and values are never echoed.

#include "services/programmes/practice_validation.h"

#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::LogPracticeRequest Valid() {
  v1::LogPracticeRequest request;
  request.set_client_id("me");
  request.set_request_id("phone-1");
  v1::PracticeLog* log = request.mutable_log();
  log->set_programme_id("0190d000-0000-7000-8000-00000000e001");
  log->set_item_id("dilator");
  log->mutable_practiced_at()->set_seconds(1'780'000'000);
  log->set_duration_minutes(10);
  log->set_completion(v1::PRACTICE_COMPLETION_FULLY);
  log->set_dilator_size(2);
  log->set_pain(0);
  log->set_anxiety(10);
  return request;
}

TEST(PracticeValidationTest, AValidLogPasses) { EXPECT_TRUE(ValidateLogPractice(Valid()).ok()); }

TEST(PracticeValidationTest, EachBadFieldIsNamed) {
  const struct {
    std::string field;
    std::function<void(v1::LogPracticeRequest*)> change;
  } cases[] = {
      {"request_id", [](auto* r) { r->clear_request_id(); }},
      {"request_id", [](auto* r) { r->set_request_id(std::string(101, 'r')); }},
      {"client_id", [](auto* r) { r->clear_client_id(); }},
      {"log.programme_id", [](auto* r) { r->mutable_log()->clear_programme_id(); }},
      {"log.programme_version", [](auto* r) { r->mutable_log()->set_programme_version(-1); }},
      {"log.item_id", [](auto* r) { r->mutable_log()->set_item_id("no spaces"); }},
      {"log.practiced_at", [](auto* r) { r->mutable_log()->clear_practiced_at(); }},
      {"log.practiced_at",
       [](auto* r) { r->mutable_log()->mutable_practiced_at()->set_nanos(-1); }},
      {"log.duration_minutes", [](auto* r) { r->mutable_log()->set_duration_minutes(241); }},
      {"log.completion", [](auto* r) { r->mutable_log()->clear_completion(); }},
      {"log.completion",
       [](auto* r) { r->mutable_log()->set_completion(static_cast<v1::PracticeCompletion>(9)); }},
      {"log.dilator_size", [](auto* r) { r->mutable_log()->set_dilator_size(-2); }},
      {"log.pain", [](auto* r) { r->mutable_log()->set_pain(11); }},
      {"log.anxiety", [](auto* r) { r->mutable_log()->set_anxiety(-1); }},
      {"log.feelings", [](auto* r) { r->mutable_log()->set_feelings(std::string(2001, 'x')); }},
      {"log.feelings", [](auto* r) { r->mutable_log()->set_feelings("bell\a"); }},
  };
  for (const auto& c : cases) {
    v1::LogPracticeRequest request = Valid();
    c.change(&request);
    absl::Status status = ValidateLogPractice(request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(c.field));
  }
}

TEST(PracticeValidationTest, FeelingsAreNeverEchoed) {
  v1::LogPracticeRequest request = Valid();
  request.mutable_log()->set_feelings("secretword" + std::string(2000, 'x'));
  absl::Status status = ValidateLogPractice(request);
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("secretword")));
}

TEST(PracticeValidationTest, SkippedAndDoneSessionsAgainstThePrescription) {
  v1::ProgrammeItem dilator;
  for (int size = 1; size <= 3; ++size) {
    dilator.mutable_dilator()->mutable_set()->add_sizes()->set_size(size);
  }
  v1::ProgrammeItem breathing;
  const absl::Time now = absl::FromUnixSeconds(1'780'000'000);
  v1::PracticeLog done = Valid().log();
  EXPECT_TRUE(CheckPracticeAgainst(done, dilator, now).ok());
  EXPECT_THAT(CheckPracticeAgainst(done, breathing, now).message(), HasSubstr("log.dilator_size"));
  v1::PracticeLog skipped;
  skipped.set_completion(v1::PRACTICE_COMPLETION_SKIPPED);
  *skipped.mutable_practiced_at() = done.practiced_at();
  EXPECT_TRUE(CheckPracticeAgainst(skipped, dilator, now).ok());
  skipped.set_pain(0);
  EXPECT_THAT(CheckPracticeAgainst(skipped, dilator, now).message(), HasSubstr("log.pain"));
  // Ten minutes ahead is a phone's clock running fast; eleven is not.
  EXPECT_TRUE(CheckPracticeAgainst(done, dilator, now - absl::Minutes(10)).ok());
  EXPECT_THAT(CheckPracticeAgainst(done, dilator, now - absl::Minutes(11)).message(),
              HasSubstr("log.practiced_at"));
  EXPECT_TRUE(CheckPracticeAgainst(done, dilator, now + absl::Hours(24 * 90)).ok());
  EXPECT_THAT(
      CheckPracticeAgainst(done, dilator, now + absl::Hours(24 * 90) + absl::Seconds(1)).message(),
      HasSubstr("log.practiced_at"));
}

TEST(PracticeValidationTest, ListsAndDecisions) {
  v1::ListPracticeLogsRequest list;
  list.set_client_id("me");
  EXPECT_TRUE(ValidateListPracticeLogs(list).ok());
  list.set_page_size(501);
  EXPECT_THAT(ValidateListPracticeLogs(list).message(), HasSubstr("page_size"));
  list.set_page_size(0);
  list.set_item_id("not an item id");
  EXPECT_THAT(ValidateListPracticeLogs(list).message(), HasSubstr("item_id"));
  list.set_item_id("dilator");
  list.mutable_start_time()->set_seconds(100);
  list.mutable_end_time()->set_seconds(50);
  EXPECT_THAT(ValidateListPracticeLogs(list).message(), HasSubstr("end_time"));

  v1::ListProgressionSuggestionsRequest suggestions;
  suggestions.set_client_id("c");
  suggestions.set_status(static_cast<v1::SuggestionStatus>(42));
  EXPECT_THAT(ValidateListProgressionSuggestions(suggestions).message(), HasSubstr("status"));

  v1::DecideProgressionSuggestionRequest decide;
  decide.set_client_id("c");
  decide.set_suggestion_id("s");
  EXPECT_TRUE(ValidateDeclineProgressionSuggestion(decide).ok());
  EXPECT_THAT(ValidateAcceptProgressionSuggestion(decide).message(), HasSubstr("programme_etag"));
  decide.set_programme_etag("v3");
  EXPECT_TRUE(ValidateAcceptProgressionSuggestion(decide).ok());
}

}  // namespace
}  // namespace confide
