// The gate's outcome: pass, fail or skip, and what was not gated.
#include "outcome.hpp"

#include <array>

namespace benchgate {

int GateOutcome::exit_code() const {
  switch (result) {
    case Result::pass: return 0;
    case Result::fail: return 1;
    case Result::skip: return 77;
    case Result::error: return 2;
  }
  return 0;
}

const char* to_string(GateOutcome::Result r) {
  switch (r) {
    case GateOutcome::Result::pass: return "pass";
    case GateOutcome::Result::fail: return "fail";
    case GateOutcome::Result::skip: return "skip";
    case GateOutcome::Result::error: return "error";
  }
  return "pass";
}

namespace {

// A metric's keys that could not be gated, and the first one's reason.
struct NotGated {
  const char* name;
  std::size_t keys = 0;
  std::string why;

  void add(const KeyResult& r, const MetricResult& m) {
    ++keys;
    if (!why.empty()) return;
    why = note_of(m);
    if (why.empty()) why = r.note;
    if (why.empty()) why = m.baseline && m.current ? "too few samples" : "not measured on a side";
  }
};

}  // namespace

GateOutcome gate_outcome(const Report& report) {
  if (report.ended_early) return *report.ended_early;
  const CompareOptions& o = report.options;
  GateOutcome out;
  std::size_t both = 0, gated = 0, env_keys = 0;
  std::string env_why;
  std::array<NotGated, 2> missed{{{"time", 0, {}}, {"peak RSS", 0, {}}}};
  for (const KeyResult& r : report.results) {
    if (r.status == KeyStatus::new_key || r.status == KeyStatus::missing ||
        r.status == KeyStatus::broken) {
      continue;
    }
    ++both;
    if (r.env_differs) {
      ++env_keys;
      if (env_why.empty()) env_why = r.time.note.substr(0, r.time.note.find("; pass --ignore-env"));
    }
    const MetricResult* metrics[] = {&r.time, &r.rss, &r.alloc, &r.instructions};
    bool any = false;
    for (const MetricResult* m : metrics) any = any || m->status != KeyStatus::not_comparable;
    if (any && !(r.env_differs && o.on_env_mismatch == OnEnvMismatch::fail)) ++gated;
    if (r.instructions.status != KeyStatus::not_comparable) continue;  // gated on instructions
    // Under `skip` and `fail` the outcome itself says that the environments differ.
    if (r.env_differs && o.on_env_mismatch != OnEnvMismatch::warn) continue;
    bool missing = false;
    if (r.time.status == KeyStatus::not_comparable) {
      missed[0].add(r, r.time);
      missing = true;
    }
    if (r.rss.status == KeyStatus::not_comparable) {
      missed[1].add(r, r.rss);
      missing = true;
    }
    if (missing) ++out.keys_not_gated;
  }
  for (const NotGated& m : missed) {
    if (m.keys == 0) continue;
    out.warnings.push_back(std::string(m.name) + " of " + std::to_string(m.keys) + " of " +
                           std::to_string(both) + (both == 1 ? " key" : " keys") +
                           " not gated: " + m.why);
  }
  out.warnings.insert(out.warnings.end(), report.warnings.begin(), report.warnings.end());
  if (const std::size_t failing = report.failing()) {
    out.result = GateOutcome::Result::fail;
    out.reason = std::to_string(failing) + " key(s) fail the gate";
    if (env_keys > 0 && o.on_env_mismatch == OnEnvMismatch::fail) {
      out.reason += " (" + std::to_string(env_keys) +
                    " because the environments differ, --on-env-mismatch fail)";
    }
    return out;
  }
  if (env_keys > 0 && o.on_env_mismatch == OnEnvMismatch::skip) {
    out.result = GateOutcome::Result::skip;
    out.reason = "times not compared in " + std::to_string(env_keys) + " of " +
                 std::to_string(both) + (both == 1 ? " key" : " keys") + ": " + env_why +
                 " (--on-env-mismatch skip; --ignore-env compares them anyway): record the "
                 "baseline on the machine that gates, or measure both builds in one job";
    return out;
  }
  if (gated == 0) {
    out.result = GateOutcome::Result::skip;
    out.reason = both == 0
                     ? "nothing gated: no key is in both the baseline and the current rows"
                     : "nothing gated: no metric of the " + std::to_string(both) +
                           (both == 1 ? " key" : " keys") + " in both sides could be compared";
    if (both > 0 && !out.warnings.empty()) out.reason += " (" + out.warnings.front() + ")";
  }
  return out;
}

GateOutcome ended_early(GateOutcome::Result result, std::string why) {
  GateOutcome out;
  out.result = result;
  out.reason = std::move(why);
  return out;
}

}  // namespace benchgate
