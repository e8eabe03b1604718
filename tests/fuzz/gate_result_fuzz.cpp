// Fuzzes the reader of gate results (parse_result, for benchgate-compare --collect), which reads
// whatever *.gate.json files lie under a build tree.
//
// Invariants:
//  - Any bytes either parse or throw InputError naming the file: no other exception, no crash.
//  - An accepted result's `result` is one of pass, fail, skip, error.
//  - The collected Markdown of accepted results renders (missing .md siblings are said so).
#include <cstdint>
#include <exception>
#include <sstream>
#include <string>

#include "benchgate/core/jsonl.hpp"
#include "collect.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  benchgate::CollectedResult r;
  try {
    r = benchgate::parse_result(text, "fuzz.gate.json");
  } catch (const benchgate::InputError& e) {
    FUZZ_CHECK(std::string(e.what()).rfind("fuzz.gate.json: ", 0) == 0,
               std::string(e.what()) + " on " + benchgate::fuzz::printable(text));
    return 0;
  }
  FUZZ_CHECK(r.result == "pass" || r.result == "fail" || r.result == "skip" || r.result == "error",
             r.result + " on " + benchgate::fuzz::printable(text));
  r.name = "fuzz";
  r.prefix = "/nonexistent/benchgate-fuzz";
  std::ostringstream out;
  benchgate::render_collected_markdown({r}, out);
  FUZZ_CHECK(out.str().find("benchgate") != std::string::npos, out.str());
  return 0;
}
