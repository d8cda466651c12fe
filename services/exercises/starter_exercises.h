#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "confide/v1/exercises.pb.h"
#include "services/common/id_generator.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// One exercise of the reviewed starter set every clinic begins with.
struct StarterExercise {
  // Stable across releases ("kegels-gentle"): seeding finds a clinic's copy by it, so it must
  // never be renamed or reused for another exercise.
  std::string_view key;
  // The content of version 1 (no output-only fields).
  v1::Exercise exercise;
};

// The starter set, in a fixed order: breathing and down-training, relaxation and mindfulness,
// pelvic-floor work, stretches, self-exploration, dilators, sensate focus, couples' exercises,
// reading and journaling. Patient instructions are written to be read alone at home: plain,
// warm and non-judgemental, with permission to stop and go at her own pace.
std::vector<StarterExercise> StarterExercises();

// Adds to clinic `clinic_id`'s library every starter exercise it does not have yet (found by
// starter key), as version 1 with no author at `now`. Idempotent: running it again, or after the
// clinic edited or archived a starter exercise, changes nothing already there. When `added` is
// not null it receives how many were added. Storage errors as the repository returns them.
absl::Status SeedStarterExercises(UnitOfWork& uow, IdGenerator& ids, std::string_view clinic_id,
                                  absl::Time now, int* added = nullptr);

}  // namespace confide
