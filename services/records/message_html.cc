#include "services/records/message_html.h"

#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/common/timestamps.h"
#include "services/records/html_text.h"

namespace confide {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Fields that hold a staff user's id: "author_user_id", "reader_user_ids", Signature.user_id.
bool HoldsUserId(const FieldDescriptor& field) {
  return absl::EndsWith(field.name(), "user_id") || absl::EndsWith(field.name(), "user_ids");
}

std::string StringText(const FieldDescriptor& field, const std::string& value,
                       const MessageHtmlOptions& options) {
  if (HoldsUserId(field)) {
    return UserHtml(value, options);
  }
  if (absl::StrContains(field.name(), "date")) {
    if (std::optional<std::string> date = ReadableDate(value); date.has_value()) {
      return HtmlEscape(*date);
    }
  }
  return HtmlEscape(value);
}

bool IsTimestamp(const FieldDescriptor& field) {
  return field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         field.message_type()->full_name() ==
             google::protobuf::Timestamp::descriptor()->full_name();
}

void AppendFields(const Message& message, const MessageHtmlOptions& options, std::string& out);

// The HTML of one value of `field`: element `index` of a repeated field, else the field's own.
std::string ValueHtml(const Message& message, const FieldDescriptor& field, int index,
                      const MessageHtmlOptions& options) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& value =
          repeated ? reflection.GetRepeatedStringReference(message, &field, index, &scratch)
                   : reflection.GetStringReference(message, &field, &scratch);
      return StringText(field, value, options);
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? reflection.GetRepeatedEnumValue(message, &field, index)
                                  : reflection.GetEnumValue(message, &field);
      const google::protobuf::EnumValueDescriptor* value =
          field.enum_type()->FindValueByNumber(number);
      // A number this build does not know (sent by a newer peer): shown as the number.
      return value != nullptr ? HtmlEscape(EnumValueWords(*value)) : absl::StrCat(number);
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? reflection.GetRepeatedBool(message, &field, index)
                       : reflection.GetBool(message, &field))
                 ? "Yes"
                 : "No";
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? reflection.GetRepeatedInt32(message, &field, index)
                                   : reflection.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(repeated ? reflection.GetRepeatedInt64(message, &field, index)
                                   : reflection.GetInt64(message, &field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(repeated ? reflection.GetRepeatedUInt32(message, &field, index)
                                   : reflection.GetUInt32(message, &field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(repeated ? reflection.GetRepeatedUInt64(message, &field, index)
                                   : reflection.GetUInt64(message, &field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(repeated ? reflection.GetRepeatedDouble(message, &field, index)
                                   : reflection.GetDouble(message, &field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(repeated ? reflection.GetRepeatedFloat(message, &field, index)
                                   : reflection.GetFloat(message, &field));
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& value = repeated ? reflection.GetRepeatedMessage(message, &field, index)
                                      : reflection.GetMessage(message, &field);
      if (IsTimestamp(field)) {
        const auto& timestamp = static_cast<const google::protobuf::Timestamp&>(value);
        return HtmlEscape(ReadableTime(FromTimestamp(timestamp)));
      }
      std::string nested;
      AppendFields(value, options, nested);
      return nested;
    }
  }
  return "";
}

void AppendFields(const Message& message, const MessageHtmlOptions& options, std::string& out) {
  std::vector<const FieldDescriptor*> fields;
  // Only fields that are set, in field-number order.
  message.GetReflection()->ListFields(message, &fields);
  std::string items;
  for (const FieldDescriptor* field : fields) {
    if (options.skipped_fields.contains(field->name())) {
      continue;
    }
    std::string value;
    if (field->is_repeated()) {
      const int size = message.GetReflection()->FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        absl::StrAppend(&value, "<li>", ValueHtml(message, *field, i, options), "</li>");
      }
      value = absl::StrCat("<ul>", value, "</ul>");
    } else {
      value = ValueHtml(message, *field, -1, options);
    }
    // A nested message that is present but holds nothing shown (e.g. an emptied contact) would
    // be a heading over nothing.
    if (value.empty()) {
      continue;
    }
    absl::StrAppend(&items, "<dt>", HtmlEscape(FieldNameWords(field->name())), "</dt><dd>", value,
                    "</dd>\n");
  }
  if (!items.empty()) {
    absl::StrAppend(&out, "<dl>\n", items, "</dl>\n");
  }
}

}  // namespace

std::string UserHtml(const std::string& user_id, const MessageHtmlOptions& options) {
  auto name = options.user_names.find(user_id);
  if (name == options.user_names.end()) {
    return HtmlEscape(user_id);
  }
  return absl::StrCat(HtmlEscape(name->second), " (", HtmlEscape(user_id), ")");
}

void AppendMessageHtml(const Message& message, const MessageHtmlOptions& options,
                       std::string& out) {
  AppendFields(message, options, out);
}

}  // namespace confide
