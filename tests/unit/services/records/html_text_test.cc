// The pieces the record's HTML document is made of: escaping, enum values and field names in
// words, and readable dates and times.

#include "services/records/html_text.h"

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/notes.pb.h"
#include "confide/v1/records.pb.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

TEST(HtmlEscapeTest, EscapesEveryCharacterThatCanEndTextOrAnAttribute) {
  EXPECT_EQ(HtmlEscape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("a & b"), "a &amp; b");
  EXPECT_EQ(HtmlEscape("\"quoted\" and 'single'"), "&quot;quoted&quot; and &#39;single&#39;");
}

// An already-escaped text is escaped again: the document shows what was written, literally.
TEST(HtmlEscapeTest, EscapesAnEntityAsText) { EXPECT_EQ(HtmlEscape("&lt;"), "&amp;lt;"); }

TEST(HtmlEscapeTest, KeepsOtherTextIncludingUtf8AndNewlines) {
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("Zoë ≤ 2/10\nnext line"), "Zoë ≤ 2/10\nnext line");
}

TEST(EnumValueWordsTest, DropsTheEnumsPrefixAndReadsAsWords) {
  EXPECT_EQ(EnumValueWords(*v1::SessionType_descriptor()->FindValueByNumber(
                v1::SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY)),
            "Pelvic floor physiotherapy");
  EXPECT_EQ(EnumValueWords(*v1::ExportPurpose_descriptor()->FindValueByNumber(
                v1::EXPORT_PURPOSE_TRANSFER_OF_CARE)),
            "Transfer of care");
  EXPECT_EQ(EnumValueWords(*v1::Role_descriptor()->FindValueByNumber(v1::ROLE_CLINICIAN)),
            "Clinician");
}

TEST(EnumValueWordsTest, ZeroValueReadsNotSpecified) {
  EXPECT_EQ(EnumValueWords(*v1::NoteKind_descriptor()->FindValueByNumber(0)), "Not specified");
}

TEST(FieldNameWordsTest, ReadsAsASentenceWithIdsSpelledOut) {
  EXPECT_EQ(FieldNameWords("dilator_size_tolerated"), "Dilator size tolerated");
  EXPECT_EQ(FieldNameWords("author_user_id"), "Author user ID");
  EXPECT_EQ(FieldNameWords("reader_user_ids"), "Reader user IDs");
  EXPECT_EQ(FieldNameWords("id"), "ID");
}

TEST(ReadableTimeTest, ShowsDayMonthYearAndUtcTime) {
  const absl::Time time =
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 30, 59), absl::UTCTimeZone());
  EXPECT_EQ(ReadableTime(time), "2 March 2026, 09:30 UTC");
}

TEST(ReadableDateTest, ReadsACalendarDate) {
  EXPECT_EQ(ReadableDate("2026-03-02"), std::optional<std::string>("2 March 2026"));
  EXPECT_EQ(ReadableDate("1990-12-31"), std::optional<std::string>("31 December 1990"));
}

TEST(ReadableDateTest, LeavesAnythingElseAlone) {
  EXPECT_EQ(ReadableDate("2026-02-30"), std::nullopt);
  EXPECT_EQ(ReadableDate("2026-3-2"), std::nullopt);
  EXPECT_EQ(ReadableDate("<b>2026-03-02</b>"), std::nullopt);
  EXPECT_EQ(ReadableDate(""), std::nullopt);
}

}  // namespace
}  // namespace confide
