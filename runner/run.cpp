// Ladders, trials and repeats over an Executor.
#include "run.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "benchgate/core/format.hpp"
#include "benchgate/core/plan.hpp"
#include "benchgate/core/row_json.hpp"
#include "benchgate/core/schedule.hpp"
#include "benchgate/core/stats.hpp"
#include "classify.hpp"

namespace benchgate {
namespace {

std::chrono::nanoseconds seconds_to_nanos(double s) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(s * 1e9)));
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

bool time_ceiling(const BenchmarkInfo& info) {
  const BenchmarkConfig& c = info.config;
  return info.kind == RowKind::parametric && c.ladder_seconds > 0 &&
         c.param_schedule.shape != ParamSchedule::Shape::custom &&
         c.param_ceiling == BenchmarkConfig{}.param_ceiling;
}

void set_child_caps(const BenchmarkInfo& info, bool setup_phase, double factor, ChildRequest& child,
                    SpawnRequest& spawn, RowRequest& req) {
  const bool parametric = info.kind == RowKind::parametric;
  const double cap =
      (parametric ? info.config.max_seconds_per_call : info.fixed_config.max_seconds_per_call) *
      factor;
  const double setup_cap =
      (parametric ? info.config.max_setup_seconds : info.fixed_config.max_setup_seconds) * factor;
  const std::uint64_t grace =
      parametric ? info.config.kill_grace_ms : info.fixed_config.kill_grace_ms;
  spawn.term_after = seconds_to_nanos(cap);
  spawn.kill_after = spawn.term_after + std::chrono::milliseconds(grace);
  req.cap_seconds = cap;
  if (setup_phase) {
    child.setup_fd = kSetupFdInChild;
    spawn.setup_term_after = seconds_to_nanos(setup_cap);
    req.setup_cap_seconds = setup_cap;
  }
}

std::vector<BenchmarkInfo> select_benchmarks(const ListDocument& doc,
                                             const std::vector<std::string>& names,
                                             const std::string& filter,
                                             const std::vector<std::string>& tags) {
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
    auto tagged = [&](const BenchmarkInfo& b) {
      if (tags.empty()) return true;
      return std::any_of(b.tags().begin(), b.tags().end(), [&](const std::string& t) {
        return std::find(tags.begin(), tags.end(), t) != tags.end();
      });
    };
    for (const auto& b : doc.benchmarks) {
      if (b.name.find(filter) != std::string::npos && tagged(b)) out.push_back(b);
    }
    if (out.empty() && !doc.benchmarks.empty()) {
      std::string what =
          tags.empty()
              ? "--filter '" + filter + "'"
              : "--tag " + join(tags) + (filter.empty() ? "" : " with --filter '" + filter + "'");
      throw UsageError(what + " matches no benchmark in " + doc.suite +
                       ". Valid names: " + join(all));
    }
  }
  return out;
}

ChildRequest child_request(const BenchmarkInfo& info, std::uint64_t which,
                           const std::string& env_json) {
  ChildRequest r;
  r.bench = info.name;
  r.kind = info.kind;
  r.which = which;
  if (info.kind == RowKind::parametric) {
    r.cache_mode = info.config.cache_mode;
    r.target_nanos = info.config.target_inner_nanos;
  } else {
    r.target_nanos =
        static_cast<std::uint64_t>(std::llround(info.fixed_config.min_total_seconds * 1e9));
  }
  r.result_fd = kResultFdInChild;
  r.env_json = env_json;
  return r;
}

std::vector<std::string> callgrind_argv(const CallgrindSettings& c, const std::string& out_file,
                                        std::vector<std::string> child) {
  // Instrumentation and collection start off: setup runs uninstrumented (several times faster
  // than instrumented), and only the batch, between the harness's client requests, is counted.
  std::vector<std::string> argv{c.valgrind,
                                "--tool=callgrind",
                                "--instr-atstart=no",
                                "--collect-atstart=no",
                                "--callgrind-out-file=" + out_file,
                                "--quiet",
                                "--"};
  argv.insert(argv.end(), std::make_move_iterator(child.begin()),
              std::make_move_iterator(child.end()));
  return argv;
}

std::optional<std::uint64_t> read_callgrind_total(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::optional<std::uint64_t> summary, totals;
  auto number = [](const std::string& text) -> std::optional<std::uint64_t> {
    std::istringstream s(text);
    std::uint64_t v = 0;
    if (!(s >> v)) return std::nullopt;
    return v;
  };
  while (std::getline(in, line)) {
    if (line.rfind("totals:", 0) == 0) totals = number(line.substr(7));
    if (line.rfind("summary:", 0) == 0) summary = number(line.substr(8));
  }
  return totals ? totals : summary;
}

std::map<std::uint64_t, double> query_complexity(Executor& executor, const std::string& exe,
                                                 const std::string& name,
                                                 const std::vector<std::uint64_t>& params) {
  std::map<std::uint64_t, double> out;
  if (params.empty()) return out;
  SpawnRequest req;
  req.argv = to_argv(exe, ComplexityRequest{name, params});
  req.term_after = std::chrono::seconds(30);
  req.kill_after = std::chrono::seconds(31);
  req.tail_bytes = 1u << 20;
  const SpawnResult r = executor.run(req);
  if (!r.started || !r.exited || r.exit_code != 0) return out;
  return parse_complexity_answer(r.stdout_tail);
}

bool PairedRun::pairs(const std::string& name, RowKind kind, std::uint64_t which) const {
  if (std::find(benchmarks.begin(), benchmarks.end(), name) == benchmarks.end()) return false;
  if (kind != RowKind::parametric) return true;
  const auto listed = params.find(name);
  return listed == params.end() ||
         std::find(listed->second.begin(), listed->second.end(), which) != listed->second.end();
}

std::uint64_t shared_pair_count(std::uint64_t count, std::uint64_t batch_nanos,
                                std::uint64_t wall_nanos, std::uint64_t max_batch_nanos) {
  if (count == 0 || batch_nanos == 0) return count;
  const double per_call = static_cast<double>(batch_nanos) / static_cast<double>(count);
  const double overhead = static_cast<double>(wall_nanos) - static_cast<double>(batch_nanos) -
                          per_call;  // the warm-up call
  const double want = overhead / 2;
  if (static_cast<double>(batch_nanos) >= want) return count;
  const double most = std::max(static_cast<double>(count),
                               std::floor(static_cast<double>(max_batch_nanos) / per_call));
  return static_cast<std::uint64_t>(std::min(most, std::ceil(want / per_call)));
}

namespace {

std::int64_t steady_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The parent's wall time of `EXE --benchgate-probe` (start, exit, reap): what every batch pays
// before and after its timed loop. The median of a few spawns, so one slow start does not set it.
std::optional<std::uint64_t> measure_spawn_floor(Executor& executor, const std::string& exe,
                                                 std::uint64_t samples, std::optional<int> cpu) {
  std::vector<double> walls;
  for (std::uint64_t i = 0; i < samples; ++i) {
    SpawnRequest req;
    req.argv = {exe, kProbeFlag};
    req.term_after = std::chrono::seconds(1);
    req.kill_after = std::chrono::milliseconds(1100);
    req.cpu = cpu;  // where the measured children run
    const SpawnResult r = executor.run(req);
    if (r.started && r.exited && r.exit_code == 0)
      walls.push_back(static_cast<double>(r.wall_nanos));
  }
  if (walls.empty()) return std::nullopt;
  return static_cast<std::uint64_t>(median(walls));
}

double median_per_call_at(const std::vector<Row>& rows, std::uint64_t param) {
  std::vector<double> v;
  for (const Row& r : rows) {
    if (r.status == RowStatus::ok && r.param == param) v.push_back(per_call_nanos(r));
  }
  return median(v);
}

// One benchmark's walk, with the budget and the batch function of run_benchmarks.
class Walk {
 public:
  Walk(BenchmarkRun& run, const RunSettings& settings,
       std::function<Row(std::uint64_t, std::uint64_t, bool)> batch, double pair_seconds = 0)
      : run_(run),
        settings_(settings),
        batch_(std::move(batch)),
        pair_seconds_(pair_seconds),
        started_(settings.now()) {}

  bool out_of_budget() {
    if (settings_.budget.exhausted(settings_.now())) run_.budget_truncated = true;
    return run_.budget_truncated;
  }

  // Walks `rungs` one trial each (a failed trial is retried up to outer_trials times), stopping
  // after the first rung with no ok trial. With `ladder_seconds` > 0 it also stops before a rung
  // once the walk so far, times outer_trials (the top-up trials repeat it), reached that many
  // seconds: the ladder's ceiling by time, so that a benchmark costs about ladder_seconds
  // whatever param_ceiling allows (a note says where it stopped). Returns the ok rungs.
  std::vector<std::uint64_t> ladder(const std::vector<std::uint64_t>& rungs,
                                    std::uint64_t outer_trials, double ladder_seconds = 0) {
    std::vector<std::uint64_t> ok;
    for (std::uint64_t p : rungs) {
      const double walked = static_cast<double>(settings_.now() - started_) / 1e9;
      if (ladder_seconds > 0 && !ok.empty() &&
          walked * static_cast<double>(outer_trials) >= ladder_seconds) {
        std::ostringstream note;
        note << "the ladder stopped climbing after param=" << ok.back() << ": its rungs took "
             << format_duration(walked * 1e9) << ", which times outer_trials = " << outer_trials
             << " reaches ladder_seconds = " << ladder_seconds
             << " s; for larger params raise --ladder-seconds (0: no limit)";
        run_.notes.push_back(note.str());
        return ok;
      }
      bool rung_ok = false;
      std::uint64_t t = 0;
      while (!rung_ok && t < outer_trials) {
        if (out_of_budget()) return ok;
        run_.rows.push_back(batch_(p, t++, false));
        rung_ok = run_.rows.back().status == RowStatus::ok;
      }
      trials_run_[p] = t;
      if (!rung_ok) break;
      ok.push_back(p);
    }
    return ok;
  }

  // The remaining trials round-robin: trial t of every rung before trial t+1 of any.
  // Consecutive children share machine state (frequency, neighbours, even recycled physical
  // pages), so a rung's trials run back to back would agree with each other more than with the
  // next run, and the gate's U test would mistake that for a change.
  // In A/B with pair_seconds, whole rounds continue while the benchmark has run less than that
  // (at most kMaxTrials trials a param).
  void top_up(const std::vector<std::uint64_t>& params, std::uint64_t outer_trials) {
    for (std::uint64_t t = 1; t < kMaxTrials; ++t) {
      if (t >= outer_trials && !pairs_go_on()) return;
      for (std::uint64_t p : params) {
        if (t < trials_run_[p]) continue;
        if (out_of_budget()) return;
        run_.rows.push_back(batch_(p, t, false));
      }
    }
  }

 private:
  static constexpr std::uint64_t kMaxTrials = 1000;  // the --outer-trials range's top

  bool pairs_go_on() const {
    return static_cast<double>(settings_.now() - started_) < pair_seconds_ * 1e9;
  }

  BenchmarkRun& run_;
  const RunSettings& settings_;
  std::function<Row(std::uint64_t, std::uint64_t, bool)> batch_;
  double pair_seconds_;
  std::int64_t started_;
  std::map<std::uint64_t, std::uint64_t> trials_run_;
};

void run_parametric(BenchmarkRun& run, Walk& walk, Executor& executor, const std::string& exe,
                    const RunSettings& settings) {
  const BenchmarkConfig& c = run.info.config;
  // auto's linear uses the configured count (16 unless declared or overridden), so that
  // --linear-samples works with auto too.
  const std::uint64_t linear_samples = c.param_schedule.linear_samples;
  run.schedule = c.param_schedule.shape;
  // Without a declared complexity nothing predicts the cost: auto walks doubling, linear only
  // its probe (with a note), and there is no verdict.
  const bool declared = !run.info.complexity.empty();
  if (run.schedule == ParamSchedule::Shape::automatic && !declared) {
    run.schedule_was_auto = true;
    run.schedule = ParamSchedule::Shape::doubling;
  }
  if (run.schedule == ParamSchedule::Shape::automatic) {
    run.schedule_was_auto = true;
    const std::vector<std::uint64_t> need(kAutoProbeParams.begin(), kAutoProbeParams.end());
    const auto cv = query_complexity(executor, exe, run.info.name, need);
    run.complexity.insert(cv.begin(), cv.end());
    if (cv.size() == need.size()) {
      run.schedule = resolve_auto(cv.at(8), cv.at(16), cv.at(32), cv.at(64));
    } else {
      run.schedule = ParamSchedule::Shape::doubling;
      run.notes.push_back(
          "could not evaluate the declared complexity; schedule auto fell back "
          "to doubling");
    }
  }
  const bool custom = run.schedule == ParamSchedule::Shape::custom;
  const std::vector<std::uint64_t> rungs =
      custom ? c.param_schedule.custom_params : doubling_ladder(c.param_floor, c.param_ceiling);
  // The probe of linear (and the whole walk of doubling and custom).
  std::vector<std::uint64_t> verdict_params =
      walk.ladder(rungs, c.outer_trials, time_ceiling(run.info) ? c.ladder_seconds : 0.0);
  if (run.schedule == ParamSchedule::Shape::linear && !declared) {
    run.notes.push_back("no complexity declared: the linear schedule walked only its probe");
  }
  if (run.schedule == ParamSchedule::Shape::linear && declared && !run.budget_truncated) {
    const ProbeBracket bracket = probe_bracket(run.rows);
    if (bracket.last_ok && bracket.first_fail) {
      const auto need =
          linear_sweep_candidates(*bracket.last_ok, *bracket.first_fail, linear_samples);
      const auto cv = query_complexity(executor, exe, run.info.name, need);
      run.complexity.insert(cv.begin(), cv.end());
      std::vector<std::uint64_t> sweep;
      try {
        sweep = linear_sweep(*bracket.last_ok, *bracket.first_fail,
                             median_per_call_at(run.rows, *bracket.last_ok), cv,
                             c.max_seconds_per_call, linear_samples);
      } catch (const std::invalid_argument&) {
        run.notes.push_back("could not evaluate the declared complexity; no linear sweep");
      }
      if (!sweep.empty()) {
        const std::size_t probe_rows = run.rows.size();
        for (Row& r : run.rows) r.part_of_verdict = false;  // the probe: shown as [probe]
        std::vector<std::uint64_t> swept = walk.ladder(sweep, c.outer_trials);
        if (!swept.empty()) {
          verdict_params = std::move(swept);
        } else {
          // The sweep's first rung failed: the probe is all the data there is; keep it.
          for (std::size_t i = 0; i < probe_rows; ++i) run.rows[i].part_of_verdict.reset();
          run.notes.push_back(
              "the linear sweep failed at its first rung; the verdict uses the "
              "doubling probe");
        }
      }
    }
  }
  walk.top_up(verdict_params, c.outer_trials);
  for (Row& r : run.rows) {
    if (!r.part_of_verdict.has_value()) r.part_of_verdict = true;
  }
  // Pairs sharing a call count keep their short batches: the two children of a pair pay the
  // same start, so the floor's premise (start noise swamps a short batch) does not hold.
  if (!run.pairs_share_count) {
    annotate_below_signal_floor(run.rows, run.spawn_floor_nanos, c.signal_floor_multiplier);
  }

  const auto floor = run.spawn_floor_nanos
                         ? std::optional<double>(static_cast<double>(*run.spawn_floor_nanos))
                         : std::nullopt;
  if (!declared) {
    // No verdict, so none of its advisories either: the report says how to declare one.
    run.summaries = trial_summaries(run.rows);
    std::stable_sort(run.summaries.begin(), run.summaries.end(),
                     [](const auto& a, const auto& b) { return a.param < b.param; });
    for (auto& a : advisories(run.rows, VerdictResult{}, c, floor)) {
      if (a.kind != AdvisoryKind::too_few_verdict_rows) run.advisories.push_back(std::move(a));
    }
    if (settings.auto_fit) run.auto_fit = auto_fit(run.summaries);
    return;
  }
  // The verdict needs C at every eligible param >= 2.
  std::vector<std::uint64_t> need;
  for (const Row& r : run.rows) {
    if (verdict_eligible(r) && r.param && *r.param >= 2 && !run.complexity.count(*r.param) &&
        std::find(need.begin(), need.end(), *r.param) == need.end()) {
      need.push_back(*r.param);
    }
  }
  const auto cv = query_complexity(executor, exe, run.info.name, need);
  run.complexity.insert(cv.begin(), cv.end());
  // By param, not first occurrence: trials run round-robin and a rung's first eligible row may
  // come late (its first trial below the floor), but the warmup trim must drop the smallest.
  auto by_param = [](const auto& a, const auto& b) { return a.param < b.param; };
  std::vector<Ratio> r = ratios(run.rows, run.complexity);
  std::stable_sort(r.begin(), r.end(), by_param);
  run.verdict = derive_verdict(r, c);
  run.summaries = trial_summaries(run.rows);
  std::stable_sort(run.summaries.begin(), run.summaries.end(), by_param);
  run.advisories = advisories(run.rows, *run.verdict, c, floor);
  if (settings.auto_fit) run.auto_fit = auto_fit(run.summaries);
}

void run_fixed(BenchmarkRun& run, Walk& walk,
               const std::function<Row(std::uint64_t, std::uint64_t, bool)>& batch) {
  const FixedBenchmarkConfig& c = run.info.fixed_config;
  // Discarded: page cache, CPU frequency, lazy binding. Skipped too when the budget is gone.
  if (c.warmup && !walk.out_of_budget()) (void)batch(0, 0, true);
  for (std::uint64_t i = 0; i < c.repeats; ++i) {
    if (walk.out_of_budget()) break;
    run.rows.push_back(batch(i, 0, false));
  }
  std::optional<std::uint64_t> first;
  bool agree = true;
  for (const Row& r : run.rows) {
    if (r.status != RowStatus::ok || !r.result_hash) continue;
    if (!first) first = r.result_hash;
    agree = agree && *r.result_hash == *first;
  }
  if (first) {
    run.hashes_agree = agree;
    run.observed_hash = first;
  }
  // expected_hash: unset, met by every ok repeat, or one of the failures below; checked only when
  // some repeat succeeded (a run that broke says why on its own).
  if (c.expected_hash && std::any_of(run.rows.begin(), run.rows.end(),
                                     [](const Row& r) { return r.status == RowStatus::ok; })) {
    const std::string want = format_hash(*c.expected_hash);
    if (!run.info.hashable) {
      run.notes.push_back("expected_hash " + want + " not checked: the result is not hashable");
    } else if (!first) {
      run.expected_hash_failure = "expected_hash " + want + " but no ok repeat produced a hash";
    } else if (!agree) {
      run.expected_hash_failure =
          "expected_hash " + want + " but the repeats disagree with each other";
    } else if (*first != *c.expected_hash) {
      run.expected_hash_failure =
          "expected_hash mismatch: declared " + want + ", got " + format_hash(*first);
    }
  }
}

// Why a run produced nothing the gate or the verdict can use, or nullopt.
std::optional<std::string> problem_of(const BenchmarkRun& run) {
  if (run.expected_hash_failure) return *run.expected_hash_failure;
  if (run.budget_truncated) return std::nullopt;  // cut short on purpose, not broken
  if (run.rows.empty()) return "no batch was run (empty schedule or zero repeats)";
  const bool any_ok = std::any_of(run.rows.begin(), run.rows.end(),
                                  [](const Row& r) { return r.status == RowStatus::ok; });
  if (!any_ok) {
    const Row& first = run.rows.front();
    return "no batch succeeded; first failure: " +
           first.error.value_or(std::string(to_string(first.status)));
  }
  if (std::none_of(run.rows.begin(), run.rows.end(), verdict_eligible)) {
    std::ostringstream msg;
    msg << "every ok batch was below the signal floor (" << run.info.config.signal_floor_multiplier
        << " x the spawn floor): nothing to compare; raise target_inner_nanos or the params";
    return msg.str();
  }
  return std::nullopt;
}

// What every batch of a run shares: where children go and what their rows carry.
struct RunContext {
  Executor& executor;
  const RunSettings& settings;
  const std::string& exe;
  const std::string& suite;
  const Env& env;
  std::string env_json;
  const BatchObserver& observe;
  std::uint64_t callgrind_files = 0;  // Callgrind output files named so far
  std::uint64_t result_files = 0;     // adapters' result files named so far
};

// One benchmark's batches: each a child of EXE (and, in A/B, of the other executable too),
// classified, annotated and shown to the observer.
class Batches {
 public:
  Batches(RunContext& ctx, BenchmarkRun& run, const BenchmarkInfo& child_info)
      : ctx_(ctx),
        run_(run),
        child_info_(child_info),
        paired_(ctx.settings.paired &&
                std::find(ctx.settings.paired->benchmarks.begin(),
                          ctx.settings.paired->benchmarks.end(),
                          run.info.name) != ctx.settings.paired->benchmarks.end()),
        share_count_(paired_ && ctx.settings.paired->share_count && !ctx.settings.callgrind &&
                     run.info.kind == RowKind::parametric &&
                     run.info.config.cache_mode == CacheMode::warm) {}

  bool paired() const { return paired_; }
  bool shares_count() const { return share_count_; }
  // Whether each measured (kept) batch so far had a paired batch, in order: the rows of
  // BenchmarkRun::rows, of which paired_rows holds the paired ones.
  const std::vector<bool>& kept_paired() const { return kept_paired_; }

  Row operator()(std::uint64_t which, std::uint64_t trial, bool warmup) {
    const bool pair = paired_ && ctx_.settings.paired->pairs(run_.info.name, run_.info.kind, which);
    if (!warmup) kept_paired_.push_back(pair);
    if (!pair) {
      Row row = measure(false, which, trial);
      if (ctx_.observe) ctx_.observe(run_.info, row, warmup);
      return row;
    }
    // The other executable first in even pairs, second in odd ones: neither side always runs
    // right after the other (page cache, frequency, the neighbour's last burst). By trial where
    // counts are shared, so that each param's consecutive pairs run in opposite orders.
    const std::uint64_t order = share_count_ ? trial : pairs_++;
    const bool other_first = order % 2 == 0;
    Row first =
        share_count_ ? shared_first(other_first, which, trial) : measure(other_first, which, trial);
    Row second = share_count_ ? shared_second(!other_first, which, trial)
                              : measure(!other_first, which, trial);
    Row& row = other_first ? second : first;
    // The fixed warmup is discarded on both sides.
    if (!warmup) run_.paired_rows.push_back(std::move(other_first ? first : second));
    if (ctx_.observe) ctx_.observe(run_.info, row, warmup);
    return std::move(row);
  }

 private:
  // The first child of a pair: the param's shared count, or (its first pair) the autotune at
  // pair_target_nanos, whose count the second child then shares.
  Row shared_first(bool other, std::uint64_t which, std::uint64_t trial) {
    const auto known = counts_.find(which);
    if (known != counts_.end()) {
      pending_.reset();
      return measure(other, which, trial, known->second);
    }
    Row row = measure(other, which, trial, std::nullopt, pair_target());
    pending_.reset();
    if (row.status == RowStatus::ok && row.inner_repeats && *row.inner_repeats > 0) {
      pending_ = *row.inner_repeats;
    }
    return row;
  }

  // The second child: the first's count; after a param's first pair, the count its later pairs
  // share (shared_pair_count). Autotuned like the first when the first child failed.
  Row shared_second(bool other, std::uint64_t which, std::uint64_t trial) {
    if (const auto known = counts_.find(which); known != counts_.end()) {
      return measure(other, which, trial, known->second);
    }
    if (!pending_) return measure(other, which, trial, std::nullopt, pair_target());
    Row row = measure(other, which, trial, *pending_);
    if (row.status == RowStatus::ok) {
      counts_[which] = shared_pair_count(*pending_, row.total_nanos, last_wall_nanos_,
                                         child_info_.config.target_inner_nanos / 2);
    }
    return row;
  }

  std::uint64_t pair_target() const {
    return std::min(child_info_.config.target_inner_nanos, run_.info.config.pair_target_nanos);
  }

  // One child for this benchmark, of the other executable or of EXE, classified and annotated;
  // `inner_repeats` and `target` replace the autotune and its target when given.
  Row measure(bool other, std::uint64_t which, std::uint64_t trial,
              std::optional<std::uint64_t> inner_repeats = std::nullopt,
              std::optional<std::uint64_t> target = std::nullopt) {
    const BenchmarkInfo& declared = run_.info;
    const RunSettings& settings = ctx_.settings;
    RowRequest req;
    req.kind = declared.kind;
    req.function = declared.name;
    const bool parametric = declared.kind == RowKind::parametric;
    if (parametric) {
      req.param = which;
      req.cache_mode = declared.config.cache_mode;
    } else {
      req.repeat_index = which;
    }
    ChildRequest child = child_request(child_info_, which, ctx_.env_json);
    if (settings.callgrind) child.measure = Measure::instructions;
    child.inner_repeats = inner_repeats;
    if (target) child.target_nanos = *target;
    SpawnRequest request;
    set_child_caps(declared, settings.setup_phase,
                   settings.callgrind ? settings.callgrind->cap_factor : 1.0, child, request, req);
    static const NativeAdapter native;
    const Adapter* own = settings.adapter ? settings.adapter : &native;
    const Adapter& adapter = other && settings.paired->adapter ? *settings.paired->adapter : *own;
    const std::string& program = other ? settings.paired->exe : ctx_.exe;
    const std::string result_file =
        settings.scratch_dir.empty()
            ? std::string()
            : settings.scratch_dir + "/batch." + std::to_string(++ctx_.result_files);
    adapter.prepare_child(program, child, result_file, request);
    std::vector<std::string> argv = std::move(request.argv);
    std::string callgrind_out;
    if (settings.callgrind) {
      callgrind_out =
          settings.callgrind->out_dir + "/callgrind.out." + std::to_string(++ctx_.callgrind_files);
      argv = callgrind_argv(*settings.callgrind, callgrind_out, std::move(argv));
    }
    request.argv = std::move(argv);
    request.cpu = settings.cpu;
    const SpawnResult result = ctx_.executor.run(request);
    last_wall_nanos_ = result.wall_nanos;
    Row row = adapter.parse_result(req, result, result_file);
    if (!result_file.empty()) ::unlink(result_file.c_str());
    if (settings.callgrind) read_callgrind_count(row, callgrind_out);
    // The paired executable's rows carry this suite's name too, so that its file and this one
    // compare key for key.
    row.suite = ctx_.suite;
    row.trial_index = trial;
    if (!row.env) row.env = ctx_.env;
    return row;
  }

  // Under Callgrind: the instructions of an ok batch, from Callgrind's output file (removed).
  static void read_callgrind_count(Row& row, const std::string& file) {
    row.measured_under = MeasuredUnder::callgrind;
    if (row.status == RowStatus::ok) {
      row.instructions = read_callgrind_total(file);
      if (!row.instructions) {
        row.status = RowStatus::error;
        row.error =
            "Callgrind left no instruction count (" + file + " missing or without a totals line)";
      }
    }
    ::unlink(file.c_str());
  }

  RunContext& ctx_;
  BenchmarkRun& run_;
  const BenchmarkInfo& child_info_;
  const bool paired_;
  const bool share_count_;
  std::uint64_t pairs_ = 0;
  std::map<std::uint64_t, std::uint64_t> counts_;  // param -> the count its pairs share
  std::optional<std::uint64_t> pending_;           // the first child's count, this pair
  std::uint64_t last_wall_nanos_ = 0;              // the last child's wall time
  std::vector<bool> kept_paired_;
};

// One benchmark from its declared configuration to its BenchmarkRun.
BenchmarkRun run_one(RunContext& ctx, const BenchmarkInfo& declared,
                     std::optional<std::uint64_t> spawn_floor) {
  BenchmarkRun run;
  run.info = declared;
  if (ctx.settings.adapter) run.adapter = ctx.settings.adapter->kind();
  run.spawn_floor_nanos = spawn_floor;
  // Children get a target clamped by the floor so that autotune stays inside the cap; the
  // report keeps the declared one.
  BenchmarkInfo child_info = declared;
  if (declared.kind == RowKind::parametric) {
    child_info.config.target_inner_nanos =
        effective_inner_target(declared.config.target_inner_nanos, spawn_floor,
                               declared.config.max_seconds_per_call, declared.config.kill_grace_ms);
    run.child_target_nanos = child_info.config.target_inner_nanos;
  }
  Batches batches(ctx, run, child_info);
  run.pairs_share_count = batches.shares_count();
  auto batch = [&](std::uint64_t which, std::uint64_t trial, bool warmup) {
    return batches(which, trial, warmup);
  };
  Walk walk(run, ctx.settings, batch, run.pairs_share_count ? declared.config.pair_seconds : 0);
  if (declared.kind == RowKind::parametric) {
    run_parametric(run, walk, ctx.executor, ctx.exe, ctx.settings);
  } else {
    run_fixed(run, walk, batch);
  }
  if (batches.paired()) {
    // One paired row per measured row that was paired, in the same order: the same
    // annotations.
    const std::vector<bool>& kept_paired = batches.kept_paired();
    std::size_t j = 0;
    for (std::size_t i = 0; i < run.rows.size() && i < kept_paired.size(); ++i) {
      if (!kept_paired[i]) continue;
      if (j == run.paired_rows.size()) break;
      run.paired_rows[j++].part_of_verdict = run.rows[i].part_of_verdict;
    }
    if (declared.kind == RowKind::parametric && !run.pairs_share_count) {
      annotate_below_signal_floor(run.paired_rows, run.spawn_floor_nanos,
                                  run.info.config.signal_floor_multiplier);
    }
  }
  run.problem = problem_of(run);
  return run;
}

// What a limited budget was used for, from the budget's own start (which the caller set before
// anything it counts) or the run's, whichever came first.
BudgetSummary budget_summary(const RunSettings& settings, std::int64_t started,
                             const RunOutput& out) {
  BudgetSummary summary;
  summary.total_seconds = settings.budget.total_seconds().value_or(0);
  const std::int64_t budget_start =
      *settings.budget.deadline() - static_cast<std::int64_t>(summary.total_seconds * 1e9);
  summary.elapsed_nanos = settings.now() - std::min(started, budget_start);
  summary.completed = out.runs.size();
  summary.truncated = static_cast<std::uint64_t>(std::count_if(
      out.runs.begin(), out.runs.end(), [](const BenchmarkRun& r) { return r.budget_truncated; }));
  summary.skips = out.skipped;
  return summary;
}

}  // namespace

RunOutput run_benchmarks(Executor& executor, const std::string& exe, const std::string& suite,
                         const std::vector<BenchmarkInfo>& benchmarks, const Env& env,
                         const BatchObserver& observe, RunSettings settings) {
  if (!settings.now) settings.now = steady_now;
  const std::int64_t started = settings.now();
  RunContext ctx{executor, settings, exe, suite, env, write_env(env), observe};
  RunOutput out;
  out.suite = suite;
  // Only parametric benchmarks use the floor (signal floor, clamped inner target).
  const bool any_parametric =
      std::any_of(benchmarks.begin(), benchmarks.end(),
                  [](const BenchmarkInfo& b) { return b.kind == RowKind::parametric; });
  // The spawn floor is a wall time: it means nothing for counted instructions, and a batch of
  // one call under Callgrind must not leave the verdict for being short.
  const bool native = !settings.adapter || settings.adapter->native_protocol();
  if (native && settings.spawn_floor_samples > 0 && any_parametric && !settings.callgrind &&
      !settings.budget.exhausted(settings.now())) {
    out.spawn_floor_nanos =
        measure_spawn_floor(executor, exe, settings.spawn_floor_samples, settings.cpu);
  }
  for (std::size_t i = 0; i < benchmarks.size(); ++i) {
    const BenchmarkInfo& declared = benchmarks[i];
    if (settings.budget.exhausted(settings.now())) {
      out.skipped.push_back(BudgetSkip{declared.name, declared.kind});
      continue;
    }
    if (settings.benchmark_started) settings.benchmark_started(i);
    out.runs.push_back(run_one(ctx, declared, out.spawn_floor_nanos));
    if (settings.benchmark_finished) settings.benchmark_finished(out.runs.back());
  }
  if (settings.budget.limited()) out.budget = budget_summary(settings, started, out);
  return out;
}

}  // namespace benchgate
