#include "adapters/http/cors_policy.h"

#include <algorithm>

namespace confide::http {

bool CorsPolicy::Allows(std::string_view origin) const {
  // Exact, case-sensitive match of scheme, host and port: no wildcards, no suffix matching
  // (a suffix rule would let "evil-example.org" through for "example.org").
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) !=
         allowed_origins_.end();
}

}  // namespace confide::http
