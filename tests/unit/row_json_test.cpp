// Tests benchgate/core/row_json.hpp: the writer/reader contract (everything write_row emits,
// parse_row reads back equal), the reader's strictness and messages, and result_hash text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "benchgate/core/row_json.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

Env full_env() {
  Env e;
  e.compiler = "GNU";
  e.compiler_version = "12.2.0";
  e.build_type = "RelWithDebInfo";
  e.benchgate_version = "0.1.0";
  e.os = "linux";
  e.arch = "x86_64";
  e.cpu_model = "Some CPU @ 3.00GHz";
  e.cpu_cores = 16;
  e.hostname = "build-01";
  e.exe_name = "sort_bench";
  e.git_commit = "0123456789abcdef0123456789abcdef01234567";
  e.git_dirty = true;
  e.timestamp_unix_ms = 1'700'000'000'123;
  e.timestamp_iso = "2023-11-14T22:13:20Z";
  return e;
}

// Sets every optional field of the row's kind.
void fill_optional(Row& r) {
  r.per_call_nanos = 1929.0140625;
  r.cache_mode = CacheMode::cold;
  r.result_hash = 0xdeadbeefcafef00dULL;
  r.error = "a message with \"quotes\", a \\ backslash,\na newline, a tab\t and UTF-8: µs ×2";
  r.alloc_bytes = 1'048'576;
  r.alloc_count = 12;
  r.peak_rss_kb = 20'480;
  r.peak_rss_includes_setup = false;
  r.rss_baseline_kb = 3'100;
  r.child_maxrss_kb = 21'000;
  r.cpu_nanos = 123'000'001;
  r.instructions = 9'876'543'210;
  r.cycles = 4'321'000'000;
  r.measured_under = MeasuredUnder::callgrind;
  r.env = full_env();
  r.suite = "sort_bench";
  r.trial_index = 2;
  r.part_of_verdict = true;
  r.below_signal_floor = false;
}

Row parametric_row() {
  Row r;
  r.kind = RowKind::parametric;
  r.function = "sort.std_sort";
  r.status = RowStatus::ok;
  r.total_nanos = 123'456'789;
  r.param = 1024;
  r.inner_repeats = 64;
  return r;
}

Row fixed_row() {
  Row r;
  r.kind = RowKind::fixed;
  r.function = "parse_corpus";
  r.status = RowStatus::ok;
  r.total_nanos = 987'654'321;
  r.repeat_index = 3;
  return r;
}

Row parse_ok(const std::string& line) {
  auto parsed = parse_row(line);
  if (auto* e = std::get_if<JsonError>(&parsed)) {
    FAIL_CHECK("parse_row failed at column " << e->column << ": " << e->message
                                             << "\n  line: " << line);
    return Row{};
  }
  return std::get<Row>(parsed);
}

JsonError parse_error(const std::string& line) {
  auto parsed = parse_row(line);
  if (!std::holds_alternative<JsonError>(parsed)) {
    FAIL_CHECK("parse_row accepted: " << line);
    return JsonError{};
  }
  return std::get<JsonError>(parsed);
}

void check_round_trip(const Row& row) {
  const std::string line = write_row(row);
  INFO("line: " << line);
  CHECK(line.find('\n') == std::string::npos);
  const Row back = parse_ok(line);
  CHECK(back == row);
  CHECK(write_row(back) == line);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A valid parametric line with `extra` spliced in before the closing brace.
std::string line_with(const std::string& extra) {
  return R"({"schema_version":1,"kind":"parametric","function":"f","param":8,)"
         R"("inner_repeats":4,"total_nanos":100,"status":"ok")" +
         extra + "}";
}

}  // namespace

TEST_CASE("row_json: a parametric row with every optional field set round-trips") {
  Row r = parametric_row();
  fill_optional(r);
  check_round_trip(r);
}

TEST_CASE("row_json: a parametric row with every optional field null round-trips") {
  const Row r = parametric_row();
  check_round_trip(r);
  const std::string line = write_row(r);
  // Null is written, never omitted and never 0.
  for (const char* key :
       {"per_call_nanos", "cache_mode", "result_hash", "error", "alloc_bytes", "alloc_count",
        "peak_rss_kb", "peak_rss_includes_setup", "rss_baseline_kb", "child_maxrss_kb", "cpu_nanos",
        "env", "suite", "trial_index", "part_of_verdict", "below_signal_floor"}) {
    CHECK_MESSAGE(contains(line, std::string("\"") + key + "\":null"), key);
  }
}

TEST_CASE("row_json: a fixed row with every optional field set round-trips") {
  Row r = fixed_row();
  r.inner_repeats = 8;  // optional on fixed rows
  fill_optional(r);
  check_round_trip(r);
}

TEST_CASE("row_json: a fixed row with every optional field null round-trips") {
  const Row r = fixed_row();
  check_round_trip(r);
  CHECK(contains(write_row(r), "\"inner_repeats\":null"));
  CHECK_FALSE(contains(write_row(r), "\"param\""));
}

TEST_CASE("row_json: every status and both cache modes round-trip") {
  for (auto status :
       {RowStatus::ok, RowStatus::timed_out, RowStatus::killed_at_cap, RowStatus::error}) {
    Row r = parametric_row();
    r.status = status;
    r.error = status == RowStatus::ok ? std::nullopt : std::optional<std::string>("why");
    check_round_trip(r);
  }
  for (auto mode : {CacheMode::warm, CacheMode::cold}) {
    Row r = parametric_row();
    r.cache_mode = mode;
    check_round_trip(r);
  }
}

TEST_CASE("row_json: extreme integers and awkward doubles round-trip exactly") {
  Row r = parametric_row();
  r.total_nanos = kMaxU64;
  r.param = kMaxU64;
  r.inner_repeats = kMaxU64;
  r.alloc_bytes = kMaxU64;
  r.alloc_count = 0;
  r.peak_rss_kb = 0;
  r.cpu_nanos = kMaxU64;
  r.trial_index = kMaxU64;
  r.result_hash = kMaxU64;
  Env e = full_env();
  e.cpu_cores = std::numeric_limits<std::int64_t>::min();
  e.timestamp_unix_ms = std::numeric_limits<std::int64_t>::max();
  r.env = e;
  for (double d : {0.0, 0.1, 1.0 / 3.0, 123456789.123456789, 1e-300, 5e-324, 1e21,
                   std::numeric_limits<double>::max()}) {
    CAPTURE(d);
    r.per_call_nanos = d;
    check_round_trip(r);
  }
}

TEST_CASE("row_json: strings with escapes, control characters and NUL round-trip") {
  Row r = parametric_row();
  r.function = std::string("we\"ird/na\\me\x01\x1f");
  r.error = std::string("nul\0inside", 10);
  r.suite = "suite with spaces";
  check_round_trip(r);
}

// The contract the schema rests on: write_row either refuses a row (std::invalid_argument) or
// emits a line that parse_row reads back.
void check_refused_or_read_back(const Row& r) {
  std::string line;
  try {
    line = write_row(r);
  } catch (const std::invalid_argument&) {
    return;
  }
  INFO("line: " << line);
  auto parsed = parse_row(line);
  if (auto* e = std::get_if<JsonError>(&parsed)) {
    FAIL_CHECK("write_row emitted a row parse_row rejects: " << e->message);
  }
}

TEST_CASE("row_json: write_row refuses or reads back a negative per_call_nanos") {
  Row r = parametric_row();
  r.per_call_nanos = -1.0;
  check_refused_or_read_back(r);
}

TEST_CASE("row_json: write_row refuses or reads back an empty function name") {
  Row r = parametric_row();
  r.function.clear();
  check_refused_or_read_back(r);
}

TEST_CASE("row_json: write_env and parse_env round-trip, set and null") {
  for (const Env& e : {full_env(), Env{}}) {
    const std::string text = write_env(e);
    INFO(text);
    auto parsed = parse_env(text);
    REQUIRE(std::holds_alternative<Env>(parsed));
    CHECK(std::get<Env>(parsed) == e);
  }
  Env dirty_false = full_env();
  dirty_false.git_dirty = false;
  auto parsed = parse_env(write_env(dirty_false));
  REQUIRE(std::holds_alternative<Env>(parsed));
  CHECK(std::get<Env>(parsed) == dirty_false);
}

TEST_CASE("row_json: write_env writes every key, null where unknown") {
  const std::string text = write_env(Env{});
  for (const char* key : {"compiler", "compiler_version", "build_type", "benchgate_version", "os",
                          "arch", "cpu_model", "cpu_cores", "hostname", "exe_name", "git_commit",
                          "git_dirty", "timestamp_unix_ms", "timestamp_iso"}) {
    CHECK_MESSAGE(contains(text, std::string("\"") + key + "\":null"), key);
  }
}

TEST_CASE("row_json: the writer refuses NaN and infinite per_call_nanos") {
  Row r = parametric_row();
  r.per_call_nanos = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(write_row(r), std::invalid_argument);
  r.per_call_nanos = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(write_row(r), std::invalid_argument);
  r.per_call_nanos = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(write_row(r), std::invalid_argument);
}

TEST_CASE("row_json: the reader rejects schema_version 2, naming it and the supported version") {
  std::string line = write_row(parametric_row());
  const std::string v1 = "\"schema_version\":1";
  REQUIRE(contains(line, v1));
  line.replace(line.find(v1), v1.size(), "\"schema_version\":2");
  const JsonError e = parse_error(line);
  CHECK(contains(e.message, "schema_version 2"));
  CHECK(contains(e.message, "supported: 1"));
}

TEST_CASE("row_json: the reader rejects a missing or non-integer schema_version") {
  CHECK(contains(parse_error(R"({"kind":"parametric","function":"f","param":1,)"
                             R"("inner_repeats":1,"total_nanos":1,"status":"ok"})")
                     .message,
                 "schema_version"));
  CHECK(contains(parse_error(R"({"schema_version":"1","kind":"parametric","function":"f",)"
                             R"("param":1,"inner_repeats":1,"total_nanos":1,"status":"ok"})")
                     .message,
                 "schema_version"));
}

TEST_CASE("row_json: the reader rejects a missing required key, naming it") {
  struct Case {
    const char* key;
    std::string line;
  };
  const std::vector<Case> cases{
      {"kind",
       R"({"schema_version":1,"function":"f","param":1,"inner_repeats":1,"total_nanos":1,"status":"ok"})"},
      {"function",
       R"({"schema_version":1,"kind":"parametric","param":1,"inner_repeats":1,"total_nanos":1,"status":"ok"})"},
      {"status",
       R"({"schema_version":1,"kind":"parametric","function":"f","param":1,"inner_repeats":1,"total_nanos":1})"},
      {"total_nanos",
       R"({"schema_version":1,"kind":"parametric","function":"f","param":1,"inner_repeats":1,"status":"ok"})"},
      {"param",
       R"({"schema_version":1,"kind":"parametric","function":"f","inner_repeats":1,"total_nanos":1,"status":"ok"})"},
      {"inner_repeats",
       R"({"schema_version":1,"kind":"parametric","function":"f","param":1,"total_nanos":1,"status":"ok"})"},
      {"repeat_index",
       R"({"schema_version":1,"kind":"fixed","function":"f","total_nanos":1,"status":"ok"})"},
      // A required key that is present but null is missing too.
      {"total_nanos",
       R"({"schema_version":1,"kind":"parametric","function":"f","param":1,"inner_repeats":1,"total_nanos":null,"status":"ok"})"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    const JsonError e = parse_error(c.line);
    CHECK(contains(e.message, std::string("'") + c.key + "'"));
    CHECK(contains(e.message, "missing"));
  }
}

TEST_CASE("row_json: the reader rejects a known key of the wrong type, naming the key") {
  struct Case {
    const char* key;
    std::string extra;
  };
  const std::vector<Case> cases{
      {"per_call_nanos", R"(,"per_call_nanos":"fast")"},
      {"per_call_nanos", R"(,"per_call_nanos":-5)"},
      {"alloc_bytes", R"(,"alloc_bytes":-1)"},
      {"alloc_count", R"(,"alloc_count":1.5)"},
      {"peak_rss_kb", R"(,"peak_rss_kb":"1024")"},
      {"peak_rss_includes_setup", R"(,"peak_rss_includes_setup":0)"},
      {"rss_baseline_kb", R"(,"rss_baseline_kb":-3)"},
      {"child_maxrss_kb", R"(,"child_maxrss_kb":2.5)"},
      {"cpu_nanos", R"(,"cpu_nanos":true)"},
      {"error", R"(,"error":42)"},
      {"suite", R"(,"suite":["a"])"},
      {"trial_index", R"(,"trial_index":{})"},
      {"part_of_verdict", R"(,"part_of_verdict":1)"},
      {"below_signal_floor", R"(,"below_signal_floor":"yes")"},
      {"cache_mode", R"(,"cache_mode":"lukewarm")"},
      {"cache_mode", R"(,"cache_mode":0)"},
      {"result_hash", R"(,"result_hash":"deadbeef")"},
      {"result_hash", R"(,"result_hash":12)"},
      {"env", R"(,"env":"linux")"},
      // Keys inside env are named with their path.
      {"env.cpu_cores", R"(,"env":{"cpu_cores":"many"})"},
      {"env.git_dirty", R"(,"env":{"git_dirty":"no"})"},
      {"env.os", R"(,"env":{"os":7})"},
  };
  for (const auto& c : cases) {
    const std::string line = line_with(c.extra);
    CAPTURE(line);
    const JsonError e = parse_error(line);
    CHECK(contains(e.message, std::string("'") + c.key + "'"));
  }
  // Required keys with the wrong type are named too.
  CHECK(
      contains(parse_error(R"({"schema_version":1,"kind":"parametric","function":"f","param":"8",)"
                           R"("inner_repeats":4,"total_nanos":100,"status":"ok"})")
                   .message,
               "'param'"));
  CHECK(contains(parse_error(R"({"schema_version":1,"kind":"parametric","function":7,"param":8,)"
                             R"("inner_repeats":4,"total_nanos":100,"status":"ok"})")
                     .message,
                 "'function'"));
  CHECK(contains(parse_error(R"({"schema_version":1,"kind":"other","function":"f","param":8,)"
                             R"("inner_repeats":4,"total_nanos":100,"status":"ok"})")
                     .message,
                 "'kind'"));
}

TEST_CASE("row_json: the reader ignores unknown keys") {
  const Row r = parse_ok(line_with(R"(,"future_metric":{"nested":[1,2,3]},"note":"hi")"));
  CHECK(r.function == "f");
  CHECK(r.param == 8u);
  CHECK(r.inner_repeats == 4u);
  CHECK(r.total_nanos == 100u);
  CHECK(r.status == RowStatus::ok);
}

TEST_CASE("row_json: absent optional keys read as null") {
  const Row r = parse_ok(line_with(""));
  Row expected;
  expected.kind = RowKind::parametric;
  expected.function = "f";
  expected.status = RowStatus::ok;
  expected.total_nanos = 100;
  expected.param = 8;
  expected.inner_repeats = 4;
  CHECK(r == expected);
  const Row f = parse_ok(
      R"({"schema_version":1,"kind":"fixed","function":"g","repeat_index":0,"total_nanos":5,"status":"ok"})");
  CHECK(f.kind == RowKind::fixed);
  CHECK(f.repeat_index == 0u);
  CHECK_FALSE(f.inner_repeats.has_value());
  CHECK_FALSE(f.param.has_value());
  CHECK_FALSE(f.env.has_value());
}

TEST_CASE("row_json: an env object with keys missing reads them as null") {
  const Row r = parse_ok(line_with(R"(,"env":{"os":"linux"})"));
  REQUIRE(r.env.has_value());
  Env expected;
  expected.os = "linux";
  CHECK(*r.env == expected);
}

TEST_CASE("row_json: an unknown status reads as error with the status in the message") {
  std::string line = line_with(R"(,"error":null)");
  line.replace(line.find("\"status\":\"ok\""), 13, "\"status\":\"paused\"");
  const Row r = parse_ok(line);
  CHECK(r.status == RowStatus::error);
  REQUIRE(r.error.has_value());
  CHECK(contains(*r.error, "unknown status: paused"));
}

TEST_CASE("row_json: the reader rejects trailing junk after the object") {
  const std::string row = write_row(parametric_row());
  SUBCASE("a word") {
    const std::string line = row + " x";
    const JsonError e = parse_error(line);
    CHECK(e.column == line.size());  // the 'x'
  }
  SUBCASE("a second object") {
    parse_error(row + row);
  }
  SUBCASE("trailing whitespace is fine") {
    parse_ok(row + "  \t");
  }
}

TEST_CASE("row_json: a syntax error reports the 1-based column of the offending character") {
  const std::string line = R"({"schema_version": 1, oops})";
  const JsonError e = parse_error(line);
  CHECK(e.column == line.find("oops") + 1);
  CHECK_FALSE(e.message.empty());
  const std::string truncated = R"({"schema_version":1,"kind":)";
  CHECK(parse_error(truncated).column == truncated.size() + 1);
}

TEST_CASE("row_json: non-object documents and empty input are errors") {
  for (const std::string line : {"", "   ", "[]", "42", "null", "\"row\""}) {
    CAPTURE(line);
    parse_error(line);
  }
}

TEST_CASE("row_json: a line nested 100000 deep is an error, not a crash") {
  const std::size_t depth = 100'000;
  SUBCASE("unclosed arrays") {
    parse_error(std::string(depth, '['));
  }
  SUBCASE("closed arrays") {
    parse_error(std::string(depth, '[') + std::string(depth, ']'));
  }
  SUBCASE("objects") {
    std::string line;
    for (std::size_t i = 0; i < depth; ++i) line += "{\"a\":";
    line += "1";
    line += std::string(depth, '}');
    parse_error(line);
  }
  SUBCASE("inside env") {
    parse_error(line_with(",\"env\":" + std::string(depth, '[') + std::string(depth, ']')));
  }
}

// ---- bad input (issue 6): every case is rejected at its column, naming the key ---------------

// The 1-based column of the first occurrence of `needle` in line.
std::size_t column_of(const std::string& line, const std::string& needle) {
  const auto at = line.find(needle);
  REQUIRE(at != std::string::npos);
  return at + 1;
}

TEST_CASE("row_json: NaN and Infinity are not JSON: rejected at the value, naming the key") {
  for (const char* literal : {"NaN", "Infinity", "-Infinity", "nan", "inf"}) {
    const std::string line = line_with(std::string(R"(,"per_call_nanos":)") + literal);
    CAPTURE(line);
    const JsonError e = parse_error(line);
    CHECK(e.column == line.rfind(literal) + 1);
    CHECK(contains(e.message, "'per_call_nanos'"));
    CHECK(contains(e.message, "no NaN or Infinity"));
  }
}

TEST_CASE("row_json: a number too big for a double is rejected at the value, naming the key") {
  for (const char* number : {"1e400", "-1e400", "1e309"}) {
    const std::string line = line_with(std::string(R"(,"per_call_nanos":)") + number);
    CAPTURE(line);
    const JsonError e = parse_error(line);
    CHECK(e.column == line.rfind(number) + 1);
    CHECK(contains(e.message, "'per_call_nanos'"));
  }
  // A count too big for 64 bits is a double to JSON: the key says it wants an integer.
  const std::string line = line_with(R"(,"alloc_bytes":18446744073709551616)");
  const JsonError e = parse_error(line);
  CHECK(e.column == column_of(line, "\"alloc_bytes\""));
  CHECK(contains(e.message, "'alloc_bytes' must be a non-negative integer"));
}

TEST_CASE("row_json: doubles are read correctly rounded where RapidJSON 1.1.0 misreads them") {
  // The three lines the fuzzer found (tests/fuzz/regressions/row_reader): RapidJSON 1.1.0's
  // full-precision path read the first as 3.67e-40, the second as garbage (clz of 0, undefined
  // behaviour) and the third out of bounds (SIGSEGV). Each line also takes the strict reader: the
  // keys are not in write_row's order, so the fast path declines it.
  struct Case {
    const char* text;
    double value;
  };
  for (const Case c : {
           Case{"0.184467440737095516159", 0.184467440737095516159},
           Case{"0e100", 0.0},
           // 1.29e-334: below the smallest subnormal, so zero.
           Case{"128.74836467836484838364836483643636483648e-336", 0.0},
           Case{"0.30000000000000004", 0.30000000000000004},
           Case{"123456789012345678901234567890", 123456789012345678901234567890.0},
           Case{"1.7976931348623157e308", 1.7976931348623157e308},
           Case{"4.9406564584124654e-324", 4.9406564584124654e-324},
           Case{"1e-400", 0.0},  // below the smallest subnormal: rounds to zero
           Case{"0.000e-99999", 0.0},
       }) {
    const std::string line = line_with(std::string(R"(,"per_call_nanos":)") + c.text);
    CAPTURE(line);
    const auto strict = detail::parse_row_strict(line);
    REQUIRE(std::holds_alternative<Row>(strict));
    CHECK(std::get<Row>(strict).per_call_nanos == c.value);
    CHECK(parse_ok(line).per_call_nanos == c.value);
  }
  // Rounds to infinity: too big, like 1e400.
  const std::string line = line_with(R"(,"per_call_nanos":1.7976931348623159e308)");
  CHECK(contains(parse_error(line).message, "largest number"));
}

TEST_CASE("row_json: 20,000 doubles of 17 and 25 significant digits read as strtod reads them") {
  // glibc's strtod is correctly rounded: the reference. Bit patterns from a fixed LCG cover
  // subnormals and every exponent.
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  int checked = 0;
  for (int i = 0; i < 10000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    double d;
    std::memcpy(&d, &state, sizeof d);
    if (!std::isfinite(d)) continue;
    d = std::fabs(d);
    for (const int digits : {17, 25}) {
      char text[64];
      std::snprintf(text, sizeof text, "%.*e", digits - 1, d);
      const double expected = std::strtod(text, nullptr);
      const std::string line = line_with(std::string(R"(,"per_call_nanos":)") + text);
      const auto strict = detail::parse_row_strict(line);
      REQUIRE_MESSAGE(std::holds_alternative<Row>(strict), line);
      const double got = *std::get<Row>(strict).per_call_nanos;
      if (std::memcmp(&got, &expected, sizeof got) != 0) {
        FAIL_CHECK(text << " read as " << got << ", strtod reads " << expected);
      }
      ++checked;
    }
  }
  CHECK(checked > 15000);
}

TEST_CASE("row_json: a message quoting a value shows its control characters as question marks") {
  // tests/fuzz/regressions/jsonl_reader/message-raw-nul: a NUL (\u0000) quoted raw cut the
  // message short; an ESC would drive the terminal.
  const JsonError nul = parse_error(line_with(R"(,"cache_mode":"w\u0000arm")"));
  CHECK(contains(nul.message, "got \"w?arm\""));
  const JsonError esc = parse_error(line_with(R"(,"result_hash":"\u001b[31mred\u007f")"));
  CHECK(contains(esc.message, "got \"?[31mred?\""));
  const JsonError kind = parse_error(
      R"({"schema_version":1,"kind":"fix\ned","function":"f","repeat_index":0,"total_nanos":1,)"
      R"("status":"ok"})");
  CHECK(contains(kind.message, "got \"fix?ed\""));
  const JsonError typed = parse_error(line_with(R"(,"peak_rss_kb":"\t4000")"));
  CHECK(contains(typed.message, "got \"?4000\""));
  for (const JsonError& e : {nul, esc, kind, typed}) {
    CHECK(std::none_of(e.message.begin(), e.message.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }));
  }
}

TEST_CASE(
    "row_json: instructions, cycles and measured_under round-trip, and a bad place is refused") {
  Row r = fixed_row();
  for (auto under : {MeasuredUnder::native, MeasuredUnder::callgrind}) {
    r.measured_under = under;
    r.instructions = 1'000'000;
    check_round_trip(r);
  }
  // Rows written before the keys existed read them as null: measured natively, not counted.
  const Row old = parse_ok(line_with(""));
  CHECK(!old.instructions);
  CHECK(!old.cycles);
  CHECK(!old.measured_under);
  const JsonError e = parse_error(line_with(R"(,"measured_under":"qemu")"));
  CHECK(contains(e.message, "'measured_under' must be \"native\" or \"callgrind\"; got \"qemu\""));
  CHECK(contains(parse_error(line_with(R"(,"instructions":-5)")).message, "'instructions'"));
}

TEST_CASE("row_json: a negative number where a count belongs is rejected at its key") {
  for (const char* key : {"alloc_bytes", "alloc_count", "peak_rss_kb", "cpu_nanos", "trial_index",
                          "per_call_nanos"}) {
    const std::string line = line_with(std::string(",\"") + key + "\":-1");
    CAPTURE(line);
    const JsonError e = parse_error(line);
    CHECK(e.column == column_of(line, std::string("\"") + key + "\":-1"));
    CHECK(contains(e.message, std::string("'") + key + "'"));
    CHECK(contains(e.message, "non-negative"));
  }
  std::string line = line_with("");
  line.replace(line.find("\"total_nanos\":100"), 17, "\"total_nanos\":-100");
  const JsonError e = parse_error(line);
  CHECK(e.column == column_of(line, "\"total_nanos\""));
  CHECK(contains(e.message, "'total_nanos' must be a non-negative integer; got -100"));
}

TEST_CASE("row_json: a string where a number belongs is rejected at its key, quoting it") {
  const std::string line = line_with(R"(,"peak_rss_kb":"4000")");
  const JsonError e = parse_error(line);
  CHECK(e.column == column_of(line, "\"peak_rss_kb\""));
  CHECK(contains(e.message, "'peak_rss_kb' must be a non-negative integer; got \"4000\""));
  const std::string in_env = line_with(R"(,"env":{"os":"linux","cpu_cores":"4"})");
  const JsonError env_error = parse_error(in_env);
  CHECK(env_error.column == column_of(in_env, "\"cpu_cores\""));
  CHECK(contains(env_error.message, "'env.cpu_cores'"));
}

TEST_CASE("row_json: a key named twice is rejected at its second occurrence") {
  SUBCASE("a known key") {
    const std::string line = line_with(R"(,"peak_rss_kb":4000,"peak_rss_kb":1)");
    const JsonError e = parse_error(line);
    CHECK(e.column == column_of(line, "\"peak_rss_kb\":1"));
    CHECK(contains(e.message, "'peak_rss_kb' appears twice"));
  }
  SUBCASE("a required key, even with the same value") {
    const std::string line = line_with(R"(,"total_nanos":100)");
    const JsonError e = parse_error(line);
    CHECK(e.column == line.rfind("\"total_nanos\"") + 1);
    CHECK(contains(e.message, "'total_nanos'"));
  }
  SUBCASE("a key spelt with an escape is the same key") {
    const std::string line = line_with(R"(,"st\u0061tus":"error")");
    CHECK(contains(parse_error(line).message, "'status' appears twice"));
  }
  SUBCASE("an unknown key") {
    const std::string line = line_with(R"(,"note":"a","note":"b")");
    CHECK(contains(parse_error(line).message, "'note' appears twice"));
  }
  SUBCASE("a key inside env") {
    const std::string line = line_with(R"(,"env":{"os":"linux","os":"darwin"})");
    const JsonError e = parse_error(line);
    CHECK(e.column == column_of(line, "\"os\":\"darwin\""));
    CHECK(contains(e.message, "'env.os' appears twice"));
  }
  SUBCASE("the env itself") {
    CHECK(contains(parse_error(line_with(R"(,"env":null,"env":{"os":"linux"})")).message,
                   "'env' appears twice"));
  }
  SUBCASE("objects inside unknown keys are not rows: their keys are not checked") {
    parse_ok(line_with(R"(,"future":{"a":1,"a":2})"));
  }
}

TEST_CASE("row_json: nesting deeper than 64 levels is refused at the bracket that goes too deep") {
  SUBCASE("a document of brackets") {
    const std::string line = std::string(100'000, '[');
    const JsonError e = parse_error(line);
    CHECK(e.column == 65);
    CHECK(contains(e.message, "nested more than 64 levels"));
  }
  SUBCASE("inside an unknown key") {
    const std::string prefix = line_with("").substr(0, line_with("").size() - 1) + R"(,"x":)";
    const std::string line = prefix + std::string(100'000, '[') + std::string(100'000, ']') + "}";
    const JsonError e = parse_error(line);
    CHECK(e.column == prefix.size() + 64);  // the row is level 1
    CHECK(contains(e.message, "nested more than 64 levels"));
  }
  SUBCASE("64 levels are read") {
    parse_ok(line_with(R"(,"x":)" + std::string(63, '[') + std::string(63, ']')));
  }
}

TEST_CASE("row_json: a UTF-8 byte order mark before the row is skipped, and counted in columns") {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string line = write_row(parametric_row());
  CHECK(parse_ok(bom + line) == parametric_row());
  const std::string bad = bom + R"({"schema_version": 1, oops})";
  CHECK(parse_error(bad).column == column_of(bad, "oops"));
  // Only the whole mark: a stray byte of it is not skipped.
  parse_error("\xBF" + line);
  // Nor a mark anywhere else.
  parse_error(" " + bom + line);
}

TEST_CASE("row_json: a NUL byte is rejected at its column, even after a complete row") {
  const std::string line = write_row(parametric_row());
  const std::string after = line + std::string("\0\0garbage", 9);
  const JsonError e = parse_error(after);
  CHECK(e.column == line.size() + 1);
  CHECK(contains(e.message, "NUL byte"));
  std::string inside = line;
  inside.insert(line.find("sort.std_sort") + 4, 1, '\0');
  CHECK(contains(parse_error(inside).message, "NUL byte"));
  // A syntax error before the NUL is reported first.
  const std::string early = std::string("{oops\0", 6);
  CHECK(parse_error(early).column == 2);
}

TEST_CASE("row_json: an error about a key is located at the key") {
  std::string line = write_row(parametric_row());
  line.replace(line.find("\"schema_version\":1"), 18, "\"schema_version\":2");
  CHECK(parse_error(line).column == 2);
  const std::string kind = line_with("");
  std::string other = kind;
  other.replace(other.find("\"parametric\""), 12, "\"other\"");
  CHECK(parse_error(other).column == column_of(other, "\"kind\""));
  const std::string missing =
      R"({"schema_version":1,"kind":"parametric","param":1,"inner_repeats":1,"total_nanos":1,"status":"ok"})";
  CHECK(parse_error(missing).column == 1);  // a missing key has no place: the row's start
}

TEST_CASE("row_json: format_hash writes 0x and lowercase hex without padding") {
  CHECK(format_hash(0) == "0x0");
  CHECK(format_hash(1) == "0x1");
  CHECK(format_hash(0xabcdef) == "0xabcdef");
  CHECK(format_hash(0x0000000000001000ULL) == "0x1000");
  CHECK(format_hash(kMaxU64) == "0xffffffffffffffff");
}

TEST_CASE("row_json: parse_hash accepts 1-16 hex digits after 0x or 0X") {
  CHECK(parse_hash("0x0") == std::optional<std::uint64_t>(0));
  CHECK(parse_hash("0xffffffffffffffff") == std::optional<std::uint64_t>(kMaxU64));
  CHECK(parse_hash("0XFFFFFFFFFFFFFFFF") == std::optional<std::uint64_t>(kMaxU64));
  CHECK(parse_hash("0xDeadBeef") == std::optional<std::uint64_t>(0xdeadbeefULL));
  CHECK(parse_hash("0x0000000000000001") == std::optional<std::uint64_t>(1));
  for (std::uint64_t h :
       {std::uint64_t{0}, std::uint64_t{42}, std::uint64_t{0x8000000000000000ULL}, kMaxU64}) {
    CHECK(parse_hash(format_hash(h)) == std::optional<std::uint64_t>(h));
  }
}

TEST_CASE("row_json: parse_hash rejects malformed hashes") {
  for (const char* bad : {"", "0", "0x", "x1", "1x1", "0y1", "0x1g", "0x-1", " 0x1", "0x1 ",
                          "0x00000000000000001",  // 17 digits, even though the value fits
                          "0x1ffffffffffffffff",  // 17 digits, too big
                          "deadbeef"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_hash(bad).has_value());
  }
}

TEST_CASE("row_json: counters round-trip and are written only when present") {
  Row r = parametric_row();
  check_round_trip(r);
  CHECK_FALSE(contains(write_row(r), "counters"));
  r.counters =
      std::map<std::string, double>{{"bytes_per_second", 1.5e9}, {"nodes", 42}, {"x", -0.25}};
  check_round_trip(r);
  CHECK(contains(write_row(r),
                 R"("counters":{"bytes_per_second":1500000000.0,"nodes":42.0,"x":-0.25})"));
  r.counters->clear();
  check_round_trip(r);  // an empty object stays an empty object, not null
  fill_optional(r);
  r.counters = std::map<std::string, double>{{"items_per_second", 3}};
  check_round_trip(r);
  // The fast reader (RowReader) falls back to the full one for a row with counters.
  RowReader reader;
  Row back;
  std::shared_ptr<const Env> env;
  CHECK_FALSE(reader.read(write_row(r), back, env).has_value());
  CHECK(back.counters == r.counters);
}

TEST_CASE("row_json: counters must be an object of finite numbers, each named once") {
  CHECK(contains(parse_error(line_with(R"(,"counters":[1])")).message,
                 "key 'counters' must be an object"));
  CHECK(contains(parse_error(line_with(R"(,"counters":{"a":"1"})")).message,
                 "a finite number for counter 'a'"));
  CHECK(contains(parse_error(line_with(R"(,"counters":{"a":1,"a":2})")).message,
                 "names counter 'a' twice"));
  CHECK(contains(parse_error(line_with(R"(,"counters":{"a":1e999})")).message, "too big"));
  CHECK_FALSE(parse_ok(line_with(R"(,"counters":null)")).counters.has_value());
  Row r = parametric_row();
  r.counters = std::map<std::string, double>{{"bad", std::nan("")}};
  CHECK_THROWS_AS(write_row(r), std::invalid_argument);
}

TEST_CASE("row_json: bytes_per_call and items_per_call round-trip and are written only when set") {
  Row r = parametric_row();
  CHECK_FALSE(contains(write_row(r), "per_call\":"));
  r.bytes_per_call = 4096;
  check_round_trip(r);
  CHECK(contains(write_row(r), R"("bytes_per_call":4096.0)"));
  CHECK_FALSE(contains(write_row(r), "items_per_call"));
  r.items_per_call = 0.5;
  r.counters = std::map<std::string, double>{{"nodes_visited", 1024}};
  check_round_trip(r);
  fill_optional(r);
  r.bytes_per_call = 8;
  r.items_per_call = 2;
  check_round_trip(r);
  // The fast reader (RowReader) falls back to the full one for such a row.
  RowReader reader;
  Row back;
  std::shared_ptr<const Env> env;
  CHECK_FALSE(reader.read(write_row(r), back, env).has_value());
  CHECK(back.bytes_per_call == 8.0);
  CHECK(back.items_per_call == 2.0);
  // Finite and non-negative, both ways.
  CHECK(contains(parse_error(line_with(R"(,"bytes_per_call":-1)")).message,
                 "key 'bytes_per_call' must be a finite non-negative number"));
  CHECK(contains(parse_error(line_with(R"(,"items_per_call":"2")")).message,
                 "key 'items_per_call' must be a number"));
  CHECK_FALSE(parse_ok(line_with(R"(,"bytes_per_call":null)")).bytes_per_call.has_value());
  r.items_per_call = -1;
  CHECK_THROWS_AS(write_row(r), std::invalid_argument);
}

TEST_CASE("row_json: per_call_setup and manual_time round-trip and are written only when present") {
  Row r = parametric_row();
  CHECK_FALSE(contains(write_row(r), "per_call_setup"));
  CHECK_FALSE(contains(write_row(r), "manual_time"));
  r.per_call_setup = true;
  check_round_trip(r);
  CHECK(contains(write_row(r), R"("per_call_setup":true)"));
  r.per_call_setup.reset();
  r.manual_time = true;
  check_round_trip(r);
  CHECK(contains(write_row(r), R"("manual_time":true)"));
  fill_optional(r);
  r.per_call_setup = true;
  r.manual_time = false;
  check_round_trip(r);
  // The fast reader does not know the keys: it declines, and RowReader falls back to the full one.
  CHECK_FALSE(benchgate::detail::parse_row_fast(write_row(r)).has_value());
  RowReader reader;
  Row back;
  std::shared_ptr<const Env> env;
  CHECK_FALSE(reader.read(write_row(r), back, env).has_value());
  CHECK(back.per_call_setup == std::optional<bool>(true));
  CHECK(back.manual_time == std::optional<bool>(false));
  CHECK(contains(parse_error(line_with(R"(,"per_call_setup":1)")).message,
                 "key 'per_call_setup' must be"));
  CHECK_FALSE(parse_ok(line_with(R"(,"manual_time":null)")).manual_time.has_value());
}
