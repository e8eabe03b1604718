// doctest printers for the protocol requests (a failed CHECK shows the argv each side would be
// written as) and usage_error(), which returns the message of the UsageError a call throws.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/protocol.hpp"
#include "benchgate/core/run_request.hpp"

namespace benchgate::test {

// The argv as one line, each argument quoted, so spaces, commas and newlines stay visible.
inline doctest::String quoted_argv(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "'" : " '") + a + "'";
  return line.c_str();
}

// The message of the UsageError `f` throws; a failed check (and "") when it throws none.
template <class F>
std::string usage_error(F&& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  FAIL_CHECK("expected a UsageError, but none was thrown");
  return "";
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace benchgate::test

namespace doctest {

template <>
struct StringMaker<benchgate::ChildRequest> {
  static String convert(const benchgate::ChildRequest& r) {
    return benchgate::test::quoted_argv(benchgate::to_argv("EXE", r));
  }
};

template <>
struct StringMaker<benchgate::ComplexityRequest> {
  static String convert(const benchgate::ComplexityRequest& r) {
    return benchgate::test::quoted_argv(benchgate::to_argv("EXE", r));
  }
};

template <>
struct StringMaker<benchgate::RunRequest> {
  static String convert(const benchgate::RunRequest& r) {
    return benchgate::test::quoted_argv(benchgate::to_argv("RUNNER", r));
  }
};

}  // namespace doctest
