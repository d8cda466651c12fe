#include "fuzz_routes.h"

#include <cstdlib>
#include <string>

#include "services/clients/client_service.h"
#include "tests/fakes/fake_id_generator.h"

namespace confide::fuzz {

const http::HttpRuleRouter& Routes() {
  // Built once per process and kept: the fuzzer calls in a loop and the table never changes.
  static const http::HttpRuleRouter* const kRouter = [] {
    static FakeIdGenerator ids;
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
