#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A clinic (tenant). Every other record belongs to exactly one.
struct ClinicRecord {
  std::string id;
  std::string name;
  // Demo clinics hold only the fixed, fake demo data of `confidectl demo load`.
  bool is_demo = false;
};

class ClinicRepository {
 public:
  virtual ~ClinicRepository() = default;
  // Stores a new clinic; ALREADY_EXISTS on a duplicate id.
  virtual absl::Status Insert(const ClinicRecord& clinic, absl::Time now) = 0;
  // Returns the clinic or nullopt.
  virtual absl::StatusOr<std::optional<ClinicRecord>> Find(std::string_view clinic_id) = 0;
  // Returns how many clinics are not demo clinics.
  virtual absl::StatusOr<int> CountRealClinics() = 0;
};

}  // namespace confide
