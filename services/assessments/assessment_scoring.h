#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "confide/v1/assessments.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/assessments/decimal.h"

namespace confide {

// A flag an instrument raises from one item, e.g. PHQ-9 item 9 (thoughts of self-harm).
struct ItemFlagRule {
  enum class When {
    // The item is answered with a value of at least `min_value`.
    kAnsweredAtLeast,
    // The item is left unanswered.
    kUnanswered,
  };
  std::string item_id;
  When when = When::kAnsweredAtLeast;
  int min_value = 1;
  std::string code;
  // Said to the clinician (care team, clinic staff); no answer content.
  std::string message;
  // Said to the patient instead when she reads her own administration: plain, supportive
  // wording with no instruction meant for staff.
  std::string patient_message;
};

// An instrument's decimals parsed once, when the catalogue checks the instrument
// (CompileInstrument), so scoring never parses (or silently mis-parses) a number of ours.
struct ParsedScale {
  // False until CompileInstrument has checked the instrument: ScoreAnswers refuses it.
  bool compiled = false;
  // In the order of the instrument's domains, bands and cut-offs.
  std::vector<Hundredths> domain_factors;
  struct Band {
    Hundredths min = 0;
    Hundredths max = 0;
  };
  std::vector<Band> bands;
  std::vector<Hundredths> cut_offs;
};

// The parts of an instrument's scoring that are rules rather than numbers: how the total is
// made and how unanswered items are handled. Data, beside the v1::Instrument it belongs to, so
// one engine scores every instrument.
struct ScoringRules {
  enum class Total {
    // The sum of the item values (PHQ-9, GAD-7, a numeric rating scale).
    kSumOfItems,
    // The sum of the domain scores (FSFI full scale).
    kSumOfDomains,
  };
  Total total = Total::kSumOfItems;
  // kSumOfItems only: at most this many unanswered items are prorated (sum × items / answered,
  // rounded half up to a whole number); more leave the total unscored. This is clinic policy
  // (a common research convention), not part of any published scoring. 0 = no proration: the
  // total needs every item.
  int max_prorated_missing = 0;
  // Every item must be answered: an unanswered one is INVALID_ARGUMENT (single-item scales).
  bool all_items_required = false;
  std::vector<ItemFlagRule> flags;
  ParsedScale parsed;
};

// An instrument the server can score: what clients see, and the rules the engine applies.
struct InstrumentDefinition {
  v1::Instrument instrument;
  ScoringRules rules;
};

// Checks `answers` against the instrument and scores them. INVALID_ARGUMENT whose BadRequest
// names the answer ("answers[3].value") for an unknown item, a value that is not one of the
// item's options, an item answered twice, more answers than items, or (when the rules require
// every item) an unanswered item. Unanswered items are never counted as zero: domains with one
// stay unscored, and the total is prorated or left unscored as the rules say. INTERNAL when the
// definition was not compiled (only InstrumentCatalogue's definitions are).
absl::StatusOr<v1::AssessmentScore> ScoreAnswers(
    const InstrumentDefinition& definition,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers);

}  // namespace confide
