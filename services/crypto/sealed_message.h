#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// A proto message stored sealed as one TEXT column: the sensitive part of a clinical record
// (answers, free text) is serialized and sealed under the client's data key at `where`.

// The sealed text of `message`, as ClientDataCipher::Seal returns it (and with its errors).
absl::StatusOr<std::string> SealMessage(ClientDataCipher& cipher, UnitOfWork& uow,
                                        std::string_view clinic_id, std::string_view client_id,
                                        const FieldLocation& where,
                                        const google::protobuf::MessageLite& message);

// Opens `sealed` (made by SealMessage at the same location) into `out`, dropping fields this
// server does not know so they are never shown or stored again. DATA_LOSS when the plaintext
// is not such a message; ClientDataCipher::Open's errors otherwise.
absl::Status OpenMessage(ClientDataCipher& cipher, UnitOfWork& uow, std::string_view clinic_id,
                         std::string_view client_id, const FieldLocation& where,
                         std::string_view sealed, google::protobuf::Message* out);

}  // namespace confide
