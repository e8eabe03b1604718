// doctest printers for the standard containers and benchgate values the unit tests compare, so a
// failed CHECK shows both sides instead of "{?}". Include after <doctest/doctest.h>.
#pragma once

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "benchgate/config.hpp"
#include "benchgate/core/row.hpp"
#include "benchgate/core/row_json.hpp"

namespace doctest {

template <class T>
struct StringMaker<std::optional<T>> {
  static String convert(const std::optional<T>& v) {
    return v ? StringMaker<T>::convert(*v) : String("nullopt");
  }
};

template <class A, class B>
struct StringMaker<std::pair<A, B>> {
  static String convert(const std::pair<A, B>& p) {
    return String("(") + StringMaker<A>::convert(p.first) + ", " +
           StringMaker<B>::convert(p.second) + ")";
  }
};

template <class T>
struct StringMaker<std::vector<T>> {
  static String convert(const std::vector<T>& v) {
    String out("[");
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) out += ", ";
      out += StringMaker<T>::convert(v[i]);
    }
    return out + "]";
  }
};

template <>
struct StringMaker<std::string> {
  static String convert(const std::string& s) { return String("\"") + s.c_str() + "\""; }
};

template <>
struct StringMaker<benchgate::RowStatus> {
  static String convert(benchgate::RowStatus s) { return benchgate::to_string(s); }
};

template <>
struct StringMaker<benchgate::RowKind> {
  static String convert(benchgate::RowKind k) { return benchgate::to_string(k); }
};

template <>
struct StringMaker<benchgate::CacheMode> {
  static String convert(benchgate::CacheMode m) { return benchgate::to_string(m); }
};

template <>
struct StringMaker<benchgate::Env> {
  static String convert(const benchgate::Env& e) { return benchgate::write_env(e).c_str(); }
};

template <>
struct StringMaker<benchgate::Row> {
  static String convert(const benchgate::Row& r) {
    try {
      return benchgate::write_row(r).c_str();
    } catch (const std::invalid_argument&) {
      return String("<row that write_row refuses: ") + r.function.c_str() + ">";
    }
  }
};

}  // namespace doctest
