#include "adapters/persistence/soci_partner_link_repository.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kColumns[] =
    "id, clinic_id, client_id, partner_user_id, shares, create_time, update_time, revoke_time";

// One row of `partner_links` as soci binds it.
struct PartnerLinkRow {
  std::string id, clinic_id, client_id, partner_user_id;
  int shares = 0;
  long long create_time = 0, update_time = 0, revoke_time = 0;

  PartnerLinkRecord ToRecord() const {
    PartnerLinkRecord record{.id = id,
                             .clinic_id = clinic_id,
                             .client_id = client_id,
                             .partner_user_id = partner_user_id,
                             .shares = static_cast<uint32_t>(shares),
                             .create_time = absl::FromUnixMicros(create_time),
                             .update_time = absl::FromUnixMicros(update_time)};
    if (revoke_time != 0) {
      record.revoke_time = absl::FromUnixMicros(revoke_time);
    }
    return record;
  }
};

// Binds the columns of kColumns, in order, into `row`.
void BindInto(soci::statement& st, PartnerLinkRow& row) {
  st.exchange(soci::into(row.id));
  st.exchange(soci::into(row.clinic_id));
  st.exchange(soci::into(row.client_id));
  st.exchange(soci::into(row.partner_user_id));
  st.exchange(soci::into(row.shares));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.update_time));
  st.exchange(soci::into(row.revoke_time));
}

}  // namespace

absl::Status SociPartnerLinkRepository::Insert(const PartnerLinkRecord& record) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                partner_user_id = record.partner_user_id;
    int shares = static_cast<int>(record.shares);
    long long create_time = absl::ToUnixMicros(record.create_time),
              update_time = absl::ToUnixMicros(record.update_time),
              revoke_time = record.revoke_time ? absl::ToUnixMicros(*record.revoke_time) : 0;
    sql_ << "INSERT INTO partner_links (id, clinic_id, client_id, partner_user_id, shares, "
            "create_time, update_time, revoke_time) VALUES (:id, :clinic_id, :client_id, "
            ":partner_user_id, :shares, :create_time, :update_time, :revoke_time)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(partner_user_id),
        soci::use(shares), soci::use(create_time), soci::use(update_time), soci::use(revoke_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "partner_links.insert");
  }
}

absl::StatusOr<std::optional<PartnerLinkRecord>> SociPartnerLinkRepository::Find(
    std::string_view clinic_id, std::string_view link_id) {
  try {
    std::string clinic(clinic_id), id(link_id);
    PartnerLinkRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic, "clinic_id"));
    st.exchange(soci::use(id, "id"));
    st.alloc();
    st.prepare(absl::StrCat("SELECT ", kColumns,
                            " FROM partner_links WHERE clinic_id = :clinic_id AND id = :id"));
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.ToRecord();
  } catch (const std::exception& e) {
    return StatusFromException(e, "partner_links.find");
  }
}

absl::StatusOr<std::optional<PartnerLinkRecord>> SociPartnerLinkRepository::FindLiveOfPartner(
    std::string_view partner_user_id) {
  try {
    std::string partner(partner_user_id);
    PartnerLinkRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(partner, "partner_user_id"));
    st.alloc();
    // A partner account has one live link; should there ever be more, the newest wins.
    st.prepare(absl::StrCat("SELECT ", kColumns,
                            " FROM partner_links WHERE partner_user_id = :partner_user_id"
                            " AND revoke_time = 0 ORDER BY create_time DESC, id DESC LIMIT 1"));
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.ToRecord();
  } catch (const std::exception& e) {
    return StatusFromException(e, "partner_links.find_live_of_partner");
  }
}

absl::StatusOr<std::vector<PartnerLinkRecord>> SociPartnerLinkRepository::ListOfClient(
    std::string_view clinic_id, std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    PartnerLinkRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic, "clinic_id"));
    st.exchange(soci::use(client, "client_id"));
    st.alloc();
    st.prepare(
        absl::StrCat("SELECT ", kColumns,
                     " FROM partner_links WHERE clinic_id = :clinic_id AND client_id = :client_id"
                     " ORDER BY id"));
    st.define_and_bind();
    std::vector<PartnerLinkRecord> links;
    st.execute();
    while (st.fetch()) {
      links.push_back(row.ToRecord());
    }
    return links;
  } catch (const std::exception& e) {
    return StatusFromException(e, "partner_links.list_of_client");
  }
}

absl::Status SociPartnerLinkRepository::UpdateShares(std::string_view link_id, uint32_t shares,
                                                     absl::Time now) {
  try {
    std::string id(link_id);
    int new_shares = static_cast<int>(shares);
    long long update_time = absl::ToUnixMicros(now);
    soci::statement st = (sql_.prepare << "UPDATE partner_links SET shares = :shares, "
                                          "update_time = :now WHERE id = :id AND revoke_time = 0",
                          soci::use(new_shares), soci::use(update_time), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("no such live partner link");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "partner_links.update_shares");
  }
}

absl::Status SociPartnerLinkRepository::Revoke(std::string_view link_id, absl::Time now) {
  try {
    std::string id(link_id);
    long long revoke_time = absl::ToUnixMicros(now);
    sql_ << "UPDATE partner_links SET revoke_time = :now, update_time = :now_again "
            "WHERE id = :id AND revoke_time = 0",
        soci::use(revoke_time), soci::use(revoke_time), soci::use(id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "partner_links.revoke");
  }
}

}  // namespace confide::persistence
