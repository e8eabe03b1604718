// Outcome classification.
#include "classify.hpp"

#include "benchgate/process/posix.hpp"

#include <csignal>
#include <sstream>

#include "benchgate/core/format.hpp"
#include "benchgate/core/row_json.hpp"

namespace benchgate {
namespace {

constexpr std::size_t kStderrInMessage = 400;  // enough for an assertion or a sanitizer headline

// The length of the well-formed UTF-8 sequence at s[i], or 0 if there is none (overlong forms,
// surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

// Rows are UTF-8 JSON, but a child's stderr is whatever bytes it wrote, and a tail cut at a
// byte count can split a character: each invalid byte becomes U+FFFD.
std::string valid_utf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8_sequence(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  return out;
}

std::string with_stderr(std::string message, const std::string& tail) {
  std::string t = tail;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  if (t.empty()) return message;
  if (t.size() > kStderrInMessage) t = "..." + t.substr(t.size() - kStderrInMessage);
  return message + "; stderr: " + valid_utf8(t);
}

// A child that printed its row instead of writing it to the result fd: say where rows go.
std::string stdout_row_hint(const SpawnResult& o) {
  if (o.stdout_tail.find("\"schema_version\"") == std::string::npos) return "";
  return "; its stdout has what looks like a row, but rows go to the result fd: stdout is the "
         "benchmark's own";
}

Row synthesized(const RowRequest& req, RowStatus status, std::string error) {
  Row r;
  r.kind = req.kind;
  r.function = req.function;
  r.status = status;
  r.total_nanos = 0;
  if (req.kind == RowKind::parametric) {
    r.param = req.param.value_or(0);
    r.inner_repeats = 0;
    r.cache_mode = req.cache_mode;
  } else {
    r.repeat_index = req.repeat_index.value_or(0);
  }
  r.error = valid_utf8(error);
  return r;
}

std::string describe_target(RowKind kind, const std::string& function,
                            const std::optional<std::uint64_t>& param,
                            const std::optional<std::uint64_t>& repeat) {
  std::string where = "'" + function + "' (" + to_string(kind);
  if (kind == RowKind::parametric) {
    where += " param=" + (param ? std::to_string(*param) : std::string("none"));
  } else {
    where += " repeat_index=" + (repeat ? std::to_string(*repeat) : std::string("none"));
  }
  return where + ")";
}

bool same_target(const RowRequest& req, const Row& row) {
  if (row.kind != req.kind || row.function != req.function) return false;
  return req.kind == RowKind::parametric ? row.param == req.param
                                         : row.repeat_index == req.repeat_index;
}

Row classify_outcome(const RowRequest& req, const SpawnResult& o);

}  // namespace

std::string exit_text(const SpawnResult& o) {
  return "exited with code " + std::to_string(o.exit_code);
}

Row classify(const RowRequest& req, const SpawnResult& o) {
  Row row = classify_outcome(req, o);
  row.child_maxrss_kb = o.child_maxrss_kb;  // the parent's measurement, whatever the child wrote
  return row;
}

std::optional<Row> classify_process(const RowRequest& req, const SpawnResult& o) {
  if (!o.started) {
    return synthesized(req, RowStatus::error, "could not start the benchmark: " + o.start_error);
  }
  // In setup: the child had a setup phase and never said that setup ended.
  const bool in_setup = req.setup_cap_seconds && !o.setup_nanos;
  if (o.killed_at_cap) {
    std::ostringstream msg;
    if (o.killed_in_setup) {
      msg << "killed in setup after " << *req.setup_cap_seconds
          << " s: setup still running at max_setup_seconds = " << *req.setup_cap_seconds << " s";
    } else {
      msg << "killed at the cap: still running after max_seconds_per_call = " << req.cap_seconds
          << " s";
      if (o.setup_nanos) {
        msg << " (in the measured batch, after a setup of "
            << format_duration(static_cast<double>(*o.setup_nanos)) << ")";
      }
    }
    if (o.stopped_at_cap) msg << "; it was stopped (SIGSTOP or SIGTSTP) at the time";
    if (!o.exited && o.term_signal == SIGKILL) {
      msg << "; it did not end on SIGTERM and was killed with SIGKILL after kill_grace_ms";
    }
    return synthesized(req, RowStatus::killed_at_cap, msg.str());
  }
  if (!o.exited) {
    return synthesized(
        req, RowStatus::error,
        with_stderr("child killed by " + signal_name(o.term_signal) + " (signal " +
                        std::to_string(o.term_signal) + ")" + (in_setup ? " during setup" : ""),
                    o.stderr_tail));
  }
  return std::nullopt;
}

Row failed_row(const RowRequest& req, RowStatus status, const std::string& message) {
  return synthesized(req, status, message);
}

std::string with_stderr_tail(const std::string& message, const std::string& stderr_tail) {
  return with_stderr(message, stderr_tail);
}

namespace {

Row classify_outcome(const RowRequest& req, const SpawnResult& o) {
  if (auto failed = classify_process(req, o)) return std::move(*failed);
  if (o.result_overflow) {
    return synthesized(
        req, RowStatus::error,
        with_stderr("child " + exit_text(o) + " after writing " + std::to_string(o.result_bytes) +
                        " bytes to the result fd, more than the runner accepts "
                        "for a row (rows are one line of a few kB)",
                    o.stderr_tail));
  }
  std::string text = o.result;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return synthesized(req, RowStatus::error,
                       with_stderr("child " + exit_text(o) +
                                       " without writing a row (no row was "
                                       "produced on the result fd" +
                                       stdout_row_hint(o) + ")",
                                   o.stderr_tail));
  }
  if (text.find('\n') != std::string::npos) {
    return synthesized(
        req, RowStatus::error,
        with_stderr("child " + exit_text(o) + " after writing more than one line to the result fd",
                    o.stderr_tail));
  }
  auto parsed = parse_row(text);
  if (auto* err = std::get_if<JsonError>(&parsed)) {
    return synthesized(req, RowStatus::error,
                       with_stderr("child " + exit_text(o) +
                                       " after writing a row that does not "
                                       "parse (column " +
                                       std::to_string(err->column) + ": " + err->message + ")",
                                   o.stderr_tail));
  }
  Row row = std::get<Row>(std::move(parsed));
  if (!same_target(req, row)) {
    return synthesized(req, RowStatus::error,
                       "child wrote a row for " +
                           describe_target(row.kind, row.function, row.param, row.repeat_index) +
                           ", not for the requested " +
                           describe_target(req.kind, req.function, req.param, req.repeat_index));
  }
  if (row.error) row.error = valid_utf8(*row.error);  // what() of a user exception: any bytes
  if (o.exit_code == 0) return row;
  if (row.status != RowStatus::ok) {
    row.error = with_stderr(row.error.value_or("no message") + " (child " + exit_text(o) + ")",
                            o.stderr_tail);
    return row;
  }
  Row failed =
      synthesized(req, RowStatus::error,
                  with_stderr("child " + exit_text(o) + " after writing an ok row", o.stderr_tail));
  failed.env = row.env;
  return failed;
}

}  // namespace
}  // namespace benchgate
