#pragma once

namespace confide {

// Which server process seals the audit trail: one per deployment, so rounds are not fought over
// (the seal state row lock keeps even two sealers correct; this keeps them from wasting work).
class SealerLeadership {
 public:
  virtual ~SealerLeadership() = default;
  // True when this process leads: takes leadership when nobody holds it, confirms it when this
  // process already does. False when another process leads or storage cannot be reached (a lost
  // connection is lost leadership). Never blocks for long.
  virtual bool TryLead() = 0;
  // Gives leadership up (at shutdown), so a follower takes over at its next try.
  virtual void Release() = 0;
};

}  // namespace confide
