// Starting a child process and collecting what it leaves behind, as plain data behind a small
// interface, so that orchestration code (the runner's walk, compare's reruns) can be tested with
// a scripted fake. The real implementation is PosixExecutor (benchgate/process/posix.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace benchgate {

// The descriptor number the child finds its result pipe on.
inline constexpr int kResultFdInChild = 3;
// The descriptor number the child finds its setup pipe on (SpawnRequest::setup_term_after).
inline constexpr int kSetupFdInChild = 4;

// How long an interrupted child's group gets between SIGTERM and SIGKILL (or the request's own
// grace, if shorter): enough to remove a temporary file, short enough that Ctrl-C feels prompt.
inline constexpr std::chrono::milliseconds kInterruptGrace{500};

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0] is the program; a name without '/' searches PATH
  // SIGTERM to the child's process group after term_after, SIGKILL after kill_after.
  std::chrono::nanoseconds term_after{std::chrono::seconds(60)};
  std::chrono::nanoseconds kill_after{std::chrono::seconds(61)};
  // A setup phase: the child gets a pipe on kSetupFdInChild and writes to it when its setup has
  // run. Until then SIGTERM comes setup_term_after after the start; from then on term_after and
  // kill_after count from that moment. The grace (kill_after - term_after) is the same in both.
  std::optional<std::chrono::nanoseconds> setup_term_after;
  // On an interrupt (see ProcessGuard): SIGTERM to the group at once, SIGKILL this much later
  // (or at kill_after - term_after, if shorter). A child that itself stops children of its own
  // on SIGTERM (benchgate-runner) needs longer than a benchmark batch does.
  std::chrono::nanoseconds interrupt_grace{kInterruptGrace};
  // A longer result is discarded (result_overflow): what is kept never exceeds this, however
  // much the child writes.
  std::size_t max_result_bytes = 1 << 20;
  std::size_t tail_bytes = 4096;  // how much of stdout/stderr is kept, from the end
  std::optional<int> cpu;         // pin the child (and its descendants) to this CPU
  // Variables set in the child's environment ("NAME=value"), on top of (and replacing those of
  // the same name in) the runner's own; empty: the runner's environment as it is.
  std::vector<std::string> env;
};

struct SpawnResult {
  bool started = false;
  std::string start_error;  // why the process could not be started
  bool exited = false;      // normal exit (exit_code valid) vs death by signal (term_signal)
  int exit_code = 0;
  int term_signal = 0;
  bool killed_at_cap = false;   // the deadline passed and we signalled the group
  bool stopped_at_cap = false;  // it was stopped (SIGSTOP, SIGTSTP...) when the deadline passed
  // With setup_term_after: start to the child's signal that setup ended (null: it never said),
  // and whether the cap that killed it was the setup cap.
  std::optional<std::uint64_t> setup_nanos;
  bool killed_in_setup = false;
  std::string result;  // bytes read from the result pipe; empty after an overflow
  bool result_overflow = false;
  std::uint64_t result_bytes = 0;  // all bytes the child wrote to the result pipe
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

}  // namespace benchgate
