#pragma once

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>; with C++20
// and g++ 12 that fails to compile. Every Beast/Asio include goes through this header, and
// clang-format must not sort Boost above <utility>.
// clang-format off
#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
// clang-format on
