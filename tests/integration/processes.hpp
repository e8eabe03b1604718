// What the interrupt and fault tests read of processes after the fact: pid files the fixtures
// write, whether a pid or a process group is gone, and which processes name a path.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace benchgate::testing {

inline bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return true;
  // Re-parented to an init that has not reaped it yet: a zombie is dead too.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

inline std::vector<pid_t> read_pids(const std::filesystem::path& file) {
  std::vector<pid_t> pids;
  std::ifstream in(file);
  pid_t p = 0;
  while (in >> p) pids.push_back(p);
  return pids;
}

// Waits up to 2 s for every pid to be gone (reaping by whoever adopted them is asynchronous);
// SIGKILLs and reports the survivors.
inline std::vector<pid_t> survivors(const std::vector<pid_t>& pids) {
  std::vector<pid_t> alive = pids;
  for (int i = 0; i < 100 && !alive.empty(); ++i) {
    std::vector<pid_t> still;
    for (pid_t p : alive) {
      if (!process_gone(p)) still.push_back(p);
    }
    alive = still;
    if (!alive.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (pid_t p : alive) ::kill(p, SIGKILL);
  return alive;
}

// Whether any process that is not a zombie is still in process group `pgid`.
inline bool group_has_live_member(pid_t pgid) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    std::ifstream stat(it->path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    std::string state;
    long ppid = 0, pgrp = 0;
    if (rest >> state >> ppid >> pgrp && pgrp == pgid && state != "Z") return true;
  }
  return false;
}

// Live (not zombie) processes whose command line contains `text`, e.g. a scratch directory that
// appears only in the argv of the processes a test started.
inline std::vector<pid_t> processes_naming(const std::string& text) {
  namespace fs = std::filesystem;
  std::vector<pid_t> out;
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(it->path() / "cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (cmdline.find(text) != std::string::npos && !process_gone(pid)) out.push_back(pid);
  }
  return out;
}

}  // namespace benchgate::testing
