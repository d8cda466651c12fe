#include "services/audit/audit_leaf.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace confide {
namespace {

void AppendField(std::string& out, std::string_view value) {
  const auto size = static_cast<uint32_t>(value.size());
  out.push_back(static_cast<char>((size >> 24) & 0xff));
  out.push_back(static_cast<char>((size >> 16) & 0xff));
  out.push_back(static_cast<char>((size >> 8) & 0xff));
  out.push_back(static_cast<char>(size & 0xff));
  out.append(value);
}

}  // namespace

std::string AuditLeafBytes(const AuditEvent& event) {
  std::string out = "confide-audit-event-v1";
  out.reserve(256);
  AppendField(out, absl::StrCat(event.seq));
  AppendField(out, event.id);
  AppendField(out, absl::StrCat(absl::ToUnixMicros(event.time)));
  AppendField(out, event.actor_user_id);
  AppendField(out, event.actor_role);
  AppendField(out, event.clinic_id);
  AppendField(out, event.action);
  AppendField(out, event.resource);
  AppendField(out, event.client_id);
  AppendField(out, event.outcome);
  AppendField(out, event.status_code);
  AppendField(out, event.request_id);
  AppendField(out, event.source_address);
  AppendField(out, event.break_glass ? "1" : "0");
  AppendField(out, event.detail);
  return out;
}

}  // namespace confide
