#include "services/assessments/instruments/instrument_builder.h"

#include "absl/strings/str_cat.h"

namespace confide::instruments {

void AddItem(v1::Instrument& instrument, const std::string& prefix, int number,
             const std::string& text, const std::vector<Option>& options,
             const std::string& domain_id) {
  v1::InstrumentItem* item = instrument.add_items();
  item->set_id(absl::StrCat(prefix, ".", number));
  item->set_number(number);
  item->set_text(text);
  item->set_domain_id(domain_id);
  for (const auto& [value, label] : options) {
    v1::ResponseOption* option = item->add_options();
    option->set_value(value);
    option->set_label(label);
  }
}

void AddBand(v1::Instrument& instrument, const std::string& min_score, const std::string& max_score,
             const std::string& label) {
  v1::SeverityBand* band = instrument.add_bands();
  band->set_min_score(min_score);
  band->set_max_score(max_score);
  band->set_label(label);
}

void AddCutOff(v1::Instrument& instrument, const std::string& score, bool at_or_above,
               const std::string& meaning, const std::string& source) {
  v1::CutOff* cut_off = instrument.add_cut_offs();
  cut_off->set_score(score);
  cut_off->set_at_or_above(at_or_above);
  cut_off->set_meaning(meaning);
  cut_off->set_source(source);
}

}  // namespace confide::instruments
