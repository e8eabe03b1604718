// Fuzzes the row reader (parse_row: fast path + strict RapidJSON reader) and the writer it must
// agree with. Two uses of each input: as a line to read, and as the bytes of a Row to write.
//
// Invariants, beyond "no crash, no sanitizer report":
//  - parse_row and detail::parse_row_strict give the same Row or the same error (column, message);
//    the fast path, when it takes a line, gives the strict reader's Row.
//  - An accepted line is one JSON object: no raw NUL byte anywhere (JSON allows none).
//  - A row that parses round-trips: write_row(row) parses back to an equal Row and re-writes to the
//    same text; write_row's layout is read by the fast path unless a string needed an escape or an
//    env integer is negative (the cases the fast path documents it leaves to the strict reader).
//  - RowReader, warm (its env cache hit) or cold, reads the same Row as parse_row.
//  - Any Row the writer accepts reads back equal (after the writer's documented defaults); the
//    writer refuses only an empty function or a negative, NaN or infinite per_call_nanos.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "benchgate/core/row_json.hpp"
#include "fuzz_check.hpp"

namespace {

using benchgate::Env;
using benchgate::JsonError;
using benchgate::MeasuredUnder;
using benchgate::Row;
using benchgate::RowKind;
using benchgate::RowStatus;
using benchgate::fuzz::printable;
using Parsed = std::variant<Row, JsonError>;

std::string show(const Row& row) {
  try {
    return benchgate::write_row(row);
  } catch (const std::exception& e) {
    return std::string("<unwritable row: ") + e.what() + ">";
  }
}

std::string show(const Parsed& p) {
  if (const auto* e = std::get_if<JsonError>(&p)) {
    return "error at column " + std::to_string(e->column) + ": " + e->message;
  }
  return show(std::get<Row>(p));
}

bool same(const Parsed& a, const Parsed& b) {
  if (a.index() != b.index()) return false;
  if (const auto* ea = std::get_if<JsonError>(&a)) {
    const auto& eb = std::get<JsonError>(b);
    return ea->column == eb.column && ea->message == eb.message;
  }
  return std::get<Row>(a) == std::get<Row>(b);
}

// What write_row must escape, so the fast path (which takes strings without escapes) passes on.
bool needs_escape(const std::optional<std::string>& s) {
  if (!s) return false;
  for (char c : *s) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

// True when write_row's text of `row` is one the fast path documents it leaves to the strict
// reader: a string with an escape, a negative env integer, or a signed zero per_call_nanos.
bool left_to_strict(const Row& r) {
  // Fields the fast layout has no place for (issue 20's, and counters): write_row adds them after
  // the fixed layout, and the fast reader leaves such rows to the strict one by design.
  if (r.counters || r.bytes_per_call || r.items_per_call || r.per_call_setup || r.manual_time ||
      r.variant || r.threads)
    return true;
  if (needs_escape(r.function) || needs_escape(r.error) || needs_escape(r.suite)) return true;
  if (r.per_call_nanos && std::signbit(*r.per_call_nanos)) return true;
  if (const auto& e = r.env) {
    for (const auto* s :
         {&e->compiler, &e->compiler_version, &e->build_type, &e->benchgate_version, &e->os,
          &e->arch, &e->cpu_model, &e->hostname, &e->exe_name, &e->git_commit, &e->timestamp_iso}) {
      if (needs_escape(*s)) return true;
    }
    if (e->cpu_cores.value_or(0) < 0 || e->timestamp_unix_ms.value_or(0) < 0) return true;
  }
  return false;
}

// A Row that parsed (from the input, or from the writer's text) survives write + read unchanged,
// through every reader.
void check_round_trip(const Row& row, std::string_view origin) {
  std::string written;
  try {
    written = benchgate::write_row(row);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, "write_row threw '" + std::string(e.what()) +
                          "' for a row read from: " + printable(origin));
  }
  const Parsed back = benchgate::parse_row(written);
  FUZZ_CHECK(std::holds_alternative<Row>(back) && std::get<Row>(back) == row,
             "write_row's text does not read back equal\n  from:    " + printable(origin) +
                 "\n  written: " + printable(written) + "\n  read:    " + show(back));
  FUZZ_CHECK(benchgate::write_row(std::get<Row>(back)) == written,
             "re-writing is not idempotent: " + printable(written));
  const auto fast = benchgate::detail::parse_row_fast(written);
  if (fast) {
    FUZZ_CHECK(*fast == row, "fast path misreads write_row's text: " + printable(written));
  } else {
    FUZZ_CHECK(left_to_strict(row),
               "the fast path refuses write_row's own layout: " + printable(written));
  }

  // One reader over the written line twice: the second read hits the env cache.
  benchgate::RowReader reader;
  for (int pass = 0; pass < 2; ++pass) {
    Row got;
    std::shared_ptr<const Env> env;
    const auto error = reader.read(written, got, env);
    FUZZ_CHECK(!error, "RowReader rejects write_row's text (pass " + std::to_string(pass) +
                           "): " + printable(written));
    FUZZ_CHECK(!got.env, "RowReader left an env in the row: " + printable(written));
    if (env) got.env = *env;
    FUZZ_CHECK(got == row, "RowReader (pass " + std::to_string(pass) +
                               ") misreads: " + printable(written) + "\n  read: " + show(got));
  }
}

void check_line(std::string_view line) {
  const Parsed parsed = benchgate::parse_row(line);
  const Parsed strict = benchgate::detail::parse_row_strict(line);
  FUZZ_CHECK(same(parsed, strict),
             "parse_row and the strict reader disagree on: " + printable(line) +
                 "\n  parse_row: " + show(parsed) + "\n  strict:    " + show(strict));
  if (const auto fast = benchgate::detail::parse_row_fast(line)) {
    FUZZ_CHECK(std::holds_alternative<Row>(strict) && *fast == std::get<Row>(strict),
               "the fast path and the strict reader disagree on: " + printable(line) +
                   "\n  fast:   " + show(*fast) + "\n  strict: " + show(strict));
  }
  const auto* row = std::get_if<Row>(&parsed);
  if (!row) {
    // A message quotes values from the line: never a control character (a NUL would cut it
    // short, an ESC would drive the terminal).
    const std::string& message = std::get<JsonError>(parsed).message;
    FUZZ_CHECK(
        std::none_of(message.begin(), message.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }),
        "an error message holds a control character: " + printable(message));
    return;
  }

  // JSON text holds no raw NUL: inside a string it must be escaped, outside it is not whitespace.
  FUZZ_CHECK(line.find('\0') == std::string_view::npos,
             "a line with a raw NUL byte was accepted: " + printable(line));
  FUZZ_CHECK(!row->function.empty(), "a row with an empty function was accepted");
  if (row->kind == RowKind::parametric) {
    FUZZ_CHECK(row->param && row->inner_repeats && !row->repeat_index,
               "parametric row without param/inner_repeats: " + printable(line));
  } else {
    FUZZ_CHECK(row->repeat_index && !row->param,
               "fixed row without repeat_index: " + printable(line));
  }
  if (row->per_call_nanos) {
    FUZZ_CHECK(std::isfinite(*row->per_call_nanos) && *row->per_call_nanos >= 0,
               "per_call_nanos not finite and >= 0: " + printable(line));
  }
  check_round_trip(*row, line);
}

// ---- rows built from the bytes ------------------------------------------------------------------

std::optional<std::string> opt_string(FuzzedDataProvider& p) {
  if (!p.ConsumeBool()) return std::nullopt;
  return p.ConsumeRandomLengthString(48);
}
std::optional<std::uint64_t> opt_u64(FuzzedDataProvider& p) {
  if (!p.ConsumeBool()) return std::nullopt;
  return p.ConsumeIntegral<std::uint64_t>();
}
std::optional<std::int64_t> opt_i64(FuzzedDataProvider& p) {
  if (!p.ConsumeBool()) return std::nullopt;
  return p.ConsumeIntegral<std::int64_t>();
}
std::optional<bool> opt_bool(FuzzedDataProvider& p) {
  if (!p.ConsumeBool()) return std::nullopt;
  return p.ConsumeBool();
}
// Any double, NaN and infinities included: from raw bits, or a "nice" value for the common case.
double any_double(FuzzedDataProvider& p) {
  if (p.ConsumeBool()) return p.ConsumeFloatingPoint<double>();
  const auto bits = p.ConsumeIntegral<std::uint64_t>();
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

Row make_row(FuzzedDataProvider& p) {
  Row r;
  r.kind = p.ConsumeBool() ? RowKind::fixed : RowKind::parametric;
  r.function = p.ConsumeRandomLengthString(48);
  r.status = p.PickValueInArray(
      {RowStatus::ok, RowStatus::timed_out, RowStatus::killed_at_cap, RowStatus::error});
  r.total_nanos = p.ConsumeIntegral<std::uint64_t>();
  r.param = opt_u64(p);
  r.inner_repeats = opt_u64(p);
  r.repeat_index = opt_u64(p);
  if (p.ConsumeBool()) r.per_call_nanos = any_double(p);
  if (p.ConsumeBool()) {
    r.cache_mode = p.ConsumeBool() ? benchgate::CacheMode::warm : benchgate::CacheMode::cold;
  }
  r.result_hash = opt_u64(p);
  r.error = opt_string(p);
  r.alloc_bytes = opt_u64(p);
  r.alloc_count = opt_u64(p);
  r.peak_rss_kb = opt_u64(p);
  r.peak_rss_includes_setup = opt_bool(p);
  r.rss_baseline_kb = opt_u64(p);
  r.child_maxrss_kb = opt_u64(p);
  r.cpu_nanos = opt_u64(p);
  r.instructions = opt_u64(p);
  r.cycles = opt_u64(p);
  if (p.ConsumeBool()) {
    r.measured_under = p.ConsumeBool() ? MeasuredUnder::callgrind : MeasuredUnder::native;
  }
  if (p.ConsumeBool()) {
    Env e;
    e.compiler = opt_string(p);
    e.compiler_version = opt_string(p);
    e.build_type = opt_string(p);
    e.benchgate_version = opt_string(p);
    e.os = opt_string(p);
    e.arch = opt_string(p);
    e.cpu_model = opt_string(p);
    e.cpu_cores = opt_i64(p);
    e.hostname = opt_string(p);
    e.exe_name = opt_string(p);
    e.git_commit = opt_string(p);
    e.git_dirty = opt_bool(p);
    e.timestamp_unix_ms = opt_i64(p);
    e.timestamp_iso = opt_string(p);
    r.env = std::move(e);
  }
  r.suite = opt_string(p);
  r.trial_index = opt_u64(p);
  r.part_of_verdict = opt_bool(p);
  r.below_signal_floor = opt_bool(p);
  return r;
}

// The writer's contract: it refuses exactly what the reader would reject, and everything it
// writes reads back as the row, with the documented defaults for the keys of the other kind.
void check_writer(FuzzedDataProvider& p) {
  const Row row = make_row(p);
  const bool refusable =
      row.function.empty() ||
      (row.per_call_nanos && !(std::isfinite(*row.per_call_nanos) && *row.per_call_nanos >= 0));
  std::string written;
  try {
    written = benchgate::write_row(row);
  } catch (const std::invalid_argument& e) {
    FUZZ_CHECK(refusable, "write_row refused a valid row: " + std::string(e.what()));
    return;
  }
  FUZZ_CHECK(!refusable, "write_row wrote a row the reader must reject: " + printable(written));

  Row expected = row;
  if (row.kind == RowKind::parametric) {
    expected.param = row.param.value_or(0);
    expected.inner_repeats = row.inner_repeats.value_or(0);
    expected.repeat_index.reset();
  } else {
    expected.repeat_index = row.repeat_index.value_or(0);
    expected.param.reset();
  }
  const Parsed back = benchgate::parse_row(written);
  FUZZ_CHECK(std::holds_alternative<Row>(back) && std::get<Row>(back) == expected,
             "a written row does not read back\n  written: " + printable(written) +
                 "\n  read:    " + show(back));
  check_round_trip(expected, written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  check_line(line);
  FuzzedDataProvider provider(data, size);
  check_writer(provider);
  return 0;
}
