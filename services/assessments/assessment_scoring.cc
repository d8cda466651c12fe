#include "services/assessments/assessment_scoring.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/assessments/decimal.h"

namespace confide {
namespace {

bool IsOption(const v1::InstrumentItem& item, int value) {
  for (const v1::ResponseOption& option : item.options()) {
    if (option.value() == value) {
      return true;
    }
  }
  return false;
}

// Round half up of sum × items / answered, for non-negative sums (PHQ-9 and GAD-7 proration).
int64_t ProratedSum(int64_t sum, int64_t items, int64_t answered) {
  return (2 * sum * items + answered) / (2 * answered);
}

absl::Status CheckAnswers(const InstrumentDefinition& definition,
                          const google::protobuf::RepeatedPtrField<v1::Answer>& answers,
                          std::map<std::string, int>& values) {
  const v1::Instrument& instrument = definition.instrument;
  if (answers.size() > instrument.items_size()) {
    return InvalidField("answers", absl::StrCat(instrument.id(), " has ", instrument.items_size(),
                                                " items; ", answers.size(), " answers given"));
  }
  std::map<std::string, const v1::InstrumentItem*> items;
  for (const v1::InstrumentItem& item : instrument.items()) {
    items.emplace(item.id(), &item);
  }
  std::vector<FieldViolation> violations;
  for (int i = 0; i < answers.size(); ++i) {
    const v1::Answer& answer = answers[i];
    const std::string at = absl::StrCat("answers[", i, "]");
    auto item = items.find(answer.item_id());
    if (item == items.end()) {
      // The caller's text is not echoed: only that it names no item of this instrument.
      violations.push_back(
          {absl::StrCat(at, ".item_id"), absl::StrCat("not an item of ", instrument.id())});
    } else if (values.count(answer.item_id()) > 0) {
      violations.push_back(
          {absl::StrCat(at, ".item_id"), absl::StrCat("item ", item->first, " is answered twice")});
    } else if (!IsOption(*item->second, answer.value())) {
      violations.push_back({absl::StrCat(at, ".value"),
                            absl::StrCat("not one of the options of item ", item->first)});
    } else {
      values.emplace(answer.item_id(), answer.value());
    }
  }
  return InvalidFields(violations);
}

void RaiseFlags(const ScoringRules& rules, const std::map<std::string, int>& values,
                v1::AssessmentScore& score) {
  for (const ItemFlagRule& rule : rules.flags) {
    auto value = values.find(rule.item_id);
    const bool raised = rule.when == ItemFlagRule::When::kUnanswered
                            ? value == values.end()
                            : value != values.end() && value->second >= rule.min_value;
    if (raised) {
      v1::AssessmentFlag* flag = score.add_flags();
      flag->set_code(rule.code);
      flag->set_message(rule.message);
    }
  }
}

// Domain scores (sum × factor) for domains whose items are all answered; empty otherwise.
// The factors are the ones CompileInstrument parsed, in the order of the domains.
std::vector<std::optional<Hundredths>> ScoreDomains(const InstrumentDefinition& definition,
                                                    const std::map<std::string, int>& values,
                                                    v1::AssessmentScore& score) {
  const v1::Instrument& instrument = definition.instrument;
  std::vector<std::optional<Hundredths>> domain_scores;
  for (int d = 0; d < instrument.domains_size(); ++d) {
    const v1::InstrumentDomain& domain = instrument.domains(d);
    std::optional<Hundredths> domain_score;
    int64_t sum = 0;
    bool complete = true;
    for (const std::string& item_id : domain.item_ids()) {
      auto value = values.find(item_id);
      if (value == values.end()) {
        complete = false;
        break;
      }
      sum += value->second;
    }
    if (complete) {
      domain_score = sum * definition.rules.parsed.domain_factors[d];
    }
    v1::DomainScore* out = score.add_domains();
    out->set_domain_id(domain.id());
    if (domain_score.has_value()) {
      out->set_score(FormatHundredths(*domain_score));
    }
    domain_scores.push_back(domain_score);
  }
  return domain_scores;
}

void Interpret(const InstrumentDefinition& definition, Hundredths total,
               v1::AssessmentScore& score) {
  const v1::Instrument& instrument = definition.instrument;
  const ParsedScale& parsed = definition.rules.parsed;
  score.set_total(FormatHundredths(total));
  for (int b = 0; b < instrument.bands_size(); ++b) {
    if (parsed.bands[b].min <= total && total <= parsed.bands[b].max) {
      score.set_severity(instrument.bands(b).label());
      break;
    }
  }
  for (int c = 0; c < instrument.cut_offs_size(); ++c) {
    const v1::CutOff& cut_off = instrument.cut_offs(c);
    const Hundredths at = parsed.cut_offs[c];
    if (cut_off.at_or_above() ? total >= at : total <= at) {
      score.add_cut_offs_met(cut_off.meaning());
    }
  }
}

}  // namespace

absl::StatusOr<v1::AssessmentScore> ScoreAnswers(
    const InstrumentDefinition& definition,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  const v1::Instrument& instrument = definition.instrument;
  const ScoringRules& rules = definition.rules;
  if (!rules.parsed.compiled) {
    return absl::InternalError("instrument definition was not compiled");
  }
  std::map<std::string, int> values;
  if (absl::Status checked = CheckAnswers(definition, answers, values); !checked.ok()) {
    return checked;
  }
  v1::AssessmentScore score;
  int64_t item_sum = 0;
  for (const v1::InstrumentItem& item : instrument.items()) {
    auto value = values.find(item.id());
    if (value == values.end()) {
      if (rules.all_items_required) {
        return InvalidField("answers", absl::StrCat("item ", item.id(), " must be answered"));
      }
      score.add_missing_item_ids(item.id());
    } else {
      item_sum += value->second;
    }
  }
  RaiseFlags(rules, values, score);
  const std::vector<std::optional<Hundredths>> domains = ScoreDomains(definition, values, score);

  const int missing = score.missing_item_ids_size();
  std::optional<Hundredths> total;
  if (rules.total == ScoringRules::Total::kSumOfDomains) {
    // Published FSFI scoring has no imputation: the full scale needs every item.
    if (missing == 0) {
      total = 0;
      for (const std::optional<Hundredths>& domain : domains) {
        *total += domain.value_or(0);
      }
    }
  } else if (missing == 0) {
    total = item_sum * 100;
  } else if (missing <= rules.max_prorated_missing) {
    const int64_t items = instrument.items_size();
    total = ProratedSum(item_sum, items, items - missing) * 100;
    score.set_prorated(true);
  }
  if (total.has_value()) {
    Interpret(definition, *total, score);
  }
  return score;
}

}  // namespace confide
