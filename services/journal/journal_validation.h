#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "confide/v1/journal.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/api/field_checker.h"

namespace confide {

// Limits of an entry (proto/confide/v1/journal.proto comments), in characters.
inline constexpr size_t kMaxJournalText = 20000;
inline constexpr int kMaxJournalTags = 10;
inline constexpr size_t kMaxJournalTag = 40;
// A phone that was offline syncs later: an entry may say it was written up to 90 days ago, and
// a phone clock running ahead is forgiven 10 minutes.
inline constexpr absl::Duration kJournalWriteTimeSlack = absl::Minutes(10);
inline constexpr absl::Duration kMaxJournalBackdating = absl::Hours(24 * 90);

// Checks text (1-20,000 characters, line breaks and tabs the only control characters), mood
// (a known value) and tags (at most 10, each 1-40 characters on one line, no duplicates) into
// `check`, whose prefix is the entry's path ("entry").
void CheckJournalText(const v1::JournalEntry& entry, FieldChecker& check);
void CheckJournalMood(const v1::JournalEntry& entry, FieldChecker& check);
void CheckJournalTags(const v1::JournalEntry& entry, FieldChecker& check);

// INVALID_ARGUMENT naming entry.write_time when `write_time` is more than the slack after
// `now` or more than 90 days before it; its nanos must be a valid Timestamp's.
absl::Status CheckJournalWriteTime(const google::protobuf::Timestamp& write_time, absl::Time now);

absl::Status ValidateCreateJournalEntry(const v1::CreateJournalEntryRequest& request);
absl::Status ValidateGetJournalEntry(const v1::GetJournalEntryRequest& request);
absl::Status ValidateListJournalEntries(const v1::ListJournalEntriesRequest& request);
// The mask may name text, mood, tags, shared_with_care_team and shared_with_partner; the masked
// content fields are checked as on create.
absl::Status ValidateUpdateJournalEntry(const v1::UpdateJournalEntryRequest& request);
absl::Status ValidateDeleteJournalEntry(const v1::DeleteJournalEntryRequest& request);

}  // namespace confide
