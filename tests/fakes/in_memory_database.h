#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "services/assessments/ports/assessment_repository.h"
#include "services/audit/audit_event.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/sign_in_throttle_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/consents/ports/consent_repository.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "services/exercises/ports/exercise_repository.h"
#include "services/intake/ports/intake_repository.h"
#include "services/journal/ports/journal_repository.h"
#include "services/messaging/ports/outbox.h"
#include "services/notes/ports/note_repository.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/plans/ports/milestone_repository.h"
#include "services/plans/ports/plan_repository.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/programme_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"

namespace confide {

// Everything the in-memory database holds. A plain value, so a transaction or savepoint is a copy
// and a rollback is an assignment.
struct InMemoryDatabase {
  std::map<std::string, ClinicRecord> clinics;
  // By client id; ids are unique across clinics, and every lookup also checks the clinic. Each
  // client's care team (with the primary flag) lives in client.care_team(), in the order members
  // were added, as the SQL adapters return it.
  std::map<std::string, ClientRecord> clients;
  // (client id, user id) → when the member joined the care team. The proto has no such field.
  std::map<std::pair<std::string, std::string>, absl::Time> care_team_added_times;
  // (clinic id, create request id) → client id.
  std::map<std::pair<std::string, std::string>, std::string> client_create_requests;
  std::map<std::string, UserRecord> users;
  // (user id, code digest) → when the recovery code was used; nullopt while unused.
  std::map<std::pair<std::string, std::string>, std::optional<absl::Time>> recovery_codes;
  std::map<std::string, SessionRecord> sessions;
  // By throttle key.
  std::map<std::string, ThrottleRecord> sign_in_throttle;
  // By token id.
  std::map<std::string, OneTimeTokenRecord> one_time_tokens;
  // By link id.
  std::map<std::string, PartnerLinkRecord> partner_links;
  // By grant id.
  std::map<std::string, BreakGlassRecord> break_glass_grants;
  // By message id.
  std::map<std::string, OutboundMessage> outbox;
  // (clinic id, client id) → data key row.
  std::map<std::pair<std::string, std::string>, ClientDataKeyRecord> client_data_keys;
  // By client id (one intake per client; lookups also check the clinic).
  std::map<std::string, IntakeRecord> intakes;
  // By consent id.
  std::map<std::string, ConsentRecord> consents;
  // (clinic id, record request id) → consent id.
  std::map<std::pair<std::string, std::string>, std::string> consent_record_requests;
  // By plan id.
  std::map<std::string, PlanRecord> plans;
  // (clinic id, create request id) → plan id.
  std::map<std::pair<std::string, std::string>, std::string> plan_create_requests;
  // (plan id, version) → version row.
  std::map<std::pair<std::string, int>, PlanVersionRecord> plan_versions;
  // By milestone id.
  std::map<std::string, MilestoneRecord> milestones;
  // By assessment id.
  std::map<std::string, AssessmentRecord> assessments;
  // By note id; reader_user_ids kept sorted.
  std::map<std::string, NoteRecord> notes;
  // (clinic id, create request id) → note id.
  std::map<std::pair<std::string, std::string>, std::string> note_create_requests;
  // By addendum id.
  std::map<std::string, AddendumRecord> note_addenda;
  // (clinic id, request id) → addendum id.
  std::map<std::pair<std::string, std::string>, std::string> note_addendum_requests;
  // --- H3 (practice logs, progression suggestions) ---
  // By log id.
  std::map<std::string, PracticeLogRecord> practice_logs;
  // By suggestion id.
  std::map<std::string, ProgressionSuggestionRecord> progression_suggestions;
  // --- end H3 ---
  // H1 exercises: by exercise id (lookups also check the clinic); (clinic id, create request
  // id) → exercise id; (exercise id, version) → version row.
  std::map<std::string, ExerciseRecord> exercises;
  std::map<std::pair<std::string, std::string>, std::string> exercise_create_requests;
  std::map<std::pair<std::string, int>, ExerciseVersionRecord> exercise_versions;
  // --- H2 programmes: by programme id (lookups also check clinic and client); (clinic id,
  // create request id) → programme id; (programme id, version) → version row. ---
  std::map<std::string, ProgrammeRecord> programmes;
  std::map<std::pair<std::string, std::string>, std::string> programme_create_requests;
  std::map<std::pair<std::string, int>, ProgrammeVersionRecord> programme_versions;
  // --- end H2 ---
  // H4 journal: by entry id (lookups also check clinic and client).
  std::map<std::string, JournalEntryRecord> journal_entries;
  // In append order.
  std::vector<AuditEvent> audit_events;
  // Audit checkpoint keys by key id.
  std::map<std::string, AuditSigningKeyRecord> audit_signing_keys;
};

}  // namespace confide
