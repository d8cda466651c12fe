#pragma once

#include "services/assessments/assessment_scoring.h"

namespace confide::instruments {

// The instruments the server ships, each with its published scoring (docs/assessments.md).

// Patient Health Questionnaire-9 (Kroenke, Spitzer & Williams 2001).
InstrumentDefinition Phq9();
// Generalized Anxiety Disorder-7 (Spitzer, Kroenke, Williams & Löwe 2006).
InstrumentDefinition Gad7();
// Female Sexual Function Index (Rosen et al. 2000; cut-off Wiegel, Meston & Rosen 2005), with
// neutral labels of our own: the published wording is licensed.
InstrumentDefinition Fsfi();
// 0-10 numeric rating scales of pain on attempted penetration and during dilator use.
InstrumentDefinition PainNrsPenetration();
InstrumentDefinition PainNrsDilator();

}  // namespace confide::instruments
