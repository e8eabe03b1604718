// Streaming JSONL reader and atomic file writer.
#include "benchgate/core/jsonl.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "benchgate/core/row_json.hpp"

namespace benchgate {
namespace {

std::string snippet(std::string_view line, std::size_t column) {
  const std::size_t start = column > 1 ? column - 1 : 0;
  std::string s = start < line.size() ? std::string(line.substr(start, 30)) : "<end of line>";
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

// A file's lines (without their '\n'), split as std::getline splits them: a last line without a
// newline is a line, the empty piece after a final newline is not. The file is read in large blocks
// into one buffer that grows only for a longer line.
class LineReader {
 public:
  explicit LineReader(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~LineReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  bool is_open() const { return fd_ >= 0; }

  // The view stays valid until the next call.
  bool next(std::string_view& line) {
    std::size_t scanned = begin_;
    for (;;) {
      const char* data = buffer_.get();
      const void* nl = end_ > scanned ? std::memchr(data + scanned, '\n', end_ - scanned) : nullptr;
      if (nl) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
        line = std::string_view(data + begin_, at - begin_);
        begin_ = at + 1;
        return true;
      }
      if (eof_) {
        if (begin_ == end_) return false;
        line = std::string_view(data + begin_, end_ - begin_);
        begin_ = end_;
        return true;
      }
      scanned = end_ - begin_;  // the moved partial line holds no newline
      refill();
    }
  }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  void refill() {
    // Keep the partial line, at the front; double the buffer if it fills it.
    if (begin_ > 0) {
      std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == capacity_) {
      const std::size_t grown = capacity_ == 0 ? kBlock : capacity_ * 2;
      auto bigger = std::make_unique<char[]>(grown);
      if (end_ > 0) std::memcpy(bigger.get(), buffer_.get(), end_);
      buffer_ = std::move(bigger);
      capacity_ = grown;
    }
    ssize_t n;
    do {
      n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
    } while (n < 0 && errno == EINTR);
    // A read error ends the file, as it ended std::getline's loop before.
    if (n <= 0)
      eof_ = true;
    else
      end_ += static_cast<std::size_t>(n);
  }

  int fd_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;  // the next line starts here
  std::size_t end_ = 0;    // bytes read so far
  bool eof_ = false;
};

}  // namespace

void visit_rows(const std::string& path, const RowVisitor& visit) {
  LineReader in(path);
  if (!in.is_open()) {
    throw InputError(path + ": cannot open for reading: " + std::strerror(errno) +
                     ". Check the path.");
  }
  RowReader reader;
  Row row;
  std::shared_ptr<const Env> env;
  std::string_view line;
  std::size_t number = 0;
  while (in.next(line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF reads like LF
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (auto err = reader.read(line, row, env)) {
      throw InputError(path + ":" + std::to_string(number) + ":" + std::to_string(err->column) +
                       ": " + err->message + " (near '" + snippet(line, err->column) + "')");
    }
    visit(row, env);
  }
}

void for_each_row(const std::string& path, const std::function<void(Row&&)>& on_row) {
  visit_rows(path, [&](const Row& row, const std::shared_ptr<const Env>& env) {
    Row copy = row;
    if (env) copy.env = *env;
    on_row(std::move(copy));
  });
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
