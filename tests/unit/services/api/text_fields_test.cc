#include "services/api/text_fields.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> LineViolations(const std::string& value, size_t max = 20) {
  FieldChecker check("programme");
  CheckLine(check, "title", value, max);
  return ViolatedFields(check.Result());
}

std::vector<std::string> ProseViolations(const std::string& value, size_t max = 20) {
  FieldChecker check("programme");
  CheckProse(check, "patient_message", value, max);
  return ViolatedFields(check.Result());
}

TEST(TextFieldsTest, LineAcceptsAccentsEmojiAndNonBreakingSpaces) {
  EXPECT_THAT(LineViolations("Respiración 🌿\u00a0ok"), IsEmpty());
}

TEST(TextFieldsTest, LimitsCountCharactersNotBytes) {
  EXPECT_THAT(LineViolations(std::string(5, 'a') + "🌿🌿🌿", 8), IsEmpty());
  EXPECT_THAT(LineViolations("🌿🌿🌿🌿🌿🌿🌿🌿🌿", 8), ElementsAre("programme.title"));
}

TEST(TextFieldsTest, LineRefusesEveryKindOfControlAndLineBreak) {
  for (const std::string& bad :
       {std::string("a\nb"), std::string("a\tb"), std::string("a\x7f"), std::string("a\xc2\x85"),
        std::string("a\u2028b"), std::string("a\u2029b"), std::string("a\0b", 3)}) {
    EXPECT_THAT(LineViolations(bad), ElementsAre("programme.title")) << bad.size();
  }
}

TEST(TextFieldsTest, ProseKeepsLineBreaksAndTabsButNotOtherControls) {
  EXPECT_THAT(ProseViolations("one\ntwo\r\n\tthree\u2029"), IsEmpty());
  for (const std::string& bad : {std::string("a\x01"), std::string("a\x7f"),
                                 std::string("a\xc2\x9f"), std::string("a\0b", 3)}) {
    EXPECT_THAT(ProseViolations(bad), ElementsAre("programme.patient_message")) << bad.size();
  }
}

TEST(TextFieldsTest, InvalidUtf8IsRefused) {
  EXPECT_THAT(LineViolations("a\xff"), ElementsAre("programme.title"));
  EXPECT_THAT(ProseViolations("a\xc3"), ElementsAre("programme.patient_message"));
}

}  // namespace
}  // namespace confide
