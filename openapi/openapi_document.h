#pragma once

#include <string_view>

namespace confide::openapi {

// The OpenAPI (Swagger 2.0) document of the REST API, generated at build time from the protos'
// google.api.http annotations and comments (openapi/finish_openapi.py): UTF-8 JSON, valid for the
// life of the program.
std::string_view OpenApiDocument();

}  // namespace confide::openapi
