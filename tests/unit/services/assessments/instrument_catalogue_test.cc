// The shipped instruments are consistent data: ids unique, every domain names real items,
// every decimal parses, bands cover the total's range without gaps.

#include "services/assessments/instrument_catalogue.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/assessments/decimal.h"
#include "services/assessments/instrument_check.h"
#include "services/assessments/instruments/instruments.h"

namespace confide {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(InstrumentCatalogueTest, ShipsTheFiveInstruments) {
  const InstrumentCatalogue catalogue = InstrumentCatalogue::Standard();
  std::vector<std::string> ids;
  for (const InstrumentDefinition& definition : catalogue.All()) {
    ids.push_back(definition.instrument.id());
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("phq-9", "gad-7", "fsfi", "pain-nrs-penetration",
                                          "pain-nrs-dilator"));
  const InstrumentDefinition* fsfi = catalogue.Find("fsfi");
  const InstrumentDefinition* phq9 = catalogue.Find("phq-9");
  const InstrumentDefinition* gad7 = catalogue.Find("gad-7");
  ASSERT_NE(fsfi, nullptr);
  ASSERT_NE(phq9, nullptr);
  ASSERT_NE(gad7, nullptr);
  EXPECT_EQ(fsfi->instrument.items_size(), 19);
  EXPECT_EQ(fsfi->instrument.domains_size(), 6);
  EXPECT_EQ(phq9->instrument.items_size(), 9);
  EXPECT_EQ(gad7->instrument.items_size(), 7);
  EXPECT_EQ(catalogue.Find("unknown"), nullptr);
}

TEST(InstrumentCatalogueTest, EveryInstrumentIsConsistent) {
  const InstrumentCatalogue catalogue = InstrumentCatalogue::Standard();
  for (const InstrumentDefinition& definition : catalogue.All()) {
    const v1::Instrument& instrument = definition.instrument;
    SCOPED_TRACE(instrument.id());
    EXPECT_FALSE(instrument.version().empty());
    EXPECT_FALSE(instrument.licence_note().empty());
    EXPECT_FALSE(instrument.scoring_rule().empty());
    EXPECT_FALSE(instrument.missing_items_rule().empty());
    std::set<std::string> items;
    int number = 0;
    for (const v1::InstrumentItem& item : instrument.items()) {
      EXPECT_TRUE(items.insert(item.id()).second) << item.id();
      EXPECT_EQ(item.number(), ++number);
      EXPECT_FALSE(item.options().empty());
    }
    for (const v1::InstrumentDomain& domain : instrument.domains()) {
      EXPECT_TRUE(ParseHundredths(domain.factor()).has_value());
      EXPECT_TRUE(ParseHundredths(domain.min_score()).has_value());
      EXPECT_TRUE(ParseHundredths(domain.max_score()).has_value());
      for (const std::string& item_id : domain.item_ids()) {
        EXPECT_EQ(items.count(item_id), 1u) << item_id;
      }
    }
    ASSERT_TRUE(ParseHundredths(instrument.min_total()).has_value());
    ASSERT_TRUE(ParseHundredths(instrument.max_total()).has_value());
    // Bands, when given, run from the minimum to the maximum total without gaps.
    Hundredths next = *ParseHundredths(instrument.min_total());
    for (const v1::SeverityBand& band : instrument.bands()) {
      EXPECT_EQ(ParseHundredths(band.min_score()), next) << band.label();
      next = *ParseHundredths(band.max_score()) + 100;
    }
    if (!instrument.bands().empty()) {
      EXPECT_EQ(next - 100, *ParseHundredths(instrument.max_total()));
    }
    for (const v1::CutOff& cut_off : instrument.cut_offs()) {
      EXPECT_TRUE(ParseHundredths(cut_off.score()).has_value());
      EXPECT_FALSE(cut_off.source().empty());
    }
  }
}

// The invariants CompileInstrument enforces, recomputed here independently for every shipped
// instrument, and the parsed values scoring uses are the instrument's own.
TEST(InstrumentCatalogueTest, EveryInstrumentsRangesFollowFromItsItems) {
  const InstrumentCatalogue catalogue = InstrumentCatalogue::Standard();
  for (const InstrumentDefinition& definition : catalogue.All()) {
    const v1::Instrument& instrument = definition.instrument;
    SCOPED_TRACE(instrument.id());
    const ParsedScale& parsed = definition.rules.parsed;
    ASSERT_TRUE(parsed.compiled);
    std::map<std::string, const v1::InstrumentItem*> items;
    Hundredths items_min = 0;
    Hundredths items_max = 0;
    for (const v1::InstrumentItem& item : instrument.items()) {
      items[item.id()] = &item;
      std::vector<int> values;
      for (const v1::ResponseOption& option : item.options()) {
        values.push_back(option.value());
      }
      ASSERT_FALSE(values.empty()) << item.id();
      items_min += *std::min_element(values.begin(), values.end()) * 100;
      items_max += *std::max_element(values.begin(), values.end()) * 100;
    }
    ASSERT_EQ(parsed.domain_factors.size(), static_cast<size_t>(instrument.domains_size()));
    Hundredths domains_min = 0;
    Hundredths domains_max = 0;
    std::set<std::string> in_a_domain;
    for (int d = 0; d < instrument.domains_size(); ++d) {
      const v1::InstrumentDomain& domain = instrument.domains(d);
      SCOPED_TRACE(domain.id());
      const std::optional<Hundredths> factor = ParseHundredths(domain.factor());
      const std::optional<Hundredths> min = ParseHundredths(domain.min_score());
      const std::optional<Hundredths> max = ParseHundredths(domain.max_score());
      ASSERT_TRUE(factor.has_value() && min.has_value() && max.has_value());
      EXPECT_EQ(parsed.domain_factors[d], *factor);
      Hundredths lowest = 0;
      Hundredths highest = 0;
      for (const std::string& item_id : domain.item_ids()) {
        ASSERT_EQ(items.count(item_id), 1u) << item_id;
        const v1::InstrumentItem& item = *items[item_id];
        EXPECT_EQ(item.domain_id(), domain.id()) << item_id;
        EXPECT_TRUE(in_a_domain.insert(item_id).second) << item_id;
        lowest +=
            std::min_element(item.options().begin(), item.options().end(),
                             [](const auto& a, const auto& b) { return a.value() < b.value(); })
                ->value();
        highest +=
            std::max_element(item.options().begin(), item.options().end(),
                             [](const auto& a, const auto& b) { return a.value() < b.value(); })
                ->value();
      }
      EXPECT_EQ(*min, lowest * *factor);
      EXPECT_EQ(*max, highest * *factor);
      domains_min += *min;
      domains_max += *max;
    }
    // An item names a domain exactly when that domain lists it.
    for (const v1::InstrumentItem& item : instrument.items()) {
      EXPECT_EQ(item.domain_id().empty(), in_a_domain.count(item.id()) == 0) << item.id();
    }
    const bool of_domains = definition.rules.total == ScoringRules::Total::kSumOfDomains;
    EXPECT_EQ(ParseHundredths(instrument.min_total()), of_domains ? domains_min : items_min);
    EXPECT_EQ(ParseHundredths(instrument.max_total()), of_domains ? domains_max : items_max);
    ASSERT_EQ(parsed.bands.size(), static_cast<size_t>(instrument.bands_size()));
    for (int b = 0; b < instrument.bands_size(); ++b) {
      EXPECT_EQ(parsed.bands[b].min, ParseHundredths(instrument.bands(b).min_score()));
      EXPECT_EQ(parsed.bands[b].max, ParseHundredths(instrument.bands(b).max_score()));
    }
    ASSERT_EQ(parsed.cut_offs.size(), static_cast<size_t>(instrument.cut_offs_size()));
    for (int c = 0; c < instrument.cut_offs_size(); ++c) {
      EXPECT_EQ(parsed.cut_offs[c], ParseHundredths(instrument.cut_offs(c).score()));
    }
    for (const ItemFlagRule& flag : definition.rules.flags) {
      EXPECT_EQ(items.count(flag.item_id), 1u) << flag.code;
      EXPECT_FALSE(flag.patient_message.empty()) << flag.code;
      EXPECT_THAT(flag.patient_message, Not(HasSubstr("clinician"))) << flag.code;
    }
  }
}

// A fault in an instrument is refused, never read as 0: one broken copy of the FSFI per case.
TEST(InstrumentCatalogueTest, CompileRefusesInconsistentInstruments) {
  struct Case {
    const char* name;
    std::function<void(InstrumentDefinition&)> breaks;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"malformed factor", [](auto& d) { d.instrument.mutable_domains(0)->set_factor("0,6"); },
       "factor \"0,6\" is not a decimal"},
      {"wrong factor", [](auto& d) { d.instrument.mutable_domains(0)->set_factor("0.5"); },
       "domain desire range"},
      {"malformed domain range",
       [](auto& d) { d.instrument.mutable_domains(1)->set_max_score("6.000"); },
       "max_score \"6.000\" is not a decimal"},
      {"wrong domain range", [](auto& d) { d.instrument.mutable_domains(4)->set_min_score("0"); },
       "domain satisfaction range"},
      {"item outside its domain",
       [](auto& d) { d.instrument.mutable_items(2)->set_domain_id("desire"); },
       "item fsfi.3 names domain"},
      {"domain naming no item",
       [](auto& d) { d.instrument.mutable_domains(5)->set_item_ids(0, "fsfi.20"); },
       "fsfi.20, which does not exist"},
      {"malformed cut-off", [](auto& d) { d.instrument.mutable_cut_offs(0)->set_score("26.5.5"); },
       "cut-off score"},
      {"cut-off out of range", [](auto& d) { d.instrument.mutable_cut_offs(0)->set_score("40"); },
       "outside the total range"},
      {"wrong total range", [](auto& d) { d.instrument.set_max_total("35"); },
       "total range 2-35 should be 2-36"},
      {"malformed total", [](auto& d) { d.instrument.set_min_total(""); }, "min_total"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    InstrumentDefinition broken = instruments::Fsfi();
    c.breaks(broken);
    const absl::Status compiled = CompileInstrument(broken);
    EXPECT_EQ(compiled.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(compiled.message()), HasSubstr(c.says));
    EXPECT_FALSE(broken.rules.parsed.compiled);
    // Scoring refuses an instrument that did not compile.
    EXPECT_EQ(ScoreAnswers(broken, {}).status().code(), absl::StatusCode::kInternal);
  }

  InstrumentDefinition phq9 = instruments::Phq9();
  phq9.instrument.mutable_bands(1)->set_min_score("4");  // overlaps "minimal" 0-4
  EXPECT_THAT(std::string(CompileInstrument(phq9).message()), HasSubstr("band mild"));
  phq9 = instruments::Phq9();
  phq9.rules.flags[0].patient_message.clear();
  EXPECT_THAT(std::string(CompileInstrument(phq9).message()), HasSubstr("PHQ9_ITEM9_POSITIVE"));
}

TEST(InstrumentCatalogueDeathTest, AnInconsistentInstrumentStopsTheServer) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  InstrumentDefinition broken = instruments::Gad7();
  broken.instrument.mutable_bands(0)->set_max_score("four");
  EXPECT_DEATH(InstrumentCatalogue catalogue({broken}), "refusing to start.*gad-7.*four");
}

}  // namespace
}  // namespace confide
