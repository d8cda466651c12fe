#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/audit/audit_sealer.h"
#include "services/audit/ports/sealer_leadership.h"

namespace confide {

// What the loop tells its owner (the server logs it).
struct AuditSealerLoopEvents {
  // Leadership was taken (true) or lost (false).
  std::function<void(bool leading)> leadership_changed;
  // A round failed; the loop tries again at the next interval.
  std::function<void(const absl::Status& status)> seal_failed;
};

// Seals the audit trail in the background: every `interval`, tries to lead and, when it leads,
// runs SealOnce. Stop() seals a last time (after the server has drained its calls, their events
// are in) and gives leadership up.
class AuditSealerLoop {
 public:
  AuditSealerLoop(AuditSealer& sealer, SealerLeadership& leadership, absl::Duration interval,
                  AuditSealerLoopEvents events)
      : sealer_(sealer), leadership_(leadership), interval_(interval), events_(std::move(events)) {}
  ~AuditSealerLoop() { Stop(); }
  AuditSealerLoop(const AuditSealerLoop&) = delete;
  AuditSealerLoop& operator=(const AuditSealerLoop&) = delete;

  void Start();
  // Idempotent. Returns once the last round has finished.
  void Stop();
  // Events sealed by this loop so far.
  int64_t sealed() const;

 private:
  void Run();
  void Tick();

  AuditSealer& sealer_;
  SealerLeadership& leadership_;
  const absl::Duration interval_;
  const AuditSealerLoopEvents events_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool leading_ = false;
  int64_t sealed_ = 0;
  std::thread thread_;
};

}  // namespace confide
