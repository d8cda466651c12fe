#include "services/assessments/instruments/instruments.h"
#include "services/assessments/instruments/phq_scale.h"

namespace confide::instruments {

InstrumentDefinition Phq9() {
  InstrumentDefinition definition;
  v1::Instrument& phq = definition.instrument;
  phq.set_id("phq-9");
  phq.set_name("Patient Health Questionnaire-9 (PHQ-9)");
  phq.set_version("1");
  phq.set_instructions(
      "Over the last 2 weeks, how often have you been bothered by any of the following "
      "problems?");
  const char* const kItems[] = {
      "Little interest or pleasure in doing things",
      "Feeling down, depressed, or hopeless",
      "Trouble falling or staying asleep, or sleeping too much",
      "Feeling tired or having little energy",
      "Poor appetite or overeating",
      "Feeling bad about yourself - or that you are a failure or have let yourself or your "
      "family down",
      "Trouble concentrating on things, such as reading the newspaper or watching television",
      "Moving or speaking so slowly that other people could have noticed? Or the opposite - "
      "being so fidgety or restless that you have been moving around a lot more than usual",
      "Thoughts that you would be better off dead or of hurting yourself in some way",
  };
  int number = 0;
  for (const char* text : kItems) {
    AddItem(phq, "phq9", ++number, text, HowOftenLastTwoWeeks());
  }
  phq.set_scoring_rule("Total = sum of the 9 item values (0-3 each), 0-27.");
  ProrateUpToTwoMissing(definition, "PHQ-9",
                        " Item 9 unanswered is flagged for the clinician to ask about.");
  phq.set_min_total("0");
  phq.set_max_total("27");
  AddBand(phq, "0", "4", "minimal");
  AddBand(phq, "5", "9", "mild");
  AddBand(phq, "10", "14", "moderate");
  AddBand(phq, "15", "19", "moderately severe");
  AddBand(phq, "20", "27", "severe");
  AddCutOff(phq, "10", true, "possible major depression: further assessment",
            "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression "
            "severity measure. J Gen Intern Med. 2001;16(9):606-613.");
  phq.set_licence_note(kPhqFreeUseNote);
  phq.set_self_report(true);

  ScoringRules& rules = definition.rules;
  rules.total = ScoringRules::Total::kSumOfItems;
  // Item 9 asks about thoughts of death or self-harm: any answer above "not at all", and no
  // answer at all, needs a clinician's safety follow-up whatever the total is.
  rules.flags.push_back({.item_id = "phq9.9",
                         .when = ItemFlagRule::When::kAnsweredAtLeast,
                         .min_value = 1,
                         .code = "PHQ9_ITEM9_POSITIVE",
                         .message = "Item 9 (thoughts of death or self-harm) answered above "
                                    "'not at all': a clinician must follow up on safety today.",
                         .patient_message =
                             "Thank you for answering honestly. Your care team will talk with "
                             "you about this. If you are in danger now, call your local "
                             "emergency number."});
  rules.flags.push_back({.item_id = "phq9.9",
                         .when = ItemFlagRule::When::kUnanswered,
                         .code = "PHQ9_ITEM9_UNANSWERED",
                         .message = "Item 9 (thoughts of death or self-harm) was not answered: "
                                    "a clinician should ask about it.",
                         .patient_message =
                             "One question was left unanswered. Your care team may ask you "
                             "about it. If you are in danger now, call your local emergency "
                             "number."});
  return definition;
}

}  // namespace confide::instruments
