#include "services/demo/demo_programme.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "confide/v1/journal.pb.h"
#include "confide/v1/programmes.pb.h"
#include "services/common/timestamps.h"
#include "services/demo/demo_clinic.h"
#include "services/exercises/exercise_store.h"
#include "services/exercises/ports/exercise_repository.h"
#include "services/journal/journal_store.h"
#include "services/programmes/local_day.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/programme_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/programmes/programme_store.h"

namespace confide {
namespace {

constexpr char kAlexId[] = "0190d000-0000-7000-8000-00000000a002";
constexpr char kJoUserId[] = "0190d000-0000-7000-8000-00000000a005";
constexpr char kSuggestionId[] = "0190d000-0000-7000-8000-0000f2000001";
constexpr char kTimeZone[] = "Europe/London";
constexpr int kProgrammeDays = 35;
// She logs each session a couple of minutes after it.
constexpr absl::Duration kLoggedAfter = absl::Minutes(2);

// The dilator ladder: pain scores at size 1 fall until the rule suggests size 2 after the 8th
// session; at size 2 they fall more slowly (the last three 4, 3, 3: not yet three at 3 or less).
struct DilatorSession {
  int days_ago;
  int size;
  int pain;
  int anxiety;
  v1::PracticeCompletion completion;
  int minutes;
  const char* feelings;
};

const std::vector<DilatorSession>& DilatorSessions() {
  static const std::vector<DilatorSession> kSessions = {
      {34, 1, 5, 6, v1::PRACTICE_COMPLETION_PARTLY, 6,
       "Nervous beforehand, but the breathing helped. Got the tip in and stayed there."},
      {33, 1, 4, 5, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {31, 1, 4, 4, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {29, 1, 3, 4, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {27, 1, 3, 3, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {26, 1, 2, 3, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {24, 1, 2, 2, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {22, 1, 2, 2, v1::PRACTICE_COMPLETION_FULLY, 10, "That felt almost easy today. Proud of me."},
      {20, 2, 6, 6, v1::PRACTICE_COMPLETION_PARTLY, 5,
       "Size 2 felt like a big step. Stopped halfway, and that's okay."},
      {18, 2, 5, 5, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {16, 2, 5, 5, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {15, 2, 5, 4, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {13, 2, 4, 4, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {11, 2, 4, 4, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {10, 0, -1, -1, v1::PRACTICE_COMPLETION_SKIPPED, 0, "Too tired tonight."},
      {9, 2, 4, 3, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {8, 2, 3, 3, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {6, 2, 4, 3, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {4, 2, 3, 3, v1::PRACTICE_COMPLETION_FULLY, 10, ""},
      {2, 2, 3, 3, v1::PRACTICE_COMPLETION_FULLY, 12, "Much calmer with size 2 now."},
  };
  return kSessions;
}

// The session after which the step-up suggestion was made (the 8th at size 1), and the day
// Alex accepted it.
constexpr int kSuggestionSessionDaysAgo = 22;
constexpr int kSizeTwoDaysAgo = 21;

std::string LogId(int n) { return absl::StrFormat("0190d000-0000-7000-8000-0000f1%06x", n); }

v1::ProgrammeItem Item(const char* id, const v1::Exercise& exercise, const std::string& start) {
  v1::ProgrammeItem item;
  item.set_id(id);
  item.set_exercise_id(exercise.id());
  item.set_exercise_version(exercise.version());
  *item.mutable_exercise() = exercise;
  item.set_start_date(start);
  return item;
}

// Builds Jo's programme over the demo clinic's starter exercises, sealing with the cipher.
class DemoProgrammeWriter {
 public:
  DemoProgrammeWriter(UnitOfWork& uow, ClientDataCipher& cipher, absl::Time now,
                      absl::TimeZone zone)
      : uow_(uow),
        cipher_(cipher),
        now_(StoredTime(now)),
        zone_(zone),
        today_(absl::ToCivilDay(now_, zone_)) {}

  absl::Status Write() {
    absl::StatusOr<v1::Programme> first = FirstVersion();
    if (!first.ok()) {
      return first.status();
    }
    const absl::Time created = At(kProgrammeDays, 9);
    ProgrammeRecord record{.id = kDemoJoProgrammeId,
                           .clinic_id = kDemoClinicId,
                           .client_id = kDemoJoClientId,
                           .latest_version = 1,
                           .status = v1::PROGRAMME_STATUS_DRAFT,
                           .revision = 1,
                           .time_zone = kTimeZone,
                           .create_time = created,
                           .created_by = kAlexId};
    if (absl::Status s = uow_.programmes().Insert(record, ""); !s.ok()) {
      return s;
    }
    if (absl::Status s = StoreProgrammeVersion(uow_, cipher_, record, 1, *first, kAlexId, created);
        !s.ok()) {
      return s;
    }
    ProgrammeRecord active = record;
    active.status = v1::PROGRAMME_STATUS_ACTIVE;
    active.activate_time = created + absl::Minutes(5);
    if (absl::Status s = uow_.programmes().Update(active, record.revision); !s.ok()) {
      return s;
    }
    if (absl::Status s = WriteLogs(); !s.ok()) {
      return s;
    }
    return WriteJournal();
  }

 private:
  // `hour`:`minute` by her clock on the local day `days_ago` days before today. From the civil
  // time, not midnight plus hours: on a DST change day those differ by an hour.
  absl::Time At(int days_ago, int hour, int minute = 0) const {
    const absl::CivilDay day = today_ - days_ago;
    return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute),
                           zone_);
  }

  absl::StatusOr<v1::Exercise> Starter(const char* key) {
    absl::StatusOr<std::optional<ExerciseRecord>> record =
        uow_.exercises().FindByStarterKey(kDemoClinicId, key);
    if (!record.ok()) {
      return record.status();
    }
    if (!record->has_value()) {
      return absl::FailedPreconditionError("the demo clinic's starter exercises are not seeded");
    }
    return LoadExerciseVersion(uow_, kDemoClinicId, (*record)->id, 0);
  }

  absl::StatusOr<v1::Programme> FirstVersion() {
    const std::string start = FormatLocalDate(today_ - kProgrammeDays);
    absl::StatusOr<v1::Exercise> breathing = Starter("down-training-breathing");
    absl::StatusOr<v1::Exercise> kegels = Starter("kegels-gentle");
    absl::StatusOr<v1::Exercise> dilator = Starter("dilator-practice");
    absl::StatusOr<v1::Exercise> journaling = Starter("journaling-prompts");
    for (const auto* exercise : {&breathing, &kegels, &dilator, &journaling}) {
      if (!exercise->ok()) {
        return exercise->status();
      }
    }
    v1::Programme programme;
    programme.set_client_id(kDemoJoClientId);
    programme.set_title("Your home programme");
    programme.set_patient_message(
        "Hi Jo, here is what we agreed: a little breathing every day, gentle pelvic-floor "
        "exercises three times a week, and dilator practice at your own pace. Small steps count. "
        "If anything hurts or worries you, pause and tell us. Alex");
    programme.set_time_zone(kTimeZone);

    v1::ProgrammeItem* item = programme.add_items();
    *item = Item("breathing", *breathing, start);
    item->mutable_schedule()->set_times_per_period(1);
    item->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
    item->mutable_dose()->set_duration_minutes(10);
    item->set_instructions("Also three slow belly breaths before each dilator session.");

    item = programme.add_items();
    *item = Item("exercises", *kegels, start);
    item->mutable_schedule()->set_times_per_period(1);
    item->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
    for (v1::Weekday day : {v1::WEEKDAY_MONDAY, v1::WEEKDAY_WEDNESDAY, v1::WEEKDAY_FRIDAY}) {
      item->mutable_schedule()->add_days_of_week(day);
    }
    item->mutable_dose()->set_sets(2);
    item->mutable_dose()->set_reps(8);
    item->mutable_dose()->set_hold_seconds(3);
    item->mutable_dose()->set_rest_seconds(6);
    item->set_instructions("Half strength is plenty; the letting go is the important part.");

    item = programme.add_items();
    *item = Item("practice", *dilator, start);
    v1::DilatorPrescription* ladder = item->mutable_dilator();
    int diameter = 12;
    for (int size = 1; size <= 6; ++size, diameter += 3) {
      v1::DilatorSize* added = ladder->mutable_set()->add_sizes();
      added->set_size(size);
      added->set_diameter_mm(diameter);
    }
    ladder->set_current_size(1);
    ladder->set_minutes_per_session(10);
    ladder->set_sessions_per_week(4);
    v1::ProgressionRule* rule = ladder->mutable_rule();
    rule->set_step_up_after_sessions(8);
    rule->set_step_up_window_sessions(3);
    rule->set_step_up_max_pain(3);
    rule->set_step_up_max_anxiety(3);
    rule->set_step_down_after_sessions(2);
    rule->set_step_down_min_pain(7);
    *ladder->mutable_current_size_since() = ToTimestamp(At(kProgrammeDays, 9));

    item = programme.add_items();
    *item = Item("notes", *journaling, start);
    item->mutable_schedule()->set_times_per_period(2);
    item->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_WEEK);
    item->mutable_dose()->set_duration_minutes(10);
    return programme;
  }

  absl::Status InsertLog(PracticeLogRecord log, const char* feelings) {
    log.id = LogId(++logs_);
    log.clinic_id = kDemoClinicId;
    log.client_id = kDemoJoClientId;
    log.programme_id = kDemoJoProgrammeId;
    log.local_date = LocalDate(log.practiced_at, zone_);
    log.recorded_by_user_id = kJoUserId;
    log.create_time = log.practiced_at + kLoggedAfter;
    log.request_id = absl::StrFormat("demo-practice-%d", logs_);
    if (feelings != nullptr && feelings[0] != '\0') {
      absl::StatusOr<std::string> sealed =
          cipher_.Seal(uow_, kDemoClinicId, kDemoJoClientId,
                       FieldLocation{"practice_logs", "feelings", log.id}, feelings);
      if (!sealed.ok()) {
        return sealed.status();
      }
      log.feelings_sealed = *std::move(sealed);
    }
    return uow_.practice_logs().Insert(log);
  }

  // The version in effect at `t`: size 2 came with version 2.
  int VersionAt(absl::Time t) const { return t < At(kSizeTwoDaysAgo, 9) ? 1 : 2; }

  absl::Status WriteLogs() {
    // Day by day, oldest first, so log ids follow practice time.
    for (int days_ago = kProgrammeDays - 1; days_ago >= 1; --days_ago) {
      const absl::CivilDay day = today_ - days_ago;
      const absl::Weekday weekday = absl::GetWeekday(day);
      // Breathing: most mornings; one logged as skipped, a few simply missed.
      if (days_ago % 9 != 4) {
        const bool skipped = days_ago == 12;
        PracticeLogRecord log{
            .programme_version = VersionAt(At(days_ago, 8)),
            .item_id = "breathing",
            .practiced_at = At(days_ago, 8),
            .duration_minutes = skipped ? 0 : 10,
            .completion = skipped ? v1::PRACTICE_COMPLETION_SKIPPED : v1::PRACTICE_COMPLETION_FULLY,
            .pain = skipped ? -1 : 0,
            .anxiety = skipped ? -1
                               : (days_ago > 20   ? 3
                                  : days_ago > 10 ? 2
                                                  : 1)};
        if (absl::Status s = InsertLog(
                log, days_ago == 30 ? "Noticed I was clenching my jaw too. Let it go." : nullptr);
            !s.ok()) {
          return s;
        }
      }
      // Kegels on Mondays, Wednesdays and Fridays (one Friday missed).
      if ((weekday == absl::Weekday::monday || weekday == absl::Weekday::wednesday ||
           weekday == absl::Weekday::friday) &&
          days_ago != 17 && days_ago != 18 && days_ago != 19) {
        PracticeLogRecord log{.programme_version = VersionAt(At(days_ago, 19)),
                              .item_id = "exercises",
                              .practiced_at = At(days_ago, 19),
                              .duration_minutes = 8,
                              .completion = v1::PRACTICE_COMPLETION_FULLY,
                              .pain = days_ago > 25 ? 1 : 0,
                              .anxiety = days_ago > 25 ? 2 : 1};
        if (absl::Status s = InsertLog(log, nullptr); !s.ok()) {
          return s;
        }
      }
      for (const DilatorSession& session : DilatorSessions()) {
        if (session.days_ago != days_ago) {
          continue;
        }
        PracticeLogRecord log{.programme_version = VersionAt(At(days_ago, 21)),
                              .item_id = "practice",
                              .practiced_at = At(days_ago, 21),
                              .duration_minutes = session.minutes,
                              .completion = session.completion,
                              .dilator_size = session.size,
                              .pain = session.pain,
                              .anxiety = session.anxiety};
        if (days_ago == kSuggestionSessionDaysAgo) {
          log.suggestion_id = kSuggestionId;
        }
        if (absl::Status s = InsertLog(log, session.feelings); !s.ok()) {
          return s;
        }
        if (days_ago == kSuggestionSessionDaysAgo) {
          if (absl::Status s = StepUpToSizeTwo(LogId(logs_), log.practiced_at + kLoggedAfter);
              !s.ok()) {
            return s;
          }
        }
      }
      // Journaling on Wednesdays and Sundays, most weeks.
      if ((weekday == absl::Weekday::wednesday || weekday == absl::Weekday::sunday) &&
          days_ago % 3 != 0) {
        PracticeLogRecord log{.programme_version = VersionAt(At(days_ago, 22)),
                              .item_id = "notes",
                              .practiced_at = At(days_ago, 22),
                              .duration_minutes = 10,
                              .completion = v1::PRACTICE_COMPLETION_FULLY,
                              .pain = 0,
                              .anxiety = 1};
        if (absl::Status s = InsertLog(log, nullptr); !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }

  // The ladder's suggestion after the 8th good session at size 1, which Alex accepted the next
  // morning: version 2 at size 2.
  absl::Status StepUpToSizeTwo(const std::string& log_id, absl::Time suggested) {
    const absl::Time accepted = At(kSizeTwoDaysAgo, 9);
    if (absl::Status s = uow_.progression_suggestions().Insert(
            ProgressionSuggestionRecord{.id = kSuggestionId,
                                        .clinic_id = kDemoClinicId,
                                        .client_id = kDemoJoClientId,
                                        .programme_id = kDemoJoProgrammeId,
                                        .programme_version = 1,
                                        .item_id = "practice",
                                        .direction = v1::PROGRESSION_DIRECTION_STEP_UP,
                                        .from_size = 1,
                                        .to_size = 2,
                                        .sessions_at_size = 8,
                                        .window_sessions = 3,
                                        .window_max_pain = 2,
                                        .window_max_anxiety = 3,
                                        .practice_log_id = log_id,
                                        .status = v1::SUGGESTION_STATUS_ACCEPTED,
                                        .create_time = suggested,
                                        .decided_by_user_id = kAlexId,
                                        .decide_time = accepted,
                                        .accepted_version = 2});
        !s.ok()) {
      return s;
    }
    absl::StatusOr<OpenedProgramme> current =
        LoadProgramme(uow_, cipher_, kDemoClinicId, kDemoJoClientId, kDemoJoProgrammeId, 0);
    if (!current.ok()) {
      return current.status();
    }
    v1::Programme next = current->programme;
    for (v1::ProgrammeItem& item : *next.mutable_items()) {
      if (item.has_dilator()) {
        item.mutable_dilator()->set_current_size(2);
      }
    }
    return WriteNextVersion(uow_, cipher_, *current, std::move(next), kAlexId, accepted).status();
  }

  absl::Status WriteJournal() {
    struct DemoEntry {
      const char* id;
      int days_ago;
      int hour;
      const char* text;
      v1::Mood mood;
      std::vector<const char*> tags;
      bool shared_with_care_team;
    };
    const DemoEntry entries[] = {
        {kDemoJoPrivateJournalEntryId,
         9,
         22,
         "Told Kim a bit more about how the practice is going. It felt good to say it out loud, "
         "and Kim just listened.",
         v1::MOOD_GOOD,
         {"kim", "win"},
         false},
        {kDemoJoSharedJournalEntryId,
         3,
         21,
         "Three weeks on size 2. Some evenings it still feels like a lot, but I notice I'm less "
         "tense before I start. I'd like to talk about how to keep going on the days I'm tired.",
         v1::MOOD_OKAY,
         {"dilator", "progress"},
         true},
    };
    for (const DemoEntry& demo : entries) {
      v1::JournalEntry entry;
      entry.set_id(demo.id);
      entry.set_client_id(kDemoJoClientId);
      entry.set_text(demo.text);
      entry.set_mood(demo.mood);
      for (const char* tag : demo.tags) {
        entry.add_tags(tag);
      }
      entry.set_shared_with_care_team(demo.shared_with_care_team);
      const absl::Time written = At(demo.days_ago, demo.hour);
      *entry.mutable_write_time() = ToTimestamp(written);
      absl::StatusOr<JournalEntryRecord> record =
          SealNewEntry(cipher_, uow_, kDemoClinicId, entry, "", written + absl::Minutes(1));
      if (!record.ok()) {
        return record.status();
      }
      if (absl::Status s = uow_.journal().Insert(*record); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  UnitOfWork& uow_;
  ClientDataCipher& cipher_;
  const absl::Time now_;
  const absl::TimeZone zone_;
  const absl::CivilDay today_;
  int logs_ = 0;
};

}  // namespace

absl::Status LoadDemoHomeProgramme(UnitOfWork& uow, ClientDataCipher& cipher, absl::Time now) {
  absl::StatusOr<absl::TimeZone> zone = LoadProgrammeZone(kTimeZone);
  if (!zone.ok()) {
    return zone.status();
  }
  return DemoProgrammeWriter(uow, cipher, now, *zone).Write();
}

}  // namespace confide
