// Tests core/protocol.hpp: the runner -> benchmark executable requests survive to_argv and their
// parser, the wire format is pinned argument by argument, and each malformed argv names its flag.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/protocol.hpp"
#include "printers.hpp"
#include "request_printers.hpp"

namespace {

using namespace benchgate;
using benchgate::test::contains;
using benchgate::test::usage_error;
using Argv = std::vector<std::string>;

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

ChildRequest request(RowKind kind, std::uint64_t which) {
  ChildRequest r;
  r.bench = "sort.std_sort";
  r.kind = kind;
  r.which = which;
  r.target_nanos = 5'000'000;
  r.result_fd = 3;
  return r;
}

// Every combination of cache mode, env and measure over `base`.
std::vector<ChildRequest> variants(const ChildRequest& base) {
  std::vector<ChildRequest> all;
  for (const CacheMode mode : {CacheMode::warm, CacheMode::cold}) {
    for (const std::optional<std::string>& env :
         {std::optional<std::string>(), std::optional<std::string>(R"({"os":"linux"})")}) {
      for (const Measure measure : {Measure::time, Measure::instructions}) {
        ChildRequest r = base;
        r.cache_mode = mode;
        r.env_json = env;
        r.measure = measure;
        all.push_back(r);
      }
    }
  }
  return all;
}

// A valid parametric child argv with `extra` inserted after the mode flag.
Argv child_argv(const Argv& extra) {
  Argv argv{"./bench", kChildFlag};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

std::string child_error(const Argv& args) {
  return usage_error([&] { (void)parse_child_request(child_argv(args)); });
}

}  // namespace

TEST_CASE("protocol: a parametric request survives to_argv and the parser, in every variant") {
  for (const ChildRequest& r : variants(request(RowKind::parametric, 1024))) {
    INFO("request: " << doctest::toString(r));
    CHECK(parse_child_request(to_argv("./bench", r)) == r);
  }
}

TEST_CASE("protocol: a fixed request survives to_argv and the parser, in every variant") {
  for (const ChildRequest& r : variants(request(RowKind::fixed, 7))) {
    INFO("request: " << doctest::toString(r));
    const ChildRequest back = parse_child_request(to_argv("./bench", r));
    CHECK(back == r);
    CHECK(back.kind == RowKind::fixed);
    CHECK(back.which == 7u);
  }
}

TEST_CASE("protocol: the largest param, a zero target and the descriptor bounds survive") {
  for (const RowKind kind : {RowKind::parametric, RowKind::fixed}) {
    for (const int fd : {0, 65535}) {
      ChildRequest r = request(kind, kMaxU64);
      r.target_nanos = 0;
      r.result_fd = fd;
      INFO("request: " << doctest::toString(r));
      const ChildRequest back = parse_child_request(to_argv("./bench", r));
      CHECK(back == r);
      CHECK(back.which == kMaxU64);
      CHECK(back.target_nanos == 0u);
      CHECK(back.result_fd == fd);
    }
  }
  ChildRequest big = request(RowKind::parametric, 0);
  big.target_nanos = kMaxU64;
  CHECK(parse_child_request(to_argv("./bench", big)).target_nanos == kMaxU64);
}

TEST_CASE("protocol: a bench name with spaces, commas, equals signs and leading dashes survives") {
  for (const std::string name : {"sort std, n=3", "--bench", "-x", "--param", "--result-fd=4",
                                 "a,b", "=", " leading and trailing "}) {
    ChildRequest r = request(RowKind::parametric, 16);
    r.bench = name;
    INFO("bench: '" << name << "'");
    CHECK(parse_child_request(to_argv("./bench", r)) == r);
  }
}

TEST_CASE("protocol: an env_json with quotes, newlines and dashes survives unchanged") {
  ChildRequest r = request(RowKind::fixed, 0);
  r.env_json =
      "{\"cpu_model\":\"Xeon \\\"Gold\\\"\",\n\"flags\":\"-O2 --fast\",\n\"x\":\"a=b,c\"}\n";
  const ChildRequest back = parse_child_request(to_argv("./bench", r));
  CHECK(back == r);
  CHECK(back.env_json == r.env_json);
  r.env_json = "--measure";  // a value that looks like a flag stays a value
  CHECK(parse_child_request(to_argv("./bench", r)) == r);
  r.env_json = "";
  CHECK(parse_child_request(to_argv("./bench", r)).env_json == std::optional<std::string>(""));
}

TEST_CASE("protocol: the parametric child argv is pinned argument by argument") {
  ChildRequest r = request(RowKind::parametric, 1024);
  r.cache_mode = CacheMode::cold;
  r.env_json = R"({"os":"linux"})";
  r.measure = Measure::instructions;
  CHECK(to_argv("./bench", r) == Argv{"./bench", "--benchgate-child", "--bench", "sort.std_sort",
                                      "--param", "1024", "--cache-mode", "cold", "--target-nanos",
                                      "5000000", "--result-fd", "3", "--env-json",
                                      R"({"os":"linux"})", "--measure", "instructions"});
}

TEST_CASE("protocol: the fixed child argv is pinned, with time and no env written as nothing") {
  ChildRequest r;
  r.bench = "parse_corpus";
  r.kind = RowKind::fixed;
  r.which = 2;
  r.target_nanos = 250'000'000;
  r.result_fd = 7;
  CHECK(to_argv("./bench", r) == Argv{"./bench", "--benchgate-child", "--bench", "parse_corpus",
                                      "--fixed", "--repeat-index", "2", "--cache-mode", "warm",
                                      "--target-nanos", "250000000", "--result-fd", "7"});
}

TEST_CASE("protocol: the mode flags are pinned") {
  CHECK(std::string(kListFlag) == "--benchgate-list");
  CHECK(std::string(kProbeFlag) == "--benchgate-probe");
  CHECK(std::string(kComplexityFlag) == "--benchgate-complexity");
  CHECK(std::string(kChildFlag) == "--benchgate-child");
}

TEST_CASE("protocol: the parser takes flags in any order and defaults the optional ones") {
  const ChildRequest p = parse_child_request(
      child_argv({"--result-fd", "9", "--target-nanos", "100", "--param", "64", "--bench", "f"}));
  CHECK(p.bench == "f");
  CHECK(p.kind == RowKind::parametric);
  CHECK(p.which == 64u);
  CHECK(p.target_nanos == 100u);
  CHECK(p.result_fd == 9);
  CHECK(p.cache_mode == CacheMode::warm);
  CHECK(p.env_json == std::nullopt);
  CHECK(p.measure == Measure::time);
  // A fixed request without --repeat-index is repeat 0, as docs/design.md says.
  const ChildRequest f = parse_child_request(
      child_argv({"--fixed", "--bench", "g", "--target-nanos", "0", "--result-fd", "1"}));
  CHECK(f.kind == RowKind::fixed);
  CHECK(f.which == 0u);
  CHECK(f.bench == "g");
}

TEST_CASE("protocol: Measure reads and writes its two names and nothing else") {
  CHECK(std::string(to_string(Measure::time)) == "time");
  CHECK(std::string(to_string(Measure::instructions)) == "instructions");
  CHECK(parse_measure("time") == std::optional<Measure>(Measure::time));
  CHECK(parse_measure("instructions") == std::optional<Measure>(Measure::instructions));
  for (const std::string text : {"", "cycles", "Time", "instructions ", "wall"}) {
    INFO("text: '" << text << "'");
    CHECK(parse_measure(text) == std::nullopt);
  }
}

TEST_CASE("protocol: an unknown flag is a usage error naming it") {
  const std::string what = child_error({"--bench", "f", "--param", "1", "--target-nanos", "1",
                                        "--result-fd", "3", "--repeats", "2"});
  CHECK(what == "unknown flag '--repeats' in child mode");
  CHECK(child_error({"--bench", "f", "-p", "1"}) == "unknown flag '-p' in child mode");
}

TEST_CASE("protocol: a flag missing its value at the end is a usage error naming it") {
  const Argv complete{"--bench", "f", "--param", "1", "--target-nanos", "1", "--result-fd", "3"};
  for (const std::string flag :
       {"--bench", "--param", "--repeat-index", "--target-nanos", "--result-fd", "--env-json",
        "--cache-mode", "--measure", "--inner-repeats"}) {
    Argv args = complete;
    args.push_back(flag);
    INFO("flag: " << flag);
    CHECK(child_error(args) == flag + " needs a value");
  }
}

TEST_CASE("protocol: each required flag that is missing is named") {
  CHECK(contains(child_error({"--param", "1", "--target-nanos", "1", "--result-fd", "3"}),
                 "--bench"));
  CHECK(contains(child_error({"--bench", "f", "--param", "1", "--target-nanos", "1"}),
                 "--result-fd"));
  CHECK(contains(child_error({"--bench", "f", "--param", "1", "--result-fd", "3"}),
                 "--target-nanos"));
  CHECK(contains(child_error({"--bench", "f", "--target-nanos", "1", "--result-fd", "3"}),
                 "--param"));
  // --repeat-index does not stand in for --param in parametric mode.
  CHECK(contains(child_error({"--bench", "f", "--repeat-index", "1", "--target-nanos", "1",
                              "--result-fd", "3"}),
                 "--param"));
  // No flags at all: the first thing missing is the name.
  CHECK(contains(child_error({}), "--bench"));
}

TEST_CASE("protocol: numbers that are not integers or are out of range name the flag and range") {
  const std::string u64 = "[0, 18446744073709551615]";
  auto with = [](const std::string& flag, const std::string& value) {
    Argv args{"--bench", "f", "--param", "1", "--target-nanos", "1", "--result-fd", "3"};
    args.insert(args.end(), {flag, value});  // a later value replaces the earlier one
    return child_error(args);
  };
  CHECK(with("--param", "abc") == "--param 'abc': must be an integer in " + u64);
  CHECK(with("--param", "-1") == "--param '-1': must be an integer in " + u64);
  CHECK(with("--param", "18446744073709551616") ==
        "--param '18446744073709551616': must be an integer in " + u64);
  CHECK(with("--param", "1e3") == "--param '1e3': must be an integer in " + u64);
  CHECK(with("--repeat-index", "x") == "--repeat-index 'x': must be an integer in " + u64);
  CHECK(with("--target-nanos", "1.5") == "--target-nanos '1.5': must be an integer in " + u64);
  CHECK(with("--target-nanos", "") == "--target-nanos '': must be an integer in " + u64);
  CHECK(with("--result-fd", "70000") == "--result-fd '70000': must be an integer in [0, 65535]");
  CHECK(with("--result-fd", "-1") == "--result-fd '-1': must be an integer in [0, 65535]");
}

TEST_CASE("protocol: a bad cache mode or measure names the flag, the value and the choices") {
  const Argv complete{"--bench", "f", "--param", "1", "--target-nanos", "1", "--result-fd", "3"};
  Argv args = complete;
  args.insert(args.end(), {"--cache-mode", "hot"});
  CHECK(child_error(args) == "--cache-mode 'hot': must be warm or cold");
  args = complete;
  args.insert(args.end(), {"--measure", "cycles"});
  CHECK(child_error(args) == "--measure 'cycles': must be time or instructions");
}

TEST_CASE("protocol: a shared call count survives to_argv and the parser, written last") {
  for (const std::uint64_t count : {std::uint64_t{1}, std::uint64_t{32}, kMaxU64}) {
    ChildRequest r = request(RowKind::parametric, 16000);
    r.inner_repeats = count;
    INFO("request: " << doctest::toString(r));
    const Argv argv = to_argv("./bench", r);
    REQUIRE(argv.size() >= 2);
    CHECK(argv[argv.size() - 2] == "--inner-repeats");
    CHECK(argv.back() == std::to_string(count));
    CHECK(parse_child_request(argv) == r);
  }
  // Absent, the request autotunes: nothing is written and nothing is read.
  CHECK(parse_child_request(to_argv("./bench", request(RowKind::parametric, 1))).inner_repeats ==
        std::nullopt);
}

TEST_CASE(
    "protocol: --inner-repeats is refused below 1 and outside warm timed parametric batches") {
  const Argv complete{"--bench", "f", "--param", "1", "--target-nanos", "1", "--result-fd", "3"};
  auto with = [&](const Argv& extra) {
    Argv args = complete;
    args.insert(args.end(), extra.begin(), extra.end());
    return child_error(args);
  };
  CHECK(with({"--inner-repeats", "0"}) ==
        "--inner-repeats '0': must be an integer in [1, 18446744073709551615]");
  const std::string only = "--inner-repeats is for warm parametric batches measured in time only";
  CHECK(with({"--inner-repeats", "4", "--cache-mode", "cold"}) == only);
  CHECK(with({"--inner-repeats", "4", "--measure", "instructions"}) == only);
  CHECK(with({"--fixed", "--inner-repeats", "4"}) == only);
}

TEST_CASE("protocol: a complexity request survives to_argv and the parser") {
  for (const ComplexityRequest& r :
       {ComplexityRequest{"sort.std_sort", {0, 1, 1024, kMaxU64}},
        ComplexityRequest{"-x, n=1 y", {8}}, ComplexityRequest{"--bench", {16, 16, 2}},
        ComplexityRequest{"f", {}}}) {
    INFO("request: " << doctest::toString(r));
    CHECK(parse_complexity_request(to_argv("./bench", r)) == r);
  }
}

TEST_CASE("protocol: the complexity argv is pinned argument by argument") {
  CHECK(to_argv("./bench", ComplexityRequest{"sort.std_sort", {8, 1024}}) ==
        Argv{"./bench", "--benchgate-complexity", "--bench", "sort.std_sort", "8", "1024"});
}

TEST_CASE("protocol: a complexity request without --bench or with a non-numeric param fails") {
  const std::string no_bench = "complexity mode needs --bench NAME followed by params";
  CHECK(usage_error([] {
          (void)parse_complexity_request({"./bench", kComplexityFlag, "8", "16"});
        }) == no_bench);
  CHECK(usage_error([] {
          (void)parse_complexity_request({"./bench", kComplexityFlag});
        }) == no_bench);
  CHECK(usage_error([] {
          (void)parse_complexity_request({"./bench", kComplexityFlag, "--bench"});
        }) == no_bench);
  const std::string what = usage_error([] {
    (void)parse_complexity_request({"./bench", kComplexityFlag, "--bench", "f", "8", "n"});
  });
  CHECK(what == "--param 'n': must be an integer in [0, 18446744073709551615]");
}

TEST_CASE(
    "protocol: the setup descriptor survives to_argv and the parser, and absent none is read") {
  for (const RowKind kind : {RowKind::parametric, RowKind::fixed}) {
    ChildRequest r = request(kind, 2);
    r.setup_fd = 4;
    const Argv argv = to_argv("./bench", r);
    REQUIRE(argv.size() >= 2);
    CHECK(argv[argv.size() - 2] == "--setup-fd");
    CHECK(argv.back() == "4");
    CHECK(parse_child_request(argv) == r);
  }
  CHECK(parse_child_request(to_argv("./bench", request(RowKind::parametric, 1))).setup_fd ==
        std::nullopt);
}
