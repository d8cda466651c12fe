#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Jo's home practice in the demo clinic (DESIGN.md: "active dilator programme"), so the portal,
// the docs and a newcomer have something real to look at. Fixed ids, times relative to `now`:
// - programme kDemoJoProgrammeId by Alex, Europe/London, ACTIVE since 35 days ago, with items
//   whose ids say nothing on a shared screen: "breathing" (down-training, daily), "exercises"
//   (gentle Kegels, Mon/Wed/Fri), "practice" (dilators: a 6-size set, 4 sessions a week, 10
//   minutes, step up after 8 sessions with the last 3 at pain and anxiety at most 3, step down
//   after 2 sessions at pain 7 or more) and "notes" (journaling prompts, twice a week);
// - version 1 at size 1; an accepted step-up suggestion after her 8th session at size 1; version
//   2 (21 days ago) at size 2, where she is now: 11 sessions at size 2, the last three with pain
//   4, 3, 3, so one more session at pain 3 or less asks Alex to consider size 3;
// - five weeks of practice logs (a few skipped, some with her feelings, sealed);
// - two journal entries, one shared with her care team, one private.
// Needs the starter exercise library seeded in the demo clinic first. Her words are sealed with
// `cipher` in `uow`'s transaction.
absl::Status LoadDemoHomeProgramme(UnitOfWork& uow, ClientDataCipher& cipher, absl::Time now);

inline constexpr char kDemoJoProgrammeId[] = "0190d000-0000-7000-8000-0000f0000001";
inline constexpr char kDemoJoSharedJournalEntryId[] = "0190d000-0000-7000-8000-0000f3000001";
inline constexpr char kDemoJoPrivateJournalEntryId[] = "0190d000-0000-7000-8000-0000f3000002";

}  // namespace confide
