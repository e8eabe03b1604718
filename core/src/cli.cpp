// The number parser of the tools' command lines.
#include "benchgate/core/cli.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace benchgate {

std::optional<double> read_decimal(const std::string& text) {
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

std::string NumberRule::describe() const {
  std::ostringstream s;
  s << (integer ? "an integer" : "a number");
  if (noun) s << " of " << noun;
  if (std::isinf(hi)) {
    s << (lo_open ? " > " : " >= ") << lo;
  } else {
    s << " in " << (lo_open ? "(" : "[") << lo << ", " << hi << (hi_open ? ")" : "]");
  }
  if (unit) s << " (" << unit << ")";
  return s.str();
}

double parse_number(const std::string& flag, const std::string& text, const NumberRule& rule) {
  const auto v = read_decimal(text);
  const bool ok = v && (!rule.integer || *v == std::trunc(*v)) &&
                  (rule.lo_open ? *v > rule.lo : *v >= rule.lo) &&
                  (rule.hi_open ? *v < rule.hi : *v <= rule.hi);
  if (!ok) throw UsageError("--" + flag + " '" + text + "': must be " + rule.describe());
  return *v;
}

std::uint64_t parse_count(const std::string& flag, const std::string& text, std::uint64_t min,
                          std::uint64_t max) {
  auto fail = [&] {
    return UsageError("--" + flag + " '" + text + "': must be an integer in [" +
                      std::to_string(min) + ", " + std::to_string(max) + "]");
  };
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) throw fail();
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE || v < min || v > max) throw fail();
  return v;
}

std::string exact_decimal(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {  // whole numbers: "86400", not "8.64e+04"
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::optional<double> parse_threshold(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  auto v = read_decimal(percent ? text.substr(0, text.size() - 1) : text);
  if (!v) return std::nullopt;
  const double fraction = percent ? *v / 100 : *v;
  if (fraction > 10) return std::nullopt;
  return fraction;
}

CounterGate parse_counter_threshold(const std::string& text) {
  auto fail = [&](const std::string& why) {
    return UsageError("--counter-threshold '" + text + "': " + why +
                      "; write NAME=THRESHOLD:lower or NAME=THRESHOLD:higher (which direction "
                      "is better), e.g. nodes_visited=5%:lower");
  };
  const auto eq = text.find('=');
  if (eq == std::string::npos) throw fail("no '=' after the counter's name");
  if (eq == 0) throw fail("the counter's name is empty");
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon < eq) throw fail("no ':lower' or ':higher'");
  CounterGate g;
  g.name = text.substr(0, eq);
  const std::string direction = text.substr(colon + 1);
  if (direction == "higher") {
    g.higher_is_better = true;
  } else if (direction != "lower") {
    throw fail("the direction '" + direction + "' is neither lower nor higher");
  }
  const auto v = parse_threshold(text.substr(eq + 1, colon - eq - 1));
  if (!v) throw fail("the threshold must be a fraction or a percentage in [0, 1000%]");
  g.threshold = *v;
  return g;
}

}  // namespace benchgate
