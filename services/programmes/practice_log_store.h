#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "confide/v1/programmes.pb.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Practice logs and progression suggestions as stored: a log's numbers are plain (progress is
// computed in SQL), her words on how it felt are sealed under her data key at
// {"practice_logs", "feelings", <log id>}. Everything that seals or opens them goes through here
// (the practice service and the record export), so the location is decided in one place.

// `feelings` sealed for log `log_id` of the client.
absl::StatusOr<std::string> SealFeelings(ClientDataCipher& cipher, UnitOfWork& uow,
                                         std::string_view clinic_id, std::string_view client_id,
                                         std::string_view log_id, std::string_view feelings);

// A stored log as the caller sees it, her feelings opened. The suggestion it led to is the care
// team's working material (a declined step up is not news to give her), so `for_patient` leaves
// its id out. DATA_LOSS or FAILED_PRECONDITION (erased) as ClientDataCipher::Open.
absl::StatusOr<v1::PracticeLog> OpenPracticeLog(ClientDataCipher& cipher, UnitOfWork& uow,
                                                const PracticeLogRecord& record, bool for_patient);

// A stored suggestion as the care team sees it.
v1::ProgressionSuggestion ProgressionSuggestionOf(const ProgressionSuggestionRecord& record);

}  // namespace confide
