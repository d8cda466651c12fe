#pragma once

#include <string>
#include <utility>
#include <vector>

#include "confide/v1/assessments.pb.h"

namespace confide::instruments {

// A response option as (value, label).
using Option = std::pair<int, std::string>;

// Adds item `number` with id "<prefix>.<number>".
void AddItem(v1::Instrument& instrument, const std::string& prefix, int number,
             const std::string& text, const std::vector<Option>& options,
             const std::string& domain_id = "");

void AddBand(v1::Instrument& instrument, const std::string& min_score, const std::string& max_score,
             const std::string& label);

void AddCutOff(v1::Instrument& instrument, const std::string& score, bool at_or_above,
               const std::string& meaning, const std::string& source);

}  // namespace confide::instruments
