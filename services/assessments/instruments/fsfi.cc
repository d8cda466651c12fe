#include <string>
#include <vector>

#include "services/assessments/instruments/instrument_builder.h"
#include "services/assessments/instruments/instruments.h"

namespace confide::instruments {
namespace {

// The published FSFI wording and response labels are copyrighted (docs/assessments.md): the
// labels below are our own short descriptions of what each item and value means. Higher values
// always mean better function; 0 means no sexual activity (or no attempted penetration) in the
// last 4 weeks and is a real answer, never a missing one.
constexpr char kNoActivity[] = "No sexual activity";
constexpr char kNoPenetration[] = "Did not attempt penetration";

std::vector<Option> Frequency(bool with_zero) {
  std::vector<Option> options;
  if (with_zero) {
    options.push_back({0, kNoActivity});
  }
  options.insert(options.end(), {{1, "Hardly ever or never"},
                                 {2, "Rarely"},
                                 {3, "Sometimes"},
                                 {4, "Often"},
                                 {5, "Very often or always"}});
  return options;
}

std::vector<Option> Level(bool with_zero) {
  std::vector<Option> options;
  if (with_zero) {
    options.push_back({0, kNoActivity});
  }
  options.insert(
      options.end(),
      {{1, "Very low or none"}, {2, "Low"}, {3, "Moderate"}, {4, "High"}, {5, "Very high"}});
  return options;
}

std::vector<Option> Difficulty() {
  return {{0, kNoActivity},       {1, "Extreme difficulty"}, {2, "Great difficulty"},
          {3, "Some difficulty"}, {4, "Little difficulty"},  {5, "No difficulty"}};
}

std::vector<Option> Satisfaction(bool with_zero) {
  std::vector<Option> options;
  if (with_zero) {
    options.push_back({0, kNoActivity});
  }
  options.insert(options.end(), {{1, "Very dissatisfied"},
                                 {2, "Moderately dissatisfied"},
                                 {3, "Neither satisfied nor dissatisfied"},
                                 {4, "Moderately satisfied"},
                                 {5, "Very satisfied"}});
  return options;
}

// Pain items are reversed on the form: a higher value means less pain.
std::vector<Option> PainFrequency() {
  return {{0, kNoPenetration}, {1, "Very often or always"}, {2, "Often"}, {3, "Sometimes"},
          {4, "Rarely"},       {5, "Hardly ever or never"}};
}

std::vector<Option> PainLevel() {
  return {{0, kNoPenetration}, {1, "Very high"}, {2, "High"},
          {3, "Moderate"},     {4, "Low"},       {5, "Very low or none"}};
}

void AddDomain(v1::Instrument& fsfi, const std::string& id, const std::string& name, int first_item,
               int last_item, const std::string& factor, const std::string& min_score) {
  v1::InstrumentDomain* domain = fsfi.add_domains();
  domain->set_id(id);
  domain->set_name(name);
  for (int number = first_item; number <= last_item; ++number) {
    domain->add_item_ids(std::string("fsfi.") + std::to_string(number));
  }
  domain->set_factor(factor);
  domain->set_min_score(min_score);
  domain->set_max_score("6");
}

}  // namespace

InstrumentDefinition Fsfi() {
  InstrumentDefinition definition;
  v1::Instrument& fsfi = definition.instrument;
  fsfi.set_id("fsfi");
  fsfi.set_name("Female Sexual Function Index (FSFI)");
  fsfi.set_version("1");
  fsfi.set_instructions(
      "About sexual feelings and responses during the past 4 weeks. Labels here are summaries; "
      "administer with the licensed FSFI wording.");
  const std::string kDesire = "desire", kArousal = "arousal", kLubrication = "lubrication",
                    kOrgasm = "orgasm", kSatisfaction = "satisfaction", kPain = "pain";
  AddItem(fsfi, "fsfi", 1, "Desire: how often (past 4 weeks)", Frequency(false), kDesire);
  AddItem(fsfi, "fsfi", 2, "Desire: level (past 4 weeks)", Level(false), kDesire);
  AddItem(fsfi, "fsfi", 3, "Arousal: how often during sexual activity", Frequency(true), kArousal);
  AddItem(fsfi, "fsfi", 4, "Arousal: level during sexual activity", Level(true), kArousal);
  AddItem(fsfi, "fsfi", 5, "Arousal: confidence about becoming aroused", Level(true), kArousal);
  AddItem(fsfi, "fsfi", 6, "Arousal: how often satisfied with arousal", Frequency(true), kArousal);
  AddItem(fsfi, "fsfi", 7, "Lubrication: how often during sexual activity", Frequency(true),
          kLubrication);
  AddItem(fsfi, "fsfi", 8, "Lubrication: how difficult to become lubricated", Difficulty(),
          kLubrication);
  AddItem(fsfi, "fsfi", 9, "Lubrication: how often maintained until the end", Frequency(true),
          kLubrication);
  AddItem(fsfi, "fsfi", 10, "Lubrication: how difficult to maintain", Difficulty(), kLubrication);
  AddItem(fsfi, "fsfi", 11, "Orgasm: how often reached", Frequency(true), kOrgasm);
  AddItem(fsfi, "fsfi", 12, "Orgasm: how difficult to reach", Difficulty(), kOrgasm);
  AddItem(fsfi, "fsfi", 13, "Orgasm: satisfaction with ability to reach", Satisfaction(true),
          kOrgasm);
  AddItem(fsfi, "fsfi", 14, "Satisfaction: emotional closeness with partner", Satisfaction(true),
          kSatisfaction);
  AddItem(fsfi, "fsfi", 15, "Satisfaction: sexual relationship with partner", Satisfaction(false),
          kSatisfaction);
  AddItem(fsfi, "fsfi", 16, "Satisfaction: overall sexual life", Satisfaction(false),
          kSatisfaction);
  AddItem(fsfi, "fsfi", 17, "Pain: how often during penetration", PainFrequency(), kPain);
  AddItem(fsfi, "fsfi", 18, "Pain: how often after penetration", PainFrequency(), kPain);
  AddItem(fsfi, "fsfi", 19, "Pain: level during or after penetration", PainLevel(), kPain);
  // Published domain factors and ranges (Rosen et al. 2000, scoring appendix).
  AddDomain(fsfi, kDesire, "Desire", 1, 2, "0.6", "1.2");
  AddDomain(fsfi, kArousal, "Arousal", 3, 6, "0.3", "0");
  AddDomain(fsfi, kLubrication, "Lubrication", 7, 10, "0.3", "0");
  AddDomain(fsfi, kOrgasm, "Orgasm", 11, 13, "0.4", "0");
  AddDomain(fsfi, kSatisfaction, "Satisfaction", 14, 16, "0.4", "0.8");
  AddDomain(fsfi, kPain, "Pain", 17, 19, "0.4", "0");
  fsfi.set_scoring_rule(
      "Domain score = sum of the domain's items x its factor (desire 0.6, arousal 0.3, "
      "lubrication 0.3, orgasm 0.4, satisfaction 0.4, pain 0.4). Full scale = sum of the six "
      "domain scores, 2-36. Higher scores mean better sexual function.");
  fsfi.set_missing_items_rule(
      "No imputation (as published): a domain with any unanswered item has no score, and the "
      "full scale needs all 19 items. 0 (no sexual activity / no attempted penetration) is an "
      "answer, not a missing item.");
  fsfi.set_min_total("2");
  fsfi.set_max_total("36");
  AddCutOff(fsfi, "26.55", false, "at risk of sexual dysfunction",
            "Wiegel M, Meston C, Rosen R. The Female Sexual Function Index (FSFI): "
            "cross-validation and development of clinical cutoff scores. J Sex Marital Ther. "
            "2005;31(1):1-20.");
  fsfi.set_licence_note(
      "The FSFI (Rosen R, Brown C, Heiman J, et al. J Sex Marital Ther. 2000;26(2):191-208) is "
      "copyrighted. Confide shows only short neutral labels of its own and the published "
      "scoring. Before using the FSFI, the clinic must obtain the licensed wording and "
      "permission from the copyright holders (see fsfiquestionnaire.com), which commercial use "
      "requires.");
  fsfi.set_self_report(true);

  definition.rules.total = ScoringRules::Total::kSumOfDomains;
  definition.rules.max_prorated_missing = 0;
  return definition;
}

}  // namespace confide::instruments
