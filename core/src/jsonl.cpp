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
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return s;
}

// The longest line the reader takes. A row is about 1 KiB; the runner discards a child's row over
// 1 MiB, and what it adds (env, suite, a 4 KiB stderr tail) stays far below this. A longer line
// is not a row, and reading it whole would hold it in memory (and its JSON tree: about 25 bytes
// per byte for nested brackets): the reader stops after this many bytes of one line.
constexpr std::size_t kMaxLineBytes = std::size_t{4} << 20;

// A file's lines (without their '\n'), split as std::getline splits them: a last line without a
// newline is a line, the empty piece after a final newline is not. The file is read in large blocks
// into one buffer that grows only for a longer line, up to kMaxLineBytes.
class LineReader {
 public:
  enum class Next { line, end, too_long, read_error };

  explicit LineReader(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~LineReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  bool is_open() const { return fd_ >= 0; }
  // After Next::line: whether the line ended at the end of the file without a newline.
  bool unterminated() const { return unterminated_; }
  // After Next::read_error: errno of the failed read.
  int error() const { return error_; }

  // The view stays valid until the next call. After too_long, `line` holds the line's first
  // kMaxLineBytes bytes; after read_error, nothing.
  Next next(std::string_view& line) {
    std::size_t scanned = begin_;
    for (;;) {
      const char* data = buffer_.get();
      const void* nl = end_ > scanned ? std::memchr(data + scanned, '\n', end_ - scanned) : nullptr;
      if (nl) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
        if (at - begin_ > kMaxLineBytes) return too_long(line);
        line = std::string_view(data + begin_, at - begin_);
        begin_ = at + 1;
        return Next::line;
      }
      if (end_ - begin_ > kMaxLineBytes) return too_long(line);
      if (eof_) {
        if (begin_ == end_) return Next::end;
        line = std::string_view(data + begin_, end_ - begin_);
        begin_ = end_;
        unterminated_ = true;
        return Next::line;
      }
      scanned = end_ - begin_;  // the moved partial line holds no newline
      if (!refill()) return Next::read_error;
    }
  }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  Next too_long(std::string_view& line) {
    line = std::string_view(buffer_.get() + begin_, kMaxLineBytes);
    return Next::too_long;
  }

  // False on a read error (the end of the file sets eof_).
  bool refill() {
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
    if (n < 0) {
      error_ = errno;
      return false;
    }
    if (n == 0)
      eof_ = true;
    else
      end_ += static_cast<std::size_t>(n);
    return true;
  }

  int fd_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;  // the next line starts here
  std::size_t end_ = 0;    // bytes read so far
  bool eof_ = false;
  bool unterminated_ = false;
  int error_ = 0;
};

std::string where(const std::string& path, std::size_t line, std::size_t column) {
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

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
  for (;;) {
    const LineReader::Next got = in.next(line);
    if (got == LineReader::Next::end) break;
    ++number;
    if (got == LineReader::Next::read_error) {
      throw InputError(where(path, number, 1) + "cannot read: " + std::strerror(in.error()) +
                       ". Check the file and the disk.");
    }
    if (got == LineReader::Next::too_long) {
      throw InputError(where(path, number, kMaxLineBytes + 1) + "line longer than " +
                       std::to_string(kMaxLineBytes >> 20) +
                       " MiB; a row is one JSON object of about 1 KiB per line. Is this a "
                       "benchgate rows file? (starts '" +
                       snippet(line, 1) + "')");
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF reads like LF
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (auto err = reader.read(line, row, env)) {
      std::string near = snippet(line, err->column);
      // A row cut off by the end of the file: an interrupted run or copy, not a typo.
      if (in.unterminated() && err->column > line.size()) {
        near +=
            "'; the file ends inside this row: was it cut short? Rerun the benchmarks or "
            "restore the file";
      } else {
        near += "'";
      }
      throw InputError(where(path, number, err->column) + err->message + " (near '" + near + ")");
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
