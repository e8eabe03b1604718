// Turning what a child left behind into exactly one row: a pure function over plain structs.
#pragma once

#include <optional>
#include <string>

#include "benchgate/core/row.hpp"
#include "benchgate/process/executor.hpp"

namespace benchgate {

// What the runner asked the child to measure; synthesized rows are built from it.
struct RowRequest {
  RowKind kind = RowKind::parametric;
  std::string function;
  std::optional<std::uint64_t> param;
  std::optional<std::uint64_t> repeat_index;
  std::optional<CacheMode> cache_mode;
  double cap_seconds = 0;  // max_seconds_per_call, for the killed_at_cap message
  // max_setup_seconds when the child had a setup phase (SpawnRequest::setup_term_after): the
  // messages then say whether it died in setup or in the measured batch.
  std::optional<double> setup_cap_seconds;
};

// Outcome rules, in order:
//  1. not started                      -> error "could not start the benchmark: <reason>"
//  2. killed at the cap                -> killed_at_cap (whatever it wrote or how it died); the
//                                         message names the phase ("killed in setup after 60 s"
//                                         or "killed at the cap", the batch's), and says if it
//                                         was stopped then, or needed SIGKILL
//  3. died by a signal                 -> error naming the signal ("child killed by SIGSEGV"),
//                                         and "during setup" when it had not finished setup
//  4. row longer than the runner accepts -> error with the byte count
//  5. exited without a row             -> error "exited with code N without writing a row" (and a
//                                         hint when its stdout holds something row-like)
//  6. more than one line on the result fd, or a row that does not parse -> error quoting why
//  7. a row for another benchmark, param or repeat -> error naming both
//  8. exit 0 with a row                -> that row as written (ok or the child's own error)
//  9. exit != 0 with an error row      -> the child's row, its message kept, exit code added
// 10. exit != 0 with an ok row         -> error "exited with code N after writing an ok row"
// Messages of rules 3-6 and 9-10 end with the last part of the child's stderr, if any. Messages
// the runner writes, and the error of a row the child wrote, are valid UTF-8 (invalid bytes
// become U+FFFD).
Row classify(const RowRequest& request, const SpawnResult& outcome);

// Rules 1-3 above, whatever the child wrote: what every adapter's children share (a child that
// did not start, was killed at the cap or died by a signal). nullopt: the process exited on its
// own, and what it left behind is the adapter's to read.
std::optional<Row> classify_process(const RowRequest& request, const SpawnResult& outcome);

// A row the runner writes for a batch that produced none: the request's key, `status`, the
// message (made valid UTF-8), no measurements.
Row failed_row(const RowRequest& request, RowStatus status, const std::string& message);

// "exited with code N": how every message names a child's own exit.
std::string exit_text(const SpawnResult& outcome);

// `message`, then "; stderr: " and the last part of `stderr_tail` when there is one (as in the
// messages of the rules above).
std::string with_stderr_tail(const std::string& message, const std::string& stderr_tail);

}  // namespace benchgate
