// Practice logs and progression suggestions against a real database (SQLite or PostgreSQL,
// whichever CONFIDE_TEST_DATABASE names): every field round-trips, request ids are unique per
// clinic, the progress aggregates are right, one PENDING suggestion per item, the
// aggregates read the migration's indexes (their plans are printed for the record), and
// crypto-erasure deletes one client's logs and suggestions only.

#include "services/programmes/ports/practice_log_repository.h"

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "adapters/persistence/soci_practice_log_repository.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/programmes/ports/programme_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kJo[] = "00000000-0000-7000-8000-000000008001";
constexpr char kRiley[] = "00000000-0000-7000-8000-000000008002";
constexpr char kCasey[] = "00000000-0000-7000-8000-000000008003";  // clinic B

// v1::PracticeCompletion and v1::SuggestionStatus / ProgressionDirection as the columns hold them.
constexpr int kFully = 1;
constexpr int kPartly = 2;
constexpr int kSkipped = 3;
constexpr int kPending = 1;
constexpr int kAccepted = 2;
constexpr int kDeclined = 3;
constexpr int kSuperseded = 4;
constexpr int kStepUp = 1;

std::string ProgrammeId(int n) {
  return absl::StrFormat("00000000-0000-7000-8000-%012d", 8100 + n);
}
std::string LogId(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 800000 + n); }
std::string SuggestionId(int n) {
  return absl::StrFormat("00000000-0000-7000-8000-%012d", 900000 + n);
}

// 2026-03-02 08:00 UTC plus `day` days and `minute` minutes.
absl::Time At(int day, int minute = 0) {
  return absl::FromUnixMicros(1'772'438'400'000'000) + absl::Hours(24 * day) +
         absl::Minutes(minute) + absl::Microseconds(7);
}

std::string DateOf(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

PracticeLogRecord NewLog(int n, const std::string& programme_id, const std::string& item_id,
                         absl::Time practiced_at, int completion, int size, int pain, int anxiety,
                         const std::string& client_id = kJo,
                         const std::string& clinic_id = kClinicA) {
  const bool skipped = completion == kSkipped;
  return PracticeLogRecord{.id = LogId(n),
                           .clinic_id = clinic_id,
                           .client_id = client_id,
                           .programme_id = programme_id,
                           .programme_version = 1,
                           .item_id = item_id,
                           .practiced_at = practiced_at,
                           .local_date = DateOf(practiced_at),
                           .duration_minutes = skipped ? 0 : 10,
                           .completion = completion,
                           .dilator_size = skipped ? 0 : size,
                           .pain = skipped ? -1 : pain,
                           .anxiety = skipped ? -1 : anxiety,
                           .feelings_sealed = n % 2 == 0 ? "" : absl::StrCat("sealed-", n),
                           .suggestion_id = "",
                           .recorded_by_user_id = clinic_id == kClinicA ? kAlice : kCai,
                           .create_time = practiced_at + absl::Minutes(1),
                           .request_id = absl::StrCat("req-", n)};
}

ProgressionSuggestionRecord NewSuggestion(int n, const std::string& programme_id,
                                          const std::string& item_id, int status = kPending) {
  return ProgressionSuggestionRecord{.id = SuggestionId(n),
                                     .clinic_id = kClinicA,
                                     .client_id = kJo,
                                     .programme_id = programme_id,
                                     .programme_version = 2,
                                     .item_id = item_id,
                                     .direction = kStepUp,
                                     .from_size = 2,
                                     .to_size = 3,
                                     .sessions_at_size = 6,
                                     .window_sessions = 3,
                                     .window_max_pain = 2,
                                     .window_max_anxiety = 1,
                                     .practice_log_id = LogId(n),
                                     .status = status,
                                     .create_time = At(n)};
}

class PracticeLogRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(InsertClients({NewClient(kJo, kClinicA), NewClient(kRiley, kClinicA),
                               NewClient(kCasey, kClinicB)})
                    .ok());
    ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                  for (int n = 1; n <= 3; ++n) {
                    const std::string client = n == 3 ? kCasey : n == 2 ? kRiley : kJo;
                    const std::string clinic = n == 3 ? kClinicB : kClinicA;
                    ProgrammeRecord p{.id = ProgrammeId(n),
                                      .clinic_id = clinic,
                                      .client_id = client,
                                      .latest_version = 1,
                                      .status = 2,
                                      .revision = 1,
                                      .time_zone = "UTC",
                                      .create_time = kCreateTime,
                                      .created_by = n == 3 ? kCai : kAlice};
                    if (absl::Status s = uow.programmes().Insert(p, ""); !s.ok()) {
                      return s;
                    }
                  }
                  return absl::OkStatus();
                }).ok());
  }

  absl::Status InsertLogs(const std::vector<PracticeLogRecord>& logs) {
    return Write([&](UnitOfWork& uow) -> absl::Status {
      for (const PracticeLogRecord& log : logs) {
        if (absl::Status s = uow.practice_logs().Insert(log); !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    });
  }

  absl::Status InsertSuggestion(const ProgressionSuggestionRecord& s) {
    return Write([&](UnitOfWork& uow) { return uow.progression_suggestions().Insert(s); });
  }
};

void ExpectSameLog(const PracticeLogRecord& got, const PracticeLogRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.clinic_id, want.clinic_id);
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.programme_id, want.programme_id);
  EXPECT_EQ(got.programme_version, want.programme_version);
  EXPECT_EQ(got.item_id, want.item_id);
  EXPECT_EQ(got.practiced_at, want.practiced_at);
  EXPECT_EQ(got.local_date, want.local_date);
  EXPECT_EQ(got.duration_minutes, want.duration_minutes);
  EXPECT_EQ(got.completion, want.completion);
  EXPECT_EQ(got.dilator_size, want.dilator_size);
  EXPECT_EQ(got.pain, want.pain);
  EXPECT_EQ(got.anxiety, want.anxiety);
  EXPECT_EQ(got.feelings_sealed, want.feelings_sealed);
  EXPECT_EQ(got.suggestion_id, want.suggestion_id);
  EXPECT_EQ(got.recorded_by_user_id, want.recorded_by_user_id);
  EXPECT_EQ(got.create_time, want.create_time);
  EXPECT_EQ(got.request_id, want.request_id);
}

TEST_F(PracticeLogRepositoryTest, LogRoundTripsAndRequestIdsAreUniquePerClinic) {
  PracticeLogRecord log = NewLog(1, ProgrammeId(1), "dilator", At(0), kFully, 2, 3, 4);
  log.suggestion_id = SuggestionId(1);
  ASSERT_TRUE(InsertLogs({log}).ok());
  absl::StatusOr<std::optional<PracticeLogRecord>> found =
      Read([&](UnitOfWork& uow) { return uow.practice_logs().FindByRequestId(kClinicA, "req-1"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  ExpectSameLog(**found, log);
  // The same request id again in the clinic is refused; in another clinic it is someone else's.
  PracticeLogRecord again = NewLog(2, ProgrammeId(1), "dilator", At(1), kFully, 2, 3, 4);
  again.request_id = "req-1";
  EXPECT_EQ(InsertLogs({again}).code(), absl::StatusCode::kAlreadyExists);
  PracticeLogRecord casey =
      NewLog(3, ProgrammeId(3), "dilator", At(1), kFully, 2, 3, 4, kCasey, kClinicB);
  casey.request_id = "req-1";
  EXPECT_TRUE(InsertLogs({casey}).ok());
  absl::StatusOr<std::optional<PracticeLogRecord>> none = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().FindByRequestId(kClinicA, "req-unknown");
  });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(PracticeLogRepositoryTest, ListIsNewestPracticeFirstWithFiltersAndKeyset) {
  std::vector<PracticeLogRecord> logs;
  for (int n = 1; n <= 6; ++n) {
    logs.push_back(NewLog(n, ProgrammeId(1), n % 2 ? "dilator" : "breathing", At(n), kFully,
                          n % 2 ? 2 : 0, 1, 1));
  }
  // Same practice time as log 6: the id breaks the tie.
  logs.push_back(NewLog(7, ProgrammeId(1), "breathing", At(6), kPartly, 0, 1, 1));
  logs.push_back(NewLog(8, ProgrammeId(2), "dilator", At(3), kFully, 2, 1, 1, kRiley));
  ASSERT_TRUE(InsertLogs(logs).ok());
  auto ids = [&](PracticeLogQuery q) {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<PracticeLogRecord>> listed =
        Read([&](UnitOfWork& uow) { return uow.practice_logs().List(q); });
    EXPECT_TRUE(listed.ok()) << listed.status();
    for (const PracticeLogRecord& r : *listed) {
      out.push_back(r.id);
    }
    return out;
  };
  PracticeLogQuery all{.clinic_id = kClinicA, .client_id = kJo, .limit = 50};
  EXPECT_THAT(ids(all),
              ElementsAre(LogId(7), LogId(6), LogId(5), LogId(4), LogId(3), LogId(2), LogId(1)));
  PracticeLogQuery page = all;
  page.limit = 3;
  EXPECT_THAT(ids(page), ElementsAre(LogId(7), LogId(6), LogId(5)));
  page.after_practiced_at = At(6);
  page.after_id = LogId(7);
  EXPECT_THAT(ids(page), ElementsAre(LogId(6), LogId(5), LogId(4)));
  PracticeLogQuery item = all;
  item.programme_id = ProgrammeId(1);
  item.item_id = "dilator";
  item.start = At(2);
  item.end = At(5);
  EXPECT_THAT(ids(item), ElementsAre(LogId(3)));
  EXPECT_THAT(ids(PracticeLogQuery{.clinic_id = kClinicB, .client_id = kJo, .limit = 50}),
              IsEmpty());
}

TEST_F(PracticeLogRepositoryTest, DailyTotalsGroupHerDaysOfOneItem) {
  ASSERT_TRUE(
      InsertLogs({
                     NewLog(1, ProgrammeId(1), "dilator", At(0, 0), kFully, 2, 3, 2),
                     NewLog(2, ProgrammeId(1), "dilator", At(0, 60), kPartly, 2, 0, 4),
                     NewLog(3, ProgrammeId(1), "dilator", At(0, 120), kSkipped, 0, 0, 0),
                     NewLog(4, ProgrammeId(1), "dilator", At(2, 0), kSkipped, 0, 0, 0),
                     NewLog(5, ProgrammeId(1), "dilator", At(3, 0), kFully, 3, 5, 1),
                     NewLog(6, ProgrammeId(1), "breathing", At(0, 0), kFully, 0, 0, 0),
                     NewLog(7, ProgrammeId(2), "dilator", At(0, 0), kFully, 2, 9, 9, kRiley),
                 })
          .ok());
  absl::StatusOr<std::vector<PracticeDayTotals>> days = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().DailyTotals(kClinicA, ProgrammeId(1), "dilator", "", "");
  });
  ASSERT_TRUE(days.ok()) << days.status();
  ASSERT_THAT(*days, SizeIs(3));
  const PracticeDayTotals& first = (*days)[0];
  EXPECT_EQ(first.local_date, DateOf(At(0)));
  EXPECT_EQ(first.done, 2);
  EXPECT_EQ(first.skipped, 1);
  EXPECT_EQ(first.pain_sum, 3);
  EXPECT_EQ(first.pain_count, 2);
  EXPECT_EQ(first.anxiety_sum, 6);
  EXPECT_EQ(first.anxiety_count, 2);
  EXPECT_EQ(first.max_pain, 3);
  EXPECT_EQ(first.pain_free, 1);
  EXPECT_EQ((*days)[1].local_date, DateOf(At(2)));
  EXPECT_EQ((*days)[1].done, 0);
  EXPECT_EQ((*days)[1].skipped, 1);
  EXPECT_EQ((*days)[1].max_pain, -1);
  EXPECT_EQ((*days)[2].max_pain, 5);
  absl::StatusOr<std::vector<PracticeDayTotals>> bounded = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().DailyTotals(kClinicA, ProgrammeId(1), "dilator", DateOf(At(1)),
                                           DateOf(At(2)));
  });
  ASSERT_TRUE(bounded.ok());
  ASSERT_THAT(*bounded, SizeIs(1));
  EXPECT_EQ((*bounded)[0].local_date, DateOf(At(2)));
  absl::StatusOr<std::vector<PracticeDayTotals>> other_clinic = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().DailyTotals(kClinicB, ProgrammeId(1), "dilator", "", "");
  });
  ASSERT_TRUE(other_clinic.ok());
  EXPECT_THAT(*other_clinic, IsEmpty());
}

TEST_F(PracticeLogRepositoryTest, SizeTotalsAndTheLadderQueriesCountDoneSessionsOnly) {
  ASSERT_TRUE(InsertLogs({
                             NewLog(1, ProgrammeId(1), "dilator", At(0), kFully, 2, 3, 2),
                             NewLog(2, ProgrammeId(1), "dilator", At(0, 30), kFully, 2, 2, 2),
                             NewLog(3, ProgrammeId(1), "dilator", At(1), kSkipped, 0, 0, 0),
                             NewLog(4, ProgrammeId(1), "dilator", At(2), kPartly, 2, 1, 0),
                             NewLog(5, ProgrammeId(1), "dilator", At(3), kFully, 3, 4, 3),
                             NewLog(6, ProgrammeId(1), "dilator", At(4), kFully, 2, 0, 1),
                             NewLog(7, ProgrammeId(1), "dilator", At(5), kFully, 1, 0, 0),
                         })
                  .ok());
  absl::StatusOr<std::vector<PracticeSizeTotals>> sizes = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().SizeTotals(kClinicA, ProgrammeId(1), "dilator");
  });
  ASSERT_TRUE(sizes.ok()) << sizes.status();
  ASSERT_THAT(*sizes, SizeIs(3));
  EXPECT_EQ((*sizes)[0].size, 2);
  EXPECT_EQ((*sizes)[0].sessions, 4);
  EXPECT_EQ((*sizes)[0].days, 3);
  EXPECT_EQ((*sizes)[0].first_date, DateOf(At(0)));
  EXPECT_EQ((*sizes)[0].last_date, DateOf(At(4)));
  EXPECT_EQ((*sizes)[0].first_practiced_at, At(0));
  EXPECT_EQ((*sizes)[1].size, 3);
  EXPECT_EQ((*sizes)[2].size, 1);
  absl::StatusOr<int> count = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().CountAtSize(kClinicA, ProgrammeId(1), "dilator", 2, At(0, 2));
  });
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 3);
  absl::StatusOr<std::vector<PracticeScore>> latest = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().LatestAtSize(kClinicA, ProgrammeId(1), "dilator", 2, At(0), 2);
  });
  ASSERT_TRUE(latest.ok()) << latest.status();
  ASSERT_THAT(*latest, SizeIs(2));
  EXPECT_EQ((*latest)[0].practiced_at, At(4));
  EXPECT_EQ((*latest)[0].pain, 0);
  EXPECT_EQ((*latest)[0].anxiety, 1);
  EXPECT_EQ((*latest)[1].practiced_at, At(2));
  EXPECT_EQ((*latest)[1].pain, 1);
}

TEST_F(PracticeLogRepositoryTest, LatestPracticeTimeAndPainTotalsOfAClient) {
  absl::StatusOr<std::optional<absl::Time>> never =
      Read([&](UnitOfWork& uow) { return uow.practice_logs().LatestPracticeTime(kClinicA, kJo); });
  ASSERT_TRUE(never.ok()) << never.status();
  EXPECT_FALSE(never->has_value());
  ASSERT_TRUE(InsertLogs({
                             NewLog(1, ProgrammeId(1), "dilator", At(0), kFully, 2, 3, 2),
                             NewLog(2, ProgrammeId(1), "breathing", At(1), kFully, 0, 5, 2),
                             NewLog(3, ProgrammeId(1), "dilator", At(2), kSkipped, 0, 0, 0),
                             NewLog(4, ProgrammeId(2), "dilator", At(9), kFully, 2, 9, 9, kRiley),
                         })
                  .ok());
  absl::StatusOr<std::optional<absl::Time>> latest =
      Read([&](UnitOfWork& uow) { return uow.practice_logs().LatestPracticeTime(kClinicA, kJo); });
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, std::optional<absl::Time>(At(2)));
  absl::StatusOr<std::pair<int, int>> pain = Read(
      [&](UnitOfWork& uow) { return uow.practice_logs().PainTotals(kClinicA, kJo, At(0), At(2)); });
  ASSERT_TRUE(pain.ok()) << pain.status();
  EXPECT_EQ(*pain, std::make_pair(8, 2));
  absl::StatusOr<std::pair<int, int>> none = Read([&](UnitOfWork& uow) {
    return uow.practice_logs().PainTotals(kClinicA, kJo, At(20), At(30));
  });
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, std::make_pair(0, 0));
}

TEST_F(PracticeLogRepositoryTest, SuggestionsRoundTripWithOnePendingPerItem) {
  const ProgressionSuggestionRecord first = NewSuggestion(1, ProgrammeId(1), "dilator");
  ASSERT_TRUE(InsertSuggestion(first).ok());
  EXPECT_EQ(InsertSuggestion(NewSuggestion(2, ProgrammeId(1), "dilator")).code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(InsertSuggestion(NewSuggestion(3, ProgrammeId(1), "dilator-2")).ok());
  ASSERT_TRUE(InsertSuggestion(NewSuggestion(4, ProgrammeId(1), "dilator", kDeclined)).ok());
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> found = Read(
      [&](UnitOfWork& uow) { return uow.progression_suggestions().Find(kClinicA, kJo, first.id); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  const ProgressionSuggestionRecord& got = **found;
  EXPECT_EQ(got.programme_id, first.programme_id);
  EXPECT_EQ(got.programme_version, 2);
  EXPECT_EQ(got.item_id, "dilator");
  EXPECT_EQ(got.direction, kStepUp);
  EXPECT_EQ(got.from_size, 2);
  EXPECT_EQ(got.to_size, 3);
  EXPECT_EQ(got.sessions_at_size, 6);
  EXPECT_EQ(got.window_sessions, 3);
  EXPECT_EQ(got.window_max_pain, 2);
  EXPECT_EQ(got.window_max_anxiety, 1);
  EXPECT_EQ(got.practice_log_id, LogId(1));
  EXPECT_EQ(got.status, kPending);
  EXPECT_EQ(got.create_time, At(1));
  EXPECT_FALSE(got.decide_time.has_value());
  // Another client's or clinic's lookups see nothing.
  EXPECT_FALSE(Read([&](UnitOfWork& uow) {
                 return uow.progression_suggestions().Find(kClinicA, kRiley, first.id);
               })->has_value());
  EXPECT_FALSE(Read([&](UnitOfWork& uow) {
                 return uow.progression_suggestions().Find(kClinicB, kJo, first.id);
               })->has_value());
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> pending = Read([&](UnitOfWork& uow) {
    return uow.progression_suggestions().FindPending(kClinicA, ProgrammeId(1), "dilator");
  });
  ASSERT_TRUE(pending.ok() && pending->has_value());
  EXPECT_EQ((*pending)->id, first.id);
  EXPECT_EQ(*Read([&](UnitOfWork& uow) {
    return uow.progression_suggestions().CountPendingOfClient(kClinicA, kJo);
  }),
            2);
  // Newest first, filtered by status, keyset by id.
  auto list = [&](int status, const std::string& after) {
    absl::StatusOr<std::vector<ProgressionSuggestionRecord>> listed = Read([&](UnitOfWork& uow) {
      return uow.progression_suggestions().ListOfClient(kClinicA, kJo, status, after, 10);
    });
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> out;
    for (const ProgressionSuggestionRecord& s : listed.value()) {
      out.push_back(s.id);
    }
    return out;
  };
  EXPECT_THAT(list(0, ""), ElementsAre(SuggestionId(4), SuggestionId(3), SuggestionId(1)));
  EXPECT_THAT(list(kPending, ""), ElementsAre(SuggestionId(3), SuggestionId(1)));
  EXPECT_THAT(list(0, SuggestionId(3)), ElementsAre(SuggestionId(1)));
  // Decide once; a second decision is ABORTED, an unknown id NOT_FOUND.
  ProgressionSuggestionRecord accepted = first;
  accepted.status = kAccepted;
  accepted.decided_by_user_id = kBea;
  accepted.decide_time = At(5);
  accepted.accepted_version = 3;
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.progression_suggestions().Decide(accepted); }).ok());
  EXPECT_EQ(
      Write([&](UnitOfWork& uow) { return uow.progression_suggestions().Decide(accepted); }).code(),
      absl::StatusCode::kAborted);
  ProgressionSuggestionRecord unknown = accepted;
  unknown.id = SuggestionId(99);
  EXPECT_EQ(
      Write([&](UnitOfWork& uow) { return uow.progression_suggestions().Decide(unknown); }).code(),
      absl::StatusCode::kNotFound);
  found = Read(
      [&](UnitOfWork& uow) { return uow.progression_suggestions().Find(kClinicA, kJo, first.id); });
  EXPECT_EQ((*found)->status, kAccepted);
  EXPECT_EQ((*found)->decided_by_user_id, kBea);
  EXPECT_EQ((*found)->decide_time, std::optional<absl::Time>(At(5)));
  EXPECT_EQ((*found)->accepted_version, 3);
  // Now the item may have a new PENDING one; superseding it frees the item again.
  ASSERT_TRUE(InsertSuggestion(NewSuggestion(5, ProgrammeId(1), "dilator")).ok());
  EXPECT_EQ(*WriteReturning([&](UnitOfWork& uow) {
    return uow.progression_suggestions().SupersedePending(kClinicA, ProgrammeId(1), "dilator");
  }),
            1);
  EXPECT_EQ(Read([&](UnitOfWork& uow) {
              return uow.progression_suggestions().Find(kClinicA, kJo, SuggestionId(5));
            })
                ->value()
                .status,
            kSuperseded);
  EXPECT_FALSE(Read([&](UnitOfWork& uow) {
                 return uow.progression_suggestions().FindPending(kClinicA, ProgrammeId(1),
                                                                  "dilator");
               })->has_value());
}

TEST_F(PracticeLogRepositoryTest, LatestDeclineTimeIsOfDeclinesAtThatSize) {
  auto latest = [&](int size) {
    return *Read([&](UnitOfWork& uow) {
      return uow.progression_suggestions().LatestDeclineTime(kClinicA, kJo, ProgrammeId(1),
                                                             "dilator", size);
    });
  };
  EXPECT_FALSE(latest(2).has_value());
  ProgressionSuggestionRecord older = NewSuggestion(1, ProgrammeId(1), "dilator", kDeclined);
  older.decide_time = At(3);
  ProgressionSuggestionRecord newer = NewSuggestion(2, ProgrammeId(1), "dilator", kDeclined);
  newer.decide_time = At(7);
  ProgressionSuggestionRecord other_size = NewSuggestion(3, ProgrammeId(1), "dilator", kDeclined);
  other_size.from_size = 3;
  other_size.decide_time = At(9);
  ProgressionSuggestionRecord accepted = NewSuggestion(4, ProgrammeId(1), "dilator", kAccepted);
  accepted.decide_time = At(11);
  for (const auto& s : {older, newer, other_size, accepted}) {
    ASSERT_TRUE(InsertSuggestion(s).ok());
  }
  EXPECT_EQ(latest(2), std::optional<absl::Time>(At(7)));
  EXPECT_EQ(latest(3), std::optional<absl::Time>(At(9)));
}

// --- Query plans ------------------------------------------------------------------------------

// `sql` with its :name placeholders replaced by SQL literals.
std::string WithLiterals(std::string sql, const std::map<std::string, std::string>& values) {
  // Longest names first, so :to_date is not taken for :to.
  std::vector<std::pair<std::string, std::string>> ordered(values.begin(), values.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [name, literal] : ordered) {
    const std::string token = ":" + name;
    for (size_t at = sql.find(token); at != std::string::npos; at = sql.find(token, at)) {
      sql.replace(at, token.size(), literal);
      at += literal.size();
    }
  }
  return sql;
}

std::string Quoted(const std::string& text) { return absl::StrCat("'", text, "'"); }

// Two years of daily practice of two items for Jo, among 50,000 other logs of the clinic, so the
// planner chooses as it would in production: every aggregate must read its index, never the
// whole table.
TEST_F(PracticeLogRepositoryTest, AggregatesReadTheMigrationsIndexes) {
  std::vector<PracticeLogRecord> logs;
  int n = 0;
  for (int day = 0; day < 730; ++day) {
    logs.push_back(NewLog(++n, ProgrammeId(1), "dilator", At(day - 700), kFully, 1 + day / 150,
                          day % 4, day % 3));
    logs.push_back(NewLog(++n, ProgrammeId(1), "breathing", At(day - 700, 30), kFully, 0, 0, 0));
  }
  ASSERT_TRUE(InsertLogs(logs).ok());
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  const bool postgres = scratch_->dialect() == Dialect::kPostgresql;
  // The rest of the clinic: 50,000 logs of another client's 50 items, made in SQL.
  const std::string noise_columns =
      "INSERT INTO practice_logs (id, clinic_id, client_id, programme_id, programme_version, "
      "item_id, practiced_at, local_date, duration_minutes, completion, dilator_size, pain, "
      "anxiety, recorded_by_user_id, create_time, request_id) ";
  const std::string noise_values =
      absl::StrCat("SELECT 'noise-' || n, '", kClinicA, "', '", kRiley, "', '", ProgrammeId(2),
                   "', 1, 'item-' || (n % 50), ", absl::ToUnixMicros(At(-700)),
                   " + CAST(n AS BIGINT) * 600000000, '2025-01-01', 10, 1, 2, n % 11, n % 11, '",
                   kAlice, "', ", absl::ToUnixMicros(At(0)), ", 'noise-' || n");
  if (postgres) {
    *sql << noise_columns + noise_values + " FROM generate_series(1, 50000) AS g(n)";
  } else {
    *sql << "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50000) " +
                noise_columns + noise_values + " FROM g";
  }
  *sql << (postgres ? "ANALYZE practice_logs" : "ANALYZE");
  const std::map<std::string, std::string> values = {
      {"clinic_id", Quoted(kClinicA)},
      {"client_id", Quoted(kJo)},
      {"programme_id", Quoted(ProgrammeId(1))},
      {"item_id", Quoted("dilator")},
      {"from_date", Quoted(DateOf(At(-90)))},
      {"to_date", Quoted(DateOf(At(0)))},
      {"size", "5"},
      {"since", absl::StrCat(absl::ToUnixMicros(At(-100)))},
      {"latest", "3"},
      {"start", absl::StrCat(absl::ToUnixMicros(At(-28)))},
      {"end", absl::StrCat(absl::ToUnixMicros(At(0)))}};
  const struct {
    std::string name;
    std::string statement;
    std::string index;
    // SQLite reads only the index (it holds every column the query reads).
    bool covering = false;
  } queries[] = {
      {"DailyTotals", SociPracticeLogRepository::DailyTotalsSql(), "practice_logs_by_item_day",
       true},
      {"SizeTotals", SociPracticeLogRepository::SizeTotalsSql(), "practice_logs_by_item_size",
       true},
      {"CountAtSize", SociPracticeLogRepository::CountAtSizeSql(), "practice_logs_by_item_size"},
      {"LatestAtSize", SociPracticeLogRepository::LatestAtSizeSql(), "practice_logs_by_item_size"},
      {"LatestPracticeTime", SociPracticeLogRepository::LatestPracticeTimeSql(),
       "practice_logs_by_client"},
      {"PainTotals", SociPracticeLogRepository::PainTotalsSql(), "practice_logs_by_client"},
  };
  for (const auto& q : queries) {
    const std::string explain = absl::StrCat(postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ",
                                             WithLiterals(q.statement, values));
    std::vector<std::string> lines;
    soci::rowset<soci::row> rows = sql->prepare << explain;
    for (const soci::row& row : rows) {
      // PostgreSQL: one text column; SQLite: (id, parent, notused, detail).
      lines.push_back(row.get<std::string>(postgres ? 0 : row.size() - 1));
    }
    const std::string plan = absl::StrJoin(lines, "\n");
    std::cout << "[plan " << (postgres ? "postgresql" : "sqlite") << "] " << q.name << ":\n"
              << plan << "\n";
    EXPECT_THAT(plan, HasSubstr(q.index)) << q.name;
    if (!postgres) {
      EXPECT_THAT(plan, Not(HasSubstr("SCAN practice_logs"))) << q.name;
      if (q.covering) {
        EXPECT_THAT(plan, HasSubstr("COVERING INDEX " + q.index)) << q.name;
      }
    } else {
      EXPECT_THAT(plan, Not(HasSubstr("Seq Scan"))) << q.name;
    }
  }
}

// Crypto-erasure deletes a client's logs and suggestions (their plain scores with them) and
// nobody else's: not another client's of the clinic, not another clinic's.
TEST_F(PracticeLogRepositoryTest, DeleteAllOfClientRemovesHerLogsAndSuggestionsOnly) {
  ASSERT_TRUE(
      InsertLogs({
                     NewLog(1, ProgrammeId(1), "dilator", At(0), kFully, 2, 7, 6),
                     NewLog(2, ProgrammeId(1), "dilator", At(1), kSkipped, 0, 0, 0),
                     NewLog(3, ProgrammeId(2), "dilator", At(1), kFully, 2, 4, 4, kRiley),
                     NewLog(4, ProgrammeId(3), "dilator", At(1), kFully, 2, 4, 4, kCasey, kClinicB),
                 })
          .ok());
  ASSERT_TRUE(InsertSuggestion(NewSuggestion(1, ProgrammeId(1), "dilator")).ok());
  ASSERT_TRUE(InsertSuggestion(NewSuggestion(2, ProgrammeId(1), "dilator-2", kDeclined)).ok());
  ProgressionSuggestionRecord riley = NewSuggestion(3, ProgrammeId(2), "dilator");
  riley.client_id = kRiley;
  ASSERT_TRUE(InsertSuggestion(riley).ok());

  absl::StatusOr<std::pair<int, int>> deleted =
      WriteReturning([&](UnitOfWork& uow) -> absl::StatusOr<std::pair<int, int>> {
        absl::StatusOr<int> logs = uow.practice_logs().DeleteAllOfClient(kClinicA, kJo);
        if (!logs.ok()) {
          return logs.status();
        }
        absl::StatusOr<int> suggestions =
            uow.progression_suggestions().DeleteAllOfClient(kClinicA, kJo);
        if (!suggestions.ok()) {
          return suggestions.status();
        }
        return std::make_pair(*logs, *suggestions);
      });

  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, std::make_pair(2, 2));
  auto logs_of = [&](const std::string& clinic, const std::string& client) {
    return Read([&](UnitOfWork& uow) {
      return uow.practice_logs().List(
          PracticeLogQuery{.clinic_id = clinic, .client_id = client, .limit = 10});
    });
  };
  auto suggestions_of = [&](const std::string& client) {
    return Read([&](UnitOfWork& uow) {
      return uow.progression_suggestions().ListOfClient(kClinicA, client, 0, "", 10);
    });
  };
  EXPECT_THAT(*logs_of(kClinicA, kJo), IsEmpty());
  EXPECT_THAT(*suggestions_of(kJo), IsEmpty());
  EXPECT_THAT(*logs_of(kClinicA, kRiley), SizeIs(1));
  EXPECT_THAT(*logs_of(kClinicB, kCasey), SizeIs(1));
  EXPECT_THAT(*suggestions_of(kRiley), SizeIs(1));
  // Nothing of hers is left for the aggregates either, and a second deletion finds nothing.
  absl::StatusOr<std::optional<absl::Time>> latest =
      Read([&](UnitOfWork& uow) { return uow.practice_logs().LatestPracticeTime(kClinicA, kJo); });
  ASSERT_TRUE(latest.ok());
  EXPECT_FALSE(latest->has_value());
  absl::StatusOr<int> again = WriteReturning(
      [&](UnitOfWork& uow) { return uow.practice_logs().DeleteAllOfClient(kClinicA, kJo); });
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
}

}  // namespace
}  // namespace confide::persistence
