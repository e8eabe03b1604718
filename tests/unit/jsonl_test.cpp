// Tests benchgate/core/jsonl.hpp: reading row files line by line (blank lines, CRLF, located
// errors, missing files) and atomic whole-file writes, on files in a fresh temporary directory.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "benchgate/core/jsonl.hpp"
#include "benchgate/core/row_json.hpp"
#include "printers.hpp"
#include "temp_dir.hpp"

namespace {

using namespace benchgate;
using benchgate::test::read_bytes;
using benchgate::test::TempDir;
using benchgate::test::write_bytes;

Row row(std::uint64_t param) {
  Row r;
  r.function = "sort.std_sort";
  r.param = param;
  r.inner_repeats = 4;
  r.total_nanos = 1000 + param;
  return r;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}
bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

// The what() of the InputError thrown while reading `path`; fails the test if none is thrown.
std::string read_error(const std::string& path) {
  try {
    (void)read_rows(path);
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("read_rows(" << path << ") did not throw InputError");
  return {};
}

}  // namespace

TEST_CASE("jsonl: rows are read in file order") {
  TempDir dir;
  const std::string path = dir.file("rows.jsonl");
  write_bytes(path, write_row(row(1)) + "\n" + write_row(row(2)) + "\n" + write_row(row(4)) + "\n");
  CHECK(read_rows(path) == std::vector<Row>{row(1), row(2), row(4)});
}

TEST_CASE("jsonl: a last line without a newline is read") {
  TempDir dir;
  const std::string path = dir.file("rows.jsonl");
  write_bytes(path, write_row(row(1)) + "\n" + write_row(row(2)));
  CHECK(read_rows(path) == std::vector<Row>{row(1), row(2)});
}

TEST_CASE("jsonl: blank and whitespace-only lines are skipped") {
  TempDir dir;
  const std::string path = dir.file("rows.jsonl");
  write_bytes(path, "\n" + write_row(row(1)) + "\n\n   \n\t\n" + write_row(row(2)) + "\n\n");
  CHECK(read_rows(path) == std::vector<Row>{row(1), row(2)});
}

TEST_CASE("jsonl: an empty file has no rows") {
  TempDir dir;
  const std::string path = dir.file("empty.jsonl");
  write_bytes(path, "");
  CHECK(read_rows(path).empty());
}

TEST_CASE("jsonl: CRLF line endings read like LF") {
  TempDir dir;
  const std::string path = dir.file("crlf.jsonl");
  write_bytes(path, write_row(row(1)) + "\r\n\r\n" + write_row(row(2)) + "\r\n");
  CHECK(read_rows(path) == std::vector<Row>{row(1), row(2)});
}

TEST_CASE("jsonl: a malformed line is reported as file:line:col with the text near it") {
  TempDir dir;
  const std::string path = dir.file("bad.jsonl");
  const std::string bad = R"({"schema_version": 1, oops})";
  write_bytes(path, write_row(row(1)) + "\n\n" + bad + "\n" + write_row(row(2)) + "\n");
  const std::string what = read_error(path);
  INFO(what);
  const std::string column = std::to_string(bad.find("oops") + 1);
  CHECK(starts_with(what, path + ":3:" + column + ":"));
  CHECK(contains(what, "near '"));
  CHECK(contains(what, "near 'oops}'"));
}

TEST_CASE("jsonl: a malformed CRLF line is located the same way") {
  TempDir dir;
  const std::string path = dir.file("bad.jsonl");
  write_bytes(path, write_row(row(1)) + "\r\n{\"schema_version\":1,]\r\n");
  const std::string what = read_error(path);
  INFO(what);
  CHECK(starts_with(what, path + ":2:21:"));
  CHECK(contains(what, "near ']'"));
}

TEST_CASE("jsonl: a line that ends too early is located past its last character") {
  TempDir dir;
  const std::string path = dir.file("short.jsonl");
  const std::string bad = R"({"schema_version":1,)";
  write_bytes(path, bad + "\n");
  const std::string what = read_error(path);
  INFO(what);
  CHECK(starts_with(what, path + ":1:" + std::to_string(bad.size() + 1) + ":"));
  CHECK(contains(what, "near '"));
}

TEST_CASE("jsonl: a row the schema rejects is located at its line") {
  TempDir dir;
  const std::string path = dir.file("v2.jsonl");
  std::string line = write_row(row(1));
  line.replace(line.find("\"schema_version\":1"), 18, "\"schema_version\":2");
  write_bytes(path, write_row(row(1)) + "\n" + line + "\n");
  const std::string what = read_error(path);
  INFO(what);
  CHECK(starts_with(what, path + ":2:"));
  CHECK(contains(what, "schema_version 2"));
  CHECK(contains(what, "near '"));
}

TEST_CASE("jsonl: rows before a bad line are delivered before the error") {
  TempDir dir;
  const std::string path = dir.file("bad.jsonl");
  write_bytes(path, write_row(row(1)) + "\n" + write_row(row(2)) + "\nnot json\n" +
                        write_row(row(4)) + "\n");
  std::vector<Row> seen;
  CHECK_THROWS_AS(for_each_row(path, [&](Row&& r) { seen.push_back(std::move(r)); }), InputError);
  CHECK(seen == std::vector<Row>{row(1), row(2)});
}

TEST_CASE("jsonl: a missing file is an InputError naming the path") {
  TempDir dir;
  const std::string path = dir.file("no-such-file.jsonl");
  const std::string what = read_error(path);
  CHECK(contains(what, path));
}

TEST_CASE("jsonl: a UTF-8 byte order mark at the start of a line is skipped") {
  TempDir dir;
  const std::string bom = "\xEF\xBB\xBF";
  const std::string path = dir.file("bom.jsonl");
  // At the start of the file (Notepad, PowerShell), and of a file concatenated after it.
  write_bytes(path, bom + write_row(row(1)) + "\n" + bom + write_row(row(2)) + "\n");
  CHECK(read_rows(path) == std::vector<Row>{row(1), row(2)});
  // Columns count the mark's three bytes, so the text near them is right.
  const std::string bad = R"({"schema_version": 1, oops})";
  write_bytes(path, bom + bad + "\n");
  const std::string what = read_error(path);
  INFO(what);
  CHECK(starts_with(what, path + ":1:" + std::to_string(bom.size() + bad.find("oops") + 1) + ":"));
  CHECK(contains(what, "near 'oops}'"));
}

TEST_CASE("jsonl: a last line cut short says the file ends inside the row") {
  TempDir dir;
  const std::string path = dir.file("cut.jsonl");
  const std::string whole = write_row(row(2));
  const std::string cut = whole.substr(0, whole.size() / 2);
  write_bytes(path, write_row(row(1)) + "\n" + cut);
  const std::string what = read_error(path);
  INFO(what);
  CHECK(starts_with(what, path + ":2:" + std::to_string(cut.size() + 1) + ":"));
  CHECK(contains(what, "the file ends inside this row"));
  CHECK(what.back() == ')');
  // The same text with its newline is a bad line, not a cut file.
  write_bytes(path, write_row(row(1)) + "\n" + cut + "\n");
  CHECK_FALSE(contains(read_error(path), "the file ends inside"));
}

TEST_CASE("jsonl: a last row cut at any byte is located past its end, as a cut file") {
  TempDir dir;
  const std::string path = dir.file("cut.jsonl");
  Row r = row(2);
  r.per_call_nanos = 1.5;
  r.status = RowStatus::error;
  r.error = "boom";
  r.env = Env{};
  r.env->os = "linux";
  r.env->cpu_cores = 2;
  const std::string whole = write_row(r);
  for (std::size_t n = 1; n < whole.size(); ++n) {
    const std::string cut = whole.substr(0, n);
    write_bytes(path, cut);
    const std::string what = read_error(path);
    INFO(what);
    CHECK(starts_with(what, path + ":1:" + std::to_string(n + 1) + ":"));
    CHECK(contains(what, "the file ends inside this row"));
  }
}

TEST_CASE("jsonl: a line longer than 4 MiB is refused without reading it whole") {
  TempDir dir;
  const std::string path = dir.file("long.jsonl");
  const std::size_t limit = std::size_t{4} << 20;
  // Just at the limit, a line is read (and this one is not a row); one byte more is refused.
  write_bytes(path, write_row(row(1)) + "\n" + std::string(limit, '[') + "\n");
  std::string what = read_error(path);
  CHECK(contains(what, path + ":2:65: nested more than 64 levels"));
  write_bytes(path, write_row(row(1)) + "\n" + std::string(limit + 1, '[') + "\n");
  what = read_error(path);
  INFO(what);
  CHECK(starts_with(what, path + ":2:" + std::to_string(limit + 1) + ": line longer than 4 MiB"));
  CHECK(contains(what, "starts '[[["));
  // Without a newline anywhere: the reader stops at the limit, it does not look for the end.
  write_bytes(path, std::string(3 * limit, 'x'));
  CHECK(starts_with(read_error(path), path + ":1:" + std::to_string(limit + 1) + ": line longer"));
}

TEST_CASE("jsonl: a read error is an InputError, not the end of the file") {
  TempDir dir;
  // open(2) opens a directory for reading; read(2) then fails with EISDIR.
  const std::string what = read_error(dir.path().string());
  INFO(what);
  CHECK(starts_with(what, dir.path().string() + ":1:1: cannot read"));
}

TEST_CASE("jsonl: write_file_atomically writes the content") {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  const std::string content = write_row(row(1)) + "\n" + write_row(row(2)) + "\n";
  write_file_atomically(path, content);
  CHECK(read_bytes(path) == content);
  CHECK(read_rows(path) == std::vector<Row>{row(1), row(2)});
  CHECK(dir.entries() == std::vector<std::string>{"out.jsonl"});
}

TEST_CASE("jsonl: write_file_atomically replaces an existing file whole") {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  write_bytes(path, std::string(10'000, 'x'));
  write_file_atomically(path, "short\n");
  CHECK(read_bytes(path) == "short\n");
  write_file_atomically(path, "");
  CHECK(read_bytes(path).empty());
  CHECK(dir.entries() == std::vector<std::string>{"out.jsonl"});
}

TEST_CASE("jsonl: write_file_atomically leaves no temporary file behind") {
  TempDir dir;
  for (int i = 0; i < 5; ++i)
    write_file_atomically(dir.file("a.jsonl"), std::string(i * 1000, 'a'));
  write_file_atomically(dir.file("b.jsonl"), "b");
  CHECK(dir.entries() == std::vector<std::string>{"a.jsonl", "b.jsonl"});
}

TEST_CASE("jsonl: write_file_atomically into a missing directory throws naming the path") {
  TempDir dir;
  const std::string path = dir.file("missing/out.jsonl");
  try {
    write_file_atomically(path, "x");
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(contains(e.what(), path));
  }
  CHECK(dir.entries().empty());
}
