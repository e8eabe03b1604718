// The strict JSON reader that row and list documents share (private to libbenchgate_core).
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "benchgate/core/row_json.hpp"

namespace benchgate::detail {

// One parsed JSON text. It was parsed in place: the keys and strings of `doc` point into
// `buffer`, so an error found while reading it can name the column of a key.
struct JsonText {
  std::string buffer;     // the text after a skipped byte order mark
  std::size_t skipped{};  // bytes skipped before `buffer` (0 or the 3 of a byte order mark)
  rapidjson::Document doc;

  // The 1-based column in the original text of the byte at `p`, which points into `buffer`.
  std::size_t column_of(const char* p) const {
    return skipped + static_cast<std::size_t>(p - buffer.data()) + 1;
  }
};

// Parses exactly one JSON document, or says why not with the column of the fault. On top of
// RapidJSON's grammar: a leading UTF-8 byte order mark is skipped; a raw NUL byte is an error
// (RapidJSON would take it for the end of the text); nesting deeper than 64 levels is refused;
// a number is read as RapidJSON reads it when not asked for full precision (an integer that fits
// 64 bits as an integer, anything else as a double) but every double is correctly rounded, by
// std::from_chars. RapidJSON 1.1.0's own full-precision path misreads some numbers and can read
// out of bounds (Tencent/rapidjson#1290, #2326; docs/lab/2026-11-28-fuzzing.md).
std::variant<std::unique_ptr<JsonText>, JsonError> parse_json_text(std::string_view text);

// A string from a document as an error message quotes it: at most 40 bytes, each control
// character, DEL included, shown as '?', so that a value can neither cut a message short (NUL)
// nor drive the terminal (ESC).
std::string printable(std::string_view s);

}  // namespace benchgate::detail
