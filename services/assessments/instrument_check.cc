#include "services/assessments/instrument_check.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/assessments/decimal.h"

namespace confide {
namespace {

// The lowest and highest option values of an item.
struct ValueRange {
  int lowest = 0;
  int highest = 0;
};

class Checker {
 public:
  explicit Checker(const v1::Instrument& instrument) : instrument_(instrument) {}

  absl::Status Fault(const std::string& what) const {
    return absl::FailedPreconditionError(
        absl::StrCat("instrument ", instrument_.id(), " is inconsistent: ", what));
  }

  // Parses one of our decimals, or records the fault naming `what`.
  std::optional<Hundredths> Decimal(const std::string& text, const std::string& what) {
    std::optional<Hundredths> value = ParseHundredths(text);
    if (!value.has_value() && fault_.ok()) {
      fault_ = Fault(absl::StrCat(what, " \"", text, "\" is not a decimal"));
    }
    return value;
  }

  void Fail(const std::string& what) {
    if (fault_.ok()) {
      fault_ = Fault(what);
    }
  }

  const absl::Status& fault() const { return fault_; }

 private:
  const v1::Instrument& instrument_;
  absl::Status fault_;
};

}  // namespace

absl::Status CompileInstrument(InstrumentDefinition& definition) {
  const v1::Instrument& instrument = definition.instrument;
  ScoringRules& rules = definition.rules;
  Checker check(instrument);
  ParsedScale parsed;

  if (instrument.id().empty() || instrument.items().empty()) {
    check.Fail("an instrument needs an id and at least one item");
  }
  std::map<std::string, ValueRange> items;
  for (const v1::InstrumentItem& item : instrument.items()) {
    std::set<int> values;
    for (const v1::ResponseOption& option : item.options()) {
      if (!values.insert(option.value()).second) {
        check.Fail(absl::StrCat("item ", item.id(), " repeats option value ", option.value()));
      }
    }
    if (values.empty()) {
      check.Fail(absl::StrCat("item ", item.id(), " has no options"));
      continue;
    }
    if (!items.emplace(item.id(), ValueRange{*values.begin(), *values.rbegin()}).second) {
      check.Fail(absl::StrCat("item id ", item.id(), " is used twice"));
    }
  }
  if (!check.fault().ok()) {
    return check.fault();
  }

  // Domains: their items exist and say they belong to them; the ranges follow from the factor.
  std::map<std::string, std::string> domain_of_item;
  Hundredths domains_min = 0;
  Hundredths domains_max = 0;
  for (const v1::InstrumentDomain& domain : instrument.domains()) {
    const std::string at = absl::StrCat("domain ", domain.id());
    const std::optional<Hundredths> factor = check.Decimal(domain.factor(), at + " factor");
    const std::optional<Hundredths> min = check.Decimal(domain.min_score(), at + " min_score");
    const std::optional<Hundredths> max = check.Decimal(domain.max_score(), at + " max_score");
    if (!factor.has_value() || !min.has_value() || !max.has_value()) {
      break;
    }
    if (*factor <= 0 || domain.item_ids().empty()) {
      check.Fail(at + " needs a positive factor and at least one item");
      break;
    }
    int64_t lowest = 0;
    int64_t highest = 0;
    for (const std::string& item_id : domain.item_ids()) {
      auto item = items.find(item_id);
      if (item == items.end()) {
        check.Fail(absl::StrCat(at, " names item ", item_id, ", which does not exist"));
        break;
      }
      if (!domain_of_item.emplace(item_id, domain.id()).second) {
        check.Fail(absl::StrCat("item ", item_id, " is in two domains"));
      }
      lowest += item->second.lowest;
      highest += item->second.highest;
    }
    if (*min != lowest * *factor || *max != highest * *factor) {
      check.Fail(absl::StrCat(at, " range ", domain.min_score(), "-", domain.max_score(),
                              " is not factor x the sum of its items' lowest/highest values (",
                              FormatHundredths(lowest * *factor), "-",
                              FormatHundredths(highest * *factor), ")"));
    }
    parsed.domain_factors.push_back(*factor);
    domains_min += *min;
    domains_max += *max;
  }
  for (const v1::InstrumentItem& item : instrument.items()) {
    auto listed = domain_of_item.find(item.id());
    const std::string listed_in = listed == domain_of_item.end() ? "" : listed->second;
    if (listed_in != item.domain_id()) {
      check.Fail(absl::StrCat("item ", item.id(), " names domain \"", item.domain_id(),
                              "\" but is listed in \"", listed_in, "\""));
    }
  }
  if (!check.fault().ok()) {
    return check.fault();
  }

  // The total's range follows from how it is made.
  const std::optional<Hundredths> min_total = check.Decimal(instrument.min_total(), "min_total");
  const std::optional<Hundredths> max_total = check.Decimal(instrument.max_total(), "max_total");
  if (!min_total.has_value() || !max_total.has_value()) {
    return check.fault();
  }
  Hundredths expected_min = domains_min;
  Hundredths expected_max = domains_max;
  if (rules.total == ScoringRules::Total::kSumOfItems) {
    expected_min = 0;
    expected_max = 0;
    for (const auto& [id, range] : items) {
      expected_min += static_cast<Hundredths>(range.lowest) * 100;
      expected_max += static_cast<Hundredths>(range.highest) * 100;
    }
  } else if (instrument.domains().empty()) {
    check.Fail("a total made of domains needs domains");
  }
  if (*min_total != expected_min || *max_total != expected_max) {
    check.Fail(absl::StrCat("total range ", instrument.min_total(), "-", instrument.max_total(),
                            " should be ", FormatHundredths(expected_min), "-",
                            FormatHundredths(expected_max)));
  }

  // Bands in order without overlap, inside the total's range; cut-offs inside it too.
  std::optional<Hundredths> previous_max;
  for (const v1::SeverityBand& band : instrument.bands()) {
    const std::string at = absl::StrCat("band ", band.label());
    const std::optional<Hundredths> min = check.Decimal(band.min_score(), at + " min_score");
    const std::optional<Hundredths> max = check.Decimal(band.max_score(), at + " max_score");
    if (!min.has_value() || !max.has_value()) {
      return check.fault();
    }
    if (*min > *max || *min < *min_total || *max > *max_total ||
        (previous_max.has_value() && *min <= *previous_max)) {
      check.Fail(at + " is out of order, overlaps another or lies outside the total range");
    }
    previous_max = *max;
    parsed.bands.push_back({*min, *max});
  }
  for (const v1::CutOff& cut_off : instrument.cut_offs()) {
    const std::optional<Hundredths> at = check.Decimal(cut_off.score(), "cut-off score");
    if (!at.has_value()) {
      return check.fault();
    }
    if (*at < *min_total || *at > *max_total) {
      check.Fail(absl::StrCat("cut-off ", cut_off.score(), " lies outside the total range"));
    }
    parsed.cut_offs.push_back(*at);
  }

  // Rules that name items name real ones.
  for (const ItemFlagRule& flag : rules.flags) {
    if (items.count(flag.item_id) == 0 || flag.code.empty() || flag.message.empty() ||
        flag.patient_message.empty()) {
      check.Fail(absl::StrCat("flag ", flag.code,
                              " needs a real item, a code, a clinician and a patient message"));
    }
  }
  if (rules.max_prorated_missing < 0 || rules.max_prorated_missing >= instrument.items_size()) {
    check.Fail("max_prorated_missing must leave at least one item answered");
  }
  if (!check.fault().ok()) {
    return check.fault();
  }
  parsed.compiled = true;
  rules.parsed = std::move(parsed);
  return absl::OkStatus();
}

}  // namespace confide
