#include "services/programmes/practice_log_store.h"

#include <utility>

#include "services/common/timestamps.h"

namespace confide {
namespace {

constexpr std::string_view kLogsTable = "practice_logs";
constexpr std::string_view kFeelingsColumn = "feelings";

}  // namespace

absl::StatusOr<std::string> SealFeelings(ClientDataCipher& cipher, UnitOfWork& uow,
                                         std::string_view clinic_id, std::string_view client_id,
                                         std::string_view log_id, std::string_view feelings) {
  return cipher.Seal(uow, clinic_id, client_id, FieldLocation{kLogsTable, kFeelingsColumn, log_id},
                     feelings);
}

absl::StatusOr<v1::PracticeLog> OpenPracticeLog(ClientDataCipher& cipher, UnitOfWork& uow,
                                                const PracticeLogRecord& record, bool for_patient) {
  v1::PracticeLog log;
  log.set_id(record.id);
  log.set_client_id(record.client_id);
  log.set_programme_id(record.programme_id);
  log.set_programme_version(record.programme_version);
  log.set_item_id(record.item_id);
  *log.mutable_practiced_at() = ToTimestamp(record.practiced_at);
  log.set_duration_minutes(record.duration_minutes);
  log.set_completion(static_cast<v1::PracticeCompletion>(record.completion));
  log.set_dilator_size(record.dilator_size);
  if (record.pain >= 0) {
    log.set_pain(record.pain);
  }
  if (record.anxiety >= 0) {
    log.set_anxiety(record.anxiety);
  }
  if (!record.feelings_sealed.empty()) {
    absl::StatusOr<std::string> feelings =
        cipher.Open(uow, record.clinic_id, record.client_id,
                    FieldLocation{kLogsTable, kFeelingsColumn, record.id}, record.feelings_sealed);
    if (!feelings.ok()) {
      return feelings.status();
    }
    log.set_feelings(*std::move(feelings));
  }
  log.set_local_date(record.local_date);
  *log.mutable_create_time() = ToTimestamp(record.create_time);
  if (!for_patient) {
    log.set_suggestion_id(record.suggestion_id);
  }
  return log;
}

v1::ProgressionSuggestion ProgressionSuggestionOf(const ProgressionSuggestionRecord& r) {
  v1::ProgressionSuggestion s;
  s.set_id(r.id);
  s.set_client_id(r.client_id);
  s.set_programme_id(r.programme_id);
  s.set_programme_version(r.programme_version);
  s.set_item_id(r.item_id);
  s.set_direction(static_cast<v1::ProgressionDirection>(r.direction));
  s.set_from_size(r.from_size);
  s.set_to_size(r.to_size);
  s.set_sessions_at_size(r.sessions_at_size);
  s.set_window_sessions(r.window_sessions);
  s.set_window_max_pain(r.window_max_pain);
  s.set_window_max_anxiety(r.window_max_anxiety);
  s.set_practice_log_id(r.practice_log_id);
  s.set_status(static_cast<v1::SuggestionStatus>(r.status));
  *s.mutable_create_time() = ToTimestamp(r.create_time);
  s.set_decided_by_user_id(r.decided_by_user_id);
  if (r.decide_time.has_value()) {
    *s.mutable_decide_time() = ToTimestamp(*r.decide_time);
  }
  s.set_accepted_version(r.accepted_version);
  return s;
}

}  // namespace confide
