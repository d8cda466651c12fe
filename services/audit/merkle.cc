#include "services/audit/merkle.h"

#include <cstddef>

// RFC 6962 section 2.1 (MTH, PATH, PROOF) by its recursive definitions over half-open leaf
// ranges; verification by the iterative algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2.
namespace confide::merkle {
namespace {

using Hashes = std::vector<std::string>;

constexpr size_t kHashSize = 32;

bool AllHashSized(const Hashes& hashes) {
  for (const std::string& h : hashes) {
    if (h.size() != kHashSize) {
      return false;
    }
  }
  return true;
}

// The largest power of two smaller than n (n > 1): the size of the left subtree of D[n].
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) {
    k <<= 1;
  }
  return k;
}

// MTH(D[begin:end]) over leaf hashes, begin < end.
std::string SubtreeRoot(const Sha256Hasher& hasher, const Hashes& leaves, uint64_t begin,
                        uint64_t end) {
  const uint64_t n = end - begin;
  if (n == 1) {
    return leaves[begin];
  }
  const uint64_t k = SplitPoint(n);
  return NodeHash(hasher, SubtreeRoot(hasher, leaves, begin, begin + k),
                  SubtreeRoot(hasher, leaves, begin + k, end));
}

// PATH(m, D[begin:end]) appended to `out`, bottom-up: m is relative to begin.
void AppendPath(const Sha256Hasher& hasher, const Hashes& leaves, uint64_t m, uint64_t begin,
                uint64_t end, Hashes& out) {
  const uint64_t n = end - begin;
  if (n <= 1) {
    return;
  }
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    AppendPath(hasher, leaves, m, begin, begin + k, out);
    out.push_back(SubtreeRoot(hasher, leaves, begin + k, end));
  } else {
    AppendPath(hasher, leaves, m - k, begin + k, end, out);
    out.push_back(SubtreeRoot(hasher, leaves, begin, begin + k));
  }
}

// Fills proofs[begin:end] with the paths of those leaves within D[begin:end] and returns
// MTH(D[begin:end]). Every subtree root is computed once: O(n) hashes, O(n log n) copies.
std::string AllPaths(const Sha256Hasher& hasher, const Hashes& leaves, uint64_t begin, uint64_t end,
                     std::vector<Hashes>& proofs) {
  const uint64_t n = end - begin;
  if (n == 1) {
    return leaves[begin];
  }
  const uint64_t k = SplitPoint(n);
  std::string left = AllPaths(hasher, leaves, begin, begin + k, proofs);
  std::string right = AllPaths(hasher, leaves, begin + k, end, proofs);
  for (uint64_t i = begin; i < begin + k; ++i) {
    proofs[i].push_back(right);
  }
  for (uint64_t i = begin + k; i < end; ++i) {
    proofs[i].push_back(left);
  }
  return NodeHash(hasher, left, right);
}

// SUBPROOF(m, D[begin:end], b) appended to `out`; m is relative to begin, 0 < m <= end - begin.
void AppendSubproof(const Sha256Hasher& hasher, const Hashes& leaves, uint64_t m, uint64_t begin,
                    uint64_t end, bool b, Hashes& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!b) {
      out.push_back(SubtreeRoot(hasher, leaves, begin, end));
    }
    return;
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    AppendSubproof(hasher, leaves, m, begin, begin + k, b, out);
    out.push_back(SubtreeRoot(hasher, leaves, begin + k, end));
  } else {
    AppendSubproof(hasher, leaves, m - k, begin + k, end, false, out);
    out.push_back(SubtreeRoot(hasher, leaves, begin, begin + k));
  }
}

}  // namespace

std::string LeafHash(const Sha256Hasher& hasher, std::string_view leaf_data) {
  return hasher.Hash3(std::string_view("\0", 1), leaf_data, {});
}

std::string NodeHash(const Sha256Hasher& hasher, std::string_view left, std::string_view right) {
  return hasher.Hash3(std::string_view("\1", 1), left, right);
}

std::string RootFromLeafHashes(const Sha256Hasher& hasher, const Hashes& leaf_hashes) {
  if (leaf_hashes.empty()) {
    return hasher.Hash("");
  }
  return SubtreeRoot(hasher, leaf_hashes, 0, leaf_hashes.size());
}

Hashes InclusionProof(const Sha256Hasher& hasher, const Hashes& leaf_hashes, uint64_t index) {
  Hashes proof;
  if (index >= leaf_hashes.size()) {
    return proof;
  }
  AppendPath(hasher, leaf_hashes, index, 0, leaf_hashes.size(), proof);
  return proof;
}

std::vector<Hashes> AllInclusionProofs(const Sha256Hasher& hasher, const Hashes& leaf_hashes) {
  std::vector<Hashes> proofs(leaf_hashes.size());
  if (!leaf_hashes.empty()) {
    AllPaths(hasher, leaf_hashes, 0, leaf_hashes.size(), proofs);
  }
  return proofs;
}

bool VerifyInclusion(const Sha256Hasher& hasher, std::string_view leaf_hash, uint64_t index,
                     uint64_t tree_size, const Hashes& proof, std::string_view root) {
  // RFC 9162 section 2.1.3.2.
  if (index >= tree_size) {
    return false;
  }
  if (leaf_hash.size() != kHashSize || root.size() != kHashSize || !AllHashSized(proof)) {
    return false;
  }
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) {
      return false;
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(hasher, p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(hasher, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

Hashes ConsistencyProof(const Sha256Hasher& hasher, const Hashes& leaf_hashes, uint64_t old_size) {
  Hashes proof;
  if (old_size == 0 || old_size > leaf_hashes.size()) {
    return proof;
  }
  AppendSubproof(hasher, leaf_hashes, old_size, 0, leaf_hashes.size(), true, proof);
  return proof;
}

bool VerifyConsistency(const Sha256Hasher& hasher, uint64_t old_size, uint64_t new_size,
                       std::string_view old_root, std::string_view new_root, const Hashes& proof) {
  if (old_size > new_size) {
    return false;
  }
  // A tree is consistent only with itself at its own size, and every tree extends the empty
  // tree: both proofs are empty (RFC 6962's PROOF(n, D[n]) is the empty list).
  if (old_size == new_size) {
    return proof.empty() && old_root == new_root;
  }
  if (old_size == 0) {
    return proof.empty();
  }
  // RFC 9162 section 2.1.4.2, 0 < old_size < new_size.
  if (proof.empty()) {
    return false;
  }
  if (old_root.size() != kHashSize || new_root.size() != kHashSize || !AllHashSized(proof)) {
    return false;
  }
  size_t next = 0;
  std::string fr;
  if ((old_size & (old_size - 1)) == 0) {
    // An exact power of two: the old root is itself the first node of the path.
    fr = std::string(old_root);
  } else {
    fr = proof[0];
    next = 1;
  }
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string sr = fr;
  for (; next < proof.size(); ++next) {
    const std::string& c = proof[next];
    if (sn == 0) {
      return false;
    }
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(hasher, c, fr);
      sr = NodeHash(hasher, c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(hasher, sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace confide::merkle
