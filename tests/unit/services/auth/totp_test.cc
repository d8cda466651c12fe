#include "services/auth/totp.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/crypto/openssl_message_authenticator.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

// The RFC 6238 appendix B key for HMAC-SHA-1.
constexpr char kRfcSecret[] = "12345678901234567890";

struct RfcVector {
  int64_t unix_seconds;
  int64_t step;
  const char* code;
};

// RFC 6238 appendix B, the SHA1 rows (8 digits, 30-second steps).
constexpr RfcVector kRfc6238Vectors[] = {
    {59, 0x1, "94287082"},
    {1111111109, 0x23523EC, "07081804"},
    {1111111111, 0x23523ED, "14050471"},
    {1234567890, 0x273EF07, "89005924"},
    {2000000000, 0x3F940AA, "69279037"},
    {20000000000, 0x27BC86AA, "65353130"},
};

TEST(TotpTest, StepsMatchRfc6238AppendixB) {
  for (const RfcVector& vector : kRfc6238Vectors) {
    EXPECT_EQ(TotpStep(absl::FromUnixSeconds(vector.unix_seconds)), vector.step)
        << vector.unix_seconds;
  }
}

TEST(TotpTest, CodesMatchRfc6238AppendixBSha1Vectors) {
  OpenSslMessageAuthenticator mac;
  for (const RfcVector& vector : kRfc6238Vectors) {
    EXPECT_EQ(TotpCode(mac, kRfcSecret, TotpStep(absl::FromUnixSeconds(vector.unix_seconds)), 8),
              vector.code)
        << vector.unix_seconds;
  }
}

// RFC 4226 appendix D, counters 0 to 9 with the same key, 6 digits.
TEST(TotpTest, SixDigitCodesMatchRfc4226AppendixD) {
  OpenSslMessageAuthenticator mac;
  const char* const expected[] = {"755224", "287082", "359152", "969429", "338314",
                                  "254676", "287922", "162583", "399871", "520489"};
  for (int counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(TotpCode(mac, kRfcSecret, counter), expected[counter]) << counter;
  }
}

TEST(TotpTest, StepBoundariesAndTimesBeforeTheEpochFloor) {
  EXPECT_EQ(TotpStep(absl::FromUnixSeconds(0)), 0);
  EXPECT_EQ(TotpStep(absl::FromUnixSeconds(29) + absl::Milliseconds(999)), 0);
  EXPECT_EQ(TotpStep(absl::FromUnixSeconds(30)), 1);
  EXPECT_EQ(TotpStep(absl::FromUnixSeconds(-1)), -1);
  EXPECT_EQ(TotpStep(absl::FromUnixSeconds(-30)), -1);
  EXPECT_EQ(TotpStep(absl::FromUnixSeconds(-31)), -2);
  EXPECT_EQ(TotpStep(absl::FromUnixSeconds(120), absl::Seconds(60)), 2);
}

class MatchTotpTest : public ::testing::Test {
 protected:
  // The start of step 41152263; any fixed time would do.
  const absl::Time now_ = absl::FromUnixSeconds(1234567890);
  const int64_t step_ = TotpStep(now_);
  OpenSslMessageAuthenticator mac_;

  std::string CodeAt(int64_t step) const { return TotpCode(mac_, kRfcSecret, step); }
};

TEST_F(MatchTotpTest, AcceptsTheCurrentCodeAndReturnsItsStep) {
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), now_, 0), step_);
}

TEST_F(MatchTotpTest, AcceptsCodesOneStepEitherSide) {
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_ - 1), now_, 0), step_ - 1);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_ + 1), now_, 0), step_ + 1);
}

TEST_F(MatchTotpTest, RefusesCodesTwoStepsAway) {
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_ - 2), now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_ + 2), now_, 0), std::nullopt);
}

TEST_F(MatchTotpTest, WiderDriftAcceptsFartherCodesAndZeroDriftOnlyTheCurrentOne) {
  TotpSettings wide;
  wide.allowed_drift_steps = 2;
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_ - 2), now_, 0, wide), step_ - 2);
  TotpSettings exact;
  exact.allowed_drift_steps = 0;
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), now_, 0, exact), step_);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_ - 1), now_, 0, exact), std::nullopt);
}

TEST_F(MatchTotpTest, RefusesACodeWhoseStepWasAlreadyUsed) {
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), now_, step_), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), now_, step_ + 1), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_ - 1), now_, step_ - 1), std::nullopt);
  // A later code is still good after an earlier one was used.
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), now_, step_ - 1), step_);
}

TEST_F(MatchTotpTest, RefusesAWrongCode) {
  std::string wrong = CodeAt(step_);
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, wrong, now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, "another secret", CodeAt(step_), now_, 0), std::nullopt);
}

TEST_F(MatchTotpTest, RefusesCodesOfTheWrongLengthOrWithNonDigits) {
  const std::string code = CodeAt(step_);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, "", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, code.substr(1), now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, code + "0", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, absl::StrCat("0", code), now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, code + " ", now_, 0), std::nullopt);
  // absl::StrCat rather than operator+: GCC 12's -Wrestrict misfires on `" " + std::string` at -O3.
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, absl::StrCat(" ", code.substr(1)), now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, "12345a", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, "-12345", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, "\xd9\xa1\xd9\xa2\xd9\xa3", now_, 0), std::nullopt);
  // The 8-digit code is not accepted where 6 digits are configured, nor the 6-digit one for 8.
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, TotpCode(mac_, kRfcSecret, step_, 8), now_, 0),
            std::nullopt);
  TotpSettings eight;
  eight.digits = 8;
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, code, now_, 0, eight), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, TotpCode(mac_, kRfcSecret, step_, 8), now_, 0, eight),
            step_);
}

TEST_F(MatchTotpTest, RefusesEverythingUnderUnusableSettings) {
  TotpSettings no_step;
  no_step.step = absl::ZeroDuration();
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), now_, 0, no_step), std::nullopt);
  TotpSettings negative_drift;
  negative_drift.allowed_drift_steps = -1;
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), now_, 0, negative_drift), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), absl::InfiniteFuture(), 0), std::nullopt);
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), absl::InfinitePast(), 0), std::nullopt);
  TotpSettings exact;
  exact.allowed_drift_steps = 0;
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, CodeAt(step_), absl::InfiniteFuture(), 0, exact),
            std::nullopt);
  TotpSettings nine;
  nine.digits = 9;
  EXPECT_EQ(MatchTotp(mac_, kRfcSecret, "123456789", now_, 0, nine), std::nullopt);
}

TEST(OtpauthUriTest, BuildsTheKeyUriFormat) {
  EXPECT_EQ(OtpauthUri("Confide", "alice@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Confide:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Confide"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUriTest, PercentEncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(OtpauthUri("Acme Clinic: Trials & Co", "dr.o'neil+x/y?z#1", "ABC"),
            "otpauth://totp/Acme%20Clinic%3A%20Trials%20%26%20Co:dr.o%27neil%2Bx%2Fy%3Fz%231"
            "?secret=ABC&issuer=Acme%20Clinic%3A%20Trials%20%26%20Co"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpauthUri("a-b.c_d~e", "Zo\xC3\xAB", "ABC"),
            "otpauth://totp/a-b.c_d~e:Zo%C3%AB?secret=ABC&issuer=a-b.c_d~e"
            "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace confide
