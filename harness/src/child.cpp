// Child mode (--benchgate-child): run one batch of one benchmark and write exactly one row to
// the result descriptor.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/env.hpp"
#include "benchgate/core/plan.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/core/row_json.hpp"
#include "modes.hpp"
#include "registry.hpp"

#if defined(BENCHGATE_HAVE_CALLGRIND)
#include <valgrind/callgrind.h>
#endif

namespace benchgate::detail {
namespace {

// The run's env as the runner sent it (captured here when it did not), with this executable's
// name and build.
Env child_env(const ChildRequest& r, const std::string& exe) {
  Env env;
  bool have = false;
  if (r.env_json) {
    auto parsed = parse_env(*r.env_json);
    if (auto* e = std::get_if<Env>(&parsed)) {
      env = *e;
      have = true;
    }
  }
  if (!have) env = capture_env(exe);
  env.exe_name = base_name(exe);
  const auto& build = registry().build;
  env.compiler = non_empty(build.compiler);
  env.compiler_version = non_empty(build.compiler_version);
  env.build_type = non_empty(build.build_type);
  return env;
}

void write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::cerr << "benchgate: error: cannot write the row to --result-fd " << fd << ": "
                << std::strerror(errno) << "\n";
      std::exit(1);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// The `instructions` measure: the child runs under Callgrind with instrumentation and collection
// off; this switches instrumentation on for the counted batch (collection itself is switched
// inside measure_start/stop), and refuses to run where the count cannot be taken.
class CallgrindBatch {
 public:
  static void check_available() {
#if !defined(BENCHGATE_HAVE_CALLGRIND)
    throw std::runtime_error(
        "--measure instructions is unavailable: this benchmark executable was built without "
        "<valgrind/callgrind.h>. Install valgrind (Debian: apt-get install valgrind), then "
        "reconfigure and rebuild");
#else
    if (!RUNNING_ON_VALGRIND) {
      throw std::runtime_error(
          "--measure instructions: not running under Valgrind's Callgrind; benchgate-runner "
          "starts the child under valgrind --tool=callgrind");
    }
#endif
  }
  CallgrindBatch() {
#if defined(BENCHGATE_HAVE_CALLGRIND)
    CALLGRIND_START_INSTRUMENTATION;
#endif
    set_callgrind_collect(true);
  }
  ~CallgrindBatch() {
    set_callgrind_collect(false);
#if defined(BENCHGATE_HAVE_CALLGRIND)
    CALLGRIND_STOP_INSTRUMENTATION;
#endif
  }
  CallgrindBatch(const CallgrindBatch&) = delete;
  CallgrindBatch& operator=(const CallgrindBatch&) = delete;
};

// Setup has run: one byte on --setup-fd, then closed, so the runner's batch cap starts now. A
// descriptor that cannot be written is ignored: the runner then keeps the setup cap, which only
// makes the cap looser.
void signal_setup_done(const ChildRequest& r) {
  if (!r.setup_fd) return;
  const char byte = 's';
  while (::write(*r.setup_fd, &byte, 1) < 0 && errno == EINTR) {
  }
  ::close(*r.setup_fd);
}

// The setup state's teardown while a batch may be cut at the cap: the runner sends SIGTERM, and
// SIGKILL only kill_grace_ms later. The handler runs the teardown (at most once: Prepared's
// teardown guards itself), then dies of SIGTERM as before, so the runner sees the same end.
// Teardown then runs in a signal handler, interrupting the measured code: it should do what is
// safe there (unlink a file, close a descriptor). SIGKILL and crashes cannot be caught.
const std::function<void()>* g_teardown_on_term = nullptr;

extern "C" void teardown_on_term(int sig) {
  if (const auto* teardown = g_teardown_on_term) {
    g_teardown_on_term = nullptr;
    try {
      (*teardown)();
    } catch (...) {
    }
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Installs the handler for the life of one child's batches; the destructor runs the teardown
// (after the row's hash, untimed), also when the benchmark threw, and restores SIGTERM.
class TeardownScope {
 public:
  explicit TeardownScope(const std::function<void()>& teardown) : teardown_(teardown) {
    if (!teardown_) return;
    g_teardown_on_term = &teardown_;
    struct sigaction sa {};
    sa.sa_handler = teardown_on_term;
    sigemptyset(&sa.sa_mask);
    installed_ = ::sigaction(SIGTERM, &sa, &old_) == 0;
  }
  // Runs the teardown now; what it throws becomes the row's error.
  void finish() {
    release();
    if (teardown_) teardown_();
  }
  ~TeardownScope() {
    release();
    if (teardown_) {
      try {
        teardown_();  // a no-op after finish()
      } catch (...) {
      }
    }
  }
  TeardownScope(const TeardownScope&) = delete;
  TeardownScope& operator=(const TeardownScope&) = delete;

 private:
  void release() {
    if (!installed_) return;
    ::sigaction(SIGTERM, &old_, nullptr);
    installed_ = false;
    g_teardown_on_term = nullptr;
  }

  std::function<void()> teardown_;
  struct sigaction old_ {};
  bool installed_ = false;
};

template <class Entries>
const auto& find_entry(const Entries& entries, const std::string& name, const char* what) {
  auto it =
      std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.name == name; });
  if (it == entries.end()) throw std::invalid_argument(std::string(what) + name);
  return *it;
}

// The declared throughput at `n` (issue 20); a negative or non-finite value is the author's
// error, reported in the row.
void set_throughput(Row& row, const Throughput& t, std::uint64_t n) {
  for (auto [fn, field, what] : {std::tuple{&t.bytes, &row.bytes_per_call, "bytes_per_call"},
                                 std::tuple{&t.items, &row.items_per_call, "items_per_call"}}) {
    if (!*fn) continue;
    const double v = (*fn)(n);
    if (!std::isfinite(v) || v < 0) {
      throw std::runtime_error(std::string(what) +
                               " is negative or not finite at n = " + std::to_string(n));
    }
    *field = v;
  }
}

// The row's variant object (issue 20), when the benchmark declared variants.
void set_variant(Row& row, const Variant& v) {
  if (v.dims().empty()) return;
  row.variant.emplace(v.dims().begin(), v.dims().end());
}

// The row of a batch that ran: timing, memory and counters of the last batch (autotune returns
// the count of the batch it ran last, so `last` holds that batch).
void fill_measured(Row& row, std::uint64_t count, const detail::Measure& last, bool instructions,
                   const Prepared& prepared) {
  // A .threads(k) batch made `count` calls on each of k threads: the row counts them all, so
  // that per_call_nanos is the wall time per call of the whole process (Google Benchmark's
  // reading too) and a counter or a throughput per call means the same at every k.
  if (prepared.threads > 0) {
    row.threads = prepared.threads;
    count *= prepared.threads;
  }
  row.inner_repeats = count;
  row.total_nanos = last.wall_nanos;
  row.per_call_nanos = static_cast<double>(last.wall_nanos) / static_cast<double>(count);
  row.cpu_nanos = last.cpu_nanos;
  row.peak_rss_kb = last.peak_rss_kb;
  if (row.peak_rss_kb) row.peak_rss_includes_setup = last.peak_rss_includes_setup;
  row.rss_baseline_kb = last.rss_baseline_kb;
  row.alloc_bytes = last.alloc_bytes;
  row.alloc_count = last.alloc_count;
  // Under Callgrind the runner reads the count from Callgrind's output once the child is gone.
  row.measured_under = instructions ? MeasuredUnder::callgrind : MeasuredUnder::native;
  if (!instructions) {
    row.instructions = last.instructions;
    row.cycles = last.cycles;
  }
  row.result_hash = prepared.last_hash();
  // Custom counters per call (issue 20): the batch's sum over its calls.
  const auto sums = batch_counter_sums();
  if (!sums.empty()) {
    std::map<std::string, double> counters;
    for (const auto& [name, sum] : sums) {
      const double per_call = sum / static_cast<double>(count);
      if (!std::isfinite(per_call)) {
        throw std::runtime_error("benchgate::counter '" + name + "' is not finite per call");
      }
      counters[name] = per_call;
    }
    row.counters = std::move(counters);
  }
  if (prepared.per_call_setup) row.per_call_setup = true;
  if (prepared.manual_time) row.manual_time = true;
  row.status = RowStatus::ok;
}

// Runs one batch (with autotune) and returns the row; throws what the benchmark throws. Under
// --measure instructions there is no autotune: the count needs no long batch to be stable, and a
// fixed inner-repeat count keeps it identical from run to run. A warm batch is one call after
// one uncounted warm-up call, a cold one a single call in a fresh process, a fixed one a single
// call (the runner's separate warm-up child still runs first when declared). With
// --inner-repeats N (A/B pairs) a warm batch is N calls after one untimed warm-up call.
Row run_child(const ChildRequest& r) {
  const bool instructions = r.measure == benchgate::Measure::instructions;
  auto& reg = registry();
  Row row;
  row.function = r.bench;
  Prepared prepared;
  std::optional<TeardownScope> teardown;  // declared after prepared: ends before it
  std::uint64_t count = 0;
  detail::Measure last;
  auto time_batch = [&](std::uint64_t n) {
    prepared.run_batch(n, last);
    return last.wall_nanos;
  };
  if (instructions) CallgrindBatch::check_available();
  auto counted_batch = [&] {
    CallgrindBatch counted;
    time_batch(1);
    return std::uint64_t{1};
  };
  if (r.kind == RowKind::parametric) {
    row.kind = RowKind::parametric;
    row.param = r.which;
    row.cache_mode = r.cache_mode;
    row.inner_repeats = 0;
    const auto& entry = find_entry(reg.parametric, r.bench, "unregistered benchmark: ");
    set_throughput(row, entry.throughput, r.which);
    set_variant(row, entry.variant);
    prepared = entry.prepare(r.which);
    teardown.emplace(prepared.teardown);
    signal_setup_done(r);
    if (instructions) {
      if (r.cache_mode == CacheMode::warm) time_batch(1);  // warm-up, not counted
      count = counted_batch();
    } else if (r.inner_repeats) {
      time_batch(1);  // warm-up, not timed into the row
      // The shared count of an A/B pair is a row's inner_repeats: every thread's calls.
      count = std::max<std::uint64_t>(1, *r.inner_repeats / std::max(1u, prepared.threads));
      time_batch(count);
    } else if (r.cache_mode == CacheMode::warm) {
      count = autotune_warm(r.target_nanos, time_batch).count;
    } else {
      count = 1;  // cold: one call in a fresh process, no warmup
      time_batch(1);
    }
  } else {
    row.kind = RowKind::fixed;
    row.repeat_index = r.which;
    const auto& entry = find_entry(reg.fixed, r.bench, "unregistered fixed benchmark: ");
    set_throughput(row, entry.throughput, 0);
    set_variant(row, entry.variant);
    prepared = entry.prepare();
    teardown.emplace(prepared.teardown);
    signal_setup_done(r);
    count = instructions ? counted_batch() : autotune_fixed(r.target_nanos, time_batch).count;
  }
  fill_measured(row, count, last, instructions, prepared);
  teardown->finish();
  return row;
}

// The row of a batch that threw: the request's identity and the error.
Row error_row(const ChildRequest& r, std::string error) {
  Row row;
  row.kind = r.kind;
  row.function = r.bench;
  row.status = RowStatus::error;
  row.error = std::move(error);
  row.total_nanos = 0;
  if (r.kind == RowKind::fixed) {
    row.repeat_index = r.which;
  } else {
    row.param = r.which;
    row.inner_repeats = 0;
    row.cache_mode = r.cache_mode;
  }
  row.measured_under = r.measure == benchgate::Measure::instructions ? MeasuredUnder::callgrind
                                                                     : MeasuredUnder::native;
  return row;
}

}  // namespace

int child_main(const std::vector<std::string>& argv) {
  const ChildRequest r = parse_child_request(argv);
  if (fcntl(r.result_fd, F_GETFD) < 0) {
    throw UsageError("--result-fd " + std::to_string(r.result_fd) +
                     " is not an open file descriptor");
  }
  Row row;
  int code = 0;
  try {
    row = run_child(r);
  } catch (const std::exception& e) {
    row = error_row(r, std::string("benchmark threw: ") + e.what());
    code = 1;
  } catch (...) {
    row = error_row(r, "benchmark threw a non-std::exception");
    code = 1;
  }
  row.env = child_env(r, argv[0]);
  write_all(r.result_fd, write_row(row) + "\n");
  ::close(r.result_fd);
  return code;
}

}  // namespace benchgate::detail
