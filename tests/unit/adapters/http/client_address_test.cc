#include "adapters/http/client_address.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace confide::http {
namespace {

const std::vector<std::string> kProxies = {"10.0.0.2", "10.0.0.3"};

TEST(ClientAddressTest, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(ClientAddress("198.51.100.7", "203.0.113.9", {}), "198.51.100.7");
}

// Anyone can send the header: it counts only when the connection comes from a trusted proxy.
TEST(ClientAddressTest, AnUntrustedPeerCannotChooseItsAddress) {
  EXPECT_EQ(ClientAddress("198.51.100.7", "203.0.113.9", kProxies), "198.51.100.7");
}

TEST(ClientAddressTest, BehindATrustedProxyTheForwardedAddressIsTheClient) {
  EXPECT_EQ(ClientAddress("10.0.0.2", "203.0.113.9", kProxies), "203.0.113.9");
}

// The client may put anything at the left of the header; only the hops the trusted proxies
// appended count, read from the right.
TEST(ClientAddressTest, TheRightmostUntrustedHopWinsOverSpoofedLeftEntries) {
  EXPECT_EQ(ClientAddress("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.3", kProxies), "203.0.113.9");
}

TEST(ClientAddressTest, IPv6AddressesAreAccepted) {
  EXPECT_EQ(ClientAddress("10.0.0.2", "2001:db8::1", kProxies), "2001:db8::1");
}

TEST(ClientAddressTest, AHeaderThatIsNotAddressesFallsBackToThePeer) {
  EXPECT_EQ(ClientAddress("10.0.0.2", "unknown", kProxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "203.0.113.9<script>", kProxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", std::string(100, '1'), kProxies), "10.0.0.2");
}

TEST(ClientAddressTest, AnEmptyHeaderFromATrustedProxyIsThePeer) {
  EXPECT_EQ(ClientAddress("10.0.0.2", "", kProxies), "10.0.0.2");
}

}  // namespace
}  // namespace confide::http
