#include "adapters/persistence/soci_plan_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kPlanColumns[] =
    "SELECT id, clinic_id, client_id, latest_version, shared_version, share_time, create_time, "
    "created_by FROM plans ";

constexpr char kVersionColumns[] =
    "SELECT plan_id, version, clinic_id, client_id, author_user_id, create_time, content_sealed "
    "FROM plan_versions ";

// The row a plan statement fetches into, bound once per statement.
struct PlanRow {
  PlanRecord record;
  long long share_time = 0;
  long long create_time = 0;

  PlanRecord Take() {
    PlanRecord out = record;
    out.share_time = share_time == 0 ? std::nullopt
                                     : std::optional<absl::Time>(absl::FromUnixMicros(share_time));
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

struct VersionRow {
  PlanVersionRecord record;
  long long create_time = 0;

  PlanVersionRecord Take() {
    PlanVersionRecord out = record;
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

void BindPlan(soci::statement& st, PlanRow& row) {
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.latest_version));
  st.exchange(soci::into(row.record.shared_version));
  st.exchange(soci::into(row.share_time));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.created_by));
}

void BindVersion(soci::statement& st, VersionRow& row) {
  st.exchange(soci::into(row.record.plan_id));
  st.exchange(soci::into(row.record.version));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.author_user_id));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.content_sealed));
}

}  // namespace

absl::Status SociPlanRepository::Insert(const PlanRecord& record,
                                        std::string_view create_request_id) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                created_by = record.created_by, request_id(create_request_id);
    int latest = record.latest_version, shared = record.shared_version;
    long long share_time = record.share_time ? absl::ToUnixMicros(*record.share_time) : 0,
              create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO plans (id, clinic_id, client_id, latest_version, shared_version, "
            "share_time, create_time, created_by, create_request_id) VALUES (:id, :clinic_id, "
            ":client_id, :latest, :shared, :share_time, :create_time, :created_by, :request_id)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(latest),
        soci::use(shared), soci::use(share_time), soci::use(create_time), soci::use(created_by),
        soci::use(request_id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "plans.insert");
  }
}

absl::Status SociPlanRepository::InsertVersion(const PlanVersionRecord& record) {
  try {
    std::string plan_id = record.plan_id, clinic_id = record.clinic_id,
                client_id = record.client_id, author = record.author_user_id,
                content = record.content_sealed;
    int version = record.version;
    long long create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO plan_versions (plan_id, version, clinic_id, client_id, author_user_id, "
            "create_time, content_sealed) VALUES (:plan_id, :version, :clinic_id, :client_id, "
            ":author, :create_time, :content)",
        soci::use(plan_id), soci::use(version), soci::use(clinic_id), soci::use(client_id),
        soci::use(author), soci::use(create_time), soci::use(content);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "plan_versions.insert");
  }
}

absl::StatusOr<std::optional<PlanRecord>> SociPlanRepository::Find(std::string_view clinic_id,
                                                                   std::string_view client_id,
                                                                   std::string_view plan_id) {
  try {
    std::string clinic(clinic_id), client(client_id), plan(plan_id);
    PlanRow row;
    soci::statement st(sql_);
    BindPlan(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(plan));
    st.alloc();
    st.prepare(std::string(kPlanColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id AND id = :id");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "plans.find");
  }
}

absl::StatusOr<std::optional<PlanRecord>> SociPlanRepository::FindByCreateRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id);
    PlanRow row;
    soci::statement st(sql_);
    BindPlan(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(request));
    st.alloc();
    st.prepare(std::string(kPlanColumns) +
               "WHERE clinic_id = :clinic_id AND create_request_id = :request_id "
               "AND create_request_id <> ''");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "plans.find_by_create_request_id");
  }
}

absl::StatusOr<std::vector<PlanRecord>> SociPlanRepository::ListOfClient(std::string_view clinic_id,
                                                                         std::string_view client_id,
                                                                         std::string_view after_id,
                                                                         int limit) {
  try {
    std::string clinic(clinic_id), client(client_id), after(after_id);
    int max_rows = limit;
    PlanRow row;
    soci::statement st(sql_);
    BindPlan(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(after));
    st.exchange(soci::use(after));
    st.exchange(soci::use(max_rows));
    st.alloc();
    // Ids are UUIDv7: time-ordered, so id order is creation order.
    st.prepare(std::string(kPlanColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id "
               "AND (:after1 = '' OR id < :after2) ORDER BY id DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<PlanRecord> plans;
    st.execute();
    while (st.fetch()) {
      plans.push_back(row.Take());
    }
    return plans;
  } catch (const std::exception& e) {
    return StatusFromException(e, "plans.list_of_client");
  }
}

absl::StatusOr<std::optional<PlanVersionRecord>> SociPlanRepository::FindVersion(
    std::string_view clinic_id, std::string_view plan_id, int version) {
  try {
    std::string clinic(clinic_id), plan(plan_id);
    int wanted = version;
    VersionRow row;
    soci::statement st(sql_);
    BindVersion(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(plan));
    st.exchange(soci::use(wanted));
    st.alloc();
    st.prepare(std::string(kVersionColumns) +
               "WHERE clinic_id = :clinic_id AND plan_id = :plan_id AND version = :version");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "plan_versions.find");
  }
}

absl::StatusOr<std::vector<PlanVersionRecord>> SociPlanRepository::ListVersions(
    std::string_view clinic_id, std::string_view plan_id, int before_version, int limit) {
  try {
    std::string clinic(clinic_id), plan(plan_id);
    int before = before_version, max_rows = limit;
    VersionRow row;
    soci::statement st(sql_);
    BindVersion(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(plan));
    st.exchange(soci::use(before));
    st.exchange(soci::use(before));
    st.exchange(soci::use(max_rows));
    st.alloc();
    st.prepare(std::string(kVersionColumns) +
               "WHERE clinic_id = :clinic_id AND plan_id = :plan_id "
               "AND (:before1 = 0 OR version < :before2) ORDER BY version DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<PlanVersionRecord> versions;
    st.execute();
    while (st.fetch()) {
      versions.push_back(row.Take());
    }
    return versions;
  } catch (const std::exception& e) {
    return StatusFromException(e, "plan_versions.list");
  }
}

absl::Status SociPlanRepository::AdvanceLatest(std::string_view clinic_id, std::string_view plan_id,
                                               int expected, int next) {
  try {
    std::string clinic(clinic_id), plan(plan_id);
    int from = expected, to = next;
    soci::statement st =
        (sql_.prepare << "UPDATE plans SET latest_version = :next WHERE clinic_id = :clinic_id "
                         "AND id = :id AND latest_version = :expected",
         soci::use(to), soci::use(clinic), soci::use(plan), soci::use(from));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      return absl::OkStatus();
    }
    int found = 0;
    sql_ << "SELECT CAST(COUNT(*) AS INTEGER) FROM plans WHERE clinic_id = :clinic_id AND id = :id",
        soci::use(clinic), soci::use(plan), soci::into(found);
    if (found == 0) {
      return absl::NotFoundError("plan not found");
    }
    return absl::AbortedError("the plan has a newer version");
  } catch (const std::exception& e) {
    return StatusFromException(e, "plans.advance_latest");
  }
}

absl::Status SociPlanRepository::SetShared(std::string_view clinic_id, std::string_view plan_id,
                                           int version, absl::Time share_time) {
  try {
    std::string clinic(clinic_id), plan(plan_id);
    int shared = version;
    long long when = absl::ToUnixMicros(share_time);
    soci::statement st =
        (sql_.prepare << "UPDATE plans SET shared_version = :version, share_time = :share_time "
                         "WHERE clinic_id = :clinic_id AND id = :id",
         soci::use(shared), soci::use(when), soci::use(clinic), soci::use(plan));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return absl::NotFoundError("plan not found");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "plans.set_shared");
  }
}

}  // namespace confide::persistence
