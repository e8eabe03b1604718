// Tests the harness's batch loop (detail::make_prepared in benchgate/benchgate.hpp): every one of
// a batch's calls runs whatever the result type, and the last call's result is the one hashed.
// The loop's sink for results (detail::consume) keeps register-sized results in a register; these
// tests hold that it still makes the compiler run every call.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "benchgate/benchgate.hpp"

namespace {

using benchgate::detail::make_prepared;
using benchgate::detail::Measure;

struct Counter {
  std::uint64_t calls = 0;
};

// Runs batches of `count` calls through a loop whose function returns make(calls so far) and
// returns the number of calls it saw. The state is shared with the caller through a pointer.
template <class Make>
std::uint64_t calls_in_batch(std::uint64_t count, Make make) {
  auto counter = std::make_shared<Counter>();
  auto prepared = make_prepared(
      counter, [make](std::shared_ptr<Counter>& c) { return make(++c->calls); }, nullptr);
  Measure m;
  prepared.run_batch(count, m);
  return counter->calls;
}

}  // namespace

TEST_CASE("harness: a batch runs every call when the result fits a register") {
  CHECK(calls_in_batch(1, [](std::uint64_t n) { return n; }) == 1);
  CHECK(calls_in_batch(1000, [](std::uint64_t n) { return n; }) == 1000);
  CHECK(calls_in_batch(1000, [](std::uint64_t n) { return static_cast<char>(n); }) == 1000);
  CHECK(calls_in_batch(1000, [](std::uint64_t n) { return static_cast<double>(n); }) == 1000);
}

TEST_CASE("harness: a batch runs every call when the result is large or not trivially copyable") {
  CHECK(calls_in_batch(1000, [](std::uint64_t n) { return std::to_string(n); }) == 1000);
  CHECK(calls_in_batch(1000, [](std::uint64_t n) { return std::vector<std::uint64_t>(3, n); }) ==
        1000);
  CHECK(calls_in_batch(1000, [](std::uint64_t n) {
          return std::array<std::uint64_t, 4>{n, n, n, n};
        }) == 1000);
}

TEST_CASE("harness: the hash is the last call's result") {
  auto counter = std::make_shared<Counter>();
  auto prepared = make_prepared(
      counter, [](std::shared_ptr<Counter>& c) { return ++c->calls; }, nullptr);
  Measure m;
  prepared.run_batch(500, m);
  REQUIRE(prepared.last_hash());
  CHECK(*prepared.last_hash() == benchgate::detail::hash_value(std::uint64_t{500}));
  prepared.run_batch(3, m);
  CHECK(*prepared.last_hash() == benchgate::detail::hash_value(std::uint64_t{503}));
}

// A pure call whose result only the sink sees: if the sink let the compiler drop the work, a
// batch of 10,000 calls would take about as long as a batch of one. This file is compiled at -O2
// (tests/unit/CMakeLists.txt) so that the optimiser has the chance. The bound is loose: 100x
// for 10,000x the work.
TEST_CASE("harness: the result sink keeps a pure call's work in the batch") {
  auto prepared = make_prepared(
      std::uint64_t{7},
      [](std::uint64_t& seed) {
        std::uint64_t x = seed;
        for (int i = 0; i != 1000; ++i) {
          x ^= x << 13;
          x ^= x >> 7;
          x ^= x << 17;
        }
        return x;
      },
      nullptr);
  Measure one;
  Measure many;
  prepared.run_batch(1, one);
  prepared.run_batch(1, one);  // warm
  prepared.run_batch(10'000, many);
  CHECK(many.wall_nanos > 100 * std::max<std::uint64_t>(one.wall_nanos, 1));
}
