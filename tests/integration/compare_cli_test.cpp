// Integration: the benchgate-compare executable's contract with CTest — exit codes 0, 1, 2 and
// 77, messages that name the file, line and column or the flag and value, --write-baseline, and
// every bad input of docs/compare.md "Bad input", each through the real executable.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
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

// Five trials of key s/f n=64 (or `suite`/f n=64), one line each; `scale` multiplies every time.
std::vector<std::string> lines(double scale, const std::string& suite = "s") {
  std::vector<std::string> out;
  for (std::uint64_t t = 0; t < 5; ++t) {
    Row r = row("f", 64, t, scale * (1000 + static_cast<double>(t)));
    r.suite = suite;
    out.push_back(write_row(r));
  }
  return out;
}

// Lines joined by `eol`, each ended by it.
std::string text_of(const std::vector<std::string>& ls, const std::string& eol = "\n") {
  std::string text;
  for (const auto& l : ls) text += l + eol;
  return text;
}

// Writes bytes exactly as given.
void write_text(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
  REQUIRE(out.good());
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_rows(const fs::path& file, double scale) {
  write_text(file, text_of(lines(scale)));
}

// The first row with `key`'s value replaced by `value` (the key must be in write_row's text).
std::string with_value(const std::string& key, const std::string& value) {
  std::string line = lines(1.0).front();
  const std::string k = "\"" + key + "\":";
  const auto at = line.find(k);
  REQUIRE(at != std::string::npos);
  const auto end = line.find_first_of(",}", at + k.size());
  line.replace(at + k.size(), end - at - k.size(), value);
  return line;
}

using testing::has;

}  // namespace

TEST_CASE("compare cli: identical rows pass with exit 0") {
  const auto dir = scratch("identical");
  write_rows(dir / "a.jsonl", 1.0);
  write_rows(dir / "b.jsonl", 1.0);
  const auto r = compare({(dir / "a.jsonl").string(), (dir / "b.jsonl").string()});
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

TEST_CASE("compare cli: html writes a page with plots and keeps the text report and exit code") {
  const auto dir = scratch("html");
  // Key s/f at four params, five trials each; the current rows are 30% slower at n=4096.
  std::string base, cur;
  for (std::uint64_t n : {64, 256, 1024, 4096}) {
    for (std::uint64_t t = 0; t < 5; ++t) {
      const double ns = 10 * static_cast<double>(n) + static_cast<double>(t);
      base += write_row(row("f", n, t, ns)) + "\n";
      cur += write_row(row("f", n, t, n == 4096 ? ns * 1.3 : ns)) + "\n";
    }
  }
  write_text(dir / "base.jsonl", base);
  write_text(dir / "cur.jsonl", cur);
  const std::vector<std::string> args{(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()};
  const auto plain = compare(args);
  auto with_html = args;
  with_html.insert(with_html.end(), {"--html", (dir / "report.html").string()});
  const auto r = compare(with_html);
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  CHECK(r.exit_code == plain.exit_code);
  CHECK(r.stdout_tail == plain.stdout_tail);
  CHECK(has(r.stdout_tail, "REGRESSED"));
  REQUIRE(fs::exists(dir / "report.html"));
  std::ifstream in(dir / "report.html");
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(html);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(has(html, "FAIL: 1 key(s) fail the gate"));
  CHECK(has(html, "<svg class=\"time-plot\""));
  CHECK(has(html, "<polyline class=\"series baseline\""));
  CHECK(has(html, "<polyline class=\"series current\""));
  CHECK(has(html, "<svg class=\"rss-chart\""));
  CHECK(has(html, "<td class=\"status\">REGRESSED</td><td>s/f n=4096</td>"));
  CHECK_FALSE(has(html, "http"));
  CHECK_FALSE(has(html, "<script"));
}

TEST_CASE("compare cli: an html file that cannot be written exits 2 naming the flag and path") {
  const auto dir = scratch("html-unwritable");
  write_rows(dir / "base.jsonl", 1.0);
  write_rows(dir / "cur.jsonl", 1.0);
  const std::string target = (dir / "no-such-dir" / "report.html").string();
  const auto r =
      compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string(), "--html", target});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "--html '" + target + "'"));
  CHECK(has(r.stderr_tail, "cannot open for writing"));
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

TEST_CASE("compare cli: write-baseline --add-run keeps the most recent recorded runs") {
  const auto dir = scratch("add-run");
  // Run r: two trials at n=64, env timestamp 1000 r, per-call 500 + r.
  auto run_file = [&](int r) {
    std::string text;
    for (std::uint64_t t : {1, 0}) {
      Row row_ = row("f", 64, t, 500 + r);
      row_.env = Env{};
      row_.env->timestamp_unix_ms = 1000 * r;
      text += write_row(row_) + "\n";
    }
    const auto file = dir / ("run" + std::to_string(r) + ".jsonl");
    write_text(file, text);
    return file.string();
  };
  const std::string base = (dir / "base.jsonl").string();
  auto add = [&](int r, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--write-baseline", base, run_file(r), "--add-run"};
    args.insert(args.end(), extra.begin(), extra.end());
    return compare(args);
  };
  auto runs_in_base = [&] {
    std::vector<std::int64_t> runs;
    for (const Row& r : read_rows(base)) runs.push_back(*r.env->timestamp_unix_ms);
    return runs;
  };
  REQUIRE(add(1).exit_code == 0);
  const auto second = add(2);
  CHECK(has(second.stdout_tail, "wrote 4 row(s)"));
  CHECK(has(second.stdout_tail, "(2 runs)"));
  // Sorted by key, then run, then trial.
  CHECK(runs_in_base() == std::vector<std::int64_t>{1000, 1000, 2000, 2000});
  // The same run again replaces itself: nothing doubled.
  REQUIRE(add(2).exit_code == 0);
  CHECK(runs_in_base() == std::vector<std::int64_t>{1000, 1000, 2000, 2000});
  // Beyond --keep-runs the oldest go.
  REQUIRE(add(3, {"--keep-runs", "2"}).exit_code == 0);
  CHECK(runs_in_base() == std::vector<std::int64_t>{2000, 2000, 3000, 3000});
  // Without --add-run an unchanged benchmark keeps its runs, untouched; --all replaces them by
  // the one run.
  const auto kept = compare({"--write-baseline", base, run_file(4)});
  REQUIRE(kept.exit_code == 0);
  CHECK(has(kept.stdout_tail, "unchanged: kept 1 benchmark (1 key), updated 0"));
  CHECK(runs_in_base() == std::vector<std::int64_t>{2000, 2000, 3000, 3000});
  REQUIRE(compare({"--write-baseline", base, run_file(4), "--all"}).exit_code == 0);
  CHECK(runs_in_base() == std::vector<std::int64_t>{4000, 4000});
  // --add-run without --write-baseline, --keep-runs without --add-run: usage errors.
  const auto alone = compare({base, run_file(4), "--add-run"});
  CHECK(alone.exit_code == 2);
  CHECK(has(alone.stderr_tail, "--add-run and --keep-runs go with --write-baseline"));
  const auto keep = compare({"--write-baseline", base, run_file(4), "--keep-runs", "3"});
  CHECK(keep.exit_code == 2);
  CHECK(has(keep.stderr_tail, "--keep-runs goes with --add-run"));
}

TEST_CASE("compare cli: write-baseline rewrites only a changed benchmark and says what it did") {
  const auto dir = scratch("write-changed");
  // Suite s: f is steady, g three times slower now, h new, ten trials each (five a side are too
  // few for the interval at two looks); the baseline's lines have a layout write_row never makes
  // (a space after the brace), so a kept line is told from a rewritten one.
  auto rows_of = [](const std::string& function, double scale, std::int64_t run) {
    std::vector<std::string> out;
    for (std::uint64_t t = 0; t < 10; ++t) {
      Row r = row(function, 64, t, scale * (1000 + static_cast<double>(t)));
      r.env = Env{};
      r.env->timestamp_unix_ms = run;
      out.push_back(write_row(r));
    }
    return out;
  };
  std::vector<std::string> base;
  for (const auto* f : {"f", "g"}) {
    for (const auto& l : rows_of(f, 1.0, 1)) base.push_back("{ " + l.substr(1));
  }
  const std::string base_text = text_of(base);
  write_text(dir / "base.jsonl", base_text);
  std::vector<std::string> cur = rows_of("f", 1.001, 2);
  for (const auto& l : rows_of("g", 3.0, 2)) cur.push_back(l);
  for (const auto& l : rows_of("h", 1.0, 2)) cur.push_back(l);
  write_text(dir / "cur.jsonl", text_of(cur));
  const std::string b = (dir / "base.jsonl").string(), c = (dir / "cur.jsonl").string();
  const auto r = compare({"--write-baseline", b, c});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "wrote 30 row(s) to " + b +
                               ": kept 1 benchmark (1 key), updated 1 (1 key), added 1 (1 key), "
                               "removed 0\n"));
  CHECK(has(r.stdout_tail, "  updated s/g: time regressed +"));
  CHECK(has(r.stdout_tail, "  added s/h\n"));
  std::vector<std::string> want(base.begin(), base.begin() + 10);  // f's lines as they were
  for (std::size_t i = 10; i < cur.size(); ++i) want.push_back(cur[i]);
  CHECK(read_text(dir / "base.jsonl") == text_of(want));
  // Accepted again: nothing changed, the file is not written.
  const auto again = compare({"--write-baseline", b, c});
  CHECK(has(again.stdout_tail, b + " unchanged: kept 3 benchmarks (3 keys), updated 0"));
  // The compare test's threshold decides: at 500% g's slowdown is no change to accept.
  write_text(dir / "base.jsonl", base_text);
  const auto wide = compare({"--write-baseline", b, c, "--time-threshold", "500%"});
  CHECK(has(wide.stdout_tail, "kept 2 benchmarks (2 keys), updated 0, added 1 (1 key)"));
  // A damaged baseline is an error that names --all, which re-records without reading it.
  write_text(dir / "base.jsonl", "{\n");
  const auto damaged = compare({"--write-baseline", b, c});
  CHECK(damaged.exit_code == 2);
  CHECK(has(damaged.stderr_tail, "pass --all"));
  const auto all = compare({"--write-baseline", b, c, "--all"});
  CHECK(all.exit_code == 0);
  CHECK(read_text(dir / "base.jsonl") == text_of(cur));
}

// ---- bad input (issue 6 item 4; docs/compare.md "Bad input") --------------------------------

TEST_CASE("compare cli: an empty current file exits 2 saying it holds no rows") {
  const auto dir = scratch("empty-current");
  write_rows(dir / "base.jsonl", 1.0);
  for (const char* text : {"", "\n\n  \n", "\r\n"}) {
    write_text(dir / "cur.jsonl", text);
    const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
    REQUIRE(r.exited);
    CHECK(r.exit_code == 2);
    CHECK(has(r.stderr_tail, "cur.jsonl' holds no rows"));
  }
}

TEST_CASE("compare cli: an empty baseline file exits 77 like a missing one") {
  const auto dir = scratch("empty-baseline");
  write_text(dir / "base.jsonl", "");
  write_rows(dir / "cur.jsonl", 1.0);
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 77);
  CHECK(has(r.stderr_tail, "holds no rows yet"));
  CHECK(has(r.stderr_tail, "--write-baseline"));
}

TEST_CASE("compare cli: a directory without a jsonl file exits 77 as the baseline, 2 as current") {
  const auto dir = scratch("no-jsonl");
  fs::create_directories(dir / "empty");
  write_text(dir / "empty" / "rows.json", text_of(lines(1.0)));  // not *.jsonl: not read
  write_rows(dir / "rows.jsonl", 1.0);
  SUBCASE("baseline") {
    const auto r = compare({(dir / "empty").string(), (dir / "rows.jsonl").string()});
    REQUIRE(r.exited);
    CHECK(r.exit_code == 77);
    CHECK(has(r.stderr_tail, "holds no .jsonl file"));
  }
  SUBCASE("current") {
    const auto r = compare({(dir / "rows.jsonl").string(), (dir / "empty").string()});
    REQUIRE(r.exited);
    CHECK(r.exit_code == 2);
    CHECK(has(r.stderr_tail, "holds no .jsonl file"));
  }
}

TEST_CASE("compare cli: baseline and current the same file exits 2, however it is spelt") {
  const auto dir = scratch("same");
  write_rows(dir / "a.jsonl", 1.0);
  fs::create_symlink(dir / "a.jsonl", dir / "link.jsonl");
  const std::string a = (dir / "a.jsonl").string();
  for (const std::string& other : std::vector<std::string>{a, (dir / "." / "a.jsonl").string(),
                                                           (dir / "link.jsonl").string()}) {
    CAPTURE(other);
    const auto r = compare({a, other});
    REQUIRE(r.exited);
    CHECK(r.exit_code == 2);
    CHECK(has(r.stderr_tail, "the same file"));
    CHECK(has(r.stderr_tail, "could never fail"));
  }
  // A directory compared with itself likewise.
  const auto r = compare({dir.string(), dir.string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "the same directory"));
}

TEST_CASE("compare cli: a UTF-8 byte order mark at the start of a file is skipped") {
  const auto dir = scratch("bom");
  write_text(dir / "base.jsonl", "\xEF\xBB\xBF" + text_of(lines(1.0)));
  write_text(dir / "cur.jsonl", "\xEF\xBB\xBF" + text_of(lines(1.3)));
  const auto r =
      compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string(), "--format", "json"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);  // the rows were read, the first one too
  CHECK(has(r.stdout_tail, "\"n_baseline\": 5"));
  CHECK(has(r.stdout_tail, "\"n_current\": 5"));
}

TEST_CASE("compare cli: CRLF line endings read like LF") {
  const auto dir = scratch("crlf");
  write_text(dir / "base.jsonl", text_of(lines(1.0), "\r\n"));
  write_text(dir / "cur.jsonl", text_of(lines(1.3), "\r\n") + "\r\n");
  const auto r =
      compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string(), "--format", "json"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  CHECK(has(r.stdout_tail, "\"n_baseline\": 5"));
  CHECK(has(r.stdout_tail, "\"n_current\": 5"));
}

TEST_CASE("compare cli: a last line without a newline is read, one cut short exits 2 at its end") {
  const auto dir = scratch("truncated");
  write_rows(dir / "base.jsonl", 1.0);
  const auto cur = lines(1.0);
  std::string text = text_of(cur);
  text.pop_back();  // the last newline
  write_text(dir / "cur.jsonl", text);
  auto r =
      compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string(), "--format", "json"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(has(r.stdout_tail, "\"n_current\": 5"));

  const std::string cut = cur.back().substr(0, cur.back().size() / 2);
  text = text_of({cur[0], cur[1], cur[2], cur[3]}) + cut;
  write_text(dir / "cur.jsonl", text);
  r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "cur.jsonl:5:" + std::to_string(cut.size() + 1) + ":"));
  CHECK(has(r.stderr_tail, "the file ends inside this row"));
}

TEST_CASE(
    "compare cli: NaN, Infinity, negative or too big numbers and strings for numbers exit 2") {
  struct Case {
    std::string key, value, says;
  };
  const std::vector<Case> cases{
      {"per_call_nanos", "NaN", "no NaN or Infinity"},
      {"per_call_nanos", "Infinity", "no NaN or Infinity"},
      {"per_call_nanos", "-Infinity", "no NaN or Infinity"},
      {"per_call_nanos", "1e400", "Number too big"},
      {"per_call_nanos", "-5", "must be a finite non-negative number"},
      {"peak_rss_kb", "-4000", "must be a non-negative integer; got -4000"},
      {"total_nanos", "1e400", "Number too big"},
      {"peak_rss_kb", "\"4000\"", "must be a non-negative integer; got \"4000\""},
      {"param", "\"64\"", "must be a non-negative integer; got \"64\""},
  };
  const auto dir = scratch("numbers");
  write_rows(dir / "base.jsonl", 1.0);
  for (const auto& c : cases) {
    const std::string line = with_value(c.key, c.value);
    CAPTURE(line);
    write_text(dir / "cur.jsonl", lines(1.0)[1] + "\n" + line + "\n");
    const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
    REQUIRE(r.exited);
    CHECK(r.exit_code == 2);
    CHECK(has(r.stderr_tail, "'" + c.key + "'"));
    CHECK(has(r.stderr_tail, c.says));
    // Located at the key, or at the value the parser could not read.
    const auto key_at = line.find("\"" + c.key + "\"") + 1;
    const auto value_at = line.find(c.value, key_at) + 1;
    CHECK((has(r.stderr_tail, "cur.jsonl:2:" + std::to_string(key_at) + ":") ||
           has(r.stderr_tail, "cur.jsonl:2:" + std::to_string(value_at) + ":")));
  }
}

TEST_CASE("compare cli: a key named twice exits 2 naming it") {
  const auto dir = scratch("duplicate");
  write_rows(dir / "base.jsonl", 1.0);
  // A row that reads as unchanged by its first per_call_nanos and as 10x slower by its second.
  std::string line = lines(1.0).front();
  line.insert(line.size() - 1, ",\"per_call_nanos\":10000");
  write_text(dir / "cur.jsonl", line + "\n");
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail,
            "cur.jsonl:1:" + std::to_string(line.rfind("\"per_call_nanos\"") + 1) + ":"));
  CHECK(has(r.stderr_tail, "'per_call_nanos' appears twice"));
}

TEST_CASE("compare cli: a line nested 100000 deep exits 2 without a crash") {
  const auto dir = scratch("deep");
  write_rows(dir / "base.jsonl", 1.0);
  const std::size_t depth = 100'000;
  SUBCASE("instead of a row") {
    write_text(dir / "cur.jsonl", std::string(depth, '[') + std::string(depth, ']') + "\n");
  }
  SUBCASE("inside a row, under a key benchgate does not know") {
    std::string line = lines(1.0).front();
    line.insert(line.size() - 1,
                ",\"future\":" + std::string(depth, '[') + std::string(depth, ']'));
    write_text(dir / "cur.jsonl", line + "\n");
  }
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  INFO(r.stderr_tail);
  REQUIRE(r.exited);  // not killed by a signal (a stack overflow is SIGSEGV)
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "cur.jsonl:1:"));
  CHECK(has(r.stderr_tail, "nested more than 64 levels"));
}

TEST_CASE("compare cli: a 100 MB single line exits 2 with bounded memory") {
  const auto dir = scratch("huge-line");
  write_rows(dir / "base.jsonl", 1.0);
  {
    // Written in pieces: the test itself never holds it.
    std::ofstream out(dir / "cur.jsonl", std::ios::binary);
    out << lines(1.0).front() << "\n{\"schema_version\":1,\"function\":\"";
    const std::string block(1 << 20, 'a');
    for (int i = 0; i < 100; ++i) out << block;
    out << "\"}\n";
    REQUIRE(out.good());
  }
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  fs::remove(dir / "cur.jsonl");
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "cur.jsonl:2:"));
  CHECK(has(r.stderr_tail, "line longer than 4 MiB"));
  // Reading the line whole took 340 MB; the reader stops after 4 MiB of it. Against the same
  // executable's peak on a file of a few rows, so that a sanitizer's own footprint (40-60 MB
  // under ASan) does not count.
  if (r.child_maxrss_kb) {
    fs::copy_file(dir / "base.jsonl", dir / "again.jsonl");
    const auto few = compare({(dir / "base.jsonl").string(), (dir / "again.jsonl").string()});
    // Null when it stayed at or below what it could have inherited from this process: then that
    // bound is above it.
    const auto few_kb = few.child_maxrss_kb ? few.child_maxrss_kb : few.inherited_rss_bound_kb;
    REQUIRE(few_kb);
    CHECK(*r.child_maxrss_kb < *few_kb + 32 * 1024);
  }
}

TEST_CASE("compare cli: NUL bytes in a file exit 2 as a damaged file") {
  const auto dir = scratch("nul");
  write_rows(dir / "base.jsonl", 1.0);
  // What a crash can leave: a whole row, then a block of zeros where the next one should be.
  const std::string first = lines(1.0).front();
  write_text(dir / "cur.jsonl", first + std::string(4096, '\0'));
  const auto r = compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string()});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(has(r.stderr_tail, "cur.jsonl:1:" + std::to_string(first.size() + 1) + ":"));
  CHECK(has(r.stderr_tail, "NUL byte"));
}

TEST_CASE("compare cli: rows of two suites with the same function and param are kept apart") {
  const auto dir = scratch("suites");
  // One file each side, the suites interleaved; only suite b got slower.
  auto base_a = lines(1.0, "a"), base_b = lines(1.0, "b");
  auto cur_a = lines(1.0, "a"), cur_b = lines(1.3, "b");
  std::vector<std::string> base, cur;
  for (std::size_t i = 0; i < 5; ++i) {
    base.insert(base.end(), {base_a[i], base_b[i]});
    cur.insert(cur.end(), {cur_b[i], cur_a[i]});
  }
  write_text(dir / "base.jsonl", text_of(base));
  write_text(dir / "cur.jsonl", text_of(cur));
  // --run-spread 0: the samples alone decide (a one-run baseline otherwise leaves suite a
  // inconclusive, not unchanged).
  const auto r =
      compare({(dir / "base.jsonl").string(), (dir / "cur.jsonl").string(), "--run-spread", "0"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  const std::string& out = r.stdout_tail;
  CHECK(has(out, "2 key(s): 1 regressed"));
  // Each key on its own line: b regressed, a unchanged.
  auto line_of = [&](const std::string& key) {
    const auto at = out.find(key);
    REQUIRE(at != std::string::npos);
    const auto start = out.rfind('\n', at) + 1;
    return out.substr(start, out.find('\n', at) - start);
  };
  CHECK(has(line_of("b/f n=64"), "REGRESSED"));
  CHECK(has(line_of("a/f n=64"), "unchanged"));
}

TEST_CASE("compare cli: markdown lists the regression first with its metric and change") {
  const auto dir = scratch("markdown");
  // Three keys of suite s, five trials each: f 30% slower, g twice as fast, h unchanged.
  std::string base, cur;
  for (std::uint64_t t = 0; t < 5; ++t) {
    const double ns = 1000 + static_cast<double>(t);
    base += write_row(row("f", 64, t, ns)) + "\n" + write_row(row("g", 64, t, ns)) + "\n" +
            write_row(row("h", 64, t, ns)) + "\n";
    cur += write_row(row("h", 64, t, ns)) + "\n" + write_row(row("g", 64, t, ns * 0.5)) + "\n" +
           write_row(row("f", 64, t, ns * 1.3)) + "\n";
  }
  write_text(dir / "base.jsonl", base);
  write_text(dir / "cur.jsonl", cur);
  const auto r = compare(
      {(dir / "base.jsonl").string(), (dir / "cur.jsonl").string(), "--format", "markdown"});
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  const std::string& out = r.stdout_tail;
  INFO(out);
  CHECK(out.rfind("### ❌ benchgate: 1 regression in 3 keys\n", 0) == 0);
  const auto regressions = out.find("#### Regressions");
  const auto improvements = out.find("#### Improvements");
  const auto details = out.find("<details>");
  REQUIRE(regressions != std::string::npos);
  REQUIRE(improvements != std::string::npos);
  REQUIRE(details != std::string::npos);
  CHECK(regressions < improvements);
  CHECK(improvements < details);
  // The regression, with its metric and change, is the first benchmark named.
  const auto f = out.find("| `s/f n=64` | time per call | ");
  CHECK(f > regressions);
  CHECK(f < improvements);
  // The first key named is f's, and so is the first benchmark of the time table above.
  CHECK(out.find(" n=64`") == f + 6);
  CHECK(out.find("`s/") == out.find("`s/f`"));
  CHECK(out.find("#### Time per benchmark") < regressions);
  CHECK(out.find("+30.0%") < improvements);
  CHECK(has(out.substr(improvements, details - improvements), "`s/g n=64`"));
  CHECK(out.find("`s/h n=64`") > details);
}

namespace {

// Rows of s/f as lines() writes them, each with an env on `cpu`.
void write_rows_on(const fs::path& file, double scale, const std::string& cpu) {
  std::string text;
  for (std::uint64_t t = 0; t < 5; ++t) {
    Row r = row("f", 64, t, scale * (1000 + static_cast<double>(t)));
    Env e;
    e.cpu_model = cpu;
    e.build_type = "Release";
    r.env = e;
    text += write_row(r) + "\n";
  }
  write_text(file, text);
}

}  // namespace

TEST_CASE("compare cli: another CPU's baseline is skipped (77) by default, failed or warned on") {
  const auto dir = scratch("env-mismatch");
  write_rows_on(dir / "laptop.jsonl", 1.0, "Laptop CPU");
  write_rows_on(dir / "ci.jsonl", 1.0, "CI CPU");
  const std::string base = (dir / "laptop.jsonl").string(), cur = (dir / "ci.jsonl").string();
  const auto skip = compare({base, cur});
  CHECK(skip.exit_code == 77);
  CHECK(has(skip.stdout_tail, "SKIPPED: times not compared in 1 of 1 key: cpu_model differs"));
  CHECK(compare({base, cur, "--on-env-mismatch", "skip"}).exit_code == 77);
  const auto fail = compare({base, cur, "--on-env-mismatch", "fail"});
  CHECK(fail.exit_code == 1);
  CHECK(has(fail.stdout_tail, "NOT_COMPARABLE"));
  const auto warn = compare({base, cur, "--on-env-mismatch", "warn"});
  CHECK(warn.exit_code == 0);
  CHECK(has(warn.stdout_tail, "WARNING: time of 1 of 1 key not gated: cpu_model differs"));
  const auto bad = compare({base, cur, "--on-env-mismatch", "ignore"});
  CHECK(bad.exit_code == 2);
  CHECK(has(bad.stderr_tail, "--on-env-mismatch 'ignore': must be fail, skip or warn"));
}

TEST_CASE("compare cli: --results writes the gate's result, also without a baseline") {
  const auto dir = scratch("results");
  write_rows(dir / "a.jsonl", 1.0);
  write_rows(dir / "b.jsonl", 1.5);
  const std::string prefix = (dir / "x.gate").string();
  const auto failed = compare({(dir / "a.jsonl").string(), (dir / "b.jsonl").string(), "--results",
                               prefix, "--accept", "make accept"});
  CHECK(failed.exit_code == 1);
  CHECK(has(failed.stdout_tail, "accept the new numbers: make accept"));
  CHECK(has(read_text(prefix + ".json"), "\"result\": \"fail\""));
  CHECK(has(read_text(prefix + ".md"), "### ❌ benchgate"));
  CHECK(has(read_text(prefix + ".junit.xml"), "<testsuite name=\"bench.x.compare\""));
  CHECK(has(read_text(prefix + ".html"), "FAIL: 1 key(s) fail the gate"));
  // No baseline: skipped, and the earlier result is replaced, not left to be collected.
  const auto skipped =
      compare({(dir / "none.jsonl").string(), (dir / "b.jsonl").string(), "--results", prefix});
  CHECK(skipped.exit_code == 77);
  CHECK(has(read_text(prefix + ".json"), "\"result\": \"skip\""));
  CHECK_FALSE(fs::exists(prefix + ".html"));
  // An error: the result says so.
  write_text(dir / "bad.jsonl", "{not json\n");
  CHECK(compare({(dir / "bad.jsonl").string(), (dir / "b.jsonl").string(), "--results", prefix})
            .exit_code == 2);
  CHECK(has(read_text(prefix + ".json"), "\"result\": \"error\""));
  // --collect reads them back.
  const auto collected = compare({"--collect", dir.string()});
  CHECK(collected.exit_code == 0);
  CHECK(has(collected.stdout_tail, "| ❌ | `x` | error: "));
  CHECK(compare({"--collect", dir.string(), dir.string() + "/a.jsonl"}).exit_code == 2);
}
