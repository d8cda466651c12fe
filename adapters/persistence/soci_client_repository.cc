#include "adapters/persistence/soci_client_repository.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "services/common/timestamps.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kColumns[] =
    "id, clinic_id, legal_given_name, legal_family_name, preferred_name, pronouns, "
    "date_of_birth, email, phone, no_clinic_name_in_messages, voicemail_ok, "
    "safe_times_to_call, preferred_channel, emergency_name, emergency_relationship, "
    "emergency_phone, referral_source, presenting_concern, presenting_concern_other, status, "
    "version, create_time, update_time";

// One row of `clients` as soci binds it: every column has a typed variable, so neither
// backend's integer width matters (DESIGN.md: never read with the row API).
struct ClientRow {
  std::string id, clinic_id, legal_given_name, legal_family_name, preferred_name, pronouns,
      date_of_birth, email, phone, safe_times_to_call, emergency_name, emergency_relationship,
      emergency_phone, referral_source, presenting_concern_other;
  int no_clinic_name_in_messages = 0, voicemail_ok = 0, preferred_channel = 0,
      presenting_concern = 0, status = 0;
  long long version = 0, create_time = 0, update_time = 0;

  static ClientRow From(const ClientRecord& record) {
    const v1::Client& c = record.client;
    ClientRow row;
    row.id = c.id();
    row.clinic_id = record.clinic_id;
    row.legal_given_name = c.legal_given_name();
    row.legal_family_name = c.legal_family_name();
    row.preferred_name = c.preferred_name();
    row.pronouns = c.pronouns();
    row.date_of_birth = c.date_of_birth();
    row.email = c.email();
    row.phone = c.phone();
    row.no_clinic_name_in_messages = c.discreet_contact().no_clinic_name_in_messages() ? 1 : 0;
    row.voicemail_ok = c.discreet_contact().voicemail_ok() ? 1 : 0;
    row.safe_times_to_call = c.discreet_contact().safe_times_to_call();
    row.preferred_channel = c.discreet_contact().preferred_channel();
    row.emergency_name = c.emergency_contact().name();
    row.emergency_relationship = c.emergency_contact().relationship();
    row.emergency_phone = c.emergency_contact().phone();
    row.referral_source = c.referral_source();
    row.presenting_concern = c.presenting_concern();
    row.presenting_concern_other = c.presenting_concern_other();
    row.status = c.status();
    row.version = record.version;
    row.create_time = absl::ToUnixMicros(FromTimestamp(c.create_time()));
    row.update_time = absl::ToUnixMicros(FromTimestamp(c.update_time()));
    return row;
  }

  ClientRecord ToRecord() const {
    ClientRecord record;
    record.clinic_id = clinic_id;
    record.version = version;
    v1::Client& c = record.client;
    c.set_id(id);
    c.set_legal_given_name(legal_given_name);
    c.set_legal_family_name(legal_family_name);
    c.set_preferred_name(preferred_name);
    c.set_pronouns(pronouns);
    c.set_date_of_birth(date_of_birth);
    c.set_email(email);
    c.set_phone(phone);
    v1::DiscreetContact* discreet = c.mutable_discreet_contact();
    discreet->set_no_clinic_name_in_messages(no_clinic_name_in_messages != 0);
    discreet->set_voicemail_ok(voicemail_ok != 0);
    discreet->set_safe_times_to_call(safe_times_to_call);
    discreet->set_preferred_channel(static_cast<v1::ContactChannel>(preferred_channel));
    v1::EmergencyContact* emergency = c.mutable_emergency_contact();
    emergency->set_name(emergency_name);
    emergency->set_relationship(emergency_relationship);
    emergency->set_phone(emergency_phone);
    c.set_referral_source(referral_source);
    c.set_presenting_concern(static_cast<v1::PresentingConcern>(presenting_concern));
    c.set_presenting_concern_other(presenting_concern_other);
    c.set_status(static_cast<v1::ClientStatus>(status));
    *c.mutable_create_time() = ToTimestamp(absl::FromUnixMicros(create_time));
    *c.mutable_update_time() = ToTimestamp(absl::FromUnixMicros(update_time));
    return record;
  }
};

// Binds every column of `row` as output, in kColumns order.
void BindInto(soci::statement& st, ClientRow& row) {
  st.exchange(soci::into(row.id));
  st.exchange(soci::into(row.clinic_id));
  st.exchange(soci::into(row.legal_given_name));
  st.exchange(soci::into(row.legal_family_name));
  st.exchange(soci::into(row.preferred_name));
  st.exchange(soci::into(row.pronouns));
  st.exchange(soci::into(row.date_of_birth));
  st.exchange(soci::into(row.email));
  st.exchange(soci::into(row.phone));
  st.exchange(soci::into(row.no_clinic_name_in_messages));
  st.exchange(soci::into(row.voicemail_ok));
  st.exchange(soci::into(row.safe_times_to_call));
  st.exchange(soci::into(row.preferred_channel));
  st.exchange(soci::into(row.emergency_name));
  st.exchange(soci::into(row.emergency_relationship));
  st.exchange(soci::into(row.emergency_phone));
  st.exchange(soci::into(row.referral_source));
  st.exchange(soci::into(row.presenting_concern));
  st.exchange(soci::into(row.presenting_concern_other));
  st.exchange(soci::into(row.status));
  st.exchange(soci::into(row.version));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.update_time));
}

// Escapes LIKE wildcards so a name prefix matches literally.
std::string LikePrefix(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// Fills the care teams of `records` with one query (not one per client: a page holds up to 500).
// The IN list has one placeholder per id, so no input is ever spliced into the SQL.
void LoadCareTeams(soci::session& sql, std::vector<ClientRecord>& records) {
  if (records.empty()) {
    return;
  }
  std::map<std::string, v1::Client*> by_id;
  std::vector<std::string> ids;
  ids.reserve(records.size());
  std::string placeholders;
  for (ClientRecord& record : records) {
    by_id[record.client.id()] = &record.client;
    ids.push_back(record.client.id());
    absl::StrAppend(&placeholders, placeholders.empty() ? "" : ", ", ":id", ids.size());
  }
  std::string client_id, user_id, display_name;
  int is_primary = 0;
  soci::statement st(sql);
  st.exchange(soci::into(client_id));
  st.exchange(soci::into(user_id));
  st.exchange(soci::into(display_name));
  st.exchange(soci::into(is_primary));
  for (size_t i = 0; i < ids.size(); ++i) {
    st.exchange(soci::use(ids[i], absl::StrCat("id", i + 1)));
  }
  st.alloc();
  st.prepare(absl::StrCat(
      "SELECT m.client_id, m.user_id, u.display_name, m.is_primary FROM care_team_members m "
      "JOIN users u ON u.id = m.user_id WHERE m.client_id IN (",
      placeholders, ") ORDER BY m.client_id, m.added_time, m.user_id"));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    auto it = by_id.find(client_id);
    if (it == by_id.end()) {
      continue;
    }
    v1::CareTeamMember* member = it->second->add_care_team();
    member->set_user_id(user_id);
    member->set_display_name(display_name);
    member->set_primary(is_primary != 0);
  }
}

}  // namespace

absl::Status SociClientRepository::Insert(const ClientRecord& record,
                                          std::string_view create_request_id) {
  try {
    ClientRow row = ClientRow::From(record);
    std::string request_id(create_request_id);
    sql_ << "INSERT INTO clients (id, clinic_id, legal_given_name, legal_family_name, "
            "preferred_name, pronouns, date_of_birth, email, phone, no_clinic_name_in_messages, "
            "voicemail_ok, safe_times_to_call, preferred_channel, emergency_name, "
            "emergency_relationship, emergency_phone, referral_source, presenting_concern, "
            "presenting_concern_other, status, create_request_id, version, create_time, "
            "update_time) VALUES (:id, :clinic_id, :lgn, :lfn, :pn, :pronouns, :dob, :email, "
            ":phone, :ncn, :vm, :stc, :pc, :en, :er, :ep, :rs, :concern, :concern_other, "
            ":status, :request_id, :version, :create_time, :update_time)",
        soci::use(row.id), soci::use(row.clinic_id), soci::use(row.legal_given_name),
        soci::use(row.legal_family_name), soci::use(row.preferred_name), soci::use(row.pronouns),
        soci::use(row.date_of_birth), soci::use(row.email), soci::use(row.phone),
        soci::use(row.no_clinic_name_in_messages), soci::use(row.voicemail_ok),
        soci::use(row.safe_times_to_call), soci::use(row.preferred_channel),
        soci::use(row.emergency_name), soci::use(row.emergency_relationship),
        soci::use(row.emergency_phone), soci::use(row.referral_source),
        soci::use(row.presenting_concern), soci::use(row.presenting_concern_other),
        soci::use(row.status), soci::use(request_id), soci::use(row.version),
        soci::use(row.create_time), soci::use(row.update_time);
    for (const v1::CareTeamMember& member : record.client.care_team()) {
      std::string user_id = member.user_id();
      int is_primary = member.primary() ? 1 : 0;
      sql_ << "INSERT INTO care_team_members (client_id, user_id, is_primary, added_time) "
              "VALUES (:client_id, :user_id, :is_primary, :added_time)",
          soci::use(row.id), soci::use(user_id), soci::use(is_primary), soci::use(row.create_time);
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "clients.insert");
  }
}

absl::StatusOr<std::optional<ClientRecord>> SociClientRepository::Find(std::string_view clinic_id,
                                                                       std::string_view client_id) {
  try {
    std::string clinic(clinic_id), id(client_id);
    ClientRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic, "clinic_id"));
    st.exchange(soci::use(id, "id"));
    st.alloc();
    st.prepare(absl::StrCat("SELECT ", kColumns,
                            " FROM clients WHERE clinic_id = :clinic_id AND id = :id"));
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    std::vector<ClientRecord> found = {row.ToRecord()};
    LoadCareTeams(sql_, found);
    return std::move(found.front());
  } catch (const std::exception& e) {
    return StatusFromException(e, "clients.find");
  }
}

absl::StatusOr<std::optional<std::string>> SociClientRepository::FindByCreateRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id), id;
    soci::indicator found = soci::i_null;
    sql_ << "SELECT id FROM clients WHERE clinic_id = :clinic_id AND create_request_id = :rid",
        soci::use(clinic), soci::use(request), soci::into(id, found);
    if (!sql_.got_data() || found != soci::i_ok) {
      return std::nullopt;
    }
    return id;
  } catch (const std::exception& e) {
    return StatusFromException(e, "clients.find_by_request");
  }
}

absl::StatusOr<std::optional<ClientAccessFacts>> SociClientRepository::FindAccessFacts(
    std::string_view clinic_id, std::string_view client_id) {
  try {
    std::string clinic(clinic_id), id(client_id), found_id;
    sql_ << "SELECT id FROM clients WHERE clinic_id = :clinic_id AND id = :id", soci::use(clinic),
        soci::use(id), soci::into(found_id);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    ClientAccessFacts facts{.clinic_id = clinic, .client_id = id, .care_team_user_ids = {}};
    std::string user_id;
    soci::statement st = (sql_.prepare << "SELECT user_id FROM care_team_members "
                                          "WHERE client_id = :id",
                          soci::into(user_id), soci::use(id));
    st.execute();
    while (st.fetch()) {
      facts.care_team_user_ids.push_back(user_id);
    }
    return facts;
  } catch (const std::exception& e) {
    return StatusFromException(e, "clients.access_facts");
  }
}

absl::StatusOr<std::vector<ClientRecord>> SociClientRepository::List(const ClientQuery& query) {
  try {
    // Every filter is always in the SQL and switched off by a neutral value, so the statement
    // text is fixed (one prepared plan) and nothing is concatenated from input.
    std::string clinic = query.clinic_id, team_user = query.care_team_user_id,
                only_client = query.only_client_id, after = query.after_id;
    std::string name_like = query.name_prefix.empty() ? "" : LikePrefix(query.name_prefix);
    int status = query.status;
    int exclude_archived = query.exclude_archived ? 1 : 0;
    int archived = v1::CLIENT_STATUS_ARCHIVED;
    int limit = query.limit;
    ClientRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic, "clinic_id"));
    st.exchange(soci::use(after, "after_id"));
    st.exchange(soci::use(status, "status1"));
    st.exchange(soci::use(status, "status2"));
    st.exchange(soci::use(exclude_archived, "exclude_archived"));
    st.exchange(soci::use(archived, "archived"));
    st.exchange(soci::use(team_user, "team1"));
    st.exchange(soci::use(team_user, "team2"));
    st.exchange(soci::use(only_client, "only1"));
    st.exchange(soci::use(only_client, "only2"));
    st.exchange(soci::use(name_like, "name1"));
    st.exchange(soci::use(name_like, "name2"));
    st.exchange(soci::use(name_like, "name3"));
    st.exchange(soci::use(name_like, "name4"));
    st.exchange(soci::use(limit, "limit"));
    st.alloc();
    st.prepare(absl::StrCat("SELECT ", kColumns,
                            " FROM clients c WHERE c.clinic_id = :clinic_id AND c.id > :after_id"
                            " AND (:status1 = 0 OR c.status = :status2)"
                            " AND (:exclude_archived = 0 OR c.status <> :archived)"
                            " AND (:team1 = '' OR EXISTS (SELECT 1 FROM care_team_members m"
                            "      WHERE m.client_id = c.id AND m.user_id = :team2))"
                            " AND (:only1 = '' OR c.id = :only2)"
                            " AND (:name1 = '' OR lower(c.preferred_name) LIKE :name2 ESCAPE '\\'"
                            "      OR lower(c.legal_given_name) LIKE :name3 ESCAPE '\\'"
                            "      OR lower(c.legal_family_name) LIKE :name4 ESCAPE '\\')"
                            " ORDER BY c.id LIMIT :limit"));
    st.define_and_bind();
    std::vector<ClientRecord> records;
    st.execute();
    while (st.fetch()) {
      records.push_back(row.ToRecord());
    }
    LoadCareTeams(sql_, records);
    return records;
  } catch (const std::exception& e) {
    return StatusFromException(e, "clients.list");
  }
}

absl::Status SociClientRepository::Update(const ClientRecord& record, int64_t expected_version) {
  try {
    ClientRow row = ClientRow::From(record);
    long long expected = expected_version;
    soci::statement st =
        (sql_.prepare << "UPDATE clients SET legal_given_name = :lgn, legal_family_name = :lfn, "
                         "preferred_name = :pn, pronouns = :pronouns, date_of_birth = :dob, "
                         "email = :email, phone = :phone, no_clinic_name_in_messages = :ncn, "
                         "voicemail_ok = :vm, safe_times_to_call = :stc, preferred_channel = :pc, "
                         "emergency_name = :en, emergency_relationship = :er, "
                         "emergency_phone = :ep, referral_source = :rs, "
                         "presenting_concern = :concern, presenting_concern_other = :other, "
                         "status = :status, version = :version, update_time = :update_time "
                         "WHERE clinic_id = :clinic_id AND id = :id AND version = :expected",
         soci::use(row.legal_given_name), soci::use(row.legal_family_name),
         soci::use(row.preferred_name), soci::use(row.pronouns), soci::use(row.date_of_birth),
         soci::use(row.email), soci::use(row.phone), soci::use(row.no_clinic_name_in_messages),
         soci::use(row.voicemail_ok), soci::use(row.safe_times_to_call),
         soci::use(row.preferred_channel), soci::use(row.emergency_name),
         soci::use(row.emergency_relationship), soci::use(row.emergency_phone),
         soci::use(row.referral_source), soci::use(row.presenting_concern),
         soci::use(row.presenting_concern_other), soci::use(row.status), soci::use(row.version),
         soci::use(row.update_time), soci::use(row.clinic_id), soci::use(row.id),
         soci::use(expected));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError(
          "etag does not match the stored client: someone changed it; reload and retry");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "clients.update");
  }
}

}  // namespace confide::persistence
