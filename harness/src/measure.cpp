// The probes around one timed batch: monotonic wall time, process CPU time, the resident-set
// high-water mark (reset just before the batch where the kernel allows) and counted allocations.
// Everything here runs outside the clocks and allocates nothing, so the probes neither add to
// the timed interval nor show up in the counts they take.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/perf_event.h>
#include <sys/syscall.h>
#endif
#if defined(BENCHGATE_HAVE_CALLGRIND)
#include <valgrind/callgrind.h>
#endif

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "benchgate/benchgate.hpp"
#include "registry.hpp"

namespace benchgate::detail {
namespace {

const AllocCounter* g_alloc_counter = nullptr;  // constant-initialised: safe before main
bool g_callgrind_collect = false;

// The CPU's instruction and cycle counters for this process and the threads it starts, user
// space only, opened once on the first batch. Null where perf_event_open is refused or the
// machine has no such counter (most virtual machines expose no PMU), under Valgrind (which does
// not emulate it), and when BENCHGATE_NO_PERF_EVENTS is set (tests of the null path).
class HardwareCounters {
 public:
  void start() {
    if (!opened_) open();
    for (int fd : {instructions_, cycles_}) {
      if (fd >= 0) {
        ::ioctl(fd, PERF_EVENT_IOC_RESET, 0);
        ::ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
      }
    }
  }
  void stop(Measure& m) {
    for (int fd : {instructions_, cycles_}) {
      if (fd >= 0) ::ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    }
    m.instructions = read_counter(instructions_);
    m.cycles = m.instructions ? read_counter(cycles_) : std::nullopt;
  }

 private:
  void open() {
    opened_ = true;
#if defined(__linux__)
    if (std::getenv("BENCHGATE_NO_PERF_EVENTS") != nullptr) return;
#if defined(BENCHGATE_HAVE_CALLGRIND)
    if (RUNNING_ON_VALGRIND) return;
#endif
    instructions_ = open_counter(PERF_COUNT_HW_INSTRUCTIONS);
    if (instructions_ >= 0) cycles_ = open_counter(PERF_COUNT_HW_CPU_CYCLES);
#endif
  }
#if defined(__linux__)
  static int open_counter(std::uint64_t config) {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = config;
    attr.disabled = 1;
    attr.inherit = 1;  // threads the batch starts count too
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    const long fd = ::syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    return fd >= 0 ? static_cast<int>(fd) : -1;
  }
#endif
  static std::optional<std::uint64_t> read_counter(int fd) {
    if (fd < 0) return std::nullopt;
    std::uint64_t value = 0;
    if (::read(fd, &value, sizeof value) != static_cast<ssize_t>(sizeof value)) return std::nullopt;
    return value;
  }

  bool opened_ = false;
  int instructions_ = -1;
  int cycles_ = -1;
};

HardwareCounters& hardware_counters() {
  static HardwareCounters counters;
  return counters;
}

std::int64_t read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::uint64_t elapsed(std::int64_t start, std::int64_t stop) {
  return stop > start ? static_cast<std::uint64_t>(stop - start) : 0;
}

#if defined(__linux__)

// Reads a small /proc file whole into `buf` (NUL-terminated); false if it cannot.
bool read_proc(const char* path, char* buf, std::size_t size) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::size_t used = 0;
  while (used + 1 < size) {
    const ssize_t n = ::read(fd, buf + used, size - 1 - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  buf[used] = '\0';
  return used > 0;
}

// The resident set now, from /proc/self/statm (pages).
std::optional<std::uint64_t> resident_kb() {
  char buf[256];
  if (!read_proc("/proc/self/statm", buf, sizeof buf)) return std::nullopt;
  char* end = nullptr;
  std::strtoull(buf, &end, 10);  // size
  if (end == buf) return std::nullopt;
  const char* resident = end;
  const unsigned long long pages = std::strtoull(resident, &end, 10);
  if (end == resident) return std::nullopt;
  const long page = ::sysconf(_SC_PAGESIZE);
  if (page <= 0) return std::nullopt;
  return pages * static_cast<std::uint64_t>(page) / 1024;
}

// VmHWM from /proc/self/status (KiB): the peak resident set since start or the last reset.
std::optional<std::uint64_t> high_water_kb() {
  char buf[8192];
  if (!read_proc("/proc/self/status", buf, sizeof buf)) return std::nullopt;
  const char* line = std::strstr(buf, "\nVmHWM:");
  if (line == nullptr) return std::nullopt;
  char* end = nullptr;
  const unsigned long long kb = std::strtoull(line + 7, &end, 10);
  if (end == line + 7) return std::nullopt;
  return kb;
}

// Writing 5 to clear_refs sets the high-water mark to the current resident set (Linux 4.0+).
// Refused in some sandboxes; then the peak keeps covering everything since the exec.
bool reset_high_water() {
  const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n;
  do {
    n = ::write(fd, "5", 1);
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  return n == 1;
}

#endif

void memory_start(Measure& m) {
#if defined(__linux__)
  m.rss_baseline_kb = resident_kb();
  m.peak_rss_includes_setup = !reset_high_water();
#else
  m.rss_baseline_kb.reset();
  m.peak_rss_includes_setup = true;
#endif
}

void memory_stop(Measure& m) {
#if defined(__linux__)
  // Not getrusage: on Linux a process's ru_maxrss starts from the RSS of whoever exec'd it.
  m.peak_rss_kb = high_water_kb();
#elif defined(__APPLE__)
  rusage usage{};
  m.peak_rss_kb.reset();
  if (::getrusage(RUSAGE_SELF, &usage) == 0 && usage.ru_maxrss > 0) {
    m.peak_rss_kb = static_cast<std::uint64_t>(usage.ru_maxrss) / 1024;  // bytes on macOS
  }
#else
  m.peak_rss_kb.reset();
#endif
}

// The custom counters' sums of the current batch (benchgate::counter): fixed storage, so that a
// call reporting a counter never allocates (nor shows in the allocation counts).
struct CounterSlot {
  const char* name = nullptr;  // in g_counter_names
  std::size_t size = 0;
  double sum = 0;
  bool touched = false;  // reported in this batch
};
constexpr std::size_t kMaxCounterSlots = 32;
CounterSlot g_counter_slots[kMaxCounterSlots];
std::size_t g_counter_slots_used = 0;
char g_counter_names[4096];
std::size_t g_counter_names_used = 0;

void reset_counter_sums() noexcept {
  for (std::size_t i = 0; i < g_counter_slots_used; ++i) {
    g_counter_slots[i].sum = 0;
    g_counter_slots[i].touched = false;
  }
}

}  // namespace

std::vector<std::pair<std::string, double>> batch_counter_sums() {
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t i = 0; i < g_counter_slots_used; ++i) {
    const CounterSlot& c = g_counter_slots[i];
    if (c.touched) out.emplace_back(std::string(c.name, c.size), c.sum);
  }
  return out;
}

void set_callgrind_collect(bool on) noexcept {
  g_callgrind_collect = on;
}

void install_alloc_counter(const AllocCounter* counter) noexcept {
  g_alloc_counter = counter;
}

const AllocCounter* alloc_counter() noexcept {
  return g_alloc_counter;
}

std::optional<std::uint64_t> heap_bytes_during(void (*fn)(void*), void* ctx) {
  const AllocCounter* c = g_alloc_counter;
  if (c == nullptr) {
    fn(ctx);
    return std::nullopt;
  }
  const std::uint64_t before = c->totals().bytes;
  c->set_counting(true);
  try {
    fn(ctx);
  } catch (...) {
    c->set_counting(false);
    throw;
  }
  c->set_counting(false);
  return c->totals().bytes - before;
}

// Memory first and clocks last on the way in, the reverse on the way out: the wall interval is
// the tightest, then the CPU interval, and the allocation window holds only the batch. The CPU's
// counters sit just outside the clocks; Callgrind's collection just inside the wall clock, so
// that it counts the batch and the few instructions of the clock reads around it.
void measure_start(Measure& m) {
  reset_counter_sums();
  memory_start(m);
  if (const AllocCounter* c = g_alloc_counter) {
    const AllocTotals t = c->totals();
    m.alloc_bytes_start = t.bytes;
    m.alloc_count_start = t.count;
    c->set_counting(true);
  }
  hardware_counters().start();
  m.cpu_start = read_clock(CLOCK_PROCESS_CPUTIME_ID);
  m.wall_start = read_clock(CLOCK_MONOTONIC);
#if defined(BENCHGATE_HAVE_CALLGRIND)
  if (g_callgrind_collect) CALLGRIND_TOGGLE_COLLECT;
#endif
}

void measure_stop(Measure& m) {
#if defined(BENCHGATE_HAVE_CALLGRIND)
  if (g_callgrind_collect) CALLGRIND_TOGGLE_COLLECT;
#endif
  const std::int64_t wall = read_clock(CLOCK_MONOTONIC);
  const std::int64_t cpu = read_clock(CLOCK_PROCESS_CPUTIME_ID);
  m.wall_nanos = elapsed(m.wall_start, wall);
  m.cpu_nanos = elapsed(m.cpu_start, cpu);
  hardware_counters().stop(m);
  if (const AllocCounter* c = g_alloc_counter) {
    c->set_counting(false);
    const AllocTotals t = c->totals();
    m.alloc_bytes = t.bytes - m.alloc_bytes_start;
    m.alloc_count = t.count - m.alloc_count_start;
  } else {
    m.alloc_bytes.reset();
    m.alloc_count.reset();
  }
  memory_stop(m);
}

std::atomic<bool> g_counters_shared{false};
std::mutex g_counter_mutex;

SharedCounters::SharedCounters() {
  g_counters_shared.store(true, std::memory_order_seq_cst);
}
SharedCounters::~SharedCounters() {
  g_counters_shared.store(false, std::memory_order_seq_cst);
}

}  // namespace benchgate::detail

namespace benchgate {

namespace {
void add_counter(std::string_view name, double value) {
  using namespace detail;
  for (std::size_t i = 0; i < g_counter_slots_used; ++i) {
    CounterSlot& c = g_counter_slots[i];
    if (c.size == name.size() && std::memcmp(c.name, name.data(), name.size()) == 0) {
      c.sum += value;
      c.touched = true;
      return;
    }
  }
  if (name.empty()) throw std::invalid_argument("benchgate::counter: the name is empty");
  if (g_counter_slots_used == kMaxCounterSlots ||
      name.size() > sizeof g_counter_names - g_counter_names_used) {
    throw std::length_error("benchgate::counter: more than 32 counters or 4 KiB of names (at '" +
                            std::string(name) + "')");
  }
  CounterSlot& c = g_counter_slots[g_counter_slots_used++];
  std::memcpy(g_counter_names + g_counter_names_used, name.data(), name.size());
  c.name = g_counter_names + g_counter_names_used;
  c.size = name.size();
  g_counter_names_used += name.size();
  c.sum = value;
  c.touched = true;
}
}  // namespace

void counter(std::string_view name, double value) {
  // One relaxed load per call; the lock only while a .threads(k) batch runs.
  if (detail::g_counters_shared.load(std::memory_order_relaxed)) {
    std::lock_guard<std::mutex> lock(detail::g_counter_mutex);
    add_counter(name, value);
  } else {
    add_counter(name, value);
  }
}

}  // namespace benchgate
