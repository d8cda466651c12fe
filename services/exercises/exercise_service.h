#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/exercises.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"

namespace confide {

// The clinic's exercise library. Access (clinicians and admins of the clinic) has already been
// decided by the pipeline when these run; they enforce the library's own rules: versions are
// never changed (an edit makes a new version, so a programme keeps what it prescribed), an
// update needs the latest version's etag, and a retried create (same request id) returns the
// first result.
class ExerciseService {
 public:
  explicit ExerciseService(IdGenerator& ids) : ids_(ids) {}

  absl::StatusOr<v1::Exercise> Create(const v1::CreateExerciseRequest& request,
                                      RequestScope& scope);
  absl::StatusOr<v1::Exercise> Get(const v1::GetExerciseRequest& request, RequestScope& scope);
  absl::StatusOr<v1::ListExercisesResponse> List(const v1::ListExercisesRequest& request,
                                                 RequestScope& scope);
  absl::StatusOr<v1::Exercise> Update(const v1::UpdateExerciseRequest& request,
                                      RequestScope& scope);

  // Adds the RPCs of confide.v1.ExerciseService to `table`.
  void Register(MethodTable& table);

 private:
  IdGenerator& ids_;
};

}  // namespace confide
