#include "adapters/http/request_transcoder.h"

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "services/api/field_errors.h"
#include "services/api/rpc_status.h"
#include "services/common/text_checks.h"

namespace confide::http {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsSafeName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

const FieldDescriptor* FindField(const Descriptor* type, std::string_view name) {
  const std::string key(name);
  const FieldDescriptor* field = type->FindFieldByName(key);
  return field != nullptr ? field : type->FindFieldByCamelcaseName(key);
}

// Walks "a.b.c" to the message holding `c`; nullptr when a step is not a singular message.
Message* ResolveParent(Message* root, const std::vector<std::string>& steps,
                       const FieldDescriptor** leaf) {
  Message* current = root;
  for (size_t i = 0; i < steps.size(); ++i) {
    const FieldDescriptor* field = FindField(current->GetDescriptor(), steps[i]);
    if (field == nullptr) {
      return nullptr;
    }
    if (i + 1 == steps.size()) {
      *leaf = field;
      return current;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
      return nullptr;
    }
    current = current->GetReflection()->MutableMessage(current, field);
  }
  return nullptr;
}

std::vector<std::string> SplitPath(std::string_view path) {
  return absl::StrSplit(std::string(path), '.');
}

// Sets a scalar field from text (a path variable or query value).
absl::Status SetScalar(Message* message, const FieldDescriptor* field, const std::string& text,
                       const std::string& name) {
  const Reflection* reflection = message->GetReflection();
  const bool repeated = field->is_repeated();
  auto bad = [&name](std::string_view expected) {
    return InvalidField(name, absl::StrCat("must be ", std::string(expected)));
  };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      // Protobuf strings are UTF-8 by contract; the gRPC parser enforces it, so REST does too.
      if (field->type() == FieldDescriptor::TYPE_STRING && !IsValidUtf8(text)) {
        return bad("UTF-8 text");
      }
      repeated ? reflection->AddString(message, field, text)
               : reflection->SetString(message, field, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) {
        return bad("a 32-bit integer");
      }
      repeated ? reflection->AddInt32(message, field, value)
               : reflection->SetInt32(message, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) {
        return bad("an integer");
      }
      repeated ? reflection->AddInt64(message, field, value)
               : reflection->SetInt64(message, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      if (text != "true" && text != "false") {
        return bad("true or false");
      }
      repeated ? reflection->AddBool(message, field, text == "true")
               : reflection->SetBool(message, field, text == "true");
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* value =
          field->enum_type()->FindValueByName(text);
      if (value == nullptr) {
        return bad("one of the enum's value names");
      }
      repeated ? reflection->AddEnum(message, field, value)
               : reflection->SetEnum(message, field, value);
      return absl::OkStatus();
    }
    default:
      return InvalidField(name, "cannot be set from a URL");
  }
}

absl::Status SetFieldPath(Message* root, const std::string& path, const std::string& value) {
  const FieldDescriptor* leaf = nullptr;
  Message* parent = ResolveParent(root, SplitPath(path), &leaf);
  const std::string name = IsSafeName(path) ? path : "query parameter";
  if (parent == nullptr || leaf == nullptr) {
    return InvalidField(name, "is not a field of this request");
  }
  if (leaf->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    // A FieldMask in a URL is its JSON form: comma-separated lowerCamelCase paths.
    if (leaf->message_type()->full_name() == "google.protobuf.FieldMask" && !leaf->is_repeated()) {
      auto* mask = dynamic_cast<google::protobuf::FieldMask*>(
          parent->GetReflection()->MutableMessage(parent, leaf));
      if (mask != nullptr && google::protobuf::util::FieldMaskUtil::FromJsonString(value, mask)) {
        return absl::OkStatus();
      }
      return InvalidField(name, "must be comma-separated field names");
    }
    // A Timestamp in a URL is its JSON form: RFC 3339 (filters such as ListAuditEvents' times).
    if (leaf->message_type()->full_name() == "google.protobuf.Timestamp" && !leaf->is_repeated()) {
      auto* time = dynamic_cast<google::protobuf::Timestamp*>(
          parent->GetReflection()->MutableMessage(parent, leaf));
      if (time != nullptr && google::protobuf::util::TimeUtil::FromString(value, time)) {
        return absl::OkStatus();
      }
      return InvalidField(name, "must be an RFC 3339 time, e.g. 2026-01-31T09:00:00Z");
    }
    return InvalidField(name, "cannot be set from a URL");
  }
  return SetScalar(parent, leaf, value, name);
}

// protobuf's parser messages can quote the offending value; keep only what names a field.
absl::Status JsonParseError(std::string_view parser_message) {
  // protobuf 3.21 says "favouriteColour: Cannot find field." ("(discreet_contact) favouriteColour:
  // Cannot find field." when nested): the unknown key comes before the marker.
  static constexpr std::string_view kUnknown = ": Cannot find field.";
  const size_t at = parser_message.find(kUnknown);
  if (at != std::string_view::npos) {
    std::string_view field = parser_message.substr(0, at);
    field = field.substr(field.find_last_of(" )") + 1);  // npos + 1 == 0: no prefix
    if (IsSafeName(field)) {
      return InvalidField(field, "is not a field of this request");
    }
    return absl::InvalidArgumentError("request body has a field this request does not have");
  }
  // A value of the wrong type or out of range (e.g. a time in year 10000) is
  // "(end_time): invalid value ..." with the field's proto path in parentheses.
  static constexpr std::string_view kInvalidValue = "): invalid value";
  const size_t close = parser_message.find(kInvalidValue);
  if (!parser_message.empty() && parser_message.front() == '(' && close != std::string_view::npos) {
    std::string_view field = parser_message.substr(1, close - 1);
    if (IsSafeName(field)) {
      return InvalidField(field,
                          "has a value of the wrong type, an unknown enum value or a "
                          "value out of range (times: years 1 to 9999)");
    }
  }
  return absl::InvalidArgumentError(
      "request body does not match the request: check field names, types and enum values");
}

// protobuf accepts a field under its proto name and its JSON name, so {"legalGivenName":"A",
// "legal_given_name":"B"} is a duplicate key in disguise that the pre-check cannot see: the
// caller meant one value and protobuf silently keeps the other.
absl::Status CheckNoFieldGivenTwice(const nlohmann::json& value, const Descriptor* type) {
  if (!value.is_object() || type->well_known_type() != Descriptor::WELLKNOWNTYPE_UNSPECIFIED) {
    return absl::OkStatus();
  }
  std::set<const FieldDescriptor*> seen;
  for (const auto& [key, child] : value.items()) {
    const FieldDescriptor* field = FindField(type, key);
    if (field == nullptr) {
      continue;  // protobuf's parser names unknown fields
    }
    if (!seen.insert(field).second) {
      return InvalidField(field->name(), "is given twice, under two spellings of its name");
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_map()) {
      continue;
    }
    if (field->is_repeated() && child.is_array()) {
      for (const nlohmann::json& element : child) {
        if (absl::Status s = CheckNoFieldGivenTwice(element, field->message_type()); !s.ok()) {
          return s;
        }
      }
    } else if (absl::Status s = CheckNoFieldGivenTwice(child, field->message_type()); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ParseJsonInto(std::string_view body, Message* target,
                           const JsonPrecheckLimits& limits) {
  if (absl::Status precheck = PrecheckJson(body, limits); !precheck.ok()) {
    return precheck;
  }
  // The pre-check passed, so this parse cannot fail or recurse deeper than the limit.
  const nlohmann::json document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (absl::Status aliases = CheckNoFieldGivenTwice(document, target->GetDescriptor());
      !aliases.ok()) {
    return aliases;
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), target, options);
  if (!parsed.ok()) {
    return JsonParseError(std::string_view(parsed.message().data(), parsed.message().size()));
  }
  return absl::OkStatus();
}

// The fields a dotted path names, outermost first; empty when a step does not exist.
std::vector<const FieldDescriptor*> ResolveChain(const Descriptor* type, std::string_view path) {
  std::vector<const FieldDescriptor*> chain;
  for (const std::string& step : SplitPath(path)) {
    const FieldDescriptor* field = type == nullptr ? nullptr : FindField(type, step);
    if (field == nullptr) {
      return {};
    }
    chain.push_back(field);
    type = field->message_type();
  }
  return chain;
}

// google.api.http: query parameters fill only fields that neither the path nor the body binds,
// so a query string can never retarget the record the path names.
absl::Status CheckQueryKeyIsFree(const Message& message, const Route& route,
                                 const RouteMatch& match, const std::string& key) {
  const std::vector<const FieldDescriptor*> chain = ResolveChain(message.GetDescriptor(), key);
  if (chain.empty()) {
    return absl::OkStatus();  // unknown: SetFieldPath names it
  }
  const std::string name = IsSafeName(key) ? key : "query parameter";
  if (!route.body.empty() && chain[0] == FindField(message.GetDescriptor(), route.body)) {
    return InvalidField(name, "belongs in the request body, not the URL");
  }
  for (const auto& [path, value] : match.bindings) {
    if (ResolveChain(message.GetDescriptor(), path) == chain) {
      return InvalidField(name, "is set by the URL path");
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyQuery(Message* message, std::string_view query, const RouteMatch& match) {
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) {
      continue;
    }
    const size_t equals = pair.find('=');
    std::string raw_key(pair.substr(0, equals));
    std::string raw_value(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
    for (std::string* part : {&raw_key, &raw_value}) {
      for (char& c : *part) {
        if (c == '+') {
          c = ' ';
        }
      }
    }
    std::optional<std::string> key = PercentDecode(raw_key);
    std::optional<std::string> value = PercentDecode(raw_value);
    if (!key.has_value() || !value.has_value()) {
      return absl::InvalidArgumentError("query string has a malformed percent-escape");
    }
    if (absl::Status free = CheckQueryKeyIsFree(*message, *match.route, match, *key); !free.ok()) {
      return free;
    }
    if (absl::Status set = SetFieldPath(message, *key, *value); !set.ok()) {
      return set;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Message>> BuildRequestMessage(const RouteMatch& match,
                                                             std::string_view body,
                                                             std::string_view query_string,
                                                             const JsonPrecheckLimits& limits) {
  const Route& route = *match.route;
  std::unique_ptr<Message> request(route.method->request_prototype->New());
  if (route.body.empty()) {
    if (!body.empty()) {
      return absl::InvalidArgumentError("this endpoint takes no request body");
    }
  } else if (!body.empty()) {
    Message* target = request.get();
    if (route.body != "*") {
      const FieldDescriptor* field = FindField(request->GetDescriptor(), route.body);
      if (field == nullptr || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        return absl::InternalError("route body field is not a message");
      }
      target = request->GetReflection()->MutableMessage(request.get(), field);
    }
    if (absl::Status parsed = ParseJsonInto(body, target, limits); !parsed.ok()) {
      return parsed;
    }
  }
  for (const auto& [path, value] : match.bindings) {
    if (absl::Status set = SetFieldPath(request.get(), path, value); !set.ok()) {
      return set;
    }
  }
  if (!query_string.empty()) {
    if (route.body == "*") {
      return absl::InvalidArgumentError("this endpoint takes its fields in the body, not the URL");
    }
    if (absl::Status applied = ApplyQuery(request.get(), query_string, match); !applied.ok()) {
      return applied;
    }
  }
  return request;
}

std::string ResponseToJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = false;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    return "{}";
  }
  return json;
}

std::string StatusToJson(const absl::Status& status) {
  google::rpc::Status rpc = ToRpcStatus(status);
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(rpc, &json).ok()) {
    // A detail whose type is not linked in cannot be printed; the code and message still can.
    rpc.clear_details();
    if (!google::protobuf::util::MessageToJsonString(rpc, &json).ok()) {
      json = R"({"code":13,"message":"internal error"})";
    }
  }
  return json;
}

}  // namespace confide::http
