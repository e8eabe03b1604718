// Smoke checks through real children: the same argv, cap and classification as a measured run.
#include "verify.hpp"

#include <cmath>
#include <sstream>

#include "benchgate/core/row_json.hpp"
#include "classify.hpp"
#include "run.hpp"

namespace benchgate {
namespace {

constexpr std::uint64_t kVerifyTargetNanos = 1'000'000;  // autotune stops after ~0.5 ms

std::string seconds_text(double s) {
  std::ostringstream out;
  out << s;
  return out.str();
}

std::string where(const BenchmarkInfo& info, std::uint64_t param) {
  return info.kind == RowKind::parametric ? " at param=" + std::to_string(param) : "";
}

// One child; the failure text for it, or empty.
std::string check_one(Executor& executor, const std::string& exe, BenchmarkInfo info,
                      std::uint64_t which, const std::string& env_json, bool setup_phase) {
  RowRequest req;
  req.kind = info.kind;
  req.function = info.name;
  if (info.kind == RowKind::parametric) {
    info.config.target_inner_nanos = kVerifyTargetNanos;
    req.param = which;
    req.cache_mode = info.config.cache_mode;
  } else {
    info.fixed_config.min_total_seconds = 0;  // one call
    req.repeat_index = which;
  }
  SpawnRequest spawn;
  ChildRequest child = child_request(info, which, env_json);
  set_child_caps(info, setup_phase, 1.0, child, spawn, req);
  spawn.argv = to_argv(exe, child);
  const SpawnResult outcome = executor.run(spawn);
  const Row row = classify(req, outcome);
  const std::string at = where(info, which);
  switch (row.status) {
    case RowStatus::ok: break;
    case RowStatus::timed_out: return "timed out" + at;
    case RowStatus::killed_at_cap:
      if (outcome.killed_in_setup) {
        return "killed in setup at the max_setup_seconds cap (" +
               seconds_text(*req.setup_cap_seconds) + " s)" + at;
      }
      return "killed at the max_seconds_per_call cap (" + seconds_text(req.cap_seconds) + " s)" +
             at;
    case RowStatus::error: return "child error" + at + ": " + row.error.value_or("no message");
  }
  if (info.hashable && !row.result_hash) {
    return "hashable benchmark but the child returned no result_hash" + at;
  }
  if (info.kind == RowKind::fixed && info.fixed_config.expected_hash && row.result_hash &&
      *row.result_hash != *info.fixed_config.expected_hash) {
    return "expected_hash mismatch: declared " + format_hash(*info.fixed_config.expected_hash) +
           ", got " + format_hash(*row.result_hash);
  }
  return "";
}

}  // namespace

std::vector<VerifyResult> verify_benchmarks(Executor& executor, const std::string& exe,
                                            const std::vector<BenchmarkInfo>& benchmarks,
                                            const std::string& env_json, bool setup_phase) {
  std::vector<VerifyResult> results;
  for (const auto& info : benchmarks) {
    VerifyResult r;
    r.name = info.name;
    r.kind = info.kind;
    const std::vector<std::uint64_t> which = info.kind == RowKind::parametric
                                                 ? std::vector<std::uint64_t>{0, 1}
                                                 : std::vector<std::uint64_t>{0};
    for (std::uint64_t w : which) {
      std::string failure = check_one(executor, exe, info, w, env_json, setup_phase);
      if (!failure.empty()) r.failures.push_back(std::move(failure));
    }
    results.push_back(std::move(r));
  }
  return results;
}

bool render_verify(const std::vector<VerifyResult>& results, std::ostream& out) {
  out << "verifying " << results.size() << " benchmark(s)...\n";
  std::size_t failed = 0;
  for (const auto& r : results) {
    out << (r.failures.empty() ? "  [ok ] " : "  [FAIL] ") << r.name
        << (r.kind == RowKind::fixed ? "  [fixed]" : "") << "\n";
    for (const auto& f : r.failures) out << "         —  " << f << "\n";
    if (!r.failures.empty()) ++failed;
  }
  if (results.empty()) {
    out << "(no benchmarks registered)\n";
  } else if (failed == 0) {
    out << "all " << results.size() << " benchmark(s) passed\n";
  } else {
    out << failed << " of " << results.size() << " benchmark(s) failed verification\n";
  }
  return failed == 0;
}

}  // namespace benchgate
