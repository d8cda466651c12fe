#pragma once

#include <map>
#include <set>
#include <string>

#include "google/protobuf/message.h"

namespace confide {

// How AppendMessageHtml shows a record's messages.
struct MessageHtmlOptions {
  // Staff user id → display name, so "Author user ID" shows who, not just an id.
  std::map<std::string, std::string> user_names;
  // Field names left out wherever they occur (e.g. "etag": meaningless on paper).
  std::set<std::string> skipped_fields;
};

// A staff user as the document names them: "Name (id)" when the name is known, else the id;
// escaped.
std::string UserHtml(const std::string& user_id, const MessageHtmlOptions& options);

// Appends the set fields of `message` to `out` as an HTML definition list, reading every field
// from the descriptors so the document shows all a record holds, also fields added later:
// names and enum values in words, times and dates readable, booleans as Yes/No, user ids with
// the user's name when known, nested messages as nested lists, repeated fields as lists. Every
// piece of text is escaped. A message with no field set appends nothing.
void AppendMessageHtml(const google::protobuf::Message& message, const MessageHtmlOptions& options,
                       std::string& out);

}  // namespace confide
