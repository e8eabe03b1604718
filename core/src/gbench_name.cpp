#include "benchgate/core/gbench_name.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <string_view>
#include <vector>

namespace benchgate {
namespace {

// Google Benchmark's own name parts (benchmark_register.cc, 1.7): never arguments.
constexpr std::array<std::string_view, 7> kAttributes = {
    "threads", "iterations", "repeats", "min_time", "min_warmup_time", "real_time", "manual_time"};

bool attribute(std::string_view part) {
  const auto colon = part.find(':');
  const std::string_view head = part.substr(0, colon);
  for (auto a : kAttributes) {
    if (head == a) return true;
  }
  return part == "process_time";
}

std::optional<std::uint64_t> digits(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  // "007" would not map back to itself: not an argument Google Benchmark prints.
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Splits at '/' outside "<...>" (a template argument such as std::array<int, 4> holds no '/',
// but one written as a/b in a BENCHMARK_TEMPLATE could).
std::vector<std::string_view> parts_of(std::string_view name) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '<') ++depth;
    if (name[i] == '>' && depth > 0) --depth;
    if (name[i] == '/' && depth == 0) {
      parts.push_back(name.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(name.substr(start));
  return parts;
}

}  // namespace

GbenchKey gbench_key(const std::string& instance_name) {
  const auto parts = parts_of(instance_name);
  GbenchKey key;
  std::string function(parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    function += '/';
    if (!key.param && !attribute(part)) {
      const auto colon = part.find(':');
      const std::string_view value =
          colon == std::string_view::npos ? part : part.substr(colon + 1);
      if (auto n = digits(value)) {
        key.param = n;
        function.append(part.substr(0, colon == std::string_view::npos ? 0 : colon + 1));
        function += '*';
        continue;
      }
    }
    function.append(part);
  }
  key.function = std::move(function);
  return key;
}

std::string gbench_exact_filter(const std::string& instance_name) {
  std::string out = "^";
  for (char c : instance_name) {
    // The characters POSIX extended syntax (Google Benchmark's std::regex flavour) gives a
    // meaning outside brackets; escaping any other is an error there ("\}" included).
    if (c != '\0' && std::strchr("\\^$.[|()*+?{", c) != nullptr) out += '\\';
    out += c;
  }
  out += '$';
  return out;
}

}  // namespace benchgate
