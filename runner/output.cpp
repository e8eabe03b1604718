// Writing the run's rows files.
#include "output.hpp"

#include <filesystem>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/jsonl.hpp"

namespace benchgate {

void prepare_output(const std::string& flag, const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw UsageError("--" + flag + " '" + path + "': cannot create its directory: " + ec.message());
  }
}

std::optional<int> write_outputs(const std::vector<OutputFile>& files, const ProcessGuard& guard,
                                 std::ostream& out, std::ostream& err) {
  if (files.empty()) return std::nullopt;
  guard.throw_if_interrupted();  // an interrupted run leaves the files as they were
  for (const auto& f : files) {
    {
      // Held while the temporary file exists, so an interrupt cannot leave it behind.
      InterruptsHeld held;
      write_file_atomically(f.path, f.content);
    }
    out << f.what << " written to " << f.path << "\n";
  }
  if (const int sig = guard.interrupt_signal()) {  // arrived while the files were being written
    err << "benchgate-runner: interrupted by " << signal_name(sig)
        << " after the rows were written\n";
    return Interrupted{sig}.exit_code();
  }
  return std::nullopt;
}

}  // namespace benchgate
