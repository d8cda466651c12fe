#pragma once

#include "absl/status/status.h"
#include "services/assessments/assessment_scoring.h"

namespace confide {

// Checks that an instrument is consistent data and stores its parsed decimals in
// `definition.rules.parsed`, so scoring never parses them again. Checked: item ids unique with
// distinct option values; every factor, range, band and cut-off a decimal; a domain's items
// exist and name that domain (and every item naming a domain is in it); a domain's range is
// its factor × the sum of its items' lowest / highest option values; the total range is the
// sum of the items' (or domains') lowest / highest; bands and cut-offs lie within the total
// range, bands in order without overlap; flags name real items and every flag has both
// messages. FAILED_PRECONDITION naming the instrument and the first fault otherwise.
absl::Status CompileInstrument(InstrumentDefinition& definition);

}  // namespace confide
