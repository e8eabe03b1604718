// Text, Markdown and JSON rendering of comparison reports.
#include "render.hpp"

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <tuple>
#include <stdexcept>
#include <vector>

#include "benchgate/core/format.hpp"
#include "benchgate/core/row_json.hpp"

namespace benchgate {
namespace {

std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, std::size_t w) {
  return width(s) >= w ? s : s + std::string(w - width(s), ' ');
}

std::string kb(double v) { return format_count(static_cast<std::uint64_t>(std::llround(v))) + " kB"; }
std::string bytes(double v) { return format_count(static_cast<std::uint64_t>(std::llround(v))) + " B"; }

std::string metric_cell(const MetricResult& m, std::string (*unit)(double)) {
  if (!m.baseline || !m.current) return "n/a";
  return unit(*m.baseline) + " → " + unit(*m.current) + " (" + format_change(m.change) + ")";
}

std::string status_label(const KeyResult& r) {
  std::string s = to_string(r.verdict);
  for (auto& c : s) c = static_cast<char>(r.failing ? std::toupper(static_cast<unsigned char>(c)) : c);
  return s;
}

std::string notes(const KeyResult& r, const CompareOptions& o) {
  std::vector<std::string> parts;
  if (!r.note.empty()) parts.push_back(r.note);
  // A metric within its threshold needs no explanation; everything else says how it was
  // decided, including an effect beyond the threshold that the U test did not support.
  const double time_threshold = o.time_threshold, rss_threshold = o.rss_threshold;
  const double alloc_threshold = o.alloc_threshold.value_or(0);
  for (auto [name, m, threshold] :
       {std::tuple{"time", &r.time, time_threshold}, std::tuple{"rss", &r.rss, rss_threshold},
        std::tuple{"alloc", &r.alloc, alloc_threshold}}) {
    const bool compared = r.verdict != Verdict::new_key && r.verdict != Verdict::missing &&
                          r.verdict != Verdict::broken && m->n_baseline + m->n_current > 0;
    const bool beyond = m->change && std::fabs(*m->change) > threshold;
    if (compared && (m->verdict != Verdict::unchanged || beyond) && !m->note.empty()) {
      parts.push_back(std::string(name) + ": " + m->note);
    }
  }
  if (r.confirm_runs > 0) parts.push_back(r.confirm_note);
  if (r.hash_changed) {
    parts.push_back("result_hash changed: " + format_hash(*r.baseline_hash) + " → " +
                    format_hash(*r.current_hash));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string summary_line(const Report& r) {
  std::ostringstream s;
  s << r.results.size() << " key(s): " << r.count(Verdict::regressed) << " regressed, "
    << r.count(Verdict::broken) << " broken, " << r.count(Verdict::missing) << " missing, "
    << r.count(Verdict::new_key) << " new, " << r.count(Verdict::improved) << " improved, "
    << r.count(Verdict::unchanged) << " unchanged, " << r.count(Verdict::not_comparable)
    << " not comparable";
  return s.str();
}

std::string thresholds_line(const CompareOptions& o) {
  std::ostringstream s;
  s << "thresholds: time " << o.time_threshold * 100 << "%";
  if (o.min_time_delta_ns > 0) s << " and " << format_duration(o.min_time_delta_ns);
  s << " (U test at alpha=" << o.alpha << " when samples allow), RSS " << o.rss_threshold * 100 << "%";
  if (o.min_rss_delta_kb > 0) s << " and " << o.min_rss_delta_kb << " kB";
  s << ", allocations ";
  if (o.alloc_threshold) s << *o.alloc_threshold * 100 << "%";
  else s << "not gated";
  if (o.ignore_env) s << "; environment differences ignored";
  return s.str();
}

}  // namespace

std::string format_change(const std::optional<double>& change) {
  if (!change) return "n/a";
  if (std::isinf(*change)) return "+∞";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", *change * 100);
  return buf;
}

void render_text(const Report& report, std::ostream& out) {
  std::vector<std::vector<std::string>> rows{{"status", "benchmark", "time per call", "peak RSS", "notes"}};
  for (const auto& r : report.results) {
    rows.push_back({status_label(r), describe(r.key), metric_cell(r.time, format_duration),
                    metric_cell(r.rss, kb), notes(r, report.options)});
    if (r.alloc.baseline && report.options.alloc_threshold) {
      rows.back()[3] += "; alloc " + metric_cell(r.alloc, bytes);
    }
  }
  std::vector<std::size_t> w(5, 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < 4; ++i) w[i] = std::max(w[i], width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < 4; ++i) line += pad(row[i], w[i]) + "  ";
    line += row[4];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  out << "\n" << summary_line(report) << "\n" << thresholds_line(report.options) << "\n";
  const std::size_t failing = report.failing();
  out << (failing ? "FAIL: " + std::to_string(failing) + " key(s) fail the gate" : std::string("PASS"))
      << "\n";
}

void render_markdown(const Report& report, std::ostream& out) {
  const std::size_t failing = report.failing();
  out << (failing ? "### ❌ benchgate: " + std::to_string(failing) + " key(s) fail the gate"
                  : std::string("### ✅ benchgate: no regression"))
      << "\n\n" << summary_line(report) << ".\n\n";
  auto escape = [](std::string s) {
    std::string o;
    for (char c : s) {
      if (c == '|') o += "\\|";
      else if (c == '\n') o += ' ';
      else o += c;
    }
    return o;
  };
  auto header = [&] {
    out << "| status | benchmark | time per call | peak RSS | notes |\n|---|---|---|---|---|\n";
  };
  auto line = [&](const KeyResult& r) {
    out << "| " << (r.failing ? "**" + status_label(r) + "**" : status_label(r)) << " | `"
        << escape(describe(r.key)) << "` | " << escape(metric_cell(r.time, format_duration))
        << " | " << escape(metric_cell(r.rss, kb)) << " | " << escape(notes(r, report.options)) << " |\n";
  };
  bool any = false;
  for (const auto& r : report.results) {
    if (r.verdict == Verdict::unchanged) continue;
    if (!any) header();
    any = true;
    line(r);
  }
  const std::size_t unchanged = report.count(Verdict::unchanged);
  if (unchanged > 0) {
    out << (any ? "\n" : "") << "<details><summary>" << unchanged
        << " unchanged key(s)</summary>\n\n";
    header();
    for (const auto& r : report.results) {
      if (r.verdict == Verdict::unchanged) line(r);
    }
    out << "\n</details>\n";
  }
  out << "\n" << thresholds_line(report.options) << "\n";
}

namespace {

using Json = rapidjson::PrettyWriter<rapidjson::OStreamWrapper>;

void check(bool ok) {
  if (!ok) throw std::runtime_error("cannot write the comparison as JSON");
}
void str(Json& w, const std::string& s) {
  check(w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
}
void opt_num(Json& w, const std::optional<double>& v) {
  check(v && std::isfinite(*v) ? w.Double(*v) : w.Null());
}

void metric(Json& w, const char* name, const MetricResult& m) {
  check(w.Key(name));
  check(w.StartObject());
  check(w.Key("status"));
  str(w, to_string(m.verdict));
  check(w.Key("baseline_median"));
  opt_num(w, m.baseline);
  check(w.Key("current_median"));
  opt_num(w, m.current);
  check(w.Key("change"));
  opt_num(w, m.change);
  check(w.Key("from_zero") && w.Bool(m.change && std::isinf(*m.change)));
  check(w.Key("n_baseline") && w.Uint64(m.n_baseline));
  check(w.Key("n_current") && w.Uint64(m.n_current));
  check(w.Key("p_value"));
  opt_num(w, m.p_value);
  check(w.Key("note"));
  str(w, m.note);
  check(w.EndObject());
}

}  // namespace

void render_json(const Report& report, std::ostream& out) {
  rapidjson::OStreamWrapper os(out);
  Json w(os);
  const auto& o = report.options;
  check(w.StartObject());
  check(w.Key("benchgate_compare_version") && w.Int(kCompareJsonVersion));
  check(w.Key("options") && w.StartObject());
  check(w.Key("time_threshold") && w.Double(o.time_threshold));
  check(w.Key("rss_threshold") && w.Double(o.rss_threshold));
  check(w.Key("alloc_threshold"));
  opt_num(w, o.alloc_threshold);
  check(w.Key("min_time_delta_ns") && w.Double(o.min_time_delta_ns));
  check(w.Key("min_rss_delta_kb") && w.Double(o.min_rss_delta_kb));
  check(w.Key("alpha") && w.Double(o.alpha));
  check(w.Key("ignore_env") && w.Bool(o.ignore_env));
  check(w.Key("fail_on_missing") && w.Bool(o.fail_on_missing));
  check(w.Key("fail_on_hash_change") && w.Bool(o.fail_on_hash_change));
  check(w.EndObject());
  check(w.Key("summary") && w.StartObject());
  check(w.Key("keys") && w.Uint64(report.results.size()));
  check(w.Key("failing") && w.Uint64(report.failing()));
  for (Verdict v : {Verdict::regressed, Verdict::broken, Verdict::missing, Verdict::new_key,
                    Verdict::improved, Verdict::unchanged, Verdict::not_comparable}) {
    check(w.Key(to_string(v)) && w.Uint64(report.count(v)));
  }
  check(w.EndObject());
  check(w.Key("results") && w.StartArray());
  for (const auto& r : report.results) {
    check(w.StartObject());
    check(w.Key("suite"));
    str(w, r.key.suite);
    check(w.Key("kind"));
    str(w, to_string(r.key.kind));
    check(w.Key("function"));
    str(w, r.key.function);
    check(w.Key("param"));
    check(r.key.param ? w.Uint64(*r.key.param) : w.Null());
    check(w.Key("cache_mode"));
    check(r.key.cache_mode ? w.String(to_string(*r.key.cache_mode)) : w.Null());
    check(w.Key("status"));
    str(w, to_string(r.verdict));
    check(w.Key("failing") && w.Bool(r.failing));
    metric(w, "time", r.time);
    metric(w, "rss", r.rss);
    metric(w, "alloc", r.alloc);
    check(w.Key("baseline_hash"));
    check(r.baseline_hash ? w.String(format_hash(*r.baseline_hash).c_str()) : w.Null());
    check(w.Key("current_hash"));
    check(r.current_hash ? w.String(format_hash(*r.current_hash).c_str()) : w.Null());
    check(w.Key("hash_changed") && w.Bool(r.hash_changed));
    check(w.Key("confirm_runs") && w.Uint64(r.confirm_runs));
    check(w.Key("confirm_reproduced") && w.Uint64(r.confirm_reproduced));
    check(w.Key("note"));
    str(w, r.note.empty() ? r.confirm_note : r.note + (r.confirm_note.empty() ? "" : "; " + r.confirm_note));
    check(w.EndObject());
  }
  check(w.EndArray());
  check(w.EndObject());
  out << "\n";
}

}  // namespace benchgate
