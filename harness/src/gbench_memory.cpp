// benchgate::gbench_memory: a Google Benchmark MemoryManager, registered by a static
// initialiser, for executables that stay unchanged (docs/google-benchmark.md, "Memory").
//
// Google Benchmark runs each benchmark once more under a registered manager (min(16, iterations)
// iterations in 1.7.1), between Start() and Stop(). Around that run this manager takes the same
// probes as the native harness around its timed batch (measure_start/measure_stop: the counting
// operator new of benchgate::alloc_count, linked beside it, and the resident-set high-water mark
// reset through /proc/self/clear_refs and read from VmHWM), and writes them to the file the
// environment variable BENCHGATE_GBENCH_MEMORY_OUT names (benchgate-runner sets it for each
// child): one line "alloc_bytes alloc_count peak_rss_kb includes_setup" ("-" for an unknown
// peak; includes_setup 1 when the mark could not be reset). Without the variable it only fills
// Google Benchmark's own result.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "benchgate/benchgate.hpp"

namespace {

class CountingMemoryManager final : public benchmark::MemoryManager {
 public:
  void Start() override {
    m_ = benchgate::detail::Measure{};
    benchgate::detail::measure_start(m_);
  }

  void Stop(Result& result) override {
    benchgate::detail::measure_stop(m_);
    result.num_allocs = static_cast<std::int64_t>(m_.alloc_count.value_or(0));
    result.total_allocated_bytes = static_cast<std::int64_t>(m_.alloc_bytes.value_or(0));
    write();
  }

  // Pure in 1.7.1, deprecated in favour of the reference version later: both lead here.
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  void Stop(Result* result) override { Stop(*result); }
  BENCHMARK_RESTORE_DEPRECATED_WARNING

 private:
  void write() const {
    const char* path = std::getenv("BENCHGATE_GBENCH_MEMORY_OUT");
    if (path == nullptr || *path == '\0') return;
    std::FILE* f = std::fopen(path, "w");
    if (f == nullptr) return;  // the runner then falls back to the child's ru_maxrss
    char peak[32] = "-";
    if (m_.peak_rss_kb)
      std::snprintf(peak, sizeof peak, "%llu", static_cast<unsigned long long>(*m_.peak_rss_kb));
    std::fprintf(f, "%llu %llu %s %d\n",
                 static_cast<unsigned long long>(m_.alloc_bytes.value_or(0)),
                 static_cast<unsigned long long>(m_.alloc_count.value_or(0)), peak,
                 m_.peak_rss_includes_setup ? 1 : 0);
    std::fclose(f);
  }

  benchgate::detail::Measure m_;
};

CountingMemoryManager g_manager;
[[maybe_unused]] const bool g_registered = (benchmark::RegisterMemoryManager(&g_manager), true);

}  // namespace
