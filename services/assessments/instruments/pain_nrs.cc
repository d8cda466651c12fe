#include <string>
#include <vector>

#include "services/assessments/instruments/instrument_builder.h"
#include "services/assessments/instruments/instruments.h"

namespace confide::instruments {
namespace {

InstrumentDefinition PainNrs(const std::string& id, const std::string& name,
                             const std::string& question) {
  InstrumentDefinition definition;
  v1::Instrument& nrs = definition.instrument;
  nrs.set_id(id);
  nrs.set_name(name);
  nrs.set_version("1");
  nrs.set_instructions(
      "Choose the number that best describes your pain, where 0 is no pain and 10 is the worst "
      "pain you can imagine.");
  std::vector<Option> options;
  for (int value = 0; value <= 10; ++value) {
    options.push_back({value, value == 0    ? "0 - no pain"
                              : value == 10 ? "10 - worst pain imaginable"
                                            : std::to_string(value)});
  }
  AddItem(nrs, id, 1, question, options);
  nrs.set_scoring_rule("Total = the value chosen, 0-10.");
  nrs.set_missing_items_rule("The single item must be answered.");
  nrs.set_min_total("0");
  nrs.set_max_total("10");
  // The usual bands of 0-10 pain ratings in clinical use.
  AddBand(nrs, "0", "0", "none");
  AddBand(nrs, "1", "3", "mild");
  AddBand(nrs, "4", "6", "moderate");
  AddBand(nrs, "7", "10", "severe");
  nrs.set_licence_note("A generic 0-10 numeric rating scale: free to use, no licence required.");
  nrs.set_self_report(true);

  definition.rules.total = ScoringRules::Total::kSumOfItems;
  definition.rules.all_items_required = true;
  return definition;
}

}  // namespace

InstrumentDefinition PainNrsPenetration() {
  return PainNrs("pain-nrs-penetration", "Pain on attempted penetration (0-10 NRS)",
                 "How much pain did you feel on attempted penetration?");
}

InstrumentDefinition PainNrsDilator() {
  return PainNrs("pain-nrs-dilator", "Pain during dilator use (0-10 NRS)",
                 "How much pain did you feel while using your dilator?");
}

}  // namespace confide::instruments
