#include "adapters/persistence/soci_assessment_repository.h"

#include <optional>
#include <string>
#include <vector>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kColumns[] =
    "SELECT id, clinic_id, client_id, instrument_id, instrument_version, mode, administered_by, "
    "role, complete_time, request_id, content_sealed FROM assessments ";

// The bound outputs of one row of kColumns.
struct Row {
  AssessmentRecord record;
  int mode = 0;
  int role = 0;
  long long complete_time = 0;

  AssessmentRecord Take() {
    record.mode = static_cast<v1::AdministrationMode>(mode);
    record.role = static_cast<v1::Role>(role);
    record.complete_time = absl::FromUnixMicros(complete_time);
    return record;
  }
};

// Runs `sql` (kColumns plus its WHERE clause) with `params` bound in order and returns every
// row. The statement text is fixed; only values are bound.
std::vector<AssessmentRecord> Select(soci::session& session, const std::string& sql,
                                     std::vector<std::string> params, std::optional<int> limit) {
  Row row;
  soci::statement st(session);
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.instrument_id));
  st.exchange(soci::into(row.record.instrument_version));
  st.exchange(soci::into(row.mode));
  st.exchange(soci::into(row.record.administered_by));
  st.exchange(soci::into(row.role));
  st.exchange(soci::into(row.complete_time));
  st.exchange(soci::into(row.record.request_id));
  st.exchange(soci::into(row.record.content_sealed));
  for (std::string& param : params) {
    st.exchange(soci::use(param));
  }
  int limit_value = limit.value_or(0);
  if (limit.has_value()) {
    st.exchange(soci::use(limit_value));
  }
  st.alloc();
  st.prepare(std::string(kColumns) + sql);
  st.define_and_bind();
  std::vector<AssessmentRecord> records;
  st.execute();
  while (st.fetch()) {
    records.push_back(row.Take());
  }
  return records;
}

}  // namespace

absl::Status SociAssessmentRepository::Insert(const AssessmentRecord& record) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                instrument_id = record.instrument_id,
                instrument_version = record.instrument_version,
                administered_by = record.administered_by, request_id = record.request_id,
                content_sealed = record.content_sealed;
    int mode = record.mode, role = record.role;
    long long complete_time = absl::ToUnixMicros(record.complete_time);
    sql_ << "INSERT INTO assessments (id, clinic_id, client_id, instrument_id, "
            "instrument_version, mode, administered_by, role, complete_time, request_id, "
            "content_sealed) VALUES (:id, :clinic_id, :client_id, :instrument_id, "
            ":instrument_version, :mode, :administered_by, :role, :complete_time, :request_id, "
            ":content_sealed)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(instrument_id),
        soci::use(instrument_version), soci::use(mode), soci::use(administered_by), soci::use(role),
        soci::use(complete_time), soci::use(request_id), soci::use(content_sealed);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "assessments.insert");
  }
}

absl::StatusOr<std::optional<AssessmentRecord>> SociAssessmentRepository::Find(
    std::string_view clinic_id, std::string_view client_id, std::string_view id) {
  try {
    std::vector<AssessmentRecord> rows =
        Select(sql_, "WHERE clinic_id = :clinic_id AND client_id = :client_id AND id = :id",
               {std::string(clinic_id), std::string(client_id), std::string(id)}, std::nullopt);
    if (rows.empty()) {
      return std::nullopt;
    }
    return rows.front();
  } catch (const std::exception& e) {
    return StatusFromException(e, "assessments.find");
  }
}

absl::StatusOr<std::optional<AssessmentRecord>> SociAssessmentRepository::FindByRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  if (request_id.empty()) {
    return std::nullopt;
  }
  try {
    std::vector<AssessmentRecord> rows =
        Select(sql_, "WHERE clinic_id = :clinic_id AND request_id = :request_id",
               {std::string(clinic_id), std::string(request_id)}, std::nullopt);
    if (rows.empty()) {
      return std::nullopt;
    }
    return rows.front();
  } catch (const std::exception& e) {
    return StatusFromException(e, "assessments.find_by_request_id");
  }
}

absl::StatusOr<std::vector<AssessmentRecord>> SociAssessmentRepository::List(
    const AssessmentQuery& query) {
  try {
    // Every filter is always in the SQL and switched off by an empty value, so the statement
    // text is fixed and nothing is concatenated from input.
    return Select(sql_,
                  "WHERE clinic_id = :clinic_id AND client_id = :client_id "
                  "AND (:instrument1 = '' OR instrument_id = :instrument2) "
                  "AND (:before1 = '' OR id < :before2) ORDER BY id DESC LIMIT :limit",
                  {query.clinic_id, query.client_id, query.instrument_id, query.instrument_id,
                   query.before_id, query.before_id},
                  query.limit);
  } catch (const std::exception& e) {
    return StatusFromException(e, "assessments.list");
  }
}

}  // namespace confide::persistence
