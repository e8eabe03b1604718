// Integration: the benchgate-compare executable's contract with CTest — exit codes 0, 1, 2 and
// 77, messages that name the file, line and column or the flag and value, and --write-baseline.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace benchgate;

namespace {

fs::path scratch(const std::string& name) {
  return testing::scratch_dir("compare-" + name);
}

SpawnResult compare(std::vector<std::string> args) {
  args.insert(args.begin(), BENCHGATE_COMPARE);
  return testing::run_tool(std::move(args), std::chrono::seconds(60));
}

Row row(const std::string& function, std::uint64_t param, std::uint64_t trial, double per_call) {
  Row r;
  r.kind = RowKind::parametric;
  r.function = function;
  r.param = param;
  r.inner_repeats = 1;
  r.total_nanos = static_cast<std::uint64_t>(per_call);
  r.per_call_nanos = per_call;
  r.cache_mode = CacheMode::warm;
  r.peak_rss_kb = 4000;
  r.suite = "s";
  r.trial_index = trial;
  return r;
}

// Five trials per key; `scale` multiplies every time.
void write_rows(const fs::path& file, double scale) {
  std::ofstream out(file);
  for (std::uint64_t t = 0; t < 5; ++t) {
    out << write_row(row("f", 64, t, scale * (1000 + static_cast<double>(t)))) << "\n";
  }
}

using testing::has;

}  // namespace

TEST_CASE("compare cli: identical rows pass with exit 0") {
  const auto dir = scratch("same");
  write_rows(dir / "a.jsonl", 1.0);
  const auto r = compare({(dir / "a.jsonl").string(), (dir / "a.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "PASS"));
}

TEST_CASE("compare cli: a 30 percent slowdown exits 1 and names the key") {
  const auto dir = scratch("slow");
  write_rows(dir / "base.jsonl", 1.0);
  write_rows(dir / "cur.jsonl", 1.3);
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  CHECK(has(r.stdout_tail, "REGRESSED"));
  CHECK(has(r.stdout_tail, "s/f n=64"));
  CHECK(has(r.stdout_tail, "FAIL"));
}

TEST_CASE("compare cli: no baseline yet exits 77 and says how to create one") {
  const auto dir = scratch("nobase");
  write_rows(dir / "cur.jsonl", 1.0);
  const auto r = compare({(dir / "missing.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 77);
  CHECK(has(r.stderr_tail, "no baseline yet"));
  CHECK(has(r.stderr_tail, "benchgate-update-baselines"));
}

TEST_CASE("compare cli: a malformed line exits 2 with file, line and column") {
  const auto dir = scratch("bad");
  write_rows(dir / "base.jsonl", 1.0);
  {
    std::ofstream out(dir / "cur.jsonl");
    out << write_row(row("f", 64, 0, 1000)) << "\n"
        << "{\"schema_version\":1,\"kind\":\n";
  }
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "cur.jsonl:2:"));
  CHECK(has(r.stderr_tail, "near '"));
}

TEST_CASE("compare cli: an unsupported schema_version exits 2 naming it") {
  const auto dir = scratch("version");
  write_rows(dir / "base.jsonl", 1.0);
  {
    std::ofstream out(dir / "cur.jsonl");
    std::string line = write_row(row("f", 64, 0, 1000));
    line.replace(line.find("\"schema_version\":1"), 18, "\"schema_version\":2");
    out << line << "\n";
  }
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "schema_version 2"));
}

TEST_CASE("compare cli: a bad threshold exits 2 naming the flag and the value") {
  const auto dir = scratch("flag");
  write_rows(dir / "a.jsonl", 1.0);
  const auto r =
      compare({(dir / "a.jsonl").string(), (dir / "a.jsonl").string(), "--time-threshold", "-5%"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "--time-threshold '-5%'"));
}

TEST_CASE("compare cli: write-baseline copies the rows sorted by key and trial") {
  const auto dir = scratch("write");
  {
    std::ofstream out(dir / "cur.jsonl");
    for (std::uint64_t t : {2, 0, 1}) out << write_row(row("f", 128, t, 900)) << "\n";
    for (std::uint64_t t : {1, 0}) out << write_row(row("f", 64, t, 500)) << "\n";
  }
  const auto r = compare(
      {"--write-baseline", (dir / "base" / "b.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  const auto rows = read_rows((dir / "base" / "b.jsonl").string());
  REQUIRE(rows.size() == 5);
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> want{
      {64, 0}, {64, 1}, {128, 0}, {128, 1}, {128, 2}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].param == want[i].first);
    CHECK(rows[i].trial_index == want[i].second);
  }
}
