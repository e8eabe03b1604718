// The modes that describe the executable: the list document, the declared complexity, the
// human-readable list and the usage text.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/env.hpp"
#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/protocol.hpp"
#include "modes.hpp"
#include "registry.hpp"

namespace benchgate::detail {
namespace {

constexpr const char* kUsage =
    "Protocol modes (used by benchgate-runner):\n"
    "  --benchgate-list       print the registered benchmarks as JSON\n"
    "  --benchgate-probe      start and exit 0 (the runner's spawn floor)\n"
    "  --benchgate-complexity --bench NAME P...\n"
    "                         print 'P C(P)' per param: the declared complexity\n"
    "  --benchgate-child --bench NAME [--param N | --fixed --repeat-index I]\n"
    "      --cache-mode warm|cold --target-nanos T --result-fd FD [--env-json J]\n"
    "      [--measure time|instructions] [--inner-repeats N] [--setup-fd FD]\n";
ListDocument list_document(const std::string& exe) {
  ListDocument doc;
  doc.suite = base_name(exe);
  const auto& build = registry().build;
  doc.compiler = non_empty(build.compiler);
  doc.compiler_version = non_empty(build.compiler_version);
  doc.build_type = non_empty(build.build_type);
#if defined(BENCHGATE_HAVE_CALLGRIND)
  doc.callgrind = true;
#endif
  doc.inner_repeats = true;
  doc.setup_fd = true;
  for (const auto& e : registry().parametric) {
    BenchmarkInfo info;
    info.name = e.name;
    info.kind = RowKind::parametric;
    info.complexity = e.complexity_text;
    info.hashable = e.hashable;
    info.config = e.config;
    doc.benchmarks.push_back(std::move(info));
  }
  for (const auto& e : registry().fixed) {
    BenchmarkInfo info;
    info.name = e.name;
    info.kind = RowKind::fixed;
    info.hashable = e.hashable;
    info.fixed_config = e.config;
    doc.benchmarks.push_back(std::move(info));
  }
  return doc;
}

}  // namespace

// The declared complexity evaluated where the runner needs it (schedule choice, linear sweep,
// verdict): the function is C++ and lives only here.
int complexity_main(const std::vector<std::string>& argv) {
  const ComplexityRequest r = parse_complexity_request(argv);
  const auto& reg = registry();
  auto it = std::find_if(reg.parametric.begin(), reg.parametric.end(),
                         [&](const auto& e) { return e.name == r.bench; });
  if (it == reg.parametric.end()) {
    throw UsageError("--bench '" + r.bench + "' is not a registered parametric benchmark");
  }
  std::map<std::uint64_t, double> values;
  // No declared complexity: no values, which the runner reads as values it could not get.
  if (it->complexity) {
    for (std::uint64_t p : r.params) values[p] = it->complexity(static_cast<double>(p));
  }
  std::cout << format_complexity_answer(values) << std::flush;
  return 0;
}

void print_list_document(const std::string& exe) {
  std::cout << write_list_doc(list_document(exe)) << "\n";
}

void print_human_list(const std::string& exe) {
  std::cout << base_name(exe) << ": registered benchmarks (run " << base_name(exe)
            << " --help for how to measure them):\n";
  const auto doc = list_document(exe);
  if (doc.benchmarks.empty()) std::cout << "  (no benchmarks registered)\n";
  for (const auto& b : doc.benchmarks) {
    std::cout << "  " << b.name;
    if (b.kind == RowKind::parametric) {
      std::cout << "    expected complexity: "
                << (b.complexity.empty() ? "(none declared)" : b.complexity);
    } else {
      std::cout << "    [fixed] repeats=" << b.fixed_config.repeats;
    }
    if (!b.hashable) std::cout << "  (no hash)";
    std::cout << "\n";
  }
}

void print_usage() {
  std::cout << kUsage;
}

}  // namespace benchgate::detail
