// What untimed per-call setup's bookkeeping costs per call (issue 20): a fast measured call
// (x * 3 + 1 on a 64-bit integer) timed through the harness's batch loops, without and with
// benchgate::per_call_setup, whose make_input only copies the integer.
//
// Prints one line of key=value fields, nanoseconds per call (medians over ROUNDS interleaved
// rounds of CALLS calls each):
//   calls=1000000 rounds=15 plain=0.9 timed=1.1 whole=4.2 make=0.5 in_clock=0.2 outside=2.8
//   plain    the timed batch without per-call setup
//   timed    the timed part of a batch with per-call setup (what its rows report)
//   whole    the whole run_batch with per-call setup: preparing the inputs and the timed part
//   make     the setup's own work: make_input alone, CALLS times, results kept in a register
//   in_clock = timed - plain: the bookkeeping inside the clock (an array of inputs to walk)
//   outside  = whole - timed - make: the bookkeeping outside the clock (storing the inputs,
//              destroying them, the probes of the clock itself)
// A measurement tool, not a test: it asserts nothing. Links the harness library (measure.cpp)
// and defines its own main(), so the harness's is not pulled in.
//
//   setup_cost [CALLS (1000000)] [ROUNDS (15)]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "benchgate/benchgate.hpp"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::uint64_t make_copy(const std::uint64_t& s) {
  return s;
}

std::uint64_t step(std::uint64_t x) {
  return x * 3 + 1;
}

double nanos_since(std::chrono::steady_clock::time_point start) {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t calls = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 15;
  if (calls == 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: setup_cost [CALLS (1000000)] [ROUNDS (15)]\n");
    return 2;
  }
  // Lambdas on both sides, as authors write them: a function pointer would be called indirectly.
  auto plain = benchgate::detail::make_prepared(
      std::uint64_t{7}, [](std::uint64_t& s) { return step(s); }, nullptr);
  auto with = benchgate::detail::make_prepared(
      std::uint64_t{7},
      benchgate::per_call_setup([](const std::uint64_t& s) { return make_copy(s); },
                                [](std::uint64_t x) { return step(x); }),
      nullptr);
  std::vector<double> p, t, w, mk;
  benchgate::detail::Measure m;
  plain.run_batch(calls, m);  // warm-up: page in the input buffer, size the chunks
  with.run_batch(calls, m);
  for (int r = 0; r < rounds; ++r) {
    plain.run_batch(calls, m);
    p.push_back(static_cast<double>(m.wall_nanos) / static_cast<double>(calls));
    const auto start = std::chrono::steady_clock::now();
    with.run_batch(calls, m);
    w.push_back(nanos_since(start) / static_cast<double>(calls));
    t.push_back(static_cast<double>(m.wall_nanos) / static_cast<double>(calls));
    const std::uint64_t state = 7;
    const auto make_start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < calls; ++i) {
      benchgate::do_not_optimize(state);
      const std::uint64_t input = make_copy(state);
      benchgate::do_not_optimize(input);
    }
    mk.push_back(nanos_since(make_start) / static_cast<double>(calls));
  }
  const double mp = median(p), mt = median(t), mw = median(w), mm = median(mk);
  std::printf(
      "calls=%llu rounds=%d plain=%.3f timed=%.3f whole=%.3f make=%.3f in_clock=%.3f "
      "outside=%.3f\n",
      static_cast<unsigned long long>(calls), rounds, mp, mt, mw, mm, mt - mp, mw - mt - mm);
  return 0;
}
