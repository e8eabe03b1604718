// Parsing thresholds written as "5%" or "0.05".
#pragma once

#include <optional>
#include <string>

namespace benchgate {

// "5%" -> 0.05, "0.05" -> 0.05, "12.5%" -> 0.125. Returns nullopt for anything else: empty,
// negative, not a number, trailing junk, NaN or infinite, or above 1000% (a typo, not a gate).
std::optional<double> parse_threshold(const std::string& text);

// Non-negative finite number ("0", "250", "1e3") for the absolute floors; nullopt otherwise.
std::optional<double> parse_non_negative(const std::string& text);

}  // namespace benchgate
