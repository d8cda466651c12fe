#pragma once

#include "confide/v1/assessments.pb.h"
#include "services/assessments/instrument_catalogue.h"
#include "services/common/principal.h"

namespace confide {

// What a caller sees of an administration (stored in full; shaped on every read and submit):
// - a partner (shared assessments) sees only the instrument, the time, the total, its severity,
//   the cut-offs met and the change from the previous one: never the answers, flags, domain
//   scores, missing items or who administered it;
// - the patient sees her answers and score, with each flag's patient wording instead of the
//   clinician's instruction (same codes);
// - staff see everything.
void ShapeForCaller(const Principal& who, const InstrumentCatalogue& catalogue,
                    v1::Assessment& assessment);

}  // namespace confide
