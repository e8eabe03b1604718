// The gate from a parsed command line to an exit code: load both sides, compare, confirm the
// time regressions, render.
#pragma once

#include <ostream>

#include "benchgate/process/executor.hpp"
#include "cli.hpp"

namespace benchgate {

// Exit code 0 when no key fails the gate, 1 when one does. The report goes to `out` (or
// request.output), progress of the reruns to `err`. Throws NoBaseline (77), UsageError and
// InputError (2), and Interrupted from a rerun.
int run_gate(const CompareRequest& request, Executor& executor, std::ostream& out,
             std::ostream& err);

}  // namespace benchgate
