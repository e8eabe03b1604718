// ProcessGuard (interrupt handlers and the child subreaper), InterruptsHeld, and the small OS
// queries: allowed CPUs, signal names, PATH lookup.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "benchgate/process/posix.hpp"
#include "guard_state.hpp"

namespace benchgate {
namespace {

// Set by the SIGINT/SIGTERM handler; the self-pipe wakes a poll that is already waiting.
volatile std::sig_atomic_t g_interrupt_signal = 0;
int g_wake_read = -1;
int g_wake_write = -1;
bool g_guard_alive = false;

void on_interrupt(int sig) {
  const int saved_errno = errno;
  if (g_interrupt_signal == 0) g_interrupt_signal = sig;
  if (g_wake_write >= 0) {
    const ssize_t ignored = ::write(g_wake_write, "!", 1);  // full pipe: already woken
    (void)ignored;
  }
  errno = saved_errno;
}

bool become_child_subreaper() {
#ifdef PR_SET_CHILD_SUBREAPER
  return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
#else
  return false;
#endif
}

}  // namespace

namespace detail {
int interrupt_signal() {
  return g_interrupt_signal;
}
int interrupt_wake_fd() {
  return g_wake_read;
}
}  // namespace detail

ProcessGuard::ProcessGuard() {
  if (g_guard_alive) {
    throw std::logic_error("a ProcessGuard already exists in this process: construct one in main");
  }
  g_guard_alive = true;
  g_interrupt_signal = 0;
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
  for (auto [sig, old] : {std::pair{SIGINT, &old_int_}, std::pair{SIGTERM, &old_term_}}) {
    if (sigaction(sig, nullptr, old) != 0) continue;
    if (old->sa_handler == SIG_IGN) continue;  // ignored by whoever started us: stays ignored
    sigaction(sig, &action, nullptr);
  }
  subreaper_ = become_child_subreaper();
}

ProcessGuard::~ProcessGuard() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
#ifdef PR_SET_CHILD_SUBREAPER
  if (subreaper_) prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
#endif
  g_guard_alive = false;
}

int ProcessGuard::interrupt_signal() const {
  return g_interrupt_signal;
}

void ProcessGuard::throw_if_interrupted() const {
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

std::optional<std::string> find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace benchgate
