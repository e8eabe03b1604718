// posix_spawn, poll, pidfd, kill and wait4: one child from start to reap.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <string_view>

#include "benchgate/process/posix.hpp"
#include "guard_state.hpp"

extern char** environ;

namespace benchgate {
namespace {

std::int64_t now_nanos() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A pipe whose ends are close-on-exec and never take the descriptor numbers the child's
// actions dup onto (0-4): dup2(fd, fd) would leave close-on-exec set.
bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  for (int& fd : fds) {
    if (fd <= kSetupFdInChild) {
      const int moved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
      ::close(fd);
      if (moved < 0) return false;
      fd = moved;
    }
  }
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  fcntl(read_end.get(), F_SETFL, fcntl(read_end.get(), F_GETFL) | O_NONBLOCK);
  return true;
}

// Keeps the last `limit` bytes of a stream without growing without bound.
void append_tail(std::string& tail, const char* data, std::size_t n, std::size_t limit) {
  tail.append(data, n);
  if (tail.size() > 2 * limit) tail.erase(0, tail.size() - limit);
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

bool child_has_exited(pid_t pid) {
  siginfo_t info{};
  // WNOWAIT leaves the zombie in place: its pid (and so the group id) cannot be reused
  // while we still signal the group.
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD;
  }
  return info.si_pid == pid;
}

// Whether `pid` (our child) is stopped: a stop not yet collected by a wait stays reportable.
bool is_stopped(pid_t pid) {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WSTOPPED | WNOHANG | WNOWAIT) != 0) return false;
  return info.si_pid == pid && info.si_code == CLD_STOPPED;
}

// On Linux a process's ru_maxrss starts at the resident set of the image it replaced: the
// exec records the old address space's peak, and posix_spawn's child borrows ours until the
// exec. So wait4 can report our peak instead of the child's. Resetting our high-water mark just
// before the spawn and reading it just after bounds what the child can have inherited; a
// ru_maxrss above that bound is the child's own.
void reset_own_high_water() {
  std::ofstream("/proc/self/clear_refs") << "5";  // refused in some sandboxes: bound stays higher
}

std::optional<std::uint64_t> own_high_water_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      try {
        return std::stoull(line.substr(6));
      } catch (...) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

int to_timeout_ms(std::int64_t wait_ns) {
  return static_cast<int>(std::min<std::int64_t>(
      std::max<std::int64_t>(0, (wait_ns + 999'999) / 1'000'000), std::numeric_limits<int>::max()));
}

// Once the child has exited, give descendants that escaped the group this long to release the
// pipes before we stop reading (and, as a subreaper, to be killed and reaped).
constexpr std::int64_t kDrainAfterExitNanos = 2'000'000'000;
// How often adopted descendants are looked for and killed while some remain.
constexpr std::int64_t kSweepIntervalNanos = 2'000'000;

// posix_spawn's file actions and attributes for one child, released on every path.
class SpawnSetup {
 public:
  SpawnSetup(int out_w, int err_w, int result_w, int setup_w) {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_w, 1);
    posix_spawn_file_actions_adddup2(&actions, err_w, 2);
    posix_spawn_file_actions_adddup2(&actions, result_w, kResultFdInChild);
    if (setup_w >= 0) posix_spawn_file_actions_adddup2(&actions, setup_w, kSetupFdInChild);
    posix_spawnattr_init(&attr);
    sigset_t empty, defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr, &empty);  // not InterruptsHeld's mask, should one be active
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group: the kill on cap reaches descendants
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
};

// One child from start to reap: start(), then watch_until_exit(), reap(), drain_after_exit().
class ChildRun {
 public:
  static constexpr std::size_t kStreams = 4;  // result, stdout, stderr, setup

  ChildRun(const SpawnRequest& req, const ProcessGuard& guard) : req_(req), guard_(guard) {}

  SpawnResult run() {
    if (!start()) return std::move(out_);
    watch_until_exit();
    reap();
    drain_after_exit();
    for (std::string* t : {&out_.stdout_tail, &out_.stderr_tail}) {
      if (t->size() > req_.tail_bytes) t->erase(0, t->size() - req_.tail_bytes);
    }
    return std::move(out_);
  }

 private:
  bool start() {
    if (req_.argv.empty()) {
      out_.start_error = "empty command line";
      return false;
    }
    Fd result_w, out_w, err_w, setup_w;
    if (!make_pipe(result_r_, result_w) || !make_pipe(out_r_, out_w) || !make_pipe(err_r_, err_w) ||
        (req_.setup_term_after && !make_pipe(setup_r_, setup_w))) {
      out_.start_error = std::string("cannot create pipes: ") + std::strerror(errno);
      return false;
    }
    SpawnSetup setup(out_w.get(), err_w.get(), result_w.get(), setup_w.get());
    std::vector<char*> argv;
    for (const auto& a : req_.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    // posix_spawn has no affinity attribute, but a child inherits its parent's mask: narrow
    // ours around the spawn and restore it (the caller starts one child at a time).
    cpu_set_t saved;
    bool pinned = false;
    if (req_.cpu) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(*req_.cpu, &one);
      pinned = sched_getaffinity(0, sizeof saved, &saved) == 0 &&
               sched_setaffinity(0, sizeof one, &one) == 0;
    }
    // SpawnRequest::env over our own environment (built before the spawn: no allocation after).
    std::vector<char*> envp;
    if (!req_.env.empty()) {
      for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view var(*e);
        const std::string_view var_name = var.substr(0, var.find('='));
        const bool replaced = std::any_of(req_.env.begin(), req_.env.end(), [&](const auto& v) {
          return std::string_view(v).substr(0, v.find('=')) == var_name;
        });
        if (!replaced) envp.push_back(*e);
      }
      for (const auto& v : req_.env) envp.push_back(const_cast<char*>(v.c_str()));
      envp.push_back(nullptr);
    }
    reset_own_high_water();
    start_ = now_nanos();
    const int rc = posix_spawnp(&pid_, argv[0], &setup.actions, &setup.attr, argv.data(),
                                envp.empty() ? environ : envp.data());
    out_.inherited_rss_bound_kb = own_high_water_kb();
    if (pinned) sched_setaffinity(0, sizeof saved, &saved);
    if (rc != 0) {
      out_.start_error = "cannot start '" + req_.argv[0] + "': " + std::strerror(rc);
      return false;
    }
    out_.started = true;
    return true;
  }

  // Reads every stream poll found ready until it is empty, so a flood drains in few wake-ups.
  void read_ready(const pollfd* fds) {
    Fd* const streams[kStreams] = {&result_r_, &out_r_, &err_r_, &setup_r_};
    for (std::size_t i = 0; i < kStreams; ++i) {
      Fd& f = *streams[i];
      if (f.get() < 0 || fds[i].fd != f.get() || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      for (;;) {
        const ssize_t got = ::read(f.get(), buf_.data(), buf_.size());
        if (got > 0) {
          keep(i, static_cast<std::size_t>(got));
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got == 0) f.reset();  // EOF
        break;                    // EAGAIN: empty for now
      }
    }
  }

  // `len` bytes just read into buf_ from stream i (0 result, 1 stdout, 2 stderr, 3 setup).
  void keep(std::size_t i, std::size_t len) {
    if (i == 3) {
      if (!out_.setup_nanos) out_.setup_nanos = static_cast<std::uint64_t>(now_nanos() - start_);
    } else if (i == 0) {
      // Bounded whatever the child writes: past the limit the row is dropped and the rest only
      // counted.
      out_.result_bytes += len;
      if (!out_.result_overflow && out_.result.size() + len > req_.max_result_bytes) {
        out_.result_overflow = true;
        std::string().swap(out_.result);
      }
      if (!out_.result_overflow) out_.result.append(buf_.data(), len);
    } else if (i == 1) {
      out_.stdout_bytes += len;
      append_tail(out_.stdout_tail, buf_.data(), len, req_.tail_bytes);
    } else {
      out_.stderr_bytes += len;
      append_tail(out_.stderr_tail, buf_.data(), len, req_.tail_bytes);
    }
  }

  nfds_t stream_fds(std::array<pollfd, kStreams + 2>& fds) const {
    const Fd* const streams[kStreams] = {&result_r_, &out_r_, &err_r_, &setup_r_};
    for (std::size_t i = 0; i < kStreams; ++i) fds[i] = pollfd{streams[i]->get(), POLLIN, 0};
    return kStreams;
  }

  // Phase 1: until the child exits, applying the cap (and an interrupt, which is a cap of now
  // with the request's interrupt grace).
  void watch_until_exit() {
    Fd pidfd(open_pidfd(pid_));
    const std::int64_t grace_ns = req_.kill_after.count() - req_.term_after.count();
    // With a setup phase the setup cap applies until the child says setup ended.
    std::int64_t term_at =
        start_ + (req_.setup_term_after ? *req_.setup_term_after : req_.term_after).count();
    std::int64_t kill_at = term_at + grace_ns;
    bool in_setup = req_.setup_term_after.has_value();
    bool terminated = false, killed = false, interrupted = false;
    const int wake_fd = detail::interrupt_wake_fd();
    for (;;) {
      const std::int64_t now = now_nanos();
      if (!interrupted && guard_.interrupt_signal() != 0) {
        interrupted = true;
        const std::int64_t grace = std::max<std::int64_t>(
            0, std::min<std::int64_t>(kill_at - term_at, req_.interrupt_grace.count()));
        term_at = std::min(term_at, now);
        kill_at = std::min(kill_at, now + grace);
      }
      if (!terminated && now >= term_at) {
        out_.stopped_at_cap = !interrupted && is_stopped(pid_);
        ::kill(-pid_, SIGTERM);
        ::kill(-pid_, SIGCONT);  // a stopped process only acts on SIGTERM once continued
        terminated = true;
        out_.killed_at_cap = !interrupted;
        out_.killed_in_setup = out_.killed_at_cap && in_setup;
      }
      if (!killed && now >= kill_at) {
        ::kill(-pid_, SIGKILL);  // works on stopped processes too
        killed = true;
      }
      if ((pidfd.get() < 0 || terminated) && child_has_exited(pid_)) return;

      std::array<pollfd, kStreams + 2> fds{};
      nfds_t n = stream_fds(fds);
      const nfds_t pid_slot = n;
      if (pidfd.get() >= 0) fds[n++] = pollfd{pidfd.get(), POLLIN, 0};
      // The self-pipe is never drained: watch it only until the interrupt has been acted on.
      if (!interrupted && wake_fd >= 0) fds[n++] = pollfd{wake_fd, POLLIN, 0};

      std::int64_t wait_ns = !terminated ? term_at - now : !killed ? kill_at - now : 10'000'000;
      if (pidfd.get() < 0) wait_ns = std::min<std::int64_t>(wait_ns, 1'000'000);
      if (terminated) wait_ns = std::min<std::int64_t>(wait_ns, 10'000'000);

      const int ready = ::poll(fds.data(), n, to_timeout_ms(wait_ns));
      if (ready < 0) {
        if (errno == EINTR) continue;
        // Cannot watch the child any more: end it rather than wait for it blind.
        ::kill(-pid_, SIGKILL);
        return;
      }
      read_ready(fds.data());
      if (in_setup && out_.setup_nanos && !terminated && !interrupted) {
        // Setup ended: the batch cap counts from now.
        in_setup = false;
        term_at = start_ + static_cast<std::int64_t>(*out_.setup_nanos) + req_.term_after.count();
        kill_at = term_at + grace_ns;
      }
      if (pidfd.get() >= 0 && (fds[pid_slot].revents & POLLIN)) return;
    }
  }

  // Phase 2: the exit. Kill what is left of the group while the zombie leader still reserves
  // its id, then reap the child.
  void reap() {
    exited_at_ = now_nanos();
    out_.wall_nanos = static_cast<std::uint64_t>(exited_at_ - start_);
    ::kill(-pid_, SIGKILL);
    int status = 0;
    rusage usage{};
    while (wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
      out_.exited = true;
      out_.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      out_.term_signal = WTERMSIG(status);
    }
    // Linux reports ru_maxrss in KiB. At or below the inherited bound it may be ours: unknown.
    if (usage.ru_maxrss > 0 && out_.inherited_rss_bound_kb &&
        static_cast<std::uint64_t>(usage.ru_maxrss) > *out_.inherited_rss_bound_kb) {
      out_.child_maxrss_kb = static_cast<std::uint64_t>(usage.ru_maxrss);
    }
  }

  // Phase 3: read what is still in the pipes until every writer is gone. As a subreaper, kill
  // and reap the descendants that were re-parented here (those that left the group, and the
  // group's members the kill above has not finished yet), again and again: one that dies
  // re-parents its own children here. Usually there are none, and that costs one waitpid.
  // Without it, give escaped holders of the pipes kDrainAfterExitNanos, then stop reading.
  void drain_after_exit() {
    const std::int64_t drain_until = exited_at_ + kDrainAfterExitNanos;
    for (;;) {
      const bool children_left = guard_.subreaper() && detail::reap_adopted_and_kill_the_rest();
      const bool pipes_open =
          result_r_.get() >= 0 || out_r_.get() >= 0 || err_r_.get() >= 0 || setup_r_.get() >= 0;
      const std::int64_t now = now_nanos();
      if ((!pipes_open && !children_left) || now >= drain_until) return;
      std::array<pollfd, kStreams + 2> fds{};
      const nfds_t n = stream_fds(fds);
      const std::int64_t wait_ns = children_left ? kSweepIntervalNanos : drain_until - now;
      const int ready = ::poll(fds.data(), n, to_timeout_ms(wait_ns));
      if (ready < 0 && errno != EINTR) return;
      if (ready > 0) read_ready(fds.data());
    }
  }

  const SpawnRequest& req_;
  const ProcessGuard& guard_;
  SpawnResult out_;
  Fd result_r_, out_r_, err_r_, setup_r_;
  pid_t pid_ = -1;
  std::int64_t start_ = 0;
  std::int64_t exited_at_ = 0;
  std::array<char, 65536> buf_{};
};

}  // namespace

SpawnResult PosixExecutor::run(const SpawnRequest& req) {
  guard_.throw_if_interrupted();  // nothing new starts once the run is being abandoned
  SpawnResult out = ChildRun(req, guard_).run();
  guard_.throw_if_interrupted();  // the child is abandoned: its result would not be used anyway
  return out;
}

}  // namespace benchgate
