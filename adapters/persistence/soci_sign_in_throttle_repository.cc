#include "adapters/persistence/soci_sign_in_throttle_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::StatusOr<std::optional<ThrottleRecord>> SociSignInThrottleRepository::Find(
    std::string_view key) {
  try {
    std::string throttle_key(key), found_key;
    int failures = 0;
    long long last_failure_time = 0, locked_until = 0;
    sql_ << "SELECT throttle_key, failures, last_failure_time, locked_until "
            "FROM sign_in_throttle WHERE throttle_key = :key",
        soci::use(throttle_key), soci::into(found_key), soci::into(failures),
        soci::into(last_failure_time), soci::into(locked_until);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    return ThrottleRecord{.key = found_key,
                          .failures = failures,
                          .last_failure_time = absl::FromUnixMicros(last_failure_time),
                          .locked_until = absl::FromUnixMicros(locked_until)};
  } catch (const std::exception& e) {
    return StatusFromException(e, "sign_in_throttle.find");
  }
}

absl::Status SociSignInThrottleRepository::Put(const ThrottleRecord& record) {
  try {
    std::string key = record.key;
    int failures = record.failures;
    long long last_failure_time = absl::ToUnixMicros(record.last_failure_time),
              locked_until = absl::ToUnixMicros(record.locked_until);
    // An upsert both dialects accept (SQLite 3.24+, PostgreSQL 9.5+): concurrent failures for
    // one key cannot collide on the primary key.
    sql_ << "INSERT INTO sign_in_throttle (throttle_key, failures, last_failure_time, "
            "locked_until) VALUES (:key, :failures, :last_failure_time, :locked_until) "
            "ON CONFLICT (throttle_key) DO UPDATE SET failures = excluded.failures, "
            "last_failure_time = excluded.last_failure_time, "
            "locked_until = excluded.locked_until",
        soci::use(key), soci::use(failures), soci::use(last_failure_time), soci::use(locked_until);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sign_in_throttle.put");
  }
}

absl::Status SociSignInThrottleRepository::Clear(std::string_view key) {
  try {
    std::string throttle_key(key);
    sql_ << "DELETE FROM sign_in_throttle WHERE throttle_key = :key", soci::use(throttle_key);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sign_in_throttle.clear");
  }
}

absl::Status SociSignInThrottleRepository::ForgetOlderThan(absl::Time cutoff) {
  try {
    long long failed_before = absl::ToUnixMicros(cutoff), locked_before = failed_before;
    sql_ << "DELETE FROM sign_in_throttle WHERE last_failure_time < :failed_before "
            "AND locked_until < :locked_before",
        soci::use(failed_before), soci::use(locked_before);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sign_in_throttle.forget_older_than");
  }
}

}  // namespace confide::persistence
