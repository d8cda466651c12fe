#include "services/assessments/instrument_catalogue.h"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "services/assessments/instrument_check.h"
#include "services/assessments/instruments/instruments.h"

namespace confide {

InstrumentCatalogue::InstrumentCatalogue(std::vector<InstrumentDefinition> definitions)
    : definitions_(std::move(definitions)) {
  std::set<std::string> ids;
  for (InstrumentDefinition& definition : definitions_) {
    absl::Status compiled = CompileInstrument(definition);
    if (compiled.ok() && !ids.insert(definition.instrument.id()).second) {
      compiled = absl::FailedPreconditionError("two instruments have the id " +
                                               definition.instrument.id());
    }
    if (!compiled.ok()) {
      const std::string message{compiled.message()};
      std::fprintf(stderr, "confide: refusing to start, instrument catalogue: %s\n",
                   message.c_str());
      std::abort();
    }
  }
}

InstrumentCatalogue InstrumentCatalogue::Standard() {
  return InstrumentCatalogue({instruments::Phq9(), instruments::Gad7(), instruments::Fsfi(),
                              instruments::PainNrsPenetration(), instruments::PainNrsDilator()});
}

const InstrumentDefinition* InstrumentCatalogue::Find(std::string_view instrument_id) const {
  for (const InstrumentDefinition& definition : definitions_) {
    if (definition.instrument.id() == instrument_id) {
      return &definition;
    }
  }
  return nullptr;
}

}  // namespace confide
