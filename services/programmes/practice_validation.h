#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "confide/v1/programmes.pb.h"

namespace confide {

// The practice log's bounds (programmes.proto, PracticeLog).
inline constexpr int kMaxPracticeMinutes = 240;
inline constexpr int kMaxScore = 10;
inline constexpr size_t kMaxFeelings = 2000;
// A phone that was offline may log up to 90 days late, and its clock may run a little fast.
inline constexpr absl::Duration kMaxPracticeAge = absl::Hours(24 * 90);
inline constexpr absl::Duration kMaxPracticeAhead = absl::Minutes(10);

// The request's own shape, before anything is loaded: ids, the required request_id, and every
// number in its range. INVALID_ARGUMENT naming each field ("log.pain") otherwise.
absl::Status ValidateLogPractice(const v1::LogPracticeRequest& request);

// The rules that need the clock and the prescription: practiced_at within [now - 90 days,
// now + 10 minutes]; a skipped session has no scores or size, any other has pain and anxiety
// and a duration; a dilator item's size is one of her set's, other items have none. `item` is
// the item of the version she practised against.
absl::Status CheckPracticeAgainst(const v1::PracticeLog& log, const v1::ProgrammeItem& item,
                                  absl::Time now);

absl::Status ValidateListPracticeLogs(const v1::ListPracticeLogsRequest& request);
absl::Status ValidateListProgressionSuggestions(
    const v1::ListProgressionSuggestionsRequest& request);
// Accept needs the programme's etag; decline does not.
absl::Status ValidateAcceptProgressionSuggestion(
    const v1::DecideProgressionSuggestionRequest& request);
absl::Status ValidateDeclineProgressionSuggestion(
    const v1::DecideProgressionSuggestionRequest& request);

}  // namespace confide
