// Starting a child process and collecting what it leaves behind: the only code in benchgate
// that touches OS process APIs. Behind a small interface so orchestration tests can script it.
#pragma once

#include <signal.h>

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
  // A longer result is discarded (result_overflow): what is kept never exceeds this, however
  // much the child writes.
  std::size_t max_result_bytes = 1 << 20;
  std::size_t tail_bytes = 4096;  // how much of stdout/stderr is kept, from the end
  std::optional<int> cpu;         // pin the child (and its descendants) to this CPU
};

struct SpawnResult {
  bool started = false;
  std::string start_error;  // why the process could not be started
  bool exited = false;      // normal exit (exit_code valid) vs death by signal (term_signal)
  int exit_code = 0;
  int term_signal = 0;
  bool killed_at_cap = false;   // the deadline passed and we signalled the group
  bool stopped_at_cap = false;  // it was stopped (SIGSTOP, SIGTSTP...) when the deadline passed
  std::string result;           // bytes read from the result pipe; empty after an overflow
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

// posix_spawn into a new process group, stdin from /dev/null, stdout/stderr/result drained
// concurrently with poll(2) so a chatty child cannot block; the exit is observed through a
// pidfd (no polling delay). When the child exits, the rest of its group is killed so
// leftovers cannot hold the pipes open or disturb the next batch; after
// become_child_subreaper(), so are descendants that left the group (setsid, setpgid).
// After install_interrupt_handlers(), SIGINT or SIGTERM ends the running child (SIGTERM to its
// group, SIGKILL after at most kInterruptGrace) and run() throws Interrupted; once interrupted,
// run() throws at once without starting anything.
class PosixExecutor final : public Executor {
 public:
  SpawnResult run(const SpawnRequest& request) override;
};

// How long an interrupted child's group gets between SIGTERM and SIGKILL (or the request's own
// grace, if shorter): enough to remove a temporary file, short enough that Ctrl-C feels prompt.
inline constexpr std::chrono::milliseconds kInterruptGrace{500};

// Thrown by PosixExecutor::run once SIGINT or SIGTERM arrived (see install_interrupt_handlers).
// Deliberately not a std::exception: nothing on the way up may mistake it for an input error.
struct Interrupted {
  int signal = 0;
  int exit_code() const { return 128 + signal; }  // the shell's convention: 130, 143
};

// Makes SIGINT and SIGTERM set a flag and wake PosixExecutor's poll (a self-pipe), instead of
// killing this process and leaving the running child's group behind. Async-signal-safe handler;
// children start with the default dispositions. Call once, before any child starts.
void install_interrupt_handlers();

// The signal that interrupted this process (SIGINT or SIGTERM), or 0.
int interrupt_signal();

// Throws Interrupted if an interrupt arrived.
void throw_if_interrupted();

// Holds SIGINT and SIGTERM pending while it lives (a handler cannot run in between), so that a
// file written in its scope is written whole; they are delivered when it ends.
class InterruptsHeld {
 public:
  InterruptsHeld();
  ~InterruptsHeld();
  InterruptsHeld(const InterruptsHeld&) = delete;
  InterruptsHeld& operator=(const InterruptsHeld&) = delete;

 private:
  sigset_t saved_;
};

// Linux: makes this process the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER), so
// a descendant that left the child's process group (setsid) is re-parented here instead of to
// init, and PosixExecutor kills and reaps it after the batch. From then on PosixExecutor
// assumes it started every child this process has: after each batch it kills and reaps all of
// them. False where the OS has no such notion (then escaped descendants outlive the batch).
bool become_child_subreaper();

// The CPUs this process may run on, in ascending order (empty if unknown).
std::vector<int> allowed_cpus();

// "SIGSEGV" for 11, "signal 77" for what the table does not know.
std::string signal_name(int sig);

}  // namespace benchgate
