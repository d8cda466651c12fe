// The journal's request checks: every problem names its field as the caller sent it, limits
// are in characters, and an update mask names only what the patient may change.

#include "services/journal/journal_validation.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The fields a status's BadRequest details name.
std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  auto payload = status.GetPayload(std::string(kBadRequestPayloadUrl));
  google::rpc::BadRequest details;
  if (payload.has_value() && details.ParseFromString(std::string(*payload))) {
    for (const auto& violation : details.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

v1::CreateJournalEntryRequest Create(const std::string& text) {
  v1::CreateJournalEntryRequest request;
  request.set_client_id("me");
  request.mutable_entry()->set_text(text);
  return request;
}

TEST(JournalValidationTest, CreateNeedsTextAndAcceptsAWholeEntry) {
  v1::CreateJournalEntryRequest request = Create("Felt brave.\nTried size 2.\tOkay.");
  request.mutable_entry()->set_mood(v1::MOOD_VERY_GOOD);
  for (int i = 0; i < kMaxJournalTags; ++i) {
    request.mutable_entry()->add_tags("tag " + std::to_string(i));
  }
  request.set_request_id("phone-1");
  EXPECT_TRUE(ValidateCreateJournalEntry(request).ok());

  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(Create(""))), ElementsAre("entry.text"));
  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(Create(" \n "))), ElementsAre("entry.text"));
}

TEST(JournalValidationTest, TextLimitIsInCharacters) {
  std::string greek;
  for (size_t i = 0; i < kMaxJournalText; ++i) {
    greek += "\xce\xb1";  // α: two bytes, one character
  }
  EXPECT_TRUE(ValidateCreateJournalEntry(Create(greek)).ok());
  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(Create(greek + "a"))), ElementsAre("entry.text"));
  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(Create(std::string("bad\0nul", 7)))),
              ElementsAre("entry.text"));
  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(Create("\xff\xfe"))), ElementsAre("entry.text"));
}

TEST(JournalValidationTest, TagsAndMoodAreBounded) {
  v1::CreateJournalEntryRequest request = Create("ok");
  request.mutable_entry()->add_tags("win");
  request.mutable_entry()->add_tags("win");
  request.mutable_entry()->add_tags("");
  request.mutable_entry()->add_tags(std::string(kMaxJournalTag + 1, 'x'));
  request.mutable_entry()->add_tags("two\nlines");
  request.mutable_entry()->set_mood(static_cast<v1::Mood>(99));
  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(request)),
              ElementsAre("entry.mood", "entry.tags[1]", "entry.tags[2]", "entry.tags[3]",
                          "entry.tags[4]"));

  v1::CreateJournalEntryRequest many = Create("ok");
  for (int i = 0; i <= kMaxJournalTags; ++i) {
    many.mutable_entry()->add_tags("t" + std::to_string(i));
  }
  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(many)), ElementsAre("entry.tags"));
}

TEST(JournalValidationTest, RequestIdAndClientAreChecked) {
  v1::CreateJournalEntryRequest request = Create("ok");
  request.set_client_id("");
  request.set_request_id(std::string(200, 'r'));
  EXPECT_THAT(FieldsOf(ValidateCreateJournalEntry(request)),
              ElementsAre("client_id", "request_id"));
}

TEST(JournalValidationTest, WriteTimeWindowIsNinetyDaysBackAndTenMinutesAhead) {
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  google::protobuf::Timestamp t;
  t.set_seconds(absl::ToUnixSeconds(now - absl::Hours(24 * 90) + absl::Seconds(1)));
  EXPECT_TRUE(CheckJournalWriteTime(t, now).ok());
  t.set_seconds(absl::ToUnixSeconds(now + absl::Minutes(10)));
  EXPECT_TRUE(CheckJournalWriteTime(t, now).ok());
  t.set_seconds(absl::ToUnixSeconds(now + absl::Minutes(10) + absl::Seconds(1)));
  EXPECT_THAT(FieldsOf(CheckJournalWriteTime(t, now)), ElementsAre("entry.write_time"));
  t.set_seconds(absl::ToUnixSeconds(now - absl::Hours(24 * 90) - absl::Seconds(1)));
  EXPECT_THAT(FieldsOf(CheckJournalWriteTime(t, now)), ElementsAre("entry.write_time"));
  t.set_seconds(absl::ToUnixSeconds(now));
  t.set_nanos(-1);
  EXPECT_THAT(FieldsOf(CheckJournalWriteTime(t, now)), ElementsAre("entry.write_time"));
}

v1::UpdateJournalEntryRequest Update(std::initializer_list<const char*> paths) {
  v1::UpdateJournalEntryRequest request;
  request.mutable_entry()->set_id("00000000-0000-7000-8000-000000000001");
  request.mutable_entry()->set_client_id("me");
  request.mutable_entry()->set_etag("v1");
  request.mutable_entry()->set_text("new");
  for (const char* path : paths) {
    request.mutable_update_mask()->add_paths(path);
  }
  return request;
}

TEST(JournalValidationTest, UpdateMaskNamesOnlyWhatThePatientMayChange) {
  EXPECT_TRUE(ValidateUpdateJournalEntry(
                  Update({"text", "mood", "tags", "shared_with_care_team", "shared_with_partner"}))
                  .ok());
  for (const char* bad :
       {"write_time", "etag", "id", "client_id", "create_time", "nope", "text.x"}) {
    SCOPED_TRACE(bad);
    EXPECT_THAT(FieldsOf(ValidateUpdateJournalEntry(Update({bad}))), ElementsAre("update_mask"));
  }
  EXPECT_THAT(FieldsOf(ValidateUpdateJournalEntry(Update({}))), ElementsAre("update_mask"));
}

TEST(JournalValidationTest, UpdateChecksOnlyTheMaskedContentAndNeedsAnEtag) {
  v1::UpdateJournalEntryRequest request = Update({"shared_with_care_team"});
  request.mutable_entry()->set_text("");
  EXPECT_TRUE(ValidateUpdateJournalEntry(request).ok());
  request.mutable_update_mask()->add_paths("text");
  EXPECT_THAT(FieldsOf(ValidateUpdateJournalEntry(request)), ElementsAre("entry.text"));

  v1::UpdateJournalEntryRequest no_etag = Update({"text"});
  no_etag.mutable_entry()->clear_etag();
  EXPECT_THAT(FieldsOf(ValidateUpdateJournalEntry(no_etag)), ElementsAre("entry.etag"));
}

TEST(JournalValidationTest, GetListAndDeleteNameTheirFields) {
  v1::GetJournalEntryRequest get;
  get.set_client_id("me");
  EXPECT_THAT(FieldsOf(ValidateGetJournalEntry(get)), ElementsAre("entry_id"));
  v1::ListJournalEntriesRequest list;
  list.set_client_id("me");
  list.set_page_size(501);
  EXPECT_THAT(FieldsOf(ValidateListJournalEntries(list)), ElementsAre("page_size"));
  list.set_page_size(500);
  EXPECT_THAT(FieldsOf(ValidateListJournalEntries(list)), IsEmpty());
  v1::DeleteJournalEntryRequest del;
  del.set_client_id("me");
  del.set_entry_id("00000000-0000-7000-8000-000000000001");
  EXPECT_THAT(FieldsOf(ValidateDeleteJournalEntry(del)), ElementsAre("etag"));
}

}  // namespace
}  // namespace confide
