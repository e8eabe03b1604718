// Named variants and thread benchmarks (issue 20): the instances a declared shape registers, the
// variant setup receives, and the batch loop of .threads(k).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "benchgate/benchgate.hpp"
#include "benchgate/core/row.hpp"
#include "benchgate/core/row_json.hpp"

using benchgate::Variant;
using benchgate::detail::Measure;

namespace {

template <class Entries>
std::vector<std::string> names_of(const Entries& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.name);
  return out;
}

bool any_error_has(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors) {
    if (e.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("shape: vary() registers the product of its dimensions, the first varying slowest") {
  auto entries = benchgate::parametric(
                     "compress",
                     [](std::uint64_t n, const Variant& v) {
                       return n * static_cast<std::uint64_t>(v.integer("level"));
                     },
                     [](std::uint64_t x) { return x + 1; })
                     .vary("algo", {"zlib", "lz4"})
                     .vary("level", {1, 9})
                     .entries();
  CHECK(names_of(entries) ==
        std::vector<std::string>{"compress/algo:zlib/level:1", "compress/algo:zlib/level:9",
                                 "compress/algo:lz4/level:1", "compress/algo:lz4/level:9"});
  for (const auto& e : entries) CHECK(e.errors.empty());
  CHECK(entries[1].variant.get("algo") == "zlib");
  CHECK(entries[1].variant.integer("level") == 9);
  CHECK(entries[1].threads == 0);
  // Setup receives the entry's own variant: the last call's result is n * level + 1.
  for (std::size_t i : {0, 1}) {
    auto prepared = entries[i].prepare(10);
    Measure m;
    prepared.run_batch(3, m);
    const auto expected = benchgate::detail::hash_value(std::uint64_t{i == 0 ? 11u : 91u});
    CHECK(prepared.last_hash() == expected);
  }
}

TEST_CASE("shape: variants() registers an explicit list, in its order, numbers written as text") {
  auto entries =
      benchgate::fixed(
          "parse", [](const Variant& v) { return v.number("size"); },
          [](const double& size) { return size * 2; })
          .variants({{{"size", 0.5}, {"format", "json"}}, {{"size", 1024}, {"format", "csv"}}})
          .entries();
  CHECK(names_of(entries) ==
        std::vector<std::string>{"parse/size:0.5/format:json", "parse/size:1024/format:csv"});
  CHECK(entries[0].variant.number("size") == 0.5);
  CHECK(entries[1].variant.get("format") == "csv");
}

TEST_CASE("shape: threads() registers one instance per k, after the variant") {
  auto entries = benchgate::parametric(
                     "hash", [](std::uint64_t n, const Variant&) { return n; },
                     [](std::uint64_t n) { return n * 3; })
                     .vary("table", {"open"})
                     .threads({1, 4})
                     .entries();
  CHECK(names_of(entries) ==
        std::vector<std::string>{"hash/table:open/threads:1", "hash/table:open/threads:4"});
  CHECK(entries[0].threads == 1);
  CHECK(entries[1].threads == 4);
  auto plain = benchgate::fixed("f", [] { return 1; }).threads(2).entries();
  CHECK(names_of(plain) == std::vector<std::string>{"f/threads:2"});
  // Without a shape, one entry under the plain name.
  CHECK(names_of(benchgate::fixed("g", [] { return 1; }).entries()) ==
        std::vector<std::string>{"g"});
}

TEST_CASE("shape: a bad shape registers nothing and says what is wrong") {
  auto setup = [](std::uint64_t n, const Variant&) { return n; };
  auto fn = [](std::uint64_t n) { return n; };
  auto errors_of = [](auto entries) {
    REQUIRE(entries.size() == 1);
    CHECK_FALSE(entries[0].prepare);
    return entries[0].errors;
  };
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).vary("a/b", {1}).entries()),
                      "variant dimension 'a/b' must be non-empty, without whitespace, '/' or ':'"));
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).vary("k", {"x y"}).entries()),
                      "the value 'x y' of dimension 'k' must be non-empty"));
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).vary("k", {""}).entries()),
                      "the value '' of dimension 'k'"));
  CHECK(any_error_has(
      errors_of(benchgate::parametric("b", setup, fn).vary("k", {1}).vary("k", {2}).entries()),
      "variant dimension 'k' is declared twice"));
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).vary("k", {}).entries()),
                      ".vary(\"k\", {}) has no values"));
  CHECK(any_error_has(
      errors_of(
          benchgate::parametric("b", setup, fn).vary("k", {1}).variants({{{"k", 2}}}).entries()),
      "declares both .vary() and .variants()"));
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).variants({}).entries()),
                      ".variants({}) is empty"));
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).threads(0).entries()),
                      ".threads(0): a thread count must be 1 to 1024"));
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).threads(2000).entries()),
                      ".threads(2000)"));
  CHECK(any_error_has(errors_of(benchgate::parametric("b", setup, fn).threads({}).entries()),
                      ".threads({}) lists no thread count"));
}

TEST_CASE("shape: Variant's getters name what is missing or not a number") {
  const Variant v{{"level", 6}, {"algo", "zlib"}, {"ratio", 0.25}};
  CHECK(v.key() == "level:6/algo:zlib/ratio:0.25");
  CHECK(v.has("algo"));
  CHECK_FALSE(v.has("size"));
  CHECK(v.integer("level") == 6);
  CHECK(v.number("ratio") == 0.25);
  CHECK_THROWS_WITH_AS(v.get("size"),
                       "benchgate::Variant: no dimension 'size' (this variant has: level, algo, "
                       "ratio)",
                       std::out_of_range);
  CHECK_THROWS_WITH_AS(v.integer("algo"),
                       "benchgate::Variant: dimension 'algo' is 'zlib', not an integer",
                       std::invalid_argument);
  CHECK_THROWS_AS(v.integer("ratio"), std::invalid_argument);
  CHECK_THROWS_AS(v.number("algo"), std::invalid_argument);
  CHECK(Variant{}.key().empty());
}

TEST_CASE("shape: a thread batch runs count calls on each of k threads at once") {
  struct Seen {
    std::atomic<int> calls{0};
    std::atomic<int> running{0};
    std::atomic<int> most_running{0};
  };
  auto seen = std::make_shared<Seen>();
  auto entries = benchgate::fixed(
                     "t", [seen] { return seen; },
                     [](const std::shared_ptr<Seen>& s) {
                       const int now = ++s->running;
                       int most = s->most_running.load();
                       while (now > most && !s->most_running.compare_exchange_weak(most, now)) {
                       }
                       // Long enough that the threads overlap even when started a little apart.
                       std::this_thread::sleep_for(std::chrono::milliseconds(2));
                       --s->running;
                       return ++s->calls;
                     })
                     .threads(3)
                     .entries();
  REQUIRE(entries.size() == 1);
  auto prepared = entries[0].prepare();
  CHECK(prepared.threads == 3);
  Measure m;
  prepared.run_batch(5, m);
  CHECK(seen->calls == 15);
  CHECK(seen->most_running == 3);  // sleeping threads overlap on any number of cores
  CHECK(m.wall_nanos >= 5u * 2'000'000u);
  CHECK(prepared.last_hash().has_value());
}

TEST_CASE("shape: what one thread of a batch throws fails the batch after all threads joined") {
  auto entries = benchgate::fixed(
                     "t", [] { return std::make_shared<std::atomic<int>>(0); },
                     [](const std::shared_ptr<std::atomic<int>>& calls) {
                       if (++*calls == 4) throw std::runtime_error("call four failed");
                       return 1;
                     })
                     .threads(2)
                     .entries();
  auto prepared = entries[0].prepare();
  Measure m;
  CHECK_THROWS_WITH_AS(prepared.run_batch(3, m), "call four failed", std::runtime_error);
}

TEST_CASE("shape: rows carry the variant and threads and read back through both readers") {
  benchgate::Row row;
  row.function = "compress/algo:zlib/threads:2";
  row.kind = benchgate::RowKind::parametric;
  row.param = 64;
  row.inner_repeats = 8;
  row.total_nanos = 1000;
  row.status = benchgate::RowStatus::ok;
  row.variant = std::map<std::string, std::string>{{"algo", "zlib"}};
  row.threads = 2;
  const std::string text = benchgate::write_row(row);
  CHECK(text.find(R"("variant":{"algo":"zlib"},"threads":2)") != std::string::npos);
  const auto back = benchgate::parse_row(text);
  REQUIRE(std::holds_alternative<benchgate::Row>(back));
  CHECK(std::get<benchgate::Row>(back) == row);
  // The fast reader leaves such rows to the strict one: nothing of the last row is kept.
  CHECK_FALSE(benchgate::detail::parse_row_fast(text));
  row.variant.reset();
  row.threads.reset();
  const std::string plain = benchgate::write_row(row);
  for (const char* good : {R"("threads":1)", R"("variant":{"a":"1"})"}) {
    std::string line = plain;
    line.insert(line.size() - 1, std::string(",") + good);
    CAPTURE(line);
    CHECK(std::holds_alternative<benchgate::Row>(benchgate::parse_row(line)));
  }
  for (const char* bad : {R"("threads":0)", R"("variant":{"algo":""})", R"("variant":{"a":1})",
                          R"("variant":[])", R"("variant":{"":"x"})"}) {
    std::string line = plain;
    line.insert(line.size() - 1, std::string(",") + bad);
    CAPTURE(line);
    CHECK(std::holds_alternative<benchgate::JsonError>(benchgate::parse_row(line)));
  }
}
