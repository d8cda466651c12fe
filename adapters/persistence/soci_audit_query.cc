#include "adapters/persistence/soci_audit_query.h"

#include <algorithm>
#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kColumns[] =
    "SELECT e.seq, e.id, e.time, e.actor_user_id, e.actor_role, e.clinic_id, e.action, "
    "e.resource, e.client_id, e.outcome, e.status_code, e.request_id, e.source_address, "
    "e.break_glass, e.detail, "
    // Per clinic the batches tile the seq line, so the first batch ending at or after the
    // event's seq is the one that sealed it (none yet: 0).
    "COALESCE((SELECT b.batch_no FROM audit_batches b WHERE b.clinic_id = e.clinic_id AND "
    "b.seq_through >= e.seq ORDER BY b.seq_through LIMIT 1), 0) "
    "FROM audit_events e ";

// The filter's values, at stable addresses for soci to bind, and the SQL naming exactly the
// filters that are set. Only fixed fragments are concatenated; every value is bound.
struct BoundQuery {
  std::string clinic, actor, client, action, outcome;
  long long start_time = 0, end_time = 0, before_time = 0, before_seq = 0;
  int limit = 0;
  std::string text;

  explicit BoundQuery(const AuditEventFilter& filter)
      : clinic(filter.clinic_id),
        actor(filter.actor_user_id),
        client(filter.client_id),
        action(filter.action),
        outcome(filter.outcome),
        limit(std::max(filter.limit, 0)) {
    text = std::string(kColumns) + "WHERE e.clinic_id = :clinic";
    if (!actor.empty()) {
      text += " AND e.actor_user_id = :actor";
    }
    if (!client.empty()) {
      text += " AND e.client_id = :client";
    }
    if (!action.empty()) {
      text += " AND e.action = :action";
    }
    if (!outcome.empty()) {
      text += " AND e.outcome = :outcome";
    }
    if (filter.break_glass_only) {
      text += " AND e.break_glass = 1";
    }
    if (filter.start_time) {
      start_time = absl::ToUnixMicros(*filter.start_time);
      text += " AND e.time >= :start_time";
    }
    if (filter.end_time) {
      end_time = absl::ToUnixMicros(*filter.end_time);
      text += " AND e.time < :end_time";
    }
    if (filter.before_time) {
      // The row value is the keyset; the plain bound on time lets either planner start the
      // backward index scan at the position.
      before_time = absl::ToUnixMicros(*filter.before_time);
      before_seq = filter.before_seq;
      text += " AND e.time <= :before_time1 AND (e.time, e.seq) < (:before_time2, :before_seq)";
    }
    text += " ORDER BY e.time DESC, e.seq DESC LIMIT :limit";
  }

  // Binds the values in the order their placeholders appear in `text`.
  void Bind(soci::statement& st, const AuditEventFilter& filter) {
    st.exchange(soci::use(clinic));
    if (!actor.empty()) {
      st.exchange(soci::use(actor));
    }
    if (!client.empty()) {
      st.exchange(soci::use(client));
    }
    if (!action.empty()) {
      st.exchange(soci::use(action));
    }
    if (!outcome.empty()) {
      st.exchange(soci::use(outcome));
    }
    if (filter.start_time) {
      st.exchange(soci::use(start_time));
    }
    if (filter.end_time) {
      st.exchange(soci::use(end_time));
    }
    if (filter.before_time) {
      st.exchange(soci::use(before_time));
      st.exchange(soci::use(before_time));
      st.exchange(soci::use(before_seq));
    }
    st.exchange(soci::use(limit));
  }
};

}  // namespace

absl::StatusOr<std::vector<AuditEventRow>> QueryAuditEvents(soci::session& sql,
                                                            const AuditEventFilter& filter) {
  try {
    BoundQuery query(filter);
    AuditEvent e;
    long long seq = 0, time = 0, batch_no = 0;
    int break_glass = 0;
    soci::statement st(sql);
    st.exchange(soci::into(seq));
    st.exchange(soci::into(e.id));
    st.exchange(soci::into(time));
    st.exchange(soci::into(e.actor_user_id));
    st.exchange(soci::into(e.actor_role));
    st.exchange(soci::into(e.clinic_id));
    st.exchange(soci::into(e.action));
    st.exchange(soci::into(e.resource));
    st.exchange(soci::into(e.client_id));
    st.exchange(soci::into(e.outcome));
    st.exchange(soci::into(e.status_code));
    st.exchange(soci::into(e.request_id));
    st.exchange(soci::into(e.source_address));
    st.exchange(soci::into(break_glass));
    st.exchange(soci::into(e.detail));
    st.exchange(soci::into(batch_no));
    query.Bind(st, filter);
    st.alloc();
    st.prepare(query.text);
    st.define_and_bind();
    std::vector<AuditEventRow> rows;
    st.execute();
    while (st.fetch()) {
      AuditEventRow row;
      row.event = e;
      row.event.seq = seq;
      row.event.time = absl::FromUnixMicros(time);
      row.event.break_glass = break_glass != 0;
      row.batch_no = batch_no;
      rows.push_back(std::move(row));
    }
    return rows;
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_events.query");
  }
}

absl::StatusOr<std::vector<std::string>> ExplainAuditQuery(soci::session& sql,
                                                           const AuditEventFilter& filter) {
  try {
    BoundQuery query(filter);
    const bool sqlite = sql.get_backend_name() == "sqlite3";
    std::vector<std::string> lines;
    soci::statement st(sql);
    if (sqlite) {
      // EXPLAIN QUERY PLAN rows: id, parent, notused, detail.
      int id = 0, parent = 0, unused = 0;
      std::string detail;
      st.exchange(soci::into(id));
      st.exchange(soci::into(parent));
      st.exchange(soci::into(unused));
      st.exchange(soci::into(detail));
      query.Bind(st, filter);
      st.alloc();
      st.prepare("EXPLAIN QUERY PLAN " + query.text);
      st.define_and_bind();
      st.execute();
      while (st.fetch()) {
        lines.push_back(detail);
      }
    } else {
      std::string line;
      st.exchange(soci::into(line));
      query.Bind(st, filter);
      st.alloc();
      st.prepare("EXPLAIN " + query.text);
      st.define_and_bind();
      st.execute();
      while (st.fetch()) {
        lines.push_back(line);
      }
    }
    return lines;
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_events.explain");
  }
}

}  // namespace confide::persistence
