// Tests benchgate/core/list_doc.hpp: the --benchgate-list document round-trips through
// write_list_doc and parse_list_doc field by field, and a document of another version is refused.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <variant>

#include "benchgate/core/list_doc.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;

BenchmarkInfo parametric_info() {
  BenchmarkInfo b;
  b.name = "sort.std_sort";
  b.kind = RowKind::parametric;
  b.complexity = "n log n";
  b.hashable = true;
  auto& c = b.config;
  c.target_inner_nanos = 1'000'000;
  c.max_seconds_per_call = 2.5;
  c.param_ceiling = 4096;
  c.param_floor = 16;
  c.kill_grace_ms = 250;
  c.verdict_warmup_fraction = 0.25;
  c.slope_tolerance = 0.2;
  c.narrow_range_noise_floor = 2.0;
  c.param_schedule = ParamSchedule::custom({1, 10, 100});
  c.param_schedule.linear_samples = 7;
  c.cache_mode = CacheMode::cold;
  c.signal_floor_multiplier = 5.0;
  c.outer_trials = 3;
  c.pair_seconds = 2.5;
  c.pair_target_nanos = 4'000'000;
  c.max_setup_seconds = 90.5;
  c.ladder_seconds = 12.5;
  c.tags = {"slow", "sort"};
  return b;
}

BenchmarkInfo fixed_info() {
  BenchmarkInfo b;
  b.name = "parse_corpus";
  b.kind = RowKind::fixed;
  b.hashable = false;
  auto& c = b.fixed_config;
  c.repeats = 9;
  c.max_seconds_per_call = 12.5;
  c.kill_grace_ms = 42;
  c.warmup = false;
  c.min_total_seconds = 0.25;
  c.max_setup_seconds = 7.25;
  c.expected_hash = 0xabcdef0123456789ULL;
  c.tags = {"io"};
  return b;
}

void check_same(const BenchmarkConfig& a, const BenchmarkConfig& b) {
  CHECK(a.target_inner_nanos == b.target_inner_nanos);
  CHECK(a.max_seconds_per_call == b.max_seconds_per_call);
  CHECK(a.param_ceiling == b.param_ceiling);
  CHECK(a.param_floor == b.param_floor);
  CHECK(a.kill_grace_ms == b.kill_grace_ms);
  CHECK(a.verdict_warmup_fraction == b.verdict_warmup_fraction);
  CHECK(a.slope_tolerance == b.slope_tolerance);
  CHECK(a.narrow_range_noise_floor == b.narrow_range_noise_floor);
  CHECK(a.param_schedule.shape == b.param_schedule.shape);
  CHECK(a.param_schedule.linear_samples == b.param_schedule.linear_samples);
  CHECK(a.param_schedule.custom_params == b.param_schedule.custom_params);
  CHECK(a.cache_mode == b.cache_mode);
  CHECK(a.signal_floor_multiplier == b.signal_floor_multiplier);
  CHECK(a.outer_trials == b.outer_trials);
  CHECK(a.pair_seconds == b.pair_seconds);
  CHECK(a.pair_target_nanos == b.pair_target_nanos);
  CHECK(a.max_setup_seconds == b.max_setup_seconds);
  CHECK(a.ladder_seconds == b.ladder_seconds);
  CHECK(a.tags == b.tags);
}

void check_same(const FixedBenchmarkConfig& a, const FixedBenchmarkConfig& b) {
  CHECK(a.repeats == b.repeats);
  CHECK(a.max_seconds_per_call == b.max_seconds_per_call);
  CHECK(a.kill_grace_ms == b.kill_grace_ms);
  CHECK(a.warmup == b.warmup);
  CHECK(a.min_total_seconds == b.min_total_seconds);
  CHECK(a.max_setup_seconds == b.max_setup_seconds);
  CHECK(a.expected_hash == b.expected_hash);
  CHECK(a.tags == b.tags);
}

void check_same(const BenchmarkInfo& a, const BenchmarkInfo& b) {
  CAPTURE(a.name);
  CHECK(a.name == b.name);
  CHECK(a.kind == b.kind);
  CHECK(a.hashable == b.hashable);
  CHECK(a.tags() == b.tags());
  if (a.kind == RowKind::parametric) {
    CHECK(a.complexity == b.complexity);
    check_same(a.config, b.config);
  } else {
    check_same(a.fixed_config, b.fixed_config);
  }
}

ListDocument round_trip(const ListDocument& doc) {
  const std::string text = write_list_doc(doc);
  INFO("document: " << text);
  auto parsed = parse_list_doc(text);
  if (auto* e = std::get_if<JsonError>(&parsed)) {
    FAIL("parse_list_doc failed at column " << e->column << ": " << e->message);
  }
  return std::get<ListDocument>(parsed);
}

JsonError parse_error(const std::string& text) {
  auto parsed = parse_list_doc(text);
  REQUIRE_MESSAGE(std::holds_alternative<JsonError>(parsed), "accepted: " << text);
  return std::get<JsonError>(parsed);
}

}  // namespace

TEST_CASE("list_doc: parametric and fixed benchmarks with non-default configs round-trip") {
  ListDocument doc;
  doc.suite = "sort_bench";
  doc.benchmarks = {parametric_info(), fixed_info()};
  doc.compiler = "GNU";
  doc.compiler_version = "12.2.0";
  doc.build_type = "RelWithDebInfo";
  const ListDocument back = round_trip(doc);
  CHECK(back.suite == "sort_bench");
  CHECK(back.compiler == doc.compiler);
  CHECK(back.compiler_version == doc.compiler_version);
  CHECK(back.build_type == doc.build_type);
  REQUIRE(back.benchmarks.size() == 2);
  check_same(back.benchmarks[0], doc.benchmarks[0]);
  check_same(back.benchmarks[1], doc.benchmarks[1]);
  CHECK(back.benchmarks[0].tags() == std::vector<std::string>{"slow", "sort"});
  CHECK(back.benchmarks[1].tags() == std::vector<std::string>{"io"});
}

TEST_CASE("list_doc: default configs, no tags and no expected hash round-trip") {
  BenchmarkInfo p;
  p.name = "p";
  p.complexity = "n";
  BenchmarkInfo f;
  f.name = "f";
  f.kind = RowKind::fixed;
  ListDocument doc{"suite", {f, p}};
  const ListDocument back = round_trip(doc);
  REQUIRE(back.benchmarks.size() == 2);
  check_same(back.benchmarks[0], f);  // declaration order kept
  check_same(back.benchmarks[1], p);
  CHECK_FALSE(back.benchmarks[0].fixed_config.expected_hash.has_value());
  // Unknown build info stays unknown.
  CHECK_FALSE(back.compiler.has_value());
  CHECK_FALSE(back.compiler_version.has_value());
  CHECK_FALSE(back.build_type.has_value());
}

TEST_CASE("list_doc: a document without build info reads it as null") {
  auto parsed = parse_list_doc(R"({"benchgate_list_version":1,"suite":"s","benchmarks":[]})");
  REQUIRE(std::holds_alternative<ListDocument>(parsed));
  const ListDocument& doc = std::get<ListDocument>(parsed);
  CHECK(doc.suite == "s");
  CHECK_FALSE(doc.compiler.has_value());
  CHECK_FALSE(doc.build_type.has_value());
}

TEST_CASE("list_doc: the inner_repeats capability round-trips and is false when absent") {
  ListDocument doc{"s", {parametric_info()}};
  doc.inner_repeats = true;
  CHECK(round_trip(doc).inner_repeats);
  doc.inner_repeats = false;
  CHECK_FALSE(round_trip(doc).inner_repeats);
  // An executable built before A/B pairs shared a count: no capability, the pair settings at
  // their defaults.
  std::string text = write_list_doc(ListDocument{"s", {parametric_info()}});
  for (const std::string key :
       {",\"inner_repeats\":false", ",\"pair_seconds\":2.5", ",\"pair_target_nanos\":4000000"}) {
    REQUIRE(text.find(key) != std::string::npos);
    text.erase(text.find(key), key.size());
  }
  auto parsed = parse_list_doc(text);
  REQUIRE(std::holds_alternative<ListDocument>(parsed));
  const ListDocument& old = std::get<ListDocument>(parsed);
  CHECK_FALSE(old.inner_repeats);
  REQUIRE(old.benchmarks.size() == 1);
  CHECK(old.benchmarks[0].config.pair_seconds == BenchmarkConfig{}.pair_seconds);
  CHECK(old.benchmarks[0].config.pair_target_nanos == BenchmarkConfig{}.pair_target_nanos);
}

TEST_CASE("list_doc: an older executable's document: no setup_fd, no setup cap, no time ceiling") {
  ListDocument doc{"s", {parametric_info(), fixed_info()}};
  doc.setup_fd = true;
  CHECK(round_trip(doc).setup_fd);
  std::string text = write_list_doc(doc);
  for (const std::string key : {",\"setup_fd\":true", ",\"max_setup_seconds\":90.5",
                                ",\"ladder_seconds\":12.5", ",\"max_setup_seconds\":7.25"}) {
    REQUIRE(text.find(key) != std::string::npos);
    text.erase(text.find(key), key.size());
  }
  auto parsed = parse_list_doc(text);
  REQUIRE(std::holds_alternative<ListDocument>(parsed));
  const ListDocument& old = std::get<ListDocument>(parsed);
  CHECK_FALSE(old.setup_fd);
  REQUIRE(old.benchmarks.size() == 2);
  CHECK(old.benchmarks[0].config.max_setup_seconds == BenchmarkConfig{}.max_setup_seconds);
  // Its ladder climbs to param_ceiling, as it was built to.
  CHECK(old.benchmarks[0].config.ladder_seconds == 0.0);
  CHECK(old.benchmarks[1].fixed_config.max_setup_seconds ==
        FixedBenchmarkConfig{}.max_setup_seconds);
}

TEST_CASE("list_doc: every schedule shape and the largest expected hash round-trip") {
  for (auto shape : {ParamSchedule::Shape::automatic, ParamSchedule::Shape::doubling,
                     ParamSchedule::Shape::linear, ParamSchedule::Shape::custom}) {
    BenchmarkInfo b = parametric_info();
    b.config.param_schedule.shape = shape;
    const ListDocument back = round_trip(ListDocument{"s", {b}});
    REQUIRE(back.benchmarks.size() == 1);
    CHECK(back.benchmarks[0].config.param_schedule.shape == shape);
  }
  BenchmarkInfo f = fixed_info();
  f.fixed_config.expected_hash = 0xffffffffffffffffULL;
  const ListDocument back = round_trip(ListDocument{"s", {f}});
  REQUIRE(back.benchmarks.size() == 1);
  CHECK(back.benchmarks[0].fixed_config.expected_hash == f.fixed_config.expected_hash);
}

TEST_CASE("list_doc: an empty suite round-trips") {
  const ListDocument back = round_trip(ListDocument{"empty_bench", {}});
  CHECK(back.suite == "empty_bench");
  CHECK(back.benchmarks.empty());
}

TEST_CASE("list_doc: a document of another version is rejected") {
  std::string text = write_list_doc(ListDocument{"s", {parametric_info()}});
  const std::string v1 = "\"benchgate_list_version\":1";
  REQUIRE(text.find(v1) != std::string::npos);
  text.replace(text.find(v1), v1.size(), "\"benchgate_list_version\":2");
  const JsonError e = parse_error(text);
  CHECK(e.message.find("benchgate_list_version") != std::string::npos);
  CHECK(e.message.find("supported: 1") != std::string::npos);
}

TEST_CASE("list_doc: malformed documents are rejected with a message") {
  CHECK(parse_error("").message.size() > 0);
  CHECK(parse_error("[]").message.find("object") != std::string::npos);
  CHECK(parse_error(R"({"suite":"s","benchmarks":[]})").message.find("benchgate_list_version") !=
        std::string::npos);
  CHECK(parse_error(R"({"benchgate_list_version":1,"suite":"s"})").message.find("benchmarks") !=
        std::string::npos);
  CHECK(parse_error(R"({"benchgate_list_version":1,"suite":"s","benchmarks":[]} x)").column ==
        std::string(R"({"benchgate_list_version":1,"suite":"s","benchmarks":[]} )").size() + 1);
  const JsonError bad_kind = parse_error(
      R"({"benchgate_list_version":1,"suite":"s","benchmarks":[{"name":"b","kind":"odd",)"
      R"("hashable":true,"tags":[],"config":{}}]})");
  CHECK(bad_kind.message.find("'b'") != std::string::npos);
}

TEST_CASE("list_doc: a raw NUL byte is rejected, not read as the end of the text") {
  // tests/fuzz/regressions/list_doc/nul-ends-json: RapidJSON took the NUL for the end.
  const std::string doc = R"({"benchgate_list_version":1,"suite":"s","benchmarks":[]})";
  const JsonError e = parse_error(doc + std::string("\0 trailing junk", 15));
  CHECK(e.column == doc.size() + 1);
  CHECK(e.message.find("NUL") != std::string::npos);
}

TEST_CASE("list_doc: every double of a config reads back to the last bit") {
  // tests/fuzz/regressions/list_doc/list-doc-rounding: read without full precision,
  // 0.30000000000000004 came back as 0.3000000000000001, so the runner's config differed from the
  // one the executable declared.
  BenchmarkInfo b = fixed_info();
  b.fixed_config.max_seconds_per_call = 0.1 + 0.2;
  b.fixed_config.min_total_seconds = 0.9999999999999999;
  check_same(round_trip(ListDocument{"s", {b}}).benchmarks.at(0), b);
  std::uint64_t state = 12345;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    BenchmarkInfo p = parametric_info();
    // Positive finite doubles from 2^-1022 up: every exponent the bits can give.
    p.config.slope_tolerance =
        std::ldexp(1.0 + static_cast<double>(state >> 12) / 4503599627370496.0,
                   static_cast<int>(state % 2046) - 1022);
    const ListDocument back = round_trip(ListDocument{"s", {p}});
    REQUIRE(back.benchmarks.size() == 1);
    if (back.benchmarks[0].config.slope_tolerance != p.config.slope_tolerance) {
      FAIL_CHECK(p.config.slope_tolerance << " read back as "
                                          << back.benchmarks[0].config.slope_tolerance);
    }
  }
}
