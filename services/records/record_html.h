#pragma once

#include <string>

#include "confide/v1/records.pb.h"

namespace confide {

// The readable copy of an exported record: a self-contained, printable HTML5 document of
// `record_export` (its `html` field is ignored). A header says when, by whom and why it was
// exported and whether psychotherapy notes are included, under a confidentiality notice; then a
// section per part of the record (client, intake, consents, measures, plans, milestones, session
// notes with their signatures, content hashes and addenda, home programme versions, practice
// log, dilator progression suggestions, journal entries shared with the care team). Every piece of
// record text is escaped; the document has no scripts and loads nothing, and its
// Content-Security-Policy allows only its own inline styles, so even a hostile text cannot make it
// run or fetch anything.
std::string RenderRecordHtml(const v1::ClientRecordExport& record_export);

}  // namespace confide
