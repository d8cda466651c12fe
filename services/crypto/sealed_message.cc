#include "services/crypto/sealed_message.h"

#include "absl/strings/str_cat.h"

namespace confide {

absl::StatusOr<std::string> SealMessage(ClientDataCipher& cipher, UnitOfWork& uow,
                                        std::string_view clinic_id, std::string_view client_id,
                                        const FieldLocation& where,
                                        const google::protobuf::MessageLite& message) {
  std::string plaintext;
  if (!message.SerializeToString(&plaintext)) {
    return absl::InternalError("a record's sealed content cannot be serialized");
  }
  return cipher.Seal(uow, clinic_id, client_id, where, plaintext);
}

absl::Status OpenMessage(ClientDataCipher& cipher, UnitOfWork& uow, std::string_view clinic_id,
                         std::string_view client_id, const FieldLocation& where,
                         std::string_view sealed, google::protobuf::Message* out) {
  absl::StatusOr<std::string> plaintext = cipher.Open(uow, clinic_id, client_id, where, sealed);
  if (!plaintext.ok()) {
    return plaintext.status();
  }
  if (!out->ParseFromString(*plaintext)) {
    // Names the table and column (never content): which stored values need attention.
    return absl::DataLossError(absl::StrCat("stored ", std::string(where.table), ".",
                                            std::string(where.column), " does not parse"));
  }
  out->DiscardUnknownFields();
  return absl::OkStatus();
}

}  // namespace confide
