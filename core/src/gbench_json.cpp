// Google Benchmark's JSON output, read with the rows' strict JSON reader (json_text.hpp) after its
// bare NaN and Infinity values are turned into null.
#include "benchgate/core/gbench_json.hpp"

#include "benchgate/core/jsonl.hpp"
#include "json_text.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>
#include <variant>

namespace benchgate {
namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The text with every non-finite number Google Benchmark writes outside strings (NaN, Infinity,
// each with an optional '-'; inf, nan, Inf from versions that wrote doubles with operator<<)
// replaced by null. Newlines are kept, so lines stay where they were.
std::string nonfinite_to_null(std::string_view text) {
  static constexpr std::array<std::string_view, 5> kWords = {"Infinity", "NaN", "inf", "nan",
                                                             "Inf"};
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    if (i == 0 || !word_char(text[i - 1])) {
      const std::size_t start = i + (c == '-' ? 1 : 0);
      bool replaced = false;
      for (std::string_view w : kWords) {
        const std::size_t end = start + w.size();
        if (text.substr(start, w.size()) == w && (end == text.size() || !word_char(text[end]))) {
          out += "null";
          i = end - 1;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += c;
  }
  return out;
}

// Line numbers of positions in one text.
class Lines {
 public:
  explicit Lines(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') newlines_.push_back(i);
    }
  }
  // The 1-based line of the byte at `offset`.
  std::size_t at(std::size_t offset) const {
    return static_cast<std::size_t>(std::upper_bound(newlines_.begin(), newlines_.end(), offset) -
                                    newlines_.begin()) +
           1;
  }

 private:
  std::vector<std::size_t> newlines_;
};

std::string describe(const rapidjson::Value& v) {
  if (v.IsNull()) return "null (or NaN/Infinity)";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsString()) return "\"" + detail::printable({v.GetString(), v.GetStringLength()}) + "\"";
  if (v.IsNumber()) return "a number";
  return v.IsArray() ? "an array" : "an object";
}

std::string number_text(const rapidjson::Value& v) {
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  if (!w.Double(v.GetDouble())) return {};
  return std::string(b.GetString(), b.GetSize());
}

// Keys of a run that are Google Benchmark's bookkeeping, not measurements: never counters.
bool bookkeeping(std::string_view key) {
  static constexpr std::array<std::string_view, 11> kKeys = {"family_index",
                                                             "per_family_instance_index",
                                                             "repetitions",
                                                             "repetition_index",
                                                             "threads",
                                                             "iterations",
                                                             "real_time",
                                                             "cpu_time",
                                                             "rms",
                                                             "cpu_coefficient",
                                                             "real_coefficient"};
  return std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end();
}

// Reads the parsed document; every error names its line.
class Reader {
 public:
  Reader(const detail::JsonText& json, const Lines& lines, const std::string& origin)
      : json_(json), lines_(lines), origin_(origin) {}

  GbenchDoc read() const {
    const rapidjson::Value& d = json_.doc;
    if (!d.IsObject()) {
      fail(1, "a Google Benchmark JSON file is one object with a \"benchmarks\" array; got " +
                  describe(d));
    }
    GbenchDoc doc;
    if (auto it = d.FindMember("context"); it != d.MemberEnd() && !it->value.IsNull()) {
      if (!it->value.IsObject()) {
        fail(line_of(it->name), "key 'context' must be an object; got " + describe(it->value));
      }
      for (const auto& m : it->value.GetObject()) {
        std::string key(m.name.GetString(), m.name.GetStringLength());
        if (m.value.IsString()) {
          doc.context.emplace(std::move(key),
                              std::string(m.value.GetString(), m.value.GetStringLength()));
        } else if (m.value.IsNumber()) {
          doc.context.emplace(std::move(key), number_text(m.value));
        } else if (m.value.IsBool()) {
          doc.context.emplace(std::move(key), m.value.GetBool() ? "true" : "false");
        }
      }
    }
    auto it = d.FindMember("benchmarks");
    if (it == d.MemberEnd()) {
      fail(1,
           "no \"benchmarks\" key: not a Google Benchmark JSON file (write one with "
           "--benchmark_out=FILE --benchmark_out_format=json)");
    }
    if (!it->value.IsArray()) {
      fail(line_of(it->name), "key 'benchmarks' must be an array; got " + describe(it->value));
    }
    const std::size_t list_line = line_of(it->name);
    for (const auto& entry : it->value.GetArray()) {
      doc.benchmarks.push_back(read_run(entry, list_line));
    }
    return doc;
  }

 private:
  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw InputError(origin_ + ":" + std::to_string(line) + ": " + what);
  }

  // The line of a key string, which points into the parsed buffer (the document was parsed in
  // place).
  std::size_t line_of(const rapidjson::Value& key) const {
    return lines_.at(json_.column_of(key.GetString()) - 1);
  }

  GbenchRun read_run(const rapidjson::Value& v, std::size_t list_line) const {
    if (!v.IsObject()) {
      fail(list_line, "each entry of 'benchmarks' must be an object; got " + describe(v));
    }
    GbenchRun r;
    r.line = v.MemberCount() == 0 ? list_line : line_of(v.MemberBegin()->name);
    auto find = [&](const char* k) -> const rapidjson::Value* {
      auto m = v.FindMember(k);
      return m == v.MemberEnd() ? nullptr : &m->value;
    };
    auto key_line = [&](const char* k) {
      auto m = v.FindMember(k);
      return m == v.MemberEnd() ? r.line : line_of(m->name);
    };
    auto wrong = [&](const char* k, const char* want, const rapidjson::Value& got) {
      std::string what = "key '" + std::string(k) + "'";
      if (!r.name.empty()) what += " of benchmark '" + detail::printable(r.name) + "'";
      fail(key_line(k), what + " must be " + want + "; got " + describe(got));
    };
    auto str = [&](const char* k) -> std::optional<std::string> {
      const auto* x = find(k);
      if (!x || x->IsNull()) return std::nullopt;
      if (!x->IsString()) wrong(k, "a string", *x);
      return std::string(x->GetString(), x->GetStringLength());
    };
    auto integer = [&](const char* k) -> std::optional<std::int64_t> {
      const auto* x = find(k);
      if (!x) return std::nullopt;
      if (!x->IsInt64()) wrong(k, "an integer", *x);
      return x->GetInt64();
    };

    const auto name = str("name");
    if (!name || name->empty()) {
      fail(r.line, "an entry of 'benchmarks' without a \"name\" (a string, not empty)");
    }
    r.name = *name;
    r.run_name = str("run_name").value_or(r.name);
    if (r.run_name.empty()) r.run_name = r.name;
    r.aggregate = str("run_type") == std::optional<std::string>("aggregate");
    r.aggregate_name = str("aggregate_name");
    r.repetition_index = integer("repetition_index");
    if (const auto* x = find("error_occurred"); x && !x->IsNull()) {
      if (!x->IsBool()) wrong("error_occurred", "true or false", *x);
      r.error_occurred = x->GetBool();
    }
    r.error_message = str("error_message");
    r.label = str("label");
    r.threads = integer("threads").value_or(1);
    if (r.threads < 1) wrong("threads", "at least 1", *find("threads"));

    // A measured run must say how long it took; an aggregate or a failed run need not (a
    // complexity fit's BigO and RMS entries have no times).
    const bool measured = !r.aggregate && !r.error_occurred;
    const auto iterations = integer("iterations");
    if (!iterations && measured)
      fail(r.line, "benchmark '" + detail::printable(r.name) + "' has no \"iterations\"");
    r.iterations = iterations.value_or(0);
    if (r.iterations < 0) wrong("iterations", "a non-negative integer", *find("iterations"));
    double scale = 1;
    if (const auto unit = str("time_unit")) {
      if (*unit == "ns") {
        scale = 1;
      } else if (*unit == "us") {
        scale = 1e3;
      } else if (*unit == "ms") {
        scale = 1e6;
      } else if (*unit == "s") {
        scale = 1e9;
      } else {
        wrong("time_unit", "\"ns\", \"us\", \"ms\" or \"s\"", *find("time_unit"));
      }
    }
    auto time = [&](const char* k) -> double {
      const auto* x = find(k);
      if (!x) {
        if (measured) {
          fail(r.line, "benchmark '" + detail::printable(r.name) + "' has no \"" + k + "\"");
        }
        return 0;
      }
      if (!x->IsNumber()) {
        if (!measured && x->IsNull()) return 0;
        wrong(k, "a number", *x);
      }
      const double t = x->GetDouble() * scale;
      if (!std::isfinite(t) || t < 0) wrong(k, "a finite non-negative number", *x);
      return t;
    };
    r.real_time_ns = time("real_time");
    r.cpu_time_ns = time("cpu_time");

    for (const auto& m : v.GetObject()) {
      if (!m.value.IsNumber()) continue;  // strings, booleans, and NaN/Infinity (now null)
      const std::string_view key(m.name.GetString(), m.name.GetStringLength());
      if (bookkeeping(key)) continue;
      const double value = m.value.GetDouble();
      if (std::isfinite(value)) r.counters.emplace(std::string(key), value);
    }
    return r;
  }

  const detail::JsonText& json_;
  const Lines& lines_;
  const std::string& origin_;
};

}  // namespace

GbenchDoc parse_gbench_json(std::string_view text, const std::string& origin) {
  const std::string cleaned = nonfinite_to_null(text);
  const Lines lines(cleaned);
  auto parsed = detail::parse_json_text(cleaned);
  if (const auto* error = std::get_if<JsonError>(&parsed)) {
    const std::size_t offset = error->column - 1;
    std::string what = error->message;
    // A file that stops inside the document: Google Benchmark was stopped or crashed.
    if (cleaned.find_first_not_of(" \t\r\n", offset) == std::string::npos) {
      what += ": the file ends inside the document; was the benchmark run cut short?";
    }
    throw InputError(origin + ":" + std::to_string(lines.at(offset)) + ": " + what);
  }
  return Reader(*std::get<std::unique_ptr<detail::JsonText>>(parsed), lines, origin).read();
}

bool looks_like_gbench_json(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || text[i] != '{') return false;
  // Walk the first value, strings and nesting only, and look at the keys of its outer object.
  int depth = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return false;
    } else if (c == '"') {
      const std::size_t start = ++i;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (i >= text.size()) return false;
      if (depth != 1) continue;
      const std::string_view s = text.substr(start, i - start);
      const std::size_t next = text.find_first_not_of(" \t\r\n", i + 1);
      if (next == std::string_view::npos || text[next] != ':') continue;  // a value, not a key
      if (s == "benchgate_list_version" || s == "schema_version") return false;
      if (s == "benchmarks") return true;
    }
  }
  return false;
}

namespace {

std::uint64_t rounded_nanos(double v) {
  if (!(v > 0)) return 0;
  if (v >= 18446744073709549568.0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(v + 0.5);
}

}  // namespace

void set_gbench_measurements(const GbenchRun& run, Row& row) {
  const std::int64_t iterations = std::max<std::int64_t>(run.iterations, 0);
  row.inner_repeats = static_cast<std::uint64_t>(iterations);
  row.per_call_nanos = run.real_time_ns;
  row.total_nanos = rounded_nanos(run.real_time_ns * static_cast<double>(iterations));
  row.cpu_nanos = rounded_nanos(run.cpu_time_ns * static_cast<double>(iterations));
  // ->Threads(k) (the instance name ends in "/threads:k"): the row says k, as a native
  // .threads(k) row does (issue 20).
  if (run.threads > 1 || run.name.find("/threads:") != std::string::npos)
    row.threads = static_cast<std::uint64_t>(run.threads);
  else
    row.threads.reset();
  // Finite only, as rows require (the parser already drops bare NaN and Infinity).
  std::map<std::string, double> counters;
  for (const auto& [name, value] : run.counters) {
    if (std::isfinite(value)) counters.emplace(name, value);
  }
  if (counters.empty())
    row.counters.reset();
  else
    row.counters = std::move(counters);
}

}  // namespace benchgate
