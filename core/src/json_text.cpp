// The strict JSON reader that row and list documents share: RapidJSON's grammar with bounded
// nesting, no NUL, and numbers converted by std::from_chars.
#include "json_text.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace benchgate::detail {
namespace {

// How deep a document may nest. A row nests two levels (the row, its env); the rest is room for
// unknown keys of later schema versions. Deeper is refused before it costs memory: RapidJSON's
// iterative reader never recurses, but its DOM of a line of n brackets takes about 25n bytes.
constexpr int kMaxDepth = 64;

// The power of ten of a JSON number's first non-zero digit (0 for zero); the exponent is clamped,
// which is enough to tell a number that overflows a double from one that underflows.
long leading_power(std::string_view t) {
  std::size_t i = t.empty() || t[0] != '-' ? 0 : 1;
  long power = 0;
  bool found = false;
  long int_digits = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
    if (found) {
      ++power;
    } else if (t[i] != '0') {
      found = true;
    }
    ++int_digits;
  }
  if (i < t.size() && t[i] == '.') {
    long position = -1;
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, --position) {
      if (!found && t[i] != '0') {
        found = true;
        power = position;
      }
    }
  }
  if (!found) return 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    const bool minus = i < t.size() && t[i] == '-';
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    long exponent = 0;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      exponent = std::min(exponent * 10 + (t[i] - '0'), 100000L);
    }
    power += minus ? -exponent : exponent;
  }
  return power;
}

// The document's own SAX handler, behind a depth check, with numbers delivered as text
// (kParseNumbersAsStringsFlag) and converted here.
class Handler {
 public:
  using Ch = char;
  explicit Handler(rapidjson::Document& doc) : doc_(doc) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned i) { return doc_.Uint(i); }
  bool Int64(std::int64_t i) { return doc_.Int64(i); }
  bool Uint64(std::uint64_t i) { return doc_.Uint64(i); }
  bool Double(double d) { return doc_.Double(d); }
  // RapidJSON has checked the grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool) {
    const std::string_view t(s, n);
    const char* end = s + n;
    if (t.find_first_of(".eE") == std::string_view::npos) {
      if (t[0] == '-') {
        std::int64_t v = 0;
        const auto r = std::from_chars(s, end, v);
        if (r.ec == std::errc() && r.ptr == end) return doc_.Int64(v);
      } else {
        std::uint64_t v = 0;
        const auto r = std::from_chars(s, end, v);
        if (r.ec == std::errc() && r.ptr == end) return doc_.Uint64(v);
      }
      // Too big for 64 bits: a double, as RapidJSON reads it.
    }
    double d = 0;
    const auto r = std::from_chars(s, end, d);
    if (r.ec == std::errc::result_out_of_range) {
      if (leading_power(t) > 0) {
        too_big_ = s;
        return false;
      }
      d = t[0] == '-' ? -0.0 : 0.0;  // below the smallest double: rounds to zero
    } else if (r.ec != std::errc() || r.ptr != end || !std::isfinite(d)) {
      too_big_ = s;
      return false;
    }
    return doc_.Double(d);
  }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return leave() && doc_.EndObject(n); }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return leave() && doc_.EndArray(n); }

  bool too_deep() const { return depth_ > kMaxDepth; }
  // The first character of a number beyond the largest double, if one stopped the parse.
  const Ch* too_big() const { return too_big_; }

 private:
  bool enter() { return ++depth_ <= kMaxDepth; }
  bool leave() {
    --depth_;
    return true;
  }
  rapidjson::Document& doc_;
  int depth_ = 0;
  const Ch* too_big_ = nullptr;
};

// The key whose value begins at `offset`, when the text before it reads `"key":` with a plain key
// (letters, digits, '_'): lets a syntax error in a value (NaN, 1e400) name its key.
std::string key_before(std::string_view text, std::size_t offset) {
  std::size_t i = std::min(offset, text.size());
  auto skip_space = [&] {
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\r')) --i;
  };
  skip_space();
  if (i == 0 || text[i - 1] != ':') return {};
  --i;
  skip_space();
  if (i == 0 || text[i - 1] != '"') return {};
  const std::size_t end = --i;
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  while (i > 0 && end - i < 64 && plain(text[i - 1])) --i;
  if (i == 0 || i == end || text[i - 1] != '"') return {};
  return std::string(text.substr(i, end - i));
}

// RapidJSON's message for a syntax error at `offset` of text, with the key it is in when the text
// says, and what to do about the values people most often write by mistake.
std::string syntax_message(rapidjson::ParseErrorCode code, std::string_view text,
                           std::size_t offset) {
  std::string what = rapidjson::GetParseError_En(code);
  if (!what.empty() && what.back() == '.') what.pop_back();
  const std::string key = key_before(text, offset);
  if (!key.empty()) what += " (key '" + key + "')";
  const std::string_view at = text.substr(std::min(offset, text.size()), 4);
  auto starts = [&](std::string_view word) {
    if (at.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if ((at[i] | 0x20) != word[i]) return false;
    }
    return true;
  };
  if (starts("nan") || starts("inf") || starts("-inf")) {
    what += ": JSON has no NaN or Infinity; a value that was not measured is null";
  } else if (code == rapidjson::kParseErrorNumberTooBig) {
    what += ": the largest number a row can hold is about 1.8e308";
  }
  return what;
}

// The UTF-8 byte order mark. RFC 8259 lets a parser ignore one at the start of a JSON text, and
// every line is one; editors (Windows Notepad, PowerShell 5's Out-File) put one at the start of
// a file.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

std::variant<std::unique_ptr<JsonText>, JsonError> parse_json_text(std::string_view text) {
  auto parsed = std::make_unique<JsonText>();
  const std::size_t skipped =
      text.substr(0, kByteOrderMark.size()) == kByteOrderMark ? kByteOrderMark.size() : 0;
  // RapidJSON takes a NUL byte for the end of the text; JSON allows none (not even in a string,
  // where it must be escaped), so one is an error unless the text is already wrong before it.
  const std::size_t nul = text.find('\0', skipped);
  const std::string_view json =
      text.substr(skipped, nul == std::string_view::npos ? nul : nul - skipped);
  parsed->skipped = skipped;
  parsed->buffer.assign(json);
  rapidjson::ParseResult result;
  bool too_deep = false;
  const char* too_big = nullptr;
  auto generate = [&](rapidjson::Document& d) {
    Handler handler(d);
    rapidjson::InsituStringStream in(parsed->buffer.data());
    rapidjson::Reader reader;
    result = reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                          rapidjson::kParseNumbersAsStringsFlag>(in, handler);
    too_deep = handler.too_deep();
    too_big = handler.too_big();
    return !result.IsError();
  };
  parsed->doc.Populate(generate);
  if (result.IsError() && (nul == std::string_view::npos || skipped + result.Offset() < nul)) {
    if (too_deep) {
      // The reader stopped at the bracket that went too deep.
      return JsonError{skipped + result.Offset() + 1,
                       "nested more than " + std::to_string(kMaxDepth) +
                           " levels deep; a row is an object with one object inside (env). Is "
                           "this a benchgate rows file?"};
    }
    std::size_t offset = result.Offset();
    auto code = result.Code();
    if (too_big) {
      code = rapidjson::kParseErrorNumberTooBig;
      offset = static_cast<std::size_t>(too_big - parsed->buffer.data());
    }
    // RapidJSON stops inside a bad value ("nan" after its 'n', "-Infinity" after its '-'): point
    // at the value's first character. Not at the end of the text: a value cut off there is a cut
    // line, located past its end.
    if ((code == rapidjson::kParseErrorValueInvalid || code == rapidjson::kParseErrorNumberTooBig ||
         code == rapidjson::kParseErrorNumberMissFraction ||
         code == rapidjson::kParseErrorNumberMissExponent) &&
        offset < json.size()) {
      auto in_value = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '+' || c == '.';
      };
      while (offset > 0 && in_value(json[offset - 1])) --offset;
    }
    return JsonError{skipped + offset + 1, syntax_message(code, json, offset)};
  }
  if (nul != std::string_view::npos) {
    return JsonError{nul + 1,
                     "a NUL byte (0x00), which JSON never contains: the file is damaged (a crash "
                     "or a full disk can leave blocks of NUL bytes) or is not a rows file"};
  }
  return parsed;
}

std::string printable(std::string_view s) {
  std::string out(s.substr(0, 40));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return s.size() > 40 ? out + "..." : out;
}

}  // namespace benchgate::detail
