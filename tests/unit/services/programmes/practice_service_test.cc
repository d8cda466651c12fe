// PracticeService over the in-memory unit of work with the real envelope cipher, called as the
// pipeline calls it (access already decided): she logs against her own ACTIVE programme only, a
// replay is the first log, her words are sealed, and the ladder suggests (never changes) a size.

#include "services/programmes/practice_service.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/programmes/programme_store.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/fakes/fake_id_generator.h"

namespace confide {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000d001";
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000d002";
constexpr char kProgramme[] = "00000000-0000-7000-8000-00000000e001";
// Summer in London (UTC+1).
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 6, 1, 8, 0, 0), absl::UTCTimeZone());

InMemoryDatabase Seeded() {
  InMemoryDatabase db;
  for (const char* id : {kJo, kRiley}) {
    ClientRecord client{.clinic_id = kClinic};
    client.client.set_id(id);
    db.clients.emplace(id, client);
  }
  return db;
}

// Breathing every day, and a dilator ladder at size 2 of 6: up after 6 sessions with the last 3
// at pain <= 2 and anxiety <= 3, down after 2 sessions at pain >= 6.
v1::Programme Content() {
  v1::Programme p;
  p.set_title("Your home practice");
  p.set_time_zone("Europe/London");
  v1::ProgrammeItem* breathing = p.add_items();
  breathing->set_id("breathing");
  breathing->set_exercise_id("ex-breathing");
  breathing->mutable_schedule()->set_times_per_period(1);
  breathing->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
  breathing->set_start_date("2026-06-01");
  v1::ProgrammeItem* dilator = p.add_items();
  dilator->set_id("dilator");
  dilator->set_exercise_id("ex-dilator");
  dilator->set_start_date("2026-06-01");
  v1::DilatorPrescription* d = dilator->mutable_dilator();
  for (int size = 1; size <= 6; ++size) {
    v1::DilatorSize* s = d->mutable_set()->add_sizes();
    s->set_size(size);
    s->set_diameter_mm(10 + 5 * size);
  }
  d->set_current_size(2);
  d->set_minutes_per_session(10);
  d->set_sessions_per_week(5);
  v1::ProgressionRule* rule = d->mutable_rule();
  rule->set_step_up_after_sessions(6);
  rule->set_step_up_window_sessions(3);
  rule->set_step_up_max_pain(2);
  rule->set_step_up_max_anxiety(3);
  rule->set_step_down_after_sessions(2);
  rule->set_step_down_min_pain(6);
  *d->mutable_current_size_since() = ToTimestamp(kStart - absl::Hours(1));
  return p;
}

class PracticeServiceTest : public ClinicalServiceTest {
 protected:
  PracticeServiceTest()
      : ClinicalServiceTest(kStart, Seeded(), kClinic, kJo), service_(cipher_, ids_) {}

  void SetUp() override { AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_ACTIVE); }

  void AddProgramme(const std::string& id, const std::string& client_id, int status) {
    ProgrammeRecord record{.id = id,
                           .clinic_id = kClinic,
                           .client_id = client_id,
                           .latest_version = 1,
                           .status = status,
                           .revision = 1,
                           .time_zone = "Europe/London",
                           .create_time = kStart - absl::Hours(2),
                           .created_by = "sam"};
    if (status != v1::PROGRAMME_STATUS_DRAFT) {
      record.activate_time = kStart - absl::Hours(1);
    }
    ASSERT_TRUE(uow_.programmes().Insert(record, "").ok());
    ASSERT_TRUE(
        StoreProgrammeVersion(uow_, cipher_, record, 1, Content(), "sam", kStart - absl::Hours(2))
            .ok());
  }

  v1::LogPracticeRequest Dilator(const std::string& request_id, int pain, int anxiety,
                                 int size = 2) {
    // Each session a day or so after the one before.
    clock_.Advance(absl::Hours(20));
    v1::LogPracticeRequest request;
    request.set_client_id("me");
    request.set_request_id(request_id);
    v1::PracticeLog* log = request.mutable_log();
    log->set_programme_id(kProgramme);
    log->set_item_id("dilator");
    *log->mutable_practiced_at() = ToTimestamp(clock_.Now() - absl::Minutes(5));
    log->set_duration_minutes(10);
    log->set_completion(v1::PRACTICE_COMPLETION_FULLY);
    log->set_dilator_size(size);
    log->set_pain(pain);
    log->set_anxiety(anxiety);
    return request;
  }

  absl::StatusOr<v1::PracticeLog> Log(const v1::LogPracticeRequest& request) {
    return As(patient_, kJo, [&](RequestScope& s) { return service_.LogPractice(request, s); });
  }

  std::vector<v1::ProgressionSuggestion> Suggestions(
      v1::SuggestionStatus status = v1::SUGGESTION_STATUS_UNSPECIFIED) {
    v1::ListProgressionSuggestionsRequest request;
    request.set_client_id(kJo);
    request.set_status(status);
    absl::StatusOr<v1::ListProgressionSuggestionsResponse> listed =
        As(clinician_, kJo,
           [&](RequestScope& s) { return service_.ListProgressionSuggestions(request, s); });
    EXPECT_TRUE(listed.ok()) << listed.status();
    return {listed->suggestions().begin(), listed->suggestions().end()};
  }

  int CurrentSize() {
    absl::StatusOr<OpenedProgramme> p = LoadProgramme(uow_, cipher_, kClinic, kJo, kProgramme, 0);
    EXPECT_TRUE(p.ok()) << p.status();
    return p->programme.items(1).dilator().current_size();
  }

  std::string Etag() {
    return LoadProgramme(uow_, cipher_, kClinic, kJo, kProgramme, 0)->programme.etag();
  }

  FakeIdGenerator ids_{"practice"};
  PracticeService service_;
};

TEST_F(PracticeServiceTest, ReplayOfTheSameRequestIdReturnsTheFirstLogAndStoresOneRow) {
  v1::LogPracticeRequest request = Dilator("phone-1", 1, 2);
  request.mutable_log()->set_feelings("Felt calmer than last week");
  absl::StatusOr<v1::PracticeLog> first = Log(request);
  ASSERT_TRUE(first.ok()) << first.status();
  request.mutable_log()->set_pain(9);  // A replay returns the first result, whatever it says.
  absl::StatusOr<v1::PracticeLog> again = Log(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  EXPECT_EQ(again->pain(), 1);
  EXPECT_EQ(again->feelings(), "Felt calmer than last week");
  EXPECT_THAT(uow_.state().practice_logs, SizeIs(1));
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/practiceLogs/", first->id()));
}

TEST_F(PracticeServiceTest, FeelingsAreSealedAndTheVersionAndLocalDateRecorded) {
  v1::LogPracticeRequest request = Dilator("phone-1", 0, 0);
  request.mutable_log()->set_feelings("A small win today");
  // 23:30 UTC is 00:30 the next day in London in summer.
  *request.mutable_log()->mutable_practiced_at() =
      ToTimestamp(absl::FromCivil(absl::CivilSecond(2026, 6, 1, 23, 30, 0), absl::UTCTimeZone()));
  absl::StatusOr<v1::PracticeLog> log = Log(request);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ(log->local_date(), "2026-06-02");
  EXPECT_EQ(log->programme_version(), 1);
  EXPECT_EQ(log->feelings(), "A small win today");
  const PracticeLogRecord& row = uow_.state().practice_logs.begin()->second;
  EXPECT_FALSE(row.feelings_sealed.empty());
  EXPECT_FALSE(absl::StrContains(row.feelings_sealed, "small win"));
  EXPECT_EQ(row.recorded_by_user_id, patient_.user_id);
}

TEST_F(PracticeServiceTest, RequestIdOfAnotherClientIsRefused) {
  ASSERT_TRUE(Log(Dilator("phone-1", 0, 0)).ok());
  AddProgramme("00000000-0000-7000-8000-00000000e002", kRiley, v1::PROGRAMME_STATUS_ACTIVE);
  v1::LogPracticeRequest riley = Dilator("phone-1", 0, 0);
  riley.mutable_log()->set_programme_id("00000000-0000-7000-8000-00000000e002");
  Principal riley_user = PatientPrincipal(kClinic, kRiley);
  absl::StatusOr<v1::PracticeLog> log =
      As(riley_user, kRiley, [&](RequestScope& s) { return service_.LogPractice(riley, s); });
  EXPECT_EQ(log.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(PracticeServiceTest, OnlyHerOwnActiveProgrammeTakesLogs) {
  const std::string draft = "00000000-0000-7000-8000-00000000e003";
  const std::string paused = "00000000-0000-7000-8000-00000000e004";
  const std::string riley = "00000000-0000-7000-8000-00000000e005";
  AddProgramme(draft, kJo, v1::PROGRAMME_STATUS_DRAFT);
  AddProgramme(paused, kJo, v1::PROGRAMME_STATUS_PAUSED);
  AddProgramme(riley, kRiley, v1::PROGRAMME_STATUS_ACTIVE);
  const struct {
    std::string programme;
    absl::StatusCode code;
    std::string words;
  } cases[] = {{draft, absl::StatusCode::kNotFound, "not found"},
               {paused, absl::StatusCode::kFailedPrecondition, "PAUSED"},
               {riley, absl::StatusCode::kNotFound, "not found"},
               {"00000000-0000-7000-8000-00000000eeee", absl::StatusCode::kNotFound, "not found"}};
  int n = 0;
  for (const auto& c : cases) {
    v1::LogPracticeRequest request = Dilator(absl::StrCat("r", ++n), 0, 0);
    request.mutable_log()->set_programme_id(c.programme);
    absl::StatusOr<v1::PracticeLog> log = Log(request);
    EXPECT_EQ(log.status().code(), c.code) << c.programme;
    EXPECT_THAT(log.status().message(), HasSubstr(c.words));
  }
  EXPECT_THAT(uow_.state().practice_logs, IsEmpty());
}

TEST_F(PracticeServiceTest, ValuesAgainstThePrescriptionNameTheField) {
  const struct {
    std::string name;
    std::function<void(v1::PracticeLog*)> change;
    std::string field;
  } cases[] = {
      {"size not in her set", [](v1::PracticeLog* l) { l->set_dilator_size(7); },
       "log.dilator_size"},
      {"skipped with pain",
       [](v1::PracticeLog* l) {
         l->set_completion(v1::PRACTICE_COMPLETION_SKIPPED);
         l->set_dilator_size(0);
         l->clear_anxiety();
       },
       "log.pain"},
      {"done without anxiety", [](v1::PracticeLog* l) { l->clear_anxiety(); }, "log.anxiety"},
      {"an hour ahead",
       [](v1::PracticeLog* l) {
         l->mutable_practiced_at()->set_seconds(l->practiced_at().seconds() + 3600);
       },
       "log.practiced_at"},
      {"100 days ago",
       [](v1::PracticeLog* l) {
         l->mutable_practiced_at()->set_seconds(l->practiced_at().seconds() - int64_t{100} * 86400);
       },
       "log.practiced_at"},
      {"no such item", [](v1::PracticeLog* l) { l->set_item_id("kegels"); }, "log.item_id"},
      {"no such version", [](v1::PracticeLog* l) { l->set_programme_version(3); },
       "log.programme_version"},
      {"a size on breathing", [](v1::PracticeLog* l) { l->set_item_id("breathing"); },
       "log.dilator_size"},
  };
  int n = 0;
  for (const auto& c : cases) {
    v1::LogPracticeRequest request = Dilator(absl::StrCat("v", ++n), 0, 0);
    c.change(request.mutable_log());
    absl::StatusOr<v1::PracticeLog> log = Log(request);
    EXPECT_EQ(log.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(log.status().message(), HasSubstr(c.field)) << c.name;
  }
  EXPECT_THAT(uow_.state().practice_logs, IsEmpty());
}

TEST_F(PracticeServiceTest, SixthCalmSessionSuggestsOneStepUpAndOnlyOnce) {
  for (int i = 1; i <= 5; ++i) {
    absl::StatusOr<v1::PracticeLog> log = Log(Dilator(absl::StrCat("s", i), 1, 2));
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_TRUE(log->suggestion_id().empty());
  }
  EXPECT_THAT(Suggestions(), IsEmpty());
  ASSERT_TRUE(Log(Dilator("s6", 2, 3)).ok());
  std::vector<v1::ProgressionSuggestion> made = Suggestions();
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].direction(), v1::PROGRESSION_DIRECTION_STEP_UP);
  EXPECT_EQ(made[0].from_size(), 2);
  EXPECT_EQ(made[0].to_size(), 3);
  EXPECT_EQ(made[0].sessions_at_size(), 6);
  EXPECT_EQ(made[0].window_sessions(), 3);
  EXPECT_EQ(made[0].window_max_pain(), 2);
  EXPECT_EQ(made[0].window_max_anxiety(), 3);
  EXPECT_EQ(made[0].status(), v1::SUGGESTION_STATUS_PENDING);
  EXPECT_EQ(made[0].programme_version(), 1);
  // The patient does not see which suggestion her session led to; the care team does.
  const PracticeLogRecord* sixth = nullptr;
  for (const auto& [id, row] : uow_.state().practice_logs) {
    if (row.request_id == "s6") {
      sixth = &row;
    }
  }
  ASSERT_NE(sixth, nullptr);
  EXPECT_EQ(sixth->suggestion_id, made[0].id());
  // One PENDING per item: more calm sessions add evidence, not suggestions.
  ASSERT_TRUE(Log(Dilator("s7", 0, 0)).ok());
  EXPECT_THAT(Suggestions(), SizeIs(1));
  // A suggestion never changes the programme by itself.
  EXPECT_EQ(CurrentSize(), 2);
}

TEST_F(PracticeServiceTest, AcceptMakesANewVersionAtTheSuggestedSize) {
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(Log(Dilator(absl::StrCat("s", i), 0, 1)).ok());
  }
  std::vector<v1::ProgressionSuggestion> made = Suggestions();
  ASSERT_THAT(made, SizeIs(1));
  v1::DecideProgressionSuggestionRequest accept;
  accept.set_client_id(kJo);
  accept.set_suggestion_id(made[0].id());
  accept.set_programme_etag("v0");
  absl::StatusOr<v1::Programme> stale =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.Accept(accept, s); });
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  accept.set_programme_etag(Etag());
  absl::StatusOr<v1::Programme> accepted =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.Accept(accept, s); });
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->version(), 2);
  EXPECT_EQ(accepted->items(1).dilator().current_size(), 3);
  EXPECT_EQ(CurrentSize(), 3);
  std::vector<v1::ProgressionSuggestion> after = Suggestions();
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_EQ(after[0].status(), v1::SUGGESTION_STATUS_ACCEPTED);
  EXPECT_EQ(after[0].accepted_version(), 2);
  EXPECT_EQ(after[0].decided_by_user_id(), "sam");
  // Deciding twice is refused naming the state.
  absl::StatusOr<v1::ProgressionSuggestion> again =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.Decline(accept, s); });
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("ACCEPTED"));
  // Her phone, still showing version 1, logs against it: the log records the version she saw.
  v1::LogPracticeRequest offline = Dilator("old-version", 0, 0, 2);
  offline.mutable_log()->set_programme_version(1);
  absl::StatusOr<v1::PracticeLog> old = Log(offline);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->programme_version(), 1);
  // Evidence starts again at the new size: five calm sessions at size 3 are not yet enough.
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(Log(Dilator(absl::StrCat("t", i), 0, 0, 3)).ok());
  }
  EXPECT_THAT(Suggestions(v1::SUGGESTION_STATUS_PENDING), IsEmpty());
}

TEST_F(PracticeServiceTest, DeclineLeavesTheProgrammeAndWaitsForFreshEvidence) {
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(Log(Dilator(absl::StrCat("s", i), 0, 1)).ok());
  }
  std::vector<v1::ProgressionSuggestion> made = Suggestions();
  ASSERT_THAT(made, SizeIs(1));
  v1::DecideProgressionSuggestionRequest decline;
  decline.set_client_id(kJo);
  decline.set_suggestion_id(made[0].id());
  absl::StatusOr<v1::ProgressionSuggestion> declined =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.Decline(decline, s); });
  ASSERT_TRUE(declined.ok()) << declined.status();
  EXPECT_EQ(declined->status(), v1::SUGGESTION_STATUS_DECLINED);
  EXPECT_EQ(CurrentSize(), 2);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(Log(Dilator(absl::StrCat("u", i), 0, 0)).ok());
  }
  EXPECT_THAT(Suggestions(v1::SUGGESTION_STATUS_PENDING), IsEmpty());
  ASSERT_TRUE(Log(Dilator("u6", 0, 0)).ok());
  EXPECT_THAT(Suggestions(v1::SUGGESTION_STATUS_PENDING), SizeIs(1));
}

TEST_F(PracticeServiceTest, TwoPainfulSessionsSuggestAStepDown) {
  ASSERT_TRUE(Log(Dilator("p1", 7, 4)).ok());
  EXPECT_THAT(Suggestions(), IsEmpty());
  ASSERT_TRUE(Log(Dilator("p2", 6, 5)).ok());
  std::vector<v1::ProgressionSuggestion> made = Suggestions();
  ASSERT_THAT(made, SizeIs(1));
  EXPECT_EQ(made[0].direction(), v1::PROGRESSION_DIRECTION_STEP_DOWN);
  EXPECT_EQ(made[0].to_size(), 1);
  EXPECT_EQ(made[0].window_sessions(), 2);
  EXPECT_EQ(made[0].window_max_pain(), 7);
}

TEST_F(PracticeServiceTest, SkippedSessionsAndOtherSizesAreNotEvidence) {
  for (int i = 1; i <= 6; ++i) {
    v1::LogPracticeRequest skipped = Dilator(absl::StrCat("k", i), 0, 0);
    skipped.mutable_log()->set_completion(v1::PRACTICE_COMPLETION_SKIPPED);
    skipped.mutable_log()->set_dilator_size(0);
    skipped.mutable_log()->set_duration_minutes(0);
    skipped.mutable_log()->clear_pain();
    skipped.mutable_log()->clear_anxiety();
    ASSERT_TRUE(Log(skipped).ok());
    ASSERT_TRUE(Log(Dilator(absl::StrCat("o", i), 0, 0, 1)).ok());
  }
  EXPECT_THAT(Suggestions(), IsEmpty());
}

TEST_F(PracticeServiceTest, ListsNewestPracticeFirstAcrossPages) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(Log(Dilator(absl::StrCat("l", i), 0, 0)).ok());
  }
  v1::ListPracticeLogsRequest request;
  request.set_client_id(kJo);
  request.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    absl::StatusOr<v1::ListPracticeLogsResponse> listed =
        As(patient_, kJo, [&](RequestScope& s) { return service_.ListPracticeLogs(request, s); });
    ASSERT_TRUE(listed.ok()) << listed.status();
    for (const v1::PracticeLog& log : listed->logs()) {
      seen.push_back(log.id());
      EXPECT_TRUE(log.suggestion_id().empty());
    }
    if (listed->next_page_token().empty()) {
      break;
    }
    request.set_page_token(listed->next_page_token());
  }
  ASSERT_THAT(seen, SizeIs(5));
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
  request.set_page_token("bm90LWEtdG9rZW4");
  absl::StatusOr<v1::ListPracticeLogsResponse> bad =
      As(patient_, kJo, [&](RequestScope& s) { return service_.ListPracticeLogs(request, s); });
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

// A PENDING suggestion the prescription can no longer take (made from a programme read just
// before a clinician changed the size, on a database that runs both at once) must not block
// the ladder for good: the next session at the current size supersedes it.
TEST_F(PracticeServiceTest, AStalePendingSuggestionIsSupersededAndTheLadderGoesOn) {
  ASSERT_TRUE(uow_.progression_suggestions()
                  .Insert(ProgressionSuggestionRecord{.id = "stale",
                                                      .clinic_id = kClinic,
                                                      .client_id = kJo,
                                                      .programme_id = kProgramme,
                                                      .programme_version = 1,
                                                      .item_id = "dilator",
                                                      .direction = 1,
                                                      .from_size = 1,
                                                      .to_size = 2,
                                                      .status = v1::SUGGESTION_STATUS_PENDING,
                                                      .create_time = kStart})
                  .ok());
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(Log(Dilator(absl::StrCat("s", i), 0, 1)).ok());
  }
  EXPECT_EQ(uow_.state().progression_suggestions.at("stale").status,
            v1::SUGGESTION_STATUS_SUPERSEDED);
  std::vector<v1::ProgressionSuggestion> pending = Suggestions(v1::SUGGESTION_STATUS_PENDING);
  ASSERT_THAT(pending, SizeIs(1));
  EXPECT_EQ(pending[0].from_size(), 2);
  EXPECT_EQ(pending[0].to_size(), 3);
}

// Versions written before the first activation were the care team's drafts: she never saw
// them, so they answer as a version that does not exist. The one that was current when the
// programme was activated, and every later one, she may have practised against.
TEST_F(PracticeServiceTest, DraftVersionsBeforeActivationAreNotHersToLogAgainst) {
  const std::string id = "00000000-0000-7000-8000-00000000e010";
  ProgrammeRecord record{.id = id,
                         .clinic_id = kClinic,
                         .client_id = kJo,
                         .latest_version = 3,
                         .status = v1::PROGRAMME_STATUS_ACTIVE,
                         .revision = 5,
                         .time_zone = "Europe/London",
                         .activate_time = kStart - absl::Hours(2),
                         .create_time = kStart - absl::Hours(4),
                         .created_by = "sam"};
  ASSERT_TRUE(uow_.programmes().Insert(record, "").ok());
  // v1 and v2 drafted before activation (v2 was current then), v3 after.
  v1::Programme draft = Content();
  draft.mutable_items(0)->set_id("dropped-before-activation");
  ASSERT_TRUE(
      StoreProgrammeVersion(uow_, cipher_, record, 1, draft, "sam", kStart - absl::Hours(4)).ok());
  ASSERT_TRUE(
      StoreProgrammeVersion(uow_, cipher_, record, 2, Content(), "sam", kStart - absl::Hours(3))
          .ok());
  ASSERT_TRUE(
      StoreProgrammeVersion(uow_, cipher_, record, 3, Content(), "sam", kStart - absl::Hours(1))
          .ok());
  const struct {
    int version;
    std::string item;
    absl::StatusCode code;
  } cases[] = {{1, "dilator", absl::StatusCode::kInvalidArgument},
               {1, "dropped-before-activation", absl::StatusCode::kInvalidArgument},
               {2, "dilator", absl::StatusCode::kOk},
               {3, "dilator", absl::StatusCode::kOk}};
  int n = 0;
  for (const auto& c : cases) {
    v1::LogPracticeRequest request = Dilator(absl::StrCat("d", ++n), 1, 1);
    request.mutable_log()->set_programme_id(id);
    request.mutable_log()->set_programme_version(c.version);
    request.mutable_log()->set_item_id(c.item);
    absl::StatusOr<v1::PracticeLog> log = Log(request);
    EXPECT_EQ(log.status().code(), c.code) << c.version << " " << c.item << ": " << log.status();
    if (c.code == absl::StatusCode::kInvalidArgument) {
      EXPECT_THAT(log.status().message(), HasSubstr("log.programme_version"));
    }
  }
}

// A decision on an unknown suggestion is audited with the id tried (ids only).
TEST_F(PracticeServiceTest, AnUnknownSuggestionIsAuditedWithTheIdTried) {
  v1::DecideProgressionSuggestionRequest decline;
  decline.set_client_id(kJo);
  decline.set_suggestion_id("00000000-0000-7000-8000-00000000ffff");
  absl::StatusOr<v1::ProgressionSuggestion> declined =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.Decline(decline, s); });
  EXPECT_EQ(declined.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo,
                                         "/progressionSuggestions/"
                                         "00000000-0000-7000-8000-00000000ffff"));
}

}  // namespace
}  // namespace confide
