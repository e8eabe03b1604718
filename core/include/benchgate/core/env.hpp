// Capture of the reproducibility metadata (env) carried by every row. Best effort: a probe
// that fails leaves its field null; nothing here spawns a process.
#pragma once

#include <chrono>
#include <string>

#include "benchgate/core/row.hpp"

namespace benchgate {

// Machine, clock and checkout facts, read from the OS and from the .git directory found by
// walking up from the working directory. git_dirty needs `git status` and so stays null here;
// the runner fills it. compiler/compiler_version/build_type describe a binary, not a machine:
// the benchmark child fills them from its own build.
Env capture_env(const std::string& exe_name);

// "YYYY-MM-DDTHH:MM:SSZ" (UTC, seconds precision).
std::string format_iso_utc(std::chrono::system_clock::time_point t);

// The last path component, split on '/' and '\\'.
std::string base_name(const std::string& path);

// The commit HEAD names in a .git directory (detached, loose ref or packed ref); empty if unknown.
std::string read_git_head(const std::string& git_dir);

inline constexpr const char* kBenchgateVersion = "0.1.0";

}  // namespace benchgate
