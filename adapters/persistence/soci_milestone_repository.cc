#include "adapters/persistence/soci_milestone_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kColumns[] =
    "SELECT id, clinic_id, client_id, plan_id, goal_id, recorded_by_user_id, recorded_by_role, "
    "achieved_date, create_time, request_id, title_sealed FROM milestones ";

struct MilestoneRow {
  MilestoneRecord record;
  int role = 0;
  long long create_time = 0;

  MilestoneRecord Take() {
    MilestoneRecord out = record;
    out.recorded_by_role = static_cast<v1::Role>(role);
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

void BindInto(soci::statement& st, MilestoneRow& row) {
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.plan_id));
  st.exchange(soci::into(row.record.goal_id));
  st.exchange(soci::into(row.record.recorded_by_user_id));
  st.exchange(soci::into(row.role));
  st.exchange(soci::into(row.record.achieved_date));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.request_id));
  st.exchange(soci::into(row.record.title_sealed));
}

}  // namespace

absl::Status SociMilestoneRepository::Insert(const MilestoneRecord& record) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                plan_id = record.plan_id, goal_id = record.goal_id,
                recorded_by = record.recorded_by_user_id, achieved_date = record.achieved_date,
                request_id = record.request_id, title = record.title_sealed;
    int role = static_cast<int>(record.recorded_by_role);
    long long create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO milestones (id, clinic_id, client_id, plan_id, goal_id, "
            "recorded_by_user_id, recorded_by_role, achieved_date, create_time, request_id, "
            "title_sealed) VALUES (:id, :clinic_id, :client_id, :plan_id, :goal_id, :recorded_by, "
            ":role, :achieved_date, :create_time, :request_id, :title)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(plan_id),
        soci::use(goal_id), soci::use(recorded_by), soci::use(role), soci::use(achieved_date),
        soci::use(create_time), soci::use(request_id), soci::use(title);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "milestones.insert");
  }
}

absl::StatusOr<std::optional<MilestoneRecord>> SociMilestoneRepository::FindByRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id);
    MilestoneRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(request));
    st.alloc();
    st.prepare(std::string(kColumns) +
               "WHERE clinic_id = :clinic_id AND request_id = :request_id AND request_id <> ''");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "milestones.find_by_request_id");
  }
}

absl::StatusOr<std::vector<std::string>> SociMilestoneRepository::GoalIdsWithMilestone(
    std::string_view clinic_id, std::string_view plan_id) {
  try {
    std::string clinic(clinic_id), plan(plan_id), goal_id;
    soci::statement st =
        (sql_.prepare << "SELECT goal_id FROM milestones WHERE clinic_id = :clinic_id AND "
                         "plan_id = :plan_id AND goal_id <> ''",
         soci::use(clinic), soci::use(plan), soci::into(goal_id));
    st.execute();
    std::vector<std::string> goal_ids;
    while (st.fetch()) {
      goal_ids.push_back(goal_id);
    }
    return goal_ids;
  } catch (const std::exception& e) {
    return StatusFromException(e, "milestones.goal_ids_with_milestone");
  }
}

absl::StatusOr<std::vector<MilestoneRecord>> SociMilestoneRepository::ListOfClient(
    std::string_view clinic_id, std::string_view client_id, std::string_view after_id, int limit) {
  try {
    std::string clinic(clinic_id), client(client_id), after(after_id);
    // The keyset of the page's last row: (achieved date, create time, id).
    std::string after_date;
    long long after_time = 0;
    if (!after.empty()) {
      soci::statement last =
          (sql_.prepare << "SELECT achieved_date, create_time FROM milestones WHERE clinic_id = "
                           ":clinic_id AND client_id = :client_id AND id = :id",
           soci::use(clinic), soci::use(client), soci::use(after), soci::into(after_date),
           soci::into(after_time));
      if (!last.execute(true)) {
        return std::vector<MilestoneRecord>{};
      }
    }
    MilestoneRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    std::string where = "WHERE clinic_id = :clinic_id AND client_id = :client_id ";
    if (!after.empty()) {
      st.exchange(soci::use(after_date));
      st.exchange(soci::use(after_date));
      st.exchange(soci::use(after_time));
      st.exchange(soci::use(after_date));
      st.exchange(soci::use(after_time));
      st.exchange(soci::use(after));
      where +=
          "AND (achieved_date < :d1 OR (achieved_date = :d2 AND create_time < :t2) OR "
          "(achieved_date = :d3 AND create_time = :t3 AND id < :id3)) ";
    }
    int max_rows = limit;
    st.exchange(soci::use(max_rows));
    st.alloc();
    // YYYY-MM-DD sorts as text in date order.
    st.prepare(std::string(kColumns) + where +
               "ORDER BY achieved_date DESC, create_time DESC, id DESC LIMIT :lim");
    st.define_and_bind();
    std::vector<MilestoneRecord> milestones;
    st.execute();
    while (st.fetch()) {
      milestones.push_back(row.Take());
    }
    return milestones;
  } catch (const std::exception& e) {
    return StatusFromException(e, "milestones.list_of_client");
  }
}

}  // namespace confide::persistence
