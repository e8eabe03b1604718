// JSONL files: strict line-by-line reading with file:line:col errors, and whole-or-nothing writes.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "benchgate/core/row.hpp"

namespace benchgate {

// An input error already formatted as "file:line:col: what (near '...')".
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Calls on_row for each row in order, without holding the file in memory. Blank lines are
// skipped; a trailing '\r' is dropped; each line reads as parse_row reads it (a UTF-8 byte order
// mark before it is skipped). Throws InputError on a missing or unreadable file, a line that is
// not a valid row (a last line cut short says so), or a line longer than 4 MiB, which is not read
// whole: memory stays bounded whatever the file holds.
void for_each_row(const std::string& path, const std::function<void(Row&&)>& on_row);
std::vector<Row> read_rows(const std::string& path);

// for_each_row for readers that keep little of each row (reductions of large files): the same rows
// in the same order with the same errors, without a Row per line. `row` is one object reused for
// every line (copy what you keep) and its env is left empty; `env` is the row's env, or null.
// Rows whose env objects are byte-identical mostly share one Env (RowReader remembers a few).
using RowVisitor = std::function<void(const Row& row, const std::shared_ptr<const Env>& env)>;
void visit_rows(const std::string& path, const RowVisitor& visit);

// Writes content to path through a temporary file in the same directory and a rename, so
// readers see either the old file or the whole new one. Throws std::runtime_error naming the
// path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace benchgate
