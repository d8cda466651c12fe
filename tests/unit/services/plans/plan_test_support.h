#pragma once

// Helpers the plans unit tests share.

#include "google/protobuf/message.h"
#include "google/protobuf/unknown_field_set.h"

namespace confide {

// The fields of `message` this build does not know, to plant some as a newer client would.
inline google::protobuf::UnknownFieldSet& UnknownOf(google::protobuf::Message* message) {
  return *message->GetReflection()->MutableUnknownFields(message);
}

inline bool HasUnknownFields(const google::protobuf::Message& message) {
  return !message.GetReflection()->GetUnknownFields(message).empty();
}

}  // namespace confide
