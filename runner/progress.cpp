// Progress lines on stderr.
#include "progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "benchgate/core/plan.hpp"
#include "report.hpp"
#include "run.hpp"

namespace benchgate {
namespace {

constexpr const char* kLinePrefix = "benchgate-runner: ";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[33m";

// "8.2 s", "45 s", "3 min 05 s": an estimate needs no more digits.
std::string seconds_text(double seconds) {
  seconds = std::max(0.0, seconds);
  char buf[48];
  if (seconds < 10) {
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  } else if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  } else {
    const auto whole = static_cast<long long>(std::llround(seconds));
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", whole / 60, whole % 60);
  }
  return buf;
}

// A ladder's ceiling by time: about ladder_seconds for the whole benchmark (docs/cli.md).
std::optional<double> time_bound(const BenchmarkInfo& info) {
  if (!time_ceiling(info)) return std::nullopt;
  return info.config.ladder_seconds;
}

}  // namespace

ProgressMode progress_mode(bool quiet, bool progress, bool stderr_is_terminal) {
  if (quiet) return ProgressMode::off;
  if (progress) return ProgressMode::every_batch;
  return stderr_is_terminal ? ProgressMode::live : ProgressMode::periodic;
}

bool use_colour(bool stderr_is_terminal, const char* no_color_env) {
  return stderr_is_terminal && (no_color_env == nullptr || *no_color_env == '\0');
}

std::uint64_t planned_batches(const BenchmarkInfo& info) {
  if (info.kind == RowKind::fixed) {
    return info.fixed_config.repeats + (info.fixed_config.warmup ? 1 : 0);
  }
  const BenchmarkConfig& c = info.config;
  std::uint64_t rungs = c.param_schedule.shape == ParamSchedule::Shape::custom
                            ? c.param_schedule.custom_params.size()
                            : doubling_ladder(c.param_floor, c.param_ceiling).size();
  if (c.param_schedule.shape == ParamSchedule::Shape::linear) {
    rungs += c.param_schedule.linear_samples;
  }
  return rungs * c.outer_trials;
}

Progress::Progress(std::ostream& err, ProgressMode mode, bool colour,
                   std::function<std::int64_t()> now, std::int64_t interval_nanos)
    : err_(err), mode_(mode), colour_(colour), now_(std::move(now)), interval_(interval_nanos) {}

Progress::~Progress() {
  finish();
}

void Progress::start_run(const std::vector<BenchmarkInfo>& benchmarks) {
  benchmarks_ = benchmarks;
  run_start_ = now_();
}

void Progress::start_benchmark(std::size_t index) {
  index_ = index;
  done_ = 0;
  planned_ = index < benchmarks_.size() ? planned_batches(benchmarks_[index]) : 0;
  bench_start_ = now_();
  last_line_.reset();
}

std::optional<double> Progress::benchmark_eta(std::int64_t now) const {
  if (done_ == 0) return std::nullopt;
  const double elapsed = static_cast<double>(now - bench_start_) / 1e9;
  const double left = static_cast<double>(std::max(planned_, done_) - done_);
  double eta = left * elapsed / static_cast<double>(done_);
  if (index_ < benchmarks_.size()) {
    if (const auto bound = time_bound(benchmarks_[index_])) {
      eta = std::min(eta, std::max(0.0, *bound - elapsed));
    }
  }
  return eta;
}

std::string Progress::counts(std::int64_t now) const {
  std::string text = "[" + std::to_string(index_ + 1) + "/" + std::to_string(benchmarks_.size()) +
                     ": " + std::to_string(done_) + "/" +
                     std::to_string(std::max(planned_, done_)) + " batches, " +
                     seconds_text(static_cast<double>(now - bench_start_) / 1e9);
  const auto eta = benchmark_eta(now);
  if (eta) {
    text += ", ETA " + seconds_text(*eta);
    // The benchmarks still to come, at the run's mean batch time so far.
    const std::uint64_t batches = run_batches_ + done_;
    const double mean =
        batches == 0 ? 0
                     : static_cast<double>(now - run_start_) / 1e9 / static_cast<double>(batches);
    double rest = *eta;
    for (std::size_t i = index_ + 1; i < benchmarks_.size(); ++i) {
      double guess = static_cast<double>(planned_batches(benchmarks_[i])) * mean;
      if (const auto bound = time_bound(benchmarks_[i])) guess = std::min(guess, *bound);
      rest += guess;
    }
    if (index_ + 1 < benchmarks_.size()) text += "; run ETA " + seconds_text(rest);
  }
  return text + "]";
}

std::string Progress::paint(const std::string& text, const char* colour) const {
  return colour_ ? colour + text + "\033[0m" : text;
}

void Progress::emit(const std::string& line, bool keep) {
  if (mode_ == ProgressMode::live) {
    err_ << "\r\033[K" << line << (keep ? "\n" : "") << std::flush;
    live_open_ = !keep;
  } else {
    err_ << line << "\n" << std::flush;
  }
}

void Progress::batch(const BenchmarkInfo& info, const Row& row, bool warmup) {
  if (mode_ == ProgressMode::off) return;
  ++done_;
  const std::int64_t now = now_();
  const bool due = !last_line_ || now - *last_line_ >= interval_;
  if (mode_ == ProgressMode::periodic && !due) return;
  last_line_ = now;
  std::string line = progress_line(info, row);
  const std::string status = row.status == RowStatus::ok ? "ok" : to_string(row.status);
  if (const auto at = line.find(" " + status, info.name.size()); at != std::string::npos) {
    line.replace(at + 1, status.size(), paint(status, row.status == RowStatus::ok ? kGreen : kRed));
  }
  if (warmup) line += " (warmup, discarded)";
  emit(kLinePrefix + line + " " + counts(now), false);
}

void Progress::end_benchmark(std::size_t rows, bool usable, bool budget_truncated) {
  const std::int64_t now = now_();
  run_batches_ += done_;
  if (mode_ == ProgressMode::off || index_ >= benchmarks_.size()) return;
  std::string line = std::string(kLinePrefix) + benchmarks_[index_].name + " " +
                     (usable ? paint("done", kGreen) : paint("no usable data", kRed)) + " [" +
                     std::to_string(index_ + 1) + "/" + std::to_string(benchmarks_.size()) + ": " +
                     std::to_string(rows) + " rows in " +
                     seconds_text(static_cast<double>(now - bench_start_) / 1e9) + "]";
  if (budget_truncated) line += " " + paint("(budget truncated)", kYellow);
  emit(line, true);
}

void Progress::finish() {
  if (live_open_) err_ << "\r\033[K" << std::flush;
  live_open_ = false;
}

}  // namespace benchgate
