#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace confide::http {

// The patient portal keeps its session in an HttpOnly cookie instead of script-readable
// storage, so an injected script cannot steal it. Because browsers send cookies on their own,
// every state-changing cookie request must also carry an X-CSRF-Token header: the token is
// derived from the session token, which a cross-site page can neither read nor guess
// (docs/security.md, "Portal sessions"). `__Host-` cookies are only accepted by browsers over
// HTTPS, host-only and for Path=/.
inline constexpr std::string_view kSessionCookie = "__Host-confide-session";
inline constexpr std::string_view kCsrfCookie = "__Host-confide-csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
// Sent by the portal with POST /v1/auth/login to get cookies instead of a token in the body.
inline constexpr std::string_view kSessionModeHeader = "X-Confide-Session";

// The value of cookie `name` in a Cookie header ("a=1; b=2"); nullopt when absent.
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);

// The CSRF token that goes with a session token: lowercase hex SHA-256 of a fixed label and the
// token. Stateless, so any server of a deployment can check it.
std::string CsrfTokenFor(std::string_view session_token);

// Constant-time comparison of the X-CSRF-Token header with the session's token.
bool CsrfTokenMatches(std::string_view header_value, std::string_view session_token);

// Set-Cookie values that start a portal session, and that end it.
std::string SessionCookie(std::string_view session_token);
std::string CsrfCookie(std::string_view session_token);
std::string ExpiredCookie(std::string_view name);

}  // namespace confide::http
