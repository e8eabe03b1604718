// Values each override flag of the table must accept and texts it must refuse, derived from
// its kind and range, for the tests of overrides.hpp and of the run command line.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/overrides.hpp"

namespace benchgate::test {

inline bool inside(const NumberRule& r, double x) {
  return (r.lo_open ? x > r.lo : x >= r.lo) && (r.hi_open ? x < r.hi : x <= r.hi) &&
         (!r.integer || x == std::trunc(x));
}

// Valid values of `f`: the closed ends of its range and values inside it, among them doubles
// with no short binary form (0.1, 1e-05, 1/3) that must survive the trip exactly.
inline std::vector<OverrideValue> valid_values(const OverrideFlag& f) {
  const NumberRule& r = f.rule;
  using Kind = OverrideFlag::Kind;
  using U = std::vector<std::uint64_t>;
  switch (f.kind) {
    case Kind::count: {
      const auto lo = static_cast<std::uint64_t>(r.lo);
      const auto hi = static_cast<std::uint64_t>(r.hi);
      return {lo, hi, lo + (hi - lo) / 3};
    }
    case Kind::number: {
      std::vector<OverrideValue> values;
      for (const double x :
           {r.lo, r.hi, 0.1, 1e-05, 86400.0, 1.0 / 3, 2.5, std::nextafter(r.hi, r.lo)}) {
        if (std::isfinite(x) && inside(r, x)) values.push_back(x);
      }
      return values;
    }
    case Kind::on_off: return {true, false};
    case Kind::cache_mode: return {CacheMode::warm, CacheMode::cold};
    case Kind::shape:
      return {ParamSchedule::Shape::automatic, ParamSchedule::Shape::doubling,
              ParamSchedule::Shape::linear};
    case Kind::param_list: {
      const auto hi = static_cast<std::uint64_t>(r.hi);
      return {U{1024, 4096}, U{0}, U{hi, 3, 3, 0}};
    }
    case Kind::hash:
      return {std::uint64_t(0), std::numeric_limits<std::uint64_t>::max(), std::uint64_t(0xabc)};
    case Kind::flag: return {true};
  }
  return {};
}

// Texts `f` must refuse (none for a switch).
inline std::vector<std::string> invalid_texts(const OverrideFlag& f) {
  using Kind = OverrideFlag::Kind;
  const NumberRule& r = f.rule;
  switch (f.kind) {
    case Kind::count: {
      std::vector<std::string> texts{"x", "-1", "1.5", "", "1e3", " 1"};
      texts.push_back(std::to_string(static_cast<std::uint64_t>(r.hi) + 1));
      if (r.lo > 0) texts.push_back(std::to_string(static_cast<std::uint64_t>(r.lo) - 1));
      return texts;
    }
    case Kind::number: {
      std::vector<std::string> texts{"x", "-1", "inf", "nan", "", "1s", "0x1"};
      texts.push_back(exact_decimal(r.hi * 2));
      if (r.hi_open) texts.push_back(exact_decimal(r.hi));
      if (r.lo_open) texts.push_back(exact_decimal(r.lo));
      return texts;
    }
    case Kind::on_off: return {"yes", "ON", "1", ""};
    case Kind::cache_mode: return {"hot", "Warm", ""};
    case Kind::shape: return {"custom", "exponential", ""};
    case Kind::param_list:
      return {"",
              "1,,2",
              "a",
              "-1",
              "1;2",
              "1, 2",
              std::to_string(static_cast<std::uint64_t>(r.hi) + 1)};
    case Kind::hash: return {"0x", "abc", "0xg", "0x" + std::string(17, 'f'), "1234"};
    case Kind::flag: return {};
  }
  return {};
}

}  // namespace benchgate::test
