// Ladders, trials and repeats over an Executor.
#include "run.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "benchgate/core/plan.hpp"
#include "benchgate/core/row_json.hpp"
#include "classify.hpp"

namespace benchgate {
namespace {

std::chrono::nanoseconds seconds_to_nanos(double s) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(s * 1e9)));
}

SpawnRequest request_for(std::vector<std::string> argv, double cap_seconds,
                         std::uint64_t grace_ms) {
  SpawnRequest r;
  r.argv = std::move(argv);
  r.term_after = seconds_to_nanos(cap_seconds);
  r.kill_after = r.term_after + std::chrono::milliseconds(grace_ms);
  return r;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::vector<BenchmarkInfo> select_benchmarks(const ListDocument& doc,
                                             const std::vector<std::string>& names,
                                             const std::string& filter) {
  std::vector<BenchmarkInfo> out;
  std::vector<std::string> all;
  for (const auto& b : doc.benchmarks) all.push_back(b.name);
  for (const auto& name : names) {
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      throw UsageError("--bench '" + name + "': no such benchmark in " + doc.suite +
                       ". Valid names: " + (all.empty() ? "(none registered)" : join(all)));
    }
  }
  if (!names.empty()) {
    for (const auto& b : doc.benchmarks) {  // declaration order, each once
      if (std::find(names.begin(), names.end(), b.name) != names.end()) out.push_back(b);
    }
  } else {
    for (const auto& b : doc.benchmarks) {
      if (b.name.find(filter) != std::string::npos) out.push_back(b);
    }
    if (out.empty() && !doc.benchmarks.empty()) {
      throw UsageError("--filter '" + filter + "' matches no benchmark in " + doc.suite +
                       ". Valid names: " + join(all));
    }
  }
  return out;
}

void apply_overrides(BenchmarkInfo& info, const Overrides& o) {
  std::vector<std::string> errors;
  if (info.kind == RowKind::parametric) {
    auto& c = info.config;
    if (o.max_seconds_per_call) c.max_seconds_per_call = *o.max_seconds_per_call;
    if (o.kill_grace_ms) c.kill_grace_ms = *o.kill_grace_ms;
    if (o.target_inner_nanos) c.target_inner_nanos = *o.target_inner_nanos;
    if (o.param_floor) c.param_floor = *o.param_floor;
    if (o.param_ceiling) c.param_ceiling = *o.param_ceiling;
    if (o.outer_trials) c.outer_trials = *o.outer_trials;
    if (o.cache_mode) c.cache_mode = *o.cache_mode;
    if (o.param_list) c.param_schedule = ParamSchedule::custom(*o.param_list);
    errors = validate(info.name, c);
    if (c.param_schedule.shape != ParamSchedule::Shape::doubling &&
        c.param_schedule.shape != ParamSchedule::Shape::custom) {
      errors.push_back(info.name + ": BenchmarkConfig.param_schedule '" +
                       to_string(c.param_schedule.shape) +
                       "' is not supported by this runner yet; use doubling or custom");
    }
  } else {
    auto& c = info.fixed_config;
    if (o.max_seconds_per_call) c.max_seconds_per_call = *o.max_seconds_per_call;
    if (o.kill_grace_ms) c.kill_grace_ms = *o.kill_grace_ms;
    if (o.repeats) c.repeats = *o.repeats;
    errors = validate(info.name, c);
  }
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw UsageError(all);
  }
}

std::vector<std::string> child_argv(const std::string& exe, const BenchmarkInfo& info,
                                    std::uint64_t param_or_repeat, const std::string& env_json) {
  std::vector<std::string> argv{exe, "--benchgate-child", "--bench", info.name};
  if (info.kind == RowKind::parametric) {
    argv.insert(argv.end(), {"--param", std::to_string(param_or_repeat), "--cache-mode",
                             to_string(info.config.cache_mode), "--target-nanos",
                             std::to_string(info.config.target_inner_nanos)});
  } else {
    const auto min_total =
        static_cast<std::uint64_t>(std::llround(info.fixed_config.min_total_seconds * 1e9));
    argv.insert(argv.end(), {"--fixed", "--repeat-index", std::to_string(param_or_repeat),
                             "--cache-mode", "warm", "--target-nanos", std::to_string(min_total)});
  }
  argv.insert(argv.end(),
              {"--result-fd", std::to_string(kResultFdInChild), "--env-json", env_json});
  return argv;
}

RunOutput run_benchmarks(Executor& executor, const std::string& exe, const std::string& suite,
                         const std::vector<BenchmarkInfo>& benchmarks, const Env& env,
                         const BatchObserver& observe, std::optional<int> cpu) {
  const std::string env_json = write_env(env);
  RunOutput out;
  out.suite = suite;
  for (const auto& info : benchmarks) {
    BenchmarkRun run;
    run.info = info;
    auto batch = [&](std::uint64_t which, std::uint64_t trial, bool warmup = false) {
      RowRequest req;
      req.kind = info.kind;
      req.function = info.name;
      double cap;
      std::uint64_t grace;
      if (info.kind == RowKind::parametric) {
        req.param = which;
        req.cache_mode = info.config.cache_mode;
        cap = info.config.max_seconds_per_call;
        grace = info.config.kill_grace_ms;
      } else {
        req.repeat_index = which;
        cap = info.fixed_config.max_seconds_per_call;
        grace = info.fixed_config.kill_grace_ms;
      }
      req.cap_seconds = cap;
      SpawnRequest request = request_for(child_argv(exe, info, which, env_json), cap, grace);
      request.cpu = cpu;
      const SpawnResult result = executor.run(request);
      Row row = classify(req, result);
      row.suite = suite;
      row.trial_index = trial;
      if (!row.env) row.env = env;
      if (observe) observe(info, row, warmup);
      return row;
    };

    if (info.kind == RowKind::parametric) {
      const auto& c = info.config;
      const std::vector<std::uint64_t> rungs =
          c.param_schedule.shape == ParamSchedule::Shape::custom
              ? c.param_schedule.custom_params
              : doubling_ladder(c.param_floor, c.param_ceiling);
      // Walk the ladder with one trial per rung; when that trial fails, the rung's other
      // trials run at once, because a rung is ok if any trial is (one flaky child does not end
      // the ladder). Stop at the first rung with no ok trial.
      std::vector<std::uint64_t> ok_params;
      std::map<std::uint64_t, std::uint64_t> trials_run;
      for (std::uint64_t p : rungs) {
        bool rung_ok = false;
        std::uint64_t t = 0;
        while (!rung_ok && t < c.outer_trials) {
          run.rows.push_back(batch(p, t++));
          rung_ok = run.rows.back().status == RowStatus::ok;
        }
        trials_run[p] = t;
        if (!rung_ok) break;
        ok_params.push_back(p);
      }
      // Top up the remaining trials round-robin: trial t of every ok rung before trial t+1 of
      // any. Consecutive children share machine state (frequency, neighbours, even recycled
      // physical pages), so a rung's trials run back to back would agree with each other more
      // than with the next run, and the gate's U test would mistake that for a change.
      for (std::uint64_t t = 1; t < c.outer_trials; ++t) {
        for (std::uint64_t p : ok_params) {
          if (t >= trials_run[p]) run.rows.push_back(batch(p, t));
        }
      }
    } else {
      const auto& c = info.fixed_config;
      if (c.warmup) (void)batch(0, 0, true);  // discarded: page cache, CPU frequency, lazy binding
      for (std::uint64_t i = 0; i < c.repeats; ++i) run.rows.push_back(batch(i, 0));
    }

    const bool any_ok = std::any_of(run.rows.begin(), run.rows.end(),
                                    [](const Row& r) { return r.status == RowStatus::ok; });
    if (run.rows.empty()) {
      run.problem = "no batch was run (empty schedule or zero repeats)";
    } else if (!any_ok) {
      const Row& first = run.rows.front();
      run.problem = "no batch succeeded; first failure: " +
                    first.error.value_or(std::string(to_string(first.status)));
    }
    out.runs.push_back(std::move(run));
  }
  return out;
}

}  // namespace benchgate
