// What the runner knows of one kind of benchmark executable, behind one small interface
// (docs/design.md, "Adapters"): how to list its benchmarks, the command line of the child that
// measures one batch, and how to read that child's result into a row. Everything else (ladders,
// trials and their interleaving, caps, kills, process groups, interrupts, reports) is the
// runner's and the same for every adapter.
#pragma once

#include <memory>
#include <string>

#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/core/row.hpp"
#include "benchgate/core/run_request.hpp"
#include "benchgate/process/executor.hpp"
#include "classify.hpp"

namespace benchgate {

class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual AdapterKind kind() const = 0;

  // The executable's benchmarks as a list document: each with its kind, its key (`name`) and
  // its configuration (an adapter's defaults; the command line's overrides apply on top).
  // Throws UsageError when the executable cannot be listed, saying what to do.
  virtual ListDocument list(Executor& executor, const std::string& exe) = 0;

  // The child of one batch: sets spawn.argv (and spawn.env if needed). `child` is the batch as
  // the runner planned it (benchmark, param or repeat index, target, inner repeats, env);
  // `result_file` is a path in the run's scratch directory the child may write its result to
  // (parse_result reads it; the runner removes it). Caps are set by the runner.
  virtual void prepare_child(const std::string& exe, const ChildRequest& child,
                             const std::string& result_file, SpawnRequest& spawn) const = 0;

  // Exactly one row for the batch `request` asked for, from how the child ended (`outcome`) and
  // what it left behind. A crash, a hang or a cap is classify_process()'s, as for every adapter.
  virtual Row parse_result(const RowRequest& request, const SpawnResult& outcome,
                           const std::string& result_file) const = 0;

  // Whether the executable speaks benchgate's own protocol beyond listing and one batch (the
  // spawn floor's --benchgate-probe, --benchgate-complexity, setup descriptors, inner repeats,
  // Callgrind's client requests, A/B pairs): only the native adapter does.
  virtual bool native_protocol() const { return false; }
};

// Executables built with benchgate_add_benchmark(): --benchgate-list, the --benchgate-child
// request, one row on the result descriptor (classify()). What the runner always did.
class NativeAdapter final : public Adapter {
 public:
  AdapterKind kind() const override { return AdapterKind::native; }
  ListDocument list(Executor& executor, const std::string& exe) override;
  void prepare_child(const std::string& exe, const ChildRequest& child,
                     const std::string& result_file, SpawnRequest& spawn) const override;
  Row parse_result(const RowRequest& request, const SpawnResult& outcome,
                   const std::string& result_file) const override;
  bool native_protocol() const override { return true; }
};

// The adapter of `kind`; `benchmark_filter` is Google Benchmark's --benchmark_filter at listing
// time (ignored by the native adapter).
std::unique_ptr<Adapter> make_adapter(AdapterKind kind, const std::string& benchmark_filter = "");

}  // namespace benchgate
