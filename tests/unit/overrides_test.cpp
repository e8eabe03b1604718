// Tests core/overrides.hpp: every flag of the table writes each valid value as text its parser
// reads back exactly, refuses bad text by name, and the order rules where two rows set one field.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/overrides.hpp"
#include "override_values.hpp"
#include "printers.hpp"
#include "request_printers.hpp"

namespace {

using namespace benchgate;
using benchgate::test::contains;
using benchgate::test::invalid_texts;
using benchgate::test::usage_error;
using benchgate::test::valid_values;
using U = std::vector<std::uint64_t>;

const OverrideFlag& flag(const std::string& name) {
  const auto& all = override_flags();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const OverrideFlag& f) { return f.name == name; });
  REQUIRE_MESSAGE(it != all.end(), "no override flag --" << name);
  return *it;
}

std::string parse_error(const std::string& name, const std::string& text) {
  return usage_error([&] { (void)parse_override(flag(name), text); });
}

BenchmarkInfo parametric() {
  BenchmarkInfo b;
  b.name = "f";
  b.kind = RowKind::parametric;
  b.config.param_ceiling = 16;
  b.config.target_inner_nanos = 1'000'000;
  return b;
}

BenchmarkInfo fixed(std::optional<std::uint64_t> expected_hash) {
  BenchmarkInfo b;
  b.name = "g";
  b.kind = RowKind::fixed;
  b.fixed_config.repeats = 3;
  b.fixed_config.expected_hash = expected_hash;
  return b;
}

}  // namespace

TEST_CASE("overrides: format_override then parse_override gives back every valid value") {
  for (const OverrideFlag& f : override_flags()) {
    for (const OverrideValue& v : valid_values(f)) {
      const std::string text = format_override(f, v);
      INFO("--" << std::string(f.name) << " '" << text << "'");
      CHECK(parse_override(f, text) == v);
    }
  }
}

TEST_CASE("overrides: each kind is written as its flag reads it") {
  CHECK(format_override(flag("outer-trials"), std::uint64_t(3)) == "3");
  CHECK(format_override(flag("max-seconds-per-call"), 0.1) == "0.1");
  CHECK(format_override(flag("slope-tolerance"), 1e-05) == "1e-05");
  CHECK(format_override(flag("warmup"), true) == "on");
  CHECK(format_override(flag("warmup"), false) == "off");
  CHECK(format_override(flag("cache-mode"), CacheMode::cold) == "cold");
  CHECK(format_override(flag("param-schedule"), ParamSchedule::Shape::automatic) == "auto");
  CHECK(format_override(flag("param-schedule"), ParamSchedule::Shape::linear) == "linear");
  CHECK(format_override(flag("param-list"), U{1024, 4096}) == "1024,4096");
  CHECK(format_override(flag("expected-hash"), std::uint64_t(0xabc)) == "0xabc");
  CHECK(format_override(flag("ignore-expected-hash"), true) == "");
}

TEST_CASE("overrides: parse_override reads each kind of text") {
  CHECK(parse_override(flag("kill-grace-ms"), "0") == OverrideValue(std::uint64_t(0)));
  CHECK(parse_override(flag("min-total-seconds"), "1e-3") == OverrideValue(0.001));
  CHECK(parse_override(flag("warmup"), "off") == OverrideValue(false));
  CHECK(parse_override(flag("cache-mode"), "warm") == OverrideValue(CacheMode::warm));
  CHECK(parse_override(flag("param-schedule"), "doubling") ==
        OverrideValue(ParamSchedule::Shape::doubling));
  CHECK(parse_override(flag("param-list"), "64,8,64") == OverrideValue(U{64, 8, 64}));
  CHECK(parse_override(flag("expected-hash"), "0XFF") == OverrideValue(std::uint64_t(255)));
  CHECK(parse_override(flag("ignore-expected-hash"), "") == OverrideValue(true));
}

TEST_CASE("overrides: bad text is refused with the flag, the value and what it accepts") {
  CHECK(parse_error("outer-trials", "0") == "--outer-trials '0': must be an integer in [1, 1000]");
  CHECK(parse_error("max-seconds-per-call", "0") ==
        "--max-seconds-per-call '0': must be a number of seconds in (0, 86400]");
  CHECK(parse_error("warmup-fraction", "1") == "--warmup-fraction '1': must be a number in [0, 1)");
  CHECK(parse_error("warmup", "yes") == "--warmup 'yes': must be on or off");
  CHECK(parse_error("cache-mode", "hot") == "--cache-mode 'hot': must be warm or cold");
  CHECK(parse_error("param-schedule", "custom") ==
        "--param-schedule 'custom': must be auto, doubling or linear (a custom list: "
        "--param-list)");
  CHECK(parse_error("param-list", "") ==
        "--param-list '': must list at least one param, e.g. 64,1024");
  CHECK(parse_error("param-list", "8,x") ==
        "--param-list 'x': must be an integer in [0, 4611686018427387904]");
  CHECK(parse_error("expected-hash", "abc") ==
        "--expected-hash 'abc': must be 0x followed by 1 to 16 hex digits");
}

TEST_CASE("overrides: every invalid text of every flag names the flag") {
  for (const OverrideFlag& f : override_flags()) {
    for (const std::string& text : invalid_texts(f)) {
      INFO("--" << std::string(f.name) << " '" << text << "'");
      const std::string what = usage_error([&] { (void)parse_override(f, text); });
      CHECK(contains(what, std::string("--") + f.name + " '"));
      CHECK(contains(what, "': must "));
    }
  }
}

TEST_CASE("overrides: the table names each flag once, with help and a field it sets") {
  std::set<std::string> names;
  for (const OverrideFlag& f : override_flags()) {
    INFO("flag: " << std::string(f.name));
    CHECK(names.insert(f.name).second);
    CHECK(std::string(f.name).rfind("-", 0) != 0);  // written without the leading "--"
    REQUIRE(f.help != nullptr);
    CHECK(std::string(f.help) != "");
    CHECK((f.parametric != nullptr || f.fixed != nullptr));
  }
  // The two order rules below depend on these rows' relative order.
  auto index = [&](const std::string& name) {
    const auto& all = override_flags();
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].name == name) return i;
    }
    return all.size();
  };
  CHECK(index("param-schedule") < index("param-list"));
  CHECK(index("param-list") < index("linear-samples"));
  CHECK(index("expected-hash") < index("ignore-expected-hash"));
}

TEST_CASE("overrides: --param-list wins over --param-schedule given on the same line") {
  BenchmarkInfo b = parametric();
  b.config.param_schedule = ParamSchedule::doubling();
  Overrides o;
  o.values["param-list"] = U{4, 64};
  o.values["param-schedule"] = ParamSchedule::Shape::linear;
  (void)apply_overrides(b, o);
  CHECK(b.config.param_schedule.shape == ParamSchedule::Shape::custom);
  CHECK(b.config.param_schedule.custom_params == U{4, 64});
  // Without the list, the shape applies and a declared custom list is dropped.
  BenchmarkInfo c = parametric();
  c.config.param_schedule = ParamSchedule::custom({2, 8});
  o.values.erase("param-list");
  (void)apply_overrides(c, o);
  CHECK(c.config.param_schedule.shape == ParamSchedule::Shape::linear);
  CHECK(c.config.param_schedule.custom_params.empty());
}

TEST_CASE("overrides: --ignore-expected-hash drops --expected-hash and the declared hash") {
  Overrides o;
  o.values["expected-hash"] = std::uint64_t(0x2);
  BenchmarkInfo b = fixed(0x1);
  (void)apply_overrides(b, o);
  CHECK(b.fixed_config.expected_hash == std::optional<std::uint64_t>(0x2));
  o.values["ignore-expected-hash"] = true;
  BenchmarkInfo c = fixed(0x1);
  (void)apply_overrides(c, o);
  CHECK(c.fixed_config.expected_hash == std::nullopt);
  o.values.erase("expected-hash");
  BenchmarkInfo d = fixed(0x1);
  (void)apply_overrides(d, o);
  CHECK(d.fixed_config.expected_hash == std::nullopt);
}
