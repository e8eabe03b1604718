// Tests the fast reading of rows (benchgate/core/row_json.hpp: RowReader and parse_row's fast path)
// against the strict reader: every line, whichever path takes it, gives the strict reader's Row or
// its very JsonError. Lines come from write_row (random rows, every optional field null or not) and
// from hand edits of them: reordered keys, extra keys, whitespace, escapes, odd numbers, wrong
// types, truncations and single-byte mutations.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "benchgate/core/row_json.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;
using Rng = std::mt19937_64;

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

bool coin(Rng& rng) {
  return (rng() & 1) != 0;
}

template <class T>
const T& pick(Rng& rng, const std::vector<T>& from) {
  return from[rng() % from.size()];
}

std::uint64_t any_u64(Rng& rng) {
  static const std::vector<std::uint64_t> edges{0,
                                                1,
                                                9,
                                                10,
                                                4096,
                                                std::uint64_t{1} << 53,
                                                (std::uint64_t{1} << 63) - 1,
                                                std::uint64_t{1} << 63,
                                                kMaxU64 - 1,
                                                kMaxU64,
                                                9'999'999'999'999'999'999ULL,
                                                10'000'000'000'000'000'000ULL};
  switch (rng() % 3) {
    case 0: return pick(rng, edges);
    case 1: return rng() % 100'000;
    default: return rng();
  }
}

std::int64_t any_i64(Rng& rng) {
  static const std::vector<std::int64_t> edges{0,
                                               1,
                                               -1,
                                               2,
                                               1'795'836'029'503,
                                               std::numeric_limits<std::int64_t>::max(),
                                               std::numeric_limits<std::int64_t>::min()};
  return coin(rng) ? pick(rng, edges) : static_cast<std::int64_t>(rng() >> (rng() % 64));
}

// Finite and non-negative: what write_row writes.
double any_double(Rng& rng) {
  static const std::vector<double> edges{0.0,
                                         1.0,
                                         0.1,
                                         1.0 / 3.0,
                                         664.1589126586914,
                                         123456789.123456789,
                                         1e21,
                                         1e-7,
                                         1e-300,
                                         5e-324,
                                         2.2250738585072014e-308,
                                         9007199254740993.0,
                                         std::numeric_limits<double>::max()};
  switch (rng() % 3) {
    case 0: return pick(rng, edges);
    case 1: return static_cast<double>(rng() % 10'000'000) / static_cast<double>(1 + rng() % 4096);
    default: {
      double d;
      do {
        const std::uint64_t bits = rng() & ~(std::uint64_t{1} << 63);
        std::memcpy(&d, &bits, sizeof d);
      } while (!std::isfinite(d));
      return d;
    }
  }
}

const std::vector<std::string>& strings() {
  static const std::vector<std::string> s{"f",
                                          "sort.std_sort",
                                          "group03.algorithm_07",
                                          "suite with spaces",
                                          "we\"ird/na\\me\x01\x1f",
                                          "tab\there and a newline\n",
                                          std::string("nul\0inside", 10),
                                          "UTF-8: µs ×2, 日本語, 🙂",
                                          "\x7f and invalid UTF-8 \xff\xfe",
                                          "a/slash",
                                          std::string(300, 'x'),
                                          ""};
  return s;
}

std::string any_string(Rng& rng) {
  return pick(rng, strings());
}

std::string any_name(Rng& rng) {
  std::string s;
  do s = any_string(rng);
  while (s.empty());
  return s;
}

template <class T, class Make>
std::optional<T> maybe(Rng& rng, Make make) {
  return coin(rng) ? std::optional<T>(make()) : std::nullopt;
}

Env any_env(Rng& rng) {
  Env e;
  auto s = [&] { return maybe<std::string>(rng, [&] { return any_string(rng); }); };
  e.compiler = s();
  e.compiler_version = s();
  e.build_type = s();
  e.benchgate_version = s();
  e.os = s();
  e.arch = s();
  e.cpu_model = s();
  e.cpu_cores = maybe<std::int64_t>(rng, [&] { return any_i64(rng); });
  e.hostname = s();
  e.exe_name = s();
  e.git_commit = s();
  e.git_dirty = maybe<bool>(rng, [&] { return coin(rng); });
  e.timestamp_unix_ms = maybe<std::int64_t>(rng, [&] { return any_i64(rng); });
  e.timestamp_iso = s();
  return e;
}

// A row with every optional field independently null or set; envs repeat, as in runner output.
Row any_row(Rng& rng, const std::vector<Env>& envs) {
  Row r;
  r.kind = coin(rng) ? RowKind::parametric : RowKind::fixed;
  r.function = any_name(rng);
  r.status = pick(rng, std::vector<RowStatus>{RowStatus::ok, RowStatus::ok, RowStatus::timed_out,
                                              RowStatus::killed_at_cap, RowStatus::error});
  r.total_nanos = any_u64(rng);
  auto u = [&] { return maybe<std::uint64_t>(rng, [&] { return any_u64(rng); }); };
  if (r.kind == RowKind::parametric) {
    r.param = any_u64(rng);
    r.inner_repeats = any_u64(rng);
  } else {
    r.repeat_index = any_u64(rng);
    r.inner_repeats = u();
  }
  r.per_call_nanos = maybe<double>(rng, [&] { return any_double(rng); });
  r.cache_mode =
      maybe<CacheMode>(rng, [&] { return coin(rng) ? CacheMode::warm : CacheMode::cold; });
  r.result_hash = u();
  r.error = maybe<std::string>(rng, [&] { return any_string(rng); });
  r.alloc_bytes = u();
  r.alloc_count = u();
  r.peak_rss_kb = u();
  r.peak_rss_includes_setup = maybe<bool>(rng, [&] { return coin(rng); });
  r.rss_baseline_kb = u();
  r.child_maxrss_kb = u();
  r.cpu_nanos = u();
  if (rng() % 4 != 0) r.env = pick(rng, envs);
  r.suite = maybe<std::string>(rng, [&] { return any_string(rng); });
  r.trial_index = u();
  r.part_of_verdict = maybe<bool>(rng, [&] { return coin(rng); });
  r.below_signal_floor = maybe<bool>(rng, [&] { return coin(rng); });
  return r;
}

// The extent of the JSON value that starts at `at`.
std::size_t value_end(const std::string& line, std::size_t at) {
  if (at >= line.size()) return at;
  if (line[at] == '"') {
    std::size_t i = at + 1;
    while (i < line.size() && line[i] != '"') i += line[i] == '\\' ? 2 : 1;
    return std::min(i + 1, line.size());
  }
  if (line[at] == '{' || line[at] == '[') {
    int depth = 0;
    for (std::size_t i = at; i < line.size(); ++i) {
      if (line[i] == '"') {
        i = value_end(line, i) - 1;
      } else if (line[i] == '{' || line[i] == '[') {
        ++depth;
      } else if ((line[i] == '}' || line[i] == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return line.size();
  }
  std::size_t i = at;
  while (i < line.size() && line[i] != ',' && line[i] != '}' && line[i] != ']') ++i;
  return i;
}

// The line with the value of the first "key": replaced; the line itself if the key is absent.
std::string with_value(const std::string& line, const std::string& key, const std::string& value) {
  const std::string k = "\"" + key + "\":";
  const auto at = line.find(k);
  if (at == std::string::npos) return line;
  const std::size_t start = at + k.size();
  return line.substr(0, start) + value + line.substr(value_end(line, start));
}

std::string replaced(std::string line, const std::string& from, const std::string& to) {
  const auto at = line.find(from);
  if (at != std::string::npos) line.replace(at, from.size(), to);
  return line;
}

std::string replaced_all(std::string line, const std::string& from, const std::string& to) {
  for (auto at = line.find(from); at != std::string::npos; at = line.find(from, at + to.size())) {
    line.replace(at, from.size(), to);
  }
  return line;
}

const char* const kKeys[] = {"schema_version",
                             "kind",
                             "function",
                             "param",
                             "inner_repeats",
                             "repeat_index",
                             "total_nanos",
                             "per_call_nanos",
                             "cache_mode",
                             "result_hash",
                             "status",
                             "error",
                             "alloc_bytes",
                             "alloc_count",
                             "peak_rss_kb",
                             "peak_rss_includes_setup",
                             "rss_baseline_kb",
                             "child_maxrss_kb",
                             "cpu_nanos",
                             "env",
                             "suite",
                             "trial_index",
                             "part_of_verdict",
                             "below_signal_floor",
                             "compiler",
                             "os",
                             "cpu_cores",
                             "git_dirty",
                             "timestamp_unix_ms",
                             "timestamp_iso"};

// Hand edits of a written line: each is either the same row written differently or a line the
// reader must reject, and the two paths have to agree on which and on what.
std::vector<std::string> variants(const std::string& line) {
  std::vector<std::string> v{
      line,
      line + "  \t",
      line + "\r\n",
      " " + line,
      line + " x",
      line + line,
      replaced(line, ":", ": "),
      replaced_all(line, ",\"", ", \""),
      "{\"extra\":[1,{\"a\":null}]," + line.substr(1),
      line.substr(0, line.size() - 1) + ",\"extra\":\"\\u00b5\"}",
      line.substr(0, line.size() - 1) + ",\"function\":\"shadowed\"}",
      replaced(line, "{\"schema_version\":1,", "{"),
      replaced(line, "\"schema_version\":1", "\"schema_version\":1.0"),
      replaced(line, "\"schema_version\":1", "\"schema_version\":2"),
      replaced(line, "\"kind\":\"parametric\"", "\"kind\":\"p\\u0061rametric\""),
      replaced(line, "\"kind\":\"fixed\"", "\"kind\":\"other\""),
      replaced(line, "\"status\":\"ok\"", "\"status\":\"paused\""),
      replaced(line, "\"status\":\"ok\"", "\"status\":\"o\\u006b\"")};
  // The schema_version moved to the end: the same row.
  {
    const std::string head = "{\"schema_version\":1,";
    if (line.rfind(head, 0) == 0) {
      v.push_back("{" + line.substr(head.size(), line.size() - head.size() - 1) +
                  ",\"schema_version\":1}");
    }
  }
  for (const char* n :
       {"18446744073709551615", "18446744073709551616", "99999999999999999999",
        "100000000000000000000", "0", "00", "01", "-0", "-1", "1.0", "1e3", "1E3",
        "9223372036854775807", "9223372036854775808", "\"7\"", "true", "null", "[]", "{}"}) {
    v.push_back(with_value(line, "total_nanos", n));
    v.push_back(with_value(line, "param", n));
    v.push_back(with_value(line, "cpu_cores", n));
    v.push_back(with_value(line, "timestamp_unix_ms", n));
  }
  for (const char* d : {"1",
                        "0",
                        "0.0",
                        "-0.0",
                        "-0",
                        "-1.5",
                        "1e400",
                        "1e-400",
                        "-1e400",
                        "1E5",
                        "1.5e+3",
                        "0.1e-2",
                        "01.5",
                        "1.",
                        ".5",
                        "1e",
                        "1e+",
                        "2.2250738585072011e-308",
                        "4.9406564584124654e-324",
                        "2.4703282292062328e-324",
                        "1.7976931348623157e308",
                        "1.7976931348623159e308",
                        "123456789012345678901234567890",
                        "0.30000000000000004",
                        "9007199254740993",
                        "18446744073709551616",
                        "1.00000000000000011102230246251565404236316680908203125",
                        "7.2057594037927933e16",
                        "\"1\"",
                        "NaN",
                        "Infinity"}) {
    v.push_back(with_value(line, "per_call_nanos", d));
  }
  for (const char* key : kKeys) {
    for (const char* value : {"\"x\"", "true", "[]", "{}", "null", "-1", "1.5", "\"\"", "7"}) {
      v.push_back(with_value(line, key, value));
    }
  }
  for (const char* hash : {"\"0x\"", "\"0xABCDEF\"", "\"0x00000000000000001\"", "\"deadbeef\"",
                           "\"0x1g\"", "\"0x\\u0031\""}) {
    v.push_back(with_value(line, "result_hash", hash));
  }
  for (const char* mode : {"\"warm\"", "\"cold\"", "\"WARM\"", "\"lukewarm\"", "\"w\\u0061rm\""}) {
    v.push_back(with_value(line, "cache_mode", mode));
  }
  for (const char* env : {"null", "{}", "{\"os\":\"linux\"}", "\"linux\"", "[[[[]]]]",
                          "{\"os\":\"linux\",\"os\":7}"}) {
    v.push_back(with_value(line, "env", env));
  }
  // Bad input of issue 6: a byte order mark, NUL bytes, a key twice, deep nesting.
  v.push_back("\xEF\xBB\xBF" + line);
  v.push_back("\xEF\xBB" + line);
  v.push_back(line + std::string(1, '\0'));
  v.push_back(replaced(line, "\"status\"", std::string("\"st\0tus\"", 8)));
  v.push_back(line.substr(0, line.size() - 1) + ",\"param\":1}");
  v.push_back(line.substr(0, line.size() - 1) + ",\"x\":" + std::string(70, '[') +
              std::string(70, ']') + "}");
  return v;
}

// Equal rows, doubles compared bit for bit (== would take -0.0 for 0.0).
bool same(const Row& a, const Row& b) {
  if (!(a == b)) return false;
  if (a.per_call_nanos.has_value() != b.per_call_nanos.has_value()) return false;
  return !a.per_call_nanos ||
         std::memcmp(&*a.per_call_nanos, &*b.per_call_nanos, sizeof(double)) == 0;
}

std::string describe(const std::variant<Row, JsonError>& r) {
  if (const auto* e = std::get_if<JsonError>(&r)) {
    return "error at column " + std::to_string(e->column) + ": " + e->message;
  }
  try {
    return "row " + write_row(std::get<Row>(r));
  } catch (const std::exception&) {
    return "row that write_row refuses";
  }
}

bool same(const std::variant<Row, JsonError>& a, const std::variant<Row, JsonError>& b) {
  if (a.index() != b.index()) return false;
  if (const auto* ea = std::get_if<JsonError>(&a)) {
    const auto& eb = std::get<JsonError>(b);
    return ea->column == eb.column && ea->message == eb.message;
  }
  return same(std::get<Row>(a), std::get<Row>(b));
}

// What the fast path must read on its own: a line as write_row writes it, without escapes in its
// strings (write_row escapes every control character) and without negative env numbers.
bool plain(const std::string& written) {
  return written.find('\\') == std::string::npos && written.find(":-") == std::string::npos;
}

// Reads every line with every path and checks them against the strict reader. One RowReader reads
// them all in order, so that its shared env is exercised across lines. `written` says that the
// lines are write_row's, unedited.
void check_lines(const std::vector<std::string>& lines, bool written = false) {
  RowReader reader;
  Row row;
  std::shared_ptr<const Env> env;
  for (const auto& line : lines) {
    const auto strict = detail::parse_row_strict(line);
    INFO("line: " << line);
    INFO("strict: " << describe(strict));

    const auto f = detail::parse_row_fast(line);
    if (f) {
      REQUIRE(std::holds_alternative<Row>(strict));
      CHECK(same(*f, std::get<Row>(strict)));
    }
    if (written) CHECK(f.has_value() == plain(line));
    CHECK(same(parse_row(line), strict));

    std::variant<Row, JsonError> streamed;
    if (auto error = reader.read(line, row, env)) {
      streamed = *error;
    } else {
      CHECK_FALSE(row.env.has_value());
      Row copy = row;
      if (env) copy.env = *env;
      streamed = copy;
    }
    CHECK(same(streamed, strict));
  }
}

}  // namespace

TEST_CASE("row_reader: rows as write_row emits them read as strictly, most by the fast path") {
  Rng rng(20261128);
  std::vector<Env> envs{Env{}};
  for (int i = 0; i < 6; ++i) envs.push_back(any_env(rng));
  std::vector<std::string> lines;
  for (int i = 0; i < 3000; ++i) {
    const Row r = any_row(rng, envs);
    const std::string line = write_row(r);
    // Runs of rows with one env, as one runner invocation writes them.
    const int repeat = rng() % 3 == 0 ? 3 : 1;
    for (int k = 0; k < repeat; ++k) lines.push_back(line);
  }
  const auto fast = static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), plain));
  CHECK(fast > lines.size() / 8);  // the generator's strings are mostly awkward ones
  check_lines(lines, true);
}

TEST_CASE("row_reader: hand-edited rows read as the strict reader reads them") {
  Rng rng(7);
  std::vector<Env> envs{Env{}};
  for (int i = 0; i < 3; ++i) envs.push_back(any_env(rng));
  Env plain;  // an env the fast path reads: no escapes, no negative numbers
  plain.compiler = "gcc";
  plain.compiler_version = "12.2.0";
  plain.cpu_model = "AMD EPYC 7B13 64-Core Processor";
  plain.cpu_cores = 2;
  plain.git_dirty = false;
  plain.timestamp_unix_ms = 1'795'836'029'503;
  envs.push_back(plain);
  std::vector<std::string> lines;
  for (int i = 0; i < 40; ++i) {
    Row r = any_row(rng, envs);
    if (i % 2 == 0) {  // half of them plain enough for the fast path before the edit
      r.function = "sort.std_sort";
      r.suite = "sort_bench";
      r.error.reset();
      r.env = plain;
    }
    for (const auto& v : variants(write_row(r))) lines.push_back(v);
  }
  check_lines(lines);
}

TEST_CASE("row_reader: every prefix of a row reads as the strict reader reads it") {
  Rng rng(3);
  Row r = any_row(rng, {Env{}});
  r.function = "f";
  r.suite = "s";
  r.error.reset();
  Env e;
  e.os = "linux";
  e.cpu_cores = 4;
  r.env = e;
  r.per_call_nanos = 1.5e-3;
  const std::string line = write_row(r);
  std::vector<std::string> lines;
  for (std::size_t n = 0; n <= line.size(); ++n) {
    lines.push_back(line);  // the whole line first, so the env is shared when the prefix is read
    lines.push_back(line.substr(0, n));
  }
  check_lines(lines);
}

TEST_CASE("row_reader: a row with any one byte changed reads as the strict reader reads it") {
  Row r;
  r.kind = RowKind::parametric;
  r.function = "group00.algorithm_00";
  r.param = 16;
  r.inner_repeats = 524288;
  r.total_nanos = 348210548;
  r.per_call_nanos = 664.1589126586914;
  r.cache_mode = CacheMode::warm;
  r.result_hash = 0x8b308fe5b91d59afULL;
  r.peak_rss_kb = 4295;
  r.cpu_nanos = 346487747;
  Env e;
  e.compiler = "gcc";
  e.compiler_version = "12.2.0";
  e.build_type = "RelWithDebInfo";
  e.cpu_model = "AMD EPYC 7B13 64-Core Processor";
  e.cpu_cores = 2;
  e.git_dirty = false;
  e.timestamp_unix_ms = 1795839629503;
  r.env = e;
  r.suite = "suite00_bench";
  r.trial_index = 0;
  Row fixed = r;
  fixed.kind = RowKind::fixed;
  fixed.param.reset();
  fixed.repeat_index = 3;
  fixed.env.reset();
  for (const Row& row : {r, fixed}) {
    const std::string line = write_row(row);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < line.size(); ++i) {
      lines.push_back(line);  // the env object as it was, for the shared Env
      for (char c : {'0', '9', '"', '\\', ' ', 'x', '}', ',', '-', '.', 'e', '\x01', '\0'}) {
        if (line[i] == c) continue;
        std::string mutated = line;
        mutated[i] = c;
        lines.push_back(mutated);
      }
    }
    check_lines(lines);
  }
}

TEST_CASE("row_reader: rows that share an env object share one Env") {
  Row r;
  r.function = "f";
  r.param = 1;
  r.inner_repeats = 1;
  Env e;
  e.os = "linux";
  r.env = e;
  const std::string a = write_row(r);
  r.param = 2;
  const std::string b = write_row(r);
  Env other = e;
  other.os = "darwin";
  r.env = other;
  const std::string c = write_row(r);

  RowReader reader;
  Row row;
  std::shared_ptr<const Env> first, second, third;
  REQUIRE_FALSE(reader.read(a, row, first));
  REQUIRE_FALSE(reader.read(b, row, second));
  CHECK(row.param == std::optional<std::uint64_t>(2));
  REQUIRE(first.get() != nullptr);
  CHECK(first.get() == second.get());
  CHECK(*first == e);
  REQUIRE_FALSE(reader.read(c, row, third));
  REQUIRE(third.get() != nullptr);
  CHECK(*third == other);
  CHECK(*first == e);  // an Env already handed out never changes
}

TEST_CASE("row_reader: a row without counters or issue-20 fields after one with them has none") {
  // The fast path fills the caller's Row in place: what it does not read (counters, throughput,
  // per_call_setup, manual_time: read by the strict path only) must not survive from the row
  // before.
  Row r;
  r.function = "f";
  r.param = 1;
  r.inner_repeats = 1;
  r.counters = std::map<std::string, double>{{"bytes_per_second", 1e9}};
  r.bytes_per_call = 8;
  r.items_per_call = 2;
  r.per_call_setup = true;
  r.manual_time = true;
  const std::string with = write_row(r);
  r = Row();
  r.function = "g";
  r.param = 1;
  r.inner_repeats = 1;
  const std::string without = write_row(r);

  RowReader reader;
  Row row;
  std::shared_ptr<const Env> env;
  REQUIRE_FALSE(reader.read(with, row, env));
  REQUIRE(row.counters.has_value());
  REQUIRE_FALSE(reader.read(without, row, env));
  CHECK(row.function == "g");
  CHECK_FALSE(row.counters.has_value());
  CHECK_FALSE(row.bytes_per_call.has_value());
  CHECK_FALSE(row.items_per_call.has_value());
  CHECK_FALSE(row.per_call_setup.has_value());
  CHECK_FALSE(row.manual_time.has_value());
}

TEST_CASE(
    "row_reader: bad input around a fast-path row is read as strictly as parse_row reads it") {
  Row r;
  r.function = "f";
  r.param = 1;
  r.inner_repeats = 1;
  Env e;
  e.os = "linux";
  r.env = e;
  const std::string line = write_row(r);
  RowReader reader;
  Row row;
  std::shared_ptr<const Env> env;
  REQUIRE_FALSE(reader.read(line, row, env));  // the env is now known to the fast path

  // A byte order mark: the same row.
  REQUIRE_FALSE(reader.read("\xEF\xBB\xBF" + line, row, env));
  REQUIRE(env.get() != nullptr);
  CHECK(*env == e);
  CHECK(row.function == "f");

  // Rows the fast path would read up to a point that is not the end, all errors.
  const std::vector<std::pair<std::string, std::string>> bad{
      {line + std::string(1, '\0'), "NUL byte"},
      {line.substr(0, line.size() - 1) + ",\"param\":2}", "'param' appears twice"},
      {replaced(line, "\"os\":\"linux\"", "\"os\":\"linux\",\"os\":\"darwin\""),
       "'env.os' appears twice"},
      {line.substr(0, line.size() - 1) + ",\"x\":" + std::string(100'000, '[') +
           std::string(100'000, ']') + "}",
       "nested more than 64 levels"},
      {replaced(line, "\"per_call_nanos\":null", "\"per_call_nanos\":NaN"), "no NaN"},
  };
  for (const auto& [text, message] : bad) {
    CAPTURE(message);
    const auto error = reader.read(text, row, env);
    REQUIRE(error.has_value());
    CHECK(error->message.find(message) != std::string::npos);
    const auto strict = detail::parse_row_strict(text);
    REQUIRE(std::holds_alternative<JsonError>(strict));
    CHECK(std::get<JsonError>(strict).column == error->column);
  }
}
