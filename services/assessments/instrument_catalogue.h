#pragma once

#include <string_view>
#include <vector>

#include "services/assessments/assessment_scoring.h"

namespace confide {

// The instruments a server can score, in the order ListInstruments shows them.
class InstrumentCatalogue {
 public:
  // Checks and compiles every definition (CompileInstrument). An inconsistent instrument is a
  // defect of ours that would score patients wrongly, so the server does not start: the
  // process aborts with a message naming the instrument and the fault.
  explicit InstrumentCatalogue(std::vector<InstrumentDefinition> definitions);

  // PHQ-9, GAD-7, FSFI and the two pain rating scales.
  static InstrumentCatalogue Standard();

  // Returns the instrument with this id, or null.
  const InstrumentDefinition* Find(std::string_view instrument_id) const;
  const std::vector<InstrumentDefinition>& All() const { return definitions_; }

 private:
  std::vector<InstrumentDefinition> definitions_;
};

}  // namespace confide
