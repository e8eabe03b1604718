// The seam between the harness and the counting global operator new (alloc_count.cpp), which is
// linked into a benchmark executable only when allocation counting is on. When it is linked it
// installs itself here at start-up; when it is not, no counter is installed and the harness writes
// alloc_bytes and alloc_count as null (not measured), never as 0.
#pragma once

#include <cstdint>

namespace benchgate::detail {

struct AllocTotals {
  std::uint64_t bytes = 0;
  std::uint64_t count = 0;
};

struct AllocCounter {
  // Counting on or off; while it is off, operator new does one relaxed load and no counting.
  void (*set_counting)(bool on) noexcept;
  // Totals since the process started (of counted allocations only); the harness subtracts two.
  AllocTotals (*totals)() noexcept;
};

// Called once by alloc_count.cpp's static initialiser; `counter` must outlive the process.
void install_alloc_counter(const AllocCounter* counter) noexcept;
// The installed counter, or nullptr when counting is not linked in.
const AllocCounter* alloc_counter() noexcept;

}  // namespace benchgate::detail
