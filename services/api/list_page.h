#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confide {

// Where a page of an id-ordered list RPC (ListPlans, ListMilestones, ListNotes) starts.
struct ListPage {
  // Rows to show (page_size, or the default for 0).
  int size = 0;
  // The last id the previous page showed; empty for the first page.
  std::string after;
};

// Checks the request's page_size and page_token (from EncodePageToken(list, ...); `method`
// names the RPC in the error). INVALID_ARGUMENT naming the field otherwise.
absl::StatusOr<ListPage> StartListPage(int page_size, std::string_view page_token,
                                       std::string_view list, std::string_view method);

}  // namespace confide
