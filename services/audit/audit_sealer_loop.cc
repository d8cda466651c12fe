#include "services/audit/audit_sealer_loop.h"

#include <chrono>

namespace confide {

void AuditSealerLoop::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stopping_) {
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void AuditSealerLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  // The last round: what the drained calls appended.
  Tick();
  if (leading_) {
    leadership_.Release();
    leading_ = false;
    if (events_.leadership_changed) {
      events_.leadership_changed(false);
    }
  }
}

int64_t AuditSealerLoop::sealed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sealed_;
}

void AuditSealerLoop::Tick() {
  const bool leading = leadership_.TryLead();
  if (leading != leading_) {
    leading_ = leading;
    if (events_.leadership_changed) {
      events_.leadership_changed(leading);
    }
  }
  if (!leading) {
    return;
  }
  absl::StatusOr<int64_t> sealed = sealer_.SealOnce();
  if (!sealed.ok()) {
    if (events_.seal_failed) {
      events_.seal_failed(sealed.status());
    }
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  sealed_ += *sealed;
}

void AuditSealerLoop::Run() {
  const auto interval = absl::ToChronoMilliseconds(interval_);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    Tick();
    lock.lock();
    wake_.wait_for(lock, interval, [this] { return stopping_; });
  }
}

}  // namespace confide
