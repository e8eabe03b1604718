// The adapter interface's native implementation and the factory.
#include "adapter.hpp"

#include "gbench_adapter.hpp"
#include "listing.hpp"

namespace benchgate {

ListDocument NativeAdapter::list(Executor& executor, const std::string& exe) {
  return load_list(executor, exe);
}

void NativeAdapter::prepare_child(const std::string& exe, const ChildRequest& child,
                                  const std::string& /*result_file*/, SpawnRequest& spawn) const {
  spawn.argv = to_argv(exe, child);  // the row comes back on the result descriptor
}

Row NativeAdapter::parse_result(const RowRequest& request, const SpawnResult& outcome,
                                const std::string& /*result_file*/) const {
  return classify(request, outcome);
}

std::unique_ptr<Adapter> make_adapter(AdapterKind kind, const std::string& benchmark_filter) {
  switch (kind) {
    case AdapterKind::native: return std::make_unique<NativeAdapter>();
    case AdapterKind::google_benchmark: return std::make_unique<GbenchAdapter>(benchmark_filter);
  }
  return std::make_unique<NativeAdapter>();
}

}  // namespace benchgate
