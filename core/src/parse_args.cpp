// cxxopts behind the tools' command lines.
#include "benchgate/core/parse_args.hpp"

#include "benchgate/core/cli.hpp"

namespace benchgate {

cxxopts::ParseResult parse_args(cxxopts::Options& options, const std::vector<std::string>& args,
                                const std::string& suffix) {
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  cxxopts::ParseResult p;
  try {
    p = options.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(e.what() + suffix);
  }
  if (!p.count("help") && !p.unmatched().empty())
    throw UsageError("unexpected argument '" + p.unmatched().front() + "'" + suffix);
  return p;
}

}  // namespace benchgate
