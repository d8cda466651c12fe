#include "adapters/persistence/soci_journal_repository.h"

#include <algorithm>
#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kEntryColumns[] =
    "SELECT id, clinic_id, client_id, write_time, shared_with_care_team, shared_with_partner, "
    "content_sealed, revision, create_time, update_time, request_id FROM journal_entries ";

// The row an entry statement fetches into, bound once per statement.
struct EntryRow {
  JournalEntryRecord record;
  long long write_time = 0;
  int shared_with_care_team = 0;
  int shared_with_partner = 0;
  long long create_time = 0;
  long long update_time = 0;

  JournalEntryRecord Take() {
    JournalEntryRecord out = record;
    out.write_time = absl::FromUnixMicros(write_time);
    out.shared_with_care_team = shared_with_care_team != 0;
    out.shared_with_partner = shared_with_partner != 0;
    out.create_time = absl::FromUnixMicros(create_time);
    out.update_time = absl::FromUnixMicros(update_time);
    return out;
  }
};

void BindEntry(soci::statement& st, EntryRow& row) {
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.write_time));
  st.exchange(soci::into(row.shared_with_care_team));
  st.exchange(soci::into(row.shared_with_partner));
  st.exchange(soci::into(row.record.content_sealed));
  st.exchange(soci::into(row.record.revision));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.update_time));
  st.exchange(soci::into(row.record.request_id));
}

// The entries `audience` may see, as a condition on the listed rows. The sharing flags are
// plain columns so this filter runs in SQL and a page holds `limit` visible entries.
const char* AudienceCondition(JournalAudience audience) {
  switch (audience) {
    case JournalAudience::kOwner:
      return "";
    case JournalAudience::kCareTeam:
      return "AND shared_with_care_team = 1 ";
    case JournalAudience::kPartner:
      return "AND shared_with_partner = 1 ";
  }
  // An audience this build does not know sees nothing.
  return "AND 1 = 0 ";
}

// The stored revision of the entry, or 0 when there is none: tells a refused conditional
// write's NOT_FOUND from its ABORTED.
int StoredRevision(soci::session& sql, const std::string& clinic, const std::string& client,
                   const std::string& id) {
  int revision = 0;
  soci::indicator found = soci::i_null;
  sql << "SELECT revision FROM journal_entries WHERE clinic_id = :clinic_id AND client_id = "
         ":client_id AND id = :id",
      soci::into(revision, found), soci::use(clinic), soci::use(client), soci::use(id);
  return sql.got_data() && found == soci::i_ok ? revision : 0;
}

absl::Status RefusedWrite(soci::session& sql, const std::string& clinic, const std::string& client,
                          const std::string& id) {
  if (StoredRevision(sql, clinic, client, id) == 0) {
    return absl::NotFoundError("journal entry not found");
  }
  return absl::AbortedError("the journal entry was changed since it was read; reload and retry");
}

}  // namespace

absl::Status SociJournalRepository::Insert(const JournalEntryRecord& record) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                content = record.content_sealed, request_id = record.request_id;
    int care_team = record.shared_with_care_team ? 1 : 0,
        partner = record.shared_with_partner ? 1 : 0, revision = record.revision;
    long long write_time = absl::ToUnixMicros(record.write_time),
              create_time = absl::ToUnixMicros(record.create_time),
              update_time = absl::ToUnixMicros(record.update_time);
    sql_ << "INSERT INTO journal_entries (id, clinic_id, client_id, write_time, "
            "shared_with_care_team, shared_with_partner, content_sealed, revision, create_time, "
            "update_time, request_id) VALUES (:id, :clinic_id, :client_id, :write_time, "
            ":care_team, :partner, :content, :revision, :create_time, :update_time, :request_id)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(write_time),
        soci::use(care_team), soci::use(partner), soci::use(content), soci::use(revision),
        soci::use(create_time), soci::use(update_time), soci::use(request_id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "journal_entries.insert");
  }
}

absl::StatusOr<std::optional<JournalEntryRecord>> SociJournalRepository::Find(
    std::string_view clinic_id, std::string_view client_id, std::string_view entry_id) {
  try {
    std::string clinic(clinic_id), client(client_id), id(entry_id);
    EntryRow row;
    soci::statement st(sql_);
    BindEntry(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(id));
    st.alloc();
    st.prepare(std::string(kEntryColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id AND id = :id");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "journal_entries.find");
  }
}

absl::StatusOr<std::optional<JournalEntryRecord>> SociJournalRepository::FindByRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id);
    EntryRow row;
    soci::statement st(sql_);
    BindEntry(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(request));
    st.alloc();
    st.prepare(std::string(kEntryColumns) +
               "WHERE clinic_id = :clinic_id AND request_id = :request_id AND request_id <> ''");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "journal_entries.find_by_request_id");
  }
}

absl::StatusOr<std::vector<JournalEntryRecord>> SociJournalRepository::List(
    std::string_view clinic_id, std::string_view client_id, JournalAudience audience,
    std::optional<absl::Time> after_write_time, std::string_view after_id, int limit) {
  try {
    std::string clinic(clinic_id), client(client_id), after(after_id);
    long long after_time = after_write_time ? absl::ToUnixMicros(*after_write_time) : 0;
    int max_rows = std::max(limit, 0);
    const bool resumes = !after.empty() && after_write_time.has_value();
    EntryRow row;
    soci::statement st(sql_);
    BindEntry(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    if (resumes) {
      st.exchange(soci::use(after_time));
      st.exchange(soci::use(after_time));
      st.exchange(soci::use(after));
    }
    st.exchange(soci::use(max_rows));
    st.alloc();
    // Walks journal_entries_by_client (clinic_id, client_id, write_time, id) backwards from the
    // keyset; the sharing flag is checked on the rows the walk reaches.
    st.prepare(std::string(kEntryColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id " +
               AudienceCondition(audience) +
               (resumes ? "AND (write_time < :after_time1 OR (write_time = :after_time2 AND "
                          "id < :after_id)) "
                        : "") +
               "ORDER BY write_time DESC, id DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<JournalEntryRecord> entries;
    st.execute();
    while (st.fetch()) {
      entries.push_back(row.Take());
    }
    return entries;
  } catch (const std::exception& e) {
    return StatusFromException(e, "journal_entries.list");
  }
}

absl::Status SociJournalRepository::Update(const JournalEntryRecord& next, int expected_revision) {
  try {
    std::string clinic = next.clinic_id, client = next.client_id, id = next.id,
                content = next.content_sealed;
    int care_team = next.shared_with_care_team ? 1 : 0, partner = next.shared_with_partner ? 1 : 0,
        expected = expected_revision, revision = expected_revision + 1;
    long long write_time = absl::ToUnixMicros(next.write_time),
              update_time = absl::ToUnixMicros(next.update_time);
    soci::statement st =
        (sql_.prepare << "UPDATE journal_entries SET write_time = :write_time, "
                         "shared_with_care_team = :care_team, shared_with_partner = :partner, "
                         "content_sealed = :content, revision = :revision, update_time = "
                         ":update_time WHERE clinic_id = :clinic_id AND client_id = :client_id "
                         "AND id = :id AND revision = :expected",
         soci::use(write_time), soci::use(care_team), soci::use(partner), soci::use(content),
         soci::use(revision), soci::use(update_time), soci::use(clinic), soci::use(client),
         soci::use(id), soci::use(expected));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      return absl::OkStatus();
    }
    return RefusedWrite(sql_, clinic, client, id);
  } catch (const std::exception& e) {
    return StatusFromException(e, "journal_entries.update");
  }
}

absl::Status SociJournalRepository::Delete(std::string_view clinic_id, std::string_view client_id,
                                           std::string_view entry_id, int expected_revision) {
  try {
    std::string clinic(clinic_id), client(client_id), id(entry_id);
    int expected = expected_revision;
    soci::statement st =
        (sql_.prepare << "DELETE FROM journal_entries WHERE clinic_id = :clinic_id AND "
                         "client_id = :client_id AND id = :id AND revision = :expected",
         soci::use(clinic), soci::use(client), soci::use(id), soci::use(expected));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      return absl::OkStatus();
    }
    return RefusedWrite(sql_, clinic, client, id);
  } catch (const std::exception& e) {
    return StatusFromException(e, "journal_entries.delete");
  }
}

}  // namespace confide::persistence
