// Starting a child process and collecting what it leaves behind: the only code in benchgate
// that touches OS process APIs. Behind a small interface so orchestration tests can script it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace benchgate {

// The descriptor number the child finds its result pipe on (passed as --result-fd).
inline constexpr int kResultFdInChild = 3;

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0] is the program; a name without '/' searches PATH
  // SIGTERM to the child's process group after term_after, SIGKILL after kill_after.
  std::chrono::nanoseconds term_after{std::chrono::seconds(60)};
  std::chrono::nanoseconds kill_after{std::chrono::seconds(61)};
  std::size_t max_result_bytes = 1 << 20;  // a longer row is discarded (result_overflow)
  std::size_t tail_bytes = 4096;           // how much of stdout/stderr is kept, from the end
  std::optional<int> cpu;                  // pin the child (and its descendants) to this CPU
};

struct SpawnResult {
  bool started = false;
  std::string start_error;  // why the process could not be started
  bool exited = false;      // normal exit (exit_code valid) vs death by signal (term_signal)
  int exit_code = 0;
  int term_signal = 0;
  bool killed_at_cap = false;  // the deadline passed and we signalled the group
  std::string result;          // bytes read from the result pipe
  bool result_overflow = false;
  std::string stdout_tail;
  std::string stderr_tail;
  std::uint64_t stdout_bytes = 0;
  std::uint64_t stderr_bytes = 0;
  std::uint64_t wall_nanos = 0;  // spawn to exit, as the parent saw it
  // wait4's ru_maxrss: the child's whole-process peak, start-up included. Null when it is not
  // above inherited_rss_bound_kb, because on Linux a child's ru_maxrss starts from the resident
  // set of the process that spawned it (ours) and cannot be told apart from it.
  std::optional<std::uint64_t> child_maxrss_kb;
  std::optional<std::uint64_t> inherited_rss_bound_kb;  // our high-water mark across the spawn
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual SpawnResult run(const SpawnRequest& request) = 0;
};

// posix_spawn into a new process group, stdin from /dev/null, stdout/stderr/result drained
// concurrently with poll(2) so a chatty child cannot block; the exit is observed through a
// pidfd (no polling delay). When the child exits, the rest of its group is killed so
// leftovers cannot hold the pipes open or disturb the next batch.
class PosixExecutor final : public Executor {
 public:
  SpawnResult run(const SpawnRequest& request) override;
};

// The CPUs this process may run on, in ascending order (empty if unknown).
std::vector<int> allowed_cpus();

// "SIGSEGV" for 11, "signal 77" for what the table does not know.
std::string signal_name(int sig);

}  // namespace benchgate
