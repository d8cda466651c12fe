#include "test_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/support/random_hex.h"

extern char** environ;

namespace confide::api_test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartTimeout{30};
constexpr std::chrono::seconds kStopTimeout{30};
constexpr std::chrono::seconds kCommandTimeout{60};
// How often a bounded wait looks again; not a timing assertion.
constexpr std::chrono::milliseconds kPollInterval{10};

// The environment for every child: the caller's, minus any CONFIDE_* setting that could steer
// the server away from what the test asks for, plus cheap Argon2 parameters (for confidectl too,
// so the demo accounts' hashes are cheap to verify).
std::vector<std::string> ChildEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "CONFIDE_", 8) != 0) {
      env.emplace_back(*entry);
    }
  }
  env.emplace_back("CONFIDE_AUTH_ARGON2_MEMORY_KIB=1024");
  env.emplace_back("CONFIDE_AUTH_ARGON2_TIME_COST=1");
  // Every test signs in from 127.0.0.1: the per-address lockout is tested in unit tests, and
  // here must not lock the suite out after its deliberate failures.
  env.emplace_back("CONFIDE_AUTH_LOCKOUT_ADDRESS_THRESHOLD=100000");
  // Likewise the gateway's sign-in rate limit (tested by its own suite, which lowers it).
  env.emplace_back("CONFIDE_REST_SIGN_IN_ATTEMPTS_PER_MINUTE=1000000");
  // getenv() answers with the first entry of a name: an override replaces the default above.
  for (const std::string& setting : extra) {
    const std::string name = setting.substr(0, setting.find('=') + 1);
    std::erase_if(env, [&](const std::string& entry) { return entry.starts_with(name); });
    env.push_back(setting);
  }
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) {
    pointers.push_back(s.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Forks and execs `argv` with stdin from /dev/null and stdout and stderr on `output_fd`. The
// child dies with the test process, so a crashed test leaves no server behind. -1 on failure.
pid_t Spawn(std::vector<std::string> argv, int output_fd,
            const std::vector<std::string>& extra_env = {}) {
  std::vector<std::string> env = ChildEnvironment(extra_env);
  std::vector<char*> argv_pointers = Pointers(argv);
  std::vector<char*> env_pointers = Pointers(env);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) {
    return pid;
  }
  // Child: only async-signal-safe calls until exec.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) {
    _exit(127);
  }
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(output_fd, STDOUT_FILENO) < 0 ||
      dup2(output_fd, STDERR_FILENO) < 0) {
    _exit(127);
  }
  execvpe(argv_pointers[0], argv_pointers.data(), env_pointers.data());
  _exit(127);
}

// Waits at most `timeout` for `pid`; returns its wait status, or nullopt when it is still running.
std::optional<int> WaitFor(pid_t pid, std::chrono::steady_clock::duration timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      return status;
    }
    if (done < 0 && errno != EINTR) {
      return -1;
    }
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    return std::string("was killed by signal ") + strsignal(WTERMSIG(status));
  }
  return "ended with wait status " + std::to_string(status);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The same libpq URI naming another database: postgresql://u:p@host:port/<database>?params.
std::string WithDatabase(const std::string& server_url, const std::string& database) {
  const size_t authority = server_url.find("://");
  const size_t slash = server_url.find('/', authority == std::string::npos ? 0 : authority + 3);
  const size_t query = server_url.find('?', slash == std::string::npos ? 0 : slash);
  const std::string rest = query == std::string::npos ? "" : server_url.substr(query);
  const size_t end =
      slash != std::string::npos ? slash : (query == std::string::npos ? server_url.size() : query);
  return server_url.substr(0, end) + "/" + database + rest;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv) {
  CommandResult result;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  const pid_t pid = Spawn(argv, pipe_fds[1]);
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    result.output = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  const Clock::time_point deadline = Clock::now() + kCommandTimeout;
  bool timed_out = false;
  char chunk[4096];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd readable{.fd = pipe_fds[0], .events = POLLIN, .revents = 0};
    const int ready = poll(&readable, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    const ssize_t n = read(pipe_fds[0], chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    result.output.append(chunk, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  if (timed_out) {
    kill(pid, SIGKILL);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    result.output += "\n(killed: still running after 60 s)";
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::Create(const std::string& dir,
                                                         std::string* error) {
  const char* kind_env = std::getenv("CONFIDE_TEST_DATABASE");
  const std::string kind = kind_env == nullptr ? "sqlite" : kind_env;
  if (kind == "sqlite") {
    return std::unique_ptr<ScratchDatabase>(
        new ScratchDatabase("sqlite:" + dir + "/confide.db", "", dir + "/confide.db"));
  }
  if (kind != "postgresql") {
    *error = "CONFIDE_TEST_DATABASE must be sqlite or postgresql, not '" + kind + "'";
    return nullptr;
  }
  const char* server_env = std::getenv("CONFIDE_TEST_POSTGRES_URL");
  if (server_env == nullptr || *server_env == '\0') {
    *error =
        "CONFIDE_TEST_DATABASE=postgresql needs CONFIDE_TEST_POSTGRES_URL "
        "(postgresql://user:password@host:port/database of a role with CREATEDB; "
        "scripts/start-postgres prints one)";
    return nullptr;
  }
  const std::string server_url = server_env;
  // Our own hex, never input: safe to splice into DDL, which takes no parameters.
  const std::string name = "confide_api_" + test_support::RandomHex();
  CommandResult created = RunCommand({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", server_url,
                                      "-c", "CREATE DATABASE " + name});
  if (created.exit_code != 0) {
    *error = "cannot create a scratch database on the CONFIDE_TEST_POSTGRES_URL server: " +
             created.output;
    return nullptr;
  }
  return std::unique_ptr<ScratchDatabase>(
      new ScratchDatabase(WithDatabase(server_url, name), server_url, name));
}

ScratchDatabase::~ScratchDatabase() {
  if (!is_postgresql()) {
    return;  // the file goes with the server's directory
  }
  CommandResult dropped =
      RunCommand({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", server_url_, "-c",
                  "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"});
  if (dropped.exit_code != 0) {
    std::fprintf(stderr, "could not drop scratch database %s: %s\n", name_.c_str(),
                 dropped.output.c_str());
  }
}

std::vector<std::string> ScratchDatabase::Query(const std::string& sql, std::string* error) const {
  CommandResult result =
      is_postgresql() ? RunCommand({"psql", "-X", "-q", "-A", "-t", "-F", "|", "-v",
                                    "ON_ERROR_STOP=1", "-d", url_, "-c", sql})
                      : RunCommand({"sqlite3", "-bail", "-cmd", ".timeout 10000", name_, sql});
  if (result.exit_code != 0) {
    *error = "query failed: " + result.output;
    return {};
  }
  return Lines(result.output);
}

std::unique_ptr<TestServer> TestServer::Start(std::string* error,
                                              std::vector<std::string> extra_env) {
  std::unique_ptr<TestServer> server(new TestServer());
  server->extra_env_ = std::move(extra_env);
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "confide_api_XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    *error = std::string("mkdtemp: ") + std::strerror(errno);
    return nullptr;
  }
  server->dir_ = dir_template;
  server->database_ = ScratchDatabase::Create(server->dir_, error);
  if (server->database_ == nullptr) {
    return nullptr;
  }
  const std::string url = server->database_->url();

  const std::string key_path = server->dir_ + "/master.key";
  CommandResult keygen = RunCommand({CONFIDE_CTL_BINARY, "--master-key-file", key_path, "keygen"});
  if (keygen.exit_code != 0) {
    *error = "confidectl keygen failed: " + keygen.output;
    return nullptr;
  }
  CommandResult demo = RunCommand(
      {CONFIDE_CTL_BINARY, "--database-url", url, "--master-key-file", key_path, "demo", "load"});
  if (demo.exit_code != 0) {
    *error = "confidectl demo load failed: " + demo.output;
    return nullptr;
  }

  if (!server->Launch(key_path, error)) {
    return nullptr;  // the destructor kills a server that did start
  }
  return server;
}

bool TestServer::Restart(const std::string& master_key_path, std::string* error) {
  if (std::string stopped = Stop(); !stopped.empty()) {
    *error = stopped;
    return false;
  }
  return Launch(master_key_path, error);
}

std::unique_ptr<TestServer> TestServer::StartPeer(std::string* error) const {
  std::unique_ptr<TestServer> peer(new TestServer());
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "confide_api_XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    *error = std::string("mkdtemp: ") + std::strerror(errno);
    return nullptr;
  }
  peer->dir_ = dir_template;
  peer->peer_url_ = database_ != nullptr ? database_->url() : peer_url_;
  if (!peer->Launch(master_key_path(), error)) {
    return nullptr;
  }
  return peer;
}

bool TestServer::Launch(const std::string& key_path, std::string* error) {
  const std::string url = database_ != nullptr ? database_->url() : peer_url_;
  const std::string log_path = dir_ + "/server.log";
  const std::string ports_path = dir_ + "/ports.json";
  std::error_code ignored;
  std::filesystem::remove(ports_path, ignored);
  // Appends, so a restarted server's log follows the first one's.
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    *error = "cannot create " + log_path + ": " + std::strerror(errno);
    return false;
  }
  pid_ = Spawn({CONFIDE_SERVER_BINARY, "--database-url", url, "--rest-port", "0", "--grpc-port",
                "0", "--ports-file", ports_path, "--master-key-file", key_path},
               log_fd, extra_env_);
  close(log_fd);
  if (pid_ < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    return false;
  }

  // The server renames the ports file into place once both listeners are bound.
  const Clock::time_point deadline = Clock::now() + kStartTimeout;
  while (true) {
    if (std::filesystem::exists(ports_path)) {
      nlohmann::json ports = nlohmann::json::parse(ReadFile(ports_path), nullptr, false);
      if (ports.is_object() && ports.contains("rest") && ports.contains("grpc") &&
          ports["rest"].is_number_integer() && ports["grpc"].is_number_integer()) {
        rest_port_ = ports["rest"].get<int>();
        grpc_port_ = ports["grpc"].get<int>();
        break;
      }
    }
    if (std::optional<int> ended = WaitFor(pid_, std::chrono::seconds(0))) {
      pid_ = -1;
      *error = "confide-server " + DescribeWaitStatus(*ended) +
               " before writing its ports file; its log:\n" + ReadFile(log_path);
      return false;
    }
    if (Clock::now() >= deadline) {
      *error = "confide-server wrote no ports file within 30 s; its log:\n" + ReadFile(log_path);
      return false;  // the destructor kills it
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  if (rest_port_ <= 0 || grpc_port_ <= 0) {
    *error = "confide-server reported ports " + ReadFile(ports_path);
    return false;
  }
  return true;
}

std::string TestServer::Stop() {
  if (pid_ < 0) {
    return "";
  }
  const pid_t pid = pid_;
  pid_ = -1;
  kill(pid, SIGTERM);
  std::optional<int> status = WaitFor(pid, kStopTimeout);
  if (!status.has_value()) {
    kill(pid, SIGKILL);
    WaitFor(pid, kStopTimeout);
    return "confide-server did not stop within 30 s of SIGTERM and was killed";
  }
  if (WIFEXITED(*status) && WEXITSTATUS(*status) == 0) {
    return "";
  }
  return "confide-server " + DescribeWaitStatus(*status) + " after SIGTERM";
}

TestServer::~TestServer() {
  if (pid_ >= 0) {
    kill(pid_, SIGKILL);
    WaitFor(pid_, kStopTimeout);
  }
  database_.reset();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string TestServer::Log() const { return ReadFile(dir_ + "/server.log"); }

}  // namespace confide::api_test
