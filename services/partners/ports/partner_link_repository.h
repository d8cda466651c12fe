#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A partner account's access to one patient's record: what the patient chose to share.
struct PartnerLinkRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  std::string partner_user_id;
  // Bit set of v1::PartnerShare values (bit n = share n).
  uint32_t shares = 0;
  absl::Time create_time;
  absl::Time update_time;
  std::optional<absl::Time> revoke_time;
};

class PartnerLinkRepository {
 public:
  virtual ~PartnerLinkRepository() = default;
  virtual absl::Status Insert(const PartnerLinkRecord& record) = 0;
  // Returns the link in the clinic with this id, or nullopt.
  virtual absl::StatusOr<std::optional<PartnerLinkRecord>> Find(std::string_view clinic_id,
                                                                std::string_view link_id) = 0;
  // Returns the unrevoked link of a partner account, or nullopt.
  virtual absl::StatusOr<std::optional<PartnerLinkRecord>> FindLiveOfPartner(
      std::string_view partner_user_id) = 0;
  // The client's links, revoked ones included, ordered by id.
  virtual absl::StatusOr<std::vector<PartnerLinkRecord>> ListOfClient(
      std::string_view clinic_id, std::string_view client_id) = 0;
  // Replaces the shares of an unrevoked link; NOT_FOUND when there is none.
  virtual absl::Status UpdateShares(std::string_view link_id, uint32_t shares, absl::Time now) = 0;
  // Revokes the link; revoking twice keeps the first time.
  virtual absl::Status Revoke(std::string_view link_id, absl::Time now) = 0;
};

}  // namespace confide
