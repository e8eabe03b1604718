// Integration: A/B in one run. `benchgate-runner run EXE --baseline-exe EXE2 --baseline-out FILE`
// measures every batch in both executables, alternating which goes first, and writes EXE2's rows
// apart under EXE's suite; `benchgate-compare --confirm --baseline-exe EXE2` judges each
// confirmation rerun against EXE2's rows from that same rerun. Real runner, real fixtures.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace benchgate;
using namespace benchgate::testing;

namespace {

// instructions_bench and instructions_bench_more register the same benchmarks; the second does
// 51 passes where the first does 50, so their result hashes tell their rows apart.
const std::string kBase = BENCHGATE_INSTRUCTIONS_BENCH;
const std::string kMore = BENCHGATE_INSTRUCTIONS_BENCH_MORE;

// Small, quick batches; the signal floor is off so that short batches still count; no pairs
// beyond the outer trials.
const std::vector<std::string> kQuick{
    "--bench=instr.passes", "--param-list=256,512",        "--outer-trials=2",
    "--pair-seconds=0",     "--signal-floor-multiplier=1", "--quiet"};

SpawnResult runner(std::vector<std::string> args) {
  args.insert(args.begin(), {BENCHGATE_RUNNER, "run"});
  return run_tool(std::move(args), std::chrono::seconds(300));
}

SpawnResult compare(std::vector<std::string> args) {
  args.insert(args.begin(), BENCHGATE_COMPARE);
  return run_tool(std::move(args), std::chrono::seconds(300));
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A shell script that logs each measured child ("TAG --bench NAME --param N" or
// "TAG --bench NAME --fixed --repeat-index N") to `log`, then becomes `real` with the same
// arguments (the result descriptor is inherited through exec).
fs::path logging_wrapper(const fs::path& dir, const std::string& tag, const std::string& real,
                         const fs::path& log) {
  const fs::path script = dir / (tag + ".sh");
  write_text(script,
             "#!/bin/sh\n"
             "case \"$1\" in --benchgate-child) printf '%s %s %s %s %s %s\\n' " +
                 tag + " \"$2\" \"$3\" \"$4\" \"$5\" \"$6\" >> '" + log.string() +
                 "' ;; esac\n"
                 "exec '" +
                 real + "' \"$@\"\n");
  fs::permissions(script, fs::perms::owner_all, fs::perm_options::add);
  return script;
}

// A shell script that becomes `real`, except that its measured child at param 512 exits 3
// without a row.
fs::path failing_at_512(const fs::path& dir, const std::string& name, const std::string& real) {
  const fs::path script = dir / name;
  write_text(script,
             "#!/bin/sh\n"
             "case \"$*\" in *--benchgate-child*\"--param 512 \"*) exit 3 ;; esac\n"
             "exec '" +
                 real + "' \"$@\"\n");
  fs::permissions(script, fs::perms::owner_all, fs::perm_options::add);
  return script;
}

std::vector<std::string> lines_of(const fs::path& file) {
  std::vector<std::string> out;
  std::istringstream in(read_text(file));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

using Hashes = std::map<std::uint64_t, std::uint64_t>;  // param -> result_hash of its ok rows

Hashes hashes_by_param(const std::vector<Row>& rows) {
  Hashes out;
  for (const Row& r : rows) {
    REQUIRE(r.status == RowStatus::ok);
    REQUIRE(r.param);
    REQUIRE(r.result_hash);
    const auto [it, inserted] = out.emplace(*r.param, *r.result_hash);
    CHECK(it->second == *r.result_hash);  // deterministic work: every trial hashes alike
    (void)inserted;
  }
  return out;
}

}  // namespace

TEST_CASE(
    "ab run: every batch is measured in both executables and each one's rows go to its file") {
  const auto dir = scratch_dir("ab-rows");
  const auto cur = dir / "cur.jsonl";
  const auto base = dir / "base.jsonl";
  const auto r = runner(
      with({kMore, "--out", cur.string(), "--baseline-exe", kBase, "--baseline-out", base.string()},
           kQuick));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "  A/B with --baseline-exe: 4 paired batches, 4 ok"));
  CHECK(has(r.stdout_tail, "rows written to " + cur.string()));
  CHECK(has(r.stdout_tail, "--baseline-exe rows written to " + base.string()));
  REQUIRE(fs::exists(cur));
  REQUIRE(fs::exists(base));
  const auto cur_rows = read_rows(cur.string());
  const auto base_rows = read_rows(base.string());
  REQUIRE(cur_rows.size() == 4);  // 2 params x 2 trials
  REQUIRE(base_rows.size() == cur_rows.size());

  // One EXE2 row per EXE row, in the same order and for the same batch, under EXE's suite.
  const std::string suite = fs::path(kMore).filename().string();
  for (std::size_t i = 0; i < cur_rows.size(); ++i) {
    const Row& c = cur_rows[i];
    const Row& b = base_rows[i];
    CAPTURE(i);
    CHECK(b.kind == c.kind);
    CHECK(b.function == "instr.passes");
    CHECK(b.function == c.function);
    CHECK(b.param == c.param);
    CHECK(b.trial_index == c.trial_index);
    CHECK(b.cache_mode == c.cache_mode);
    CHECK(b.part_of_verdict == c.part_of_verdict);
    CHECK(c.suite == suite);
    CHECK(b.suite == suite);
    CHECK(b.status == RowStatus::ok);
    // The child fills in its own executable's name: each file holds its own executable's rows.
    REQUIRE(c.env);
    REQUIRE(b.env);
    CHECK(c.env->exe_name == suite);
    CHECK(b.env->exe_name == fs::path(kBase).filename().string());
  }

  // And they computed what each executable computes alone: EXE2's hashes are its own.
  const auto alone = dir / "alone.jsonl";
  const auto solo = runner(with({kBase, "--out", alone.string()}, kQuick));
  INFO(solo.stdout_tail << solo.stderr_tail);
  REQUIRE(solo.exit_code == 0);
  const Hashes base_hashes = hashes_by_param(base_rows);
  const Hashes cur_hashes = hashes_by_param(cur_rows);
  CHECK(base_hashes == hashes_by_param(read_rows(alone.string())));
  REQUIRE(base_hashes.size() == 2);
  for (const auto& [param, hash] : base_hashes) {
    CAPTURE(param);
    CHECK(cur_hashes.at(param) != hash);  // 51 passes, not 50
  }
}

TEST_CASE("ab run: the executables alternate, the baseline one first in the first pair") {
  const auto dir = scratch_dir("ab-order");
  const auto log = dir / "children.log";
  // A is EXE, B is --baseline-exe; both are the same fixture behind a logging script.
  const auto a = logging_wrapper(dir, "A", kBase, log);
  const auto b = logging_wrapper(dir, "B", kBase, log);
  const auto cur = dir / "cur.jsonl";
  const auto base = dir / "base.jsonl";
  // A parametric benchmark (2 params x 2 trials) and a fixed one (a warm-up and 3 repeats).
  const auto r = runner({a.string(),
                         "--out",
                         cur.string(),
                         "--baseline-exe",
                         b.string(),
                         "--baseline-out",
                         base.string(),
                         "--bench",
                         "instr.passes",
                         "--bench",
                         "instr.fixed",
                         "--param-list",
                         "256,512",
                         "--outer-trials",
                         "2",
                         "--pair-seconds",
                         "0",
                         "--signal-floor-multiplier",
                         "1",
                         "--repeats",
                         "3",
                         "--warmup",
                         "on",
                         "--min-total-seconds",
                         "0",
                         "--quiet"});
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  const auto children = lines_of(log);
  INFO(read_text(log));
  REQUIRE(children.size() == 2 * (4 + 1 + 3));

  // Pairs are consecutive children running the same batch, one in each executable.
  std::vector<std::string> first_of_pair;  // "A" or "B"
  std::vector<std::string> benchmark_of_pair;
  for (std::size_t i = 0; i + 1 < children.size(); i += 2) {
    CAPTURE(i);
    const auto one = words(children[i]);
    const auto two = words(children[i + 1]);
    REQUIRE(one.size() == 6);
    REQUIRE(two.size() == 6);
    CHECK(one[0] != two[0]);                                         // one child in each executable
    CHECK(std::equal(one.begin() + 1, one.end(), two.begin() + 1));  // the same batch
    CHECK(one[1] == "--bench");
    first_of_pair.push_back(one[0]);
    benchmark_of_pair.push_back(one[2] + one[3] + (one[3] == "--param" ? one[4] : ""));
  }
  REQUIRE(first_of_pair.size() == 8);
  CHECK(first_of_pair.front() == "B");
  // The executable that goes first alternates from trial to trial of each param (pairs share a
  // call count), and from pair to pair of a fixed benchmark.
  std::map<std::string, std::vector<std::string>> first_by_batch;
  for (std::size_t p = 0; p < first_of_pair.size(); ++p) {
    first_by_batch[benchmark_of_pair[p]].push_back(first_of_pair[p]);
  }
  using Order = std::vector<std::string>;
  CHECK(first_by_batch.at("instr.passes--param256") == Order{"B", "A"});
  CHECK(first_by_batch.at("instr.passes--param512") == Order{"B", "A"});
  CHECK(first_by_batch.at("instr.fixed--fixed") == Order{"B", "A", "B", "A"});
  // The fixed warm-up ran in both but is kept in neither file: 4 + 3 rows on each side.
  const auto cur_rows = read_rows(cur.string());
  const auto base_rows = read_rows(base.string());
  REQUIRE(cur_rows.size() == 7);
  REQUIRE(base_rows.size() == 7);
  for (std::size_t i = 0; i < cur_rows.size(); ++i) {
    CAPTURE(i);
    CHECK(base_rows[i].function == cur_rows[i].function);
    CHECK(base_rows[i].param == cur_rows[i].param);
    CHECK(base_rows[i].repeat_index == cur_rows[i].repeat_index);
    CHECK(base_rows[i].trial_index == cur_rows[i].trial_index);
  }
  CHECK(has(r.stdout_tail, "  A/B with --baseline-exe: 3 paired batches, 3 ok"));
}

TEST_CASE("ab run: a batch that fails in one executable is its row there, the ladder is EXE's") {
  const auto dir = scratch_dir("ab-failing");
  const auto failing = failing_at_512(dir, "failing.sh", kBase);
  // A doubling ladder of three rungs: 256, 512, 1024.
  const std::vector<std::string> ladder{"--bench=instr.passes",
                                        "--param-schedule=doubling",
                                        "--param-floor=256",
                                        "--param-ceiling=1024",
                                        "--signal-floor-multiplier=1",
                                        "--pair-seconds=0",
                                        "--quiet"};
  auto params = [](const std::vector<Row>& rows) {
    std::vector<std::uint64_t> out;
    for (const Row& r : rows) out.push_back(r.param.value_or(0));
    return out;
  };
  const std::vector<std::uint64_t> all{256, 512, 1024};
  const std::vector<std::uint64_t> until_512{256, 512};

  SUBCASE("the baseline executable fails at 512: EXE goes on to 1024, both files do") {
    const auto cur = dir / "cur.jsonl";
    const auto base = dir / "base.jsonl";
    const auto r = runner(with({kBase, "--out", cur.string(), "--baseline-exe", failing.string(),
                                "--baseline-out", base.string()},
                               ladder));
    INFO(r.stdout_tail << r.stderr_tail);
    CHECK(r.exit_code == 0);  // EXE's data is whole
    CHECK(has(r.stdout_tail, "A/B with --baseline-exe: 3 paired batches, 2 ok"));
    const auto cur_rows = read_rows(cur.string());
    const auto base_rows = read_rows(base.string());
    CHECK(params(cur_rows) == all);
    REQUIRE(params(base_rows) == all);
    for (const Row& row : cur_rows) CHECK(row.status == RowStatus::ok);
    CHECK(base_rows[0].status == RowStatus::ok);
    CHECK(base_rows[1].status != RowStatus::ok);
    CHECK(base_rows[1].error);
    CHECK(base_rows[2].status == RowStatus::ok);
  }
  SUBCASE("EXE fails at 512: its ladder ends there, and so does the baseline's") {
    const auto cur = dir / "cur2.jsonl";
    const auto base = dir / "base2.jsonl";
    const auto r = runner(with({failing.string(), "--out", cur.string(), "--baseline-exe", kBase,
                                "--baseline-out", base.string()},
                               ladder));
    INFO(r.stdout_tail << r.stderr_tail);
    const auto cur_rows = read_rows(cur.string());
    const auto base_rows = read_rows(base.string());
    REQUIRE(params(cur_rows) == until_512);
    CHECK(params(base_rows) == until_512);
    CHECK(cur_rows[1].status != RowStatus::ok);
    for (const Row& row : base_rows) CHECK(row.status == RowStatus::ok);
  }
}

TEST_CASE("ab run: a benchmark the baseline executable does not register is measured alone") {
  const auto dir = scratch_dir("ab-unregistered");
  const auto cur = dir / "cur.jsonl";
  const auto base = dir / "base.jsonl";
  const auto r = runner(with({kBase, "--out", cur.string(), "--baseline-exe",
                              BENCHGATE_ENGINE_BENCH, "--baseline-out", base.string()},
                             kQuick));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.stderr_tail, "instr.passes: not registered by --baseline-exe"));
  CHECK(has(r.stdout_tail, "A/B: not registered by --baseline-exe; measured alone"));
  CHECK(read_rows(cur.string()).size() == 4);
  if (fs::exists(base)) CHECK(read_rows(base.string()).empty());
}

TEST_CASE("ab run: a missing baseline executable measures EXE alone and removes --baseline-out") {
  const auto dir = scratch_dir("ab-missing");
  const auto cur = dir / "cur.jsonl";
  const auto base = dir / "base.jsonl";
  const auto missing = dir / "not-built-at-the-merge-base";
  write_text(base, "stale rows of an earlier run\n");
  const auto r = runner(with({kBase, "--out", cur.string(), "--baseline-exe", missing.string(),
                              "--baseline-out", base.string()},
                             kQuick));
  INFO(r.stdout_tail << r.stderr_tail);
  CHECK(r.exit_code == 0);
  CHECK(has(r.stderr_tail, missing.string()));
  CHECK(has(r.stderr_tail, "does not exist: measuring"));
  CHECK(has(r.stderr_tail, "alone"));
  CHECK_FALSE(fs::exists(base));
  REQUIRE(fs::exists(cur));
  const auto rows = read_rows(cur.string());
  CHECK(rows.size() == 4);
  for (const Row& row : rows) CHECK(row.status == RowStatus::ok);
}

TEST_CASE("ab run: a baseline executable named without a slash is found on PATH, as EXE is") {
  const auto dir = scratch_dir("ab-path");
  const auto cur = dir / "cur.jsonl";
  const auto base = dir / "base.jsonl";
  const fs::path exe(kBase);
  const std::string path = "PATH=" + exe.parent_path().string() + ":/usr/bin:/bin";
  auto args = with(
      {"/usr/bin/env", path, BENCHGATE_RUNNER, "run", exe.filename().string(), "--out",
       cur.string(), "--baseline-exe", exe.filename().string(), "--baseline-out", base.string()},
      kQuick);
  const auto r = run_tool(std::move(args), std::chrono::seconds(300));
  INFO(r.stdout_tail << r.stderr_tail);
  CHECK(r.exit_code == 0);
  CHECK_FALSE(has(r.stderr_tail, "does not exist"));
  REQUIRE(fs::exists(base));
  CHECK(read_rows(base.string()).size() == read_rows(cur.string()).size());
}

TEST_CASE(
    "ab run: --baseline-exe and --baseline-out need each other and another file, else exit 2") {
  const auto dir = scratch_dir("ab-usage");
  const auto cur = dir / "cur.jsonl";
  const auto base = dir / "base.jsonl";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--baseline-exe", kBase}, "--baseline-exe needs --baseline-out"},
      {{"--baseline-out", base.string()}, "--baseline-out needs --baseline-exe"},
      {{"--baseline-exe", kBase, "--baseline-out", cur.string()}, "is the --out file"},
      // The same file however it is spelt.
      {{"--baseline-exe", kBase, "--baseline-out", (dir / "." / "cur.jsonl").string()},
       "is the --out file"},
      // ... and through a symbolic link to its directory.
      {{"--baseline-exe", kBase, "--baseline-out", (dir / "link" / "cur.jsonl").string()},
       "is the --out file"},
  };
  fs::create_directory_symlink(dir, dir / "link");
  for (const auto& c : cases) {
    std::string flags;
    for (const auto& a : c.args) flags += a + " ";
    CAPTURE(flags);
    const auto r = runner(with(with({kBase, "--out", cur.string()}, c.args), kQuick));
    INFO(r.stdout_tail << r.stderr_tail);
    CHECK(r.exit_code == 2);
    CHECK(has(r.stderr_tail, c.message));
    CHECK(has(r.stderr_tail, "--baseline-out"));
    CHECK_FALSE(fs::exists(cur));  // nothing was measured
    CHECK_FALSE(fs::exists(base));
  }
}

TEST_CASE("ab compare: another look with --baseline-exe is decided from the pairs it measured") {
  const auto dir = scratch_dir("ab-confirm");
  // Five trials of batches of a few milliseconds, one param.
  const std::vector<std::string> measure{
      "--outer-trials", "5", "--target-inner-nanos", "8000000", "--signal-floor-multiplier", "1",
      "--pair-seconds", "0"};
  const auto cur = dir / "cur.jsonl";
  const auto r = runner(with(
      {kBase, "--out", cur.string(), "--bench", "instr.passes", "--param-list", "512", "--quiet"},
      measure));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  auto rows = read_rows(cur.string());
  REQUIRE(rows.size() == 5);

  // A committed baseline four times faster than this machine ran it, recorded an hour earlier
  // (another run: no pairs). 5 vs 5 samples cannot reach the interval's level (alpha 0.01 over
  // two looks), so the first look is inconclusive and a second one measures more.
  std::string fast;
  for (Row row : rows) {
    REQUIRE(row.status == RowStatus::ok);
    REQUIRE(row.env);
    *row.env->timestamp_unix_ms -= 3'600'000;
    row.total_nanos /= 4;
    if (row.per_call_nanos) *row.per_call_nanos /= 4;
    if (row.cpu_nanos) *row.cpu_nanos /= 4;
    fast += write_row(row) + "\n";
  }
  const auto base = dir / "base.jsonl";
  write_text(base, fast);

  std::vector<std::string> rerun{"--confirm", "1", "--runner", BENCHGATE_RUNNER, "--exe", kBase};
  for (const auto& a : measure) rerun.push_back("--runner-arg=" + a);
  // Generous thresholds: +300% is far beyond them, an A/A comparison never near them.
  const std::vector<std::string> first{base.string(), cur.string(),      "--time-threshold",
                                       "50%",         "--rss-threshold", "50%"};

  // Without --baseline-exe the second look measures the current build again: 5 vs 10 samples,
  // about +300%: regressed.
  const auto against_file = compare(with(first, rerun));
  {
    INFO(against_file.stdout_tail << against_file.stderr_tail);
    CHECK(against_file.exit_code == 1);
    CHECK(has(against_file.stdout_tail, "REGRESSED"));
    CHECK(has(against_file.stdout_tail, "5 vs 10 samples, 2 looks: above 50.0%"));
    CHECK(has(against_file.stderr_tail, "measuring instr.passes (1 key(s)) again"));
  }

  // With --baseline-exe (the same executable) the second look measures both builds, batch for
  // batch: its 5 A/A pairs decide, and 5 pairs are too few to call anything. The gate passes.
  const auto paired = compare(with(with(first, rerun), {"--baseline-exe", kBase}));
  {
    INFO(paired.stdout_tail << paired.stderr_tail);
    CHECK(paired.exit_code == 0);
    CHECK(has(paired.stdout_tail, "5 pairs, 2 looks"));
    CHECK_FALSE(has(paired.stdout_tail, "REGRESSED"));
  }
  // The rerun's scratch files are gone.
  for (const auto& entry : fs::directory_iterator(dir)) {
    CAPTURE(entry.path());
    CHECK(entry.path().filename().string().find("confirm") == std::string::npos);
  }
}

TEST_CASE(
    "ab compare: a missing baseline with --baseline-exe exits 77 saying nothing was measured") {
  const auto dir = scratch_dir("ab-nobase");
  const auto cur = dir / "cur.jsonl";
  const auto r = runner(with({kBase, "--out", cur.string()}, kQuick));
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  const auto missing = dir / "cur.baseline.jsonl";
  const auto c = compare({missing.string(), cur.string(), "--baseline-exe", kMore});
  INFO(c.stdout_tail << c.stderr_tail);
  CHECK(c.exit_code == 77);
  CHECK(has(c.stderr_tail, "no baseline rows at"));
  CHECK(has(c.stderr_tail, missing.string()));
  CHECK(has(c.stderr_tail, "the run measured nothing of " + kMore));
  // Without --baseline-exe, the usual message about writing a first baseline.
  const auto plain = compare({missing.string(), cur.string()});
  CHECK(plain.exit_code == 77);
  CHECK(has(plain.stderr_tail, "no baseline yet"));
}

TEST_CASE("ab run: after a param's first pair both executables run the same call count") {
  const auto dir = scratch_dir("ab-shared-count");
  const auto cur = dir / "cur.jsonl";
  const auto base = dir / "base.jsonl";
  // Three trials a param, and pairs go on for a second in whole rounds (the default is 5 s).
  const auto started = std::chrono::steady_clock::now();
  const auto r = runner({kMore, "--out", cur.string(), "--baseline-exe", kBase, "--baseline-out",
                         base.string(), "--bench=instr.passes", "--param-list=256,512",
                         "--outer-trials=3", "--pair-seconds=1", "--quiet"});
  INFO(r.stdout_tail << r.stderr_tail);
  REQUIRE(r.exit_code == 0);
  const auto cur_rows = read_rows(cur.string());
  const auto base_rows = read_rows(base.string());
  REQUIRE(base_rows.size() == cur_rows.size());
  // Rounds go on until the benchmark ran a second. How many rounds that is depends on the
  // machine (a loaded CI machine spends it on the three trials), so the test asserts the time
  // and whole rounds; the unit tests count rounds against a fake clock.
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::seconds(1));
  CHECK(cur_rows.size() >= 6);
  CHECK(cur_rows.size() % 2 == 0);                          // whole rounds
  std::map<std::uint64_t, std::set<std::uint64_t>> counts;  // param -> counts after trial 0
  for (std::size_t i = 0; i < cur_rows.size(); ++i) {
    CAPTURE(i);
    const Row& c = cur_rows[i];
    const Row& b = base_rows[i];
    REQUIRE(c.status == RowStatus::ok);
    REQUIRE(b.status == RowStatus::ok);
    // Short batches are kept: no signal floor for shared-count pairs.
    CHECK(c.below_signal_floor != std::optional<bool>(true));
    // The first pair: one child autotunes and the other runs its count; later pairs run the
    // count derived from that pair.
    CHECK(c.inner_repeats == b.inner_repeats);
    if (*c.trial_index > 0) counts[*c.param].insert(*c.inner_repeats);
  }
  // One count per param for every later pair.
  REQUIRE(counts.size() == 2);
  for (const auto& [param, seen] : counts) {
    CAPTURE(param);
    CHECK(seen.size() == 1);
  }
}
