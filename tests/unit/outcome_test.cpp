// Tests compare/outcome.hpp (pass, fail or skip, and what was not gated), compare/junit.hpp
// (benchgate's own JUnit) and compare/collect.hpp (reading results, the collected comment), from
// hand-made rows reduced in memory.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "collect.hpp"
#include "junit.hpp"
#include "keyed_rows.hpp"
#include "outcome.hpp"
#include "render.hpp"

namespace {

using namespace benchgate;
using benchgate::test::KeyedRows;
using benchgate::test::Rows;

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

Key key(const std::string& function, std::uint64_t param = 1024) {
  Key k;
  k.suite = "suite";
  k.function = function;
  k.param = param;
  k.cache_mode = CacheMode::warm;
  return k;
}

// Five ok rows around `t` ns per call, RSS `rss_kb` (null when 0), on `cpu`.
Rows side(double t, std::uint64_t rss_kb = 1000, const std::string& cpu = "cpu A") {
  Rows rows;
  for (double f : {0.999, 0.9995, 1.0, 1.0005, 1.001}) {
    Row r;
    r.inner_repeats = 1;
    r.per_call_nanos = t * f;
    r.total_nanos = static_cast<std::uint64_t>(t * f);
    if (rss_kb) r.peak_rss_kb = rss_kb;
    Env e;
    e.cpu_model = cpu;
    e.compiler = "gcc";
    e.compiler_version = "12.2.0";
    e.build_type = "Release";
    r.env = e;
    rows.push_back(r);
  }
  return rows;
}

Report compare_rows(const KeyedRows& base, const KeyedRows& cur,
                    CompareOptions o = test::quiet_machine()) {
  return compare(test::reduce(base), test::reduce(cur), o);
}

CompareOptions policy(OnEnvMismatch p) {
  CompareOptions o = test::quiet_machine();
  o.on_env_mismatch = p;
  return o;
}

std::string text_of(const Report& r) {
  std::ostringstream s;
  render_text(r, s);
  return s.str();
}

std::string junit_of(const Report& r) {
  std::ostringstream s;
  render_junit(r, "bench.x.compare", s);
  return s.str();
}

}  // namespace

TEST_CASE("outcome: a clean comparison passes with nothing to warn about") {
  const Report r = compare_rows({{key("f"), side(100)}}, {{key("f"), side(100)}});
  const GateOutcome o = gate_outcome(r);
  CHECK(o.result == GateOutcome::Result::pass);
  CHECK(o.exit_code() == 0);
  CHECK(o.warnings.empty());
  CHECK(o.keys_not_gated == 0);
  CHECK(contains(text_of(r), "\nPASS\n"));
}

TEST_CASE("outcome: a regression fails with exit code 1") {
  const Report r = compare_rows({{key("f"), side(100)}}, {{key("f"), side(150)}});
  const GateOutcome o = gate_outcome(r);
  CHECK(o.result == GateOutcome::Result::fail);
  CHECK(o.exit_code() == 1);
  CHECK(o.reason == "1 key(s) fail the gate");
}

TEST_CASE("outcome: another CPU model skips the gate by default, with the reason") {
  const Report r = compare_rows({{key("f"), side(100, 1000, "Laptop")}}, {{key("f"), side(100)}});
  const GateOutcome o = gate_outcome(r);
  CHECK(o.result == GateOutcome::Result::skip);
  CHECK(o.exit_code() == 77);
  CHECK(contains(o.reason, "cpu_model differs: 'Laptop' vs 'cpu A'"));
  CHECK(contains(text_of(r), "\nSKIPPED: times not compared in 1 of 1 key"));
}

TEST_CASE("outcome: an RSS regression fails even when the environments differ") {
  const Report r =
      compare_rows({{key("f"), side(100, 1000, "Laptop")}}, {{key("f"), side(100, 2000)}});
  CHECK(gate_outcome(r).result == GateOutcome::Result::fail);
}

TEST_CASE("outcome: --on-env-mismatch fail fails the keys, warn passes with a warning") {
  const KeyedRows base{{key("f"), side(100, 1000, "Laptop")}}, cur{{key("f"), side(100)}};
  const Report failed = compare_rows(base, cur, policy(OnEnvMismatch::fail));
  CHECK(gate_outcome(failed).result == GateOutcome::Result::fail);
  CHECK(contains(gate_outcome(failed).reason, "--on-env-mismatch fail"));
  REQUIRE(failed.results.size() == 1);
  CHECK(failed.results[0].failing);
  CHECK(failed.results[0].status == KeyStatus::not_comparable);

  const Report warned = compare_rows(base, cur, policy(OnEnvMismatch::warn));
  const GateOutcome o = gate_outcome(warned);
  CHECK(o.result == GateOutcome::Result::pass);
  REQUIRE(o.warnings.size() == 1);
  CHECK(contains(o.warnings[0], "time of 1 of 1 key not gated: cpu_model differs"));
  CHECK(o.keys_not_gated == 1);
  const std::string text = text_of(warned);
  CHECK(contains(text, "\nWARNING: time of 1 of 1 key not gated"));
  CHECK(contains(text, "name=\"keys not gated\">1</CTestMeasurement>"));
  CHECK(contains(text, "\nPASS\n"));
}

TEST_CASE("outcome: --ignore-env compares the times and nothing is skipped") {
  CompareOptions o = test::quiet_machine();
  o.ignore_env = true;
  const Report r =
      compare_rows({{key("f"), side(100, 1000, "Laptop")}}, {{key("f"), side(100)}}, o);
  CHECK(gate_outcome(r).result == GateOutcome::Result::pass);
  CHECK(gate_outcome(r).warnings.empty());
}

TEST_CASE("outcome: no key in both sides gates nothing and is skipped") {
  const Report r = compare_rows({{key("old"), side(100)}}, {{key("new"), side(100)}});
  const GateOutcome o = gate_outcome(r);
  CHECK(o.result == GateOutcome::Result::skip);
  CHECK(contains(o.reason, "nothing gated: no key is in both"));
}

TEST_CASE("outcome: a metric not measured on a side is a warning, not a silent pass") {
  // RSS null now on one of two keys: the time is gated, RSS of one key is not.
  const Report r = compare_rows({{key("f"), side(100)}, {key("g"), side(100)}},
                                {{key("f"), side(100)}, {key("g"), side(100, 0)}});
  const GateOutcome o = gate_outcome(r);
  CHECK(o.result == GateOutcome::Result::pass);
  REQUIRE(o.warnings.size() == 1);
  CHECK(contains(o.warnings[0], "peak RSS of 1 of 2 keys not gated"));
  CHECK(o.keys_not_gated == 1);
}

TEST_CASE("outcome: a gate that ended early reports that outcome") {
  Report r;
  r.ended_early = ended_early(GateOutcome::Result::skip, "no baseline yet: b.jsonl");
  CHECK(gate_outcome(r).exit_code() == 77);
  CHECK(contains(text_of(r), "SKIPPED: no baseline yet: b.jsonl"));
  r.ended_early = ended_early(GateOutcome::Result::error, "bad row");
  CHECK(gate_outcome(r).exit_code() == 2);
  const std::string xml = junit_of(r);
  CHECK(contains(xml, "failures=\"1\""));
  CHECK(contains(xml, "<failure message=\"bad row\"/>"));
}

TEST_CASE("junit: a failing key fails with the benchmark, the metric and its interval") {
  Report r = compare_rows({{key("f"), side(100)}, {key("g"), side(100)}},
                          {{key("f"), side(150)}, {key("g"), side(100)}});
  r.reproduce["suite/f"] = "benchgate-runner run x --bench f";
  r.accept = "cmake --build b --target benchgate-update-baseline-x";
  const std::string xml = junit_of(r);
  CHECK(contains(xml, "<testsuite name=\"bench.x.compare\" tests=\"2\" failures=\"1\""));
  CHECK(contains(xml, "<failure type=\"regressed\" message=\"suite/f n=1024: time +"));
  CHECK(contains(xml, "reproduce: benchgate-runner run x --bench f"));
  CHECK(contains(xml, "accept: cmake --build b --target benchgate-update-baseline-x"));
  CHECK(contains(xml, "<testcase classname=\"bench.x.compare\" name=\"suite/g n=1024\"/>"));
}

TEST_CASE("junit: keys that were not gated are skipped with the reason") {
  const Report r = compare_rows({{key("f"), side(100, 1000, "Laptop")}, {key("old"), side(100)}},
                                {{key("f"), side(100)}, {key("new"), side(100)}});
  const std::string xml = junit_of(r);
  CHECK(contains(xml, "skipped=\"3\""));
  CHECK(contains(xml, "<skipped message=\"not gated: cpu_model differs"));
  CHECK(contains(xml, "<skipped message=\"new: no baseline row\"/>"));
  CHECK(contains(xml, "<skipped message=\"missing: in the baseline only\"/>"));
}

TEST_CASE("junit: control characters from a crashed benchmark's output cannot break the XML") {
  Report r;
  r.ended_early = ended_early(GateOutcome::Result::error, std::string("bad\x01\x1b[0m <row>"));
  const std::string xml = junit_of(r);
  CHECK(contains(xml, "message=\"bad??[0m &lt;row&gt;\""));
}

TEST_CASE("collect: a result is read back from the JSON the gate wrote") {
  const Report r = compare_rows({{key("f"), side(100, 1000, "Laptop")}}, {{key("f"), side(100)}});
  std::ostringstream json;
  render_json(r, json);
  const CollectedResult c = parse_result(json.str(), "x.gate.json");
  CHECK(c.result == "skip");
  CHECK(contains(c.reason, "cpu_model differs"));
}

TEST_CASE("collect: a file that is not a result names the file and what is wrong") {
  auto error_of = [](const std::string& text) {
    try {
      parse_result(text, "b.gate.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("not json") == "b.gate.json: not a benchgate-compare result (not a JSON object)");
  CHECK(error_of("{}") == "b.gate.json: not a benchgate-compare result: no \"outcome\"");
  CHECK(error_of(R"({"outcome": {"result": "maybe", "reason": "", "warnings": []}})") ==
        "b.gate.json: \"result\" must be pass, fail, skip or error; got 'maybe'");
  CHECK(error_of(R"({"outcome": {"result": "pass", "reason": 3, "warnings": []}})") ==
        "b.gate.json: \"reason\" must be a string");
  CHECK(error_of(R"({"outcome": {"result": "pass", "reason": "", "warnings": []},
                    "benchmarks": [{"status": "inconclusive"}]})") ==
        "b.gate.json: not a benchgate-compare result: no \"suite\"");
}

TEST_CASE("collect: failing executables come first and unfolded, passing ones folded") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "benchgate_collect_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  auto write = [&](const fs::path& prefix, const Report& r) {
    std::ofstream(prefix.string() + ".json") << [&] {
      std::ostringstream s;
      render_json(r, s);
      return s.str();
    }();
    std::ostringstream md;
    render_markdown(r, md);
    std::ofstream(prefix.string() + ".md") << "<!-- benchgate -->\n" << md.str();
    std::ofstream(prefix.string() + ".junit.xml") << junit_of(r);
  };
  write(dir / "a_steady.gate", compare_rows({{key("f"), side(100)}}, {{key("f"), side(100)}}));
  write(dir / "sub" / "z_slowed.gate",
        compare_rows({{key("f"), side(100)}}, {{key("f"), side(150)}}));
  std::ofstream(dir / "rows.jsonl") << "not a result\n";  // never read
  const auto results = find_results({dir.string()});
  REQUIRE(results.size() == 2);
  CHECK(results[0].name == "z_slowed");
  CHECK(results[1].name == "a_steady");
  std::ostringstream md;
  render_collected_markdown(results, md);
  const std::string text = md.str();
  CHECK(contains(text, "### ❌ benchgate: 1 of 2 benchmark executables fail the gate"));
  const auto slowed = text.find("### ❌ z_slowed"), details = text.find("<details><summary>The"),
             steady = text.find("### ✅ a_steady");
  CHECK(slowed < details);
  CHECK(details < steady);
  CHECK(steady != std::string::npos);

  CompareRequest request;
  request.collect = {dir.string()};
  request.junit = (dir / "all.xml").string();
  std::ostringstream out, err;
  CHECK(collect_results(request, out, err) == 0);
  std::ifstream in(dir / "all.xml");
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(contains(xml, "<testsuites name=\"benchgate\">\n<testsuite name=\"bench.x.compare\""));
  CHECK(contains(xml, "</testsuite>\n</testsuites>\n"));
  fs::remove_all(dir);
}

TEST_CASE("collect: a directory without results is an error that says what to run") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "benchgate_collect_empty";
  fs::create_directories(dir);
  CompareRequest request;
  request.collect = {dir.string()};
  std::ostringstream out, err;
  CHECK_THROWS_WITH_AS(collect_results(request, out, err),
                       doctest::Contains("run the compare tests first"), InputError);
  fs::remove_all(dir);
}
