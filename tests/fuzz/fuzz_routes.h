#pragma once

#include "adapters/http/http_rule_router.h"

namespace confide::fuzz {

// The real route table, built once from the protos' annotations through the real method table.
const http::HttpRuleRouter& Routes();

}  // namespace confide::fuzz
