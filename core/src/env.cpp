// Environment capture from /proc, uname, gethostname and the .git directory.
#include "benchgate/core/env.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace benchgate {
namespace {

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

std::string read_first_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return trim(line);
}

std::optional<std::string> non_empty(std::string s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

std::string base_name(const std::string& path) {
  auto pos = path.find_last_of("/\\");
  return pos == std::string::npos ? path : path.substr(pos + 1);
}

std::string format_iso_utc(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::string read_git_head(const std::string& git_dir) {
  namespace fs = std::filesystem;
  const std::string head = read_first_line(fs::path(git_dir) / "HEAD");
  if (head.rfind("ref: ", 0) != 0) return head;  // detached: the sha itself (or empty)
  const std::string ref = trim(head.substr(5));
  // A linked worktree keeps HEAD in its own git dir and refs in the common one.
  std::vector<fs::path> dirs{fs::path(git_dir)};
  const std::string common = read_first_line(fs::path(git_dir) / "commondir");
  if (!common.empty()) {
    fs::path c = common;
    dirs.push_back(c.is_relative() ? fs::path(git_dir) / c : c);
  }
  for (const auto& dir : dirs) {
    std::string sha = read_first_line(dir / ref);
    if (!sha.empty()) return sha;
    std::ifstream packed(dir / "packed-refs");
    std::string line;
    while (std::getline(packed, line)) {
      auto space = line.find(' ');
      if (space != std::string::npos && trim(line.substr(space + 1)) == ref) {
        return line.substr(0, space);
      }
    }
  }
  return {};
}

Env capture_env(const std::string& exe_name) {
  namespace fs = std::filesystem;
  Env env;
  env.benchgate_version = kBenchgateVersion;
  env.exe_name = base_name(exe_name);

#if defined(__linux__)
  env.os = "linux";
#elif defined(__APPLE__)
  env.os = "macos";
#elif defined(_WIN32)
  env.os = "windows";
#endif

  struct utsname uts {};
  if (uname(&uts) == 0) env.arch = non_empty(uts.machine);

  {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    std::int64_t processors = 0;
    while (std::getline(cpuinfo, line)) {
      if (line.rfind("processor", 0) == 0) ++processors;
      if (!env.cpu_model && line.rfind("model name", 0) == 0) {
        auto colon = line.find(':');
        if (colon != std::string::npos) env.cpu_model = non_empty(trim(line.substr(colon + 1)));
      }
    }
    if (processors > 0) env.cpu_cores = processors;
  }

  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) env.hostname = non_empty(host);

  std::error_code cwd_error;
  const fs::path cwd = fs::current_path(cwd_error);
  for (fs::path dir = cwd; !cwd_error && !dir.empty(); dir = dir.parent_path()) {
    const fs::path dotgit = dir / ".git";
    std::error_code ec;  // "no such file" is the normal case while walking up
    if (fs::is_directory(dotgit, ec)) {
      env.git_commit = non_empty(read_git_head(dotgit.string()));
      break;
    }
    if (fs::is_regular_file(dotgit, ec)) {  // worktree or submodule: "gitdir: <path>"
      std::string line = read_first_line(dotgit);
      if (line.rfind("gitdir:", 0) == 0) {
        fs::path gitdir = trim(line.substr(7));
        if (gitdir.is_relative()) gitdir = dir / gitdir;
        env.git_commit = non_empty(read_git_head(gitdir.string()));
      }
      break;
    }
    if (dir == dir.root_path()) break;
  }

  const auto now = std::chrono::system_clock::now();
  env.timestamp_unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  env.timestamp_iso = format_iso_utc(now);
  return env;
}

}  // namespace benchgate
