// `benchgate-runner verify`'s command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "run_command.hpp"

namespace benchgate {

// What follows `verify` (args[0] is taken as the program name). nullopt when --help was asked
// for. Throws UsageError ending with the runner's usage.
std::optional<VerifyRequest> parse_verify_request(const std::vector<std::string>& args);

std::string verify_help();

}  // namespace benchgate
