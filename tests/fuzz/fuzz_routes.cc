#include "fuzz_routes.h"

#include <cstdlib>
#include <string>

#include "services/auth/auth_service.h"
#include "services/clients/client_service.h"
#include "services/common/id_generator.h"

namespace confide::fuzz {
namespace {

class CountingIds final : public IdGenerator {
 public:
  std::string NewId() override { return std::to_string(++next_); }

 private:
  int next_ = 0;
};

}  // namespace

const http::HttpRuleRouter& Routes() {
  // Built once per process and kept: the fuzzer calls in a loop and the table never changes.
  static const http::HttpRuleRouter* const kRouter = [] {
    static CountingIds ids;
    static ClientService clients(ids);
    static MethodTable methods;
    clients.Register(methods);
    absl::StatusOr<http::HttpRuleRouter> router = http::HttpRuleRouter::Build(methods);
    if (!router.ok()) {
      std::abort();
    }
    return new http::HttpRuleRouter(*std::move(router));
  }();
  return *kRouter;
}

}  // namespace confide::fuzz
