// The runner <-> benchmark executable requests: argv out, argv in.
#include "benchgate/core/protocol.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <tuple>

#include "benchgate/core/cli.hpp"

namespace benchgate {
namespace {

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
// A descriptor number the child could have been given (the kernel's limit is far lower).
constexpr std::uint64_t kMaxFd = 65535;

auto tie(const ChildRequest& r) {
  return std::tie(r.bench, r.kind, r.which, r.cache_mode, r.target_nanos, r.result_fd, r.env_json,
                  r.measure, r.inner_repeats, r.setup_fd);
}

// Walks "--flag value" pairs and lone flags, naming what is missing or unknown.
class FlagReader {
 public:
  FlagReader(const std::vector<std::string>& argv, std::size_t first, const char* mode)
      : argv_(argv), i_(first), mode_(mode) {}

  bool next() { return i_ < argv_.size() && (flag_ = argv_[i_++], true); }
  const std::string& flag() const { return flag_; }
  const std::string& value() {
    if (i_ >= argv_.size()) throw UsageError(flag_ + " needs a value");
    return argv_[i_++];
  }
  [[noreturn]] void unknown() const {
    throw UsageError("unknown flag '" + flag_ + "' in " + mode_ + " mode");
  }

 private:
  const std::vector<std::string>& argv_;
  std::size_t i_;
  const char* mode_;
  std::string flag_;
};

// The flag name without its leading dashes, as parse_count names it.
std::string bare(const std::string& flag) {
  return flag.substr(flag.find_first_not_of('-'));
}

}  // namespace

const char* to_string(Measure measure) {
  return measure == Measure::instructions ? "instructions" : "time";
}

std::optional<Measure> parse_measure(const std::string& text) {
  if (text == "time") return Measure::time;
  if (text == "instructions") return Measure::instructions;
  return std::nullopt;
}

bool operator==(const ChildRequest& a, const ChildRequest& b) {
  return tie(a) == tie(b);
}

std::vector<std::string> to_argv(const std::string& exe, const ChildRequest& r) {
  std::vector<std::string> argv{exe, kChildFlag, "--bench", r.bench};
  if (r.kind == RowKind::parametric) {
    argv.insert(argv.end(), {"--param", std::to_string(r.which)});
  } else {
    argv.insert(argv.end(), {"--fixed", "--repeat-index", std::to_string(r.which)});
  }
  argv.insert(argv.end(),
              {"--cache-mode", to_string(r.cache_mode), "--target-nanos",
               std::to_string(r.target_nanos), "--result-fd", std::to_string(r.result_fd)});
  if (r.env_json) argv.insert(argv.end(), {"--env-json", *r.env_json});
  if (r.measure != Measure::time) argv.insert(argv.end(), {"--measure", to_string(r.measure)});
  if (r.inner_repeats) {
    argv.insert(argv.end(), {"--inner-repeats", std::to_string(*r.inner_repeats)});
  }
  if (r.setup_fd) argv.insert(argv.end(), {"--setup-fd", std::to_string(*r.setup_fd)});
  return argv;
}

ChildRequest parse_child_request(const std::vector<std::string>& argv) {
  ChildRequest r;
  bool fixed = false, have_param = false, have_target = false, have_fd = false;
  FlagReader in(argv, 2, "child");
  while (in.next()) {
    const std::string& flag = in.flag();
    if (flag == "--bench") {
      r.bench = in.value();
    } else if (flag == "--fixed") {
      fixed = true;
    } else if (flag == "--param" || flag == "--repeat-index") {
      r.which = parse_count(bare(flag), in.value(), 0, kMaxU64);
      have_param = have_param || flag == "--param";
    } else if (flag == "--target-nanos") {
      r.target_nanos = parse_count("target-nanos", in.value(), 0, kMaxU64);
      have_target = true;
    } else if (flag == "--result-fd") {
      r.result_fd = static_cast<int>(parse_count("result-fd", in.value(), 0, kMaxFd));
      have_fd = true;
    } else if (flag == "--setup-fd") {
      r.setup_fd = static_cast<int>(parse_count("setup-fd", in.value(), 0, kMaxFd));
    } else if (flag == "--env-json") {
      r.env_json = in.value();
    } else if (flag == "--inner-repeats") {
      r.inner_repeats = parse_count("inner-repeats", in.value(), 1, kMaxU64);
    } else if (flag == "--cache-mode") {
      const std::string& text = in.value();
      const auto mode = parse_cache_mode(text);
      if (!mode) throw UsageError("--cache-mode '" + text + "': must be warm or cold");
      r.cache_mode = *mode;
    } else if (flag == "--measure") {
      const std::string& text = in.value();
      const auto m = parse_measure(text);
      if (!m) throw UsageError("--measure '" + text + "': must be time or instructions");
      r.measure = *m;
    } else {
      in.unknown();
    }
  }
  r.kind = fixed ? RowKind::fixed : RowKind::parametric;
  if (r.bench.empty()) throw UsageError("child mode needs --bench NAME");
  if (!have_fd) throw UsageError("child mode needs --result-fd FD");
  if (!fixed && !have_param) throw UsageError("parametric child mode needs --param N");
  if (!have_target) throw UsageError("child mode needs --target-nanos T");
  if (r.inner_repeats && (fixed || r.cache_mode != CacheMode::warm || r.measure != Measure::time)) {
    throw UsageError("--inner-repeats is for warm parametric batches measured in time only");
  }
  return r;
}

bool operator==(const ComplexityRequest& a, const ComplexityRequest& b) {
  return a.bench == b.bench && a.params == b.params;
}

std::vector<std::string> to_argv(const std::string& exe, const ComplexityRequest& r) {
  std::vector<std::string> argv{exe, kComplexityFlag, "--bench", r.bench};
  for (std::uint64_t p : r.params) argv.push_back(std::to_string(p));
  return argv;
}

ComplexityRequest parse_complexity_request(const std::vector<std::string>& argv) {
  if (argv.size() < 4 || argv[2] != "--bench") {
    throw UsageError("complexity mode needs --bench NAME followed by params");
  }
  ComplexityRequest r;
  r.bench = argv[3];
  for (std::size_t i = 4; i < argv.size(); ++i)
    r.params.push_back(parse_count("param", argv[i], 0, kMaxU64));
  return r;
}

std::string format_complexity_answer(const std::map<std::uint64_t, double>& values) {
  std::string out;
  for (const auto& [p, c] : values) {
    char line[64];
    std::snprintf(line, sizeof line, "%llu %.17g\n", static_cast<unsigned long long>(p), c);
    out += line;
  }
  return out;
}

std::map<std::uint64_t, double> parse_complexity_answer(const std::string& text) {
  std::map<std::uint64_t, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string p_text, c_text;
    if (!(fields >> p_text >> c_text)) continue;
    char* end = nullptr;
    errno = 0;
    const unsigned long long p = std::strtoull(p_text.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) continue;
    const double c = std::strtod(c_text.c_str(), &end);  // accepts "inf" and "nan"
    if (*end != '\0') continue;
    out[p] = c;
  }
  return out;
}

}  // namespace benchgate
