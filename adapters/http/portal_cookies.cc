#include "adapters/http/portal_cookies.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/crypto/openssl_sha256_hasher.h"

namespace confide::http {

namespace {

constexpr char kCsrfLabel[] = "confide-portal-csrf-v1:";
// Session cookies (no Max-Age): the browser forgets them when it closes, and the server's idle
// and absolute session limits still apply.
constexpr char kCookieAttributes[] = "; Path=/; Secure; SameSite=Strict";

}  // namespace

std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name) {
  const absl::string_view header(cookie_header.data(), cookie_header.size());
  for (absl::string_view pair : absl::StrSplit(header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    const size_t equals = pair.find('=');
    if (equals != absl::string_view::npos &&
        pair.substr(0, equals) == absl::string_view(name.data(), name.size())) {
      const absl::string_view value = pair.substr(equals + 1);
      return std::string(value.data(), value.size());
    }
  }
  return std::nullopt;
}

std::string CsrfTokenFor(std::string_view session_token) {
  const std::string digest = OpenSslSha256Hasher().Hash3(kCsrfLabel, session_token, {});
  return absl::BytesToHexString(absl::string_view(digest.data(), digest.size()));
}

bool CsrfTokenMatches(std::string_view header_value, std::string_view session_token) {
  const std::string expected = CsrfTokenFor(session_token);
  return header_value.size() == expected.size() &&
         CRYPTO_memcmp(header_value.data(), expected.data(), expected.size()) == 0;
}

std::string SessionCookie(std::string_view session_token) {
  return absl::StrCat(std::string(kSessionCookie), "=", std::string(session_token),
                      kCookieAttributes, "; HttpOnly");
}

std::string CsrfCookie(std::string_view session_token) {
  return absl::StrCat(std::string(kCsrfCookie), "=", CsrfTokenFor(session_token),
                      kCookieAttributes);
}

std::string ExpiredCookie(std::string_view name) {
  // The same attributes as when it was set, so every client (curl's cookie jar included)
  // replaces the cookie rather than keeping both.
  return absl::StrCat(std::string(name), "=", kCookieAttributes, "; Max-Age=0",
                      name == kSessionCookie ? "; HttpOnly" : "");
}

}  // namespace confide::http
