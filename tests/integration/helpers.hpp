// What the integration tests share: a fresh scratch directory and running the real tools.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "benchgate/process/posix.hpp"

// Whether these tests (and so the fixtures) run under AddressSanitizer: no RSS magnitudes then,
// and no Valgrind (the two cannot share a process).
#if defined(__SANITIZE_ADDRESS__)
#define BENCHGATE_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCHGATE_UNDER_ASAN 1
#endif
#endif
#ifndef BENCHGATE_UNDER_ASAN
#define BENCHGATE_UNDER_ASAN 0
#endif

namespace benchgate::testing {

// An empty directory of its own under the build tree's scratch directory.
inline std::filesystem::path scratch_dir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(BENCHGATE_TEST_SCRATCH) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The process guard of the test executable (a tool's main holds one the same way).
inline const ProcessGuard& process_guard() {
  static const ProcessGuard guard;
  return guard;
}

// Runs argv to completion (killed after `limit`), capturing the tails of stdout and stderr.
inline SpawnResult run_tool(std::vector<std::string> argv,
                            std::chrono::seconds limit = std::chrono::seconds(120)) {
  SpawnRequest req;
  req.argv = std::move(argv);
  req.term_after = limit;
  req.kill_after = limit + std::chrono::seconds(5);
  req.tail_bytes = 64 * 1024;
  return PosixExecutor(process_guard()).run(req);
}

// The fixture `exe` copied into `dir` as `name`: two builds copied under one name write rows of
// the same suite, so that compare pairs their keys.
inline std::string copy_as(const std::filesystem::path& dir, const char* exe,
                           const std::string& name) {
  std::filesystem::create_directories(dir);
  const std::filesystem::path to = dir / name;
  std::filesystem::copy_file(exe, to, std::filesystem::copy_options::overwrite_existing);
  return to.string();
}

inline bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

}  // namespace benchgate::testing
