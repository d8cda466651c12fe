#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "confide/v1/audit.pb.h"

namespace confide {

// How the patient's access report (ListRecordAccess) words one kind of audited request: what
// kind of access it was and, in plain language, what the person did or tried to do.
struct AccessWording {
  v1::RecordAccessKind kind = v1::RECORD_ACCESS_KIND_UNSPECIFIED;
  // What was done, e.g. "viewed your home programme".
  std::string_view done;
  // What was attempted, for a refusal, e.g. "view your home programme".
  std::string_view attempted;
};

// The wording for an RPC full name ("confide.v1.ClientService.GetClient"), or nullopt when the
// RPC has none. Every RPC of the method table has wording (access_wording_test walks it).
std::optional<AccessWording> WordingForAction(std::string_view action);

// The report's sentence for an event with this action: `done` for an access that happened,
// "tried to <attempted> and was refused" for a refusal. An action without wording (an event
// written by a later version) reads "accessed your record".
std::string DescribeAccess(std::string_view action, bool refused);

}  // namespace confide
