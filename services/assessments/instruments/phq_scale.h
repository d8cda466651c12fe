#pragma once

#include <string>
#include <vector>

#include "services/assessments/instruments/instrument_builder.h"

namespace confide::instruments {

// The response scale PHQ-9 and GAD-7 share: how often over the last two weeks.
inline std::vector<Option> HowOftenLastTwoWeeks() {
  return {{0, "Not at all"},
          {1, "Several days"},
          {2, "More than half the days"},
          {3, "Nearly every day"}};
}

// Their free-use statement (printed on the Pfizer-released forms).
inline constexpr char kPhqFreeUseNote[] =
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with "
    "an educational grant from Pfizer Inc. No permission required to reproduce, translate, "
    "display or distribute.";

}  // namespace confide::instruments
