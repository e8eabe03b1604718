// Tests runner/run.hpp: ladders, trials, fixed repeats and warmup, the child argv, selection and
// overrides, driven by a scripted Executor that answers from the argv it is given and records it.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "benchgate/core/overrides.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/core/row_json.hpp"
#include "benchgate/process/executor.hpp"
#include "printers.hpp"
#include "run.hpp"

namespace {

using namespace benchgate;
using U = std::vector<std::uint64_t>;
using Argv = std::vector<std::string>;

// What a child was asked to do (the wire protocol's parser reads its argv), with its program and
// how many children ran for the same (program, bench, which) before it.
struct ChildArgs {
  std::string exe;  // argv[0]
  std::string bench;
  bool fixed = false;
  std::uint64_t which = 0;  // --param or --repeat-index
  int attempt = 0;
};

enum class Act { ok, error_row, crash, hang };

// Answers each child per a script, with a row written by write_row for exactly what the argv
// asked for. Records every request.
class ScriptedExecutor final : public Executor {
 public:
  using Script = std::function<Act(const ChildArgs&)>;
  explicit ScriptedExecutor(Script script) : script_(std::move(script)) {}

  SpawnResult run(const SpawnRequest& request) override {
    // The runner's own questions: the spawn floor and the declared complexity.
    if (request.argv.size() > 1 && request.argv[1] == kProbeFlag) {
      others.push_back(request);
      SpawnResult o;
      o.started = o.exited = true;
      o.wall_nanos = probe_wall_nanos;
      return o;
    }
    if (request.argv.size() > 1 && request.argv[1] == kComplexityFlag) {
      others.push_back(request);
      SpawnResult o;
      o.started = o.exited = true;
      std::map<std::uint64_t, double> values;
      for (const std::uint64_t n : parse_complexity_request(request.argv).params)
        values[n] = complexity(static_cast<double>(n));
      o.stdout_tail = format_complexity_answer(values);
      return o;
    }
    requests.push_back(request);
    ChildArgs a = parse(request.argv);
    a.attempt = attempts_[{a.exe, a.bench, a.which}]++;
    const Act act = script_(a);
    SpawnResult o;
    o.started = true;
    o.exited = true;
    Row r;
    r.kind = a.fixed ? RowKind::fixed : RowKind::parametric;
    r.function = a.bench;
    r.total_nanos = total_nanos(a);
    r.inner_repeats = 8;
    r.result_hash = hash(a);
    if (a.fixed) {
      r.repeat_index = a.which;
    } else {
      r.param = a.which;
    }
    switch (act) {
      case Act::ok: o.result = write_row(r) + "\n"; break;
      case Act::error_row:
        r.status = RowStatus::error;
        r.error = "child error at " + std::to_string(a.which);
        o.result = write_row(r) + "\n";
        o.exit_code = 1;
        break;
      case Act::crash:
        o.exited = false;
        o.term_signal = SIGSEGV;
        break;
      case Act::hang:
        o.exited = false;
        o.term_signal = SIGTERM;
        o.killed_at_cap = true;
        break;
    }
    return o;
  }

  std::vector<Argv> argvs() const {
    std::vector<Argv> out;
    for (const auto& r : requests) out.push_back(r.argv);
    return out;
  }
  // The --param / --repeat-index of every child, in order.
  U whiches() const {
    U out;
    for (const auto& r : requests) out.push_back(parse(r.argv).which);
    return out;
  }

  std::vector<SpawnRequest> requests;  // children only
  std::vector<SpawnRequest> others;    // probes and complexity questions
  std::uint64_t probe_wall_nanos = 0;  // 0: no signal floor
  std::function<double(double)> complexity = [](double n) { return n; };
  std::function<std::uint64_t(const ChildArgs&)> total_nanos = [](const ChildArgs& a) {
    return 1000 * (a.which + 1);
  };
  std::function<std::optional<std::uint64_t>(const ChildArgs&)> hash = [](const ChildArgs&) {
    return std::optional<std::uint64_t>();
  };

 private:
  static ChildArgs parse(const Argv& argv) {
    const ChildRequest r = parse_child_request(argv);
    ChildArgs a;
    a.exe = argv.at(0);
    a.bench = r.bench;
    a.fixed = r.kind == RowKind::fixed;
    a.which = r.which;
    return a;
  }

  Script script_;
  std::map<std::tuple<std::string, std::string, std::uint64_t>, int> attempts_;
};

BenchmarkInfo parametric(const std::string& name, std::uint64_t lo, std::uint64_t hi) {
  BenchmarkInfo b;
  b.name = name;
  b.kind = RowKind::parametric;
  b.complexity = "n";
  b.config.param_floor = lo;
  b.config.param_ceiling = hi;
  b.config.max_seconds_per_call = 1.5;
  b.config.kill_grace_ms = 100;
  b.config.target_inner_nanos = 1'000'000;
  // One trial per rung and no ceiling by time unless a test sets them: the defaults (3 trials,
  // ladder_seconds 30) have tests of their own.
  b.config.outer_trials = 1;
  b.config.ladder_seconds = 0;
  return b;
}

BenchmarkInfo fixed(const std::string& name, std::uint64_t repeats, bool warmup) {
  BenchmarkInfo b;
  b.name = name;
  b.kind = RowKind::fixed;
  b.fixed_config.repeats = repeats;
  b.fixed_config.warmup = warmup;
  b.fixed_config.min_total_seconds = 0.25;
  b.fixed_config.max_seconds_per_call = 12;
  b.fixed_config.kill_grace_ms = 250;
  return b;
}

Env run_env() {
  Env e;
  e.os = "linux";
  e.hostname = "ci-runner";
  e.git_commit = "0123456789abcdef0123456789abcdef01234567";
  return e;
}

U params_of(const std::vector<Row>& rows) {
  U out;
  for (const auto& r : rows)
    out.push_back(r.kind == RowKind::parametric ? *r.param : *r.repeat_index);
  return out;
}

std::vector<RowStatus> statuses_of(const std::vector<Row>& rows) {
  std::vector<RowStatus> out;
  for (const auto& r : rows) out.push_back(r.status);
  return out;
}

U trials_of(const std::vector<Row>& rows) {
  U out;
  for (const auto& r : rows) out.push_back(r.trial_index.value_or(999));
  return out;
}

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::vector<std::string> names_of(const std::vector<BenchmarkInfo>& infos) {
  std::vector<std::string> out;
  for (const auto& b : infos) out.push_back(b.name);
  return out;
}

ListDocument three_benchmarks() {
  return ListDocument{"demo_bench",
                      {parametric("sort.std_sort", 0, 16), fixed("parse_corpus", 3, true),
                       parametric("sort.insertion", 0, 16)}};
}

std::string usage_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  FAIL("no UsageError");
  return {};
}

}  // namespace

TEST_CASE("run: the ladder stops at the first rung where no trial is ok, keeping that rung") {
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which >= 8 ? Act::crash : Act::ok; });
  const RunOutput out =
      run_benchmarks(ex, "./bench", "demo_bench", {parametric("f", 0, 64)}, run_env());
  CHECK(ex.whiches() == U{0, 1, 2, 4, 8});
  REQUIRE(out.runs.size() == 1);
  const BenchmarkRun& run = out.runs[0];
  CHECK(params_of(run.rows) == U{0, 1, 2, 4, 8});
  CHECK(statuses_of(run.rows) == std::vector<RowStatus>{RowStatus::ok, RowStatus::ok, RowStatus::ok,
                                                        RowStatus::ok, RowStatus::error});
  CHECK(contains(run.rows.back().error.value_or(""), "SIGSEGV"));
  CHECK(run.usable());
  CHECK_FALSE(run.problem.has_value());
}

TEST_CASE("run: a full ladder walks floor to ceiling") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {parametric("f", 3, 48)}, run_env());
  CHECK(ex.whiches() == U{3, 6, 12, 24, 48});
  CHECK(params_of(out.runs.at(0).rows) == U{3, 6, 12, 24, 48});
}

TEST_CASE("run: a rung killed at the cap ends the ladder with a killed_at_cap row") {
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which == 4 ? Act::hang : Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {parametric("f", 0, 64)}, run_env());
  CHECK(params_of(out.runs.at(0).rows) == U{0, 1, 2, 4});
  CHECK(out.runs.at(0).rows.back().status == RowStatus::killed_at_cap);
}

TEST_CASE(
    "run: outer_trials = 3: a failed first trial runs the rung's others, the rest is topped up "
    "round-robin") {
  BenchmarkInfo b = parametric("f", 0, 64);
  b.config.outer_trials = 3;
  // Param 0: the first trial crashes. Param 4: only the last trial is ok. Param 16: all fail.
  ScriptedExecutor ex([](const ChildArgs& a) {
    if (a.which == 0) return a.attempt == 0 ? Act::crash : Act::ok;
    if (a.which == 4) return a.attempt == 2 ? Act::ok : Act::error_row;
    if (a.which >= 16) return Act::crash;
    return Act::ok;
  });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  const auto& rows = out.runs.at(0).rows;
  // Ladder: 0 (crash, ok), 1, 2, 4 (error, error, ok), 8, 16 (three crashes: stop).
  // Top-up: trial 1 of 1, 2, 8; then trial 2 of 0, 1, 2, 8.
  CHECK(ex.whiches() == U{0, 0, 1, 2, 4, 4, 4, 8, 16, 16, 16, 1, 2, 8, 0, 1, 2, 8});
  CHECK(params_of(rows) == ex.whiches());
  CHECK(trials_of(rows) == U{0, 1, 0, 0, 0, 1, 2, 0, 0, 1, 2, 1, 1, 1, 2, 2, 2, 2});
  CHECK(rows[0].status == RowStatus::error);
  CHECK(rows[1].status == RowStatus::ok);
  CHECK(rows[4].status == RowStatus::error);
  CHECK(rows[5].status == RowStatus::error);
  CHECK(rows[6].status == RowStatus::ok);
  for (std::size_t i = 8; i < 11; ++i) CHECK(rows[i].status == RowStatus::error);
  for (std::size_t i = 11; i < rows.size(); ++i) CHECK(rows[i].status == RowStatus::ok);
  CHECK(out.runs.at(0).usable());
}

TEST_CASE("run: every row carries suite, trial_index and the run's env") {
  BenchmarkInfo b = parametric("f", 0, 4);
  b.config.outer_trials = 2;
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which == 2 ? Act::crash : Act::ok; });
  const RunOutput out =
      run_benchmarks(ex, "./bench", "demo_bench", {b, fixed("g", 2, false)}, run_env());
  CHECK(out.suite == "demo_bench");
  REQUIRE(out.runs.size() == 2);
  for (const auto& run : out.runs) {
    REQUIRE_FALSE(run.rows.empty());
    for (const Row& r : run.rows) {
      CHECK(r.suite == std::optional<std::string>("demo_bench"));
      CHECK(r.trial_index.has_value());
      CHECK(r.env == std::optional<Env>(run_env()));
    }
  }
  // 0 and 1 ok on trial 0; 2 crashes twice (its second trial runs at once) and ends the ladder;
  // then trial 1 of 0 and 1.
  CHECK(params_of(out.runs[0].rows) == U{0, 1, 2, 2, 0, 1});
  CHECK(trials_of(out.runs[0].rows) == U{0, 0, 0, 1, 1, 1});
  CHECK(trials_of(out.runs[1].rows) == U{0, 0});
}

TEST_CASE("run: a fixed benchmark runs one discarded warmup child, then repeats 0..n-1") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 4, true)}, run_env());
  CHECK(ex.requests.size() == 5);
  CHECK(ex.whiches() == U{0, 0, 1, 2, 3});
  for (const auto& argv : ex.argvs())
    CHECK(std::find(argv.begin(), argv.end(), "--fixed") != argv.end());
  const auto& rows = out.runs.at(0).rows;
  CHECK(params_of(rows) == U{0, 1, 2, 3});
  for (const Row& r : rows) {
    CHECK(r.kind == RowKind::fixed);
    CHECK(r.status == RowStatus::ok);
  }
}

TEST_CASE("run: a failed warmup child is not kept") {
  // The first child for repeat 0 is the warmup.
  ScriptedExecutor ex(
      [](const ChildArgs& a) { return a.which == 0 && a.attempt == 0 ? Act::crash : Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 2, true)}, run_env());
  CHECK(ex.requests.size() == 3);
  CHECK(statuses_of(out.runs.at(0).rows) == std::vector<RowStatus>{RowStatus::ok, RowStatus::ok});
  CHECK(out.runs.at(0).usable());
}

TEST_CASE("run: a fixed benchmark without warmup runs exactly the measured repeats") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 3, false)}, run_env());
  CHECK(ex.whiches() == U{0, 1, 2});
  CHECK(params_of(out.runs.at(0).rows) == U{0, 1, 2});
}

TEST_CASE("run: a fixed benchmark runs every repeat even after a failure") {
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which == 1 ? Act::error_row : Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 3, false)}, run_env());
  CHECK(statuses_of(out.runs.at(0).rows) ==
        std::vector<RowStatus>{RowStatus::ok, RowStatus::error, RowStatus::ok});
}

TEST_CASE("run: a custom schedule walks the declared params in order") {
  BenchmarkInfo b = parametric("f", 0, 16);
  b.config.param_schedule = ParamSchedule::custom({5, 3, 100, 7});
  SUBCASE("all ok") {
    ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
    CHECK(ex.whiches() == U{5, 3, 100, 7});
    CHECK(params_of(out.runs.at(0).rows) == U{5, 3, 100, 7});
  }
  SUBCASE("stops at the first failed param") {
    ScriptedExecutor ex([](const ChildArgs& a) { return a.which == 100 ? Act::crash : Act::ok; });
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
    CHECK(ex.whiches() == U{5, 3, 100});
  }
}

TEST_CASE("run: benchmarks run one after another in the order given") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  const RunOutput out = run_benchmarks(
      ex, "./bench", "s", {parametric("b", 0, 1), fixed("a", 1, false), parametric("c", 0, 0)},
      run_env());
  REQUIRE(out.runs.size() == 3);
  CHECK(out.runs[0].info.name == "b");
  CHECK(out.runs[1].info.name == "a");
  CHECK(out.runs[2].info.name == "c");
  std::vector<std::string> benches;
  for (const auto& argv : ex.argvs()) benches.push_back(argv.at(3));
  CHECK(benches == std::vector<std::string>{"b", "b", "a", "c", "c"});
}

TEST_CASE("run: the problem is set when no row is ok") {
  SUBCASE("a parametric benchmark whose first rung fails") {
    BenchmarkInfo b = parametric("f", 0, 64);
    b.config.outer_trials = 2;
    ScriptedExecutor ex([](const ChildArgs&) { return Act::error_row; });
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
    const BenchmarkRun& run = out.runs.at(0);
    CHECK(params_of(run.rows) == U{0, 0});
    CHECK_FALSE(run.usable());
    REQUIRE(run.problem.has_value());
    CHECK(contains(*run.problem, "child error at 0"));
  }
  SUBCASE("a fixed benchmark whose every repeat fails") {
    ScriptedExecutor ex([](const ChildArgs&) { return Act::crash; });
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 2, true)}, run_env());
    CHECK(out.runs.at(0).rows.size() == 2);
    REQUIRE(out.runs.at(0).problem.has_value());
    CHECK(contains(*out.runs.at(0).problem, "SIGSEGV"));
  }
  SUBCASE("one ok row is enough") {
    ScriptedExecutor ex([](const ChildArgs& a) { return a.which == 2 ? Act::ok : Act::crash; });
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 3, false)}, run_env());
    CHECK(out.runs.at(0).usable());
  }
}

TEST_CASE("run: the observer sees every measured row in order") {
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which == 4 ? Act::crash : Act::ok; });
  std::vector<std::pair<std::string, std::uint64_t>> seen;
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {parametric("f", 0, 64)}, run_env(),
                                       [&](const BenchmarkInfo& info, const Row& row, bool warmup) {
                                         CHECK_FALSE(warmup);
                                         seen.emplace_back(info.name, row.param.value_or(999));
                                       });
  CHECK(seen ==
        std::vector<std::pair<std::string, std::uint64_t>>{{"f", 0}, {"f", 1}, {"f", 2}, {"f", 4}});
}

TEST_CASE("run: the observer is told which batch was the discarded fixed warmup") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  std::vector<std::pair<std::uint64_t, bool>> seen;
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 2, true)}, run_env(),
                                       [&](const BenchmarkInfo&, const Row& row, bool warmup) {
                                         seen.emplace_back(row.repeat_index.value_or(999), warmup);
                                       });
  CHECK(seen == std::vector<std::pair<std::uint64_t, bool>>{{0, true}, {0, false}, {1, false}});
  CHECK(out.runs.at(0).rows.size() == 2);
}

TEST_CASE("run: each child gets the cap as SIGTERM deadline and cap + grace as SIGKILL deadline") {
  using std::chrono::milliseconds;
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  (void)run_benchmarks(ex, "./bench", "s", {parametric("f", 0, 0), fixed("g", 1, false)},
                       run_env());
  REQUIRE(ex.requests.size() == 3);
  CHECK(ex.requests[0].term_after == milliseconds(1500));
  CHECK(ex.requests[0].kill_after == milliseconds(1600));
  CHECK(ex.requests[2].term_after == milliseconds(12'000));
  CHECK(ex.requests[2].kill_after == milliseconds(12'250));
}

TEST_CASE("run: a parametric batch's request carries its param, cache mode, target and env") {
  BenchmarkInfo b = parametric("sort.std_sort", 0, 16);
  b.config.cache_mode = CacheMode::cold;
  const std::string env_json = write_env(run_env());
  CHECK(to_argv("./sort_bench", child_request(b, 1024, env_json)) ==
        Argv{"./sort_bench", "--benchgate-child", "--bench", "sort.std_sort", "--param", "1024",
             "--cache-mode", "cold", "--target-nanos", "1000000", "--result-fd", "3", "--env-json",
             env_json});
}

TEST_CASE("run: a fixed batch's request carries its repeat index and least batch time") {
  const BenchmarkInfo b = fixed("parse_corpus", 3, true);
  CHECK(to_argv("/abs/bench", child_request(b, 2, "{}")) ==
        Argv{"/abs/bench", "--benchgate-child", "--bench", "parse_corpus", "--fixed",
             "--repeat-index", "2", "--cache-mode", "warm", "--target-nanos", "250000000",
             "--result-fd", "3", "--env-json", "{}"});
}

TEST_CASE("run: run_benchmarks passes the exe, the declared cache mode and the env to each child") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  BenchmarkInfo b = parametric("f", 0, 1);
  b.config.cache_mode = CacheMode::cold;
  (void)run_benchmarks(ex, "./build/sort_bench", "s", {b}, run_env());
  const std::string env_json = write_env(run_env());
  for (const Argv& argv : ex.argvs()) {
    REQUIRE(argv.size() >= 4);
    CHECK(argv[0] == "./build/sort_bench");
    CHECK(argv[1] == "--benchgate-child");
    const ChildRequest r = parse_child_request(argv);
    CHECK(r == child_request(b, r.which, env_json));
    auto parsed = parse_env(argv.back());
    REQUIRE(std::holds_alternative<Env>(parsed));
    CHECK(std::get<Env>(parsed) == run_env());
  }
}

TEST_CASE("run: select_benchmarks with no names and no filter keeps all in declaration order") {
  CHECK(names_of(select_benchmarks(three_benchmarks(), {}, "")) ==
        std::vector<std::string>{"sort.std_sort", "parse_corpus", "sort.insertion"});
}

TEST_CASE("run: select_benchmarks by name keeps declaration order") {
  CHECK(names_of(select_benchmarks(three_benchmarks(), {"sort.insertion", "sort.std_sort"}, "")) ==
        std::vector<std::string>{"sort.std_sort", "sort.insertion"});
  CHECK(names_of(select_benchmarks(three_benchmarks(), {"parse_corpus"}, "")) ==
        std::vector<std::string>{"parse_corpus"});
}

TEST_CASE("run: select_benchmarks rejects an unknown name, naming it and the valid names") {
  const std::string what = usage_error([] {
    (void)select_benchmarks(three_benchmarks(), {"sort.std_sort", "srot"}, "");
  });
  CHECK(contains(what, "'srot'"));
  CHECK(contains(what, "sort.std_sort"));
  CHECK(contains(what, "parse_corpus"));
  CHECK(contains(what, "sort.insertion"));
}

TEST_CASE("run: select_benchmarks filters by substring in declaration order") {
  CHECK(names_of(select_benchmarks(three_benchmarks(), {}, "sort.")) ==
        std::vector<std::string>{"sort.std_sort", "sort.insertion"});
  CHECK(names_of(select_benchmarks(three_benchmarks(), {}, "corp")) ==
        std::vector<std::string>{"parse_corpus"});
}

TEST_CASE("run: a filter that matches nothing is a usage error listing the names") {
  const std::string what =
      usage_error([] { (void)select_benchmarks(three_benchmarks(), {}, "zzz"); });
  CHECK(contains(what, "zzz"));
  CHECK(contains(what, "sort.std_sort"));
}

TEST_CASE("run: apply_overrides applies each override to a parametric benchmark") {
  BenchmarkInfo b = parametric("f", 0, 16);
  Overrides o;
  o.values["max-seconds-per-call"] = double(3.5);
  o.values["kill-grace-ms"] = std::uint64_t(500);
  o.values["target-inner-nanos"] = std::uint64_t(2'000'000);
  o.values["param-floor"] = std::uint64_t(4);
  o.values["param-ceiling"] = std::uint64_t(256);
  o.values["outer-trials"] = std::uint64_t(5);
  o.values["cache-mode"] = CacheMode::cold;
  apply_overrides(b, o);
  CHECK(b.config.max_seconds_per_call == 3.5);
  CHECK(b.config.kill_grace_ms == 500);
  CHECK(b.config.target_inner_nanos == 2'000'000);
  CHECK(b.config.param_floor == 4);
  CHECK(b.config.param_ceiling == 256);
  CHECK(b.config.outer_trials == 5);
  CHECK(b.config.cache_mode == CacheMode::cold);
}

TEST_CASE("run: apply_overrides with no overrides keeps the declared config") {
  BenchmarkInfo b = parametric("f", 2, 16);
  apply_overrides(b, Overrides{});
  CHECK(b.config.param_floor == 2);
  CHECK(b.config.param_ceiling == 16);
  CHECK(b.config.max_seconds_per_call == 1.5);
  BenchmarkInfo f = fixed("g", 3, true);
  apply_overrides(f, Overrides{});
  CHECK(f.fixed_config.repeats == 3);
}

TEST_CASE("run: apply_overrides applies the overrides that concern a fixed benchmark") {
  BenchmarkInfo b = fixed("g", 3, true);
  Overrides o;
  o.values["max-seconds-per-call"] = double(30);
  o.values["kill-grace-ms"] = std::uint64_t(7);
  o.values["repeats"] = std::uint64_t(11);
  o.values["param-ceiling"] = std::uint64_t(8);  // parametric only: ignored
  apply_overrides(b, o);
  CHECK(b.fixed_config.max_seconds_per_call == 30);
  CHECK(b.fixed_config.kill_grace_ms == 7);
  CHECK(b.fixed_config.repeats == 11);
}

TEST_CASE("run: apply_overrides throws UsageError with the validation message") {
  SUBCASE("a negative cap") {
    BenchmarkInfo b = parametric("f", 0, 16);
    Overrides o;
    o.values["max-seconds-per-call"] = double(-1);
    const std::string what = usage_error([&] { apply_overrides(b, o); });
    CHECK(contains(what, "f: BenchmarkConfig.max_seconds_per_call"));
    CHECK(contains(what, "got -1"));
  }
  SUBCASE("a floor above the ceiling") {
    BenchmarkInfo b = parametric("f", 0, 16);
    Overrides o;
    o.values["param-floor"] = std::uint64_t(32);
    const std::string what = usage_error([&] { apply_overrides(b, o); });
    CHECK(contains(what, "BenchmarkConfig.param_floor"));
    CHECK(contains(what, "got 32"));
  }
  SUBCASE("zero outer trials and zero target, both reported") {
    BenchmarkInfo b = parametric("f", 0, 16);
    Overrides o;
    o.values["outer-trials"] = std::uint64_t(0);
    o.values["target-inner-nanos"] = std::uint64_t(0);
    const std::string what = usage_error([&] { apply_overrides(b, o); });
    CHECK(contains(what, "BenchmarkConfig.outer_trials"));
    CHECK(contains(what, "BenchmarkConfig.target_inner_nanos"));
  }
  SUBCASE("zero repeats of a fixed benchmark") {
    BenchmarkInfo b = fixed("g", 3, true);
    Overrides o;
    o.values["repeats"] = std::uint64_t(0);
    const std::string what = usage_error([&] { apply_overrides(b, o); });
    CHECK(contains(what, "g: FixedBenchmarkConfig.repeats"));
    CHECK(contains(what, "got 0"));
  }
  SUBCASE("a fixed cap below min_total_seconds") {
    BenchmarkInfo b = fixed("g", 3, true);
    Overrides o;
    o.values["max-seconds-per-call"] = double(0.1);  // min_total_seconds is 0.25
    const std::string what = usage_error([&] { apply_overrides(b, o); });
    CHECK(contains(what, "FixedBenchmarkConfig.min_total_seconds"));
  }
}

TEST_CASE("run: apply_overrides switches the schedule shape, keeping a declared linear count") {
  BenchmarkInfo b = parametric("f", 0, 16);
  b.config.param_schedule = ParamSchedule::linear(8);
  Overrides o;
  o.values["param-schedule"] = ParamSchedule::Shape::linear;
  (void)apply_overrides(b, o);
  CHECK(b.config.param_schedule.linear_samples == 8u);
  b.config.param_schedule = ParamSchedule::doubling();
  (void)apply_overrides(b, o);
  CHECK(b.config.param_schedule.shape == ParamSchedule::Shape::linear);
  CHECK(b.config.param_schedule.linear_samples == 16u);
  o.values["linear-samples"] = std::uint64_t(4);
  (void)apply_overrides(b, o);
  CHECK(b.config.param_schedule.linear_samples == 4u);
}

TEST_CASE("run: --param-floor or --param-ceiling on a custom schedule gives the inert-flag note") {
  BenchmarkInfo b = parametric("f", 0, 16);
  b.config.param_schedule = ParamSchedule::custom({4, 64});
  Overrides o;
  CHECK(apply_overrides(b, o).empty());
  o.values["param-ceiling"] = std::uint64_t(1024);
  const auto notes = apply_overrides(b, o);
  REQUIRE(notes.size() == 1);
  CHECK(contains(notes[0], "--param-ceiling"));
  CHECK(contains(notes[0], "custom"));
  // Switching the shape away from custom makes the flags count: no note.
  o.values["param-schedule"] = ParamSchedule::Shape::doubling;
  b.config.param_schedule = ParamSchedule::custom({4, 64});
  CHECK(apply_overrides(b, o).empty());
}

TEST_CASE("run: the spawn floor is measured first and clamps the children's inner target") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  ex.probe_wall_nanos = 2'000'000;
  BenchmarkInfo b = parametric("f", 0, 2);
  b.config.target_inner_nanos = 500'000'000;
  b.config.max_seconds_per_call = 1.0;
  b.config.kill_grace_ms = 100;
  b.config.signal_floor_multiplier = 1.0;
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  REQUIRE_FALSE(ex.others.empty());
  CHECK(ex.others.front().argv == Argv{"./bench", "--benchgate-probe"});
  CHECK(out.spawn_floor_nanos == std::uint64_t{2'000'000});
  const std::uint64_t want = effective_inner_target(500'000'000, 2'000'000, 1.0, 100);
  CHECK(want < 500'000'000u);
  for (const auto& argv : ex.argvs()) {
    auto at = std::find(argv.begin(), argv.end(), "--target-nanos");
    REQUIRE(at != argv.end());
    CHECK(*(at + 1) == std::to_string(want));
  }
  // The report keeps the declared target.
  CHECK(out.runs[0].info.config.target_inner_nanos == 500'000'000u);
}

TEST_CASE("run: auto resolves to doubling for a polynomial and to linear for an exponential") {
  {
    ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
    BenchmarkInfo b = parametric("f", 0, 8);
    b.config.param_schedule = ParamSchedule{};  // automatic
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
    CHECK(out.runs[0].schedule == ParamSchedule::Shape::doubling);
    CHECK(out.runs[0].schedule_was_auto);
  }
  // 2^n, failing from 32 on: the doubling probe brackets [16, 32), then stride 1 from 17 until
  // the first failing rung (24); the probe rows leave the verdict.
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which >= 24 ? Act::hang : Act::ok; });
  ex.complexity = [](double n) { return std::exp2(n); };
  BenchmarkInfo b = parametric("f", 0, 64);
  b.config.param_schedule = ParamSchedule{};
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  const BenchmarkRun& run = out.runs[0];
  CHECK(run.schedule == ParamSchedule::Shape::linear);
  CHECK(params_of(run.rows) == U{0, 1, 2, 4, 8, 16, 32, 17, 18, 19, 20, 21, 22, 23, 24});
  for (const Row& r : run.rows) {
    CAPTURE(*r.param);
    const bool probe = *r.param <= 16 || *r.param == 32;
    CHECK(r.part_of_verdict == !probe);
  }
}

TEST_CASE("run: a linear schedule sweeps the declared number of stride-1 rungs") {
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which >= 64 ? Act::crash : Act::ok; });
  BenchmarkInfo b = parametric("f", 0, 1024);
  b.config.param_schedule = ParamSchedule::linear(3);
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  CHECK(params_of(out.runs[0].rows) == U{0, 1, 2, 4, 8, 16, 32, 64, 33, 34, 35});
}

TEST_CASE("run: a verdict is derived from the rows and the complexity the executable declares") {
  // total = 1000 (n + 1) per 8 calls: per-call ~ 125 n, linear.
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  BenchmarkInfo b = parametric("f", 0, 1024);
  b.config.param_schedule = ParamSchedule::doubling();
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  const BenchmarkRun& run = out.runs[0];
  REQUIRE(run.verdict);
  CHECK(run.verdict->verdict == ComplexityVerdict::consistent);
  CHECK(run.complexity.at(1024) == 1024.0);
  // Declared n^2 on the same data: the measured slope is -1, "faster than declared".
  ScriptedExecutor ex2([](const ChildArgs&) { return Act::ok; });
  ex2.complexity = [](double n) { return n * n; };
  const RunOutput out2 = run_benchmarks(ex2, "./bench", "s", {b}, run_env());
  REQUIRE(out2.runs[0].verdict);
  CHECK(out2.runs[0].verdict->verdict == ComplexityVerdict::inconclusive);
  CHECK(contains(verdict_line(*out2.runs[0].verdict, b.config), "faster than declared"));
}

TEST_CASE(
    "run: batches below the signal floor leave the verdict, and all below is no usable data") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  ex.probe_wall_nanos = 10'000;  // every scripted batch (1000 (n + 1) ns) is below 10 floors
  BenchmarkInfo b = parametric("f", 0, 8);
  b.config.signal_floor_multiplier = 10;
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  const BenchmarkRun& run = out.runs[0];
  for (const Row& r : run.rows) CHECK(r.below_signal_floor == true);
  REQUIRE(run.problem);
  CHECK(contains(*run.problem, "below the signal floor"));
  REQUIRE_FALSE(run.advisories.empty());
  CHECK(run.advisories.front().kind == AdvisoryKind::below_signal_floor);
}

TEST_CASE("run: the budget skips whole benchmarks and truncates between rungs") {
  // A clock that advances one second per reading: the budget of 4.5 s lasts a few readings.
  std::int64_t t = 0;
  RunSettings settings;
  settings.now = [&] { return t += 1'000'000'000; };
  settings.budget = Budget::seconds(4.5, 0);
  settings.spawn_floor_samples = 0;
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  BenchmarkInfo f = parametric("f", 0, 1024);
  f.config.param_schedule = ParamSchedule::doubling();
  const RunOutput out =
      run_benchmarks(ex, "./bench", "s", {f, parametric("g", 0, 8)}, run_env(), {}, settings);
  REQUIRE(out.runs.size() == 1);
  CHECK(out.runs[0].budget_truncated);
  CHECK_FALSE(out.runs[0].problem.has_value());  // cut on purpose, not broken
  CHECK(out.runs[0].rows.size() < 12);           // the ladder had 12 rungs
  REQUIRE(out.skipped.size() == 1);
  CHECK(out.skipped[0].name == "g");
  REQUIRE(out.budget);
  CHECK(out.budget->truncated == 1u);
  CHECK(out.budget->completed == 1u);
  // Zero seconds: nothing starts.
  settings.budget = Budget::seconds(0, 0);
  ScriptedExecutor none([](const ChildArgs&) { return Act::ok; });
  const RunOutput empty = run_benchmarks(none, "./bench", "s", {f}, run_env(), {}, settings);
  CHECK(empty.runs.empty());
  CHECK(none.requests.empty());
}

TEST_CASE("run: fixed repeats report hash agreement and check expected_hash") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  ex.hash = [](const ChildArgs&) { return std::optional<std::uint64_t>(0xabc); };
  BenchmarkInfo g = fixed("g", 3, false);
  g.hashable = true;
  g.fixed_config.expected_hash = 0xabc;
  RunOutput out = run_benchmarks(ex, "./bench", "s", {g}, run_env());
  CHECK(out.runs[0].hashes_agree == true);
  CHECK(out.runs[0].observed_hash == std::uint64_t{0xabc});
  CHECK_FALSE(out.runs[0].problem.has_value());
  g.fixed_config.expected_hash = 0xdef;
  out = run_benchmarks(ex, "./bench", "s", {g}, run_env());
  REQUIRE(out.runs[0].problem);
  CHECK(contains(*out.runs[0].problem, "expected_hash mismatch: declared 0xdef, got 0xabc"));
  // Repeats that disagree fail the check too, whatever they match.
  ScriptedExecutor flaky([](const ChildArgs&) { return Act::ok; });
  flaky.hash = [](const ChildArgs& a) { return std::optional<std::uint64_t>(a.which); };
  out = run_benchmarks(flaky, "./bench", "s", {g}, run_env());
  CHECK(out.runs[0].hashes_agree == false);
  REQUIRE(out.runs[0].problem);
  CHECK(contains(*out.runs[0].problem, "disagree"));
}

TEST_CASE("run: select_benchmarks keeps benchmarks carrying any of the tags") {
  ListDocument doc = three_benchmarks();
  doc.benchmarks[0].config.tags = {"fast"};
  doc.benchmarks[1].fixed_config.tags = {"io", "fast"};
  CHECK(names_of(select_benchmarks(doc, {}, "", {"fast"})) ==
        std::vector<std::string>{"sort.std_sort", "parse_corpus"});
  CHECK(names_of(select_benchmarks(doc, {}, "sort", {"fast"})) ==
        std::vector<std::string>{"sort.std_sort"});
  const std::string what = usage_error([&] { select_benchmarks(doc, {}, "", {"slow"}); });
  CHECK(contains(what, "--tag slow"));
}

TEST_CASE(
    "run: ratios and trial summaries are by param even when a rung's first trial was below the "
    "floor") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  ex.probe_wall_nanos = 100;  // x10: batches under 1000 ns are below the floor
  ex.total_nanos = [](const ChildArgs& a) -> std::uint64_t {
    return a.which == 2 && a.attempt == 0 ? 500 : 1000 * (a.which + 1);
  };
  BenchmarkInfo b = parametric("f", 2, 64);
  b.config.param_schedule = ParamSchedule::doubling();
  b.config.outer_trials = 2;
  b.config.signal_floor_multiplier = 10;
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  const BenchmarkRun& run = out.runs[0];
  REQUIRE(run.verdict);
  U ratio_params, summary_params;
  for (const auto& r : run.verdict->ratios) ratio_params.push_back(r.param);
  for (const auto& t : run.summaries) summary_params.push_back(t.param);
  CHECK(ratio_params == U{2, 4, 8, 16, 32, 64});
  CHECK(summary_params == U{2, 4, 8, 16, 32, 64});
}

TEST_CASE("run: a linear sweep that fails at its first rung keeps the probe as verdict data") {
  // n: linear, failing from 17 on: the probe brackets [16, 32), the sweep's first rung (17) fails.
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which >= 17 ? Act::crash : Act::ok; });
  BenchmarkInfo b = parametric("f", 0, 64);
  b.config.param_schedule = ParamSchedule::linear(4);
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  const BenchmarkRun& run = out.runs[0];
  CHECK(params_of(run.rows) == U{0, 1, 2, 4, 8, 16, 32, 17});
  for (const Row& r : run.rows) {
    if (r.status == RowStatus::ok) CHECK(r.part_of_verdict == true);
  }
  CHECK_FALSE(run.problem.has_value());
  REQUIRE(run.verdict);
  CHECK(run.verdict->ratios.size() == 4);  // 2, 4, 8, 16
}

TEST_CASE("run: --linear-samples applies to auto's linear schedule too") {
  ScriptedExecutor ex([](const ChildArgs& a) { return a.which >= 32 ? Act::hang : Act::ok; });
  ex.complexity = [](double n) { return std::exp2(n); };
  BenchmarkInfo b = parametric("f", 0, 64);
  b.config.param_schedule = ParamSchedule{};
  b.config.param_schedule.linear_samples = 2;
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  CHECK(params_of(out.runs[0].rows) == U{0, 1, 2, 4, 8, 16, 32, 17, 18});
}

TEST_CASE("run: only parametric benchmarks pay for the spawn floor") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {fixed("g", 1, false)}, run_env());
  CHECK(ex.others.empty());
  CHECK_FALSE(out.spawn_floor_nanos.has_value());
}

// A/B in one run (RunSettings::paired): what `benchgate-runner run --baseline-exe` relies on.

TEST_CASE("run: a paired executable runs every batch too, alternating which goes first") {
  BenchmarkInfo b = parametric("f", 0, 2);
  b.config.outer_trials = 2;
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  ex.probe_wall_nanos = 1000;
  RunSettings settings;
  settings.paired = PairedRun{"./base", {"f", "g"}};
  const RunOutput out = run_benchmarks(ex, "./bench", "demo_bench", {b, fixed("g", 2, true)},
                                       run_env(), {}, settings);
  // f: 3 rungs x 2 trials, g: warmup + 2 repeats; each batch twice.
  REQUIRE(ex.requests.size() == 2 * (6 + 3));
  std::vector<std::string> order;
  for (std::size_t i = 0; i < ex.requests.size(); i += 2) {
    const Argv& first = ex.requests[i].argv;
    const Argv& second = ex.requests[i + 1].argv;
    order.push_back(first.at(0));
    // The same batch in both: every argument but the program.
    CHECK(Argv(first.begin() + 1, first.end()) == Argv(second.begin() + 1, second.end()));
    CHECK(first.at(0) != second.at(0));
  }
  // The pair count runs on per benchmark from 0: base first, then bench first, ...
  CHECK(order == std::vector<std::string>{"./base", "./bench", "./base", "./bench", "./base",
                                          "./bench", "./base", "./bench", "./base"});
  // The spawn floor and the complexity questions concern the measured executable only.
  REQUIRE_FALSE(ex.others.empty());
  for (const auto& r : ex.others) CHECK(r.argv.at(0) == "./bench");
}

TEST_CASE("run: the paired rows match the measured rows one for one, with their annotations") {
  BenchmarkInfo b = parametric("f", 0, 4);
  b.config.outer_trials = 2;
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  // Below the signal floor at param 0 in the measured executable only: the flag is per row.
  ex.probe_wall_nanos = 4000;
  ex.total_nanos = [](const ChildArgs& a) {
    return a.exe == "./base" ? 1'000'000 : 1000 * (a.which + 1);
  };
  RunSettings settings;
  settings.paired = PairedRun{"./base", {"f", "g"}};
  const RunOutput out = run_benchmarks(ex, "./bench", "demo_bench", {b, fixed("g", 3, true)},
                                       run_env(), {}, settings);
  for (const BenchmarkRun& run : out.runs) {
    REQUIRE(run.paired_rows.size() == run.rows.size());
    for (std::size_t i = 0; i < run.rows.size(); ++i) {
      const Row& mine = run.rows[i];
      const Row& theirs = run.paired_rows[i];
      CHECK(theirs.function == mine.function);
      CHECK(theirs.param == mine.param);
      CHECK(theirs.repeat_index == mine.repeat_index);
      CHECK(theirs.trial_index == mine.trial_index);
      CHECK(theirs.part_of_verdict == mine.part_of_verdict);
      CHECK(theirs.suite == std::optional<std::string>("demo_bench"));
      CHECK(theirs.env == std::optional<Env>(run_env()));
    }
  }
  // The fixed warmup is run in both and kept in neither.
  CHECK(params_of(out.runs.at(1).paired_rows) == U{0, 1, 2});
  const BenchmarkRun& f = out.runs.at(0);
  CHECK(f.rows.front().below_signal_floor == std::optional<bool>(true));
  CHECK(f.paired_rows.front().below_signal_floor != std::optional<bool>(true));
}

TEST_CASE(
    "run: the ladder follows the measured executable, and the paired one's failures are rows") {
  ScriptedExecutor ex(
      [](const ChildArgs& a) { return a.exe == "./base" && a.which >= 2 ? Act::crash : Act::ok; });
  RunSettings settings;
  settings.paired = PairedRun{"./base", {"f"}};
  const RunOutput out =
      run_benchmarks(ex, "./bench", "s", {parametric("f", 0, 8)}, run_env(), {}, settings);
  const BenchmarkRun& run = out.runs.at(0);
  CHECK(params_of(run.rows) == U{0, 1, 2, 4, 8});
  CHECK(params_of(run.paired_rows) == U{0, 1, 2, 4, 8});
  CHECK(statuses_of(run.paired_rows) == std::vector<RowStatus>{RowStatus::ok, RowStatus::ok,
                                                               RowStatus::error, RowStatus::error,
                                                               RowStatus::error});
  CHECK(run.usable());
}

TEST_CASE("run: a benchmark the paired executable does not register is measured alone") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  RunSettings settings;
  settings.paired = PairedRun{"./base", {"g"}};
  const RunOutput out = run_benchmarks(
      ex, "./bench", "s", {parametric("f", 0, 2), fixed("g", 1, false)}, run_env(), {}, settings);
  CHECK(out.runs.at(0).paired_rows.empty());
  CHECK(out.runs.at(1).paired_rows.size() == 1);
  std::vector<std::string> programs;
  for (const auto& r : ex.requests) programs.push_back(r.argv.at(0));
  CHECK(programs == std::vector<std::string>{"./bench", "./bench", "./bench", "./base", "./bench"});
}

namespace {

// The native adapter, counting the children it prepares: the other executable's own adapter.
class CountingAdapter final : public Adapter {
 public:
  AdapterKind kind() const override { return AdapterKind::native; }
  ListDocument list(Executor& executor, const std::string& exe) override {
    return native_.list(executor, exe);
  }
  void prepare_child(const std::string& exe, const ChildRequest& child,
                     const std::string& result_file, SpawnRequest& spawn) const override {
    programs.push_back(exe);
    native_.prepare_child(exe, child, result_file, spawn);
  }
  Row parse_result(const RowRequest& request, const SpawnResult& outcome,
                   const std::string& result_file) const override {
    ++parsed;
    return native_.parse_result(request, outcome, result_file);
  }
  mutable std::vector<std::string> programs;
  mutable int parsed = 0;

 private:
  NativeAdapter native_;
};

}  // namespace

TEST_CASE(
    "run: params the paired executable does not list run alone, its children are its adapter's") {
  // Google Benchmark's instances: the other executable lists f at 0 and 2 only (not 1, 4).
  BenchmarkInfo b = parametric("f", 0, 0);
  b.config.param_schedule = ParamSchedule::custom({0, 1, 2, 4});
  b.config.outer_trials = 2;
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  CountingAdapter other;
  RunSettings settings;
  settings.spawn_floor_samples = 0;
  settings.paired = PairedRun{"./base", {"f", "g"}};
  settings.paired->adapter = &other;
  settings.paired->params = {{"f", {0, 2}}};
  const RunOutput out =
      run_benchmarks(ex, "./bench", "s", {b, fixed("g", 2, true)}, run_env(), {}, settings);
  const BenchmarkRun& f = out.runs.at(0);
  CHECK(params_of(f.rows) == U{0, 1, 2, 4, 0, 1, 2, 4});
  CHECK(params_of(f.paired_rows) == U{0, 2, 0, 2});
  for (std::size_t i = 0; i < f.paired_rows.size(); ++i) {
    CHECK(f.paired_rows[i].trial_index == std::optional<std::uint64_t>(i / 2));
    CHECK(f.paired_rows[i].part_of_verdict == std::optional<bool>(true));
  }
  // Every child of the other executable, and only those, went through its adapter: f's 4
  // pairs, g's warmup and 2 repeats (a fixed benchmark has no params to restrict).
  CHECK(other.programs == std::vector<std::string>(7, "./base"));
  CHECK(other.parsed == 7);
  CHECK(out.runs.at(1).paired_rows.size() == 2);
  std::vector<std::string> programs;
  for (const auto& r : ex.requests) programs.push_back(r.argv.at(0));
  CHECK(std::count(programs.begin(), programs.end(), "./base") == 7);
  CHECK(std::count(programs.begin(), programs.end(), "./bench") == 8 + 3);
}

// A/B pairs sharing a call count (PairedRun::share_count): both executables accept
// --inner-repeats.

namespace {

// The parsed request of every child, in order.
std::vector<ChildRequest> child_requests(const ScriptedExecutor& ex) {
  std::vector<ChildRequest> out;
  for (const auto& r : ex.requests) out.push_back(parse_child_request(r.argv));
  return out;
}

RunSettings sharing_pairs() {
  RunSettings settings;
  settings.paired = PairedRun{"./base", {"f"}, true};
  return settings;
}

BenchmarkInfo paired_benchmark(U params, std::uint64_t outer_trials, double pair_seconds) {
  BenchmarkInfo b = parametric("f", 0, 0);
  b.config.param_schedule = ParamSchedule::custom(std::move(params));
  b.config.outer_trials = outer_trials;
  b.config.pair_seconds = pair_seconds;
  b.config.pair_target_nanos = 250'000;
  return b;
}

}  // namespace

TEST_CASE(
    "run: a param's first pair autotunes at pair_target_nanos, then both sides share its count") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });  // rows of 8 calls, wall 0
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {paired_benchmark({16, 32}, 3, 0)},
                                       run_env(), {}, sharing_pairs());
  const std::vector<ChildRequest> asked = child_requests(ex);
  REQUIRE(asked.size() == 2 * 2 * 3);
  std::map<std::uint64_t, int> seen;
  for (std::size_t i = 0; i < asked.size(); ++i) {
    CAPTURE(i);
    const ChildRequest& r = asked[i];
    if (seen[r.which]++ == 0) {
      // The first child at a param: the autotune, at the pair target (below the child target).
      CHECK(r.inner_repeats == std::nullopt);
      CHECK(r.target_nanos == 250'000u);
    } else {
      CHECK(r.inner_repeats == std::optional<std::uint64_t>(8));
    }
  }
  CHECK(out.runs.at(0).pairs_share_count);
}

TEST_CASE(
    "run: when a param's first child fails, its partner autotunes and the next pair retries") {
  ScriptedExecutor ex([](const ChildArgs& a) {
    return a.exe == "./base" && a.attempt == 0 ? Act::crash : Act::ok;
  });
  (void)run_benchmarks(ex, "./bench", "s", {paired_benchmark({16}, 3, 0)}, run_env(), {},
                       sharing_pairs());
  const std::vector<ChildRequest> asked = child_requests(ex);
  REQUIRE(asked.size() == 6);
  // Trial 0, base first: it crashes, so the measured one autotunes too; trial 1 starts over.
  CHECK(ex.requests[0].argv.at(0) == "./base");
  CHECK(asked[1].inner_repeats == std::nullopt);
  CHECK(asked[2].inner_repeats == std::nullopt);
  CHECK(asked[3].inner_repeats == std::optional<std::uint64_t>(8));
  CHECK(asked[4].inner_repeats == std::optional<std::uint64_t>(8));
  CHECK(asked[5].inner_repeats == std::optional<std::uint64_t>(8));
}

TEST_CASE("run: with a shared count the order alternates with each param's trial") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  (void)run_benchmarks(ex, "./bench", "s", {paired_benchmark({16, 32}, 4, 0)}, run_env(), {},
                       sharing_pairs());
  std::map<std::uint64_t, std::vector<std::string>> first_by_param;
  for (std::size_t i = 0; i < ex.requests.size(); i += 2) {
    first_by_param[parse_child_request(ex.requests[i].argv).which].push_back(
        ex.requests[i].argv.at(0));
  }
  // Two params: a count over all pairs would give each param the same order every time.
  const std::vector<std::string> alternating{"./base", "./bench", "./base", "./bench"};
  CHECK(first_by_param.at(16) == alternating);
  CHECK(first_by_param.at(32) == alternating);
}

TEST_CASE(
    "run: shared-count pairs go on in whole rounds while the benchmark ran less than "
    "pair_seconds") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  RunSettings settings = sharing_pairs();
  // Each child takes 0.1 s of the fake clock.
  settings.now = [&ex] { return static_cast<std::int64_t>(ex.requests.size()) * 100'000'000; };
  SUBCASE("one second: the ladder's round (0.4 s) and two more") {
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {paired_benchmark({16, 32}, 1, 1.0)},
                                         run_env(), {}, settings);
    CHECK(trials_of(out.runs.at(0).rows) == U{0, 0, 1, 1, 2, 2});
    CHECK(trials_of(out.runs.at(0).paired_rows) == U{0, 0, 1, 1, 2, 2});
  }
  SUBCASE("zero: the outer trials only") {
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {paired_benchmark({16, 32}, 2, 0)},
                                         run_env(), {}, settings);
    CHECK(trials_of(out.runs.at(0).rows) == U{0, 0, 1, 1});
  }
  SUBCASE("outer trials beyond the time still run") {
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {paired_benchmark({16}, 5, 0.1)},
                                         run_env(), {}, settings);
    CHECK(trials_of(out.runs.at(0).rows) == U{0, 1, 2, 3, 4});
  }
  SUBCASE("without a shared count pair_seconds does nothing") {
    settings.paired->share_count = false;
    const RunOutput out = run_benchmarks(ex, "./bench", "s", {paired_benchmark({16}, 1, 100)},
                                         run_env(), {}, settings);
    CHECK(trials_of(out.runs.at(0).rows) == U{0});
  }
}

TEST_CASE("run: shared-count pairs keep short batches: no signal floor on either side") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  ex.probe_wall_nanos = 1'000'000;  // every batch (a few microseconds) is far below 10 floors
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {paired_benchmark({16, 32}, 2, 0)},
                                       run_env(), {}, sharing_pairs());
  const BenchmarkRun& run = out.runs.at(0);
  for (const auto* rows : {&run.rows, &run.paired_rows}) {
    REQUIRE(rows->size() == 4);
    for (const Row& r : *rows) CHECK(r.below_signal_floor != std::optional<bool>(true));
  }
  CHECK(run.usable());
}

TEST_CASE("run: a cold or fixed benchmark's pairs never share a count") {
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  BenchmarkInfo cold = paired_benchmark({16}, 2, 100);
  cold.config.cache_mode = CacheMode::cold;
  RunSettings settings = sharing_pairs();
  settings.paired->benchmarks = {"f", "g"};
  (void)run_benchmarks(ex, "./bench", "s", {cold, fixed("g", 2, false)}, run_env(), {}, settings);
  REQUIRE(ex.requests.size() == 2 * (2 + 2));  // no rounds beyond the outer trials either
  for (const ChildRequest& r : child_requests(ex)) CHECK(r.inner_repeats == std::nullopt);
}

TEST_CASE("run: shared_pair_count raises a batch toward half the per-child overhead, capped") {
  constexpr std::uint64_t ms = 1'000'000;
  // 2 calls of 5 ms in a child of 100 ms: 85 ms besides the batch and the warm-up call, so
  // batches of at least 42.5 ms: 9 calls.
  CHECK(shared_pair_count(2, 10 * ms, 100 * ms, 135 * ms) == 9u);
  // A heavy setup (a 20 ms call, 480 ms of overhead) wants 12 calls; the cap allows 6.
  CHECK(shared_pair_count(1, 20 * ms, 520 * ms, 135 * ms) == 6u);
  // A batch already longer than half the overhead keeps its count.
  CHECK(shared_pair_count(8, 50 * ms, 80 * ms, 135 * ms) == 8u);
  // Never below the count, even when one call already passes the cap; no batch time: as given.
  CHECK(shared_pair_count(4, 400 * ms, 2000 * ms, 135 * ms) == 4u);
  CHECK(shared_pair_count(4, 0, 2000 * ms, 135 * ms) == 4u);
  CHECK(shared_pair_count(0, 10 * ms, 2000 * ms, 135 * ms) == 0u);
}

TEST_CASE("run: ladder_seconds stops the climb once the rungs so far times outer_trials reach it") {
  BenchmarkInfo b = parametric("f", 0, BenchmarkConfig{}.param_ceiling);  // none declared
  b.config.outer_trials = 2;
  b.config.ladder_seconds = 2.0;
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  RunSettings settings;
  // Each child takes 0.25 s of the fake clock: after 4 rungs, 1 s x 2 trials reaches 2 s.
  settings.now = [&ex] { return static_cast<std::int64_t>(ex.requests.size()) * 250'000'000; };
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env(), {}, settings);
  const auto& run = out.runs.at(0);
  CHECK(ex.whiches() == U{0, 1, 2, 4, 0, 1, 2, 4});  // four rungs, then their second trials
  CHECK(run.usable());
  REQUIRE_FALSE(run.notes.empty());
  CHECK(contains(run.notes.back(), "the ladder stopped climbing after param=4"));
  CHECK(contains(run.notes.back(), "ladder_seconds = 2 s"));
  SUBCASE("0, or a declared ceiling, climbs to the ceiling; a custom list is walked whole") {
    b.config.param_ceiling = 64;
    ScriptedExecutor all([](const ChildArgs&) { return Act::ok; });
    settings.now = [&all] {
      return static_cast<std::int64_t>(all.requests.size()) * 1'000'000'000;
    };
    run_benchmarks(all, "./bench", "s", {b}, run_env(), {}, settings);
    CHECK(all.whiches().size() == 2 * 8);
    b.config.ladder_seconds = 0.5;
    b.config.param_schedule = ParamSchedule::custom({3, 5, 7});
    ScriptedExecutor listed([](const ChildArgs&) { return Act::ok; });
    settings.now = [&listed] {
      return static_cast<std::int64_t>(listed.requests.size()) * 1'000'000'000;
    };
    run_benchmarks(listed, "./bench", "s", {b}, run_env(), {}, settings);
    CHECK(listed.whiches() == U{3, 5, 7, 3, 5, 7});
  }
}

TEST_CASE("run: a benchmark without a declared complexity walks doubling and gets no verdict") {
  BenchmarkInfo b = parametric("f", 0, 8);
  b.complexity.clear();
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  const RunOutput out = run_benchmarks(ex, "./bench", "s", {b}, run_env());
  const auto& run = out.runs.at(0);
  CHECK(ex.whiches() == U{0, 1, 2, 4, 8});
  CHECK(ex.others.size() == 3);  // the spawn-floor probes only: no complexity question
  CHECK(run.schedule == ParamSchedule::Shape::doubling);
  CHECK(run.schedule_was_auto);
  CHECK_FALSE(run.verdict.has_value());
  CHECK(run.notes.empty());
  CHECK(run.usable());
  for (const auto& a : run.advisories) CHECK(a.kind != AdvisoryKind::too_few_verdict_rows);
}

TEST_CASE("run: with setup_phase every child gets --setup-fd, the setup cap and the batch cap") {
  BenchmarkInfo b = parametric("f", 0, 1);
  b.config.max_setup_seconds = 7.5;
  ScriptedExecutor ex([](const ChildArgs&) { return Act::ok; });
  RunSettings settings;
  settings.setup_phase = true;
  run_benchmarks(ex, "./bench", "s", {b, fixed("g", 1, false)}, run_env(), {}, settings);
  REQUIRE(ex.requests.size() == 3);
  for (const auto& r : ex.requests) {
    CHECK(parse_child_request(r.argv).setup_fd == kSetupFdInChild);
    REQUIRE(r.setup_term_after.has_value());
  }
  CHECK(*ex.requests[0].setup_term_after == std::chrono::milliseconds(7500));
  CHECK(ex.requests[0].term_after == std::chrono::milliseconds(1500));
  CHECK(*ex.requests[2].setup_term_after == std::chrono::seconds(60));  // the fixed default
  SUBCASE("without it (an older executable) the cap counts from the start, as before") {
    ScriptedExecutor old([](const ChildArgs&) { return Act::ok; });
    run_benchmarks(old, "./bench", "s", {b}, run_env());
    for (const auto& r : old.requests) {
      CHECK_FALSE(parse_child_request(r.argv).setup_fd.has_value());
      CHECK_FALSE(r.setup_term_after.has_value());
    }
  }
}

namespace {

// Another framework's adapter: argv "EXE foreign BENCH WHICH RESULT_FILE", an ok row per child.
class ForeignAdapter final : public Adapter {
 public:
  AdapterKind kind() const override { return AdapterKind::google_benchmark; }
  ListDocument list(Executor&, const std::string&) override { return {}; }
  void prepare_child(const std::string& exe, const ChildRequest& child,
                     const std::string& result_file, SpawnRequest& spawn) const override {
    spawn.argv = {exe, "foreign", child.bench, std::to_string(child.which), result_file};
  }
  Row parse_result(const RowRequest& request, const SpawnResult& outcome,
                   const std::string& result_file) const override {
    results.push_back(result_file);
    if (auto failed = classify_process(request, outcome)) return std::move(*failed);
    Row r;
    r.kind = request.kind;
    r.function = request.function;
    r.param = request.param;
    r.cache_mode = request.cache_mode;
    r.total_nanos = 1'000'000;
    r.inner_repeats = 10;
    r.per_call_nanos = 100'000;
    return r;
  }
  mutable std::vector<std::string> results;
};

class RecordingExecutor final : public Executor {
 public:
  SpawnResult run(const SpawnRequest& request) override {
    requests.push_back(request);
    SpawnResult o;
    o.started = o.exited = true;
    return o;
  }
  std::vector<SpawnRequest> requests;
};

}  // namespace

TEST_CASE("run: a foreign adapter builds every child and reads every row, with no probe spawned") {
  BenchmarkInfo info;
  info.name = "BM_x/*";
  info.kind = RowKind::parametric;
  info.config.param_schedule.shape = ParamSchedule::Shape::custom;
  info.config.param_schedule.custom_params = {8, 64};
  info.config.outer_trials = 2;
  ForeignAdapter adapter;
  RecordingExecutor ex;
  RunSettings settings;
  settings.adapter = &adapter;
  settings.scratch_dir = "scratch";
  const RunOutput out = run_benchmarks(ex, "./exe", "suite", {info}, Env{}, {}, settings);
  // No spawn floor probe and no complexity question: only the adapter's children.
  CHECK_FALSE(out.spawn_floor_nanos);
  REQUIRE(ex.requests.size() == 4);
  const std::vector<std::string> whiches{"8", "64", "8", "64"};  // trials round-robin
  for (std::size_t i = 0; i < ex.requests.size(); ++i) {
    const Argv& argv = ex.requests[i].argv;
    REQUIRE(argv.size() == 5);
    CHECK(argv[1] == "foreign");
    CHECK(argv[2] == "BM_x/*");
    CHECK(argv[3] == whiches[i]);
    CHECK(argv[4] == "scratch/batch." + std::to_string(i + 1));  // one result file each
  }
  CHECK(adapter.results.size() == 4);
  REQUIRE(out.runs.size() == 1);
  REQUIRE(out.runs[0].rows.size() == 4);
  for (const Row& r : out.runs[0].rows) {
    CHECK(r.status == RowStatus::ok);
    CHECK(r.per_call_nanos == 100'000.0);
    CHECK(r.suite == std::string("suite"));
  }
  CHECK(out.runs[0].usable());
}
