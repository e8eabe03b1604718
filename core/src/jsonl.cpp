// Streaming JSONL reader and atomic file writer.
#include "benchgate/core/jsonl.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "benchgate/core/row_json.hpp"

namespace benchgate {
namespace {

std::string snippet(const std::string& line, std::size_t column) {
  const std::size_t start = column > 1 ? column - 1 : 0;
  std::string s = start < line.size() ? line.substr(start, 30) : std::string("<end of line>");
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

}  // namespace

void for_each_row(const std::string& path, const std::function<void(Row&&)>& on_row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path + ": cannot open for reading: " + std::strerror(errno) +
                     ". Check the path.");
  }
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF files read like LF ones
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto parsed = parse_row(line);
    if (auto* err = std::get_if<JsonError>(&parsed)) {
      throw InputError(path + ":" + std::to_string(number) + ":" + std::to_string(err->column) +
                       ": " + err->message + " (near '" + snippet(line, err->column) + "')");
    }
    on_row(std::get<Row>(std::move(parsed)));
  }
}

std::vector<Row> read_rows(const std::string& path) {
  std::vector<Row> rows;
  for_each_row(path, [&](Row&& r) { rows.push_back(std::move(r)); });
  return rows;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) {
    throw std::runtime_error("cannot create a temporary file beside '" + path +
                             "': " + std::strerror(errno));
  }
  const char* p = content.data();
  std::size_t left = content.size();
  bool ok = true;
  while (ok && left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) {
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  int err = ok ? 0 : errno;
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  // mkstemp creates 0600; rows are ordinary build outputs.
  if (ok && ::fchmod(fd, 0644) != 0) {
    ok = false;
    err = errno;
  }
  ::close(fd);
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write '" + path + "': " + std::strerror(err));
  }
}

}  // namespace benchgate
