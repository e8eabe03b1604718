// The real processes: the process-wide set-up a tool that starts children needs (ProcessGuard),
// the executor that starts them (PosixExecutor), and the small OS queries around them.
// Only process/ touches OS process APIs (posix_spawn, waitpid, kill, signals, prctl).
#pragma once

#include <signal.h>

#include <optional>
#include <string>
#include <vector>

#include "benchgate/process/executor.hpp"

namespace benchgate {

// What a tool that starts children sets up once, in main, before the first child, and hands to
// every PosixExecutor: the executor's preconditions as an object, not a call to remember.
// - SIGINT and SIGTERM no longer kill this process (which would leave the running child, in its
//   own process group, behind): they set a flag and wake the executor, which ends the running
//   child's group (SIGTERM, SIGKILL after SpawnRequest::interrupt_grace) and throws Interrupted.
//   A signal ignored by whoever started us (nohup, a background job) stays ignored.
// - Linux: this process becomes the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER),
//   so a descendant that left the child's group (setsid), or the children of a child that died,
//   are re-parented here and the executor kills and reaps them after each child. From then on
//   the executor assumes it started every child this process has.
// One guard per process at a time (a second throws std::logic_error); the destructor restores
// the previous signal dispositions.
class ProcessGuard {
 public:
  ProcessGuard();
  ~ProcessGuard();
  ProcessGuard(const ProcessGuard&) = delete;
  ProcessGuard& operator=(const ProcessGuard&) = delete;

  // Whether the OS made us a subreaper (false where it has no such notion: then escaped
  // descendants outlive their batch).
  bool subreaper() const { return subreaper_; }
  // The signal that interrupted this process (SIGINT or SIGTERM), or 0.
  int interrupt_signal() const;
  // Throws Interrupted if an interrupt arrived.
  void throw_if_interrupted() const;

 private:
  bool subreaper_ = false;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Thrown by PosixExecutor::run once SIGINT or SIGTERM arrived (see ProcessGuard), and by
// ProcessGuard::throw_if_interrupted. Deliberately not a std::exception: nothing on the way up
// may mistake it for an input error.
struct Interrupted {
  int signal = 0;
  int exit_code() const { return 128 + signal; }  // the shell's convention: 130, 143
};

// posix_spawn into a new process group, stdin from /dev/null, stdout/stderr/result drained
// concurrently with poll(2) so a chatty child cannot block; the exit is observed through a
// pidfd (no polling delay). When the child exits, the rest of its group is killed so leftovers
// cannot hold the pipes open or disturb the next batch, and so are descendants that left the
// group (the guard made us their reaper). Once interrupted, run() throws Interrupted, and throws
// at once without starting anything.
class PosixExecutor final : public Executor {
 public:
  explicit PosixExecutor(const ProcessGuard& guard) : guard_(guard) {}
  SpawnResult run(const SpawnRequest& request) override;

 private:
  const ProcessGuard& guard_;
};

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

// The CPUs this process may run on, in ascending order (empty if unknown).
std::vector<int> allowed_cpus();

// "SIGSEGV" for 11, "signal 77" for what the table does not know.
std::string signal_name(int sig);

// Where posix_spawnp would find `name`: the first executable file of that name on PATH, or
// nullopt. (A name with a '/' is not looked up: callers check it as a path.)
std::optional<std::string> find_on_path(const std::string& name);

}  // namespace benchgate
