// The clocks and probes around one timed batch: monotonic wall time and process CPU time.
#include <time.h>

#include "benchgate/benchgate.hpp"

namespace benchgate::detail {
namespace {

std::int64_t read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::uint64_t elapsed(std::int64_t start, std::int64_t stop) {
  return stop > start ? static_cast<std::uint64_t>(stop - start) : 0;
}

}  // namespace

// CPU clock outside, wall clock inside: the wall interval is the tighter one.
void measure_start(Measure& m) {
  m.cpu_start = read_clock(CLOCK_PROCESS_CPUTIME_ID);
  m.wall_start = read_clock(CLOCK_MONOTONIC);
}

void measure_stop(Measure& m) {
  const std::int64_t wall = read_clock(CLOCK_MONOTONIC);
  const std::int64_t cpu = read_clock(CLOCK_PROCESS_CPUTIME_ID);
  m.wall_nanos = elapsed(m.wall_start, wall);
  m.cpu_nanos = elapsed(m.cpu_start, cpu);
}

}  // namespace benchgate::detail
