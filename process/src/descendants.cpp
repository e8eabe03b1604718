// Descendants re-parented to a subreaper: finding our children, killing and reaping them.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "guard_state.hpp"

namespace benchgate::detail {
namespace {

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

}  // namespace

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

}  // namespace benchgate::detail
