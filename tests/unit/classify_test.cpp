// Tests runner/classify.hpp: every outcome rule of classify(), in the header's order, on
// hand-built SpawnResults whose child rows are written with write_row.
#include <doctest/doctest.h>

#include <csignal>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "benchgate/core/row_json.hpp"
#include "benchgate/process/executor.hpp"
#include "classify.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;

RowRequest param_request() {
  RowRequest req;
  req.kind = RowKind::parametric;
  req.function = "sort.std_sort";
  req.param = 1024;
  req.cache_mode = CacheMode::warm;
  req.cap_seconds = 1.5;
  return req;
}

RowRequest fixed_request() {
  RowRequest req;
  req.kind = RowKind::fixed;
  req.function = "parse_corpus";
  req.repeat_index = 2;
  req.cap_seconds = 60;
  return req;
}

// The row a well-behaved child writes for `req`.
Row child_row(const RowRequest& req, RowStatus status = RowStatus::ok) {
  Row r;
  r.kind = req.kind;
  r.function = req.function;
  r.status = status;
  r.total_nanos = 5'000'000;
  r.inner_repeats = 512;
  if (req.kind == RowKind::parametric) {
    r.param = req.param;
  } else {
    r.repeat_index = req.repeat_index;
  }
  r.per_call_nanos = 5'000'000.0 / 512;
  r.cache_mode = req.cache_mode;
  r.result_hash = 0x1234;
  r.peak_rss_kb = 4096;
  r.alloc_bytes = 100;
  r.alloc_count = 2;
  r.cpu_nanos = 4'900'000;
  Env env;
  env.compiler = "GNU";
  env.build_type = "Release";
  r.env = env;
  if (status != RowStatus::ok) r.error = "setup threw: file not found";
  return r;
}

SpawnResult exited(int code, const std::string& result, const std::string& stderr_tail = "") {
  SpawnResult o;
  o.started = true;
  o.exited = true;
  o.exit_code = code;
  o.result = result;
  o.stderr_tail = stderr_tail;
  return o;
}

SpawnResult signalled(int sig, const std::string& result = "",
                      const std::string& stderr_tail = "") {
  SpawnResult o;
  o.started = true;
  o.exited = false;
  o.term_signal = sig;
  o.result = result;
  o.stderr_tail = stderr_tail;
  return o;
}

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::string error_of(const Row& r) {
  REQUIRE(r.error.has_value());
  return *r.error;
}

// A synthesized row carries the request's identity and no measurement.
void check_synthesized(const Row& r, const RowRequest& req, RowStatus status) {
  CHECK(r.status == status);
  CHECK(r.kind == req.kind);
  CHECK(r.function == req.function);
  CHECK(r.total_nanos == 0);
  CHECK_FALSE(r.per_call_nanos.has_value());
  CHECK_FALSE(r.peak_rss_kb.has_value());
  CHECK_FALSE(r.result_hash.has_value());
  if (req.kind == RowKind::parametric) {
    CHECK(r.param == req.param);
    CHECK(r.inner_repeats == 0u);
    CHECK(r.cache_mode == req.cache_mode);
  } else {
    CHECK(r.repeat_index == req.repeat_index);
    CHECK_FALSE(r.param.has_value());
  }
  CHECK(r.error.has_value());
}

}  // namespace

TEST_CASE("classify: a child that could not start is an error with the reason") {
  SpawnResult o;
  o.started = false;
  o.start_error = "cannot start './missing_bench': No such file or directory";
  for (const RowRequest& req : {param_request(), fixed_request()}) {
    const Row r = classify(req, o);
    check_synthesized(r, req, RowStatus::error);
    CHECK(contains(error_of(r), "could not start"));
    CHECK(contains(error_of(r), "No such file or directory"));
  }
}

TEST_CASE("classify: a child killed at the cap is killed_at_cap whatever it left behind") {
  const RowRequest req = param_request();
  const std::string ok_row = write_row(child_row(req));
  SUBCASE("died by SIGTERM after writing an ok row") {
    SpawnResult o = signalled(SIGTERM, ok_row + "\n", "some stderr\n");
    o.killed_at_cap = true;
    const Row r = classify(req, o);
    check_synthesized(r, req, RowStatus::killed_at_cap);
    CHECK(contains(error_of(r), "max_seconds_per_call"));
    CHECK(contains(error_of(r), "1.5"));
  }
  SUBCASE("died by SIGKILL without a row") {
    SpawnResult o = signalled(SIGKILL);
    o.killed_at_cap = true;
    check_synthesized(classify(req, o), req, RowStatus::killed_at_cap);
  }
  SUBCASE("exited 0 with an ok row just as the deadline passed") {
    SpawnResult o = exited(0, ok_row);
    o.killed_at_cap = true;
    check_synthesized(classify(req, o), req, RowStatus::killed_at_cap);
  }
  SUBCASE("a fixed benchmark") {
    const RowRequest freq = fixed_request();
    SpawnResult o = signalled(SIGTERM);
    o.killed_at_cap = true;
    const Row r = classify(freq, o);
    check_synthesized(r, freq, RowStatus::killed_at_cap);
    CHECK(contains(error_of(r), "60"));
  }
}

TEST_CASE("classify: death by SIGSEGV is an error naming the signal") {
  const RowRequest req = param_request();
  const Row r = classify(req, signalled(SIGSEGV));
  check_synthesized(r, req, RowStatus::error);
  CHECK(contains(error_of(r), "SIGSEGV"));
}

TEST_CASE("classify: death by SIGABRT is an error naming the signal, even after an ok row") {
  const RowRequest req = param_request();
  const Row r = classify(req, signalled(SIGABRT, write_row(child_row(req)) + "\n"));
  check_synthesized(r, req, RowStatus::error);
  CHECK(contains(error_of(r), "SIGABRT"));
}

TEST_CASE("classify: a row longer than the runner accepts is an error") {
  const RowRequest req = param_request();
  SpawnResult o = exited(0, write_row(child_row(req)).substr(0, 40));
  o.result_overflow = true;
  const Row r = classify(req, o);
  check_synthesized(r, req, RowStatus::error);
  CHECK(contains(error_of(r), "row"));
}

TEST_CASE("classify: exit 0 without a row says no row was produced") {
  const RowRequest req = param_request();
  for (const std::string result : {"", "\n", "  \r\n"}) {
    CAPTURE(result);
    const Row r = classify(req, exited(0, result));
    check_synthesized(r, req, RowStatus::error);
    CHECK(contains(error_of(r), "code 0"));
    CHECK(contains(error_of(r), "no row"));
  }
}

TEST_CASE("classify: exit 3 without a row names code 3") {
  const RowRequest req = fixed_request();
  const Row r = classify(req, exited(3, ""));
  check_synthesized(r, req, RowStatus::error);
  CHECK(contains(error_of(r), "code 3"));
  CHECK(contains(error_of(r), "without writing a row"));
}

TEST_CASE("classify: more than one line on the result fd is an error") {
  const RowRequest req = param_request();
  const std::string row = write_row(child_row(req));
  const Row r = classify(req, exited(0, row + "\n" + row + "\n"));
  check_synthesized(r, req, RowStatus::error);
  CHECK(contains(error_of(r), "more than one line"));
}

TEST_CASE("classify: an unparsable row is an error quoting the parser") {
  const RowRequest req = param_request();
  SUBCASE("not JSON") {
    const std::string text = "{\"schema_version\":1,";
    const JsonError parser = std::get<JsonError>(parse_row(text));
    const Row r = classify(req, exited(0, text + "\n"));
    check_synthesized(r, req, RowStatus::error);
    CHECK(contains(error_of(r), parser.message));
    CHECK(contains(error_of(r), "column " + std::to_string(parser.column)));
  }
  SUBCASE("an unsupported schema version") {
    std::string text = write_row(child_row(req));
    text.replace(text.find("\"schema_version\":1"), 18, "\"schema_version\":2");
    const Row r = classify(req, exited(0, text));
    check_synthesized(r, req, RowStatus::error);
    CHECK(contains(error_of(r), "schema_version 2"));
  }
}

TEST_CASE("classify: a row for another function or param is an error") {
  const RowRequest req = param_request();
  SUBCASE("another function") {
    Row other = child_row(req);
    other.function = "sort.other";
    const Row r = classify(req, exited(0, write_row(other)));
    check_synthesized(r, req, RowStatus::error);
    CHECK(contains(error_of(r), "sort.other"));
    CHECK(contains(error_of(r), "sort.std_sort"));
  }
  SUBCASE("another param") {
    Row other = child_row(req);
    other.param = 2048;
    check_synthesized(classify(req, exited(0, write_row(other))), req, RowStatus::error);
  }
  SUBCASE("another kind") {
    Row other = child_row(fixed_request());
    other.function = req.function;
    check_synthesized(classify(req, exited(0, write_row(other))), req, RowStatus::error);
  }
  SUBCASE("another repeat index") {
    const RowRequest freq = fixed_request();
    Row other = child_row(freq);
    other.repeat_index = 3;
    check_synthesized(classify(freq, exited(0, write_row(other))), freq, RowStatus::error);
  }
}

TEST_CASE("classify: a row for another param names both params") {
  // Rule 7: "error naming both". Two identical function names would not tell them apart.
  const RowRequest req = param_request();
  Row other = child_row(req);
  other.param = 2048;
  const std::string e = error_of(classify(req, exited(0, write_row(other))));
  CHECK(contains(e, "2048"));
  CHECK(contains(e, "1024"));
}

TEST_CASE("classify: exit 0 with an ok row returns the row as written") {
  for (const RowRequest& req : {param_request(), fixed_request()}) {
    const Row written = child_row(req);
    CHECK(classify(req, exited(0, write_row(written) + "\n")) == written);
    CHECK(classify(req, exited(0, write_row(written) + "\r\n")) == written);
    CHECK(classify(req, exited(0, write_row(written))) == written);
    // A chatty but successful child's stderr does not touch its row.
    CHECK(classify(req, exited(0, write_row(written), "warning: slow disk\n")) == written);
  }
}

TEST_CASE("classify: exit 0 with the child's own error row keeps that row") {
  const RowRequest req = param_request();
  const Row written = child_row(req, RowStatus::error);
  CHECK(classify(req, exited(0, write_row(written) + "\n")) == written);
}

TEST_CASE("classify: exit 1 with the child's error row keeps its message and adds the exit code") {
  const RowRequest req = param_request();
  const Row written = child_row(req, RowStatus::error);
  const Row r = classify(req, exited(1, write_row(written) + "\n"));
  CHECK(r.status == RowStatus::error);
  CHECK(contains(error_of(r), "setup threw: file not found"));
  CHECK(contains(error_of(r), "code 1"));
  // Everything else is the child's.
  Row same = r;
  same.error = written.error;
  CHECK(same == written);
}

TEST_CASE("classify: exit 3 after an ok row is an error naming code 3") {
  const RowRequest req = param_request();
  const Row written = child_row(req);
  const Row r = classify(req, exited(3, write_row(written) + "\n"));
  check_synthesized(r, req, RowStatus::error);
  CHECK(contains(error_of(r), "code 3"));
  CHECK(contains(error_of(r), "ok row"));
  CHECK(r.env == written.env);  // the child's build description is kept
}

TEST_CASE("classify: messages of rules 3-6 and 9-10 end with the child's stderr tail") {
  const RowRequest req = param_request();
  const std::string tail = "main.cpp:12: Assertion `n > 0' failed.";
  const std::string stderr_text = "earlier line\n" + tail + "\n";
  const std::string ok_row = write_row(child_row(req));
  SpawnResult overflow = exited(0, ok_row.substr(0, 40), stderr_text);
  overflow.result_overflow = true;
  const std::vector<std::pair<const char*, SpawnResult>> cases{
      {"3: died by a signal", signalled(SIGABRT, "", stderr_text)},
      {"4: row too long", overflow},
      {"5: exited without a row", exited(2, "", stderr_text)},
      {"6: more than one line", exited(0, ok_row + "\n" + ok_row, stderr_text)},
      {"6: does not parse", exited(0, "{oops", stderr_text)},
      {"9: error row, exit 1", exited(1, write_row(child_row(req, RowStatus::error)), stderr_text)},
      {"10: ok row, exit 3", exited(3, ok_row, stderr_text)},
  };
  for (const auto& [rule, outcome] : cases) {
    CAPTURE(rule);
    const std::string e = error_of(classify(req, outcome));
    CAPTURE(e);
    REQUIRE(e.size() >= tail.size());
    CHECK(e.substr(e.size() - tail.size()) == tail);
  }
}

TEST_CASE("classify: the child's own message comes before the stderr tail") {
  const RowRequest req = param_request();
  const std::string e =
      error_of(classify(req, exited(1, write_row(child_row(req, RowStatus::error)),
                                    "terminate called after throwing\n")));
  REQUIRE(contains(e, "setup threw"));
  REQUIRE(contains(e, "terminate called after throwing"));
  CHECK(e.find("setup threw") < e.find("terminate called after throwing"));
}

TEST_CASE("classify: nothing is appended for empty or blank stderr") {
  const RowRequest req = param_request();
  const std::string bare = error_of(classify(req, signalled(SIGSEGV)));
  CHECK(error_of(classify(req, signalled(SIGSEGV, "", "\n \n"))) == bare);
}

TEST_CASE("classify: the stderr tail in a message is bounded and keeps the end") {
  const RowRequest req = param_request();
  const std::string flood = std::string(100'000, 'a') + "THE END";
  const std::string bare = error_of(classify(req, signalled(SIGSEGV)));
  const std::string e = error_of(classify(req, signalled(SIGSEGV, "", flood)));
  CHECK(contains(e, "THE END"));
  CHECK(e.size() > bare.size());
  CHECK(e.size() <= bare.size() + 500);
}

TEST_CASE("classify: the parent's child_maxrss_kb goes on every row, and only the parent's") {
  const RowRequest req = param_request();
  Row child = child_row(req);
  child.child_maxrss_kb = 1;  // a child cannot speak for the parent's measurement
  SpawnResult ok = exited(0, write_row(child) + "\n");
  ok.child_maxrss_kb = 70'000;
  CHECK(classify(req, ok).child_maxrss_kb == std::uint64_t{70'000});
  ok.child_maxrss_kb.reset();  // not above what the child may have inherited from us: unknown
  CHECK(classify(req, ok).child_maxrss_kb == std::nullopt);
  SpawnResult crashed = signalled(SIGSEGV);
  crashed.child_maxrss_kb = 9'000;
  const Row r = classify(req, crashed);
  CHECK(r.status == RowStatus::error);
  CHECK(r.child_maxrss_kb == std::uint64_t{9'000});
}

TEST_CASE("classify: killed_at_cap says when the child was stopped or needed SIGKILL") {
  const RowRequest req = param_request();
  SpawnResult stopped = signalled(SIGTERM);
  stopped.killed_at_cap = true;
  stopped.stopped_at_cap = true;
  const std::string s = error_of(classify(req, stopped));
  CHECK(contains(s, "stopped"));
  CHECK_FALSE(contains(s, "SIGKILL"));
  SpawnResult stubborn = signalled(SIGKILL);
  stubborn.killed_at_cap = true;
  const std::string k = error_of(classify(req, stubborn));
  CHECK(contains(k, "did not end on SIGTERM"));
  CHECK(contains(k, "SIGKILL"));
  CHECK_FALSE(contains(k, "stopped"));
}

TEST_CASE("classify: a row longer than the runner accepts names the bytes written") {
  const RowRequest req = fixed_request();
  SpawnResult o = exited(0, "");
  o.result_overflow = true;
  o.result_bytes = 5'242'880;
  const std::string e = error_of(classify(req, o));
  CHECK(contains(e, "5242880 bytes"));
  CHECK(contains(e, "more than the runner accepts"));
}

TEST_CASE("classify: no row but a row-like stdout says rows go to the result fd") {
  const RowRequest req = fixed_request();
  SpawnResult o = exited(0, "");
  o.stdout_tail = write_row(child_row(req)) + "\n";
  const std::string e = error_of(classify(req, o));
  CHECK(contains(e, "without writing a row"));
  CHECK(contains(e, "its stdout has what looks like a row"));
  SpawnResult plain = exited(0, "");
  plain.stdout_tail = "progress: 50%\n";
  CHECK_FALSE(contains(error_of(classify(req, plain)), "stdout"));
}

TEST_CASE("classify: invalid UTF-8 from the child becomes U+FFFD, valid text is kept") {
  const RowRequest req = param_request();
  const std::string replacement = "\xEF\xBF\xBD";
  SUBCASE("stray bytes") {
    const std::string e =
        error_of(classify(req, signalled(SIGSEGV, "", "bad \xff\xfe bytes, caf\xC3\xA9 ok")));
    CHECK(contains(e, "bad " + replacement + replacement + " bytes"));
    CHECK(contains(e, "caf\xC3\xA9 ok"));
  }
  SUBCASE("a character split by the tail's cut") {
    // 'é' is C3 A9: cutting the tail to its last 400 bytes leaves the A9 alone at the front.
    const std::string tail = "\xC3\xA9" + std::string(399, 'x');
    const std::string e = error_of(classify(req, signalled(SIGSEGV, "", tail)));
    CHECK(contains(e, "..." + replacement + "xxx"));
  }
  SUBCASE("overlong forms and surrogates") {
    const std::string e =
        error_of(classify(req, signalled(SIGSEGV, "", "a\xC0\xAF b\xED\xA0\x80 c")));
    CHECK_FALSE(contains(e, "\xC0"));
    CHECK_FALSE(contains(e, "\xED\xA0"));
    CHECK(contains(e, "a" + replacement + replacement + " b"));
  }
  SUBCASE("the child's own message, with exit code 0 or 1") {
    Row written = child_row(req, RowStatus::error);
    written.error = "bad \xff";
    for (int code : {0, 1}) {
      const std::string e = error_of(classify(req, exited(code, write_row(written) + "\n")));
      CHECK(contains(e, "bad " + replacement));
    }
  }
}

TEST_CASE("classify: a kill names its phase when the child had a setup phase") {
  RowRequest req = param_request();
  req.setup_cap_seconds = 60;
  SpawnResult o;
  o.started = true;
  o.term_signal = SIGTERM;
  o.killed_at_cap = true;
  SUBCASE("in setup: the setup cap") {
    o.killed_in_setup = true;
    const Row row = classify(req, o);
    CHECK(row.status == RowStatus::killed_at_cap);
    CHECK(row.error ==
          std::optional<std::string>("killed in setup after 60 s: setup still running at "
                                     "max_setup_seconds = 60 s"));
  }
  SUBCASE("in the batch: the batch cap, after a setup of how long") {
    o.setup_nanos = 1'500'000'000;
    const Row row = classify(req, o);
    CHECK(row.status == RowStatus::killed_at_cap);
    CHECK(row.error == std::optional<std::string>(
                           "killed at the cap: still running after max_seconds_per_call = 1.5 s "
                           "(in the measured batch, after a setup of 1.500 s)"));
  }
  SUBCASE("a crash before setup ended says so") {
    o.killed_at_cap = false;
    o.term_signal = SIGSEGV;
    CHECK(classify(req, o).error ==
          std::optional<std::string>("child killed by SIGSEGV (signal 11) during setup"));
    o.setup_nanos = 1000;
    CHECK(classify(req, o).error ==
          std::optional<std::string>("child killed by SIGSEGV (signal 11)"));
  }
}
