#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/audit/ports/sha256_hasher.h"

namespace confide::merkle {

// RFC 6962 (Certificate Transparency) Merkle trees, section 2.1. Hashes are 32 raw bytes.

// SHA-256(0x00 || leaf_data).
std::string LeafHash(const Sha256Hasher& hasher, std::string_view leaf_data);
// SHA-256(0x01 || left || right).
std::string NodeHash(const Sha256Hasher& hasher, std::string_view left, std::string_view right);
// MTH(D[n]) over leaf hashes (not leaf data); SHA-256 of the empty string when there are none.
std::string RootFromLeafHashes(const Sha256Hasher& hasher,
                               const std::vector<std::string>& leaf_hashes);
// PATH(m, D[n]): the audit path of leaf `index` (section 2.1.1). `index` < leaf_hashes.size().
std::vector<std::string> InclusionProof(const Sha256Hasher& hasher,
                                        const std::vector<std::string>& leaf_hashes,
                                        uint64_t index);
// Every leaf's audit path at once, in O(n log n) hashes instead of O(n^2): what an exporter of a
// whole batch needs.
std::vector<std::vector<std::string>> AllInclusionProofs(
    const Sha256Hasher& hasher, const std::vector<std::string>& leaf_hashes);
// True iff `proof` proves `leaf_hash` at `index` in a tree of `tree_size` leaves with `root`
// (RFC 9162 section 2.1.3.2; hashes that are not 32 bytes are refused). A proof does not pin the
// tree size by itself (the proof of leaf 0 of 3 also proves leaf 0 of 4 with the same root): take
// `tree_size` from the signed header (leaf_count), never from the proof's carrier.
bool VerifyInclusion(const Sha256Hasher& hasher, std::string_view leaf_hash, uint64_t index,
                     uint64_t tree_size, const std::vector<std::string>& proof,
                     std::string_view root);
// PROOF(m, D[n]) (section 2.1.2), 0 < m <= n = leaf_hashes.size().
std::vector<std::string> ConsistencyProof(const Sha256Hasher& hasher,
                                          const std::vector<std::string>& leaf_hashes,
                                          uint64_t old_size);
// True iff `proof` proves the tree of `old_size` leaves with `old_root` is a prefix of the tree
// of `new_size` leaves with `new_root` (RFC 9162 section 2.1.4.2; as there, old_size 0 is
// consistent with any tree given an empty proof). Take both sizes from signed headers.
bool VerifyConsistency(const Sha256Hasher& hasher, uint64_t old_size, uint64_t new_size,
                       std::string_view old_root, std::string_view new_root,
                       const std::vector<std::string>& proof);

}  // namespace confide::merkle
