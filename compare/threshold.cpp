// Threshold parsing.
#include "threshold.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace benchgate {

std::optional<double> parse_non_negative(const std::string& text) {
  // Decimal only: digits, one '.', an exponent. No sign, no spaces, no "inf"/"nan", no hex
  // (strtod would read "0x1" as 1).
  if (text.empty() || text.find_first_not_of("0123456789.eE+-") != std::string::npos ||
      !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.')) {
    return std::nullopt;
  }
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v) || v < 0) {
    return std::nullopt;
  }
  return v;
}

std::optional<double> parse_threshold(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  auto v = parse_non_negative(percent ? text.substr(0, text.size() - 1) : text);
  if (!v) return std::nullopt;
  const double fraction = percent ? *v / 100 : *v;
  if (fraction > 10) return std::nullopt;
  return fraction;
}

}  // namespace benchgate
