#include "adapters/persistence/soci_progression_suggestion_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

// v1::SuggestionStatus values the queries name.
constexpr int kPending = 1;
constexpr int kDeclined = 3;
constexpr int kSuperseded = 4;

constexpr char kColumns[] =
    "SELECT id, clinic_id, client_id, programme_id, programme_version, item_id, direction, "
    "from_size, to_size, sessions_at_size, window_sessions, window_max_pain, window_max_anxiety, "
    "practice_log_id, status, create_time, decided_by_user_id, decide_time, accepted_version "
    "FROM progression_suggestions ";

struct SuggestionRow {
  ProgressionSuggestionRecord record;
  long long create_time = 0;
  long long decide_time = 0;

  ProgressionSuggestionRecord Take() const {
    ProgressionSuggestionRecord out = record;
    out.create_time = absl::FromUnixMicros(create_time);
    out.decide_time = decide_time == 0
                          ? std::nullopt
                          : std::optional<absl::Time>(absl::FromUnixMicros(decide_time));
    return out;
  }
};

void Bind(soci::statement& st, SuggestionRow& row) {
  ProgressionSuggestionRecord& r = row.record;
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.clinic_id));
  st.exchange(soci::into(r.client_id));
  st.exchange(soci::into(r.programme_id));
  st.exchange(soci::into(r.programme_version));
  st.exchange(soci::into(r.item_id));
  st.exchange(soci::into(r.direction));
  st.exchange(soci::into(r.from_size));
  st.exchange(soci::into(r.to_size));
  st.exchange(soci::into(r.sessions_at_size));
  st.exchange(soci::into(r.window_sessions));
  st.exchange(soci::into(r.window_max_pain));
  st.exchange(soci::into(r.window_max_anxiety));
  st.exchange(soci::into(r.practice_log_id));
  st.exchange(soci::into(r.status));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(r.decided_by_user_id));
  st.exchange(soci::into(row.decide_time));
  st.exchange(soci::into(r.accepted_version));
}

}  // namespace

absl::Status SociProgressionSuggestionRepository::Insert(
    const ProgressionSuggestionRecord& record) {
  try {
    ProgressionSuggestionRecord r = record;
    long long create_time = absl::ToUnixMicros(r.create_time);
    long long decide_time = r.decide_time ? absl::ToUnixMicros(*r.decide_time) : 0;
    sql_ << "INSERT INTO progression_suggestions (id, clinic_id, client_id, programme_id, "
            "programme_version, item_id, direction, from_size, to_size, sessions_at_size, "
            "window_sessions, window_max_pain, window_max_anxiety, practice_log_id, status, "
            "create_time, decided_by_user_id, decide_time, accepted_version) VALUES (:id, "
            ":clinic_id, :client_id, :programme_id, :programme_version, :item_id, :direction, "
            ":from_size, :to_size, :sessions_at_size, :window_sessions, :window_max_pain, "
            ":window_max_anxiety, :practice_log_id, :status, :create_time, :decided_by, "
            ":decide_time, :accepted_version)",
        soci::use(r.id), soci::use(r.clinic_id), soci::use(r.client_id), soci::use(r.programme_id),
        soci::use(r.programme_version), soci::use(r.item_id), soci::use(r.direction),
        soci::use(r.from_size), soci::use(r.to_size), soci::use(r.sessions_at_size),
        soci::use(r.window_sessions), soci::use(r.window_max_pain), soci::use(r.window_max_anxiety),
        soci::use(r.practice_log_id), soci::use(r.status), soci::use(create_time),
        soci::use(r.decided_by_user_id), soci::use(decide_time), soci::use(r.accepted_version);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.insert");
  }
}

absl::StatusOr<std::optional<ProgressionSuggestionRecord>>
SociProgressionSuggestionRepository::Find(std::string_view clinic_id, std::string_view client_id,
                                          std::string_view suggestion_id) {
  try {
    std::string clinic(clinic_id), client(client_id), id(suggestion_id);
    SuggestionRow row;
    soci::statement st(sql_);
    Bind(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(id));
    st.alloc();
    st.prepare(std::string(kColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id AND id = :id");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.find");
  }
}

absl::StatusOr<std::optional<ProgressionSuggestionRecord>>
SociProgressionSuggestionRepository::FindPending(std::string_view clinic_id,
                                                 std::string_view programme_id,
                                                 std::string_view item_id) {
  try {
    std::string clinic(clinic_id), programme(programme_id), item(item_id);
    SuggestionRow row;
    soci::statement st(sql_);
    Bind(st, row);
    st.exchange(soci::use(programme));
    st.exchange(soci::use(item));
    st.exchange(soci::use(clinic));
    st.alloc();
    // `status = 1` as a literal (PENDING) lets the planner use the partial index
    // progression_suggestions_one_pending.
    st.prepare(std::string(kColumns) +
               "WHERE programme_id = :programme_id AND item_id = :item_id AND status = 1 "
               "AND clinic_id = :clinic_id");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.find_pending");
  }
}

absl::StatusOr<std::vector<ProgressionSuggestionRecord>>
SociProgressionSuggestionRepository::ListOfClient(std::string_view clinic_id,
                                                  std::string_view client_id, int status,
                                                  std::string_view after_id, int limit) {
  try {
    std::string clinic(clinic_id), client(client_id), after(after_id);
    int wanted = status, max_rows = limit;
    SuggestionRow row;
    soci::statement st(sql_);
    Bind(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(wanted));
    st.exchange(soci::use(wanted));
    st.exchange(soci::use(after));
    st.exchange(soci::use(after));
    st.exchange(soci::use(max_rows));
    st.alloc();
    // Ids are UUIDv7: id order is creation order.
    st.prepare(std::string(kColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id "
               "AND (:status1 = 0 OR status = :status2) AND (:after1 = '' OR id < :after2) "
               "ORDER BY id DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<ProgressionSuggestionRecord> out;
    st.execute();
    while (st.fetch()) {
      out.push_back(row.Take());
    }
    return out;
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.list_of_client");
  }
}

absl::Status SociProgressionSuggestionRepository::Decide(
    const ProgressionSuggestionRecord& decided) {
  try {
    std::string clinic = decided.clinic_id, id = decided.id, by = decided.decided_by_user_id;
    int status = decided.status, accepted = decided.accepted_version, pending = kPending;
    long long when = decided.decide_time ? absl::ToUnixMicros(*decided.decide_time) : 0;
    soci::statement st =
        (sql_.prepare
             << "UPDATE progression_suggestions SET status = :status, "
                "decided_by_user_id = :by, decide_time = :when, accepted_version = "
                ":accepted WHERE clinic_id = :clinic_id AND id = :id AND status = :pending",
         soci::use(status), soci::use(by), soci::use(when), soci::use(accepted), soci::use(clinic),
         soci::use(id), soci::use(pending));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      return absl::OkStatus();
    }
    int found = 0;
    sql_ << "SELECT CAST(COUNT(*) AS INTEGER) FROM progression_suggestions WHERE clinic_id = "
            ":clinic_id AND id = :id",
        soci::use(clinic), soci::use(id), soci::into(found);
    if (found == 0) {
      return absl::NotFoundError("suggestion not found");
    }
    return absl::AbortedError("the suggestion was already decided");
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.decide");
  }
}

absl::StatusOr<int> SociProgressionSuggestionRepository::SupersedePending(
    std::string_view clinic_id, std::string_view programme_id, std::string_view item_id) {
  try {
    std::string clinic(clinic_id), programme(programme_id), item(item_id);
    int superseded = kSuperseded;
    soci::statement st =
        (sql_.prepare << "UPDATE progression_suggestions SET status = :superseded "
                         "WHERE programme_id = :programme_id AND item_id = :item_id "
                         "AND status = 1 AND clinic_id = :clinic_id",
         soci::use(superseded), soci::use(programme), soci::use(item), soci::use(clinic));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.supersede_pending");
  }
}

absl::StatusOr<int> SociProgressionSuggestionRepository::CountPendingOfClient(
    std::string_view clinic_id, std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    int count = 0;
    sql_ << "SELECT CAST(COUNT(*) AS INTEGER) FROM progression_suggestions "
            "WHERE clinic_id = :clinic_id AND client_id = :client_id AND status = 1",
        soci::use(clinic), soci::use(client), soci::into(count);
    return count;
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.count_pending_of_client");
  }
}

absl::StatusOr<std::optional<absl::Time>> SociProgressionSuggestionRepository::LatestDeclineTime(
    std::string_view clinic_id, std::string_view client_id, std::string_view programme_id,
    std::string_view item_id, int from_size) {
  try {
    std::string clinic(clinic_id), client(client_id), programme(programme_id), item(item_id);
    int size = from_size, declined = kDeclined;
    long long latest = 0;
    soci::indicator ind = soci::i_ok;
    sql_ << "SELECT CAST(MAX(decide_time) AS BIGINT) FROM progression_suggestions "
            "WHERE clinic_id = :clinic_id AND client_id = :client_id "
            "AND programme_id = :programme_id AND item_id = :item_id AND from_size = :size "
            "AND status = :declined",
        soci::use(clinic), soci::use(client), soci::use(programme), soci::use(item),
        soci::use(size), soci::use(declined), soci::into(latest, ind);
    if (ind == soci::i_null || latest == 0) {
      return std::nullopt;
    }
    return absl::FromUnixMicros(latest);
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.latest_decline_time");
  }
}

// One range of progression_suggestions_by_client (clinic, client, id).
absl::StatusOr<int> SociProgressionSuggestionRepository::DeleteAllOfClient(
    std::string_view clinic_id, std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    soci::statement st =
        (sql_.prepare << "DELETE FROM progression_suggestions WHERE clinic_id = :clinic_id AND "
                         "client_id = :client_id",
         soci::use(clinic), soci::use(client));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  } catch (const std::exception& e) {
    return StatusFromException(e, "progression_suggestions.delete_all_of_client");
  }
}

}  // namespace confide::persistence
