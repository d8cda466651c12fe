#include "adapters/persistence/soci_break_glass_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociBreakGlassRepository::Insert(const BreakGlassRecord& record) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                user_id = record.user_id, reason_sealed = record.reason_sealed;
    long long create_time = absl::ToUnixMicros(record.create_time),
              expire_time = absl::ToUnixMicros(record.expire_time);
    sql_ << "INSERT INTO break_glass_grants (id, clinic_id, client_id, user_id, reason_sealed, "
            "create_time, expire_time) VALUES (:id, :clinic_id, :client_id, :user_id, "
            ":reason_sealed, :create_time, :expire_time)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(user_id),
        soci::use(reason_sealed), soci::use(create_time), soci::use(expire_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "break_glass_grants.insert");
  }
}

absl::StatusOr<std::optional<absl::Time>> SociBreakGlassRepository::LiveUntil(
    std::string_view user_id, std::string_view client_id, absl::Time now) {
  try {
    std::string user(user_id), client(client_id);
    long long now_micros = absl::ToUnixMicros(now), expire_time = 0;
    // ORDER BY ... LIMIT 1 rather than MAX(): no row means no grant, never a NULL to bind.
    sql_ << "SELECT expire_time FROM break_glass_grants WHERE user_id = :user_id "
            "AND client_id = :client_id AND create_time <= :now AND expire_time > :now_again "
            "ORDER BY expire_time DESC LIMIT 1",
        soci::use(user), soci::use(client), soci::use(now_micros), soci::use(now_micros),
        soci::into(expire_time);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    return absl::FromUnixMicros(expire_time);
  } catch (const std::exception& e) {
    return StatusFromException(e, "break_glass_grants.live_until");
  }
}

absl::StatusOr<std::vector<BreakGlassRecord>> SociBreakGlassRepository::List(
    const BreakGlassQuery& query) {
  try {
    // Every filter is always in the SQL and switched off by an empty value, so the statement
    // text is fixed and nothing is concatenated from input.
    std::string clinic = query.clinic_id, client = query.client_id, before = query.before_id;
    int limit = query.limit;
    BreakGlassRecord record;
    long long create_time = 0, expire_time = 0;
    soci::statement st =
        (sql_.prepare << "SELECT id, clinic_id, client_id, user_id, reason_sealed, create_time, "
                         "expire_time FROM break_glass_grants WHERE clinic_id = :clinic_id "
                         "AND (:client1 = '' OR client_id = :client2) "
                         "AND (:before1 = '' OR id < :before2) ORDER BY id DESC LIMIT :limit",
         soci::into(record.id), soci::into(record.clinic_id), soci::into(record.client_id),
         soci::into(record.user_id), soci::into(record.reason_sealed), soci::into(create_time),
         soci::into(expire_time), soci::use(clinic), soci::use(client), soci::use(client),
         soci::use(before), soci::use(before), soci::use(limit));
    std::vector<BreakGlassRecord> grants;
    st.execute();
    while (st.fetch()) {
      record.create_time = absl::FromUnixMicros(create_time);
      record.expire_time = absl::FromUnixMicros(expire_time);
      grants.push_back(record);
    }
    return grants;
  } catch (const std::exception& e) {
    return StatusFromException(e, "break_glass_grants.list");
  }
}

}  // namespace confide::persistence
