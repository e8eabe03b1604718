// posix_spawn, poll, pidfd, kill and wait4: one child batch from start to reap, and the
// process-wide parts that serve it (interrupt handlers, child subreaper).
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

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

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

// Set by the SIGINT/SIGTERM handler; the self-pipe wakes a poll that is already waiting.
volatile std::sig_atomic_t g_interrupt_signal = 0;
int g_wake_read = -1;
int g_wake_write = -1;
bool g_subreaper = false;

// Once the child has exited, give descendants that escaped the group this long to release the
// pipes before we stop reading (and, as a subreaper, to be killed and reaped).
constexpr std::int64_t kDrainAfterExitNanos = 2'000'000'000;
// How often adopted descendants are looked for and killed while some remain.
constexpr std::int64_t kSweepIntervalNanos = 2'000'000;

void on_interrupt(int sig) {
  const int saved_errno = errno;
  if (g_interrupt_signal == 0) g_interrupt_signal = sig;
  if (g_wake_write >= 0) {
    const ssize_t ignored = ::write(g_wake_write, "!", 1);  // full pipe: already woken
    (void)ignored;
  }
  errno = saved_errno;
}

// Whether `pid` (our child) is stopped: a stop not yet collected by a wait stays reportable.
bool is_stopped(pid_t pid) {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WSTOPPED | WNOHANG | WNOWAIT) != 0) return false;
  return info.si_pid == pid && info.si_code == CLD_STOPPED;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// Our children, living or zombie. /proc/self/task/*/children when the kernel has it
// (CONFIG_PROC_CHILDREN), else the parent field of every /proc/<pid>/stat.
std::vector<pid_t> own_children() {
  namespace fs = std::filesystem;
  std::vector<pid_t> out;
  std::error_code ec;
  bool listed = false;
  for (fs::directory_iterator it("/proc/self/task", ec), end; !ec && it != end; it.increment(ec)) {
    std::ifstream in(it->path() / "children");
    if (!in) continue;
    listed = true;
    long child = 0;
    while (in >> child) out.push_back(static_cast<pid_t>(child));
  }
  if (listed) return out;
  const pid_t self = ::getpid();
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!all_digits(name)) continue;
    std::ifstream stat(it->path() / "stat");
    std::string line;
    std::getline(stat, line);
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses; the last ')' ends it.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    std::string state;
    long ppid = 0;
    if (rest >> state >> ppid && ppid == self) out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

// SIGKILL to every child of ours; to the whole group of one that leads a group (a setsid
// escapee and the descendants it took along). An unreaped child reserves its pid and so its
// group id: the signal cannot reach a stranger.
void kill_adopted() {
  for (pid_t c : own_children()) {
    if (c <= 1) continue;
    if (::getpgid(c) == c)
      ::kill(-c, SIGKILL);
    else
      ::kill(c, SIGKILL);
  }
}

// Reaps adopted descendants that have died and kills the living; true while any remain.
bool reap_adopted_and_kill_the_rest() {
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(-1, &status, WNOHANG);
    if (r > 0 || (r < 0 && errno == EINTR)) continue;
    if (r < 0) return false;  // ECHILD: none left
    break;                    // 0: some are alive
  }
  kill_adopted();
  return true;
}

}  // namespace

void install_interrupt_handlers() {
  if (g_wake_read < 0) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
      g_wake_read = fds[0];
      g_wake_write = fds[1];
    }
  }
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    // A signal ignored by whoever started us (nohup, a background job) stays ignored.
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &action, nullptr);
  }
}

int interrupt_signal() {
  return g_interrupt_signal;
}

void throw_if_interrupted() {
  if (const int sig = g_interrupt_signal) throw Interrupted{sig};
}

InterruptsHeld::InterruptsHeld() : saved_() {
  sigset_t held;
  sigemptyset(&held);
  sigaddset(&held, SIGINT);
  sigaddset(&held, SIGTERM);
  sigprocmask(SIG_BLOCK, &held, &saved_);
}

InterruptsHeld::~InterruptsHeld() {
  sigprocmask(SIG_SETMASK, &saved_, nullptr);
}

bool become_child_subreaper() {
#ifdef PR_SET_CHILD_SUBREAPER
  if (!g_subreaper) g_subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
#endif
  return g_subreaper;
}

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
  throw_if_interrupted();  // nothing new starts once the run is being abandoned
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
  posix_spawnattr_setsigmask(&attr, &empty);  // not InterruptsHeld's mask, should one be active
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

  std::array<char, 65536> buf;
  Fd* const streams[3] = {&result_r, &out_r, &err_r};
  // Reads every stream poll found ready until it is empty, so a flood drains in few wake-ups.
  auto read_ready = [&](const pollfd* fds) {
    for (std::size_t i = 0; i < 3; ++i) {
      Fd& f = *streams[i];
      if (f.get() < 0 || fds[i].fd != f.get() || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      for (;;) {
        const ssize_t got = ::read(f.get(), buf.data(), buf.size());
        if (got > 0) {
          const auto len = static_cast<std::size_t>(got);
          if (i == 0) {
            // Bounded whatever the child writes: past the limit the row is dropped and the rest
            // only counted.
            out.result_bytes += len;
            if (!out.result_overflow && out.result.size() + len > req.max_result_bytes) {
              out.result_overflow = true;
              std::string().swap(out.result);
            }
            if (!out.result_overflow) out.result.append(buf.data(), len);
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
  };
  auto stream_fds = [&](std::array<pollfd, 5>& fds) {
    for (std::size_t i = 0; i < 3; ++i) fds[i] = pollfd{streams[i]->get(), POLLIN, 0};
  };
  auto to_timeout_ms = [](std::int64_t wait_ns) {
    return static_cast<int>(
        std::min<std::int64_t>(std::max<std::int64_t>(0, (wait_ns + 999'999) / 1'000'000),
                               std::numeric_limits<int>::max()));
  };

  // Phase 1: until the child exits, applying the cap (and an interrupt, which is a cap of now).
  Fd pidfd(open_pidfd(pid));
  std::int64_t term_at = start + req.term_after.count();
  std::int64_t kill_at = start + req.kill_after.count();
  bool terminated = false, killed = false, interrupted = false;
  for (;;) {
    const std::int64_t now = now_nanos();
    if (!interrupted && g_interrupt_signal != 0) {
      interrupted = true;
      const std::int64_t grace = std::max<std::int64_t>(
          0, std::min<std::int64_t>(kill_at - term_at,
                                    std::chrono::nanoseconds(kInterruptGrace).count()));
      term_at = std::min(term_at, now);
      kill_at = std::min(kill_at, now + grace);
    }
    if (!terminated && now >= term_at) {
      out.stopped_at_cap = !interrupted && is_stopped(pid);
      ::kill(-pid, SIGTERM);
      ::kill(-pid, SIGCONT);  // a stopped process only acts on SIGTERM once continued
      terminated = true;
      out.killed_at_cap = !interrupted;
    }
    if (!killed && now >= kill_at) {
      ::kill(-pid, SIGKILL);  // works on stopped processes too
      killed = true;
    }
    if ((pidfd.get() < 0 || terminated) && child_has_exited(pid)) break;

    std::array<pollfd, 5> fds{};
    stream_fds(fds);
    nfds_t n = 3;
    const nfds_t pid_slot = n;
    if (pidfd.get() >= 0) fds[n++] = pollfd{pidfd.get(), POLLIN, 0};
    // The self-pipe is never drained: watch it only until the interrupt has been acted on.
    if (!interrupted && g_wake_read >= 0) fds[n++] = pollfd{g_wake_read, POLLIN, 0};

    std::int64_t wait_ns = !terminated ? term_at - now : !killed ? kill_at - now : 10'000'000;
    if (pidfd.get() < 0) wait_ns = std::min<std::int64_t>(wait_ns, 1'000'000);
    if (terminated) wait_ns = std::min<std::int64_t>(wait_ns, 10'000'000);

    const int ready = ::poll(fds.data(), n, to_timeout_ms(wait_ns));
    if (ready < 0) {
      if (errno == EINTR) continue;
      // Cannot watch the child any more: end it rather than wait for it blind.
      ::kill(-pid, SIGKILL);
      break;
    }
    read_ready(fds.data());
    if (pidfd.get() >= 0 && (fds[pid_slot].revents & POLLIN)) break;
  }

  // Phase 2: the exit. Kill what is left of the group while the zombie leader still reserves
  // its id, then reap the child.
  const std::int64_t exited_at = now_nanos();
  out.wall_nanos = static_cast<std::uint64_t>(exited_at - start);
  ::kill(-pid, SIGKILL);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
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

  // Phase 3: read what is still in the pipes until every writer is gone. As a subreaper, kill
  // and reap the descendants that were re-parented here (those that left the group, and the
  // group's members the kill above has not finished yet), again and again: one that dies
  // re-parents its own children here. Usually there are none, and that costs one waitpid.
  // Without it, give escaped holders of the pipes kDrainAfterExitNanos, then stop reading.
  const std::int64_t drain_until = exited_at + kDrainAfterExitNanos;
  for (;;) {
    const bool children_left = g_subreaper && reap_adopted_and_kill_the_rest();
    const bool pipes_open = result_r.get() >= 0 || out_r.get() >= 0 || err_r.get() >= 0;
    const std::int64_t now = now_nanos();
    if ((!pipes_open && !children_left) || now >= drain_until) break;
    std::array<pollfd, 5> fds{};
    stream_fds(fds);
    const std::int64_t wait_ns = children_left ? kSweepIntervalNanos : drain_until - now;
    const int ready = ::poll(fds.data(), 3, to_timeout_ms(wait_ns));
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) read_ready(fds.data());
  }

  for (std::string* t : {&out.stdout_tail, &out.stderr_tail}) {
    if (t->size() > req.tail_bytes) t->erase(0, t->size() - req.tail_bytes);
  }
  throw_if_interrupted();  // the batch is abandoned: its row would not be written anyway
  return out;
}

}  // namespace benchgate
