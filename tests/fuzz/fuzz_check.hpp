// What every fuzz target shares: invariant checks that abort (libFuzzer then saves the input as a
// crash) with a message saying which invariant broke and on what.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace benchgate::fuzz {

// Bytes as a C-escaped string, cut to a few hundred bytes: enough to see the input in a report.
inline std::string printable(std::string_view bytes) {
  constexpr std::size_t kMax = 400;
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (bytes.size() > kMax) out += "...(" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

[[noreturn]] inline void fail(const char* file, int line, const char* what,
                              const std::string& detail) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n%s\n", file, line, what, detail.c_str());
  std::abort();
}

}  // namespace benchgate::fuzz

// Checks an invariant; `detail` (a std::string expression) is only evaluated when it fails.
#define FUZZ_CHECK(cond, detail)                                             \
  do {                                                                       \
    if (!(cond)) ::benchgate::fuzz::fail(__FILE__, __LINE__, #cond, detail); \
  } while (0)
