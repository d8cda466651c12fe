#include "adapters/persistence/soci_intake_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

// The columns as soci binds them: typed locals, times as unix micros (0 = not yet).
struct IntakeRow {
  std::string clinic_id, client_id, reviewed_by_user_id, answers_sealed, clinician_summary_sealed;
  int status = 0;
  long long version = 0, create_time = 0, update_time = 0, submit_time = 0, review_time = 0;

  static IntakeRow From(const IntakeRecord& record) {
    return IntakeRow{
        .clinic_id = record.clinic_id,
        .client_id = record.client_id,
        .reviewed_by_user_id = record.reviewed_by_user_id,
        .answers_sealed = record.answers_sealed,
        .clinician_summary_sealed = record.clinician_summary_sealed,
        .status = static_cast<int>(record.status),
        .version = record.version,
        .create_time = absl::ToUnixMicros(record.create_time),
        .update_time = absl::ToUnixMicros(record.update_time),
        .submit_time = record.submit_time ? absl::ToUnixMicros(*record.submit_time) : 0,
        .review_time = record.review_time ? absl::ToUnixMicros(*record.review_time) : 0};
  }

  IntakeRecord ToRecord() const {
    IntakeRecord record;
    record.clinic_id = clinic_id;
    record.client_id = client_id;
    record.status = static_cast<v1::IntakeStatus>(status);
    record.version = version;
    record.create_time = absl::FromUnixMicros(create_time);
    record.update_time = absl::FromUnixMicros(update_time);
    if (submit_time != 0) {
      record.submit_time = absl::FromUnixMicros(submit_time);
    }
    if (review_time != 0) {
      record.review_time = absl::FromUnixMicros(review_time);
    }
    record.reviewed_by_user_id = reviewed_by_user_id;
    record.answers_sealed = answers_sealed;
    record.clinician_summary_sealed = clinician_summary_sealed;
    return record;
  }
};

}  // namespace

absl::StatusOr<std::optional<IntakeRecord>> SociIntakeRepository::Find(std::string_view clinic_id,
                                                                       std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    IntakeRow row;
    sql_ << "SELECT clinic_id, client_id, status, version, create_time, update_time, "
            "submit_time, review_time, reviewed_by_user_id, answers_sealed, "
            "clinician_summary_sealed FROM intakes WHERE clinic_id = :clinic_id AND "
            "client_id = :client_id",
        soci::into(row.clinic_id), soci::into(row.client_id), soci::into(row.status),
        soci::into(row.version), soci::into(row.create_time), soci::into(row.update_time),
        soci::into(row.submit_time), soci::into(row.review_time),
        soci::into(row.reviewed_by_user_id), soci::into(row.answers_sealed),
        soci::into(row.clinician_summary_sealed), soci::use(clinic), soci::use(client);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    return row.ToRecord();
  } catch (const std::exception& e) {
    return StatusFromException(e, "intakes.find");
  }
}

absl::Status SociIntakeRepository::Insert(const IntakeRecord& record) {
  try {
    IntakeRow row = IntakeRow::From(record);
    sql_ << "INSERT INTO intakes (client_id, clinic_id, status, version, create_time, "
            "update_time, submit_time, review_time, reviewed_by_user_id, answers_sealed, "
            "clinician_summary_sealed) VALUES (:client_id, :clinic_id, :status, :version, "
            ":create_time, :update_time, :submit_time, :review_time, :reviewed_by, "
            ":answers, :summary)",
        soci::use(row.client_id), soci::use(row.clinic_id), soci::use(row.status),
        soci::use(row.version), soci::use(row.create_time), soci::use(row.update_time),
        soci::use(row.submit_time), soci::use(row.review_time), soci::use(row.reviewed_by_user_id),
        soci::use(row.answers_sealed), soci::use(row.clinician_summary_sealed);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "intakes.insert");
  }
}

absl::Status SociIntakeRepository::Update(const IntakeRecord& record, int64_t expected_version) {
  try {
    IntakeRow row = IntakeRow::From(record);
    long long expected = expected_version;
    soci::statement st =
        (sql_.prepare << "UPDATE intakes SET status = :status, version = :version, "
                         "update_time = :update_time, submit_time = :submit_time, "
                         "review_time = :review_time, reviewed_by_user_id = :reviewed_by, "
                         "answers_sealed = :answers, clinician_summary_sealed = :summary "
                         "WHERE clinic_id = :clinic_id AND client_id = :client_id AND "
                         "version = :expected",
         soci::use(row.status), soci::use(row.version), soci::use(row.update_time),
         soci::use(row.submit_time), soci::use(row.review_time), soci::use(row.reviewed_by_user_id),
         soci::use(row.answers_sealed), soci::use(row.clinician_summary_sealed),
         soci::use(row.clinic_id), soci::use(row.client_id), soci::use(expected));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError("intakes.update: the version moved on");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "intakes.update");
  }
}

}  // namespace confide::persistence
