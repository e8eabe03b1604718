// JSON form of rows and env objects (RapidJSON behind this interface): one row per line.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

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
// names it, and a known key with the wrong type is an error that names the key and is located
// at it. Also errors: a key named twice in the row or its env, nesting deeper than 64 levels, a
// NUL byte, NaN or Infinity (not JSON). A UTF-8 byte order mark before the document is skipped;
// columns count the bytes of `line`, the mark's included.
std::variant<Row, JsonError> parse_row(std::string_view line);
std::variant<Env, JsonError> parse_env(std::string_view text);

// parse_row for many lines in a row, the reader of large files: the same Row or the same JsonError
// for every line, faster. A line in exactly the layout write_row emits (its key order, compact,
// strings without escapes) is read by a fast path; any other line, and any value the fast path does
// not fully understand, goes through parse_row's strict reader. An env object byte-identical to one
// of the last few the fast path read is not parsed again: its Env is shared.
class RowReader {
 public:
  // Reads one line into `row`, assigning every field (its strings keep their capacity), except that
  // row.env is left empty: the env goes to `env` instead, null when the row has none. Returns the
  // error parse_row would return, or nullopt; after an error `row` and `env` are unspecified.
  std::optional<JsonError> read(std::string_view line, Row& row, std::shared_ptr<const Env>& env);

 private:
  // The last env objects the fast path read, byte for byte, and what they say: a few, because the
  // rows of several benchmark executables may alternate.
  struct KnownEnv {
    std::string text;
    std::shared_ptr<const Env> env;
  };
  std::vector<KnownEnv> envs_;
  std::size_t last_ = 0;  // the entry the previous env matched
  std::size_t next_ = 0;  // the entry a new env replaces once all are in use
};

namespace detail {
// The two readers behind parse_row, for the test that holds them equal: the strict RapidJSON
// reader, and the fast path alone (nullopt for a line it leaves to the strict reader).
std::variant<Row, JsonError> parse_row_strict(std::string_view line);
std::optional<Row> parse_row_fast(std::string_view line);
}  // namespace detail

// "0x" + lowercase hex without padding, as the schema writes result_hash.
std::string format_hash(std::uint64_t hash);
std::optional<std::uint64_t> parse_hash(std::string_view text);

}  // namespace benchgate
