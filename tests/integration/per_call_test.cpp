// Integration: untimed per-call setup, manual timing and teardown (issue 20) in real children of
// tests/fixtures/per_call_bench.cpp, spawned the way the runner spawns them.
#include <doctest/doctest.h>
#include <signal.h>

#include <filesystem>
#include <string>
#include <vector>

#include "benchgate/core/protocol.hpp"
#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"

using namespace benchgate;
using namespace benchgate::testing;

namespace {

struct PerCallChild {
  SpawnResult process;
  std::optional<Row> row;
};

// One warm batch of `bench` at param 1 aiming at 2 ms (or a fixed one), with `env` added.
PerCallChild run_per_call(const std::string& bench, RowKind kind, std::vector<std::string> env = {},
                          std::chrono::milliseconds term_after = std::chrono::seconds(60)) {
  ChildRequest child;
  child.bench = bench;
  child.kind = kind;
  child.which = kind == RowKind::parametric ? 1 : 0;
  child.cache_mode = CacheMode::warm;
  child.target_nanos = 2'000'000;
  child.result_fd = kResultFdInChild;
  SpawnRequest req;
  req.argv = to_argv(BENCHGATE_PER_CALL_BENCH, child);
  req.env = std::move(env);
  req.term_after = term_after;
  req.kill_after = term_after + std::chrono::seconds(20);
  PerCallChild c;
  c.process = PosixExecutor(process_guard()).run(req);
  REQUIRE(c.process.started);
  if (c.process.exited && c.process.exit_code == 0) {
    auto parsed = parse_row(c.process.result);
    REQUIRE(std::holds_alternative<Row>(parsed));
    c.row = std::get<Row>(std::move(parsed));
  }
  return c;
}

Row per_call_ok_row(const PerCallChild& c) {
  REQUIRE_MESSAGE(c.row.has_value(), c.process.stderr_tail);
  REQUIRE(c.row->status == RowStatus::ok);
  return *c.row;
}

}  // namespace

TEST_CASE("per-call setup: a per-call input that sleeps 2 ms does not move the measured time") {
  const Row row = per_call_ok_row(run_per_call("percall.sleepy_setup", RowKind::parametric));
  REQUIRE(row.per_call_setup == std::optional<bool>(true));
  REQUIRE(row.per_call_nanos);
  REQUIRE(row.inner_repeats);
  CHECK(*row.inner_repeats >= 2);
  // The call itself spins about 0.2 ms; the 2 ms of each input's setup must not show.
  CHECK(*row.per_call_nanos < 500'000.0);
  CHECK(*row.per_call_nanos > 100'000.0);
  CHECK_FALSE(row.manual_time);
}

TEST_CASE("per-call setup: an input copied untimed and consumed by value counts no allocation") {
  const Row row = per_call_ok_row(run_per_call("percall.copy_sum", RowKind::parametric));
  CHECK(row.per_call_setup == std::optional<bool>(true));
  REQUIRE(row.alloc_count);
  CHECK(*row.alloc_count == 0);
  CHECK(row.alloc_bytes == std::optional<std::uint64_t>(0));
  CHECK(row.result_hash);
}

TEST_CASE("manual timing: the row's time is what the function reported, CPU time is measured") {
  const Row row = per_call_ok_row(run_per_call("percall.manual", RowKind::parametric));
  CHECK(row.manual_time == std::optional<bool>(true));
  CHECK_FALSE(row.per_call_setup);
  REQUIRE(row.per_call_nanos);
  CHECK(*row.per_call_nanos > 500'000.0);
  CHECK(*row.per_call_nanos < 2'000'000.0);
  CHECK(row.cpu_nanos);
}

TEST_CASE("teardown: runs after the batch and removes the setup's temporary file") {
  const auto dir = scratch_dir("teardown_after_batch");
  const auto file = dir / "resource";
  const Row row = per_call_ok_row(run_per_call("percall.teardown", RowKind::fixed,
                                               {"BENCHGATE_TEST_TEARDOWN_FILE=" + file.string()}));
  // The batch saw the file (its measured function throws otherwise) and the teardown removed it.
  CHECK(row.result_hash);
  CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("teardown: the runner's SIGTERM at the cap runs it before the child dies") {
  const auto dir = scratch_dir("teardown_at_cap");
  const auto file = dir / "resource";
  const auto c = run_per_call("percall.teardown_hangs", RowKind::fixed,
                              {"BENCHGATE_TEST_TEARDOWN_FILE=" + file.string()},
                              std::chrono::milliseconds(1500));
  CHECK(has(c.process.stderr_tail, "batch started"));  // the file existed in the batch
  CHECK(c.process.killed_at_cap);
  CHECK_FALSE(c.process.exited);
  CHECK(c.process.term_signal == SIGTERM);  // it died of SIGTERM, not of the SIGKILL later
  CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("teardown: runs when the batch threw, and the row is an error row") {
  const auto dir = scratch_dir("teardown_after_throw");
  const auto file = dir / "resource";
  ChildRequest child;
  child.bench = "percall.teardown_throws";
  child.kind = RowKind::fixed;
  child.which = 0;
  child.target_nanos = 2'000'000;
  child.result_fd = kResultFdInChild;
  SpawnRequest req;
  req.argv = to_argv(BENCHGATE_PER_CALL_BENCH, child);
  req.env = {"BENCHGATE_TEST_TEARDOWN_FILE=" + file.string()};
  const SpawnResult process = PosixExecutor(process_guard()).run(req);
  REQUIRE(process.started);
  CHECK(process.exit_code == 1);
  auto parsed = parse_row(process.result);
  REQUIRE(std::holds_alternative<Row>(parsed));
  const Row& row = std::get<Row>(parsed);
  CHECK(row.status == RowStatus::error);
  REQUIRE(row.error);
  CHECK(has(*row.error, "the batch failed"));
  CHECK_FALSE(std::filesystem::exists(file));
}
