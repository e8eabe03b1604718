// Integration: the memory metrics of issue 4 measured on real children. Peak RSS is per batch
// (setup excluded by the high-water reset), allocations are counted exactly for every form of
// operator new and from every thread, counting switched off gives null (n/a, never gated), and a
// runner holding a large allocation does not leak into its children's numbers.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"

using namespace benchgate;
using namespace benchgate::testing;

namespace {

// Under ASan a child's resident set is shadow memory and quarantined frees: no RSS magnitudes.
constexpr bool kRssMeaningful = !BENCHGATE_UNDER_ASAN;

// Linux keeps a process's RSS in per-CPU counters and records the high-water mark from their
// approximate sum: each reading may be off by up to max(32, 2 x CPUs) pages per CPU. A peak
// compared with another peak spans two such readings (see docs/schema.md).
std::uint64_t rss_counter_error_kb() {
  const long cpus = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
  const long page_kb = ::sysconf(_SC_PAGESIZE) / 1024;
  return static_cast<std::uint64_t>(2 * std::max(32L, 2 * cpus) * cpus * page_kb);
}

struct Child {
  SpawnResult process;
  Row row;
};

// One batch of `bench` at param 1, spawned the way the runner spawns it (result on fd 3). A warm
// batch aims at 10 ms: long enough for many calls even under ASan, whose first call can take
// over a millisecond.
Child run_child(const std::string& exe, const std::string& bench, const char* mode = "cold") {
  ChildRequest child;
  child.bench = bench;
  child.which = 1;
  child.cache_mode = *parse_cache_mode(mode);
  child.target_nanos = 20'000'000;
  child.result_fd = kResultFdInChild;
  SpawnRequest req;
  req.argv = to_argv(exe, child);
  req.term_after = std::chrono::seconds(30);
  req.kill_after = std::chrono::seconds(31);
  Child c;
  c.process = PosixExecutor(process_guard()).run(req);
  REQUIRE(c.process.started);
  REQUIRE_MESSAGE(c.process.exit_code == 0, c.process.stderr_tail);
  auto parsed = parse_row(c.process.result);
  REQUIRE(std::holds_alternative<Row>(parsed));
  c.row = std::get<Row>(std::move(parsed));
  REQUIRE(c.row.status == RowStatus::ok);
  return c;
}

std::uint64_t peak(const Child& c) {
  REQUIRE(c.row.peak_rss_kb);
  return *c.row.peak_rss_kb;
}

std::uint64_t median_of(std::vector<std::uint64_t> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

TEST_CASE(
    "memory: 64 MiB touched in the timed batch shows in peak_rss_kb, 64 MiB in setup does not" *
    doctest::skip(!kRssMeaningful)) {
  const Child base = run_child(BENCHGATE_MEMORY_BENCH, "mem.baseline");
  const Child in_batch = run_child(BENCHGATE_MEMORY_BENCH, "mem.touch_64mib_in_batch");
  const Child in_setup = run_child(BENCHGATE_MEMORY_BENCH, "mem.touch_64mib_in_setup");
  // This machine lets a process reset its own high-water mark; the fixture relies on it.
  REQUIRE(base.row.peak_rss_includes_setup == false);
  REQUIRE(in_setup.row.peak_rss_includes_setup == false);
  const std::uint64_t error = rss_counter_error_kb();
  INFO("baseline " << peak(base) << " kB, in batch " << peak(in_batch) << " kB, in setup "
                   << peak(in_setup) << " kB, kernel counter error " << error << " kB");
  CHECK(peak(in_batch) + error >= peak(base) + 64 * 1024);
  // Without the reset the setup's 64 MiB would be in the peak.
  CHECK(peak(in_setup) < peak(base) + error);
  // The baseline is the resident set the batch started from: the batch's own growth is the rest.
  REQUIRE(in_batch.row.rss_baseline_kb);
  CHECK(*in_batch.row.rss_baseline_kb + 64 * 1024 < peak(in_batch) + error);
  // The parent's cross-check sees the whole process's peak (the child's own, above ours).
  REQUIRE(in_batch.row.child_maxrss_kb == std::nullopt);  // rows from the child never carry it
  REQUIRE(in_batch.process.child_maxrss_kb);
  CHECK(*in_batch.process.child_maxrss_kb >= 64 * 1024);
}

TEST_CASE("memory: alloc_bytes and alloc_count are exact for every form of operator new") {
  // Cold: one call. Eight allocations, 508 bytes: plain, array, aligned, aligned array and
  // the nothrow form of each.
  const Child cold = run_child(BENCHGATE_MEMORY_BENCH, "mem.known_allocations");
  CHECK(cold.row.inner_repeats == std::uint64_t{1});
  CHECK(cold.row.alloc_count == std::uint64_t{8});
  CHECK(cold.row.alloc_bytes == std::uint64_t{508});
  // Warm: the final batch of many calls, still exact (nothing of the harness is counted).
  const Child warm = run_child(BENCHGATE_MEMORY_BENCH, "mem.known_allocations", "warm");
  REQUIRE(warm.row.inner_repeats);
  CHECK(*warm.row.inner_repeats > 1);
  CHECK(warm.row.alloc_count == 8 * *warm.row.inner_repeats);
  CHECK(warm.row.alloc_bytes == 508 * *warm.row.inner_repeats);
  // A batch that allocates nothing measures 0, which is not null.
  const Child none = run_child(BENCHGATE_MEMORY_BENCH, "mem.baseline", "warm");
  CHECK(none.row.alloc_count == std::uint64_t{0});
  CHECK(none.row.alloc_bytes == std::uint64_t{0});
}

TEST_CASE("memory: allocations from other threads are counted, none lost") {
  const Child c = run_child(BENCHGATE_MEMORY_BENCH, "mem.threads");
  REQUIRE(c.row.alloc_count);
  // 4 x 1000 new int, plus what std::thread allocates for its own state (one object each).
  CHECK(*c.row.alloc_count >= 4000);
  CHECK(*c.row.alloc_count <= 4000 + 4 * 4);
  REQUIRE(c.row.alloc_bytes);
  CHECK(*c.row.alloc_bytes >= 4000 * sizeof(int));
}

TEST_CASE(
    "memory: with counting switched off, rows carry null, the report says n/a, the gate passes") {
  const Child c = run_child(BENCHGATE_MEMORY_BENCH_UNCOUNTED, "mem.known_allocations");
  CHECK(c.row.alloc_count == std::nullopt);
  CHECK(c.row.alloc_bytes == std::nullopt);
  CHECK(c.row.peak_rss_kb.has_value());  // RSS does not depend on the counter

  const auto dir = scratch_dir("memory-uncounted");
  const auto counted = dir / "counted.jsonl";
  const auto uncounted = dir / "uncounted.jsonl";
  for (const auto& [exe, out] : {std::pair{BENCHGATE_MEMORY_BENCH, counted},
                                 std::pair{BENCHGATE_MEMORY_BENCH_UNCOUNTED, uncounted}}) {
    const auto run = run_tool(
        {BENCHGATE_RUNNER, "run", exe, "--bench", "mem.known_allocations", "--out", out.string()});
    REQUIRE_MESSAGE(run.exit_code == 0, run.stderr_tail);
    if (out == uncounted) {
      INFO(run.stdout_tail);
      CHECK(has(run.stdout_tail, "alloc: n/a"));
    } else {
      INFO(run.stdout_tail);
      CHECK(has(run.stdout_tail, "alloc: 508 B in 8 allocation(s) per call"));
    }
  }
  for (const auto& row : read_rows(uncounted.string())) {
    CHECK(row.alloc_bytes == std::nullopt);
    CHECK(row.alloc_count == std::nullopt);
  }
  // Even the strictest allocation gate cannot fail on null, on either side. (A copy: comparing
  // a file with itself is refused as a misconfiguration.)
  const auto uncounted_copy = dir / "uncounted-copy.jsonl";
  std::filesystem::copy_file(uncounted, uncounted_copy);
  // The two executables' keys differ in suite, so nothing is in both: the gate is skipped (77,
  // "nothing gated"), never failed; the same rows on both sides pass.
  for (const auto& [base, cur] : {std::pair{counted, uncounted}, std::pair{uncounted, counted},
                                  std::pair{uncounted, uncounted_copy}}) {
    const auto cmp = run_tool({BENCHGATE_COMPARE, base.string(), cur.string(), "--alloc-threshold",
                               "0%", "--time-threshold", "1000%"});
    INFO(cmp.stdout_tail << cmp.stderr_tail);
    CHECK(cmp.exit_code == (cur == uncounted_copy ? 0 : 77));
    CHECK(has(cmp.stdout_tail, "alloc n/a"));
  }
  // ...while a real allocation growth does fail it: the counted rows against a doubled copy.
  auto rows = read_rows(counted.string());
  for (auto& r : rows) *r.alloc_bytes *= 2;
  const auto doubled = dir / "doubled.jsonl";
  std::string text;
  for (const auto& r : rows) text += write_row(r) + "\n";
  write_file_atomically(doubled.string(), text);
  const auto cmp = run_tool({BENCHGATE_COMPARE, counted.string(), doubled.string(),
                             "--alloc-threshold", "10%", "--time-threshold", "1000%"});
  INFO(cmp.stdout_tail << cmp.stderr_tail);
  CHECK(cmp.exit_code == 1);
}

TEST_CASE("memory: a runner holding 400 MB does not change a small child's peak_rss_kb" *
          doctest::skip(!kRssMeaningful)) {
  constexpr std::size_t kHold = std::size_t{400} << 20;
  std::vector<std::uint64_t> free_peaks, holding_peaks;
  // Interleaved, so that drift in the machine cannot pass for an effect; medians of nine, because
  // one reading of a small child's peak varies by about 2% with the kernel's counters.
  for (int round = 0; round < 9; ++round) {
    free_peaks.push_back(peak(run_child(BENCHGATE_MEMORY_BENCH, "mem.baseline")));
    void* hold = ::mmap(nullptr, kHold, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(hold != MAP_FAILED);
    std::memset(hold, 1, kHold);  // resident, not just reserved
    const Child held = run_child(BENCHGATE_MEMORY_BENCH, "mem.baseline");
    // We really held it across the spawn...
    REQUIRE(held.process.inherited_rss_bound_kb);
    CHECK(*held.process.inherited_rss_bound_kb >= kHold / 1024);
    // ...and the parent's cross-check did not pass our 400 MB off as the child's peak.
    if (held.process.child_maxrss_kb) CHECK(*held.process.child_maxrss_kb < 100 * 1024);
    holding_peaks.push_back(peak(held));
    ::munmap(hold, kHold);
  }
  const double a = static_cast<double>(median_of(free_peaks));
  const double b = static_cast<double>(median_of(holding_peaks));
  // The effect this guards against is the runner's 400 MB (409,600 kB) passed off as the child's;
  // the medians may still differ by the kernel's counter error (rss_counter_error_kb(), e.g.
  // 512 kB on this 2-CPU machine): 1% (37 kB) was exceeded once by 60 kB on a loaded machine.
  const double error = static_cast<double>(rss_counter_error_kb());
  INFO("median peak_rss_kb: runner small " << a << " kB, runner holding 400 MB " << b
                                           << " kB, kernel counter error " << error << " kB");
  CHECK(std::abs(b - a) <= std::max(0.01 * a, error));
}
