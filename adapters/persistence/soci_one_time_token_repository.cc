#include "adapters/persistence/soci_one_time_token_repository.h"

#include <string>

#include "absl/strings/ascii.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

std::optional<absl::Time> OptionalTime(long long micros) {
  if (micros == 0) {
    return std::nullopt;
  }
  return absl::FromUnixMicros(micros);
}

}  // namespace

absl::Status SociOneTimeTokenRepository::Insert(const OneTimeTokenRecord& record) {
  try {
    std::string id = record.id, digest = record.token_digest, clinic_id = record.clinic_id,
                email = absl::AsciiStrToLower(record.email), display_name = record.display_name,
                client_id = record.client_id, user_id = record.user_id,
                created_by = record.created_by;
    int purpose = static_cast<int>(record.purpose), role = record.role,
        discipline = record.discipline, partner_shares = static_cast<int>(record.partner_shares);
    long long create_time = absl::ToUnixMicros(record.create_time),
              expire_time = absl::ToUnixMicros(record.expire_time),
              use_time = record.use_time ? absl::ToUnixMicros(*record.use_time) : 0,
              revoke_time = record.revoke_time ? absl::ToUnixMicros(*record.revoke_time) : 0;
    sql_ << "INSERT INTO one_time_tokens (id, token_digest, purpose, clinic_id, email, "
            "display_name, role, discipline, client_id, user_id, partner_shares, created_by, "
            "create_time, expire_time, use_time, revoke_time) VALUES (:id, :digest, :purpose, "
            ":clinic_id, :email, :display_name, :role, :discipline, :client_id, :user_id, "
            ":partner_shares, :created_by, :create_time, :expire_time, :use_time, :revoke_time)",
        soci::use(id), soci::use(digest), soci::use(purpose), soci::use(clinic_id),
        soci::use(email), soci::use(display_name), soci::use(role), soci::use(discipline),
        soci::use(client_id), soci::use(user_id), soci::use(partner_shares), soci::use(created_by),
        soci::use(create_time), soci::use(expire_time), soci::use(use_time), soci::use(revoke_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "one_time_tokens.insert");
  }
}

absl::StatusOr<std::optional<OneTimeTokenRecord>> SociOneTimeTokenRepository::FindByDigest(
    std::string_view digest) {
  try {
    std::string key(digest);
    OneTimeTokenRecord record;
    int purpose = 0, role = 0, discipline = 0, partner_shares = 0;
    long long create_time = 0, expire_time = 0, use_time = 0, revoke_time = 0;
    sql_ << "SELECT id, token_digest, purpose, clinic_id, email, display_name, role, discipline, "
            "client_id, user_id, partner_shares, created_by, create_time, expire_time, use_time, "
            "revoke_time FROM one_time_tokens WHERE token_digest = :digest",
        soci::use(key), soci::into(record.id), soci::into(record.token_digest), soci::into(purpose),
        soci::into(record.clinic_id), soci::into(record.email), soci::into(record.display_name),
        soci::into(role), soci::into(discipline), soci::into(record.client_id),
        soci::into(record.user_id), soci::into(partner_shares), soci::into(record.created_by),
        soci::into(create_time), soci::into(expire_time), soci::into(use_time),
        soci::into(revoke_time);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    record.purpose = static_cast<TokenPurpose>(purpose);
    record.role = static_cast<v1::Role>(role);
    record.discipline = static_cast<v1::Discipline>(discipline);
    record.partner_shares = static_cast<uint32_t>(partner_shares);
    record.create_time = absl::FromUnixMicros(create_time);
    record.expire_time = absl::FromUnixMicros(expire_time);
    record.use_time = OptionalTime(use_time);
    record.revoke_time = OptionalTime(revoke_time);
    return record;
  } catch (const std::exception& e) {
    return StatusFromException(e, "one_time_tokens.find");
  }
}

absl::StatusOr<bool> SociOneTimeTokenRepository::MarkUsed(std::string_view id, absl::Time when) {
  try {
    std::string token_id(id);
    long long use_time = absl::ToUnixMicros(when);
    // Conditional in the database, so of two concurrent uses only one wins.
    soci::statement st =
        (sql_.prepare << "UPDATE one_time_tokens SET use_time = :when WHERE id = :id "
                         "AND use_time = 0 AND revoke_time = 0",
         soci::use(use_time), soci::use(token_id));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (const std::exception& e) {
    return StatusFromException(e, "one_time_tokens.mark_used");
  }
}

absl::Status SociOneTimeTokenRepository::RevokeOutstanding(const OneTimeTokenRecord& like,
                                                           absl::Time when) {
  if (like.clinic_id.empty() ||
      (like.client_id.empty() && like.user_id.empty() && like.email.empty())) {
    // Would match every token of the purpose: a caller's bug, not a wish.
    return absl::InvalidArgumentError("revoking tokens needs a clinic and a client, user or email");
  }
  try {
    int purpose_number = static_cast<int>(like.purpose);
    long long revoke_time = absl::ToUnixMicros(when);
    std::string clinic = like.clinic_id;
    // The column and value are chosen here from the record's own fields, never from input text.
    const char* column = !like.client_id.empty() ? "client_id"
                         : !like.user_id.empty() ? "user_id"
                                                 : "email";
    std::string value = !like.client_id.empty() ? like.client_id
                        : !like.user_id.empty() ? like.user_id
                                                : absl::AsciiStrToLower(like.email);
    sql_ << absl::StrCat(
        "UPDATE one_time_tokens SET revoke_time = :when WHERE purpose = :purpose "
        "AND clinic_id = :clinic AND ",
        column, " = :value AND use_time = 0 AND revoke_time = 0"),
        soci::use(revoke_time), soci::use(purpose_number), soci::use(clinic), soci::use(value);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "one_time_tokens.revoke_outstanding");
  }
}

}  // namespace confide::persistence
