// Tests compare/decide.hpp: the time decision of a benchmark, from A/B pairs and from unpaired
// samples, with answers worked out by hand, and a fixed-seed simulation that the sequential rule
// keeps its false-alarm rate at or below alpha on data where nothing changed.
#include "decide.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "benchgate/core/effect.hpp"
#include "printers.hpp"

namespace {

using namespace benchgate;

std::string name(KeyStatus s) {
  return to_string(s);
}

// One param's A/B pairs of run `run`: baseline 100 ns, current 100 exp(d_i), trial i.
void add_pairs(TimeEvidence& e, std::optional<std::uint64_t> param, const std::vector<double>& d,
               std::int64_t run = 1, double base = 100) {
  Side b, c;
  for (std::size_t i = 0; i < d.size(); ++i) {
    b.time.values.push_back(base);
    c.time.values.push_back(base * std::exp(d[i]));
    b.time_ids.push_back({run, i});
    c.time_ids.push_back({run, i});
  }
  e.add(param, &b, &c);
}

// One side's samples of one run (unpaired).
Side samples(const std::vector<double>& times, std::int64_t run) {
  Side s;
  for (std::size_t i = 0; i < times.size(); ++i) {
    s.time.values.push_back(times[i]);
    s.time_ids.push_back({run, i});
  }
  return s;
}

DecisionRule rule(double threshold, double alpha = 0.05, std::size_t looks = 1) {
  DecisionRule r;
  r.threshold = threshold;
  r.alpha = alpha;
  r.looks = looks;
  return r;
}

// Log ratios 0.01, 0.02, ..., 0.10: the Hodges-Lehmann estimate is 0.055 and its 95% interval
// [0.03, 0.08] (the Walsh averages of 1..10 scaled, effect_test.cpp).
std::vector<double> tenths() {
  std::vector<double> d;
  for (int i = 1; i <= 10; ++i) d.push_back(0.01 * i);
  return d;
}

}  // namespace

TEST_CASE("decide: A/B pairs give the Hodges-Lehmann ratio and its interval") {
  TimeEvidence e;
  add_pairs(e, 1024, tenths());
  const TimeDecision d = decide_time(e, rule(0.02));
  CHECK(d.paired);
  CHECK(d.pairs == 10);
  CHECK(d.confidence == doctest::Approx(0.95));
  CHECK(d.ratio.estimate == doctest::Approx(std::exp(0.055)));
  CHECK(d.ratio.lo == doctest::Approx(std::exp(0.03)));
  CHECK(d.ratio.hi == doctest::Approx(std::exp(0.08)));
  // Every difference positive: the exact signed-rank p is 1 / 2^10.
  REQUIRE(d.p_value);
  CHECK(*d.p_value == doctest::Approx(1.0 / 1024));
  CHECK(name(d.status) == "regressed");
  CHECK(d.settled);
  CHECK(d.note == "above 2.0%");
}

TEST_CASE("decide: the interval against the threshold: unchanged, regressed, inconclusive") {
  TimeEvidence e;
  add_pairs(e, 1024, tenths());
  // +5.7% [+3.0%, +8.3%]: all of it within 10%.
  CHECK(name(decide_time(e, rule(0.10)).status) == "unchanged");
  // Estimate below 6% but the interval reaches past it: more samples would tell.
  const TimeDecision straddling = decide_time(e, rule(0.06));
  CHECK(name(straddling.status) == "inconclusive");
  CHECK_FALSE(straddling.settled);
  CHECK(straddling.note == "straddles 6.0%");
  // Estimate past 5% but the interval reaches below 1 at a stricter level: inconclusive too.
  CHECK(name(decide_time(e, rule(0.02, 0.0001)).status) == "inconclusive");
}

TEST_CASE("decide: faster beyond the threshold with the interval below 1 is improved") {
  std::vector<double> d = tenths();
  for (double& v : d) v = -v;
  TimeEvidence e;
  add_pairs(e, 1024, d);
  const TimeDecision t = decide_time(e, rule(0.02));
  CHECK(name(t.status) == "improved");
  CHECK(t.note == "below -2.0%");
}

TEST_CASE("decide: each look spends alpha over the looks planned") {
  TimeEvidence e;
  add_pairs(e, 1024, tenths());
  CHECK(decide_time(e, rule(0.02, 0.05, 5)).confidence == doctest::Approx(0.99));
  // Ten pairs cannot reach 1 - 0.01 / 100: the interval is their whole range, not settled.
  const TimeDecision t = decide_time(e, rule(0.02, 0.01, 100));
  CHECK(name(t.status) == "inconclusive");
  CHECK(t.note == "straddles 2.0% (too few samples for the interval's level)");
}

TEST_CASE("decide: pairs are matched by run and trial, and rows without a run never pair") {
  TimeEvidence e;
  Side b = samples({100, 100, 100}, 7), c = samples({110, 110, 110}, 7);
  c.time_ids[0].index = 9;  // no partner
  e.add(1, &b, &c);
  CHECK(decide_time(e, rule(0.05)).pairs == 2);
  TimeEvidence unknown;
  Side b0 = samples({100, 100, 100}, 0), c0 = samples({110, 110, 110}, 0);
  unknown.add(1, &b0, &c0);
  const TimeDecision t = decide_time(unknown, rule(0.05));
  CHECK_FALSE(t.paired);
  CHECK(t.n_baseline == 3);
  CHECK(t.n_current == 3);
}

TEST_CASE("decide: the absolute floor keeps a small change in nanoseconds unchanged") {
  TimeEvidence e;
  add_pairs(e, 1024, tenths());  // +5.7% of 100 ns: about 5.7 ns
  DecisionRule r = rule(0.02);
  r.min_delta_ns = 10;
  CHECK(name(decide_time(e, r).status) == "unchanged");
  r.min_delta_ns = 5;
  CHECK(name(decide_time(e, r).status) == "regressed");
}

TEST_CASE("decide: a change that grows with n regresses at the sizes where it is beyond") {
  // n = 16, 256, 4096, 65536: unchanged at the first three (small alternating noise), +50% at
  // the largest. The pooled estimate stays small; the trend carries the evidence.
  TimeEvidence e;
  const std::vector<double> still{0.001, -0.001, 0.002, -0.002, 0.0, 0.001, -0.001, 0.0015};
  for (std::uint64_t n : {16u, 256u, 4096u}) add_pairs(e, n, still);
  std::vector<double> slow;
  for (double v : still) slow.push_back(std::log(1.5) + v);
  add_pairs(e, 65536, slow);
  const TimeDecision d = decide_time(e, rule(0.10, 0.01));
  REQUIRE(d.trend);
  CHECK(d.grows);
  CHECK(d.trend->estimate > 1);
  CHECK(name(d.status) == "regressed");
  REQUIRE(d.params.size() == 4);
  for (const ParamEffect& p : d.params) {
    CAPTURE(*p.param);
    CHECK(p.decisive == (*p.param == 65536));
  }
  CHECK(d.params[3].ratio.estimate == doctest::Approx(1.5).epsilon(0.01));
  CHECK(d.note.rfind("grows with n (", 0) == 0);
  CHECK(d.note.find("above 10.0% at n=65536") != std::string::npos);
}

TEST_CASE("decide: unpaired samples of one recorded run: van Elteren, the prior's spread, a note") {
  TimeEvidence e;
  for (std::uint64_t n : {1u, 2u}) {
    Side b = samples({100, 101, 102, 103, 104, 105, 106, 107}, 1);
    Side c = samples({200, 201, 202, 203, 204, 205, 206, 207}, 2);
    e.add(n, &b, &c);
  }
  const TimeDecision d = decide_time(e, rule(0.05, 0.01));
  CHECK_FALSE(d.paired);
  CHECK(d.baseline_runs == 1);
  CHECK(d.n_baseline == 16);
  CHECK(name(d.status) == "regressed");
  // The shift of the logs: about log(203.5 / 103.5).
  CHECK(d.ratio.estimate == doctest::Approx(203.5 / 103.5).epsilon(0.01));
  // One run cannot show the spread between runs: the prior's, Student's t on its degrees of
  // freedom, for the current run's phase and the one baseline run's (sqrt 2). It is wider than
  // the samples' own interval here, so it is the interval.
  const double half =
      student_quantile(1 - 0.01 / 2, kPriorRunDf) * kPriorRunSpread * std::sqrt(2.0);
  const double estimate = std::log(d.ratio.estimate);
  CHECK(std::log(d.ratio.hi) - estimate == doctest::Approx(half).epsilon(1e-6));
  CHECK(estimate - std::log(d.ratio.lo) == doctest::Approx(half).epsilon(1e-6));
  CHECK(d.note.find("baseline of 1 run: a spread between runs of 3.0% assumed") !=
        std::string::npos);
}

TEST_CASE("decide: a phase of +15% against one recorded run is not called a regression") {
  // The guide's A/A on a busy machine: every sample of the current run 15% slower than the one
  // recorded baseline run, tightly (so the samples alone would call it). The between-run spread
  // a single run cannot show keeps it from failing: inconclusive, reported.
  TimeEvidence e;
  for (std::uint64_t n : {256u, 1024u, 4096u, 16384u}) {
    std::vector<double> base, cur;
    for (int i = 0; i < 10; ++i) {
      base.push_back(100 + i);
      cur.push_back(1.15 * (100 + i));
    }
    Side b = samples(base, 1), c = samples(cur, 2);
    e.add(n, &b, &c);
  }
  const TimeDecision d = decide_time(e, rule(0.10, 0.01, 2));
  CHECK(d.ratio.estimate == doctest::Approx(1.15).epsilon(0.01));
  CHECK(d.ratio.lo < 1);
  CHECK(name(d.status) == "inconclusive");
  // More samples of this run narrow only the within-run part: no further look.
  CHECK(d.settled);
  CHECK(d.note.find("more samples of this run cannot settle it") != std::string::npos);
  // With no spread between runs assumed, the samples alone call it.
  DecisionRule quiet = rule(0.10, 0.01, 2);
  quiet.run_spread = 0;
  CHECK(name(decide_time(e, quiet).status) == "regressed");
}

TEST_CASE("decide: unpaired, a phase at one param is not a trend, a change that grows is") {
  // Four params, one recorded baseline run; every sample of the current run is its baseline
  // partner times exp(shift). Shifts 0, 0, 0, 0.12: one param 12.7% slower, as a phase of the
  // machine can make it. Its own samples are tight, but the spread between runs (the prior's,
  // for one run) is noise of each param's shift too: no trend, nothing regressed.
  auto evidence = [](const std::vector<double>& shifts) {
    TimeEvidence e;
    const std::uint64_t params[] = {1024, 4096, 16384, 65536};
    for (std::size_t p = 0; p < 4; ++p) {
      std::vector<double> base, cur;
      for (int i = 0; i < 10; ++i) {
        base.push_back(100 + i);
        cur.push_back((100 + i) * std::exp(shifts[p]));
      }
      Side b = samples(base, 1), c = samples(cur, 2);
      e.add(params[p], &b, &c);
    }
    return e;
  };
  const TimeDecision phase = decide_time(evidence({0, 0, 0, 0.12}), rule(0.10, 0.01));
  REQUIRE(phase.trend);
  CHECK_FALSE(phase.grows);
  CHECK(name(phase.status) != "regressed");
  // Shifts 0, 0.1, 0.3, 0.7 (up to 2x at the largest n): a change that grows with n.
  const TimeDecision grows = decide_time(evidence({0, 0.1, 0.3, 0.7}), rule(0.10, 0.01));
  REQUIRE(grows.trend);
  CHECK(grows.grows);
  CHECK(name(grows.status) == "regressed");
  REQUIRE(grows.params.size() == 4);
  CHECK(grows.params[3].decisive);
  CHECK_FALSE(grows.params[0].decisive);
}

TEST_CASE("decide: the spread between recorded runs widens the interval by Student's t") {
  // Three params; baseline runs 1 (100 ns) and 2 (110 ns); current 105 ns. Per param the two run
  // medians differ by log 1.1: (log 1.1)^2 / 2 on one degree of freedom each, three in all.
  TimeEvidence e;
  for (std::uint64_t n : {1u, 2u, 3u}) {
    Side b = samples({100, 100, 100, 100, 100}, 1);
    Side b2 = samples({110, 110, 110, 110, 110}, 2);
    Side c = samples({105, 105, 105, 105, 105}, 3);
    e.add(n, &b, &c);
    e.add(n, &b2, nullptr);
  }
  const TimeDecision d = decide_time(e, rule(0.10, 0.05));
  CHECK(d.baseline_runs == 2);
  // Moderated by the prior: (3 (log 1.1)^2 / 2 + kPriorRunDf kPriorRunSpread^2) / (3 +
  // kPriorRunDf).
  const double ss =
      3 * std::log(1.1) * std::log(1.1) / 2 + kPriorRunDf * kPriorRunSpread * kPriorRunSpread;
  const double df = 3 + kPriorRunDf;
  const double s = std::sqrt(ss / df);
  const double half = student_quantile(1 - 0.05 / 2, df) * s * std::sqrt(1 + 1.0 / 2);
  const double estimate = std::log(d.ratio.estimate);
  CHECK(std::log(d.ratio.hi) - estimate == doctest::Approx(half).epsilon(1e-6));
  CHECK(estimate - std::log(d.ratio.lo) == doctest::Approx(half).epsilon(1e-6));
  CHECK(half > 0.1);
  CHECK(name(d.status) == "inconclusive");  // straddles 10%
}

TEST_CASE("decide: no time samples on a side is not comparable") {
  TimeEvidence e;
  Side b = samples({100}, 1);
  e.add(1, &b, nullptr);
  CHECK(name(decide_time(e, rule(0.05)).status) == "not_comparable");
}

TEST_CASE("decide: simulated, the sequential rule's false alarms stay at or below alpha") {
  // Nothing changed: the log ratio of each A/B pair is noise, heavy-tailed (a normal with sd 0.15,
  // one pair in ten from sd 0.6: a preempted batch); three params (n = 1k, 16k, 256k), five pairs
  // each a look, up to three looks while the decision is not settled. Unpaired: three recorded
  // baseline runs and the current one, each with its own phase (sd 0.05) on top of batch noise.
  // A false alarm is a `regressed` at any look. Threshold 0: the interval's rule alone decides.
  std::mt19937_64 rng(20261204);
  std::normal_distribution<double> noise(0, 0.15), outlier(0, 0.6), phase(0, 0.05);
  std::uniform_real_distribution<double> coin(0, 1);
  auto draw = [&] { return coin(rng) < 0.1 ? outlier(rng) : noise(rng); };
  const double alpha = 0.01;
  const std::size_t looks = 3, trials = 5, benchmarks = 1000;
  const std::uint64_t params[] = {1000, 16000, 256000};
  for (bool paired : {true, false}) {
    CAPTURE(paired);
    std::size_t alarms = 0, inconclusive = 0;
    for (std::size_t b = 0; b < benchmarks; ++b) {
      TimeEvidence e;
      std::vector<double> base_phase;
      for (int r = 0; r < 3; ++r) base_phase.push_back(phase(rng));
      if (!paired) {
        for (std::uint64_t n : params) {
          for (int r = 0; r < 3; ++r) {
            std::vector<double> v;
            for (std::size_t t = 0; t < trials; ++t)
              v.push_back(100 * std::exp(base_phase[r] + draw()));
            Side s = samples(v, 100 + r);
            e.add(n, &s, nullptr);
          }
        }
      }
      TimeDecision d;
      for (std::size_t look = 1; look <= looks; ++look) {
        const double cur_phase = phase(rng);
        for (std::uint64_t n : params) {
          if (paired) {
            std::vector<double> d_look;
            for (std::size_t t = 0; t < trials; ++t) d_look.push_back(draw());
            add_pairs(e, n, d_look, static_cast<std::int64_t>(look));
          } else {
            std::vector<double> v;
            for (std::size_t t = 0; t < trials; ++t)
              v.push_back(100 * std::exp(cur_phase + draw()));
            Side s = samples(v, 200 + static_cast<std::int64_t>(look));
            e.add(n, nullptr, &s);
          }
        }
        d = decide_time(e, rule(0.0, alpha, looks));
        if (d.status == KeyStatus::regressed || d.settled) break;
      }
      alarms += d.status == KeyStatus::regressed;
      inconclusive += d.status == KeyStatus::inconclusive;
    }
    const double rate = static_cast<double>(alarms) / static_cast<double>(benchmarks);
    MESSAGE("paired " << paired << ": " << alarms << " false alarms in " << benchmarks << " (rate "
                      << rate << "), " << inconclusive << " inconclusive");
    CHECK(rate <= alpha);
  }
}
