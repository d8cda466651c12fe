#include "adapters/persistence/sealer_leadership.h"

#include <cstdio>
#include <utility>

#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"

namespace confide::persistence {

PostgresSealerLeadership::PostgresSealerLeadership(std::string connect_string)
    : connect_string_(std::move(connect_string)) {}

PostgresSealerLeadership::~PostgresSealerLeadership() { Release(); }

bool PostgresSealerLeadership::TryLead() {
  try {
    if (sql_ == nullptr) {
      sql_ = std::make_unique<soci::session>(soci::postgresql, connect_string_);
      leading_ = false;
    }
    if (leading_) {
      // The lock lives as long as the session: a live session still holds it.
      int one = 0;
      *sql_ << "SELECT 1", soci::into(one);
      return true;
    }
    int acquired = 0;
    long long key = kSealerAdvisoryLockKey;
    *sql_ << "SELECT CASE WHEN pg_try_advisory_lock(:key) THEN 1 ELSE 0 END", soci::use(key),
        soci::into(acquired);
    leading_ = acquired == 1;
    return leading_;
  } catch (const std::exception&) {
    // The connection (and with it any lock) is gone; reconnect at the next try. The driver's
    // message can quote the connection string, so it is not logged.
    sql_.reset();
    leading_ = false;
    return false;
  }
}

void PostgresSealerLeadership::Release() {
  if (sql_ != nullptr && leading_) {
    try {
      long long key = kSealerAdvisoryLockKey;
      *sql_ << "SELECT pg_advisory_unlock(:key)", soci::use(key);
    } catch (const std::exception&) {
      // Closing the session below releases it anyway.
    }
  }
  leading_ = false;
  sql_.reset();
}

}  // namespace confide::persistence
