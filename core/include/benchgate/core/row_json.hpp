// JSON form of rows and env objects (RapidJSON behind this interface): one row per line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "benchgate/core/row.hpp"

namespace benchgate {

// A reader error with the 1-based column of the offending character in the line.
struct JsonError {
  std::size_t column = 1;
  std::string message;
};

// Writes one compact JSON object (no newline). Every row field is written, absent ones as null.
// Throws std::invalid_argument if a value cannot be represented (NaN or infinite per-call time).
std::string write_row(const Row& row);
std::string write_env(const Env& env);

// Parses exactly one JSON document; trailing non-whitespace is an error. Unknown keys are
// ignored, absent optional keys read as null, an unsupported schema_version is an error that
// names it, and a known key with the wrong type is an error that names the key.
std::variant<Row, JsonError> parse_row(std::string_view line);
std::variant<Env, JsonError> parse_env(std::string_view text);

// "0x" + lowercase hex without padding, as the schema writes result_hash.
std::string format_hash(std::uint64_t hash);
std::optional<std::uint64_t> parse_hash(std::string_view text);

}  // namespace benchgate
