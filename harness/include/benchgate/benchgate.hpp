// The benchmark author's API: register parametric and fixed benchmarks; the harness provides
// main(). Standard library only (C++17).
//
//   #include <benchgate/benchgate.hpp>
//
//   BENCHGATE_REGISTER(sort_ints) =
//       benchgate::parametric("sort.std_sort",
//                             [](std::uint64_t n) { return random_ints(n); },  // setup, untimed
//                             [](const std::vector<int>& in) {                 // measured
//                               auto v = in;
//                               std::sort(v.begin(), v.end());
//                               return v;
//                             })
//           .complexity("n * log2(n)", [](double n) { return n * std::log2(n + 1); });
//
// Setup runs once per child process, never timed. Each call's result passes through an
// optimisation barrier; the last call's result is hashed (after the clock stops) into the
// row's result_hash. Results with no hash still run (result_hash is null); supply one with
// .hash(fn) or an ADL-visible `std::uint64_t benchgate_hash(const T&)`.
//
// Beyond that (docs/authoring.md): benchgate::per_call_setup(make_input, fn) prepares each
// call's input before the clock starts; benchgate::manual_time(fn) lets fn report its own
// duration; .teardown(fn) releases what setup acquired after the child's last batch;
// .vary(dim, {values}) / .variants({...}) register named variants (setup(n, variant));
// .threads(k) runs the measured function on k threads at once.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "benchgate/config.hpp"

namespace benchgate {

// Makes `value` escape: the compiler must assume it is read and that any memory may have
// changed, so a call whose result feeds it cannot be removed or hoisted out of the loop.
template <class T>
inline void do_not_optimize(T const& value) {
#if defined(__GNUC__) || defined(__clang__)
  asm volatile("" : : "g"(&value) : "memory");
#else
  static volatile const void* sink;
  sink = &value;
#endif
}

// ---- Custom counters (issue 20) ------------------------------------------------------------
// Reports `value` for the running call under `name` (e.g. nodes visited, bytes written): the
// harness sums what one timed batch reports per name and the row's `counters` carries sum /
// calls. Call it in the measured function, on its thread (its few nanoseconds are timed with the
// call; calls from setup are discarded); a name no call of a batch reported is absent from
// that row. At most 32 distinct names of 4 KiB
// in all; an empty name or a non-finite per-call value makes the row an error. Gated by
// benchgate-compare --counter-threshold NAME=5%:lower (docs/authoring.md).
void counter(std::string_view name, double value);

// ---- Named variants (issue 20) -------------------------------------------------------------
// One point of a benchmark's extra dimensions (compression level, algorithm, a second size):
// each dimension's value as text, in declaration order. Declared with .vary(dim, {values...}) (a
// product) or .variants({...}) (an explicit list); setup receives it as setup(n, variant) or, for
// a fixed benchmark, setup(variant). The variant is part of the benchmark's key: the name
// "compress/level:6/algo:zlib" is measured, reported and gated apart from every other.
class Variant {
 public:
  // A dimension's value: a string or a number (written as text; a double with up to 15 digits).
  class Value {
   public:
    Value(const char* text) : text_(text ? text : "") {}  // NOLINT(google-explicit-constructor)
    Value(std::string text) : text_(std::move(text)) {}   // NOLINT(google-explicit-constructor)
    Value(std::string_view text) : text_(text) {}         // NOLINT(google-explicit-constructor)
    template <class T,
              std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Value(T v) : text_(number_text(v)) {}  // NOLINT(google-explicit-constructor)
    const std::string& text() const { return text_; }

   private:
    template <class T>
    static std::string number_text(T v) {
      if constexpr (std::is_integral_v<T>) {
        return std::to_string(v);
      } else {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.15g", static_cast<double>(v));
        return buf;
      }
    }
    std::string text_;
  };

  Variant() = default;
  Variant(std::initializer_list<std::pair<std::string, Value>> dims) {
    for (const auto& [dim, value] : dims) add(dim, value.text());
  }
  // The value of `dim` as declared; std::out_of_range (naming the dimensions) when absent.
  const std::string& get(std::string_view dim) const;
  // The value as an integer or a number; std::invalid_argument when it is not one.
  std::int64_t integer(std::string_view dim) const;
  double number(std::string_view dim) const;
  bool has(std::string_view dim) const;
  // The key suffix, e.g. "level:6/algo:zlib"; empty without dimensions.
  std::string key() const;
  const std::vector<std::pair<std::string, std::string>>& dims() const { return dims_; }
  void add(std::string dim, std::string value) {
    dims_.emplace_back(std::move(dim), std::move(value));
  }

 private:
  std::vector<std::pair<std::string, std::string>> dims_;
};

namespace detail {
// What a benchmark declared beyond its name: variants and thread counts (issue 20).
struct Shape {
  std::vector<std::pair<std::string, std::vector<std::string>>> dims;  // .vary(): a product
  std::optional<std::vector<Variant>> list;                            // .variants()
  std::vector<unsigned> threads;  // .threads(): empty when not declared
  std::vector<std::string> errors;
};
// One registered instance of a shape: its variant, its thread count (0: not declared) and its
// full name, e.g. "compress/level:6/algo:zlib/threads:2".
struct Instance {
  Variant variant;
  unsigned threads = 0;
  std::string name;
};
// Every instance `shape` declares under `name` (one when it declares nothing), or none with
// `errors` filled: a bad dimension name or value, a dimension declared twice, .vary() with
// .variants(), a thread count outside 1..1024.
std::vector<Instance> expand(const std::string& name, const Shape& shape,
                             std::vector<std::string>& errors);
// Runs body(ctx, main) on `threads` threads at once (the caller's is main): the others wait at a
// barrier, the clocks start (measure_start), all are released together, and the clocks stop once
// every thread has returned. What a thread throws is rethrown here after all have joined.
// benchgate::counter() takes a lock while the threads run.
struct Measure;
void run_on_threads(unsigned threads, Measure& m, void (*body)(void* ctx, bool main), void* ctx);
}  // namespace detail

// ---- Throughput (issue 20) ------------------------------------------------------------------
// .bytes_per_call(x) / .items_per_call(x): what one call processes, so that reports show MB/s
// and items/s beside the time (the gate stays on time). x is a number, or for a parametric
// benchmark a function of n: .bytes_per_call([](std::uint64_t n) { return n * 4; }).
namespace detail {
struct Throughput {
  std::function<double(std::uint64_t)> bytes, items;  // empty: not declared
};
template <class X>
std::function<double(std::uint64_t)> per_call(X x) {
  if constexpr (std::is_arithmetic_v<X>) {
    static_assert(!std::is_same_v<X, bool>,
                  "benchgate: .bytes_per_call()/.items_per_call() take a number, not a bool");
    const double v = static_cast<double>(x);
    return [v](std::uint64_t) { return v; };
  } else {
    static_assert(std::is_invocable_v<X&, std::uint64_t>,
                  "benchgate: .bytes_per_call()/.items_per_call() take a number, or a function "
                  "of n such as [](std::uint64_t n) { return n * 4; }");
    if constexpr (std::is_invocable_v<X&, std::uint64_t>) {
      using R = std::decay_t<std::invoke_result_t<X&, std::uint64_t>>;
      static_assert(std::is_arithmetic_v<R>,
                    "benchgate: the function given to .bytes_per_call()/.items_per_call() must "
                    "return a number (bytes or items one call processes at this n)");
      if constexpr (std::is_arithmetic_v<R>) {
        return [f = std::move(x)](std::uint64_t n) mutable { return static_cast<double>(f(n)); };
      } else {
        return {};
      }
    } else {
      return {};
    }
  }
}
template <class X>
std::function<double(std::uint64_t)> fixed_per_call(X x) {
  static_assert(std::is_arithmetic_v<X> && !std::is_same_v<X, bool>,
                "benchgate: a fixed benchmark has no n: give .bytes_per_call()/.items_per_call() "
                "a number");
  if constexpr (std::is_arithmetic_v<X> && !std::is_same_v<X, bool>) {
    return per_call(x);
  } else {
    return {};
  }
}
}  // namespace detail

namespace detail {

// The batch loop's sink for each call's result: the compiler must compute it, but need not
// store it. A result that fits a register may stay in one ("r,m", as Google Benchmark's
// DoNotOptimize does); anything else escapes through its address, as do_not_optimize does.
// Measured (docs/lab/2026-11-28-accuracy.md): the store that do_not_optimize forces per call
// cost about 1% of a 100 ns call. Not public: do_not_optimize stays the stronger barrier users
// get, under which a variable whose address escapes may also have changed.
template <class T>
inline void consume(T const& value) {
#if defined(__GNUC__) || defined(__clang__)
  if constexpr (std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(void*)) {
    asm volatile("" : : "r,m"(value) : "memory");
  } else {
    asm volatile("" : : "g"(&value) : "memory");
  }
#else
  do_not_optimize(value);
#endif
}

// 64-bit finaliser (splitmix64) and combiner: hashes that differ in one bit differ widely.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline std::uint64_t combine(std::uint64_t seed, std::uint64_t v) {
  return mix(seed ^ mix(v));
}

template <class T, class = void>
struct has_adl_hash : std::false_type {};
template <class T>
struct has_adl_hash<T, std::void_t<decltype(benchgate_hash(std::declval<const T&>()))>>
    : std::true_type {};

template <class T, class = void>
struct has_std_hash : std::false_type {};
template <class T>
struct has_std_hash<T, std::void_t<decltype(std::hash<T>{}(std::declval<const T&>()))>>
    : std::is_default_constructible<std::hash<T>> {};

template <class T, class = void>
struct is_range : std::false_type {};
template <class T>
struct is_range<T, std::void_t<decltype(std::begin(std::declval<const T&>())),
                               decltype(std::end(std::declval<const T&>()))>> : std::true_type {};

template <class T, class = void>
struct is_pair : std::false_type {};
template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};

template <class T>
constexpr bool is_hashable();

template <class T>
constexpr bool range_elements_hashable() {
  if constexpr (is_range<T>::value) {
    using E = std::decay_t<decltype(*std::begin(std::declval<const T&>()))>;
    return is_hashable<E>();
  } else {
    return false;
  }
}

template <class T>
constexpr bool is_hashable() {
  if constexpr (has_adl_hash<T>::value || std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    return true;
  } else if constexpr (is_pair<T>::value) {
    return is_hashable<typename T::first_type>() && is_hashable<typename T::second_type>();
  } else if constexpr (is_range<T>::value) {
    return range_elements_hashable<T>() || has_std_hash<T>::value;
  } else {
    return has_std_hash<T>::value;
  }
}

template <class T>
std::uint64_t hash_value(const T& v) {
  if constexpr (has_adl_hash<T>::value) {
    return static_cast<std::uint64_t>(benchgate_hash(v));
  } else if constexpr (std::is_enum_v<T>) {
    return mix(static_cast<std::uint64_t>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    // Hash the value, not its object representation's padding (long double has some).
    const double d = static_cast<double>(v);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof d);
    return mix(bits);
  } else if constexpr (std::is_arithmetic_v<T>) {
    return mix(static_cast<std::uint64_t>(v));
  } else if constexpr (is_pair<T>::value) {
    return combine(hash_value(v.first), hash_value(v.second));
  } else if constexpr (is_range<T>::value && range_elements_hashable<T>()) {
    std::uint64_t h = 0x6a09e667f3bcc909ULL;
    for (const auto& e : v) h = combine(h, hash_value(e));
    return h;
  } else {
    return mix(static_cast<std::uint64_t>(std::hash<T>{}(v)));
  }
}

// One timed batch, measured by the harness library (wall and CPU clocks, memory probes).
// Optional fields are null when the platform or the build cannot measure them.
struct Measure {
  std::uint64_t wall_nanos = 0;
  std::uint64_t cpu_nanos = 0;
  std::int64_t wall_start = 0;
  std::int64_t cpu_start = 0;
  std::optional<std::uint64_t> rss_baseline_kb;  // resident set as the batch started
  std::optional<std::uint64_t> peak_rss_kb;      // high-water mark at the end of the batch
  bool peak_rss_includes_setup = true;           // false once the high-water mark was reset
  std::optional<std::uint64_t> alloc_bytes;      // counted global operator new calls
  std::optional<std::uint64_t> alloc_count;
  std::uint64_t alloc_bytes_start = 0;
  std::uint64_t alloc_count_start = 0;
  std::optional<std::uint64_t> instructions;  // the CPU's counters (perf_event_open), user space
  std::optional<std::uint64_t> cycles;
};
void measure_start(Measure& m);
void measure_stop(Measure& m);
// Whether the next batches are collected by Callgrind (the `instructions` measure: the harness
// switches collection on and off around the batch with Callgrind's client requests). Off by
// default; a no-op in a build without <valgrind/callgrind.h>.
void set_callgrind_collect(bool on) noexcept;

// Heap bytes that `fn(ctx)` allocates through the counted global operator new, or nullopt when
// allocation counting is not linked in. Used to size per-call inputs; the count is not a row's.
std::optional<std::uint64_t> heap_bytes_during(void (*fn)(void*), void* ctx);

// Adds one timed chunk of a batch to the batch's measure: times, allocations and counters sum;
// the peak is the highest chunk's; the baseline and start times are the first chunk's.
inline void add_chunk(Measure& total, const Measure& part, bool first) {
  if (first) {
    total = part;
    return;
  }
  total.wall_nanos += part.wall_nanos;
  total.cpu_nanos += part.cpu_nanos;
  if (total.peak_rss_kb && part.peak_rss_kb) {
    total.peak_rss_kb = std::max(*total.peak_rss_kb, *part.peak_rss_kb);
  } else {
    total.peak_rss_kb.reset();
  }
  total.peak_rss_includes_setup = total.peak_rss_includes_setup || part.peak_rss_includes_setup;
  auto sum = [](std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
    if (a && b) {
      *a += *b;
    } else {
      a.reset();
    }
  };
  sum(total.alloc_bytes, part.alloc_bytes);
  sum(total.alloc_count, part.alloc_count);
  sum(total.instructions, part.instructions);
  sum(total.cycles, part.cycles);
}

// What one child needs once setup has run: time `count` calls, then hash the last result; after
// the child's last batch, tear the setup state down (untimed). The flags end up in the row.
struct Prepared {
  std::function<void(std::uint64_t count, Measure& m)> run_batch;
  std::function<std::optional<std::uint64_t>()> last_hash;
  std::function<void()> teardown;  // empty without .teardown(); runs at most once
  bool per_call_setup = false;
  bool manual_time = false;
  unsigned threads = 0;  // .threads(k): k; 0 when not declared (the batch runs on one thread)
};

struct ParametricEntry {
  std::string name;
  std::string complexity_text;
  std::function<double(double)> complexity;
  bool hashable = false;
  BenchmarkConfig config;
  std::function<Prepared(std::uint64_t n)> prepare;
  Throughput throughput;            // issue 20
  Variant variant;                  // issue 20: empty without variants
  unsigned threads = 0;             // issue 20: 0 when not declared
  std::vector<std::string> errors;  // what registration reports instead of registering
};

struct FixedEntry {
  std::string name;
  bool hashable = false;
  FixedBenchmarkConfig config;
  std::function<Prepared()> prepare;
  Throughput throughput;  // issue 20: called with n = 0
  Variant variant;
  unsigned threads = 0;
  std::vector<std::string> errors;
};

void register_parametric(ParametricEntry entry);
void register_fixed(FixedEntry entry);
void note_build(const char* compiler, const char* compiler_version, const char* build_type);
void note_runner(const char* path);

template <class Result, class HashFn>
constexpr bool can_hash() {
  return !std::is_void_v<Result> &&
         (!std::is_same_v<HashFn, std::nullptr_t> || is_hashable<Result>());
}

}  // namespace detail

// The default bound on the prepared inputs of per_call_setup() held at once: 1 MiB. Small enough
// that the inputs add little to a row's peak RSS (they are resident while the calls run) and that
// nearly every batch runs in full chunks, so that share is the same in every row; large enough
// that a chunk holds thousands of calls of small inputs, so its two probes cost little per call
// (docs/design.md, "Per-call setup, manual timing and teardown").
inline constexpr std::uint64_t kPerCallSetupMaxBytes = std::uint64_t{1} << 20;

// Untimed per-call setup (criterion.rs's iter_batched): pass
//   benchgate::per_call_setup(make_input, measured)
// as the measured function of parametric() or fixed(). Before the clock starts the harness calls
// make_input(state) once per call of the batch (state: what setup returned; make_input may take
// it as const State& or State&), then times only measured(input) over the prepared inputs.
// measured takes the input by value or Input&& (moved in: its destruction is then timed), by
// const Input& or by Input& (the input is destroyed after the clock stops). A measured function
// that returns void and takes Input& (sorting in place) has the input after the batch's last call
// hashed as its result. When a batch's inputs would exceed max_bytes (estimated from sizeof and
// the heap bytes the first input allocated), the batch is prepared and timed in chunks.
template <class Make, class Fn>
class PerCallSetup {
 public:
  PerCallSetup(Make make_input, Fn measured)
      : make_input_(std::move(make_input)), measured_(std::move(measured)) {}
  // The most bytes of prepared inputs held at once (default kPerCallSetupMaxBytes, at least 1).
  PerCallSetup&& max_bytes(std::uint64_t bytes) && {
    max_bytes_ = bytes > 0 ? bytes : 1;
    return std::move(*this);
  }

  Make make_input_;
  Fn measured_;
  std::uint64_t max_bytes_ = kPerCallSetupMaxBytes;
};

template <class Make, class Fn>
PerCallSetup<Make, Fn> per_call_setup(Make make_input, Fn measured) {
  return PerCallSetup<Make, Fn>(std::move(make_input), std::move(measured));
}

// What a manual_time() measured function reports its own duration to. Everything added during a
// batch is the batch's time; a batch in which nothing was added is an error.
class ManualTimer {
 public:
  template <class Rep, class Period>
  void add(std::chrono::duration<Rep, Period> d) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    add_nanos(ns > 0 ? static_cast<std::uint64_t>(ns) : 0);
  }
  void add_nanos(std::uint64_t ns) {
    nanos_ += ns;
    reported_ = true;
  }
  std::uint64_t nanos() const { return nanos_; }
  bool reported() const { return reported_; }
  void reset() {
    nanos_ = 0;
    reported_ = false;
  }

 private:
  std::uint64_t nanos_ = 0;
  bool reported_ = false;
};

// Manual timing: pass benchgate::manual_time(measured) as the measured function, where
// measured(state, benchgate::ManualTimer& timer) times its own work (asynchronous work, a GPU
// kernel, an external process) and reports it with timer.add(duration) on every call. The row's
// time is the sum reported; CPU time is still measured around the whole batch.
template <class Fn>
struct ManualTime {
  Fn measured_;
};

template <class Fn>
ManualTime<Fn> manual_time(Fn measured) {
  return ManualTime<Fn>{std::move(measured)};
}

namespace detail {

template <class T>
struct type_is {
  using type = T;
};
struct Invalid {};
// invoke_result_t, or Invalid when F cannot be called with A...: a static_assert then reports the
// wrong signature instead of a template backtrace.
template <class F, class... A>
using result_or_invalid =
    typename std::conditional_t<std::is_invocable_v<F, A...>, std::invoke_result<F, A...>,
                                type_is<Invalid>>::type;

// How a measured function is called and what its result is; the static_asserts name what is wrong.
template <class State, class Fn>
struct Measured {
  static constexpr bool ok = std::is_invocable_v<Fn&, State&>;
  static_assert(ok,
                "benchgate: the measured function must be callable as fn(state), state being what "
                "setup returned (fn(n) for parametric(name, fn), fn() for fixed(name, fn))");
  using Result = std::decay_t<result_or_invalid<Fn&, State&>>;
};

template <class State, class Make, class Fn>
struct Measured<State, PerCallSetup<Make, Fn>> {
  static constexpr bool make_ok = std::is_invocable_v<Make&, State&>;
  static_assert(make_ok,
                "benchgate::per_call_setup: make_input must be callable as make_input(state), "
                "taking const State& or State&, state being what setup returned");
  using RawInput = result_or_invalid<Make&, State&>;
  static constexpr bool input_ok = make_ok && !std::is_void_v<RawInput>;
  static_assert(!make_ok || input_ok,
                "benchgate::per_call_setup: make_input(state) returns void; it must return the "
                "input of one measured call");
  using Input = std::conditional_t<input_ok, std::decay_t<RawInput>, Invalid>;
  // Moved in when the measured function accepts an rvalue (by value, Input&&, const Input&).
  static constexpr bool moves = std::is_invocable_v<Fn&, Input&&>;
  static constexpr bool ok = input_ok && (moves || std::is_invocable_v<Fn&, Input&>);
  static_assert(!input_ok || ok,
                "benchgate::per_call_setup: the measured function must take the input that "
                "make_input returns (by value, Input&, const Input& or Input&&)");
  using CallResult = std::decay_t<
      std::conditional_t<moves, result_or_invalid<Fn&, Input&&>, result_or_invalid<Fn&, Input&>>>;
  // A void function taking Input& changes its input in place: that input is its result.
  static constexpr bool result_is_input = ok && !moves && std::is_void_v<CallResult>;
  using Result = std::conditional_t<result_is_input, Input, CallResult>;
};

template <class State, class Fn>
struct Measured<State, ManualTime<Fn>> {
  static constexpr bool ok = std::is_invocable_v<Fn&, State&, ManualTimer&>;
  static_assert(ok,
                "benchgate::manual_time: the measured function must be callable as fn(state, "
                "benchgate::ManualTimer& timer), state being what setup returned, and report its "
                "duration with timer.add(...)");
  using Result = std::decay_t<result_or_invalid<Fn&, State&, ManualTimer&>>;
};

template <class HashFn, class T>
std::uint64_t hash_with(const HashFn& hash, const T& value) {
  if constexpr (std::is_same_v<HashFn, std::nullptr_t>) {
    return hash_value(value);
  } else {
    return static_cast<std::uint64_t>(hash(value));
  }
}

// Prepared::last_hash for a batch maker whose shared state keeps the batch's last result in
// `last` and the hash function in `hash`: null before a batch, or when Result cannot be hashed.
template <class Result, class HashFn, class SharedPtr>
std::function<std::optional<std::uint64_t>()> last_result_hash(SharedPtr shared) {
  return [shared]() -> std::optional<std::uint64_t> {
    if constexpr (can_hash<Result, HashFn>()) {
      if (!shared->last) return std::nullopt;
      return hash_with(shared->hash, *shared->last);
    } else {
      return std::nullopt;
    }
  };
}

template <class T, class = void>
struct has_capacity : std::false_type {};
template <class T>
struct has_capacity<
    T, std::void_t<decltype(std::declval<const T&>().capacity()), typename T::value_type>>
    : std::true_type {};

// Heap bytes of a container's elements when allocations are not counted (a best guess).
template <class T>
std::uint64_t guessed_heap_bytes(const T& value) {
  if constexpr (has_capacity<T>::value) {
    return static_cast<std::uint64_t>(value.capacity()) * sizeof(typename T::value_type);
  } else {
    return 0;
  }
}

// Runs the setup state's teardown at most once (after the child's last batch, or from the
// harness's SIGTERM handler at the cap).
template <class SharedPtr, class State>
void set_teardown(Prepared& p, const SharedPtr& shared, std::function<void(State&)> teardown) {
  if (!teardown) return;
  auto done = std::make_shared<std::atomic<bool>>(false);
  p.teardown = [shared, done, teardown = std::move(teardown)] {
    if (!done->exchange(true)) teardown(shared->state);
  };
}

// The calls of a batch but its last, shared by the plain, manual-time and thread loops: `n`
// calls of call(), the state escaping before each and each result through the batch's sink.
template <class Result, class State, class Call>
inline void call_times(State& state, std::uint64_t n, Call& call) {
  for (std::uint64_t i = 0; i < n; ++i) {
    do_not_optimize(state);
    if constexpr (std::is_void_v<Result>) {
      call();
    } else {
      auto&& r = call();
      consume(r);
    }
  }
}

// A batch's last call: its result kept in `last` (a char for void) for the row's hash.
template <class Result, class State, class Call, class Last>
inline void call_last(State& state, Call& call, Last& last) {
  do_not_optimize(state);
  if constexpr (std::is_void_v<Result>) {
    call();
    last.emplace('\0');
  } else {
    last.emplace(call());
    do_not_optimize(*last);
  }
}

// Builds the type-erased batch runner around `state` and `fn`. The loop lives here, in the
// author's translation unit, so `fn` inlines into it.
template <class State, class Fn, class HashFn>
Prepared make_prepared(State state, Fn fn, HashFn hash,
                       typename type_is<std::function<void(State&)>>::type teardown = {}) {
  using Result = std::decay_t<std::invoke_result_t<Fn&, State&>>;
  struct Shared {
    State state;
    Fn fn;
    HashFn hash;
    std::optional<std::conditional_t<std::is_void_v<Result>, char, Result>> last;
  };
  auto shared = std::make_shared<Shared>(Shared{std::move(state), std::move(fn), hash, {}});
  Prepared p;
  p.run_batch = [shared](std::uint64_t count, Measure& m) {
    auto& s = *shared;
    auto call = [&s]() -> decltype(auto) { return s.fn(s.state); };
    s.last.reset();  // destroy the previous batch's result before the clock starts
    measure_start(m);
    call_times<Result>(s.state, count - 1, call);
    call_last<Result>(s.state, call, s.last);
    measure_stop(m);
  };
  p.last_hash = last_result_hash<Result, HashFn>(shared);
  set_teardown(p, shared, std::move(teardown));
  return p;
}

// The batch loop of per_call_setup(): each chunk's inputs are made before the clock starts, the
// clock runs around the chunk's calls only, and the chunks' measures add up to the batch's.
template <class State, class Make, class Fn, class HashFn>
Prepared make_prepared(State state, PerCallSetup<Make, Fn> pcs, HashFn hash,
                       typename type_is<std::function<void(State&)>>::type teardown = {}) {
  using M = Measured<State, PerCallSetup<Make, Fn>>;
  using Input = typename M::Input;
  using CallResult = typename M::CallResult;
  using Result = typename M::Result;
  struct Shared {
    State state;
    Make make;
    Fn fn;
    HashFn hash;
    std::uint64_t max_bytes;
    std::uint64_t chunk;  // calls per chunk; 0 until the first batch sizes it
    std::vector<Input> inputs;
    std::optional<std::conditional_t<std::is_void_v<CallResult>, char, CallResult>> last;
  };
  auto shared = std::make_shared<Shared>(Shared{std::move(state),
                                                std::move(pcs.make_input_),
                                                std::move(pcs.measured_),
                                                hash,
                                                pcs.max_bytes_,
                                                0,
                                                {},
                                                {}});
  Prepared p;
  p.per_call_setup = true;
  p.run_batch = [shared](std::uint64_t count, Measure& m) {
    auto& s = *shared;
    auto call = [&s](Input& in) -> decltype(auto) {
      if constexpr (M::moves) {
        return s.fn(std::move(in));
      } else {
        return s.fn(in);
      }
    };
    s.last.reset();
    s.inputs.clear();
    if (s.chunk == 0) {
      // One probe input sizes the chunks: sizeof plus the heap bytes it allocated.
      struct Probe {
        Shared* s;
        std::optional<Input> input;
      } probe{&s, {}};
      const auto heap = heap_bytes_during(
          [](void* ctx) {
            auto& pr = *static_cast<Probe*>(ctx);
            pr.input.emplace(pr.s->make(pr.s->state));
          },
          &probe);
      const std::uint64_t bytes = sizeof(Input) + (heap ? *heap : guessed_heap_bytes(*probe.input));
      s.chunk = std::max<std::uint64_t>(1, s.max_bytes / bytes);
    }
    bool first = true;
    for (std::uint64_t done = 0; done < count;) {
      const std::uint64_t k = std::min(s.chunk, count - done);
      const bool last_chunk = done + k == count;
      s.inputs.clear();  // the previous chunk's inputs, destroyed untimed
      s.inputs.reserve(static_cast<std::size_t>(k));
      for (std::uint64_t i = 0; i < k; ++i) s.inputs.push_back(s.make(s.state));
      Input* in = s.inputs.data();
      const std::uint64_t plain = last_chunk ? k - 1 : k;
      Measure part;
      measure_start(part);
      for (std::uint64_t i = 0; i < plain; ++i) {
        if constexpr (std::is_void_v<CallResult>) {
          call(in[i]);
          do_not_optimize(in[i]);
        } else {
          auto&& r = call(in[i]);
          consume(r);
        }
      }
      if (last_chunk) {
        if constexpr (std::is_void_v<CallResult>) {
          call(in[k - 1]);
          do_not_optimize(in[k - 1]);
          s.last.emplace('\0');
        } else {
          s.last.emplace(call(in[k - 1]));
          do_not_optimize(*s.last);
        }
      }
      measure_stop(part);
      add_chunk(m, part, first);
      first = false;
      done += k;
    }
  };
  if constexpr (M::result_is_input) {
    // A void function taking Input&: the last call's input is its result.
    p.last_hash = [shared]() -> std::optional<std::uint64_t> {
      auto& s = *shared;
      if constexpr (can_hash<Result, HashFn>()) {
        if (!s.last || s.inputs.empty()) return std::nullopt;
        return hash_with(s.hash, s.inputs.back());
      } else {
        return std::nullopt;
      }
    };
  } else {
    p.last_hash = last_result_hash<Result, HashFn>(shared);
  }
  set_teardown(p, shared, std::move(teardown));
  return p;
}

// The batch loop of manual_time(): the clocks run around the batch (CPU time, counters), and the
// batch's wall time is what the function reported.
template <class State, class Fn, class HashFn>
Prepared make_prepared(State state, ManualTime<Fn> mt, HashFn hash,
                       typename type_is<std::function<void(State&)>>::type teardown = {}) {
  using Result = typename Measured<State, ManualTime<Fn>>::Result;
  struct Shared {
    State state;
    Fn fn;
    HashFn hash;
    ManualTimer timer;
    std::optional<std::conditional_t<std::is_void_v<Result>, char, Result>> last;
  };
  auto shared = std::make_shared<Shared>(
      Shared{std::move(state), std::move(mt.measured_), hash, ManualTimer{}, {}});
  Prepared p;
  p.manual_time = true;
  p.run_batch = [shared](std::uint64_t count, Measure& m) {
    auto& s = *shared;
    auto call = [&s]() -> decltype(auto) { return s.fn(s.state, s.timer); };
    s.last.reset();
    s.timer.reset();
    measure_start(m);
    call_times<Result>(s.state, count - 1, call);
    call_last<Result>(s.state, call, s.last);
    measure_stop(m);
    if (!s.timer.reported()) {
      throw std::logic_error(
          "benchgate::manual_time: the measured function reported no duration in a batch of " +
          std::to_string(count) + " calls; call timer.add(duration) in every call");
    }
    m.wall_nanos = s.timer.nanos();
  };
  p.last_hash = last_result_hash<Result, HashFn>(shared);
  set_teardown(p, shared, std::move(teardown));
  return p;
}

// The batch loop of .threads(k) with k > 1: every thread makes `count` calls of fn(state) on the
// one shared state, started together behind a barrier; the batch's wall time runs from their
// release until the last has returned, and the CPU time is the process's, i.e. all threads'.
// The calling thread's last result is the row's.
template <class State, class Fn, class HashFn>
Prepared make_threaded(State state, Fn fn, HashFn hash, std::function<void(State&)> teardown,
                       unsigned threads) {
  using Result = std::decay_t<std::invoke_result_t<Fn&, State&>>;
  struct Shared {
    State state;
    Fn fn;
    HashFn hash;
    std::optional<std::conditional_t<std::is_void_v<Result>, char, Result>> last;
    std::uint64_t count;
  };
  auto shared = std::make_shared<Shared>(Shared{std::move(state), std::move(fn), hash, {}, 0});
  Prepared p;
  p.threads = threads;
  p.run_batch = [shared, threads](std::uint64_t count, Measure& m) {
    auto& s = *shared;
    s.last.reset();
    s.count = count;
    run_on_threads(
        threads, m,
        [](void* ctx, bool main) {
          auto& sh = *static_cast<Shared*>(ctx);
          auto call = [&sh]() -> decltype(auto) { return sh.fn(sh.state); };
          // The calling thread keeps its last result for the hash; the others sink every one.
          if (main) {
            call_times<Result>(sh.state, sh.count - 1, call);
            call_last<Result>(sh.state, call, sh.last);
          } else {
            call_times<Result>(sh.state, sh.count, call);
          }
        },
        &s);
  };
  p.last_hash = last_result_hash<Result, HashFn>(shared);
  set_teardown(p, shared, std::move(teardown));
  return p;
}

template <class T>
struct is_wrapper : std::false_type {};
template <class M, class F>
struct is_wrapper<PerCallSetup<M, F>> : std::true_type {};
template <class F>
struct is_wrapper<ManualTime<F>> : std::true_type {};

// Builds a Prepared for any form of measured function, or an empty one after a static_assert
// reported a wrong signature (so that no second error follows it). `threads`: .threads(k)'s k
// (0 when not declared), only for a plain measured function.
template <class State, class Fn, class HashFn>
Prepared prepare_measured(State state, const Fn& fn, HashFn hash,
                          std::function<void(State&)> teardown, unsigned threads = 0) {
  if constexpr (Measured<State, Fn>::ok) {
    if constexpr (!is_wrapper<Fn>::value) {
      if (threads > 1)
        return make_threaded(std::move(state), fn, hash, std::move(teardown), threads);
    }
    Prepared p = make_prepared(std::move(state), fn, hash, std::move(teardown));
    p.threads = threads;
    return p;
  } else {
    return Prepared{};
  }
}

// How setup is called: with the variant when it takes one (setup(n, variant), setup(variant)),
// else without (setup(n), setup()). State is what it returns (Invalid when it cannot be called).
template <class Setup, class... A>
struct SetupCall {
  static constexpr bool with_variant = std::is_invocable_v<Setup&, A..., const Variant&>;
  static constexpr bool ok = with_variant || std::is_invocable_v<Setup&, A...>;
  using State =
      std::decay_t<std::conditional_t<with_variant, result_or_invalid<Setup&, A..., const Variant&>,
                                      result_or_invalid<Setup&, A...>>>;
  static decltype(auto) call(Setup& setup, const Variant& v, A... a) {
    if constexpr (with_variant) {
      return setup(a..., v);
    } else {
      return setup(a...);
    }
  }
};

// The builder methods that declare a shape (.vary, .variants, .threads), shared by Parametric
// and Fixed through CRTP; Builder is the derived class.
template <class Builder, bool kTakesVariant, bool kPlainFn>
class ShapeMethods {
 public:
  // A dimension of named variants: the benchmark is registered once for every combination of
  // the values of all .vary() dimensions (the first dimension varies slowest). Setup must take
  // the variant: setup(n, const benchgate::Variant& v), or setup(v) for a fixed benchmark.
  Builder&& vary(std::string dim, std::initializer_list<Variant::Value> values) && {
    static_assert(kTakesVariant,
                  "benchgate: .vary()/.variants() need a setup that takes the variant: "
                  "setup(n, const benchgate::Variant& v) for parametric(), setup(const "
                  "benchgate::Variant& v) for fixed()");
    std::vector<std::string> texts;
    for (const auto& v : values) texts.push_back(v.text());
    shape_.dims.emplace_back(std::move(dim), std::move(texts));
    return static_cast<Builder&&>(*this);
  }
  // An explicit list of variants, e.g. .variants({{{"algo", "zlib"}, {"level", 6}},
  // {{"algo", "lz4"}, {"level", 1}}}); not combined with .vary().
  Builder&& variants(std::vector<Variant> list) && {
    static_assert(kTakesVariant,
                  "benchgate: .vary()/.variants() need a setup that takes the variant: "
                  "setup(n, const benchgate::Variant& v) for parametric(), setup(const "
                  "benchgate::Variant& v) for fixed()");
    shape_.list = std::move(list);
    return static_cast<Builder&&>(*this);
  }
  // Runs the measured function on k threads at once, all sharing setup's state (so fn(state)
  // must be safe to call concurrently): k is part of the key ("name/threads:4"). A list
  // registers one benchmark per k.
  Builder&& threads(unsigned k) && { return std::move(*this).threads({k}); }
  Builder&& threads(std::initializer_list<unsigned> ks) && {
    static_assert(kPlainFn,
                  "benchgate: .threads() runs a plain measured function fn(state) on k threads; "
                  "per_call_setup() and manual_time() run on one thread only");
    shape_.threads.assign(ks.begin(), ks.end());
    if (shape_.threads.empty()) shape_.errors.push_back(".threads({}) lists no thread count");
    return static_cast<Builder&&>(*this);
  }

 protected:
  Shape shape_;
};

// The registry entries of a builder's shape: one per instance, named and given its variant and
// thread count, the rest filled by fill(entry, instance); or, when the shape is wrong, one entry
// that carries the errors for registration to report.
template <class Entry, class Fill>
std::vector<Entry> make_entries(const std::string& name, const Shape& shape, Fill fill) {
  std::vector<Entry> out;
  std::vector<std::string> errors;
  auto instances = expand(name, shape, errors);
  if (!errors.empty()) {
    out.emplace_back();
    out.back().name = name;
    out.back().errors = std::move(errors);
    return out;
  }
  for (const auto& inst : instances) {
    Entry e;
    e.name = inst.name;
    e.variant = inst.variant;
    e.threads = inst.threads;
    fill(e, inst);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace detail

// Returned by benchgate::parametric(); chain .complexity(), .config(), .hash(), .teardown(),
// .bytes_per_call()/.items_per_call(), .vary()/.variants(), .threads(), then assign to a
// BENCHGATE_REGISTER variable.
template <class Setup, class Fn, class HashFn = std::nullptr_t>
class Parametric
    : public detail::ShapeMethods<Parametric<Setup, Fn, HashFn>,
                                  detail::SetupCall<Setup, std::uint64_t>::with_variant,
                                  !detail::is_wrapper<Fn>::value> {
  using Call = detail::SetupCall<Setup, std::uint64_t>;
  static_assert(Call::ok,
                "benchgate::parametric: setup must be callable as setup(n), or as setup(n, const "
                "benchgate::Variant& v) with .vary()/.variants(), n being a std::uint64_t");

 public:
  using State = typename Call::State;
  using Result = typename detail::Measured<State, Fn>::Result;

  Parametric(std::string name, Setup setup, Fn fn, HashFn hash = nullptr)
      : name_(std::move(name)), setup_(std::move(setup)), fn_(std::move(fn)), hash_(hash) {}

  // The declared cost model: display text plus C(n) for the verdict.
  Parametric&& complexity(std::string text, std::function<double(double)> c) && {
    complexity_text_ = std::move(text);
    complexity_ = std::move(c);
    return std::move(*this);
  }
  Parametric&& config(BenchmarkConfig c) && {
    config_ = std::move(c);
    return std::move(*this);
  }
  // Releases what setup acquired (temporary files, sockets): fn(state) runs once after the
  // child's last batch, untimed, and on the runner's SIGTERM at the cap (not on SIGKILL).
  template <class T>
  Parametric&& teardown(T fn) && {
    static_assert(std::is_invocable_v<T&, State&>,
                  "benchgate: .teardown(fn): fn must be callable as fn(state), state being what "
                  "setup returned");
    if constexpr (std::is_invocable_v<T&, State&>) teardown_ = std::move(fn);
    return std::move(*this);
  }
  // A hash for result types benchgate cannot hash itself.
  template <class H>
  Parametric<Setup, Fn, H> hash(H h) && {
    Parametric<Setup, Fn, H> out(std::move(name_), std::move(setup_), std::move(fn_), h);
    out.complexity_text_ = std::move(complexity_text_);
    out.complexity_ = std::move(complexity_);
    out.config_ = std::move(config_);
    out.teardown_ = std::move(teardown_);
    out.throughput_ = std::move(throughput_);
    out.shape_ = std::move(this->shape_);
    return out;
  }
  // Throughput (issue 20): bytes or items one call processes, a number or a function of n.
  template <class X>
  Parametric&& bytes_per_call(X x) && {
    throughput_.bytes = detail::per_call(std::move(x));
    return std::move(*this);
  }
  template <class X>
  Parametric&& items_per_call(X x) && {
    throughput_.items = detail::per_call(std::move(x));
    return std::move(*this);
  }

  // One entry per declared variant and thread count (one without either).
  std::vector<detail::ParametricEntry> entries() && {
    auto setup = std::make_shared<Setup>(std::move(setup_));
    auto fn = std::make_shared<Fn>(std::move(fn_));
    return detail::make_entries<detail::ParametricEntry>(
        name_, this->shape_, [&](detail::ParametricEntry& e, const detail::Instance& inst) {
          e.complexity_text = complexity_text_;
          e.complexity = complexity_;
          e.hashable = detail::can_hash<Result, HashFn>();
          e.config = config_;
          e.throughput = throughput_;
          e.prepare = [setup, fn, hash = hash_, teardown = teardown_, variant = inst.variant,
                       threads = inst.threads](std::uint64_t n) {
            return detail::prepare_measured<State>(Call::call(*setup, variant, n), *fn, hash,
                                                   teardown, threads);
          };
        });
  }

 private:
  std::string name_;
  Setup setup_;
  Fn fn_;
  HashFn hash_;
  std::string complexity_text_;
  std::function<double(double)> complexity_;
  BenchmarkConfig config_;
  detail::Throughput throughput_;
  template <class, class, class>
  friend class Parametric;
  std::function<void(State&)> teardown_;
};

// Returned by benchgate::fixed(); chain .config(), .hash(), .teardown(),
// .bytes_per_call()/.items_per_call(), .vary()/.variants(), .threads().
template <class Setup, class Fn, class HashFn = std::nullptr_t>
class Fixed
    : public detail::ShapeMethods<Fixed<Setup, Fn, HashFn>, detail::SetupCall<Setup>::with_variant,
                                  !detail::is_wrapper<Fn>::value> {
  using Call = detail::SetupCall<Setup>;
  static_assert(Call::ok,
                "benchgate::fixed: setup must be callable as setup(), or as setup(const "
                "benchgate::Variant& v) with .vary()/.variants()");

 public:
  using State = typename Call::State;
  using Result = typename detail::Measured<State, Fn>::Result;

  Fixed(std::string name, Setup setup, Fn fn, HashFn hash = nullptr)
      : name_(std::move(name)), setup_(std::move(setup)), fn_(std::move(fn)), hash_(hash) {}

  Fixed&& config(FixedBenchmarkConfig c) && {
    config_ = std::move(c);
    return std::move(*this);
  }
  // Releases what setup acquired (temporary files, sockets): fn(state) runs once after the
  // child's last batch, untimed, and on the runner's SIGTERM at the cap (not on SIGKILL).
  template <class T>
  Fixed&& teardown(T fn) && {
    static_assert(std::is_invocable_v<T&, State&>,
                  "benchgate: .teardown(fn): fn must be callable as fn(state), state being what "
                  "setup returned");
    if constexpr (std::is_invocable_v<T&, State&>) teardown_ = std::move(fn);
    return std::move(*this);
  }
  template <class H>
  Fixed<Setup, Fn, H> hash(H h) && {
    Fixed<Setup, Fn, H> out(std::move(name_), std::move(setup_), std::move(fn_), h);
    out.config_ = std::move(config_);
    out.teardown_ = std::move(teardown_);
    out.throughput_ = std::move(throughput_);
    out.shape_ = std::move(this->shape_);
    return out;
  }
  // Throughput (issue 20): bytes or items one call processes, a number.
  template <class X>
  Fixed&& bytes_per_call(X x) && {
    throughput_.bytes = detail::fixed_per_call(x);
    return std::move(*this);
  }
  template <class X>
  Fixed&& items_per_call(X x) && {
    throughput_.items = detail::fixed_per_call(x);
    return std::move(*this);
  }

  // One entry per declared variant and thread count (one without either).
  std::vector<detail::FixedEntry> entries() && {
    auto setup = std::make_shared<Setup>(std::move(setup_));
    auto fn = std::make_shared<Fn>(std::move(fn_));
    return detail::make_entries<detail::FixedEntry>(
        name_, this->shape_, [&](detail::FixedEntry& e, const detail::Instance& inst) {
          e.hashable = detail::can_hash<Result, HashFn>();
          e.config = config_;
          e.throughput = throughput_;
          e.prepare = [setup, fn, hash = hash_, teardown = teardown_, variant = inst.variant,
                       threads = inst.threads]() {
            return detail::prepare_measured<State>(Call::call(*setup, variant), *fn, hash, teardown,
                                                   threads);
          };
        });
  }

 private:
  std::string name_;
  Setup setup_;
  Fn fn_;
  HashFn hash_;
  FixedBenchmarkConfig config_;
  detail::Throughput throughput_;
  template <class, class, class>
  friend class Fixed;
  std::function<void(State&)> teardown_;
};

// A parametric benchmark: setup(n) runs once per child, untimed; fn(state) is measured.
template <class Setup, class Fn>
Parametric<Setup, Fn> parametric(std::string name, Setup setup, Fn fn) {
  return Parametric<Setup, Fn>(std::move(name), std::move(setup), std::move(fn));
}

namespace detail {
struct Identity {
  std::uint64_t operator()(std::uint64_t n) const { return n; }
};
struct NoSetup {
  int operator()() const { return 0; }
};
template <class Fn>
struct IgnoreState {
  Fn fn;
  decltype(auto) operator()(int&) { return fn(); }
};
}  // namespace detail

// A parametric benchmark without setup: fn(n) is measured.
template <class Fn>
Parametric<detail::Identity, Fn> parametric(std::string name, Fn fn) {
  return Parametric<detail::Identity, Fn>(std::move(name), detail::Identity{}, std::move(fn));
}

// A fixed benchmark: setup() runs once per child, untimed; fn(state) is measured.
template <class Setup, class Fn>
Fixed<Setup, Fn> fixed(std::string name, Setup setup, Fn fn) {
  return Fixed<Setup, Fn>(std::move(name), std::move(setup), std::move(fn));
}

// A fixed benchmark without setup: fn() is measured.
template <class Fn>
auto fixed(std::string name, Fn fn) {
  if constexpr (detail::is_wrapper<Fn>::value) {
    static_assert(!detail::is_wrapper<Fn>::value,
                  "benchgate::fixed(name, fn): per_call_setup() and manual_time() need the setup "
                  "form, fixed(name, setup, per_call_setup(...)) or fixed(name, setup, "
                  "manual_time(...))");
    return Fixed<detail::NoSetup, detail::IgnoreState<detail::NoSetup>>(
        std::move(name), detail::NoSetup{}, detail::IgnoreState<detail::NoSetup>{});
  } else {
    return Fixed<detail::NoSetup, detail::IgnoreState<Fn>>(std::move(name), detail::NoSetup{},
                                                           detail::IgnoreState<Fn>{std::move(fn)});
  }
}

// Registers a benchmark during static initialisation. Errors (an empty or duplicate name, an
// invalid config, a missing complexity) are collected and reported by main() before anything
// runs, with exit code 2.
class Registration {
 public:
  template <class S, class F, class H>
  // Parameter names are unlikely on purpose: -Wshadow would flag a user global of the same name.
  Registration(Parametric<S, F, H>&& benchgate_builder_) {  // NOLINT(google-explicit-constructor)
    for (auto& e : std::move(benchgate_builder_).entries())
      detail::register_parametric(std::move(e));
  }
  template <class S, class F, class H>
  Registration(Fixed<S, F, H>&& benchgate_builder_) {  // NOLINT(google-explicit-constructor)
    for (auto& e : std::move(benchgate_builder_).entries()) detail::register_fixed(std::move(e));
  }
};

namespace detail {
#if defined(__clang__)
#define BENCHGATE_DETAIL_COMPILER "clang"
#define BENCHGATE_DETAIL_COMPILER_VERSION __clang_version__
#elif defined(__GNUC__)
#define BENCHGATE_DETAIL_COMPILER "gcc"
#define BENCHGATE_DETAIL_COMPILER_VERSION __VERSION__
#elif defined(_MSC_VER)
#define BENCHGATE_DETAIL_COMPILER "msvc"
#define BENCHGATE_DETAIL_STR2(x) #x
#define BENCHGATE_DETAIL_STR(x) BENCHGATE_DETAIL_STR2(x)
#define BENCHGATE_DETAIL_COMPILER_VERSION BENCHGATE_DETAIL_STR(_MSC_FULL_VER)
#else
#define BENCHGATE_DETAIL_COMPILER ""
#define BENCHGATE_DETAIL_COMPILER_VERSION ""
#endif
#ifndef BENCHGATE_BUILD_TYPE
#define BENCHGATE_BUILD_TYPE ""  // benchgate_add_benchmark() defines it as $<CONFIG>
#endif
// The benchmark's own translation units know how they were compiled; the harness library
// (maybe built elsewhere) does not. The first TU that includes this header records it.
inline const bool build_noted =
    (note_build(BENCHGATE_DETAIL_COMPILER, BENCHGATE_DETAIL_COMPILER_VERSION, BENCHGATE_BUILD_TYPE),
     true);
#ifdef BENCHGATE_RUNNER_PATH
// Where benchgate_add_benchmark() found benchgate-runner: `./my_bench` runs its benchmarks
// through it.
inline const bool runner_noted = (note_runner(BENCHGATE_RUNNER_PATH), true);
#endif
}  // namespace detail

}  // namespace benchgate

#define BENCHGATE_REGISTER(var) static const ::benchgate::Registration var
