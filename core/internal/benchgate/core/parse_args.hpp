// The tools' use of cxxopts in one place: an argv (args[0] the program) parsed with a tool's
// options, its errors turned into UsageError. Internal to the build (cxxopts is not a dependency
// of an installed benchgate), so not under core/include.
#pragma once

// cxxopts without std::regex, in every unit that includes it (only through this header, so that
// all agree): with regexes, each such unit builds six std::regex objects at start-up (11 MB more
// resident under ASan for compare's three units), and the hand-written matcher cxxopts uses
// instead reads the same syntax.
#ifndef CXXOPTS_NO_REGEX
#define CXXOPTS_NO_REGEX true
#endif
#include <cxxopts.hpp>
#include <string>
#include <vector>

namespace benchgate {

// Parses `args`; a cxxopts error or a stray argument ("unexpected argument 'x'") throws
// UsageError with `suffix` appended to the message (e.g. the tool's usage, or " (see --help)").
cxxopts::ParseResult parse_args(cxxopts::Options& options, const std::vector<std::string>& args,
                                const std::string& suffix);

}  // namespace benchgate
