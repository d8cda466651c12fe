#pragma once

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/assessments/assessment_scoring.h"
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

// The missing-item policy PHQ-9 and GAD-7 share, set as the scoring rule and described in the
// instrument's words from the same number, so the two cannot drift apart. It is clinic policy:
// the publications give no imputation rule.
inline void ProrateUpToTwoMissing(InstrumentDefinition& definition, const std::string& name,
                                  const std::string& extra_note = "") {
  constexpr int kMaxMissing = 2;
  definition.rules.max_prorated_missing = kMaxMissing;
  const int items = definition.instrument.items_size();
  definition.instrument.set_missing_items_rule(absl::StrCat(
      "Clinic policy, not a published rule: the ", name,
      " publications give no imputation rule. Confide prorates when at most ", kMaxMissing,
      " items are unanswered (a common research convention): sum x ", items,
      " / answered items, rounded half up to a whole number, and marks the score prorated. "
      "More than ",
      kMaxMissing, " unanswered: no total and no severity. Clinics should confirm this policy.",
      extra_note));
}

}  // namespace confide::instruments
