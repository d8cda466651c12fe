// A programme's content on its own: every range in programmes.proto is enforced and every
// refusal names the field as the caller sent it.

#include "services/programmes/programme_validation.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

using ::testing::HasSubstr;

v1::DilatorPrescription Ladder() {
  v1::DilatorPrescription d;
  for (int size = 1; size <= 4; ++size) {
    v1::DilatorSize* s = d.mutable_set()->add_sizes();
    s->set_size(size);
    s->set_diameter_mm(10 + 5 * size);
  }
  d.set_current_size(1);
  d.set_minutes_per_session(10);
  d.set_sessions_per_week(4);
  v1::ProgressionRule* rule = d.mutable_rule();
  rule->set_step_up_after_sessions(5);
  rule->set_step_up_window_sessions(3);
  rule->set_step_up_max_pain(2);
  rule->set_step_up_max_anxiety(3);
  rule->set_step_down_after_sessions(2);
  rule->set_step_down_min_pain(6);
  return d;
}

v1::Programme Valid() {
  v1::Programme p;
  p.set_title("Home practice");
  p.set_time_zone("America/New_York");
  v1::ProgrammeItem* item = p.add_items();
  item->set_id("breathing");
  item->set_exercise_id("00000000-0000-7000-8000-000000000001");
  item->mutable_schedule()->set_times_per_period(2);
  item->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
  item->mutable_schedule()->add_days_of_week(v1::WEEKDAY_MONDAY);
  item->mutable_dose()->set_duration_minutes(5);
  item->set_start_date("2026-06-01");
  item->set_end_date("2026-06-01");
  v1::ProgrammeItem* dilator = p.add_items();
  dilator->set_id("dilator");
  dilator->set_exercise_id("00000000-0000-7000-8000-000000000002");
  dilator->set_start_date("2026-06-01");
  *dilator->mutable_dilator() = Ladder();
  return p;
}

// The message of the refusal of `programme`, which must be INVALID_ARGUMENT.
std::string Refusal(const v1::Programme& programme) {
  absl::Status status = ValidateProgrammeContent(programme, "programme");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  std::string message(status.message());
  return message;
}

TEST(ProgrammeValidationTest, ValidContentPasses) {
  EXPECT_TRUE(ValidateProgrammeContent(Valid(), "programme").ok());
}

TEST(ProgrammeValidationTest, TitleTimeZoneAndItemCountAreChecked) {
  v1::Programme p = Valid();
  p.set_title("  ");
  EXPECT_THAT(Refusal(p), HasSubstr("programme.title"));
  p = Valid();
  p.set_title(std::string(201, 'a'));
  EXPECT_THAT(Refusal(p), HasSubstr("programme.title"));
  for (const char* zone : {"", "Mars/Olympus", "+01:00"}) {
    p = Valid();
    p.set_time_zone(zone);
    EXPECT_THAT(Refusal(p), HasSubstr("programme.time_zone")) << zone;
  }
  p = Valid();
  p.clear_items();
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items"));
  p = Valid();
  for (int i = 0; i < 50; ++i) {
    *p.add_items() = Valid().items(0);
  }
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items"));
  p = Valid();
  p.set_patient_message(std::string(5001, 'a'));
  EXPECT_THAT(Refusal(p), HasSubstr("programme.patient_message"));
}

TEST(ProgrammeValidationTest, ItemIdsAreShapedAndUnique) {
  v1::Programme p = Valid();
  p.mutable_items(1)->set_id("breathing");
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[1].id"));
  p = Valid();
  p.mutable_items(0)->set_id("no spaces");
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].id"));
  p = Valid();
  p.mutable_items(0)->clear_id();  // a new item: the server names it
  EXPECT_TRUE(ValidateProgrammeContent(p, "programme").ok());
}

TEST(ProgrammeValidationTest, ScheduleRangesDependOnThePeriod) {
  v1::Programme p = Valid();
  p.mutable_items(0)->mutable_schedule()->set_times_per_period(11);
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].schedule.times_per_period"));
  p.mutable_items(0)->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_WEEK);
  p.mutable_items(0)->mutable_schedule()->clear_days_of_week();
  EXPECT_TRUE(ValidateProgrammeContent(p, "programme").ok());
  p.mutable_items(0)->mutable_schedule()->set_times_per_period(51);
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].schedule.times_per_period"));
  p = Valid();
  p.mutable_items(0)->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_WEEK);
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].schedule.days_of_week"));
  p = Valid();
  p.mutable_items(0)->mutable_schedule()->add_days_of_week(v1::WEEKDAY_MONDAY);
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].schedule.days_of_week[1]"));
  p = Valid();
  p.mutable_items(0)->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_UNSPECIFIED);
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].schedule.period"));
}

TEST(ProgrammeValidationTest, DoseValuesAreZeroOrInRange) {
  struct Case {
    void (*set)(v1::Dose*);
    const char* field;
  } cases[] = {
      {[](v1::Dose* d) { d->set_sets(21); }, "dose.sets"},
      {[](v1::Dose* d) { d->set_reps(101); }, "dose.reps"},
      {[](v1::Dose* d) { d->set_hold_seconds(121); }, "dose.hold_seconds"},
      {[](v1::Dose* d) { d->set_rest_seconds(-1); }, "dose.rest_seconds"},
      {[](v1::Dose* d) { d->set_duration_minutes(241); }, "dose.duration_minutes"},
  };
  for (const Case& c : cases) {
    v1::Programme p = Valid();
    c.set(p.mutable_items(0)->mutable_dose());
    EXPECT_THAT(Refusal(p), HasSubstr(std::string("programme.items[0].") + c.field));
  }
}

TEST(ProgrammeValidationTest, DatesAreRealAndEndIsNotBeforeStart) {
  v1::Programme p = Valid();
  p.mutable_items(0)->clear_start_date();
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].start_date"));
  p = Valid();
  p.mutable_items(0)->set_start_date("2026-02-30");
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].start_date"));
  p = Valid();
  p.mutable_items(0)->set_end_date("2026-05-31");
  EXPECT_THAT(Refusal(p), HasSubstr("programme.items[0].end_date"));
}

TEST(ProgrammeValidationTest, DilatorSetAndRuleRanges) {
  struct Case {
    void (*set)(v1::DilatorPrescription*);
    const char* field;
  } cases[] = {
      {[](v1::DilatorPrescription* d) { d->mutable_set()->mutable_sizes()->DeleteSubrange(1, 3); },
       "dilator.set.sizes"},
      {[](v1::DilatorPrescription* d) { d->mutable_set()->mutable_sizes(2)->set_size(4); },
       "dilator.set.sizes[2].size"},
      {[](v1::DilatorPrescription* d) { d->mutable_set()->mutable_sizes(2)->set_diameter_mm(20); },
       "dilator.set.sizes[2].diameter_mm"},
      {[](v1::DilatorPrescription* d) { d->mutable_set()->mutable_sizes(3)->set_diameter_mm(61); },
       "dilator.set.sizes[3].diameter_mm"},
      {[](v1::DilatorPrescription* d) { d->set_current_size(5); }, "dilator.current_size"},
      {[](v1::DilatorPrescription* d) { d->set_minutes_per_session(61); },
       "dilator.minutes_per_session"},
      {[](v1::DilatorPrescription* d) { d->set_sessions_per_week(22); },
       "dilator.sessions_per_week"},
      {[](v1::DilatorPrescription* d) { d->mutable_rule()->set_step_up_after_sessions(51); },
       "dilator.rule.step_up_after_sessions"},
      {[](v1::DilatorPrescription* d) { d->mutable_rule()->set_step_up_window_sessions(6); },
       "dilator.rule.step_up_window_sessions"},
      {[](v1::DilatorPrescription* d) { d->mutable_rule()->set_step_up_max_pain(11); },
       "dilator.rule.step_up_max_pain"},
      {[](v1::DilatorPrescription* d) { d->mutable_rule()->set_step_up_max_anxiety(-1); },
       "dilator.rule.step_up_max_anxiety"},
      {[](v1::DilatorPrescription* d) { d->mutable_rule()->set_step_down_after_sessions(11); },
       "dilator.rule.step_down_after_sessions"},
      {[](v1::DilatorPrescription* d) { d->mutable_rule()->set_step_down_min_pain(2); },
       "dilator.rule.step_down_min_pain"},
      {[](v1::DilatorPrescription* d) { d->mutable_set()->set_brand(std::string(101, 'b')); },
       "dilator.set.brand"},
  };
  for (const Case& c : cases) {
    v1::Programme p = Valid();
    c.set(p.mutable_items(1)->mutable_dilator());
    EXPECT_THAT(Refusal(p), HasSubstr(std::string("programme.items[1].") + c.field)) << c.field;
  }
}

TEST(ProgrammeValidationTest, ItemFitsItsExercise) {
  v1::Exercise kegels;
  kegels.set_category(v1::EXERCISE_CATEGORY_KEGELS);
  kegels.add_parameters(v1::DOSE_PARAMETER_SETS);
  v1::ProgrammeItem item = Valid().items(0);
  absl::Status status = ValidateItemAgainstExercise(item, kegels, "programme.items[0]");
  EXPECT_THAT(status.message(), HasSubstr("programme.items[0].dose.duration_minutes"));
  item.clear_dose();
  item.mutable_dose()->set_sets(3);
  EXPECT_TRUE(ValidateItemAgainstExercise(item, kegels, "programme.items[0]").ok());
  item.clear_schedule();
  EXPECT_THAT(ValidateItemAgainstExercise(item, kegels, "programme.items[0]").message(),
              HasSubstr("programme.items[0].schedule"));

  v1::Exercise dilator;
  dilator.set_category(v1::EXERCISE_CATEGORY_DILATOR);
  v1::ProgrammeItem ladder = Valid().items(1);
  EXPECT_TRUE(ValidateItemAgainstExercise(ladder, dilator, "x").ok());
  EXPECT_THAT(ValidateItemAgainstExercise(ladder, kegels, "x").message(), HasSubstr("x.dilator"));
}

TEST(ProgrammeValidationTest, UpdateMaskNamesOnlyContentFields) {
  google::protobuf::FieldMask mask;
  EXPECT_FALSE(ValidateProgrammeUpdateMask(mask).ok());
  mask.add_paths("items");
  mask.add_paths("time_zone");
  EXPECT_TRUE(ValidateProgrammeUpdateMask(mask).ok());
  mask.add_paths("status");
  EXPECT_THAT(ValidateProgrammeUpdateMask(mask).message(), HasSubstr("update_mask"));
}

// The mask is merged path by path: its length is bounded before anything walks it.
TEST(ProgrammeValidationTest, UpdateMaskOfManyPathsIsRefused) {
  google::protobuf::FieldMask mask;
  for (int i = 0; i < 100000; ++i) {
    mask.add_paths("title");
  }
  const absl::Status refused = ValidateProgrammeUpdateMask(mask);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("update_mask"));
  v1::UpdateProgrammeRequest update;
  update.mutable_programme()->set_client_id("00000000-0000-7000-8000-000000000009");
  update.mutable_programme()->set_id("00000000-0000-7000-8000-000000000010");
  update.mutable_programme()->set_etag("v1");
  *update.mutable_update_mask() = mask;
  EXPECT_THAT(ValidateUpdateProgramme(update).message(), HasSubstr("update_mask"));
}

TEST(ProgrammeValidationTest, RequestsNameTheirMissingFields) {
  v1::CreateProgrammeRequest create;
  create.set_client_id("me");
  EXPECT_THAT(ValidateCreateProgramme(create).message(), HasSubstr("client_id"));
  v1::ChangeProgrammeStatusRequest change;
  change.set_client_id("00000000-0000-7000-8000-000000000009");
  change.set_programme_id("00000000-0000-7000-8000-000000000010");
  EXPECT_THAT(ValidateChangeProgrammeStatus(change).message(), HasSubstr("etag"));
  v1::UpdateProgrammeRequest update;
  update.mutable_programme()->set_client_id("00000000-0000-7000-8000-000000000009");
  update.mutable_programme()->set_id("00000000-0000-7000-8000-000000000010");
  EXPECT_THAT(ValidateUpdateProgramme(update).message(), HasSubstr("programme.etag"));
}

}  // namespace
}  // namespace confide
