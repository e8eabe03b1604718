// The gate's outcome as CTest sees it: passed, failed or skipped, with the reason in one line and
// a warning line per metric that could not be gated. Nothing passes silently: a comparison that
// gated nothing is skipped (exit 77, which CTest's summary lists), one that gated only part
// passes with warnings (docs/compare.md, "What was not gated").
#pragma once

#include "compare.hpp"

namespace benchgate {

// Report::ended_early when set; otherwise from the report alone (the policy for environment
// mismatches is in its options):
// - fail when a key fails the gate;
// - skip when the environments differ under --on-env-mismatch skip, or when nothing was gated
//   (no key in both sides, or every metric of every such key not comparable);
// - pass otherwise, with a warning per metric (time, peak RSS) that some key could not be gated
//   (a side not measured, too few samples, the environments differ under `warn`). A key gated on
//   instructions (measured under Callgrind) expects neither time nor RSS.
GateOutcome gate_outcome(const Report& report);

// A gate that ended before comparing: without a baseline file (skip, exit 77), or on an error
// (exit 2); `why` is the reason.
GateOutcome ended_early(GateOutcome::Result result, std::string why);

}  // namespace benchgate
