// The JUnit XML of one gate.
#include "junit.hpp"

#include <map>
#include <sstream>
#include <vector>

#include "benchgate/core/format.hpp"
#include "outcome.hpp"
#include "render.hpp"

namespace benchgate {
namespace {

// Escaped for XML text and attributes; a control character, which XML 1.0 cannot carry at all
// (a note may quote a crashed benchmark's output), becomes '?'.
std::string xml(const std::string& s) {
  std::string clean = s;
  for (char& c : clean) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t') c = '?';
  }
  return escape_markup(clean);
}

// "time +15.7% [+9.8%, +21.9%] over all params, above 10%": each regressed metric of a failing
// key; time with its benchmark's ratio and interval (the decision), the others with the change
// of their medians.
std::string failure_message(const KeyResult& r, const BenchmarkResult* b, const Report& report) {
  const CompareOptions& o = report.options;
  std::vector<std::string> parts;
  if (r.time.status == KeyStatus::regressed) {
    std::ostringstream s;
    s << "time " << (b ? format_ratio(b->time.ratio) : format_change(r.time.change));
    if (b) s << " over all params (" << decided_from(b->time) << ")";
    s << ", above " << o.time_threshold * 100 << "%";
    parts.push_back(s.str());
  }
  if (r.rss.status == KeyStatus::regressed) {
    parts.push_back("peak RSS " + metric_cell(r.rss, kb) + ", above " +
                    format_change(o.rss_threshold).substr(1));
  }
  if (r.alloc.status == KeyStatus::regressed) {
    parts.push_back("allocations per call " + metric_cell(r.alloc, bytes));
  }
  if (r.instructions.status == KeyStatus::regressed) {
    parts.push_back("instructions per call " + metric_cell(r.instructions, instructions));
  }
  if (r.status == KeyStatus::broken || r.status == KeyStatus::missing ||
      (r.env_differs && r.failing)) {
    parts.push_back(std::string(to_string(r.status)) + ": " +
                    (r.note.empty() ? note_of(r.time) : r.note));
  }
  if (r.hash_changed && o.fail_on_hash_change) parts.push_back("result_hash changed");
  std::string out = describe(r.key) + ": ";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

// Why a key that does not fail was not gated, or nothing when it was.
std::string skip_reason(const KeyResult& r) {
  if (r.env_differs) return "not gated: " + note_of(r.time);
  switch (r.status) {
    case KeyStatus::inconclusive: return "inconclusive: " + note_of(r.time);
    case KeyStatus::new_key: return "new: no baseline row";
    case KeyStatus::missing: return "missing: in the baseline only";
    case KeyStatus::not_comparable: {
      const std::string& why = r.note.empty() ? note_of(r.time) : r.note;
      return "not gated: " + (why.empty() ? std::string("not comparable") : why);
    }
    default: return "";
  }
}

}  // namespace

void render_junit(const Report& report, const std::string& name, std::ostream& out) {
  const GateOutcome outcome = gate_outcome(report);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (report.ended_early) {
    const bool skip = outcome.result == GateOutcome::Result::skip;
    out << "<testsuite name=\"" << xml(name) << "\" tests=\"1\" failures=\"" << (skip ? 0 : 1)
        << "\" errors=\"0\" skipped=\"" << (skip ? 1 : 0) << "\">\n  <testcase classname=\""
        << xml(name) << "\" name=\"" << xml(name) << "\">\n    <" << (skip ? "skipped" : "failure")
        << " message=\"" << xml(outcome.reason) << "\"/>\n"
        << "  </testcase>\n</testsuite>\n";
    return;
  }
  std::map<std::string, const BenchmarkResult*> by_id;
  for (const auto& b : report.benchmarks) by_id[describe(b.id)] = &b;
  auto benchmark_of = [&](const KeyResult& r) -> const BenchmarkResult* {
    Key id = r.key;
    id.param.reset();
    const auto it = by_id.find(describe(id));
    return it == by_id.end() ? nullptr : it->second;
  };
  std::size_t failures = 0, skipped = 0;
  for (const auto& r : report.results) {
    if (r.failing)
      ++failures;
    else if (!skip_reason(r).empty())
      ++skipped;
  }
  out << "<testsuite name=\"" << xml(name) << "\" tests=\"" << report.results.size()
      << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped << "\">\n";
  for (const auto& r : report.results) {
    out << "  <testcase classname=\"" << xml(name) << "\" name=\"" << xml(describe(r.key)) << "\"";
    if (r.failing) {
      const std::string message = failure_message(r, benchmark_of(r), report);
      Key id = r.key;
      id.param.reset();
      const auto command = report.reproduce.find(describe(id));
      out << ">\n    <failure type=\"" << to_string(r.status) << "\" message=\"" << xml(message)
          << "\">" << xml(message);
      if (command != report.reproduce.end()) out << "\nreproduce: " << xml(command->second);
      if (!report.accept.empty()) out << "\naccept: " << xml(report.accept);
      out << "</failure>\n  </testcase>\n";
    } else if (const std::string why = skip_reason(r); !why.empty()) {
      out << ">\n    <skipped message=\"" << xml(why) << "\"/>\n  </testcase>\n";
    } else {
      out << "/>\n";
    }
  }
  out << "</testsuite>\n";
}

}  // namespace benchgate
