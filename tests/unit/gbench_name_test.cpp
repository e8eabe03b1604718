// Tests benchgate/core/gbench_name.hpp: Google Benchmark instance names as (function, param)
// keys, and the exact --benchmark_filter of an instance.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/core/gbench_name.hpp"

namespace {

using namespace benchgate;

void check_key(const std::string& name, const std::string& function,
               std::optional<std::uint64_t> param) {
  INFO("instance name: " << name);
  const GbenchKey key = gbench_key(name);
  CHECK(key.function == function);
  CHECK(key.param == param);
}

}  // namespace

TEST_CASE("gbench_name: the first argument becomes the param and a star in the name") {
  check_key("BM_Sort/1024", "BM_Sort/*", 1024);
  check_key("BM_Args/8/16", "BM_Args/*/16", 8);
  check_key("BM_Sort/1024/real_time", "BM_Sort/*/real_time", 1024);
  check_key("BM_Named/size:64/depth:3", "BM_Named/size:*/depth:3", 64);
  check_key("BM_Fixture/Method/8", "BM_Fixture/Method/*", 8);
  check_key("BM_Templ<int>/64", "BM_Templ<int>/*", 64);
  check_key("BM_Templ<std::pair<int, long>>/0", "BM_Templ<std::pair<int, long>>/*", 0);
  check_key("BM_Capture/short_label/16", "BM_Capture/short_label/*", 16);
  check_key("BM_Threads/64/threads:2", "BM_Threads/*/threads:2", 64);
  check_key("BM_Big/18446744073709551615", "BM_Big/*", 18446744073709551615ULL);
}

TEST_CASE("gbench_name: Google Benchmark's own attributes and non-numbers are never params") {
  check_key("BM_Plain", "BM_Plain", std::nullopt);
  check_key("BM_Plain/threads:2", "BM_Plain/threads:2", std::nullopt);
  check_key("BM_Plain/iterations:100/repeats:3", "BM_Plain/iterations:100/repeats:3", std::nullopt);
  check_key("BM_Plain/min_time:0.500/real_time", "BM_Plain/min_time:0.500/real_time", std::nullopt);
  check_key("BM_Plain/min_warmup_time:1/manual_time", "BM_Plain/min_warmup_time:1/manual_time",
            std::nullopt);
  check_key("BM_Plain/process_time", "BM_Plain/process_time", std::nullopt);
  check_key("BM_Neg/-5", "BM_Neg/-5", std::nullopt);
  check_key("BM_Zeros/007", "BM_Zeros/007", std::nullopt);
  check_key("BM_Huge/18446744073709551616", "BM_Huge/18446744073709551616", std::nullopt);
  check_key("BM_Capture/label", "BM_Capture/label", std::nullopt);
  // The family name itself is never an argument, even when it is a number.
  check_key("42/7", "42/*", 7);
  // A '/' inside a template argument does not split the name.
  check_key("BM_T<a/1>/3", "BM_T<a/1>/*", 3);
}

TEST_CASE("gbench_name: distinct instances of a suite get distinct keys") {
  const std::vector<std::string> names = {
      "BM_Args/8/16",        "BM_Args/16/8", "BM_Args/8/8",       "BM_Args/16/16",      "BM_Sort/8",
      "BM_Sort/8/real_time", "BM_Sort",      "BM_Sort/threads:2", "BM_Sort/8/threads:2"};
  std::set<std::pair<std::string, std::optional<std::uint64_t>>> keys;
  for (const auto& n : names) {
    const auto k = gbench_key(n);
    keys.emplace(k.function, k.param);
  }
  CHECK(keys.size() == names.size());
}

TEST_CASE("gbench_name: the exact filter matches its instance and nothing else") {
  const std::vector<std::string> names = {"BM_Sort/8",           "BM_Sort/80",
                                          "BM_T<int>/8",         "BM_x.y(z)+[1]/8",
                                          "BM_Sort/8/real_time", "a|b/$^*?{2}\\"};
  for (const auto& n : names) {
    const std::regex re(gbench_exact_filter(n), std::regex::extended);
    for (const auto& other : names) {
      INFO("filter of " << n << " = " << gbench_exact_filter(n) << " against " << other);
      CHECK(std::regex_search(other, re) == (other == n));
    }
  }
  CHECK(gbench_exact_filter("BM_Sort/8") == "^BM_Sort/8$");
}
