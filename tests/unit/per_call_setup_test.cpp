// Tests the batch loops of untimed per-call setup, manual timing and teardown (issue 20):
// detail::make_prepared for benchgate::per_call_setup() and benchgate::manual_time().
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "benchgate/benchgate.hpp"

namespace {

using benchgate::detail::Measure;

// Inputs alive at once and inputs made, shared with the test.
struct InputLedger {
  int alive = 0;
  int most_alive = 0;
  int made = 0;
  int measured = 0;
};

struct TrackedInput {
  std::shared_ptr<InputLedger> ledger;
  explicit TrackedInput(std::shared_ptr<InputLedger> l) : ledger(std::move(l)) {
    ++ledger->made;
    ledger->most_alive = std::max(ledger->most_alive, ++ledger->alive);
  }
  TrackedInput(const TrackedInput&) = delete;
  TrackedInput(TrackedInput&& o) noexcept : ledger(o.ledger) { ++ledger->alive; }
  TrackedInput& operator=(const TrackedInput&) = delete;
  TrackedInput& operator=(TrackedInput&&) = delete;
  ~TrackedInput() { --ledger->alive; }
};

}  // namespace

TEST_CASE("per-call setup: a make_input that sleeps 2 ms is not in the measured time") {
  auto p = benchgate::detail::make_prepared(
      std::uint64_t{5},
      benchgate::per_call_setup(
          [](const std::uint64_t& n) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            return n;
          },
          [](std::uint64_t x) { return x * 3; }),
      nullptr);
  CHECK(p.per_call_setup);
  Measure m;
  const auto start = std::chrono::steady_clock::now();
  p.run_batch(5, m);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= std::chrono::milliseconds(10));  // the inputs were made
  CHECK(m.wall_nanos / 5 < 500'000);             // far below the 2 ms each took
  REQUIRE(p.last_hash());
  CHECK(*p.last_hash() == benchgate::detail::hash_value(std::uint64_t{15}));
}

TEST_CASE("per-call setup: a batch whose inputs exceed max_bytes is prepared in chunks") {
  auto ledger = std::make_shared<InputLedger>();
  auto p = benchgate::detail::make_prepared(
      ledger,
      benchgate::per_call_setup(
          [](const std::shared_ptr<InputLedger>& l) { return TrackedInput(l); },
          [](TrackedInput& in) {
            ++in.ledger->measured;
            return in.ledger->alive;
          })
          .max_bytes(3 * sizeof(TrackedInput)),
      nullptr);
  Measure m;
  p.run_batch(10, m);
  CHECK(ledger->measured == 10);
  CHECK(ledger->made == 11);       // one probe input sizes the chunks, then one per call
  CHECK(ledger->most_alive <= 4);  // a chunk of three (10 without chunks)
  p.run_batch(7, m);
  CHECK(ledger->measured == 17);
  CHECK(ledger->made == 18);
  CHECK(ledger->most_alive <= 4);
}

TEST_CASE("per-call setup: without a bound that binds, a batch's inputs are made at once") {
  auto ledger = std::make_shared<InputLedger>();
  auto p = benchgate::detail::make_prepared(
      ledger,
      benchgate::per_call_setup(
          [](const std::shared_ptr<InputLedger>& l) { return TrackedInput(l); },
          [](const TrackedInput& in) { return in.ledger->alive; }),
      nullptr);
  Measure m;
  p.run_batch(10, m);
  REQUIRE(p.last_hash());
  // The last call saw all ten inputs alive.
  CHECK(*p.last_hash() == benchgate::detail::hash_value(10));
}

TEST_CASE("per-call setup: a void function changing its Input& in place hashes that input") {
  auto p = benchgate::detail::make_prepared(
      std::vector<int>{3, 1, 2},
      benchgate::per_call_setup([](const std::vector<int>& v) { return v; },
                                [](std::vector<int>& v) { std::sort(v.begin(), v.end()); }),
      nullptr);
  Measure m;
  p.run_batch(4, m);
  REQUIRE(p.last_hash());
  CHECK(*p.last_hash() == benchgate::detail::hash_value(std::vector<int>{1, 2, 3}));
}

TEST_CASE("manual timing: the batch's time is the sum the function reported") {
  auto p = benchgate::detail::make_prepared(
      std::uint64_t{1}, benchgate::manual_time([](std::uint64_t& n, benchgate::ManualTimer& timer) {
        timer.add(std::chrono::milliseconds(1));
        return n;
      }),
      nullptr);
  CHECK(p.manual_time);
  Measure m;
  p.run_batch(7, m);
  CHECK(m.wall_nanos == 7'000'000);
}

TEST_CASE("manual timing: a batch that reported nothing is an error") {
  auto p = benchgate::detail::make_prepared(
      std::uint64_t{1},
      benchgate::manual_time([](std::uint64_t& n, benchgate::ManualTimer&) { return n; }), nullptr);
  Measure m;
  CHECK_THROWS_AS(p.run_batch(3, m), std::logic_error);
}

TEST_CASE("teardown: runs once on the setup state, however often it is asked") {
  auto torn = std::make_shared<int>(0);
  auto p = benchgate::detail::make_prepared(
      torn, [](std::shared_ptr<int>& t) { return *t; }, nullptr,
      [](std::shared_ptr<int>& t) { ++*t; });
  Measure m;
  p.run_batch(3, m);
  CHECK(*torn == 0);
  REQUIRE(p.teardown);
  p.teardown();
  p.teardown();
  CHECK(*torn == 1);
}
