// benchgate's own JUnit XML: CTest's (ctest --output-junit) carries an empty failure message for
// a failed gate, so each compare test writes one of its own (--results), and --collect merges
// them. One <testcase> per key: a failing key fails with the metric, its effect and interval; a
// key that was not gated (inconclusive, not comparable, new) is skipped with the reason.
#pragma once

#include <ostream>
#include <string>

#include "compare.hpp"

namespace benchgate {

// A <testsuite name="<name>"> of the report's keys. A gate that ended early (no baseline, an
// error) is one test case, skipped or failed with the reason.
void render_junit(const Report& report, const std::string& name, std::ostream& out);

}  // namespace benchgate
