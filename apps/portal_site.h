#pragma once

#include "absl/status/statusor.h"
#include "adapters/http/static_site.h"
#include "apps/server_config.h"

namespace confide::app {

// Everything the REST port serves besides the API: the patient portal at /, the API reference
// at /docs/ with its vendored swagger-ui at /docs/vendor/, the portal's /config.json and the
// OpenAPI document at /v1/openapi.json. NOT_FOUND when a portal folder that was configured
// explicitly is missing; the default folder may be absent (the server then runs API-only).
absl::StatusOr<http::StaticSite> LoadPortalSite(const ServerConfig& config);

}  // namespace confide::app
