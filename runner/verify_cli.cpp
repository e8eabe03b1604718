// The verify command's cxxopts specification and parser.
#include "verify_cli.hpp"

#include <algorithm>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/parse_args.hpp"
#include "benchgate/core/run_request.hpp"

namespace benchgate {
namespace {

cxxopts::Options verify_options() {
  cxxopts::Options options("benchgate-runner verify",
                           "Smoke-check every benchmark of EXE in children with the declared cap: "
                           "params 0 and 1 of each parametric benchmark, one call of each fixed "
                           "one. Exit 0 when all pass, 1 when any fails.");
  options.add_options()("exe", "benchmark executable", cxxopts::value<std::string>())(
      "bench", "verify only this benchmark (repeatable)", cxxopts::value<VerbatimArgs>())(
      "filter", "verify benchmarks whose name contains TEXT",
      cxxopts::value<std::string>()->default_value(""))(
      "tag", "verify benchmarks carrying this tag (repeatable)", cxxopts::value<VerbatimArgs>())(
      "h,help", "show this help");
  options.parse_positional({"exe"});
  options.positional_help("EXE");
  return options;
}

std::vector<std::string> unique(const cxxopts::ParseResult& p, const char* flag) {
  std::vector<std::string> out;
  if (!p.count(flag)) return out;
  for (const auto& n : p[flag].as<VerbatimArgs>().items) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

}  // namespace

std::optional<VerifyRequest> parse_verify_request(const std::vector<std::string>& args) {
  cxxopts::Options options = verify_options();
  const cxxopts::ParseResult p = parse_args(options, args, "\n" + std::string(kRunnerUsage));
  if (p.count("help")) return std::nullopt;
  if (!p.count("exe")) {
    throw UsageError(std::string("verify needs the benchmark executable\n") + kRunnerUsage);
  }
  VerifyRequest r;
  r.exe = p["exe"].as<std::string>();
  r.benches = unique(p, "bench");
  r.filter = p["filter"].as<std::string>();
  r.tags = unique(p, "tag");
  return r;
}

std::string verify_help() {
  return verify_options().help();
}

}  // namespace benchgate
