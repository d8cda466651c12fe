#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/sign_in_throttle_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/clients/ports/care_team_repository.h"
#include "services/common/timestamps.h"
#include "services/partners/ports/partner_link_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryUserRepository final : public UserRepository {
 public:
  explicit InMemoryUserRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::optional<UserRecord>> FindByEmail(std::string_view email) override {
    const std::string wanted = absl::AsciiStrToLower(std::string(email));
    for (const auto& [id, record] : db_.users) {
      if (absl::AsciiStrToLower(record.user.email()) == wanted) {
        return record;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::optional<UserRecord>> FindById(std::string_view user_id) override {
    auto it = db_.users.find(std::string(user_id));
    if (it == db_.users.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::optional<UserRecord>> FindPatientOfClient(
      std::string_view clinic_id, std::string_view client_id) override {
    for (const auto& [id, record] : db_.users) {
      const v1::User& user = record.user;
      if (user.role() == v1::ROLE_PATIENT && user.clinic_id() == clinic_id &&
          user.client_id() == client_id) {
        return record;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::vector<UserRecord>> List(const UserQuery& query) override {
    std::vector<UserRecord> out;
    // std::map iterates in id order, which is the order the port promises.
    for (auto it = db_.users.upper_bound(query.after_id);
         it != db_.users.end() && static_cast<int>(out.size()) < query.limit; ++it) {
      const v1::User& user = it->second.user;
      if (user.clinic_id() != query.clinic_id) {
        continue;
      }
      if (!query.roles.empty() &&
          std::find(query.roles.begin(), query.roles.end(), user.role()) == query.roles.end()) {
        continue;
      }
      out.push_back(it->second);
    }
    return out;
  }
  absl::Status Insert(const UserRecord& record, absl::Time) override {
    if (FindByEmail(record.user.email())->has_value()) {
      return absl::AlreadyExistsError("email taken");
    }
    if (!db_.users.emplace(record.user.id(), record).second) {
      return absl::AlreadyExistsError("user id exists");
    }
    return absl::OkStatus();
  }
  absl::Status UpdatePasswordHash(std::string_view user_id,
                                  std::string_view password_hash) override {
    UserRecord* record = Lookup(user_id);
    if (record == nullptr) {
      return absl::NotFoundError("no such user");
    }
    record->password_hash = std::string(password_hash);
    return absl::OkStatus();
  }
  absl::Status SetActive(std::string_view user_id, bool active, absl::Time) override {
    UserRecord* record = Lookup(user_id);
    if (record == nullptr) {
      return absl::NotFoundError("no such user");
    }
    record->active = active;
    return absl::OkStatus();
  }
  absl::Status UpdateTotpSecrets(std::string_view user_id, std::string_view secret_sealed,
                                 std::string_view pending_sealed) override {
    UserRecord* record = Lookup(user_id);
    if (record == nullptr) {
      return absl::NotFoundError("no such user");
    }
    record->totp_secret_sealed = std::string(secret_sealed);
    record->totp_pending_sealed = std::string(pending_sealed);
    return absl::OkStatus();
  }
  absl::StatusOr<bool> AdvanceTotpStep(std::string_view user_id, int64_t step) override {
    UserRecord* record = Lookup(user_id);
    if (record == nullptr || step <= record->totp_last_step) {
      return false;
    }
    record->totp_last_step = step;
    return true;
  }
  // NOT_FOUND when there is no such account (the SQL adapters fail on the foreign key).
  absl::Status ReplaceRecoveryCodes(std::string_view user_id,
                                    const std::vector<std::string>& code_digests) override {
    if (Lookup(user_id) == nullptr) {
      return absl::NotFoundError("no such user");
    }
    const std::string id(user_id);
    auto& codes = db_.recovery_codes;
    std::erase_if(codes, [&](const auto& code) { return code.first.first == id; });
    for (const std::string& digest : code_digests) {
      codes.insert_or_assign({id, digest}, std::nullopt);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<bool> UseRecoveryCode(std::string_view user_id, std::string_view code_digest,
                                       absl::Time now) override {
    auto it = db_.recovery_codes.find({std::string(user_id), std::string(code_digest)});
    if (it == db_.recovery_codes.end() || it->second.has_value()) {
      return false;
    }
    it->second = now;
    return true;
  }
  absl::StatusOr<int> CountUnusedRecoveryCodes(std::string_view user_id) override {
    return static_cast<int>(std::count_if(
        db_.recovery_codes.begin(), db_.recovery_codes.end(),
        [&](const auto& c) { return c.first.first == user_id && !c.second.has_value(); }));
  }

 private:
  UserRecord* Lookup(std::string_view user_id) {
    auto it = db_.users.find(std::string(user_id));
    return it == db_.users.end() ? nullptr : &it->second;
  }

  InMemoryDatabase& db_;
};

class InMemorySessionRepository final : public SessionRepository {
 public:
  explicit InMemorySessionRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const SessionRecord& session) override {
    if (!db_.sessions.emplace(session.id, session).second) {
      return absl::AlreadyExistsError("session id exists");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<SessionRecord>> FindByDigest(std::string_view digest) override {
    for (const auto& [id, session] : db_.sessions) {
      if (session.token_digest == digest) {
        return session;
      }
    }
    return std::nullopt;
  }
  absl::Status Revoke(std::string_view session_id, absl::Time when) override {
    SessionRecord* session = Lookup(session_id);
    if (session == nullptr) {
      return absl::NotFoundError("session not found");
    }
    if (!session->revoke_time.has_value()) {
      session->revoke_time = when;
    }
    return absl::OkStatus();
  }
  // Live as in ListLiveOfUser: unrevoked and not past the absolute expiry at `when`.
  absl::StatusOr<int> RevokeAllOfUser(std::string_view user_id, std::string_view keep_session_id,
                                      absl::Time when) override {
    int revoked = 0;
    for (auto& [id, session] : db_.sessions) {
      if (session.user_id == user_id && id != keep_session_id && IsLive(session, when)) {
        session.revoke_time = when;
        ++revoked;
      }
    }
    return revoked;
  }
  // Never moves last_seen_time back (concurrent requests may finish out of order); OK when there
  // is no such session, as in the SQL adapters.
  absl::Status Touch(std::string_view session_id, absl::Time when) override {
    SessionRecord* session = Lookup(session_id);
    if (session != nullptr && session->last_seen_time < when) {
      session->last_seen_time = when;
    }
    return absl::OkStatus();
  }
  absl::Status MarkMfaVerified(std::string_view session_id) override {
    SessionRecord* session = Lookup(session_id);
    if (session == nullptr) {
      return absl::NotFoundError("session not found");
    }
    session->mfa_verified = true;
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<SessionRecord>> ListLiveOfUser(std::string_view user_id,
                                                            absl::Time now) override {
    std::vector<SessionRecord> out;
    for (const auto& [id, session] : db_.sessions) {
      if (session.user_id == user_id && IsLive(session, now)) {
        out.push_back(session);
      }
    }
    std::sort(out.begin(), out.end(), [](const SessionRecord& a, const SessionRecord& b) {
      return std::tie(a.create_time, a.id) > std::tie(b.create_time, b.id);
    });
    if (out.size() > kMaxListed) {
      out.resize(kMaxListed);
    }
    return out;
  }

 private:
  static constexpr size_t kMaxListed = 100;

  static bool IsLive(const SessionRecord& session, absl::Time now) {
    return !session.revoke_time.has_value() && session.expire_time > now;
  }
  SessionRecord* Lookup(std::string_view session_id) {
    auto it = db_.sessions.find(std::string(session_id));
    return it == db_.sessions.end() ? nullptr : &it->second;
  }

  InMemoryDatabase& db_;
};

class InMemorySignInThrottleRepository final : public SignInThrottleRepository {
 public:
  explicit InMemorySignInThrottleRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::optional<ThrottleRecord>> Find(std::string_view key) override {
    auto it = db_.sign_in_throttle.find(std::string(key));
    if (it == db_.sign_in_throttle.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::Status Put(const ThrottleRecord& record) override {
    db_.sign_in_throttle.insert_or_assign(record.key, record);
    return absl::OkStatus();
  }
  absl::Status Clear(std::string_view key) override {
    db_.sign_in_throttle.erase(std::string(key));
    return absl::OkStatus();
  }

  absl::Status ForgetOlderThan(absl::Time cutoff) override {
    for (auto it = db_.sign_in_throttle.begin(); it != db_.sign_in_throttle.end();) {
      const bool old = it->second.last_failure_time < cutoff && it->second.locked_until < cutoff;
      it = old ? db_.sign_in_throttle.erase(it) : std::next(it);
    }
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

class InMemoryOneTimeTokenRepository final : public OneTimeTokenRepository {
 public:
  explicit InMemoryOneTimeTokenRepository(InMemoryDatabase& db) : db_(db) {}

  // ALREADY_EXISTS on a duplicate id or token digest (both are unique in the schema). Stores the
  // email lowercase, as the SQL adapters do.
  absl::Status Insert(const OneTimeTokenRecord& record) override {
    if (FindByDigest(record.token_digest)->has_value()) {
      return absl::AlreadyExistsError("token digest exists");
    }
    OneTimeTokenRecord stored = record;
    stored.email = absl::AsciiStrToLower(stored.email);
    if (!db_.one_time_tokens.emplace(stored.id, std::move(stored)).second) {
      return absl::AlreadyExistsError("token id exists");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<OneTimeTokenRecord>> FindByDigest(std::string_view digest) override {
    for (const auto& [id, token] : db_.one_time_tokens) {
      if (token.token_digest == digest) {
        return token;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<bool> MarkUsed(std::string_view id, absl::Time when) override {
    auto it = db_.one_time_tokens.find(std::string(id));
    if (it == db_.one_time_tokens.end() || it->second.use_time.has_value() ||
        it->second.revoke_time.has_value()) {
      return false;
    }
    it->second.use_time = when;
    return true;
  }
  // Tokens already revoked keep their first revoke time. Emails compare lowercase.
  // INVALID_ARGUMENT as in the SQL adapters.
  absl::Status RevokeOutstanding(const OneTimeTokenRecord& like, absl::Time when) override {
    if (like.clinic_id.empty() ||
        (like.client_id.empty() && like.user_id.empty() && like.email.empty())) {
      return absl::InvalidArgumentError(
          "revoking tokens needs a clinic and a client, user or email");
    }
    const std::string wanted_email = absl::AsciiStrToLower(like.email);
    for (auto& [id, token] : db_.one_time_tokens) {
      if (token.purpose != like.purpose || token.clinic_id != like.clinic_id ||
          token.use_time.has_value() || token.revoke_time.has_value()) {
        continue;
      }
      const bool matches = !like.client_id.empty() ? token.client_id == like.client_id
                           : !like.user_id.empty() ? token.user_id == like.user_id
                                                   : token.email == wanted_email;
      if (matches) {
        token.revoke_time = when;
      }
    }
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

// Works on the care team stored in the client records (client.care_team()), so what it changes
// is what ClientRepository::Find, List and FindAccessFacts see.
class InMemoryCareTeamRepository final : public CareTeamRepository {
 public:
  explicit InMemoryCareTeamRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::vector<CareTeamMemberRecord>> List(std::string_view client_id) override {
    std::vector<CareTeamMemberRecord> out;
    const ClientRecord* record = Lookup(client_id);
    if (record == nullptr) {
      return out;
    }
    for (const v1::CareTeamMember& member : record->client.care_team()) {
      auto added = db_.care_team_added_times.find({record->client.id(), member.user_id()});
      out.push_back(CareTeamMemberRecord{
          .client_id = record->client.id(),
          .user_id = member.user_id(),
          .is_primary = member.primary(),
          .added_time = added != db_.care_team_added_times.end()
                            ? added->second
                            : FromTimestamp(record->client.create_time()),
      });
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.user_id < b.user_id; });
    return out;
  }
  // NOT_FOUND when there is no such client (the SQL adapters fail on the foreign key). Adding a
  // primary member demotes the previous one, keeping at most one primary.
  absl::Status Add(const CareTeamMemberRecord& member) override {
    ClientRecord* record = Lookup(member.client_id);
    if (record == nullptr) {
      return absl::NotFoundError("client not found");
    }
    v1::Client& client = record->client;
    if (IndexOf(client, member.user_id) >= 0) {
      return absl::AlreadyExistsError("already on the care team");
    }
    if (member.is_primary) {
      for (v1::CareTeamMember& other : *client.mutable_care_team()) {
        other.set_primary(false);
      }
    }
    v1::CareTeamMember* added = client.add_care_team();
    added->set_user_id(member.user_id);
    added->set_primary(member.is_primary);
    // As the SQL adapters' join with users fills it in.
    if (auto user = db_.users.find(member.user_id); user != db_.users.end()) {
      added->set_display_name(user->second.user.display_name());
    }
    db_.care_team_added_times.insert_or_assign({member.client_id, member.user_id},
                                               member.added_time);
    return absl::OkStatus();
  }
  absl::Status Remove(std::string_view client_id, std::string_view user_id) override {
    ClientRecord* record = Lookup(client_id);
    const int index = record == nullptr ? -1 : IndexOf(record->client, user_id);
    if (index < 0) {
      return absl::NotFoundError("not on the care team");
    }
    record->client.mutable_care_team()->DeleteSubrange(index, 1);
    db_.care_team_added_times.erase({std::string(client_id), std::string(user_id)});
    return absl::OkStatus();
  }
  absl::Status SetPrimary(std::string_view client_id, std::string_view user_id) override {
    ClientRecord* record = Lookup(client_id);
    if (record == nullptr || IndexOf(record->client, user_id) < 0) {
      return absl::NotFoundError("not on the care team");
    }
    for (v1::CareTeamMember& member : *record->client.mutable_care_team()) {
      member.set_primary(member.user_id() == user_id);
    }
    return absl::OkStatus();
  }

 private:
  // Client ids are unique across clinics, so the id alone finds the record.
  ClientRecord* Lookup(std::string_view client_id) {
    auto it = db_.clients.find(std::string(client_id));
    return it == db_.clients.end() ? nullptr : &it->second;
  }
  static int IndexOf(const v1::Client& client, std::string_view user_id) {
    for (int i = 0; i < client.care_team_size(); ++i) {
      if (client.care_team(i).user_id() == user_id) {
        return i;
      }
    }
    return -1;
  }

  InMemoryDatabase& db_;
};

class InMemoryPartnerLinkRepository final : public PartnerLinkRepository {
 public:
  explicit InMemoryPartnerLinkRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const PartnerLinkRecord& record) override {
    if (!db_.partner_links.emplace(record.id, record).second) {
      return absl::AlreadyExistsError("partner link id exists");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<PartnerLinkRecord>> Find(std::string_view clinic_id,
                                                        std::string_view link_id) override {
    auto it = db_.partner_links.find(std::string(link_id));
    if (it == db_.partner_links.end() || it->second.clinic_id != clinic_id) {
      return std::nullopt;
    }
    return it->second;
  }
  // When (against the service's rules) there are several, the newest, as in the SQL adapters.
  absl::StatusOr<std::optional<PartnerLinkRecord>> FindLiveOfPartner(
      std::string_view partner_user_id) override {
    const PartnerLinkRecord* newest = nullptr;
    for (const auto& [id, link] : db_.partner_links) {
      if (link.partner_user_id == partner_user_id && !link.revoke_time.has_value() &&
          (newest == nullptr ||
           std::tie(link.create_time, link.id) > std::tie(newest->create_time, newest->id))) {
        newest = &link;
      }
    }
    if (newest == nullptr) {
      return std::nullopt;
    }
    return *newest;
  }
  absl::StatusOr<std::vector<PartnerLinkRecord>> ListOfClient(std::string_view clinic_id,
                                                              std::string_view client_id) override {
    std::vector<PartnerLinkRecord> out;
    // std::map iterates in id order, which is the order the port promises.
    for (const auto& [id, link] : db_.partner_links) {
      if (link.clinic_id == clinic_id && link.client_id == client_id) {
        out.push_back(link);
      }
    }
    return out;
  }
  absl::Status UpdateShares(std::string_view link_id, uint32_t shares, absl::Time now) override {
    auto it = db_.partner_links.find(std::string(link_id));
    if (it == db_.partner_links.end() || it->second.revoke_time.has_value()) {
      return absl::NotFoundError("no live partner link");
    }
    it->second.shares = shares;
    it->second.update_time = now;
    return absl::OkStatus();
  }
  // The first revoke also sets update_time; OK when there is no such link, as in the SQL
  // adapters.
  absl::Status Revoke(std::string_view link_id, absl::Time now) override {
    auto it = db_.partner_links.find(std::string(link_id));
    if (it != db_.partner_links.end() && !it->second.revoke_time.has_value()) {
      it->second.revoke_time = now;
      it->second.update_time = now;
    }
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

class InMemoryBreakGlassRepository final : public BreakGlassRepository {
 public:
  explicit InMemoryBreakGlassRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const BreakGlassRecord& record) override {
    if (!db_.break_glass_grants.emplace(record.id, record).second) {
      return absl::AlreadyExistsError("break-glass grant id exists");
    }
    return absl::OkStatus();
  }
  // Live: created at or before `now` and expiring after it.
  absl::StatusOr<std::optional<absl::Time>> LiveUntil(std::string_view user_id,
                                                      std::string_view client_id,
                                                      absl::Time now) override {
    std::optional<absl::Time> until;
    for (const auto& [id, grant] : db_.break_glass_grants) {
      if (grant.user_id == user_id && grant.client_id == client_id && grant.create_time <= now &&
          grant.expire_time > now && (!until.has_value() || grant.expire_time > *until)) {
        until = grant.expire_time;
      }
    }
    return until;
  }
  // Ids sort in creation order (UUIDv7), so newest first is descending id order, which the
  // before_id cursor relies on.
  absl::StatusOr<std::vector<BreakGlassRecord>> List(const BreakGlassQuery& query) override {
    std::vector<BreakGlassRecord> out;
    for (auto it = db_.break_glass_grants.rbegin();
         it != db_.break_glass_grants.rend() && static_cast<int>(out.size()) < query.limit; ++it) {
      const BreakGlassRecord& grant = it->second;
      if (grant.clinic_id != query.clinic_id ||
          (!query.client_id.empty() && grant.client_id != query.client_id) ||
          (!query.before_id.empty() && grant.id >= query.before_id)) {
        continue;
      }
      out.push_back(grant);
    }
    return out;
  }

 private:
  InMemoryDatabase& db_;
};

// Outbound messages in send order (create time, then id), as the SQL adapters list them.
class InMemoryOutbox final : public Outbox {
 public:
  explicit InMemoryOutbox(InMemoryDatabase& db) : db_(db) {}

  absl::Status Enqueue(const OutboundMessage& message) override {
    if (!db_.outbox.emplace(message.id, message).second) {
      return absl::AlreadyExistsError("duplicate message id");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<OutboundMessage>> ListPending(int limit) override {
    std::vector<OutboundMessage> pending;
    for (const auto& [id, message] : db_.outbox) {
      if (!message.sent_time.has_value()) {
        pending.push_back(message);
      }
    }
    std::sort(pending.begin(), pending.end(),
              [](const OutboundMessage& a, const OutboundMessage& b) {
                return std::tie(a.create_time, a.id) < std::tie(b.create_time, b.id);
              });
    if (static_cast<int>(pending.size()) > limit) {
      pending.resize(limit);
    }
    return pending;
  }

  absl::StatusOr<bool> MarkSent(std::string_view id, absl::Time when) override {
    auto it = db_.outbox.find(std::string(id));
    if (it == db_.outbox.end() || it->second.sent_time.has_value()) {
      return false;
    }
    it->second.sent_time = when;
    return true;
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
