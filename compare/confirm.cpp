// Planning and running confirmation reruns.
#include "confirm.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/jsonl.hpp"

namespace benchgate {

namespace fs = std::filesystem;

RunRequest rerun_template(const std::string& exe, const std::vector<std::string>& runner_args) {
  // EXE first, so that a stray value among the runner arguments is the one named "unexpected"
  // (after "--" when EXE itself would read as a flag).
  std::vector<std::string> args{"benchgate-runner run"};
  if (!exe.empty() && exe.front() == '-') {
    args.insert(args.end(), runner_args.begin(), runner_args.end());
    args.insert(args.end(), {"--", exe});
  } else {
    args.push_back(exe);
    args.insert(args.end(), runner_args.begin(), runner_args.end());
  }
  try {
    if (auto r = parse_run_request(args)) return *r;
  } catch (const UsageError& e) {
    throw UsageError(std::string("--runner-arg: the runner would refuse these arguments: ") +
                     e.what());
  }
  throw UsageError("--runner-arg: --help is not an argument for a rerun");
}

std::vector<RerunPlan> plan_reruns(const std::vector<Key>& keys, const RunRequest& base,
                                   const std::optional<std::string>& baseline_exe,
                                   const std::string& scratch) {
  std::map<std::pair<std::string, std::optional<CacheMode>>, std::set<std::uint64_t>> groups;
  for (const auto& k : keys) {
    auto& params = groups[{k.function, k.cache_mode}];
    if (k.param) params.insert(*k.param);
  }
  std::vector<RerunPlan> plans;
  std::size_t i = 0;
  for (const auto& [what, params] : groups) {
    RerunPlan plan;
    RunRequest& r = plan.request;
    r = base;
    r.benches = {what.first};
    r.out = scratch + "." + std::to_string(i) + ".jsonl";
    r.quiet = true;
    if (baseline_exe) {
      r.baseline_exe = *baseline_exe;
      r.baseline_out = scratch + "." + std::to_string(i) + ".base.jsonl";
    }
    if (!params.empty()) {
      r.overrides.values["param-list"] = std::vector<std::uint64_t>(params.begin(), params.end());
    }
    if (what.second) r.overrides.values["cache-mode"] = *what.second;
    plan.keys = std::max<std::size_t>(1, params.size());
    plans.push_back(std::move(plan));
    ++i;
  }
  return plans;
}

std::string scratch_prefix(const std::string& current) {
  // A bare file name ("cur.jsonl", no directory part) is a file too: its prefix is next to it.
  const fs::path p(current);
  return (fs::is_directory(p) ? (p / "confirm").string() : p.string()) + ".confirm";
}

Rerun run_reruns(const std::vector<RerunPlan>& plans, const std::string& runner, Executor& ex,
                 std::ostream& err) {
  CompactReduction current, base;
  const bool paired = !plans.empty() && plans.front().request.baseline_out.has_value();
  for (const RerunPlan& plan : plans) {
    SpawnRequest req;
    req.argv = to_argv(runner, plan.request);
    req.term_after = std::chrono::hours(1);
    req.kill_after = std::chrono::hours(1) + std::chrono::seconds(5);
    // On Ctrl-C the runner gets SIGTERM and stops its own running benchmark first (within its
    // own interrupt grace); what outlives it is re-parented here and killed (ProcessGuard).
    req.interrupt_grace = std::chrono::seconds(3);
    err << "benchgate-compare: time undecided, measuring " << plan.request.benches.front() << " ("
        << plan.keys << " key(s)) again\n";
    const SpawnResult r = ex.run(req);
    if (!r.started)
      throw UsageError("cannot start the runner for the confirmation rerun: " + r.start_error);
    if (r.exited && r.exit_code == 2) {
      throw UsageError("the confirmation rerun failed with a usage error:\n" + r.stderr_tail);
    }
    for (auto [file, side] :
         {std::pair{plan.request.out, &current}, std::pair{plan.request.baseline_out, &base}}) {
      if (!file || !fs::exists(*file)) continue;
      CompactReduction* into = side;  // a lambda cannot capture a structured binding in C++17
      for_each_row(*file, [&](Row&& row) { into->add(row); });
      fs::remove(*file);
    }
  }
  Rerun out;
  out.current = current.expand();
  if (paired) out.baseline = base.expand();
  return out;
}

}  // namespace benchgate
