#pragma once

// A test fixture for repository tests: a migrated scratch database (SQLite or PostgreSQL, as
// CONFIDE_TEST_DATABASE names) holding clinics A and B with their clinicians (seed.h), and
// helpers to run work in real transactions of the runner under test.

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/persistence/database.h"
#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "services/storage/ports/unit_of_work.h"
#include "tests/persistence/scratch_database.h"
#include "tests/persistence/seed.h"

namespace confide::persistence {

class MigratedDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ScratchDatabase>> scratch = ScratchDatabase::Create();
    ASSERT_TRUE(scratch.ok()) << scratch.status();
    scratch_ = *std::move(scratch);
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open({.url = scratch_->url()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    absl::StatusOr<std::vector<std::string>> applied = db_->Migrate();
    ASSERT_TRUE(applied.ok()) << applied.status();
    absl::Status seeded = Write([](UnitOfWork& uow) { return SeedClinicsAndClinicians(uow); });
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  absl::Status Write(absl::FunctionRef<absl::Status(UnitOfWork&)> work) {
    return db_->transactions().Run(TransactionMode::kWrite, work);
  }

  // Inserts `clients` (e.g. NewClient(...) records) in one write transaction.
  absl::Status InsertClients(std::initializer_list<ClientRecord> clients) {
    return Write([&](UnitOfWork& uow) -> absl::Status {
      for (const ClientRecord& client : clients) {
        if (absl::Status s = uow.clients().Insert(client, ""); !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    });
  }

  // Runs `query` in a transaction of its own and returns what it returned.
  template <typename Query>
  auto Run(TransactionMode mode, Query query) -> decltype(query(std::declval<UnitOfWork&>())) {
    std::optional<decltype(query(std::declval<UnitOfWork&>()))> result;
    absl::Status status = db_->transactions().Run(mode, [&](UnitOfWork& uow) {
      result.emplace(query(uow));
      return result->status();
    });
    if (!status.ok()) {
      return status;
    }
    return *std::move(result);
  }
  template <typename Query>
  auto Read(Query query) {
    return Run(TransactionMode::kRead, query);
  }
  template <typename Query>
  auto WriteReturning(Query query) {
    return Run(TransactionMode::kWrite, query);
  }

  // Declared first so the database closes its connections before the scratch copy is removed.
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<Database> db_;
};

}  // namespace confide::persistence
