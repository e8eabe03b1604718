// posix_spawn, poll, pidfd, kill and wait4: one child batch from start to reap.
#include "spawn.hpp"

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

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

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
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    reset(o.fd_);
    o.fd_ = -1;
    return *this;
  }
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
// actions dup onto (0-3): dup2(fd, fd) would leave close-on-exec set.
bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  for (int& fd : fds) {
    if (fd <= kResultFdInChild) {
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

}  // namespace

std::vector<int> allowed_cpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return cpus;
}

std::string signal_name(int sig) {
  switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    case SIGSYS: return "SIGSYS";
    default: return "signal " + std::to_string(sig);
  }
}

SpawnResult PosixExecutor::run(const SpawnRequest& req) {
  SpawnResult out;
  if (req.argv.empty()) {
    out.start_error = "empty command line";
    return out;
  }
  Fd result_r, result_w, out_r, out_w, err_r, err_w;
  if (!make_pipe(result_r, result_w) || !make_pipe(out_r, out_w) || !make_pipe(err_r, err_w)) {
    out.start_error = std::string("cannot create pipes: ") + std::strerror(errno);
    return out;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
  posix_spawn_file_actions_adddup2(&actions, result_w.get(), kResultFdInChild);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: the kill on cap reaches descendants
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (const auto& a : req.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  // posix_spawn has no affinity attribute, but a child inherits its parent's mask: narrow ours
  // around the spawn and restore it (the runner is single-threaded).
  cpu_set_t saved;
  bool pinned = false;
  if (req.cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(*req.cpu, &one);
    pinned = sched_getaffinity(0, sizeof saved, &saved) == 0 &&
             sched_setaffinity(0, sizeof one, &one) == 0;
  }
  reset_own_high_water();
  const std::int64_t start = now_nanos();
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
  out.inherited_rss_bound_kb = own_high_water_kb();
  if (pinned) sched_setaffinity(0, sizeof saved, &saved);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  result_w.reset();
  out_w.reset();
  err_w.reset();
  if (rc != 0) {
    out.start_error = "cannot start '" + req.argv[0] + "': " + std::strerror(rc);
    return out;
  }
  out.started = true;

  Fd pidfd(open_pidfd(pid));
  const std::int64_t term_at = start + req.term_after.count();
  const std::int64_t kill_at = start + req.kill_after.count();
  bool terminated = false, killed = false, exited = false;
  std::int64_t exited_at = 0;
  // Once the child is gone, give descendants that escaped the group (setsid) this long to
  // release the pipes before we stop reading.
  constexpr std::int64_t kDrainAfterExitNanos = 2'000'000'000;

  std::array<char, 65536> buf;
  for (;;) {
    const std::int64_t now = now_nanos();
    if (!exited) {
      if (!terminated && now >= term_at) {
        ::kill(-pid, SIGTERM);
        ::kill(-pid, SIGCONT);  // a stopped process only acts on SIGTERM once continued
        terminated = true;
        out.killed_at_cap = true;
      }
      if (!killed && now >= kill_at) {
        ::kill(-pid, SIGKILL);
        killed = true;
        out.killed_at_cap = true;
      }
      if ((pidfd.get() < 0 || terminated) && child_has_exited(pid)) {
        exited = true;
      }
    }
    if (exited && exited_at == 0) {
      exited_at = now_nanos();
      out.wall_nanos = static_cast<std::uint64_t>(exited_at - start);
      ::kill(-pid, SIGKILL);  // leftovers of the group; the zombie leader keeps the id reserved
    }
    const bool pipes_open = result_r.get() >= 0 || out_r.get() >= 0 || err_r.get() >= 0;
    if (exited && (!pipes_open || now - exited_at > kDrainAfterExitNanos)) break;

    std::array<pollfd, 4> fds{};
    nfds_t n = 0;
    for (Fd* f : {&result_r, &out_r, &err_r}) fds[n++] = pollfd{f->get(), POLLIN, 0};
    const bool watch_pid = !exited && pidfd.get() >= 0;
    if (watch_pid) fds[n++] = pollfd{pidfd.get(), POLLIN, 0};

    std::int64_t wait_ns;
    if (exited)
      wait_ns = exited_at + kDrainAfterExitNanos - now;
    else if (!terminated)
      wait_ns = term_at - now;
    else if (!killed)
      wait_ns = kill_at - now;
    else
      wait_ns = 10'000'000;
    if (pidfd.get() < 0 && !exited) wait_ns = std::min<std::int64_t>(wait_ns, 1'000'000);
    if (terminated && !exited) wait_ns = std::min<std::int64_t>(wait_ns, 10'000'000);
    const int timeout_ms =
        static_cast<int>(std::max<std::int64_t>(0, (wait_ns + 999'999) / 1'000'000));

    const int ready = ::poll(fds.data(), n, timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < 3; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Fd& f = i == 0 ? result_r : (i == 1 ? out_r : err_r);
      // Read until the pipe is empty so a flood drains in few wake-ups.
      for (;;) {
        const ssize_t got = ::read(f.get(), buf.data(), buf.size());
        if (got > 0) {
          const auto len = static_cast<std::size_t>(got);
          if (i == 0) {
            if (out.result.size() + len > req.max_result_bytes)
              out.result_overflow = true;
            else
              out.result.append(buf.data(), len);
          } else if (i == 1) {
            out.stdout_bytes += len;
            append_tail(out.stdout_tail, buf.data(), len, req.tail_bytes);
          } else {
            out.stderr_bytes += len;
            append_tail(out.stderr_tail, buf.data(), len, req.tail_bytes);
          }
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got == 0) f.reset();  // EOF
        break;                    // EAGAIN: empty for now
      }
    }
    if (watch_pid && (fds[n - 1].revents & POLLIN)) exited = true;
  }

  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (out.wall_nanos == 0) out.wall_nanos = static_cast<std::uint64_t>(now_nanos() - start);
  if (WIFEXITED(status)) {
    out.exited = true;
    out.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.term_signal = WTERMSIG(status);
  }
  // Linux reports ru_maxrss in KiB. At or below the inherited bound it may be ours: unknown.
  if (usage.ru_maxrss > 0 && out.inherited_rss_bound_kb &&
      static_cast<std::uint64_t>(usage.ru_maxrss) > *out.inherited_rss_bound_kb) {
    out.child_maxrss_kb = static_cast<std::uint64_t>(usage.ru_maxrss);
  }
  for (std::string* t : {&out.stdout_tail, &out.stderr_tail}) {
    if (t->size() > req.tail_bytes) t->erase(0, t->size() - req.tail_bytes);
  }
  return out;
}

}  // namespace benchgate
