// The gateway's small browser-facing pieces: gzip negotiation, the sign-in rate limiter, portal
// cookies and CSRF tokens, CORS origins and security headers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <string>

#include "adapters/http/cors_policy.h"
#include "adapters/http/gzip.h"
#include "adapters/http/portal_cookies.h"
#include "adapters/http/security_headers.h"
#include "adapters/http/sign_in_rate_limiter.h"

namespace confide::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = SignInRateLimiter::Clock;

std::string Gunzip(const std::string& data, size_t expected_size) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(expected_size + 16, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

TEST(GzipTest, CompressedBytesInflateBackToTheInput) {
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "{\"item\":" + std::to_string(i) + ",\"title\":\"Belly breathing\"},";
  }
  std::optional<std::string> gzip = GzipCompress(text);
  ASSERT_TRUE(gzip.has_value());
  EXPECT_LT(gzip->size(), text.size() / 4);
  EXPECT_EQ(static_cast<unsigned char>((*gzip)[0]), 0x1f);  // gzip magic, not a zlib header
  EXPECT_EQ(static_cast<unsigned char>((*gzip)[1]), 0x8b);
  EXPECT_EQ(Gunzip(*gzip, text.size()), text);
  EXPECT_EQ(Gunzip(*GzipCompress(""), 0), "");
}

TEST(GzipTest, AcceptEncodingIsReadWithQualityValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("br, GZIP;q=0.8"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip ; q=1"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=zero"));
  EXPECT_FALSE(AcceptsGzip("xgzip"));
}

// An explicit gzip entry wins over "*" wherever it stands, and "Q" is the same parameter as
// "q" (RFC 9110 12.5.3): a client that refuses gzip never gets it.
TEST(GzipTest, AnExplicitGzipEntryWinsOverTheWildcard) {
  EXPECT_FALSE(AcceptsGzip("*, gzip;q=0"));
  EXPECT_TRUE(AcceptsGzip("*;q=0, gzip"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;Q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=0.001"));
}

TEST(SignInRateLimiterTest, AnAddressGetsItsBurstThenWaitsForTheRefill) {
  SignInRateLimiter limiter(3);
  const Clock::time_point start{};
  int retry_after = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.TryAcquire("198.51.100.7", start, &retry_after)) << i;
  }
  EXPECT_FALSE(limiter.TryAcquire("198.51.100.7", start, &retry_after));
  EXPECT_EQ(retry_after, 20);  // 3 a minute: one every 20 s
  EXPECT_FALSE(limiter.TryAcquire("198.51.100.7", start + std::chrono::seconds(19), &retry_after));
  EXPECT_EQ(retry_after, 1);
  EXPECT_TRUE(limiter.TryAcquire("198.51.100.7", start + std::chrono::seconds(20), &retry_after));
}

TEST(SignInRateLimiterTest, AddressesAreLimitedSeparately) {
  SignInRateLimiter limiter(1);
  const Clock::time_point now{};
  int retry_after = 0;
  EXPECT_TRUE(limiter.TryAcquire("198.51.100.7", now, &retry_after));
  EXPECT_FALSE(limiter.TryAcquire("198.51.100.7", now, &retry_after));
  EXPECT_TRUE(limiter.TryAcquire("203.0.113.9", now, &retry_after));
}

TEST(SignInRateLimiterTest, ABucketNeverHoldsMoreThanOneMinutesWorth) {
  SignInRateLimiter limiter(2);
  const Clock::time_point start{};
  int retry_after = 0;
  EXPECT_TRUE(limiter.TryAcquire("a", start, &retry_after));
  const Clock::time_point later = start + std::chrono::hours(5);
  EXPECT_TRUE(limiter.TryAcquire("a", later, &retry_after));
  EXPECT_TRUE(limiter.TryAcquire("a", later, &retry_after));
  EXPECT_FALSE(limiter.TryAcquire("a", later, &retry_after));
}

// Anyone with IPv6 has a /64 of addresses to rotate through: it is one client's bucket. IPv4,
// IPv4-mapped IPv6 (a dual-stack listener) and names the limiter cannot parse stay per address.
TEST(SignInRateLimiterTest, AnIpv6ClientIsLimitedByItsSlash64) {
  SignInRateLimiter limiter(1);
  const Clock::time_point now{};
  int retry_after = 0;
  EXPECT_TRUE(limiter.TryAcquire("2001:db8:1:2::1", now, &retry_after));
  EXPECT_FALSE(limiter.TryAcquire("2001:db8:1:2::2", now, &retry_after));
  EXPECT_FALSE(limiter.TryAcquire("2001:db8:1:2:ffff:ffff:ffff:ffff", now, &retry_after));
  EXPECT_TRUE(limiter.TryAcquire("2001:db8:1:3::1", now, &retry_after));
  EXPECT_TRUE(limiter.TryAcquire("::ffff:198.51.100.7", now, &retry_after));
  EXPECT_TRUE(limiter.TryAcquire("::ffff:198.51.100.8", now, &retry_after));
  EXPECT_TRUE(limiter.TryAcquire("198.51.100.9", now, &retry_after));
  EXPECT_TRUE(limiter.TryAcquire("198.51.100.10", now, &retry_after));
}

TEST(PortalCookiesTest, CookieValuesAreFoundByExactName) {
  EXPECT_EQ(CookieValue("a=1; __Host-confide-session=tok; b=2", kSessionCookie), "tok");
  EXPECT_EQ(CookieValue("__Host-confide-session=tok", kSessionCookie), "tok");
  EXPECT_EQ(CookieValue("x__Host-confide-session=evil; y=1", kSessionCookie), std::nullopt);
  EXPECT_EQ(CookieValue("", kSessionCookie), std::nullopt);
  EXPECT_EQ(CookieValue("__Host-confide-session", kSessionCookie), std::nullopt);
}

TEST(PortalCookiesTest, TheCsrfTokenIsBoundToItsSession) {
  const std::string token = CsrfTokenFor("session-one");
  EXPECT_EQ(token.size(), 64U);
  EXPECT_EQ(token, CsrfTokenFor("session-one"));
  EXPECT_NE(token, CsrfTokenFor("session-two"));
  EXPECT_TRUE(CsrfTokenMatches(token, "session-one"));
  EXPECT_FALSE(CsrfTokenMatches(token, "session-two"));
  EXPECT_FALSE(CsrfTokenMatches("", "session-one"));
  EXPECT_FALSE(CsrfTokenMatches(token.substr(0, 63), "session-one"));
}

TEST(PortalCookiesTest, SessionCookiesAreHostOnlySecureStrictAndTheSessionIsHttpOnly) {
  EXPECT_EQ(SessionCookie("tok"),
            "__Host-confide-session=tok; Path=/; Secure; SameSite=Strict; HttpOnly");
  EXPECT_EQ(CsrfCookie("tok"),
            "__Host-confide-csrf=" + CsrfTokenFor("tok") + "; Path=/; Secure; SameSite=Strict");
  EXPECT_THAT(ExpiredCookie(kSessionCookie), HasSubstr("Max-Age=0"));
  EXPECT_THAT(ExpiredCookie(kSessionCookie), HasSubstr("; HttpOnly"));
  EXPECT_THAT(ExpiredCookie(kCsrfCookie), Not(HasSubstr("HttpOnly")));
}

TEST(CorsPolicyTest, OnlyListedOriginsMatchExactly) {
  CorsPolicy none({});
  EXPECT_FALSE(none.enabled());
  EXPECT_FALSE(none.Allows("https://app.example.org"));
  CorsPolicy policy({"https://app.example.org"});
  EXPECT_TRUE(policy.Allows("https://app.example.org"));
  EXPECT_FALSE(policy.Allows("http://app.example.org"));
  EXPECT_FALSE(policy.Allows("https://app.example.org:8443"));
  EXPECT_FALSE(policy.Allows("https://evil-app.example.org"));
  EXPECT_FALSE(policy.Allows("null"));
}

std::string HeaderValue(ContentKind kind, bool tls, std::string_view name) {
  for (const auto& [header, value] : SecurityHeaders(kind, tls)) {
    if (header == name) {
      return std::string(value);
    }
  }
  return "<absent>";
}

TEST(SecurityHeadersTest, EachKindOfContentGetsItsPolicy) {
  EXPECT_THAT(HeaderValue(ContentKind::kApi, false, "Content-Security-Policy"),
              HasSubstr("default-src 'none'"));
  const std::string portal = HeaderValue(ContentKind::kPortal, false, "Content-Security-Policy");
  EXPECT_THAT(portal, HasSubstr("script-src 'self';"));
  EXPECT_THAT(portal, Not(HasSubstr("unsafe")));
  EXPECT_THAT(HeaderValue(ContentKind::kDocs, false, "Content-Security-Policy"),
              HasSubstr("style-src 'self' 'unsafe-inline'"));
  EXPECT_EQ(HeaderValue(ContentKind::kPortal, false, "X-Frame-Options"), "DENY");
}

TEST(SecurityHeadersTest, HstsOnlyOverTls) {
  EXPECT_EQ(HeaderValue(ContentKind::kPortal, false, "Strict-Transport-Security"), "<absent>");
  EXPECT_THAT(HeaderValue(ContentKind::kPortal, true, "Strict-Transport-Security"),
              HasSubstr("max-age=63072000"));
}

}  // namespace
}  // namespace confide::http
