#include <string>

#include "gtest/gtest.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

TEST(AccountEmailTest, NormalizingTrimsAndLowercases) {
  EXPECT_EQ(NormalizeEmail("  Sam@Demo.Confide.TEST \t"), "sam@demo.confide.test");
}

TEST(AccountEmailTest, AcceptsAddressesAccountsUse) {
  EXPECT_TRUE(IsAccountEmail("jo.patient@demo.confide.test"));
  EXPECT_TRUE(IsAccountEmail("  Jo@Example.test "));  // judged after normalizing
  EXPECT_TRUE(IsAccountEmail("service-0190d000-0000-7000-8000-00000000a001@service.invalid"));
}

// A password typed into the email field, and other non-addresses, are refused.
TEST(AccountEmailTest, RefusesWhatIsNotAnAddress) {
  EXPECT_FALSE(IsAccountEmail(""));
  EXPECT_FALSE(IsAccountEmail("demo-Confide-2026"));
  EXPECT_FALSE(IsAccountEmail("@example.test"));
  EXPECT_FALSE(IsAccountEmail("jo@"));
  EXPECT_FALSE(IsAccountEmail("jo@@example.test"));
  EXPECT_FALSE(IsAccountEmail("jo smith@example.test"));
  EXPECT_FALSE(IsAccountEmail(std::string("jo\0x@example.test", 17)));
  EXPECT_FALSE(IsAccountEmail("jo\xff@example.test"));
  EXPECT_FALSE(IsAccountEmail(std::string(250, 'a') + "@x.test"));
}

}  // namespace
}  // namespace confide
