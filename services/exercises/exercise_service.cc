#include "services/exercises/exercise_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/api/etag.h"
#include "services/api/page_token.h"
#include "services/api/request_replay.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/exercises/exercise_store.h"
#include "services/exercises/exercise_validation.h"
#include "services/exercises/exercise_versioning.h"

namespace confide {
namespace {

// Version 1 of the exercise an earlier CreateExercise with `request_id` made in the caller's
// clinic (the library is the clinic's, so any of its clinicians may see it); nullopt when none.
absl::StatusOr<std::optional<v1::Exercise>> ReplayCreate(RequestScope& scope,
                                                         const std::string& request_id) {
  absl::StatusOr<std::optional<ExerciseRecord>> earlier =
      scope.uow.exercises().FindByCreateRequestId(scope.principal->clinic_id, request_id);
  if (!earlier.ok()) {
    return earlier.status();
  }
  if (!earlier->has_value()) {
    return std::nullopt;
  }
  scope.audit.resource = ExerciseResource((*earlier)->id);
  absl::StatusOr<v1::Exercise> first = LoadExerciseVersion(scope.uow, **earlier, 1);
  if (!first.ok()) {
    return first.status();
  }
  return *std::move(first);
}

// The audit event names the exercise a request is about only when that is an id: whatever else
// a caller typed there is not written to the trail.
void SetAuditResource(RequestScope& scope, const std::string& exercise_id) {
  if (IsUuidText(exercise_id)) {
    scope.audit.resource = ExerciseResource(exercise_id);
  }
}

}  // namespace

absl::StatusOr<v1::Exercise> ExerciseService::Create(const v1::CreateExerciseRequest& request,
                                                     RequestScope& scope) {
  return CreateOnce<v1::Exercise>(
      request.request_id(), [&] { return ReplayCreate(scope, request.request_id()); },
      [&]() -> absl::StatusOr<v1::Exercise> {
        const Principal& who = *scope.principal;
        const std::string exercise_id = ids_.NewId();
        const absl::Time now = StoredTime(scope.now);
        // Before validation, so a refused create is audited with the exercise it would have made.
        scope.audit.resource = ExerciseResource(exercise_id);
        absl::StatusOr<v1::Exercise> first =
            FirstExerciseVersion(request.exercise(), exercise_id, who.user_id, now);
        if (!first.ok()) {
          return first.status();
        }
        const ExerciseRecord record{.id = exercise_id,
                                    .clinic_id = who.clinic_id,
                                    .latest_version = 1,
                                    .title = first->title(),
                                    .category = first->category(),
                                    .archived = first->archived(),
                                    .create_time = now,
                                    .created_by = who.user_id};
        if (absl::Status inserted = scope.uow.Atomically([&]() -> absl::Status {
              if (absl::Status s = scope.uow.exercises().Insert(record, request.request_id());
                  !s.ok()) {
                return s;
              }
              return StoreExerciseVersion(scope.uow, who.clinic_id, *first);
            });
            !inserted.ok()) {
          return inserted;
        }
        first->set_etag(ExerciseEtag(1));
        return *std::move(first);
      });
}

absl::StatusOr<v1::Exercise> ExerciseService::Get(const v1::GetExerciseRequest& request,
                                                  RequestScope& scope) {
  SetAuditResource(scope, request.exercise_id());
  return LoadExerciseVersion(scope.uow, scope.principal->clinic_id, request.exercise_id(),
                             request.version());
}

absl::StatusOr<v1::ListExercisesResponse> ExerciseService::List(
    const v1::ListExercisesRequest& request, RequestScope& scope) {
  scope.audit.resource = "exercises";
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  ExerciseListQuery query{.clinic_id = scope.principal->clinic_id,
                          .category = static_cast<int>(request.category()),
                          .include_archived = request.include_archived(),
                          // One row more than the page shows tells whether there is a next page.
                          .limit = *page_size + 1};
  if (!request.page_token().empty()) {
    absl::StatusOr<ExerciseCursor> cursor = DecodeExercisePageToken(request);
    if (!cursor.ok()) {
      return cursor.status();
    }
    query.after_title = std::move(cursor->title);
    query.after_id = std::move(cursor->id);
  }
  absl::StatusOr<std::vector<ExerciseRecord>> rows = scope.uow.exercises().List(query);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListExercisesResponse response;
  const int shown = std::min(*page_size, static_cast<int>(rows->size()));
  for (int i = 0; i < shown; ++i) {
    const ExerciseRecord& row = (*rows)[i];
    absl::StatusOr<v1::Exercise> latest = LoadExerciseVersion(scope.uow, row, row.latest_version);
    if (!latest.ok()) {
      return latest.status();
    }
    *response.add_exercises() = *std::move(latest);
  }
  if (static_cast<int>(rows->size()) > *page_size) {
    response.set_next_page_token(EncodeExercisePageToken(request, (*rows)[shown - 1]));
  }
  return response;
}

absl::StatusOr<v1::Exercise> ExerciseService::Update(const v1::UpdateExerciseRequest& request,
                                                     RequestScope& scope) {
  const Principal& who = *scope.principal;
  SetAuditResource(scope, request.exercise().id());
  absl::StatusOr<v1::Exercise> latest =
      LoadExerciseVersion(scope.uow, who.clinic_id, request.exercise().id(), 0);
  if (!latest.ok()) {
    return latest.status();
  }
  if (request.exercise().etag() != latest->etag()) {
    return StaleEtag("exercise");
  }
  absl::StatusOr<v1::Exercise> next = NextExerciseVersion(
      *latest, request.exercise(), request.update_mask(), who.user_id, StoredTime(scope.now));
  if (!next.ok()) {
    return next.status();
  }
  bool version_taken = false;
  absl::Status stored = scope.uow.Atomically([&]() -> absl::Status {
    if (absl::Status s = scope.uow.exercises().AdvanceLatest(
            who.clinic_id, latest->id(), latest->version(), next->version(), next->title(),
            next->category(), next->archived());
        !s.ok()) {
      return s;
    }
    absl::Status s = StoreExerciseVersion(scope.uow, who.clinic_id, *next);
    version_taken = s.code() == absl::StatusCode::kAlreadyExists;
    return s;
  });
  if (version_taken) {
    // Another update made this version number first (PostgreSQL, several servers).
    return absl::AbortedError("the exercise has a newer version; reload and retry");
  }
  if (!stored.ok()) {
    return stored;
  }
  next->set_etag(ExerciseEtag(next->version()));
  return *std::move(next);
}

void ExerciseService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::CreateExerciseRequest, v1::Exercise>{
      .full_name = "confide.v1.ExerciseService.CreateExercise",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageExerciseLibrary,
      .validate = ValidateCreateExercise,
      .handler = [this](const auto& r, RequestScope& s) { return Create(r, s); }});
  table.Add(MethodDefinition<v1::GetExerciseRequest, v1::Exercise>{
      .full_name = "confide.v1.ExerciseService.GetExercise",
      .mode = TransactionMode::kRead,
      .action = Action::kReadExerciseLibrary,
      .validate = ValidateGetExercise,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::ListExercisesRequest, v1::ListExercisesResponse>{
      .full_name = "confide.v1.ExerciseService.ListExercises",
      .mode = TransactionMode::kRead,
      .action = Action::kReadExerciseLibrary,
      .validate = ValidateListExercises,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
  table.Add(MethodDefinition<v1::UpdateExerciseRequest, v1::Exercise>{
      .full_name = "confide.v1.ExerciseService.UpdateExercise",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageExerciseLibrary,
      .validate = ValidateUpdateExercise,
      .handler = [this](const auto& r, RequestScope& s) { return Update(r, s); }});
}

}  // namespace confide
