// Fuzzes the command-line readers of the typed requests (core/protocol.hpp,
// core/run_request.hpp): the input, split at NUL bytes, is an argv. Invariants:
//  - each parser either returns a request or throws UsageError (nothing else escapes, nothing
//    crashes, under ASan and UBSan);
//  - a request it returns round-trips: parse(to_argv(request)) == request, so what one side
//    writes the other reads back exactly (the property every producer and consumer rely on).
// The first byte picks the reader: child, complexity or run request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/core/run_request.hpp"
#include "fuzz_check.hpp"

namespace {

using benchgate::fuzz::printable;

std::vector<std::string> split_argv(std::string_view bytes) {
  std::vector<std::string> argv;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= bytes.size(); ++i) {
    if (i == bytes.size() || bytes[i] == '\0') {
      argv.emplace_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  }
  return argv;
}

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += "[" + printable(a) + "] ";
  return s;
}

void child(const std::vector<std::string>& tail) {
  std::vector<std::string> argv{"bench", benchgate::kChildFlag};
  argv.insert(argv.end(), tail.begin(), tail.end());
  benchgate::ChildRequest r;
  try {
    r = benchgate::parse_child_request(argv);
  } catch (const benchgate::UsageError&) {
    return;
  }
  const auto again = benchgate::parse_child_request(benchgate::to_argv("bench", r));
  FUZZ_CHECK(again == r, "child request does not round-trip: " + joined(argv));
}

void complexity(const std::vector<std::string>& tail) {
  std::vector<std::string> argv{"bench", benchgate::kComplexityFlag};
  argv.insert(argv.end(), tail.begin(), tail.end());
  benchgate::ComplexityRequest r;
  try {
    r = benchgate::parse_complexity_request(argv);
  } catch (const benchgate::UsageError&) {
    return;
  }
  const auto again = benchgate::parse_complexity_request(benchgate::to_argv("bench", r));
  FUZZ_CHECK(again == r, "complexity request does not round-trip: " + joined(argv));
}

void run(const std::vector<std::string>& tail) {
  std::vector<std::string> argv{"benchgate-runner run"};
  argv.insert(argv.end(), tail.begin(), tail.end());
  std::optional<benchgate::RunRequest> r;
  try {
    r = benchgate::parse_run_request(argv);
  } catch (const benchgate::UsageError&) {
    return;
  }
  if (!r) return;  // --help
  std::vector<std::string> out = benchgate::to_argv("benchgate-runner", *r);
  out.erase(out.begin());  // "benchgate-runner"; "run" stands where the program name goes
  const auto again = benchgate::parse_run_request(out);
  FUZZ_CHECK(again && *again == *r, "run request does not round-trip: " + joined(argv));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::vector<std::string> argv = split_argv(bytes);
  switch (data[0] % 3) {
    case 0: child(argv); break;
    case 1: complexity(argv); break;
    default: run(argv); break;
  }
  return 0;
}
