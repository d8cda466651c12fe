#include "services/api/list_page.h"

#include <utility>

#include "services/api/page_token.h"

namespace confide {

absl::StatusOr<ListPage> StartListPage(int page_size, std::string_view page_token,
                                       std::string_view list, std::string_view method) {
  absl::StatusOr<int> size = EffectivePageSize(page_size);
  if (!size.ok()) {
    return size.status();
  }
  ListPage page{.size = *size};
  if (!page_token.empty()) {
    absl::StatusOr<std::string> last = DecodePageToken(list, page_token, method);
    if (!last.ok()) {
      return last.status();
    }
    page.after = *std::move(last);
  }
  return page;
}

}  // namespace confide
