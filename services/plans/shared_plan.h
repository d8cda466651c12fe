#pragma once

#include "absl/time/time.h"
#include "confide/v1/plans.pb.h"

namespace confide {

// A plan version as the patient (or her partner) reads it: patient wording only. Titles,
// clinical wording and descriptions, intervention details and goal measures are care-team
// text and never leave through here. Goals are left out when `with_goals` is false (a partner
// without the goals share).
v1::SharedPlan ToSharedPlan(const v1::TherapyPlan& version, absl::Time share_time, bool with_goals);

}  // namespace confide
