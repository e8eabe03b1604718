// Duration and count formatting.
#include "benchgate/core/format.hpp"

#include <cstdio>

namespace benchgate {

std::string format_duration(double nanos) {
  const char* unit = "ns";
  double v = nanos;
  if (nanos >= 1e9) {
    v = nanos / 1e9;
    unit = "s";
  } else if (nanos >= 1e6) {
    v = nanos / 1e6;
    unit = "ms";
  } else if (nanos >= 1e3) {
    v = nanos / 1e3;
    unit = "µs";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f %s", v, unit);
  return buf;
}

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  const std::size_t lead = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i % 3) == lead % 3) out += '_';
    out += digits[i];
  }
  return out;
}

std::string format_repeats(std::uint64_t n) {
  if (n == 0) return "—";
  if (n >= 2 && (n & (n - 1)) == 0) {
    int k = 0;
    while ((std::uint64_t{1} << k) != n) ++k;
    return "×2^" + std::to_string(k);
  }
  return "×" + std::to_string(n);
}

}  // namespace benchgate
