#pragma once

#include <memory>
#include <string>

#include "services/audit/ports/sealer_leadership.h"

namespace soci {
class session;
}

namespace confide::persistence {

// PostgreSQL: leadership is a session-level advisory lock held on a dedicated connection (not
// one of the pool's), for as long as the connection lives. When the process dies or loses the
// connection the server releases the lock, and a follower's next TryLead takes it.
class PostgresSealerLeadership final : public SealerLeadership {
 public:
  // `connect_string` as DatabaseUrl gives it. Connects lazily, on the first TryLead.
  explicit PostgresSealerLeadership(std::string connect_string);
  ~PostgresSealerLeadership() override;

  bool TryLead() override;
  void Release() override;

 private:
  std::string connect_string_;
  std::unique_ptr<soci::session> sql_;
  bool leading_ = false;
};

// SQLite: one file, one writer; every process that can write may seal.
class SqliteSealerLeadership final : public SealerLeadership {
 public:
  bool TryLead() override { return true; }
  void Release() override {}
};

// The advisory lock key: "confide audit sealer" (any constant unique to this use).
inline constexpr long long kSealerAdvisoryLockKey = 0x636f6e6669646531LL;

}  // namespace confide::persistence
