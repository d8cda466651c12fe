#include "adapters/persistence/soci_practice_log_repository.h"

#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

// Done sessions are FULLY (1) or PARTLY (2); SKIPPED (3) counts as not done. Literals, so the
// planner sees them as constants.
constexpr char kDone[] = "completion IN (1, 2)";

constexpr char kColumns[] =
    "SELECT id, clinic_id, client_id, programme_id, programme_version, item_id, practiced_at, "
    "local_date, duration_minutes, completion, dilator_size, pain, anxiety, feelings_sealed, "
    "suggestion_id, recorded_by_user_id, create_time, request_id FROM practice_logs ";

struct LogRow {
  PracticeLogRecord record;
  long long practiced_at = 0;
  long long create_time = 0;

  PracticeLogRecord Take() const {
    PracticeLogRecord out = record;
    out.practiced_at = absl::FromUnixMicros(practiced_at);
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

void Bind(soci::statement& st, LogRow& row) {
  PracticeLogRecord& r = row.record;
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.clinic_id));
  st.exchange(soci::into(r.client_id));
  st.exchange(soci::into(r.programme_id));
  st.exchange(soci::into(r.programme_version));
  st.exchange(soci::into(r.item_id));
  st.exchange(soci::into(row.practiced_at));
  st.exchange(soci::into(r.local_date));
  st.exchange(soci::into(r.duration_minutes));
  st.exchange(soci::into(r.completion));
  st.exchange(soci::into(r.dilator_size));
  st.exchange(soci::into(r.pain));
  st.exchange(soci::into(r.anxiety));
  st.exchange(soci::into(r.feelings_sealed));
  st.exchange(soci::into(r.suggestion_id));
  st.exchange(soci::into(r.recorded_by_user_id));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(r.request_id));
}

}  // namespace

// The aggregate statements. Each reads one index range; the persistence test EXPLAINs these very
// strings on both dialects (tests/persistence/practice_log_repository_test.cc).

// One range of practice_logs_by_item_day (programme, item, local_date, completion, pain,
// anxiety, clinic), already in local_date order, so the grouping needs no sort; the index holds
// every column read, so no table row is touched.
const std::string& SociPracticeLogRepository::DailyTotalsSql() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT local_date, "
      "CAST(SUM(CASE WHEN ",
      kDone,
      " THEN 1 ELSE 0 END) AS INTEGER), "
      "CAST(SUM(CASE WHEN completion = 3 THEN 1 ELSE 0 END) AS INTEGER), "
      "CAST(SUM(CASE WHEN ",
      kDone,
      " AND pain >= 0 THEN pain ELSE 0 END) AS INTEGER), "
      "CAST(SUM(CASE WHEN ",
      kDone,
      " AND pain >= 0 THEN 1 ELSE 0 END) AS INTEGER), "
      "CAST(SUM(CASE WHEN ",
      kDone,
      " AND anxiety >= 0 THEN anxiety ELSE 0 END) AS INTEGER), "
      "CAST(SUM(CASE WHEN ",
      kDone,
      " AND anxiety >= 0 THEN 1 ELSE 0 END) AS INTEGER), "
      "CAST(MAX(CASE WHEN ",
      kDone,
      " THEN pain ELSE -1 END) AS INTEGER), "
      "CAST(SUM(CASE WHEN ",
      kDone,
      " AND pain = 0 THEN 1 ELSE 0 END) AS INTEGER) "
      "FROM practice_logs WHERE programme_id = :programme_id AND item_id = :item_id "
      "AND local_date >= :from_date AND local_date <= :to_date AND clinic_id = :clinic_id "
      "GROUP BY local_date ORDER BY local_date"));
  return *sql;
}

// A range of practice_logs_by_item_size (programme, item, dilator_size, practiced_at, completion,
// local_date, clinic), which holds every column read: the groups come in size order; the
// handful of result rows is then sorted by first use.
const std::string& SociPracticeLogRepository::SizeTotalsSql() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT dilator_size, MIN(local_date), MAX(local_date), CAST(MIN(practiced_at) AS BIGINT), "
      "CAST(COUNT(*) AS INTEGER), CAST(COUNT(DISTINCT local_date) AS INTEGER) FROM practice_logs "
      "WHERE programme_id = :programme_id AND item_id = :item_id AND dilator_size > 0 AND ",
      kDone,
      " AND clinic_id = :clinic_id GROUP BY dilator_size ORDER BY MIN(practiced_at), "
      "dilator_size"));
  return *sql;
}

// The (programme, item, size) range of practice_logs_by_item_size, create_time checked per row
// (the sessions at one size are few).
const std::string& SociPracticeLogRepository::CountAtSizeSql() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT CAST(COUNT(*) AS INTEGER) FROM practice_logs WHERE programme_id = :programme_id "
      "AND item_id = :item_id AND dilator_size = :size AND create_time >= :since AND ",
      kDone, " AND clinic_id = :clinic_id"));
  return *sql;
}

// The same range read backwards in practice order: stops after `latest` matching rows.
const std::string& SociPracticeLogRepository::LatestAtSizeSql() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT practiced_at, pain, anxiety FROM practice_logs WHERE programme_id = :programme_id "
      "AND item_id = :item_id AND dilator_size = :size AND create_time >= :since AND ",
      kDone, " AND clinic_id = :clinic_id ORDER BY practiced_at DESC LIMIT :latest"));
  return *sql;
}

// The last entry of practice_logs_by_client's (clinic, client) range.
const std::string& SociPracticeLogRepository::LatestPracticeTimeSql() {
  static const std::string* sql = new std::string(
      "SELECT CAST(MAX(practiced_at) AS BIGINT) FROM practice_logs "
      "WHERE clinic_id = :clinic_id AND client_id = :client_id");
  return *sql;
}

// The (clinic, client, practiced_at in [start, end)) range of practice_logs_by_client.
const std::string& SociPracticeLogRepository::PainTotalsSql() {
  static const std::string* sql = new std::string(
      absl::StrCat("SELECT CAST(COALESCE(SUM(pain), 0) AS INTEGER), CAST(COUNT(*) AS INTEGER) "
                   "FROM practice_logs WHERE clinic_id = :clinic_id AND client_id = :client_id "
                   "AND practiced_at >= :start AND practiced_at < :end AND pain >= 0 AND ",
                   kDone));
  return *sql;
}

absl::Status SociPracticeLogRepository::Insert(const PracticeLogRecord& record) {
  try {
    PracticeLogRecord r = record;
    long long practiced_at = absl::ToUnixMicros(r.practiced_at),
              create_time = absl::ToUnixMicros(r.create_time);
    sql_ << "INSERT INTO practice_logs (id, clinic_id, client_id, programme_id, programme_version, "
            "item_id, practiced_at, local_date, duration_minutes, completion, dilator_size, pain, "
            "anxiety, feelings_sealed, suggestion_id, recorded_by_user_id, create_time, "
            "request_id) VALUES (:id, :clinic_id, :client_id, :programme_id, :programme_version, "
            ":item_id, :practiced_at, :local_date, :duration, :completion, :size, :pain, "
            ":anxiety, :feelings, :suggestion_id, :recorded_by, :create_time, :request_id)",
        soci::use(r.id), soci::use(r.clinic_id), soci::use(r.client_id), soci::use(r.programme_id),
        soci::use(r.programme_version), soci::use(r.item_id), soci::use(practiced_at),
        soci::use(r.local_date), soci::use(r.duration_minutes), soci::use(r.completion),
        soci::use(r.dilator_size), soci::use(r.pain), soci::use(r.anxiety),
        soci::use(r.feelings_sealed), soci::use(r.suggestion_id), soci::use(r.recorded_by_user_id),
        soci::use(create_time), soci::use(r.request_id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.insert");
  }
}

absl::StatusOr<std::optional<PracticeLogRecord>> SociPracticeLogRepository::FindByRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id);
    LogRow row;
    soci::statement st(sql_);
    Bind(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(request));
    st.alloc();
    st.prepare(std::string(kColumns) + "WHERE clinic_id = :clinic_id AND request_id = :request_id");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.find_by_request_id");
  }
}

absl::StatusOr<std::vector<PracticeLogRecord>> SociPracticeLogRepository::List(
    const PracticeLogQuery& query) {
  try {
    std::string clinic = query.clinic_id, client = query.client_id, programme = query.programme_id,
                item = query.item_id, after_id = query.after_id;
    long long start =
        query.start ? absl::ToUnixMicros(*query.start) : std::numeric_limits<long long>::min();
    long long end =
        query.end ? absl::ToUnixMicros(*query.end) : std::numeric_limits<long long>::max();
    long long after_at = query.after_practiced_at && !after_id.empty()
                             ? absl::ToUnixMicros(*query.after_practiced_at)
                             : 0;
    int max_rows = query.limit;
    LogRow row;
    soci::statement st(sql_);
    Bind(st, row);
    // Only the conditions in use, so each variant's plan is a plain range on
    // practice_logs_by_client.
    std::string where = "WHERE clinic_id = :clinic_id AND client_id = :client_id";
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    if (!programme.empty()) {
      where += " AND programme_id = :programme_id";
      st.exchange(soci::use(programme));
    }
    if (!item.empty()) {
      where += " AND item_id = :item_id";
      st.exchange(soci::use(item));
    }
    if (query.start) {
      where += " AND practiced_at >= :start";
      st.exchange(soci::use(start));
    }
    if (query.end) {
      where += " AND practiced_at < :end";
      st.exchange(soci::use(end));
    }
    if (!after_id.empty()) {
      where += " AND (practiced_at < :after_at1 OR (practiced_at = :after_at2 AND id < :after_id))";
      st.exchange(soci::use(after_at));
      st.exchange(soci::use(after_at));
      st.exchange(soci::use(after_id));
    }
    st.exchange(soci::use(max_rows));
    st.alloc();
    st.prepare(std::string(kColumns) + where + " ORDER BY practiced_at DESC, id DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<PracticeLogRecord> out;
    st.execute();
    while (st.fetch()) {
      out.push_back(row.Take());
    }
    return out;
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.list");
  }
}

absl::StatusOr<std::vector<PracticeDayTotals>> SociPracticeLogRepository::DailyTotals(
    std::string_view clinic_id, std::string_view programme_id, std::string_view item_id,
    std::string_view from_date, std::string_view to_date) {
  try {
    std::string clinic(clinic_id), programme(programme_id), item(item_id), from(from_date),
        to(to_date.empty() ? std::string("9999-12-31") : std::string(to_date));
    PracticeDayTotals day;
    soci::statement st(sql_);
    st.exchange(soci::into(day.local_date));
    st.exchange(soci::into(day.done));
    st.exchange(soci::into(day.skipped));
    st.exchange(soci::into(day.pain_sum));
    st.exchange(soci::into(day.pain_count));
    st.exchange(soci::into(day.anxiety_sum));
    st.exchange(soci::into(day.anxiety_count));
    st.exchange(soci::into(day.max_pain));
    st.exchange(soci::into(day.pain_free));
    st.exchange(soci::use(programme));
    st.exchange(soci::use(item));
    st.exchange(soci::use(from));
    st.exchange(soci::use(to));
    st.exchange(soci::use(clinic));
    st.alloc();
    st.prepare(DailyTotalsSql());
    st.define_and_bind();
    std::vector<PracticeDayTotals> out;
    st.execute();
    while (st.fetch()) {
      out.push_back(day);
    }
    return out;
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.daily_totals");
  }
}

absl::StatusOr<std::vector<PracticeSizeTotals>> SociPracticeLogRepository::SizeTotals(
    std::string_view clinic_id, std::string_view programme_id, std::string_view item_id) {
  try {
    std::string clinic(clinic_id), programme(programme_id), item(item_id);
    PracticeSizeTotals size;
    long long first_at = 0;
    soci::statement st(sql_);
    st.exchange(soci::into(size.size));
    st.exchange(soci::into(size.first_date));
    st.exchange(soci::into(size.last_date));
    st.exchange(soci::into(first_at));
    st.exchange(soci::into(size.sessions));
    st.exchange(soci::into(size.days));
    st.exchange(soci::use(programme));
    st.exchange(soci::use(item));
    st.exchange(soci::use(clinic));
    st.alloc();
    st.prepare(SizeTotalsSql());
    st.define_and_bind();
    std::vector<PracticeSizeTotals> out;
    st.execute();
    while (st.fetch()) {
      size.first_practiced_at = absl::FromUnixMicros(first_at);
      out.push_back(size);
    }
    return out;
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.size_totals");
  }
}

absl::StatusOr<int> SociPracticeLogRepository::CountAtSize(std::string_view clinic_id,
                                                           std::string_view programme_id,
                                                           std::string_view item_id, int size,
                                                           absl::Time since) {
  try {
    std::string clinic(clinic_id), programme(programme_id), item(item_id);
    int at_size = size, count = 0;
    long long from = absl::ToUnixMicros(since);
    sql_ << CountAtSizeSql(), soci::use(programme), soci::use(item), soci::use(at_size),
        soci::use(from), soci::use(clinic), soci::into(count);
    return count;
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.count_at_size");
  }
}

absl::StatusOr<std::vector<PracticeScore>> SociPracticeLogRepository::LatestAtSize(
    std::string_view clinic_id, std::string_view programme_id, std::string_view item_id, int size,
    absl::Time since, int latest) {
  try {
    std::string clinic(clinic_id), programme(programme_id), item(item_id);
    int at_size = size, max_rows = latest;
    long long from = absl::ToUnixMicros(since), practiced_at = 0;
    PracticeScore score;
    soci::statement st(sql_);
    st.exchange(soci::into(practiced_at));
    st.exchange(soci::into(score.pain));
    st.exchange(soci::into(score.anxiety));
    st.exchange(soci::use(programme));
    st.exchange(soci::use(item));
    st.exchange(soci::use(at_size));
    st.exchange(soci::use(from));
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(max_rows));
    st.alloc();
    st.prepare(LatestAtSizeSql());
    st.define_and_bind();
    std::vector<PracticeScore> out;
    st.execute();
    while (st.fetch()) {
      score.practiced_at = absl::FromUnixMicros(practiced_at);
      out.push_back(score);
    }
    return out;
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.latest_at_size");
  }
}

absl::StatusOr<std::optional<absl::Time>> SociPracticeLogRepository::LatestPracticeTime(
    std::string_view clinic_id, std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    long long latest = 0;
    soci::indicator ind = soci::i_ok;
    sql_ << LatestPracticeTimeSql(), soci::use(clinic), soci::use(client), soci::into(latest, ind);
    if (ind == soci::i_null) {
      return std::nullopt;
    }
    return absl::FromUnixMicros(latest);
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.latest_practice_time");
  }
}

absl::StatusOr<std::pair<int, int>> SociPracticeLogRepository::PainTotals(
    std::string_view clinic_id, std::string_view client_id, absl::Time start, absl::Time end) {
  try {
    std::string clinic(clinic_id), client(client_id);
    long long from = absl::ToUnixMicros(start), to = absl::ToUnixMicros(end);
    int sum = 0, count = 0;
    sql_ << PainTotalsSql(), soci::use(clinic), soci::use(client), soci::use(from), soci::use(to),
        soci::into(sum), soci::into(count);
    return std::make_pair(sum, count);
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.pain_totals");
  }
}

// One range of practice_logs_by_client (clinic, client, ...).
absl::StatusOr<int> SociPracticeLogRepository::DeleteAllOfClient(std::string_view clinic_id,
                                                                 std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    soci::statement st = (sql_.prepare << "DELETE FROM practice_logs WHERE clinic_id = :clinic_id "
                                          "AND client_id = :client_id",
                          soci::use(clinic), soci::use(client));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  } catch (const std::exception& e) {
    return StatusFromException(e, "practice_logs.delete_all_of_client");
  }
}

}  // namespace confide::persistence
