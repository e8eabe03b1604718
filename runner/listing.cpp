// Listing a benchmark executable and capturing the run's environment.
#include "listing.hpp"

#include <filesystem>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/env.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/process/posix.hpp"

namespace benchgate {

std::string exe_path(std::string exe) {
  if (exe.find('/') == std::string::npos && std::filesystem::exists(exe)) exe = "./" + exe;
  return exe;
}

bool executable_exists(const std::string& exe) {
  return exe.find('/') == std::string::npos ? find_on_path(exe).has_value()
                                            : std::filesystem::exists(exe);
}

ListDocument load_list(Executor& ex, const std::string& exe) {
  SpawnRequest req;
  req.argv = {exe, kListFlag};
  req.term_after = std::chrono::seconds(60);
  req.kill_after = std::chrono::seconds(61);
  req.tail_bytes = 64u << 20;  // the whole document, not a tail
  const SpawnResult r = ex.run(req);
  if (!r.started) throw UsageError(r.start_error + ". Pass the path of a benchmark executable");
  if (!r.exited || r.exit_code != 0) {
    std::string why = r.exited ? "exited with code " + std::to_string(r.exit_code)
                               : "was killed by " + signal_name(r.term_signal);
    // Google Benchmark's main() refuses the flag with these words: say what to do instead.
    const bool gbench = r.stderr_tail.find("unrecognized command-line flag") != std::string::npos;
    throw UsageError(
        "'" + exe + " --benchgate-list' " + why +
        (r.stderr_tail.empty() ? "" : ":\n" + r.stderr_tail) +
        (gbench ? "\nIt looks like a Google Benchmark executable: measure it with `run --adapter "
                  "google-benchmark`, or register it with benchgate_add_google_benchmark() "
                  "(docs/google-benchmark.md)."
                : "\nIs it a benchmark executable built with benchgate_add_benchmark()?"));
  }
  auto parsed = parse_list_doc(r.stdout_tail);
  if (auto* e = std::get_if<JsonError>(&parsed)) {
    throw UsageError("'" + exe + " --benchgate-list' printed an invalid list (column " +
                     std::to_string(e->column) + ": " + e->message +
                     "). Rebuild it against this benchgate");
  }
  return std::get<ListDocument>(std::move(parsed));
}

Env run_env(Executor& ex, const std::string& exe, const ListDocument& doc) {
  Env env = capture_env(exe);
  env.compiler = doc.compiler;
  env.compiler_version = doc.compiler_version;
  env.build_type = doc.build_type;
  if (env.git_commit) {
    SpawnRequest req;
    req.argv = {"git", "status", "--porcelain", "--untracked-files=no"};
    req.term_after = std::chrono::seconds(10);
    req.kill_after = std::chrono::seconds(11);
    const SpawnResult r = ex.run(req);
    if (r.started && r.exited && r.exit_code == 0) env.git_dirty = r.stdout_bytes > 0;
  }
  return env;
}

}  // namespace benchgate
