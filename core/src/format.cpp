// Duration and count formatting.
#include "benchgate/core/format.hpp"

#include <cmath>
#include <cstdio>
#include <iterator>
#include <optional>
#include <utility>

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

namespace {

// per_call / (nanos * 1e-9) on the decimal ladder: "4.10" and "G"; nullopt where undefined.
std::optional<std::pair<std::string, const char*>> rate_parts(double per_call, double nanos) {
  if (!(nanos > 0) || !std::isfinite(nanos) || !std::isfinite(per_call)) return std::nullopt;
  static const char* const kPrefixes[] = {"", "k", "M", "G", "T", "P"};
  double rate = per_call / (nanos * 1e-9);
  std::size_t p = 0;
  while (p + 1 < std::size(kPrefixes) && std::fabs(rate) >= 999.5) {
    rate /= 1000;
    ++p;
  }
  const int decimals = std::fabs(rate) >= 99.95 || rate == 0 ? 0 : std::fabs(rate) >= 9.995 ? 1 : 2;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, rate);
  return std::pair<std::string, const char*>{buf, kPrefixes[p]};
}

}  // namespace

std::string format_bytes_rate(double bytes_per_call, double nanos) {
  const auto parts = rate_parts(bytes_per_call, nanos);
  if (!parts) return "n/a";
  return parts->first + " " + parts->second + "B/s";
}

std::string format_items_rate(double items_per_call, double nanos) {
  const auto parts = rate_parts(items_per_call, nanos);
  if (!parts) return "n/a";
  return parts->first + parts->second + " items/s";
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
