#include "services/api/etag.h"

#include "absl/strings/str_cat.h"

namespace confide {

std::string EtagOf(int64_t version) { return absl::StrCat("v", version); }

absl::Status StaleEtag(std::string_view what) {
  return absl::AbortedError(absl::StrCat("etag does not match the stored ", std::string(what),
                                         ": someone changed it; reload and retry"));
}

}  // namespace confide
