#pragma once

#include "services/consents/ports/consent_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Consents in the `consents` table.
class SociConsentRepository final : public ConsentRepository {
 public:
  explicit SociConsentRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const ConsentRecord& record, std::string_view record_request_id) override;
  absl::StatusOr<std::optional<ConsentRecord>> Find(std::string_view clinic_id,
                                                    std::string_view consent_id) override;
  absl::StatusOr<std::optional<ConsentRecord>> FindByRecordRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::optional<ConsentRecord>> FindInForce(std::string_view clinic_id,
                                                           std::string_view client_id,
                                                           v1::ConsentKind kind) override;
  absl::StatusOr<std::optional<ConsentRecord>> LockInForce(std::string_view clinic_id,
                                                           std::string_view client_id,
                                                           v1::ConsentKind kind) override;
  absl::StatusOr<std::vector<ConsentRecord>> ListOfClient(std::string_view clinic_id,
                                                          std::string_view client_id,
                                                          bool in_force_only) override;
  absl::Status End(std::string_view clinic_id, std::string_view consent_id, v1::ConsentState state,
                   absl::Time end_time, std::string_view withdrawn_by_user_id,
                   v1::Role withdrawn_by_role) override;

 private:
  // The grant of `kind` in force; read FOR SHARE on PostgreSQL when `lock`.
  absl::StatusOr<std::optional<ConsentRecord>> FindGiven(std::string_view clinic_id,
                                                         std::string_view client_id,
                                                         v1::ConsentKind kind, bool lock);

  soci::session& sql_;
};

}  // namespace confide::persistence
