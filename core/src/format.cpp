// Duration and count formatting.
#include "benchgate/core/format.hpp"

#include <cmath>
#include <cstdio>
#include <iterator>

namespace benchgate {

std::string format_duration(double nanos) {
  // Choose the unit on the value as printed: 999.9996 ns prints as "1.000 µs", not "1000.000 ns".
  static constexpr struct {
    double scale;
    const char* unit;
  } kUnits[] = {{1, "ns"}, {1e3, "µs"}, {1e6, "ms"}, {1e9, "s"}};
  std::size_t u = 0;
  while (u + 1 < std::size(kUnits) && std::round(nanos / kUnits[u].scale * 1000) >= 1'000'000) ++u;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f %s", nanos / kUnits[u].scale, kUnits[u].unit);
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

std::size_t display_width(const std::string& s) {
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;  // count all but continuation bytes
  return chars;
}

std::string pad_left(const std::string& s, std::size_t w) {
  const std::size_t n = display_width(s);
  return n >= w ? s : std::string(w - n, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t w) {
  const std::size_t n = display_width(s);
  return n >= w ? s : s + std::string(w - n, ' ');
}

std::string escape_markup(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace benchgate
