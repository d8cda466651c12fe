#include "services/assessments/instruments/instruments.h"
#include "services/assessments/instruments/phq_scale.h"

namespace confide::instruments {

InstrumentDefinition Gad7() {
  InstrumentDefinition definition;
  v1::Instrument& gad = definition.instrument;
  gad.set_id("gad-7");
  gad.set_name("Generalized Anxiety Disorder-7 (GAD-7)");
  gad.set_version("1");
  gad.set_instructions(
      "Over the last 2 weeks, how often have you been bothered by the following problems?");
  const char* const kItems[] = {
      "Feeling nervous, anxious, or on edge",
      "Not being able to stop or control worrying",
      "Worrying too much about different things",
      "Trouble relaxing",
      "Being so restless that it is hard to sit still",
      "Becoming easily annoyed or irritable",
      "Feeling afraid, as if something awful might happen",
  };
  int number = 0;
  for (const char* text : kItems) {
    AddItem(gad, "gad7", ++number, text, HowOftenLastTwoWeeks());
  }
  gad.set_scoring_rule("Total = sum of the 7 item values (0-3 each), 0-21.");
  ProrateUpToTwoMissing(definition, "GAD-7");
  gad.set_min_total("0");
  gad.set_max_total("21");
  AddBand(gad, "0", "4", "minimal");
  AddBand(gad, "5", "9", "mild");
  AddBand(gad, "10", "14", "moderate");
  AddBand(gad, "15", "21", "severe");
  AddCutOff(gad, "10", true, "possible generalised anxiety disorder: further assessment",
            "Spitzer RL, Kroenke K, Williams JBW, Lowe B. A brief measure for assessing "
            "generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.");
  gad.set_licence_note(kPhqFreeUseNote);
  gad.set_self_report(true);

  definition.rules.total = ScoringRules::Total::kSumOfItems;
  return definition;
}

}  // namespace confide::instruments
