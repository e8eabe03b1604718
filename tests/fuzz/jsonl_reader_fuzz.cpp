// Fuzzes the JSONL file reader (read_rows -> for_each_row -> visit_rows: block-buffered line
// splitting and one RowReader, with its env cache, across every line) on whole multi-line files.
//
// Invariant: the file reads as its lines read one by one through parse_row, split as documented
// (on '\n'; a final line without one counts; one trailing '\r' dropped; blank or space/tab-only
// lines skipped): the same rows in the same order with the same envs, or, at the first bad line,
// an InputError "path:line:col: message (near '...')" naming that line, column and message.
// The input is written to a memfd and read through /proc/self/fd: no files on disk.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "fuzz_check.hpp"

namespace {

using benchgate::JsonError;
using benchgate::Row;
using benchgate::fuzz::printable;

// One memfd for the whole run, rewritten for every input.
int input_fd() {
  static const int fd = [] {
    const int f = ::memfd_create("benchgate-fuzz-jsonl", MFD_CLOEXEC);
    if (f < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    return f;
  }();
  return fd;
}

void write_input(std::string_view bytes) {
  const int fd = input_fd();
  if (::ftruncate(fd, 0) != 0) std::abort();
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
}

struct Expected {
  std::vector<Row> rows;
  // The first bad line: its number and parse_row's error.
  std::optional<std::pair<std::size_t, JsonError>> error;
};

Expected expected_reading(std::string_view text) {
  Expected out;
  std::size_t number = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto parsed = benchgate::parse_row(line);
    if (auto* e = std::get_if<JsonError>(&parsed)) {
      out.error.emplace(number, std::move(*e));
      break;
    }
    out.rows.push_back(std::get<Row>(std::move(parsed)));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  write_input(text);
  const std::string path = "/proc/self/fd/" + std::to_string(input_fd());
  const Expected expected = expected_reading(text);

  std::vector<Row> rows;
  std::optional<std::string> error;
  try {
    rows = benchgate::read_rows(path);
  } catch (const benchgate::InputError& e) {
    error = e.what();
  }

  if (expected.error) {
    const auto& [line, e] = *expected.error;
    std::string prefix = path + ":" + std::to_string(line) + ":" + std::to_string(e.column) + ": " +
                         e.message + " (near '";
    FUZZ_CHECK(error && error->compare(0, prefix.size(), prefix) == 0 && error->back() == ')',
               "the file's error is not line " + std::to_string(line) +
                   "'s\n  file:     " + printable(text) + "\n  expected: " + printable(prefix) +
                   "...')\n  got:      " + printable(error.value_or("<no error>")));
    FUZZ_CHECK(
        std::none_of(error->begin(), error->end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }),
        "an error message holds a control character: " + printable(*error));
  } else {
    FUZZ_CHECK(!error, "a file of valid lines was rejected: " + printable(*error) +
                           "\n  file: " + printable(text));
    FUZZ_CHECK(rows.size() == expected.rows.size(),
               "read " + std::to_string(rows.size()) + " rows, expected " +
                   std::to_string(expected.rows.size()) + ": " + printable(text));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      FUZZ_CHECK(rows[i] == expected.rows[i],
                 "row " + std::to_string(i) + " differs from its line read alone\n  file: " +
                     printable(text) + "\n  read: " + benchgate::write_row(rows[i]) +
                     "\n  alone: " + benchgate::write_row(expected.rows[i]));
    }
  }
  return 0;
}
