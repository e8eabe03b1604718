// The `--benchgate-list` document: what a benchmark executable declares, as the runner reads it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "benchgate/config.hpp"
#include "benchgate/core/row.hpp"
#include "benchgate/core/row_json.hpp"

namespace benchgate {

inline constexpr int kListVersion = 1;

struct BenchmarkInfo {
  std::string name;
  RowKind kind = RowKind::parametric;
  std::string complexity;  // display text of the declared complexity (parametric only)
  bool hashable = false;
  BenchmarkConfig config;             // parametric
  FixedBenchmarkConfig fixed_config;  // fixed
  const std::vector<std::string>& tags() const {
    return kind == RowKind::parametric ? config.tags : fixed_config.tags;
  }
};

struct ListDocument {
  std::string suite;                      // the executable's name
  std::vector<BenchmarkInfo> benchmarks;  // declaration order
  // How the executable was built (null when unknown); the runner copies them into the env of
  // every row so rows it synthesizes match the ones the child writes.
  std::optional<std::string> compiler = std::nullopt;
  std::optional<std::string> compiler_version = std::nullopt;
  std::optional<std::string> build_type = std::nullopt;
  // Whether the executable was built with <valgrind/callgrind.h>, so it can switch Callgrind's
  // collection around its batches: the `instructions` measure needs it. Absent reads as false.
  bool callgrind = false;
  // Whether the executable's child mode accepts --inner-repeats (a shared call count for A/B
  // pairs). Absent reads as false: an executable built against an older benchgate gets the
  // autotune in both children of a pair.
  bool inner_repeats = false;
  // Whether the executable's child mode accepts --setup-fd (it says when setup ended, so that
  // setup gets its own cap). Absent reads as false: an older executable's cap counts from its
  // start, setup included.
  bool setup_fd = false;
};

std::string write_list_doc(const ListDocument& doc);
std::variant<ListDocument, JsonError> parse_list_doc(std::string_view text);

}  // namespace benchgate
