#include "services/audit/merkle.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "gtest/gtest.h"

namespace confide::merkle {
namespace {

using Hashes = std::vector<std::string>;

// Published RFC 6962 test vectors. Leaf inputs, the level-0..3 node hashes and the roots of the
// trees of 0..8 leaves: transparency-dev/merkle testonly/constants.go (LeafInputs, NodeHashes,
// RootHashes, EmptyRootHash). Inclusion and consistency proofs: transparency-dev/merkle
// proof/verify_test.go (inclusionProofs, consistencyProofs; the same vectors as
// google/certificate-transparency-go merkletree/merkle_verifier_test.go).
const char* const kLeafInputsHex[] = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};
const char* const kLeafHashesHex[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};
const char* const kLevel1Hex[] = {
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
};
const char* const kLevel2Hex[] = {
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
};
// Indexed by tree size, 0..8.
const char* const kRootsHex[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};
// A 32-byte hash that is no node of the test tree (transparency-dev's sha256SomeHash).
constexpr char kSomeHashHex[] = "abacaba000000000000000000000000000000000000000000060061e00123456";

struct InclusionVector {
  uint64_t leaf;  // 1-based, as in the source
  uint64_t size;
  std::vector<const char*> proof;
};
const InclusionVector kInclusionVectors[] = {
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {3, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {2,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

struct ConsistencyVector {
  uint64_t size1;
  uint64_t size2;
  std::vector<const char*> proof;
};
const ConsistencyVector kConsistencyVectors[] = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::string Bytes(const char* hex) { return absl::HexStringToBytes(hex); }
std::string Hex(const std::string& bytes) { return absl::BytesToHexString(bytes); }

Hashes BytesList(const std::vector<const char*>& hexes) {
  Hashes out;
  for (const char* h : hexes) out.push_back(Bytes(h));
  return out;
}

std::vector<std::string> HexList(const Hashes& hashes) {
  std::vector<std::string> out;
  for (const std::string& h : hashes) out.push_back(Hex(h));
  return out;
}

Hashes TestLeafHashes(const Sha256Hasher& hasher, size_t n) {
  Hashes leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash(hasher, Bytes(kLeafInputsHex[i])));
  return leaves;
}

// Distinct leaf hashes for trees of any size.
Hashes SyntheticLeafHashes(const Sha256Hasher& hasher, size_t n) {
  Hashes leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash(hasher, absl::StrCat("leaf ", i)));
  return leaves;
}

std::string FlipBit(std::string hash, size_t byte, unsigned char mask) {
  hash[byte % hash.size()] = static_cast<char>(hash[byte % hash.size()] ^ mask);
  return hash;
}

uint64_t Split(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// Reference verifiers written straight from RFC 6962's recursive definitions of PATH (2.1.1) and
// PROOF/SUBPROOF (2.1.2), consuming the proof from its end (the last element is the top-level
// sibling). They are independent of the iterative RFC 9162 algorithms under test and say which
// parameters a proof genuinely proves.
std::optional<std::string> RefPathRoot(const Sha256Hasher& hasher, uint64_t m, uint64_t n,
                                       const std::string& leaf, const Hashes& proof, size_t& end) {
  if (n == 1) return leaf;
  if (end == 0) return std::nullopt;
  const std::string& sibling = proof[--end];
  const uint64_t k = Split(n);
  if (m < k) {
    auto sub = RefPathRoot(hasher, m, k, leaf, proof, end);
    if (!sub) return std::nullopt;
    return NodeHash(hasher, *sub, sibling);
  }
  auto sub = RefPathRoot(hasher, m - k, n - k, leaf, proof, end);
  if (!sub) return std::nullopt;
  return NodeHash(hasher, sibling, *sub);
}

bool RefVerifyInclusion(const Sha256Hasher& hasher, const std::string& leaf, uint64_t index,
                        uint64_t size, const Hashes& proof, const std::string& root) {
  if (index >= size) return false;
  size_t end = proof.size();
  auto got = RefPathRoot(hasher, index, size, leaf, proof, end);
  return got && end == 0 && *got == root;
}

// (old subtree, new subtree) rebuilt from SUBPROOF(m, D[n], b).
std::optional<std::pair<std::string, std::string>> RefSubproof(const Sha256Hasher& hasher,
                                                               uint64_t m, uint64_t n, bool b,
                                                               const std::string& old_root,
                                                               const Hashes& proof, size_t& end) {
  if (m == n) {
    if (b) return std::make_pair(old_root, old_root);
    if (end == 0) return std::nullopt;
    const std::string& node = proof[--end];
    return std::make_pair(node, node);
  }
  if (end == 0) return std::nullopt;
  const std::string& c = proof[--end];
  const uint64_t k = Split(n);
  if (m <= k) {
    auto sub = RefSubproof(hasher, m, k, b, old_root, proof, end);
    if (!sub) return std::nullopt;
    return std::make_pair(sub->first, NodeHash(hasher, sub->second, c));
  }
  auto sub = RefSubproof(hasher, m - k, n - k, false, old_root, proof, end);
  if (!sub) return std::nullopt;
  return std::make_pair(NodeHash(hasher, c, sub->first), NodeHash(hasher, c, sub->second));
}

bool RefVerifyConsistency(const Sha256Hasher& hasher, uint64_t m, uint64_t n,
                          const std::string& old_root, const std::string& new_root,
                          const Hashes& proof) {
  if (m > n) return false;
  if (m == n) return proof.empty() && old_root == new_root;
  if (m == 0) return proof.empty();
  if (proof.empty()) return false;
  size_t end = proof.size();
  auto got = RefSubproof(hasher, m, n, true, old_root, proof, end);
  return got && end == 0 && got->first == old_root && got->second == new_root;
}

// Tree sizes other than n to try a proof for a tree of n leaves against: every size up to n + 3
// and some far ones.
std::vector<uint64_t> OtherSizes(uint64_t n) {
  std::vector<uint64_t> sizes;
  for (uint64_t size = 0; size <= n + 3; ++size) {
    if (size != n) sizes.push_back(size);
  }
  for (uint64_t size : {n / 2 + 1, 2 * n - 1, 2 * n, 2 * n + 1, n ^ 2, n ^ 4, n ^ 16, n ^ 64}) {
    if (size > n + 3) sizes.push_back(size);
  }
  return sizes;
}

// Counts the hashes computed, to check the cost of AllInclusionProofs.
class CountingHasher final : public Sha256Hasher {
 public:
  std::string Hash(std::string_view data) const override {
    ++count_;
    return inner_.Hash(data);
  }
  std::string Hash3(std::string_view a, std::string_view b, std::string_view c) const override {
    ++count_;
    return inner_.Hash3(a, b, c);
  }
  int64_t count() const { return count_; }

 private:
  OpenSslSha256Hasher inner_;
  mutable int64_t count_ = 0;
};

class MerkleTest : public ::testing::Test {
 protected:
  OpenSslSha256Hasher hasher_;
};

TEST_F(MerkleTest, LeafAndNodeHashesMatchRfc6962Vectors) {
  const Hashes leaves = TestLeafHashes(hasher_, 8);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(Hex(leaves[i]), kLeafHashesHex[i]) << i;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(Hex(NodeHash(hasher_, leaves[2 * i], leaves[2 * i + 1])), kLevel1Hex[i]) << i;
  }
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(Hex(NodeHash(hasher_, Bytes(kLevel1Hex[2 * i]), Bytes(kLevel1Hex[2 * i + 1]))),
              kLevel2Hex[i])
        << i;
  }
}

TEST_F(MerkleTest, RootsOfTreesOfZeroToEightLeavesMatchRfc6962Vectors) {
  const Hashes all = TestLeafHashes(hasher_, 8);
  for (size_t n = 0; n <= 8; ++n) {
    const Hashes leaves(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(Hex(RootFromLeafHashes(hasher_, leaves)), kRootsHex[n]) << "size " << n;
  }
}

TEST_F(MerkleTest, InclusionProofsMatchPublishedVectorsAndVerify) {
  const Hashes all = TestLeafHashes(hasher_, 8);
  for (const InclusionVector& v : kInclusionVectors) {
    SCOPED_TRACE(absl::StrCat("leaf ", v.leaf, " of ", v.size));
    const Hashes leaves(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(v.size));
    const uint64_t index = v.leaf - 1;
    const Hashes expected = BytesList(v.proof);
    EXPECT_EQ(HexList(InclusionProof(hasher_, leaves, index)), HexList(expected));
    EXPECT_EQ(HexList(AllInclusionProofs(hasher_, leaves)[index]), HexList(expected));
    const std::string root = Bytes(kRootsHex[v.size]);
    EXPECT_TRUE(VerifyInclusion(hasher_, all[index], index, v.size, expected, root));
  }
}

// The probes of transparency-dev/merkle proof/verify_test.go corruptInclusionProof.
TEST_F(MerkleTest, InclusionVerificationRefusesThePublishedCorruptions) {
  const Hashes all = TestLeafHashes(hasher_, 8);
  const std::string some = Bytes(kSomeHashHex);
  const std::string empty_root = Bytes(kRootsHex[0]);
  for (const InclusionVector& v : kInclusionVectors) {
    SCOPED_TRACE(absl::StrCat("leaf ", v.leaf, " of ", v.size));
    const uint64_t i = v.leaf - 1;
    const uint64_t n = v.size;
    const Hashes proof = BytesList(v.proof);
    const std::string root = Bytes(kRootsHex[n]);
    const std::string& leaf = all[i];
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i - 1, n, proof, root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i + 1, n, proof, root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i ^ 2, n, proof, root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n * 2, proof, root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n / 2, proof, root));
    EXPECT_FALSE(VerifyInclusion(hasher_, "WrongLeaf", i, n, proof, root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, proof, empty_root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, proof, some));
    auto with_back = [&](const std::string& h) {
      Hashes p = proof;
      p.push_back(h);
      return p;
    };
    auto with_front = [&](const std::string& h) {
      Hashes p = proof;
      p.insert(p.begin(), h);
      return p;
    };
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, with_back(""), root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, with_back(root), root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, with_front(""), root));
    EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, with_front(root), root));
    for (size_t j = 0; j < proof.size(); ++j) {
      Hashes wrong = proof;
      wrong[j] = FlipBit(wrong[j], 0, 8);
      EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, wrong, root)) << "proof[" << j << "]";
    }
    EXPECT_FALSE(
        VerifyInclusion(hasher_, leaf, i, n, Hashes(proof.begin(), proof.end() - 1), root));
    if (proof.size() > 1) {
      Hashes wrong = proof;
      wrong.insert(wrong.begin() + 1, some);
      EXPECT_FALSE(VerifyInclusion(hasher_, leaf, i, n, wrong, root));
    }
  }
}

// transparency-dev/merkle proof/verify_test.go TestVerifyInclusion and
// TestVerifyInclusionSingleEntry.
TEST_F(MerkleTest, InclusionVerificationEdgeCases) {
  const std::string some = Bytes(kSomeHashHex);
  const std::string empty_root = Bytes(kRootsHex[0]);
  const std::pair<uint64_t, uint64_t> probes[] = {{0, 0}, {0, 1}, {1, 0}, {2, 1}};
  for (const auto& [index, size] : probes) {
    EXPECT_FALSE(VerifyInclusion(hasher_, some, index, size, {}, ""));
    EXPECT_FALSE(VerifyInclusion(hasher_, "", index, size, {}, empty_root));
    EXPECT_FALSE(VerifyInclusion(hasher_, some, index, size, {}, empty_root));
  }
  const std::string hash = LeafHash(hasher_, "data");
  EXPECT_TRUE(VerifyInclusion(hasher_, hash, 0, 1, {}, hash));
  EXPECT_FALSE(VerifyInclusion(hasher_, "", 0, 1, {}, hash));
  EXPECT_FALSE(VerifyInclusion(hasher_, hash, 0, 1, {}, ""));
  EXPECT_FALSE(VerifyInclusion(hasher_, "", 0, 1, {}, ""));  // wrong hash size
  EXPECT_TRUE(InclusionProof(hasher_, {hash}, 0).empty());
  EXPECT_TRUE(InclusionProof(hasher_, {hash}, 1).empty());
  EXPECT_TRUE(AllInclusionProofs(hasher_, {}).empty());
}

TEST_F(MerkleTest, ConsistencyProofsMatchPublishedVectorsAndVerify) {
  const Hashes all = TestLeafHashes(hasher_, 8);
  for (const ConsistencyVector& v : kConsistencyVectors) {
    SCOPED_TRACE(absl::StrCat(v.size1, " -> ", v.size2));
    const Hashes leaves(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(v.size2));
    const Hashes expected = BytesList(v.proof);
    EXPECT_EQ(HexList(ConsistencyProof(hasher_, leaves, v.size1)), HexList(expected));
    EXPECT_TRUE(VerifyConsistency(hasher_, v.size1, v.size2, Bytes(kRootsHex[v.size1]),
                                  Bytes(kRootsHex[v.size2]), expected));
  }
}

// The probes of transparency-dev/merkle proof/verify_test.go corruptConsistencyProof.
TEST_F(MerkleTest, ConsistencyVerificationRefusesThePublishedCorruptions) {
  for (const ConsistencyVector& v : kConsistencyVectors) {
    if (v.proof.empty()) continue;
    SCOPED_TRACE(absl::StrCat(v.size1, " -> ", v.size2));
    const uint64_t m = v.size1;
    const uint64_t n = v.size2;
    const std::string r1 = Bytes(kRootsHex[m]);
    const std::string r2 = Bytes(kRootsHex[n]);
    const Hashes proof = BytesList(v.proof);
    EXPECT_FALSE(VerifyConsistency(hasher_, m - 1, n, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m + 1, n, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m ^ 2, n, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n * 2, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n / 2, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, "WrongRoot", r2, proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, "WrongRoot", proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r2, r1, proof));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, {}));
    auto with_back = [&](const std::string& h) {
      Hashes p = proof;
      p.push_back(h);
      return p;
    };
    auto with_front = [&](const std::string& h) {
      Hashes p = proof;
      p.insert(p.begin(), h);
      return p;
    };
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, with_back("")));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, with_back(r1)));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, with_back(r2)));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, with_front("")));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, with_front(r1)));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, with_front(r2)));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, with_front(proof[0])));
    EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, Hashes(proof.begin(), proof.end() - 1)));
    for (size_t j = 0; j < proof.size(); ++j) {
      Hashes wrong = proof;
      wrong[j] = FlipBit(wrong[j], 0, 16);
      EXPECT_FALSE(VerifyConsistency(hasher_, m, n, r1, r2, wrong)) << "proof[" << j << "]";
    }
  }
}

// transparency-dev/merkle proof/verify_test.go TestVerifyConsistency.
TEST_F(MerkleTest, ConsistencyVerificationEdgeCases) {
  const std::string root1 = "don't care 1";
  const std::string root2 = "don't care 2";
  const std::string empty = Bytes(kRootsHex[0]);
  const Hashes none;
  const Hashes one = {empty};
  EXPECT_FALSE(VerifyConsistency(hasher_, 0, 0, root1, root2, none));
  EXPECT_FALSE(VerifyConsistency(hasher_, 1, 1, root1, root2, none));
  EXPECT_TRUE(VerifyConsistency(hasher_, 0, 0, root1, root1, none));
  EXPECT_TRUE(VerifyConsistency(hasher_, 0, 1, root1, root2, none));
  EXPECT_TRUE(VerifyConsistency(hasher_, 1, 1, root2, root2, none));
  EXPECT_FALSE(VerifyConsistency(hasher_, 1, 0, root1, root2, none));
  EXPECT_FALSE(VerifyConsistency(hasher_, 2, 1, root1, root2, none));
  EXPECT_FALSE(VerifyConsistency(hasher_, 1, 2, root1, root2, none));
  EXPECT_FALSE(VerifyConsistency(hasher_, 0, 0, empty, root2, none));
  EXPECT_FALSE(VerifyConsistency(hasher_, 1, 1, empty, root2, none));
  EXPECT_FALSE(VerifyConsistency(hasher_, 0, 0, empty, empty, one));
  EXPECT_FALSE(VerifyConsistency(hasher_, 0, 1, empty, empty, one));
  EXPECT_FALSE(VerifyConsistency(hasher_, 1, 1, empty, empty, one));
  const Hashes leaves = SyntheticLeafHashes(hasher_, 5);
  EXPECT_TRUE(ConsistencyProof(hasher_, leaves, 0).empty());
  EXPECT_TRUE(ConsistencyProof(hasher_, leaves, 5).empty());
  EXPECT_TRUE(ConsistencyProof(hasher_, leaves, 6).empty());
}

constexpr uint64_t kMaxPropertySize = 70;

// Every proof of InclusionProof and AllInclusionProofs verifies, for every tree size up to 70 and
// every leaf; changing any proof hash, the leaf, the root, the index or the size is refused.
// A changed size (or index) is refused unless RFC 6962's own recursive definition says the same
// proof proves it too (e.g. the proof of leaf 0 of 3 leaves also proves leaf 0 of 4 leaves with
// the same root, since the verifier cannot tell a leaf hash from a node hash): such parameters
// describe the very same hash computation, so the reference and the verifier must agree on them.
TEST_F(MerkleTest, EveryInclusionProofVerifiesAndEveryMutationIsRefused) {
  int64_t accepted_size_changes = 0;
  for (uint64_t n = 1; n <= kMaxPropertySize; ++n) {
    const Hashes leaves = SyntheticLeafHashes(hasher_, n);
    const std::string root = RootFromLeafHashes(hasher_, leaves);
    const std::vector<Hashes> all = AllInclusionProofs(hasher_, leaves);
    ASSERT_EQ(all.size(), n);
    const std::string wrong_root = FlipBit(root, n, 1);
    for (uint64_t i = 0; i < n; ++i) {
      SCOPED_TRACE(absl::StrCat("leaf ", i, " of ", n));
      const Hashes proof = InclusionProof(hasher_, leaves, i);
      ASSERT_EQ(all[i], proof);
      ASSERT_TRUE(VerifyInclusion(hasher_, leaves[i], i, n, proof, root));
      ASSERT_TRUE(RefVerifyInclusion(hasher_, leaves[i], i, n, proof, root));
      EXPECT_FALSE(VerifyInclusion(hasher_, leaves[i], i, n, proof, wrong_root));
      EXPECT_FALSE(VerifyInclusion(hasher_, FlipBit(leaves[i], i, 2), i, n, proof, root));
      for (size_t j = 0; j < proof.size(); ++j) {
        Hashes wrong = proof;
        wrong[j] = FlipBit(wrong[j], j + i, 4);
        EXPECT_FALSE(VerifyInclusion(hasher_, leaves[i], i, n, wrong, root)) << j;
      }
      if (!proof.empty()) {
        EXPECT_FALSE(VerifyInclusion(hasher_, leaves[i], i, n,
                                     Hashes(proof.begin(), proof.end() - 1), root));
      }
      Hashes longer = proof;
      longer.push_back(leaves[i]);
      EXPECT_FALSE(VerifyInclusion(hasher_, leaves[i], i, n, longer, root));
      // Every other index of the same tree (and some past its end) is refused outright.
      for (uint64_t other = 0; other < n + 3; ++other) {
        if (other == i) continue;
        EXPECT_FALSE(VerifyInclusion(hasher_, leaves[i], other, n, proof, root)) << other;
      }
      // Other sizes: refused unless the recursive definition accepts them as well.
      for (uint64_t size : OtherSizes(n)) {
        const bool got = VerifyInclusion(hasher_, leaves[i], i, size, proof, root);
        EXPECT_EQ(got, RefVerifyInclusion(hasher_, leaves[i], i, size, proof, root)) << size;
        if (got) ++accepted_size_changes;
      }
    }
  }
  // Record how rare the size-ambiguous cases are (they never move the leaf or the root).
  RecordProperty("accepted_size_changes", static_cast<int>(accepted_size_changes));
}

// Every consistency proof verifies for every new size up to 70 and every old size; changing any
// proof hash, either root or either size is refused (sizes: unless RFC 6962's recursive
// definition says the same proof proves them too, as above).
TEST_F(MerkleTest, EveryConsistencyProofVerifiesAndEveryMutationIsRefused) {
  int64_t accepted_size_changes = 0;
  for (uint64_t n = 1; n <= kMaxPropertySize; ++n) {
    const Hashes leaves = SyntheticLeafHashes(hasher_, n);
    const std::string new_root = RootFromLeafHashes(hasher_, leaves);
    for (uint64_t m = 1; m <= n; ++m) {
      SCOPED_TRACE(absl::StrCat(m, " -> ", n));
      const std::string old_root = RootFromLeafHashes(
          hasher_, Hashes(leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(m)));
      const Hashes proof = ConsistencyProof(hasher_, leaves, m);
      ASSERT_TRUE(VerifyConsistency(hasher_, m, n, old_root, new_root, proof));
      ASSERT_TRUE(RefVerifyConsistency(hasher_, m, n, old_root, new_root, proof));
      if (m == n) {
        EXPECT_TRUE(proof.empty());
        EXPECT_FALSE(VerifyConsistency(hasher_, m, n, old_root, FlipBit(new_root, m, 1), proof));
        EXPECT_FALSE(VerifyConsistency(hasher_, m, n, old_root, new_root, {old_root}));
        continue;
      }
      EXPECT_FALSE(VerifyConsistency(hasher_, m, n, FlipBit(old_root, m, 1), new_root, proof));
      EXPECT_FALSE(VerifyConsistency(hasher_, m, n, old_root, FlipBit(new_root, m, 1), proof));
      EXPECT_FALSE(VerifyConsistency(hasher_, m, n, new_root, old_root, proof));
      for (size_t j = 0; j < proof.size(); ++j) {
        Hashes wrong = proof;
        wrong[j] = FlipBit(wrong[j], j + m, 4);
        EXPECT_FALSE(VerifyConsistency(hasher_, m, n, old_root, new_root, wrong)) << j;
      }
      EXPECT_FALSE(VerifyConsistency(hasher_, m, n, old_root, new_root,
                                     Hashes(proof.begin(), proof.end() - 1)));
      Hashes longer = proof;
      longer.push_back(new_root);
      EXPECT_FALSE(VerifyConsistency(hasher_, m, n, old_root, new_root, longer));
      Hashes front = proof;
      front.insert(front.begin(), proof[0]);
      EXPECT_FALSE(VerifyConsistency(hasher_, m, n, old_root, new_root, front));
      // Every other old size against the same new size, the same old size against every other
      // new size, and both changed at once around them.
      std::vector<std::pair<uint64_t, uint64_t>> sizes;
      for (uint64_t m2 = 0; m2 <= n + 2; ++m2) sizes.emplace_back(m2, n);
      for (uint64_t n2 : OtherSizes(n)) sizes.emplace_back(m, n2);
      for (uint64_t m2 : {m - 1, m + 1, m ^ 2, m / 2, m * 2}) {
        for (uint64_t n2 : {n - 1, n + 1, n ^ 2, n / 2, n * 2}) sizes.emplace_back(m2, n2);
      }
      for (const auto& [m2, n2] : sizes) {
        if (m2 == m && n2 == n) continue;
        const bool got = VerifyConsistency(hasher_, m2, n2, old_root, new_root, proof);
        EXPECT_EQ(got, RefVerifyConsistency(hasher_, m2, n2, old_root, new_root, proof))
            << m2 << " -> " << n2;
        if (got) ++accepted_size_changes;
      }
    }
  }
  RecordProperty("accepted_size_changes", static_cast<int>(accepted_size_changes));
}

// AllInclusionProofs computes each of the n - 1 inner nodes once (O(n) hashes, O(n log n) proof
// entries) and gives the same proofs as InclusionProof on a larger, unbalanced tree.
TEST_F(MerkleTest, AllInclusionProofsHashEachNodeOnceAndMatchInclusionProof) {
  const uint64_t n = 1025;
  const Hashes leaves = SyntheticLeafHashes(hasher_, n);
  const std::string root = RootFromLeafHashes(hasher_, leaves);
  CountingHasher counting;
  const std::vector<Hashes> all = AllInclusionProofs(counting, leaves);
  EXPECT_EQ(counting.count(), static_cast<int64_t>(n - 1));
  ASSERT_EQ(all.size(), n);
  for (uint64_t i = 0; i < n; ++i) {
    ASSERT_TRUE(VerifyInclusion(hasher_, leaves[i], i, n, all[i], root)) << i;
    if (i % 37 == 0 || i + 3 >= n) {
      EXPECT_EQ(all[i], InclusionProof(hasher_, leaves, i)) << i;
    }
  }
  EXPECT_EQ(all[n - 1].size(), 1u);  // the lone last leaf hangs off the root
  EXPECT_EQ(all[0].size(), 11u);
}

TEST_F(MerkleTest, RootCommitsToTheOrderOfTheLeaves) {
  const Hashes leaves = SyntheticLeafHashes(hasher_, 33);
  Hashes swapped = leaves;
  std::swap(swapped[3], swapped[4]);
  EXPECT_NE(RootFromLeafHashes(hasher_, swapped), RootFromLeafHashes(hasher_, leaves));
}

}  // namespace
}  // namespace confide::merkle
