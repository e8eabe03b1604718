// Tests custom counters (issue 20): the harness's per-batch sums (benchgate::counter), the
// --counter-threshold parser, decide_counter on deterministic and varying samples, and a gated
// counter through compare() and the text and JSON reports.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/benchgate.hpp"
#include "benchgate/core/cli.hpp"
#include "benchgate/core/format.hpp"
#include "cli.hpp"
#include "compare.hpp"
#include "keyed_rows.hpp"
#include "render.hpp"

namespace benchgate::detail {
// The harness's own (harness/src/registry.hpp): the last batch's counter sums.
std::vector<std::pair<std::string, double>> batch_counter_sums();
}  // namespace benchgate::detail

using namespace benchgate;

namespace {

Samples counter_samples(std::vector<double> values) {
  Samples s;
  s.values = std::move(values);
  return s;
}

std::string status_name(KeyStatus v) {
  return to_string(v);
}

// Five ok rows of one key, each with time 100 ns and the counter `nodes` at `value`.
test::Rows counter_rows(double value) {
  test::Rows rows;
  for (int i = 0; i < 5; ++i) {
    Row r;
    r.inner_repeats = 1;
    r.per_call_nanos = 100 + i * 0.01;
    r.total_nanos = 100;
    r.counters = std::map<std::string, double>{{"nodes", value}, {"other", 7}};
    rows.push_back(r);
  }
  return rows;
}

Key counter_key() {
  Key k;
  k.suite = "suite";
  k.function = "walk";
  k.param = 64;
  k.cache_mode = CacheMode::warm;
  return k;
}

}  // namespace

TEST_CASE("counters: a batch sums what its calls report, and each batch starts from zero") {
  auto calls = std::make_shared<int>(0);
  auto prepared = detail::make_prepared(
      calls,
      [](std::shared_ptr<int>& c) {
        benchgate::counter("nodes", 3);
        if (++*c % 2 == 0) benchgate::counter("even", 1);
        return *c;
      },
      nullptr);
  detail::Measure m;
  prepared.run_batch(4, m);
  auto sums = detail::batch_counter_sums();
  CHECK(sums == std::vector<std::pair<std::string, double>>{{"nodes", 12}, {"even", 2}});
  prepared.run_batch(1, m);  // call 5: odd, so `even` is not reported in this batch
  sums = detail::batch_counter_sums();
  CHECK(sums == std::vector<std::pair<std::string, double>>{{"nodes", 3}});
}

TEST_CASE("counters: an empty counter name throws") {
  CHECK_THROWS_WITH_AS(benchgate::counter("", 1), "benchgate::counter: the name is empty",
                       std::invalid_argument);
}

TEST_CASE("counters: --counter-threshold reads NAME=THRESHOLD:lower or :higher") {
  const CounterGate lower = parse_counter_threshold("nodes_visited=5%:lower");
  CHECK(lower.name == "nodes_visited");
  CHECK(lower.threshold == doctest::Approx(0.05));
  CHECK_FALSE(lower.higher_is_better);
  const CounterGate higher = parse_counter_threshold("hits=0.1:higher");
  CHECK(higher.threshold == doctest::Approx(0.1));
  CHECK(higher.higher_is_better);
  CHECK(parse_counter_threshold("a:b=0%:lower").name == "a:b");
}

TEST_CASE("counters: a malformed --counter-threshold is a usage error naming the text") {
  for (const char* bad : {"nodes", "=5%:lower", "nodes=5%", "nodes=5%:down", "nodes=:lower",
                          "nodes=-5%:lower", "nodes=5000%:higher", "nodes=x:lower"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_counter_threshold(bad), UsageError);
    try {
      parse_counter_threshold(bad);
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).find(std::string("--counter-threshold '") + bad + "'") !=
            std::string::npos);
    }
  }
}

TEST_CASE("counters: benchgate-compare takes repeated --counter-threshold, each name once") {
  const auto r =
      parse_compare_request({"benchgate-compare", "a.jsonl", "b.jsonl", "--counter-threshold",
                             "nodes=5%:lower", "--counter-threshold=hits=10%:higher"});
  REQUIRE(r);
  REQUIRE(r->options.counter_gates.size() == 2);
  CHECK(r->options.counter_gates[0] == CounterGate{"nodes", 0.05, false});
  CHECK(r->options.counter_gates[1].name == "hits");
  CHECK(r->options.counter_gates[1].higher_is_better);
  CHECK_THROWS_AS(
      parse_compare_request({"benchgate-compare", "a.jsonl", "b.jsonl", "--counter-threshold",
                             "n=5%:lower", "--counter-threshold", "n=1%:higher"}),
      UsageError);
}

TEST_CASE("counters: deterministic samples decide cleanly in both directions") {
  const CounterGate lower{"n", 0.05, false}, higher{"n", 0.05, true};
  const auto same = counter_samples({100, 100, 100});
  const auto more = counter_samples({110, 110, 110});
  const auto less = counter_samples({90, 90, 90});
  CHECK(status_name(decide_counter(same, same, lower).status) == "unchanged");
  CHECK(status_name(decide_counter(same, same, higher).status) == "unchanged");
  CHECK(status_name(decide_counter(same, more, lower).status) == "regressed");
  CHECK(status_name(decide_counter(same, less, lower).status) == "improved");
  CHECK(status_name(decide_counter(same, more, higher).status) == "improved");
  CHECK(status_name(decide_counter(same, less, higher).status) == "regressed");
  // Within the threshold: unchanged either way.
  CHECK(status_name(decide_counter(same, counter_samples({104, 104}), lower).status) ==
        "unchanged");
  const MetricResult r = decide_counter(same, more, lower);
  CHECK(r.note == "median +10.0% vs threshold ±5.0%, lower is better");
  // From zero: any growth regresses when lower is better.
  CHECK(status_name(decide_counter(counter_samples({0, 0}), counter_samples({1}), lower).status) ==
        "regressed");
  // A side without the counter: not comparable.
  CHECK(status_name(decide_counter(same, counter_samples({}), lower).status) == "not_comparable");
}

TEST_CASE("counters: a gated counter's regression fails the key while its time is unchanged") {
  test::KeyedRows base{{counter_key(), counter_rows(100)}};
  test::KeyedRows cur{{counter_key(), counter_rows(120)}};
  CompareOptions o = test::quiet_machine();
  o.counter_gates.push_back(CounterGate{"nodes", 0.05, false});
  const Report report = compare(test::reduce(base), test::reduce(cur), o);
  REQUIRE(report.results.size() == 1);
  const KeyResult& k = report.results[0];
  CHECK(status_name(k.time.status) == "unchanged");
  CHECK(status_name(k.status) == "regressed");
  CHECK(k.failing);
  CHECK(report.failing() == 1);
  REQUIRE(k.counters.size() == 2);
  CHECK(k.counters[0].name == "nodes");
  CHECK(k.counters[0].gate);
  CHECK(status_name(k.counters[0].decision.status) == "regressed");
  CHECK_FALSE(k.counters[1].gate);  // `other`: shown, not gated
  std::ostringstream text;
  render_text(report, text);
  CHECK(text.str().find("counter nodes regressed: median +20.0% vs threshold ±5.0%, lower is "
                        "better") != std::string::npos);
  CHECK(text.str().find("counter nodes 5% (lower is better)") != std::string::npos);
  std::ostringstream json;
  render_json(report, json);
  CHECK(json.str().find("\"better\": \"lower\"") != std::string::npos);
  CHECK(json.str().find("\"status\": \"regressed\"") != std::string::npos);

  // Without the gate the same counters pass, shown as not gated.
  const Report ungated = compare(test::reduce(base), test::reduce(cur), test::quiet_machine());
  CHECK_FALSE(ungated.results[0].failing);
  CHECK(status_name(ungated.results[0].status) == "unchanged");
}

TEST_CASE("throughput: rates read in decimal units per second") {
  CHECK(format_bytes_rate(4096, 1000) == "4.10 GB/s");
  CHECK(format_bytes_rate(1e6, 1e6) == "1.00 GB/s");
  CHECK(format_bytes_rate(512, 1e3) == "512 MB/s");
  CHECK(format_bytes_rate(25, 1e9) == "25.0 B/s");
  CHECK(format_bytes_rate(0, 10) == "0 B/s");
  CHECK(format_items_rate(1024, 1000) == "1.02G items/s");
  CHECK(format_items_rate(3, 1e9) == "3.00 items/s");
  CHECK(format_bytes_rate(1, 0) == "n/a");
}

TEST_CASE("throughput: compare's notes show MB/s and items/s beside the time, never gated") {
  auto with_throughput = [](test::Rows rows, double time) {
    for (Row& r : rows) {
      r.per_call_nanos = time;
      r.bytes_per_call = 4096;
      r.items_per_call = 1024;
      r.counters.reset();
    }
    return rows;
  };
  test::KeyedRows base{{counter_key(), with_throughput(counter_rows(1), 1000)}};
  test::KeyedRows cur{{counter_key(), with_throughput(counter_rows(1), 2000)}};
  const Report report = compare(test::reduce(base), test::reduce(cur), test::quiet_machine());
  REQUIRE(report.results.size() == 1);
  const KeyResult& k = report.results[0];
  CHECK(k.baseline_bytes == 4096.0);
  CHECK(k.current_items == 1024.0);
  CHECK(throughput_note(k) ==
        "throughput (not gated): 4.10 GB/s → 2.05 GB/s, 1.02G items/s → 512M items/s");
  std::ostringstream text;
  render_text(report, text);
  CHECK(text.str().find("4.10 GB/s → 2.05 GB/s") != std::string::npos);
  std::ostringstream json;
  render_json(report, json);
  CHECK(json.str().find("\"current_bytes_per_call\": 4096") != std::string::npos);
}
