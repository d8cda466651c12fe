#pragma once

#include <string>

namespace confide::app {

// `confidectl grpc get-client`: reads one client over gRPC with the generated stub and prints it
// as JSON — the quickest way to see that both transports serve the same record. Returns the
// process exit code (0, or 1 with the google.rpc.Status on stderr).
int GetClientOverGrpc(const std::string& address, const std::string& token,
                      const std::string& client_id);

}  // namespace confide::app
