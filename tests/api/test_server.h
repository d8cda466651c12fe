#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace confide::api_test {

// Exit code (or -1 when killed or not started) and the combined stdout and stderr of a command.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs `argv` (argv[0] looked up on PATH) to completion with the test environment, capturing its
// output. A command still running after 60 s is killed and reported as failed.
CommandResult RunCommand(const std::vector<std::string>& argv);

// A database of the suite's own, on the engine CONFIDE_TEST_DATABASE names: a SQLite file in a
// private directory, or a fresh database on the CONFIDE_TEST_POSTGRES_URL server (dropped, WITH
// (FORCE), when this object goes).
class ScratchDatabase {
 public:
  // `dir` is a private directory for the SQLite file. nullptr with `error` set when
  // CONFIDE_TEST_DATABASE is unknown, CONFIDE_TEST_POSTGRES_URL is missing or the PostgreSQL
  // server cannot create a database: a PostgreSQL run without a server fails, never skips.
  static std::unique_ptr<ScratchDatabase> Create(const std::string& dir, std::string* error);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  // The URL confidectl and confide-server take.
  const std::string& url() const { return url_; }
  bool is_postgresql() const { return !server_url_.empty(); }

  // Runs one SQL statement with the engine's command-line client (sqlite3 or psql); returns one
  // line per row with columns joined by '|', or sets `error`.
  std::vector<std::string> Query(const std::string& sql, std::string* error) const;

 private:
  ScratchDatabase(std::string url, std::string server_url, std::string name)
      : url_(std::move(url)), server_url_(std::move(server_url)), name_(std::move(name)) {}

  std::string url_;
  // PostgreSQL only: the server's URL and the scratch database's name.
  std::string server_url_;
  std::string name_;
};

// The real confide-server binary on free ports (REST and gRPC on 127.0.0.1) over a scratch
// database holding the demo clinic. Argon2 runs with tiny parameters so sign-in is fast.
class TestServer {
 public:
  // Creates the database, runs `confidectl demo load`, starts the server and waits (at most
  // 30 s) for its ports file. nullptr with `error` set, including the server's log, on failure.
  // `extra_env` ("CONFIDE_X=value") adds or overrides server settings.
  static std::unique_ptr<TestServer> Start(std::string* error,
                                           std::vector<std::string> extra_env = {});
  // Stops the server if Stop() was not called, and removes the scratch database and directory.
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Sends SIGTERM and waits (at most 30 s) for the process. Returns "" when it exited with
  // status 0 (a graceful stop), otherwise what happened.
  std::string Stop();
  // Stops the server (gracefully) and starts it again on the same database with the master key
  // in `master_key_path` (new ports). False with `error` set when either fails.
  bool Restart(const std::string& master_key_path, std::string* error);
  // Starts a second confide-server on this server's database and master key (its own ports,
  // directory and log): two servers of one deployment. It does not own the database
  // (database() must not be called on it). nullptr with `error` set on failure.
  std::unique_ptr<TestServer> StartPeer(std::string* error) const;

  int rest_port() const { return rest_port_; }
  int grpc_port() const { return grpc_port_; }
  const ScratchDatabase& database() const { return *database_; }
  // The master key file the server and confidectl use.
  std::string master_key_path() const { return dir_ + "/master.key"; }
  // What the server has written to stdout and stderr so far (its JSON log).
  std::string Log() const;

 private:
  TestServer() = default;
  // Starts confide-server on the database with `key_path` and waits for its ports file.
  bool Launch(const std::string& key_path, std::string* error);

  std::string dir_;
  std::unique_ptr<ScratchDatabase> database_;
  // A peer's database URL (a peer has no database_ of its own).
  std::string peer_url_;
  std::vector<std::string> extra_env_;
  pid_t pid_ = -1;
  int rest_port_ = 0;
  int grpc_port_ = 0;
};

}  // namespace confide::api_test
