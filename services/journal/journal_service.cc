#include "services/journal/journal_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/api/etag.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_replay.h"
#include "services/clients/writable_client.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/journal/journal_store.h"
#include "services/journal/journal_validation.h"
#include "services/policy/access_policy.h"

namespace confide {
namespace {

constexpr std::string_view kEntriesListStem = "journalEntries.";

// Whose view of the journal the caller has. The pipeline has already refused everyone else;
// an admin passes it only when on the care team, and still reads no journal: nullopt. So does a
// clinician who reaches her record only by break-glass: she shares entries with the people she
// chose to have treat her, and emergency access does not make one of them.
absl::StatusOr<std::optional<JournalAudience>> AudienceOf(RequestScope& scope) {
  const Principal& who = *scope.principal;
  switch (who.role) {
    case v1::ROLE_PATIENT:
      return JournalAudience::kOwner;
    case v1::ROLE_CLINICIAN: {
      absl::StatusOr<std::optional<ClientAccessFacts>> facts =
          scope.uow.clients().FindAccessFacts(who.clinic_id, scope.client_id);
      if (!facts.ok()) {
        return facts.status();
      }
      if (!facts->has_value() || !IsOnCareTeam(who, **facts)) {
        return std::nullopt;
      }
      return JournalAudience::kCareTeam;
    }
    case v1::ROLE_PARTNER:
      return JournalAudience::kPartner;
    default:
      return std::nullopt;
  }
}

bool Shows(JournalAudience audience, const JournalEntryRecord& entry) {
  switch (audience) {
    case JournalAudience::kOwner:
      return true;
    case JournalAudience::kCareTeam:
      return entry.shared_with_care_team;
    case JournalAudience::kPartner:
      return entry.shared_with_partner;
  }
  return false;
}

// What a reader other than the author is shown: whom else she shares the entry with is her
// business, so the other audience's flag reads false; and a reader never writes, so gets no
// etag (its revision would count her changes of sharing too).
v1::JournalEntry ForAudience(JournalAudience audience, v1::JournalEntry entry) {
  if (audience == JournalAudience::kCareTeam) {
    entry.set_shared_with_partner(false);
  } else if (audience == JournalAudience::kPartner) {
    entry.set_shared_with_care_team(false);
  }
  if (audience != JournalAudience::kOwner) {
    entry.clear_etag();
  }
  return entry;
}

// The view of a caller changing an entry: the policy lets only the patient herself write, and
// she sees every entry; anyone else (should the policy ever change) changes none.
std::optional<JournalAudience> WriterAudience(const RequestScope& scope) {
  if (scope.principal->role != v1::ROLE_PATIENT) {
    return std::nullopt;
  }
  return JournalAudience::kOwner;
}

absl::Status EntryNotFound() { return absl::NotFoundError("journal entry not found"); }

// The client's (scope.client_id's) entry `entry_id` when the caller, whose view is `audience`,
// may see it; NOT_FOUND for any other, so an entry not shared with the caller is
// indistinguishable from none.
absl::StatusOr<JournalEntryRecord> LoadEntry(RequestScope& scope,
                                             std::optional<JournalAudience> audience,
                                             std::string_view entry_id) {
  if (!audience.has_value() || !IsUuidText(entry_id)) {
    return EntryNotFound();
  }
  absl::StatusOr<std::optional<JournalEntryRecord>> entry =
      scope.uow.journal().Find(scope.principal->clinic_id, scope.client_id, entry_id);
  if (!entry.ok()) {
    return entry.status();
  }
  if (!entry->has_value() || !Shows(*audience, **entry)) {
    return EntryNotFound();
  }
  return **std::move(entry);
}

// The keyset is (write_time, id), newest first. The token carries both, the time in the list
// name as page_token.h allows ("journalEntries.<unix micros>"), so a page resumes where the
// last one ended even when its last entry was deleted meanwhile. It names an entry the caller
// was shown; a forged one only moves the start of a list the query filters anyway.
std::string EncodeEntriesPageToken(const JournalEntryRecord& last) {
  return EncodePageToken(
      absl::StrCat(std::string(kEntriesListStem), absl::ToUnixMicros(last.write_time)), last.id);
}

struct EntriesPage {
  std::optional<absl::Time> after_write_time;
  std::string after_id;
};

absl::StatusOr<EntriesPage> DecodeEntriesPageToken(std::string_view token) {
  if (token.empty()) {
    return EntriesPage{};
  }
  const absl::Status bad =
      InvalidField("page_token", "is not a token from a previous ListJournalEntries response");
  std::string decoded;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(std::string(token), &decoded) ||
      decoded.rfind(kEntriesListStem, 0) != 0) {
    return bad;
  }
  const size_t colon = decoded.find(':');
  int64_t micros = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(decoded.substr(kEntriesListStem.size(), colon - kEntriesListStem.size()),
                        &micros)) {
    return bad;
  }
  absl::StatusOr<std::string> id =
      DecodePageToken(decoded.substr(0, colon), token, "ListJournalEntries");
  if (!id.ok()) {
    return bad;
  }
  return EntriesPage{.after_write_time = absl::FromUnixMicros(micros), .after_id = *std::move(id)};
}

// The entry an earlier CreateJournalEntry with `request_id` made (see request_replay.h).
absl::StatusOr<std::optional<v1::JournalEntry>> ReplayCreate(ClientDataCipher& cipher,
                                                             RequestScope& scope,
                                                             const std::string& request_id) {
  return ReplayEarlier<v1::JournalEntry, JournalEntryRecord>(
      scope, scope.uow.journal().FindByRequestId(scope.principal->clinic_id, request_id),
      [&](const JournalEntryRecord& earlier) {
        scope.audit.resource = JournalEntryResource(scope.client_id, earlier.id);
        return OpenEntry(cipher, scope.uow, earlier);
      });
}

}  // namespace

absl::StatusOr<v1::JournalEntry> JournalService::Create(
    const v1::CreateJournalEntryRequest& request, RequestScope& scope) {
  return CreateOnce<v1::JournalEntry>(
      request.request_id(), [&] { return ReplayCreate(cipher_, scope, request.request_id()); },
      [&]() -> absl::StatusOr<v1::JournalEntry> {
        if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
          return writable;
        }
        v1::JournalEntry entry = request.entry();
        entry.set_id(ids_.NewId());
        entry.set_client_id(scope.client_id);
        // Before the write time is checked, so a refused create is audited with the entry it
        // would have made.
        scope.audit.resource = JournalEntryResource(scope.client_id, entry.id());
        if (!entry.has_write_time()) {
          *entry.mutable_write_time() = ToTimestamp(scope.now);
        } else if (absl::Status when = CheckJournalWriteTime(entry.write_time(), scope.now);
                   !when.ok()) {
          return when;
        }
        std::optional<JournalEntryRecord> stored;
        if (absl::Status s = scope.uow.Atomically([&]() -> absl::Status {
              absl::StatusOr<JournalEntryRecord> record =
                  SealNewEntry(cipher_, scope.uow, scope.principal->clinic_id, entry,
                               request.request_id(), scope.now);
              if (!record.ok()) {
                return record.status();
              }
              stored = *std::move(record);
              return scope.uow.journal().Insert(*stored);
            });
            !s.ok()) {
          return s;
        }
        return EntryOf(*stored, entry);
      });
}

absl::StatusOr<v1::JournalEntry> JournalService::Get(const v1::GetJournalEntryRequest& request,
                                                     RequestScope& scope) {
  absl::StatusOr<std::optional<JournalAudience>> audience = AudienceOf(scope);
  if (!audience.ok()) {
    return audience.status();
  }
  absl::StatusOr<JournalEntryRecord> entry = LoadEntry(scope, *audience, request.entry_id());
  if (!entry.ok()) {
    return entry.status();
  }
  scope.audit.resource = JournalEntryResource(scope.client_id, entry->id);
  absl::StatusOr<v1::JournalEntry> opened = OpenEntry(cipher_, scope.uow, *entry);
  if (!opened.ok()) {
    return opened.status();
  }
  return ForAudience(**audience, *std::move(opened));
}

absl::StatusOr<v1::ListJournalEntriesResponse> JournalService::List(
    const v1::ListJournalEntriesRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/journalEntries");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  absl::StatusOr<EntriesPage> after = DecodeEntriesPageToken(request.page_token());
  if (!after.ok()) {
    return after.status();
  }
  absl::StatusOr<std::optional<JournalAudience>> found = AudienceOf(scope);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value()) {
    return v1::ListJournalEntriesResponse();
  }
  const JournalAudience audience = **found;
  // One row more than the page shows tells whether there is a next page.
  absl::StatusOr<std::vector<JournalEntryRecord>> entries =
      scope.uow.journal().List(scope.principal->clinic_id, scope.client_id, audience,
                               after->after_write_time, after->after_id, *page_size + 1);
  if (!entries.ok()) {
    return entries.status();
  }
  v1::ListJournalEntriesResponse response;
  const int shown = std::min(*page_size, static_cast<int>(entries->size()));
  for (int i = 0; i < shown; ++i) {
    const JournalEntryRecord& entry = (*entries)[i];
    if (!Shows(audience, entry)) {
      continue;  // The query already leaves these out; kept as the one rule's safety net.
    }
    absl::StatusOr<v1::JournalEntry> opened = OpenEntry(cipher_, scope.uow, entry);
    if (!opened.ok()) {
      return opened.status();
    }
    *response.add_entries() = ForAudience(audience, *std::move(opened));
  }
  if (static_cast<int>(entries->size()) > *page_size) {
    response.set_next_page_token(EncodeEntriesPageToken((*entries)[shown - 1]));
  }
  return response;
}

absl::StatusOr<v1::JournalEntry> JournalService::Update(
    const v1::UpdateJournalEntryRequest& request, RequestScope& scope) {
  absl::StatusOr<JournalEntryRecord> entry =
      LoadEntry(scope, WriterAudience(scope), request.entry().id());
  if (!entry.ok()) {
    return entry.status();
  }
  scope.audit.resource = JournalEntryResource(scope.client_id, entry->id);
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  if (request.entry().etag() != EtagOf(entry->revision)) {
    return StaleEtag("journal entry");
  }
  absl::StatusOr<v1::JournalEntry> current = OpenEntry(cipher_, scope.uow, *entry);
  if (!current.ok()) {
    return current.status();
  }
  v1::JournalEntry next = *std::move(current);
  JournalEntryRecord record = *entry;
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "text") {
      next.set_text(request.entry().text());
    } else if (path == "mood") {
      next.set_mood(request.entry().mood());
    } else if (path == "tags") {
      *next.mutable_tags() = request.entry().tags();
    } else if (path == "shared_with_care_team") {
      record.shared_with_care_team = request.entry().shared_with_care_team();
    } else if (path == "shared_with_partner") {
      record.shared_with_partner = request.entry().shared_with_partner();
    }
  }
  record.update_time = StoredTime(scope.now);
  if (absl::Status s = scope.uow.Atomically([&]() -> absl::Status {
        if (absl::Status sealed = SealContent(cipher_, scope.uow, next, record); !sealed.ok()) {
          return sealed;
        }
        return scope.uow.journal().Update(record, entry->revision);
      });
      !s.ok()) {
    return s;
  }
  record.revision = entry->revision + 1;
  return EntryOf(record, next);
}

absl::StatusOr<v1::DeleteJournalEntryResponse> JournalService::Delete(
    const v1::DeleteJournalEntryRequest& request, RequestScope& scope) {
  absl::StatusOr<JournalEntryRecord> entry =
      LoadEntry(scope, WriterAudience(scope), request.entry_id());
  if (!entry.ok()) {
    return entry.status();
  }
  scope.audit.resource = JournalEntryResource(scope.client_id, entry->id);
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  if (request.etag() != EtagOf(entry->revision)) {
    return StaleEtag("journal entry");
  }
  if (absl::Status deleted = scope.uow.journal().Delete(scope.principal->clinic_id, scope.client_id,
                                                        entry->id, entry->revision);
      !deleted.ok()) {
    return deleted;
  }
  return v1::DeleteJournalEntryResponse();
}

void JournalService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::CreateJournalEntryRequest, v1::JournalEntry>{
      .full_name = "confide.v1.JournalService.CreateJournalEntry",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteJournal,
      .target_client = [](const v1::CreateJournalEntryRequest& r) { return r.client_id(); },
      .validate = ValidateCreateJournalEntry,
      .handler = [this](const auto& r, RequestScope& s) { return Create(r, s); }});
  table.Add(MethodDefinition<v1::GetJournalEntryRequest, v1::JournalEntry>{
      .full_name = "confide.v1.JournalService.GetJournalEntry",
      .mode = TransactionMode::kRead,
      .action = Action::kReadJournal,
      .target_client = [](const v1::GetJournalEntryRequest& r) { return r.client_id(); },
      .validate = ValidateGetJournalEntry,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::ListJournalEntriesRequest, v1::ListJournalEntriesResponse>{
      .full_name = "confide.v1.JournalService.ListJournalEntries",
      .mode = TransactionMode::kRead,
      .action = Action::kReadJournal,
      .target_client = [](const v1::ListJournalEntriesRequest& r) { return r.client_id(); },
      .validate = ValidateListJournalEntries,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
  table.Add(MethodDefinition<v1::UpdateJournalEntryRequest, v1::JournalEntry>{
      .full_name = "confide.v1.JournalService.UpdateJournalEntry",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteJournal,
      .target_client = [](const v1::UpdateJournalEntryRequest& r) { return r.entry().client_id(); },
      .validate = ValidateUpdateJournalEntry,
      .handler = [this](const auto& r, RequestScope& s) { return Update(r, s); }});
  table.Add(MethodDefinition<v1::DeleteJournalEntryRequest, v1::DeleteJournalEntryResponse>{
      .full_name = "confide.v1.JournalService.DeleteJournalEntry",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteJournal,
      .target_client = [](const v1::DeleteJournalEntryRequest& r) { return r.client_id(); },
      .validate = ValidateDeleteJournalEntry,
      .handler = [this](const auto& r, RequestScope& s) { return Delete(r, s); }});
}

}  // namespace confide
