// Fuzzes the `--benchgate-list` reader (parse_list_doc) and its writer (write_list_doc), which
// the harness and the runner use on the two sides of the wire protocol.
//
// Invariants:
//  - An accepted document is one JSON value: no raw NUL byte anywhere.
//  - A document that parses round-trips: write_list_doc(doc) parses back to an equal document
//    (every field compared) and re-writes to the same text.
//  - Any document the harness could write (built from the bytes: arbitrary strings, integers and
//    finite doubles) reads back equal: what the runner reads is what the benchmark declared.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "benchgate/core/list_doc.hpp"
#include "fuzz_check.hpp"

namespace {

using benchgate::BenchmarkInfo;
using benchgate::JsonError;
using benchgate::ListDocument;
using benchgate::parse_list_doc;
using benchgate::RowKind;
using benchgate::fuzz::printable;

// Doubles compare by value (0.0 == -0.0): what the runner reads is what the benchmark declared,
// to the last bit.
bool same_double(double a, double b) {
  return a == b;
}

bool same_config(const benchgate::BenchmarkConfig& a, const benchgate::BenchmarkConfig& b) {
  return a.target_inner_nanos == b.target_inner_nanos &&
         same_double(a.max_seconds_per_call, b.max_seconds_per_call) &&
         a.param_ceiling == b.param_ceiling && a.param_floor == b.param_floor &&
         a.kill_grace_ms == b.kill_grace_ms &&
         same_double(a.verdict_warmup_fraction, b.verdict_warmup_fraction) &&
         same_double(a.slope_tolerance, b.slope_tolerance) &&
         same_double(a.narrow_range_noise_floor, b.narrow_range_noise_floor) &&
         a.param_schedule.shape == b.param_schedule.shape &&
         a.param_schedule.linear_samples == b.param_schedule.linear_samples &&
         a.param_schedule.custom_params == b.param_schedule.custom_params &&
         a.cache_mode == b.cache_mode &&
         same_double(a.signal_floor_multiplier, b.signal_floor_multiplier) &&
         a.outer_trials == b.outer_trials && a.tags == b.tags;
}

bool same_fixed(const benchgate::FixedBenchmarkConfig& a,
                const benchgate::FixedBenchmarkConfig& b) {
  return a.repeats == b.repeats && same_double(a.max_seconds_per_call, b.max_seconds_per_call) &&
         a.kill_grace_ms == b.kill_grace_ms && a.warmup == b.warmup &&
         same_double(a.min_total_seconds, b.min_total_seconds) &&
         a.expected_hash == b.expected_hash && a.tags == b.tags;
}

// Only what the document carries for the benchmark's kind.
bool same_info(const BenchmarkInfo& a, const BenchmarkInfo& b) {
  if (a.name != b.name || a.kind != b.kind || a.hashable != b.hashable) return false;
  if (a.kind == RowKind::parametric) {
    return a.complexity == b.complexity && same_config(a.config, b.config);
  }
  return same_fixed(a.fixed_config, b.fixed_config);
}

bool same_doc(const ListDocument& a, const ListDocument& b) {
  if (a.suite != b.suite || a.compiler != b.compiler || a.compiler_version != b.compiler_version ||
      a.build_type != b.build_type || a.benchmarks.size() != b.benchmarks.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.benchmarks.size(); ++i) {
    if (!same_info(a.benchmarks[i], b.benchmarks[i])) return false;
  }
  return true;
}

std::string show(const std::variant<ListDocument, JsonError>& p) {
  if (const auto* e = std::get_if<JsonError>(&p)) {
    return "error at column " + std::to_string(e->column) + ": " + e->message;
  }
  return benchgate::write_list_doc(std::get<ListDocument>(p));
}

void check_round_trip(const ListDocument& doc, std::string_view origin) {
  std::string written;
  try {
    written = benchgate::write_list_doc(doc);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, "write_list_doc threw '" + std::string(e.what()) +
                          "' for a document from: " + printable(origin));
  }
  const auto back = benchgate::parse_list_doc(written);
  FUZZ_CHECK(
      std::holds_alternative<ListDocument>(back) && same_doc(std::get<ListDocument>(back), doc),
      "write_list_doc's text does not read back equal\n  from:    " + printable(origin) +
          "\n  written: " + printable(written) + "\n  read:    " + show(back));
  FUZZ_CHECK(benchgate::write_list_doc(std::get<ListDocument>(back)) == written,
             "re-writing is not idempotent: " + printable(written));
}

void check_text(std::string_view text) {
  const auto parsed = benchgate::parse_list_doc(text);
  const auto* doc = std::get_if<ListDocument>(&parsed);
  if (!doc) return;
  // JSON text holds no raw NUL: inside a string it must be escaped, outside it is not whitespace.
  FUZZ_CHECK(text.find('\0') == std::string_view::npos,
             "a document with a raw NUL byte was accepted: " + printable(text));
  check_round_trip(*doc, text);
}

// ---- documents built from the bytes ---------------------------------------------------------

double finite_double(FuzzedDataProvider& p) {
  if (p.ConsumeBool()) return p.ConsumeFloatingPoint<double>();
  // Raw bits reach subnormals and every mantissa; NaN and infinities become 0.
  const auto bits = p.ConsumeIntegral<std::uint64_t>();
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return std::isfinite(d) ? d : 0.0;
}

std::vector<std::string> tags(FuzzedDataProvider& p) {
  std::vector<std::string> t(p.ConsumeIntegralInRange<std::size_t>(0, 3));
  for (auto& s : t) s = p.ConsumeRandomLengthString(16);
  return t;
}

std::optional<std::string> opt_string(FuzzedDataProvider& p) {
  if (!p.ConsumeBool()) return std::nullopt;
  return p.ConsumeRandomLengthString(24);
}

ListDocument make_doc(FuzzedDataProvider& p) {
  ListDocument doc;
  doc.suite = p.ConsumeRandomLengthString(24);
  doc.compiler = opt_string(p);
  doc.compiler_version = opt_string(p);
  doc.build_type = opt_string(p);
  const auto count = p.ConsumeIntegralInRange<std::size_t>(0, 4);
  for (std::size_t i = 0; i < count && p.remaining_bytes() > 0; ++i) {
    BenchmarkInfo b;
    b.name = p.ConsumeRandomLengthString(24);
    b.hashable = p.ConsumeBool();
    if (p.ConsumeBool()) {
      b.kind = RowKind::parametric;
      b.complexity = p.ConsumeRandomLengthString(24);
      auto& c = b.config;
      c.target_inner_nanos = p.ConsumeIntegral<std::uint64_t>();
      c.max_seconds_per_call = finite_double(p);
      c.param_ceiling = p.ConsumeIntegral<std::uint64_t>();
      c.param_floor = p.ConsumeIntegral<std::uint64_t>();
      c.kill_grace_ms = p.ConsumeIntegral<std::uint64_t>();
      c.verdict_warmup_fraction = finite_double(p);
      c.slope_tolerance = finite_double(p);
      c.narrow_range_noise_floor = finite_double(p);
      c.param_schedule.shape = p.PickValueInArray(
          {benchgate::ParamSchedule::Shape::automatic, benchgate::ParamSchedule::Shape::doubling,
           benchgate::ParamSchedule::Shape::linear, benchgate::ParamSchedule::Shape::custom});
      c.param_schedule.linear_samples = p.ConsumeIntegral<std::uint64_t>();
      c.param_schedule.custom_params.resize(p.ConsumeIntegralInRange<std::size_t>(0, 4));
      for (auto& v : c.param_schedule.custom_params) v = p.ConsumeIntegral<std::uint64_t>();
      c.cache_mode = p.ConsumeBool() ? benchgate::CacheMode::warm : benchgate::CacheMode::cold;
      c.signal_floor_multiplier = finite_double(p);
      c.outer_trials = p.ConsumeIntegral<std::uint64_t>();
      c.tags = tags(p);
    } else {
      b.kind = RowKind::fixed;
      auto& c = b.fixed_config;
      c.repeats = p.ConsumeIntegral<std::uint64_t>();
      c.max_seconds_per_call = finite_double(p);
      c.kill_grace_ms = p.ConsumeIntegral<std::uint64_t>();
      c.warmup = p.ConsumeBool();
      c.min_total_seconds = finite_double(p);
      if (p.ConsumeBool()) c.expected_hash = p.ConsumeIntegral<std::uint64_t>();
      c.tags = tags(p);
    }
    doc.benchmarks.push_back(std::move(b));
  }
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_text(text);
  FuzzedDataProvider provider(data, size);
  const ListDocument doc = make_doc(provider);
  check_round_trip(doc, "<document built from the input's bytes>");
  return 0;
}
