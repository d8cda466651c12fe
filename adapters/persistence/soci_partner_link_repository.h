#pragma once

#include "services/partners/ports/partner_link_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Partner accounts' access to patients' records in the `partner_links` table.
class SociPartnerLinkRepository final : public PartnerLinkRepository {
 public:
  explicit SociPartnerLinkRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const PartnerLinkRecord& record) override;
  absl::StatusOr<std::optional<PartnerLinkRecord>> Find(std::string_view clinic_id,
                                                        std::string_view link_id) override;
  absl::StatusOr<std::optional<PartnerLinkRecord>> FindLiveOfPartner(
      std::string_view partner_user_id) override;
  absl::StatusOr<std::vector<PartnerLinkRecord>> ListOfClient(std::string_view clinic_id,
                                                              std::string_view client_id) override;
  absl::Status UpdateShares(std::string_view link_id, uint32_t shares, absl::Time now) override;
  absl::Status Revoke(std::string_view link_id, absl::Time now) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
