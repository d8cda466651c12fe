#include "adapters/persistence/soci_audit_trail_repository.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_audit_query.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

// The columns of an audit_events row in the order AuditEventReader binds them.
constexpr char kEventColumns[] =
    "seq, id, time, actor_user_id, actor_role, clinic_id, action, resource, client_id, outcome, "
    "status_code, request_id, source_address, break_glass, detail";

// Binds a statement's first columns (kEventColumns) to one event. BIGINT columns read through
// long long so SQLite and PostgreSQL agree.
class AuditEventReader {
 public:
  // Call before binding the statement's other intos and its uses.
  void Bind(soci::statement& st) {
    st.exchange(soci::into(seq_));
    st.exchange(soci::into(event_.id));
    st.exchange(soci::into(time_));
    st.exchange(soci::into(event_.actor_user_id));
    st.exchange(soci::into(event_.actor_role));
    st.exchange(soci::into(event_.clinic_id));
    st.exchange(soci::into(event_.action));
    st.exchange(soci::into(event_.resource));
    st.exchange(soci::into(event_.client_id));
    st.exchange(soci::into(event_.outcome));
    st.exchange(soci::into(event_.status_code));
    st.exchange(soci::into(event_.request_id));
    st.exchange(soci::into(event_.source_address));
    st.exchange(soci::into(break_glass_));
    st.exchange(soci::into(event_.detail));
  }
  AuditEvent Current() const {
    AuditEvent event = event_;
    event.seq = seq_;
    event.time = absl::FromUnixMicros(time_);
    event.break_glass = break_glass_ != 0;
    return event;
  }

 private:
  AuditEvent event_;
  long long seq_ = 0;
  long long time_ = 0;
  int break_glass_ = 0;
};

constexpr char kBatchColumns[] =
    "clinic_id, batch_no, seq_after, seq_through, leaf_count, tree_size, root_hash, prev_hash, "
    "header_hash, seal_time, key_id, signature, first_event_time, last_event_time, sealed_by";

// Binds a statement's first columns (kBatchColumns) to one batch header.
class AuditBatchReader {
 public:
  void Bind(soci::statement& st) {
    st.exchange(soci::into(header_.clinic_id));
    st.exchange(soci::into(batch_no_));
    st.exchange(soci::into(seq_after_));
    st.exchange(soci::into(seq_through_));
    st.exchange(soci::into(leaf_count_));
    st.exchange(soci::into(tree_size_));
    st.exchange(soci::into(header_.root_hash));
    st.exchange(soci::into(header_.prev_hash));
    st.exchange(soci::into(header_.header_hash));
    st.exchange(soci::into(seal_time_));
    st.exchange(soci::into(header_.key_id));
    st.exchange(soci::into(header_.signature));
    st.exchange(soci::into(first_event_time_));
    st.exchange(soci::into(last_event_time_));
    st.exchange(soci::into(header_.sealed_by));
  }
  AuditBatchHeader Current() const {
    AuditBatchHeader header = header_;
    header.batch_no = batch_no_;
    header.seq_after = seq_after_;
    header.seq_through = seq_through_;
    header.leaf_count = leaf_count_;
    header.tree_size = tree_size_;
    header.seal_time = absl::FromUnixMicros(seal_time_);
    header.first_event_time = absl::FromUnixMicros(first_event_time_);
    header.last_event_time = absl::FromUnixMicros(last_event_time_);
    return header;
  }

 private:
  AuditBatchHeader header_;
  long long batch_no_ = 0;
  long long seq_after_ = 0;
  long long seq_through_ = 0;
  long long leaf_count_ = 0;
  long long tree_size_ = 0;
  long long seal_time_ = 0;
  long long first_event_time_ = 0;
  long long last_event_time_ = 0;
};

// Runs `query` (selecting kEventColumns first) with `bind_uses` binding its placeholders.
template <typename BindUses>
std::vector<AuditEvent> FetchEvents(soci::session& sql, const std::string& query,
                                    BindUses bind_uses) {
  std::vector<AuditEvent> events;
  AuditEventReader reader;
  soci::statement st(sql);
  st.alloc();
  reader.Bind(st);
  bind_uses(st);
  st.prepare(query);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    events.push_back(reader.Current());
  }
  return events;
}

template <typename BindUses>
std::vector<AuditBatchHeader> FetchBatches(soci::session& sql, const std::string& query,
                                           BindUses bind_uses) {
  std::vector<AuditBatchHeader> batches;
  AuditBatchReader reader;
  soci::statement st(sql);
  st.alloc();
  reader.Bind(st);
  bind_uses(st);
  st.prepare(query);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    batches.push_back(reader.Current());
  }
  return batches;
}

bool IsPostgres(soci::session& sql) { return sql.get_backend_name() == "postgresql"; }

// Reads one BIGINT-or-NULL result through long long with an indicator.
std::optional<int64_t> OptionalInt(long long value, soci::indicator ind) {
  if (ind != soci::i_ok) {
    return std::nullopt;
  }
  return static_cast<int64_t>(value);
}

// One batch number (a MIN or MAX aggregate over the clinic's batches at a time bound), or
// nullopt when no batch qualifies. `query` binds :clinic and :time.
std::optional<int64_t> BatchNumberAt(soci::session& sql, const std::string& query,
                                     std::string_view clinic_id, absl::Time time) {
  std::string clinic(clinic_id);
  long long micros = absl::ToUnixMicros(time);
  long long batch_no = 0;
  soci::indicator ind = soci::i_null;
  sql << query, soci::use(clinic), soci::use(micros), soci::into(batch_no, ind);
  return OptionalInt(batch_no, ind);
}

// The first batch of a result, or nullopt.
std::optional<AuditBatchHeader> FirstOf(std::vector<AuditBatchHeader> batches) {
  if (batches.empty()) {
    return std::nullopt;
  }
  return std::move(batches.front());
}

}  // namespace

absl::StatusOr<int64_t> SociAuditTrailRepository::CommittedHorizon() {
  try {
    if (IsPostgres(sql_)) {
      // SHARE conflicts with the ROW EXCLUSIVE lock every INSERT holds until its commit: once
      // granted, no append that took a sequence value is still in flight, so every seq at or
      // below max(seq) is committed (or rolled back for good). While it waits, new appends queue
      // behind it, so the wait is bounded: past it the round fails (UNAVAILABLE) and the sealer
      // tries again at its next interval.
      sql_ << "SET LOCAL lock_timeout = '2s'";
      sql_ << "LOCK TABLE audit_events IN SHARE MODE";
    }
    long long horizon = 0;
    sql_ << "SELECT COALESCE(MAX(seq), 0) FROM audit_events", soci::into(horizon);
    return static_cast<int64_t>(horizon);
  } catch (const std::exception& e) {
    if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e);
        pg != nullptr && pg->sqlstate() == "55P03") {
      return absl::UnavailableError("appends in flight held the audit trail; sealing later");
    }
    return StatusFromException(e, "audit_trail.committed_horizon");
  }
}

absl::StatusOr<int64_t> SociAuditTrailRepository::LockSealedThrough() {
  try {
    long long sealed = 0;
    if (IsPostgres(sql_)) {
      sql_ << "SELECT sealed_through_seq FROM audit_seal_state WHERE id = 1 FOR UPDATE",
          soci::into(sealed);
    } else {
      // The write transaction already excludes every other writer.
      sql_ << "SELECT sealed_through_seq FROM audit_seal_state WHERE id = 1", soci::into(sealed);
    }
    if (!sql_.got_data()) {
      return absl::InternalError("audit_seal_state has no row");
    }
    return static_cast<int64_t>(sealed);
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.lock_sealed_through");
  }
}

absl::Status SociAuditTrailRepository::SetSealedThrough(int64_t seq) {
  try {
    long long value = seq;
    sql_ << "UPDATE audit_seal_state SET sealed_through_seq = :seq WHERE id = 1", soci::use(value);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.set_sealed_through");
  }
}

absl::StatusOr<std::vector<AuditEvent>> SociAuditTrailRepository::EventsToSeal(int64_t after,
                                                                               int64_t through,
                                                                               int limit) {
  try {
    long long lo = after, hi = through;
    int lim = limit;
    return FetchEvents(sql_,
                       absl::StrCat("SELECT ", kEventColumns,
                                    " FROM audit_events WHERE seq > :lo AND seq <= :hi "
                                    "ORDER BY seq LIMIT :lim"),
                       [&](soci::statement& st) {
                         st.exchange(soci::use(lo));
                         st.exchange(soci::use(hi));
                         st.exchange(soci::use(lim));
                       });
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.events_to_seal");
  }
}

absl::StatusOr<std::optional<AuditBatchHeader>> SociAuditTrailRepository::LastBatch(
    std::string_view clinic_id) {
  try {
    std::string clinic(clinic_id);
    std::vector<AuditBatchHeader> batches =
        FetchBatches(sql_,
                     absl::StrCat("SELECT ", kBatchColumns,
                                  " FROM audit_batches WHERE clinic_id = :clinic "
                                  "ORDER BY batch_no DESC LIMIT 1"),
                     [&](soci::statement& st) { st.exchange(soci::use(clinic)); });
    return FirstOf(std::move(batches));
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.last_batch");
  }
}

absl::Status SociAuditTrailRepository::InsertBatch(const AuditBatchHeader& header) {
  try {
    AuditBatchHeader h = header;  // soci binds by non-const reference
    long long batch_no = h.batch_no, seq_after = h.seq_after, seq_through = h.seq_through,
              leaf_count = h.leaf_count, tree_size = h.tree_size,
              seal_time = absl::ToUnixMicros(h.seal_time),
              first_event_time = absl::ToUnixMicros(h.first_event_time),
              last_event_time = absl::ToUnixMicros(h.last_event_time);
    sql_ << "INSERT INTO audit_batches (clinic_id, batch_no, seq_after, seq_through, leaf_count, "
            "tree_size, root_hash, prev_hash, header_hash, seal_time, key_id, signature, "
            "first_event_time, last_event_time, sealed_by) VALUES (:clinic, :batch_no, "
            ":seq_after, :seq_through, :leaf_count, :tree_size, :root_hash, :prev_hash, "
            ":header_hash, :seal_time, :key_id, :signature, :first_event_time, :last_event_time, "
            ":sealed_by)",
        soci::use(h.clinic_id), soci::use(batch_no), soci::use(seq_after), soci::use(seq_through),
        soci::use(leaf_count), soci::use(tree_size), soci::use(h.root_hash), soci::use(h.prev_hash),
        soci::use(h.header_hash), soci::use(seal_time), soci::use(h.key_id), soci::use(h.signature),
        soci::use(first_event_time), soci::use(last_event_time), soci::use(h.sealed_by);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.insert_batch");
  }
}

absl::StatusOr<std::vector<std::string>> SociAuditTrailRepository::ClinicIds() {
  try {
    std::vector<std::string> ids;
    std::string id;
    // DISTINCT over the (clinic_id, seq) index; batches cover clinics whose events were pruned.
    soci::statement st = (sql_.prepare << "SELECT DISTINCT clinic_id FROM audit_events UNION "
                                          "SELECT DISTINCT clinic_id FROM audit_batches "
                                          "ORDER BY 1",
                          soci::into(id));
    st.execute();
    while (st.fetch()) {
      ids.push_back(id);
    }
    return ids;
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.clinic_ids");
  }
}

absl::StatusOr<std::vector<AuditBatchHeader>> SociAuditTrailRepository::ListBatches(
    std::string_view clinic_id, int64_t from_batch_no, int limit) {
  try {
    std::string clinic(clinic_id);
    long long from = from_batch_no;
    int lim = limit;
    return FetchBatches(sql_,
                        absl::StrCat("SELECT ", kBatchColumns,
                                     " FROM audit_batches WHERE clinic_id = :clinic AND "
                                     "batch_no >= :from_no ORDER BY batch_no LIMIT :lim"),
                        [&](soci::statement& st) {
                          st.exchange(soci::use(clinic));
                          st.exchange(soci::use(from));
                          st.exchange(soci::use(lim));
                        });
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.list_batches");
  }
}

absl::StatusOr<std::optional<AuditBatchHeader>> SociAuditTrailRepository::FindBatch(
    std::string_view clinic_id, int64_t batch_no) {
  try {
    std::string clinic(clinic_id);
    long long no = batch_no;
    std::vector<AuditBatchHeader> batches =
        FetchBatches(sql_,
                     absl::StrCat("SELECT ", kBatchColumns,
                                  " FROM audit_batches WHERE clinic_id = :clinic AND "
                                  "batch_no = :batch_no"),
                     [&](soci::statement& st) {
                       st.exchange(soci::use(clinic));
                       st.exchange(soci::use(no));
                     });
    return FirstOf(std::move(batches));
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.find_batch");
  }
}

absl::StatusOr<std::optional<int64_t>> SociAuditTrailRepository::FirstBatchEndingAtOrAfter(
    std::string_view clinic_id, absl::Time time) {
  try {
    return BatchNumberAt(sql_,
                         "SELECT MIN(batch_no) FROM audit_batches WHERE clinic_id = :clinic AND "
                         "last_event_time >= :time",
                         clinic_id, time);
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.first_batch_ending_at_or_after");
  }
}

absl::StatusOr<std::optional<int64_t>> SociAuditTrailRepository::LastBatchStartingBefore(
    std::string_view clinic_id, absl::Time time) {
  try {
    return BatchNumberAt(sql_,
                         "SELECT MAX(batch_no) FROM audit_batches WHERE clinic_id = :clinic AND "
                         "first_event_time < :time",
                         clinic_id, time);
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.last_batch_starting_before");
  }
}

absl::StatusOr<std::vector<AuditEvent>> SociAuditTrailRepository::ClinicEventsInRange(
    std::string_view clinic_id, int64_t after, int64_t through, int limit) {
  try {
    std::string clinic(clinic_id);
    long long lo = after, hi = through;
    int lim = limit;
    return FetchEvents(sql_,
                       absl::StrCat("SELECT ", kEventColumns,
                                    " FROM audit_events WHERE clinic_id = :clinic AND seq > :lo "
                                    "AND seq <= :hi ORDER BY seq LIMIT :lim"),
                       [&](soci::statement& st) {
                         st.exchange(soci::use(clinic));
                         st.exchange(soci::use(lo));
                         st.exchange(soci::use(hi));
                         st.exchange(soci::use(lim));
                       });
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.clinic_events_in_range");
  }
}

absl::StatusOr<std::vector<AuditEventRow>> SociAuditTrailRepository::Query(
    const AuditEventFilter& filter) {
  return QueryAuditEvents(sql_, filter);
}

absl::StatusOr<std::optional<AuditPruneRecord>> SociAuditTrailRepository::LastPrune(
    std::string_view clinic_id) {
  try {
    std::string clinic(clinic_id);
    long long through_batch_no = 0, through_seq = 0, prune_time = 0;
    std::string archive_sha256;
    soci::statement st =
        (sql_.prepare << "SELECT through_batch_no, through_seq, archive_sha256, prune_time FROM "
                         "audit_prunes WHERE clinic_id = :clinic ORDER BY through_batch_no DESC "
                         "LIMIT 1",
         soci::use(clinic), soci::into(through_batch_no), soci::into(through_seq),
         soci::into(archive_sha256), soci::into(prune_time));
    st.execute();
    if (!st.fetch()) {
      return std::nullopt;
    }
    return AuditPruneRecord{.clinic_id = clinic,
                            .through_batch_no = through_batch_no,
                            .through_seq = through_seq,
                            .archive_sha256 = archive_sha256,
                            .prune_time = absl::FromUnixMicros(prune_time)};
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.last_prune");
  }
}

absl::StatusOr<int64_t> SociAuditTrailRepository::Prune(const AuditPruneRecord& record) {
  try {
    std::string clinic = record.clinic_id;
    long long through_batch_no = record.through_batch_no;
    long long through_seq = record.through_seq;
    std::string archive_sha256 = record.archive_sha256;
    long long prune_time = absl::ToUnixMicros(record.prune_time);
    // The record first: the triggers allow deleting exactly the events it covers.
    sql_ << "INSERT INTO audit_prunes (clinic_id, through_batch_no, through_seq, archive_sha256, "
            "prune_time) VALUES (:clinic, :batch_no, :seq, :sha, :time)",
        soci::use(clinic), soci::use(through_batch_no), soci::use(through_seq),
        soci::use(archive_sha256), soci::use(prune_time);
    soci::statement st =
        (sql_.prepare << "DELETE FROM audit_events WHERE clinic_id = :clinic AND seq <= :seq",
         soci::use(clinic), soci::use(through_seq));
    st.execute(true);
    return static_cast<int64_t>(st.get_affected_rows());
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_trail.prune");
  }
}

}  // namespace confide::persistence
