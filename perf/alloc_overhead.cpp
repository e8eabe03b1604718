// What the counting global operator new costs per allocation (issue #4).
//
// Built twice from this one source (perf/CMakeLists.txt), with the same flags:
//   alloc_overhead_counting  links benchgate::alloc_count: the counting replacements are the
//                            global operator new/delete, installed as the harness's counter
//   alloc_overhead_default   does not: the C++ runtime's own operator new/delete (libstdc++)
// Each times PAIRS allocate/free pairs, after a warm-up, with CLOCK_MONOTONIC, and prints one
// line of key=value fields:
//   form=scalar pairs=20000000 bytes=64 ns_per_pair=12.34 counting=on|off|absent
// counting=absent: no counter is installed (the default build); on: the counter was switched on
// around the warm-up and the timed loop, as the harness does around a timed batch (the path that
// matters); off: linked but left off (--counting off), for telling the cost of counting from
// that of merely replacing operator new.
//
// Forms (one allocation and one deallocation per pair; only the allocation is counted):
//   scalar   ::operator new(64) / ::operator delete(p)            (the acceptance point)
//   array    new int[4] / delete[] p                              (operator new[](16))
//   aligned  ::operator new(64, align_val_t{64}) / ::operator delete(p, align_val_t{64})
//
// A measurement tool, not a test: it asserts nothing about timings. With counting on it checks
// that the counter grew by exactly PAIRS allocations and PAIRS * bytes during the timed loop
// (with counting off: by nothing) and exits 1 otherwise; 2 on a usage error. Written for
// GCC/Clang (an empty asm statement keeps each pointer alive).
//
//   alloc_overhead [PAIRS (20000000)] [--form scalar|array|aligned] [--counting on|off]
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "alloc_counter.hpp"

namespace {

using benchgate::detail::AllocCounter;
using benchgate::detail::AllocTotals;

std::int64_t now_nanos() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

[[noreturn]] void fail(const char* message, int code) {
  std::fprintf(stderr, "alloc_overhead: error: %s\n", message);
  std::exit(code);
}

// The pointer escapes into an (empty) asm statement that may read and write any memory: the
// compiler can neither drop the allocation nor merge the pair with its neighbours.
inline void keep(void* p) {
  asm volatile("" : : "r"(p) : "memory");
}

enum class Form { scalar, array, aligned };

constexpr std::size_t kBytes = 64;
constexpr std::align_val_t kAlign{64};

// One allocate/free pair of each form, inlined into its own timing loop (run_pairs).
inline void pair_scalar() {
  void* p = ::operator new(kBytes);
  keep(p);
  ::operator delete(p);
}

inline void pair_array() {
  int* p = new int[4];
  keep(p);
  delete[] p;
}

inline void pair_aligned() {
  void* p = ::operator new(kBytes, kAlign);
  keep(p);
  ::operator delete(p, kAlign);
}

template <void (*Pair)()>
__attribute__((noinline)) void run_pairs(long n) {
  for (long i = 0; i < n; ++i) Pair();
}

struct Options {
  long pairs = 20'000'000;
  Form form = Form::scalar;
  bool counting = true;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) fail("a flag needs a value (run with --help)", 2);
      return argv[++i];
    };
    if (std::strcmp(arg, "--form") == 0) {
      const char* v = value();
      if (std::strcmp(v, "scalar") == 0)
        o.form = Form::scalar;
      else if (std::strcmp(v, "array") == 0)
        o.form = Form::array;
      else if (std::strcmp(v, "aligned") == 0)
        o.form = Form::aligned;
      else
        fail("--form must be scalar, array or aligned", 2);
    } else if (std::strcmp(arg, "--counting") == 0) {
      const char* v = value();
      if (std::strcmp(v, "on") == 0)
        o.counting = true;
      else if (std::strcmp(v, "off") == 0)
        o.counting = false;
      else
        fail("--counting must be on or off", 2);
    } else if (std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0) {
      std::printf(
          "usage: alloc_overhead [PAIRS (20000000)] [--form scalar|array|aligned]\n"
          "                      [--counting on|off (on; ignored when the counter is absent)]\n");
      std::exit(0);
    } else {
      char* end = nullptr;
      errno = 0;
      const long n = std::strtol(arg, &end, 10);
      if (errno != 0 || end == arg || *end != '\0' || n < 1) {
        fail("PAIRS must be a positive integer; unknown argument (run with --help)", 2);
      }
      o.pairs = n;
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  void (*run)(long) = run_pairs<pair_scalar>;
  const char* form_name = "scalar";
  std::size_t bytes = kBytes;
  if (o.form == Form::array) {
    run = run_pairs<pair_array>;
    form_name = "array";
    bytes = 4 * sizeof(int);
  } else if (o.form == Form::aligned) {
    run = run_pairs<pair_aligned>;
    form_name = "aligned";
  }

  const AllocCounter* counter = benchgate::detail::alloc_counter();
  const bool on = counter != nullptr && o.counting;
  if (on) counter->set_counting(true);

  // Warm-up on the same path: the allocator's per-thread cache, this thread's counter slot, the
  // code and the branch predictors are all settled before the clock starts.
  run(o.pairs / 10 < 1'000'000 ? o.pairs / 10 : 1'000'000);

  const AllocTotals before = counter != nullptr ? counter->totals() : AllocTotals{};
  const std::int64_t start = now_nanos();
  run(o.pairs);
  const std::int64_t stop = now_nanos();
  const AllocTotals after = counter != nullptr ? counter->totals() : AllocTotals{};
  if (on) counter->set_counting(false);

  if (counter != nullptr) {
    const auto n = static_cast<std::uint64_t>(o.pairs);
    const std::uint64_t want_count = on ? n : 0;
    const std::uint64_t want_bytes = on ? n * bytes : 0;
    const std::uint64_t got_count = after.count - before.count;
    const std::uint64_t got_bytes = after.bytes - before.bytes;
    if (got_count != want_count || got_bytes != want_bytes) {
      std::fprintf(stderr,
                   "alloc_overhead: error: counting %s: the timed loop counted %llu allocations "
                   "and %llu bytes; expected %llu and %llu\n",
                   on ? "on" : "off", static_cast<unsigned long long>(got_count),
                   static_cast<unsigned long long>(got_bytes),
                   static_cast<unsigned long long>(want_count),
                   static_cast<unsigned long long>(want_bytes));
      return 1;
    }
  }

  const double ns_per_pair = static_cast<double>(stop - start) / static_cast<double>(o.pairs);
  std::printf("form=%s pairs=%ld bytes=%zu ns_per_pair=%.3f counting=%s\n", form_name, o.pairs,
              bytes, ns_per_pair, counter == nullptr ? "absent" : (on ? "on" : "off"));
  return 0;
}
