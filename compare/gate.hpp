// The gate from a parsed command line to an exit code: load both sides, compare, confirm the
// time regressions, render.
#pragma once

#include <ostream>

#include "benchgate/process/executor.hpp"
#include "cli.hpp"

namespace benchgate {

// The outcome's exit code (outcome.hpp): 0 passed, 1 a key fails, 77 skipped (nothing gated, or
// the environments differ under --on-env-mismatch skip). The report goes to `out` (or
// request.output), progress of the reruns to `err`. Throws NoBaseline (77), UsageError and
// InputError (2), and Interrupted from a rerun.
int run_gate(const CompareRequest& request, Executor& executor, std::ostream& out,
             std::ostream& err);

// --results PREFIX: the name the results go by (PREFIX's file name without a ".gate" suffix:
// JUnit's suite is bench.<name>.compare), removing a stale set, and writing the set of a gate
// that ended before comparing (no baseline: skip; an error) with `why` as the reason.
std::string results_name(const std::string& prefix);
void remove_results(const std::string& prefix);
void write_ended_early(const std::string& prefix, const CompareRequest& request,
                       GateOutcome::Result result, const std::string& why);

}  // namespace benchgate
