// Fuzzes the reader of Google Benchmark's JSON output (parse_gbench_json, looks_like_gbench_json)
// and the rows benchgate-compare makes of it (gbench_rows): files a team's CI wrote, read as a side
// of the gate.
//
// Invariants:
//  - Any bytes either parse or throw InputError "fuzz.json:<line>: <what>" with a line of the
//    text: no other exception, no crash.
//  - An accepted document holds what the header promises: every entry named, times finite and
//    non-negative, counters finite, lines within the text.
//  - An accepted document that looks_like_gbench_json refuses has a reason to: an escaped key, or
//    a key of benchgate's own documents.
//  - Every row gbench_rows makes is a valid row: write_row writes it and parse_row reads it back
//    equal.
#include <cmath>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <variant>

#include "benchgate/core/gbench_json.hpp"
#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "fuzz_check.hpp"
#include "gbench.hpp"

namespace {

using benchgate::fuzz::printable;

bool starts_with_line(const std::string& what, std::size_t lines) {
  const std::string prefix = "fuzz.json:";
  if (what.rfind(prefix, 0) != 0) return false;
  std::size_t i = prefix.size(), line = 0;
  if (i >= what.size() || what[i] < '1' || what[i] > '9') return false;
  for (; i < what.size() && what[i] >= '0' && what[i] <= '9'; ++i) {
    line = line * 10 + static_cast<std::size_t>(what[i] - '0');
    if (line > lines) return false;
  }
  return what.compare(i, 2, ": ") == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  const bool looks = benchgate::looks_like_gbench_json(text);
  benchgate::GbenchDoc doc;
  try {
    doc = benchgate::parse_gbench_json(text, "fuzz.json");
  } catch (const benchgate::InputError& e) {
    FUZZ_CHECK(starts_with_line(e.what(), lines), std::string(e.what()) + " on " + printable(text));
    return 0;
  }
  FUZZ_CHECK(looks || text.find('\\') != std::string_view::npos ||
                 text.find("schema_version") != std::string_view::npos ||
                 text.find("benchgate_list_version") != std::string_view::npos,
             "parsed, yet looks_like_gbench_json says no: " + printable(text));
  for (const benchgate::GbenchRun& r : doc.benchmarks) {
    FUZZ_CHECK(!r.name.empty() && !r.run_name.empty(),
               "an entry without a name: " + printable(text));
    FUZZ_CHECK(std::isfinite(r.real_time_ns) && r.real_time_ns >= 0 &&
                   std::isfinite(r.cpu_time_ns) && r.cpu_time_ns >= 0,
               "a time that is negative or not finite: " + printable(text));
    FUZZ_CHECK(r.line >= 1 && r.line <= lines, "line " + std::to_string(r.line) + " of " +
                                                   std::to_string(lines) + ": " + printable(text));
    for (const auto& c : r.counters) {
      FUZZ_CHECK(std::isfinite(c.second), "counter " + c.first + " not finite: " + printable(text));
    }
  }
  for (const benchgate::Row& row : benchgate::gbench_rows(doc)) {
    std::string line;
    try {
      line = benchgate::write_row(row);
    } catch (const std::exception& e) {
      FUZZ_CHECK(false,
                 std::string("write_row threw ") + e.what() + " for a row from " + printable(text));
    }
    const auto back = benchgate::parse_row(line);
    FUZZ_CHECK(
        std::holds_alternative<benchgate::Row>(back) && std::get<benchgate::Row>(back) == row,
        "a row of gbench_rows does not read back equal: " + printable(line) + " from " +
            printable(text));
  }
  return 0;
}
