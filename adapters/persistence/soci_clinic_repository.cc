#include "adapters/persistence/soci_clinic_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociClinicRepository::Insert(const ClinicRecord& clinic, absl::Time now) {
  try {
    std::string id = clinic.id, name = clinic.name;
    int is_demo = clinic.is_demo ? 1 : 0;
    long long create_time = absl::ToUnixMicros(now);
    sql_ << "INSERT INTO clinics (id, name, is_demo, create_time) "
            "VALUES (:id, :name, :is_demo, :create_time)",
        soci::use(id), soci::use(name), soci::use(is_demo), soci::use(create_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "clinics.insert");
  }
}

absl::StatusOr<std::optional<ClinicRecord>> SociClinicRepository::Find(std::string_view clinic_id) {
  try {
    std::string key(clinic_id);
    ClinicRecord clinic;
    int is_demo = 0;
    sql_ << "SELECT id, name, is_demo FROM clinics WHERE id = :id", soci::use(key),
        soci::into(clinic.id), soci::into(clinic.name), soci::into(is_demo);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    clinic.is_demo = is_demo != 0;
    return clinic;
  } catch (const std::exception& e) {
    return StatusFromException(e, "clinics.find");
  }
}

absl::StatusOr<int> SociClinicRepository::CountRealClinics() {
  try {
    int count = 0;
    sql_ << "SELECT CAST(COUNT(*) AS INTEGER) FROM clinics WHERE is_demo = 0", soci::into(count);
    return count;
  } catch (const std::exception& e) {
    return StatusFromException(e, "clinics.count");
  }
}

}  // namespace confide::persistence
