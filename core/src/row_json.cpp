// Row and env (de)serialisation with RapidJSON: checked writes, strict single-document reads.
#include "benchgate/core/row_json.hpp"

#include "json_text.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace benchgate {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// RapidJSON's Writer returns false instead of emitting invalid JSON (NaN, Inf); never ignore it.
void check(bool ok, const char* key) {
  if (!ok) throw std::invalid_argument(std::string("cannot write JSON value for '") + key + "'");
}

class ObjectWriter {
 public:
  explicit ObjectWriter(Writer& w) : w_(w) { check(w_.StartObject(), "{"); }
  void finish() { check(w_.EndObject(), "}"); }

  void key(const char* k) { check(w_.Key(k), k); }
  void str(const char* k, const std::optional<std::string>& v) {
    key(k);
    check(v ? w_.String(v->data(), static_cast<rapidjson::SizeType>(v->size())) : w_.Null(), k);
  }
  void u64(const char* k, const std::optional<std::uint64_t>& v) {
    key(k);
    check(v ? w_.Uint64(*v) : w_.Null(), k);
  }
  void i64(const char* k, const std::optional<std::int64_t>& v) {
    key(k);
    check(v ? w_.Int64(*v) : w_.Null(), k);
  }
  void boolean(const char* k, const std::optional<bool>& v) {
    key(k);
    check(v ? w_.Bool(*v) : w_.Null(), k);
  }
  void dbl(const char* k, const std::optional<double>& v) {
    key(k);
    check(v ? w_.Double(*v) : w_.Null(), k);
  }

 private:
  Writer& w_;
};

void write_env_object(Writer& w, const Env& e) {
  ObjectWriter o(w);
  o.str("compiler", e.compiler);
  o.str("compiler_version", e.compiler_version);
  o.str("build_type", e.build_type);
  o.str("benchgate_version", e.benchgate_version);
  o.str("os", e.os);
  o.str("arch", e.arch);
  o.str("cpu_model", e.cpu_model);
  o.i64("cpu_cores", e.cpu_cores);
  o.str("hostname", e.hostname);
  o.str("exe_name", e.exe_name);
  o.str("git_commit", e.git_commit);
  o.boolean("git_dirty", e.git_dirty);
  o.i64("timestamp_unix_ms", e.timestamp_unix_ms);
  o.str("timestamp_iso", e.timestamp_iso);
  o.finish();
}

std::optional<std::string> opt_str(const char* s) {
  return std::optional<std::string>(std::string(s));
}

// Thrown inside the reader and turned into a JsonError at the boundary. `offset` is the 0-based
// position in the parsed text of what the error is about (a key's opening quote), when known.
struct FieldError {
  std::string message;
  std::size_t offset = 0;
};

std::string describe(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsString()) {
    return "\"" + detail::printable({v.GetString(), v.GetStringLength()}) + "\"";
  }
  if (v.IsNumber()) {
    rapidjson::StringBuffer b;
    Writer w(b);
    if (v.IsDouble() ? w.Double(v.GetDouble())
                     : (v.IsInt64() ? w.Int64(v.GetInt64()) : w.Uint64(v.GetUint64()))) {
      return b.GetString();
    }
    return "a number";
  }
  return v.IsArray() ? "an array" : "an object";
}

// Typed access to the keys of one JSON object; unknown keys are simply never asked for.
class Fields {
 public:
  // prefix names nested keys in messages: "env.os". The object was parsed in place from the text
  // at `base`, so its key strings point into that text: an error names the key's column.
  Fields(const rapidjson::Value& obj, const char* base, std::string prefix = "")
      : obj_(obj), base_(base), prefix_(std::move(prefix)) {
    reject_duplicate_keys();
  }

  const rapidjson::Value* find(const char* k) const {
    auto it = obj_.FindMember(k);
    if (it == obj_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }
  const rapidjson::Value& need(const char* k) const {
    const auto* v = find(k);
    if (!v) throw FieldError{"missing required key '" + prefix_ + k + "'"};
    return *v;
  }
  FieldError wrong(const char* k, const char* want, const rapidjson::Value& v) const {
    return at(k, "key '" + prefix_ + k + "' must be " + want + "; got " + describe(v));
  }
  // An error about key k, located at the key.
  FieldError at(const char* k, std::string message) const {
    auto it = obj_.FindMember(k);
    return FieldError{std::move(message), it == obj_.MemberEnd() ? 0 : offset_of(it->name)};
  }

  std::optional<std::string> str(const char* k) const {
    const auto* v = find(k);
    if (!v) return std::nullopt;
    if (!v->IsString()) throw wrong(k, "a string", *v);
    return std::string(v->GetString(), v->GetStringLength());
  }
  std::optional<std::uint64_t> u64(const char* k) const {
    const auto* v = find(k);
    if (!v) return std::nullopt;
    if (!v->IsUint64()) throw wrong(k, "a non-negative integer", *v);
    return v->GetUint64();
  }
  std::optional<std::int64_t> i64(const char* k) const {
    const auto* v = find(k);
    if (!v) return std::nullopt;
    if (!v->IsInt64()) throw wrong(k, "an integer", *v);
    return v->GetInt64();
  }
  std::optional<bool> boolean(const char* k) const {
    const auto* v = find(k);
    if (!v) return std::nullopt;
    if (!v->IsBool()) throw wrong(k, "true or false", *v);
    return v->GetBool();
  }
  std::optional<double> dbl(const char* k) const {
    const auto* v = find(k);
    if (!v) return std::nullopt;
    if (!v->IsNumber()) throw wrong(k, "a number", *v);
    double d = v->GetDouble();
    if (!std::isfinite(d) || d < 0) throw wrong(k, "a finite non-negative number", *v);
    return d;
  }
  std::uint64_t need_u64(const char* k) const {
    need(k);
    return *u64(k);
  }
  std::string need_str(const char* k) const {
    need(k);
    return *str(k);
  }

 private:
  // The opening quote of a key string.
  std::size_t offset_of(const rapidjson::Value& name) const {
    return static_cast<std::size_t>(name.GetString() - base_) - 1;
  }

  // A key named twice is an error, whether benchgate knows it or not: JSON leaves the meaning to
  // the reader, and a reader that silently kept the first or the last value could be fed a row
  // that says two things (one for a reviewer's eye, one for the gate).
  void reject_duplicate_keys() const {
    const std::size_t n = obj_.MemberCount();
    if (n < 2) return;
    std::vector<std::pair<std::string_view, std::size_t>> names;
    names.reserve(n);
    std::size_t i = 0;
    for (auto it = obj_.MemberBegin(); it != obj_.MemberEnd(); ++it, ++i) {
      names.emplace_back(std::string_view(it->name.GetString(), it->name.GetStringLength()), i);
    }
    std::sort(names.begin(), names.end());
    std::size_t repeat = n;  // the first member, in text order, whose key came before
    for (std::size_t k = 1; k < n; ++k) {
      if (names[k].first == names[k - 1].first) repeat = std::min(repeat, names[k].second);
    }
    if (repeat == n) return;
    const auto& name = (obj_.MemberBegin() + static_cast<std::ptrdiff_t>(repeat))->name;
    throw FieldError{"key '" + prefix_ +
                         detail::printable({name.GetString(), name.GetStringLength()}) +
                         "' appears twice in one object; which value counts would be a guess. "
                         "Keep one",
                     offset_of(name)};
  }

  const rapidjson::Value& obj_;
  const char* base_;
  std::string prefix_;
};

Env read_env(const rapidjson::Value& v, const char* base) {
  if (!v.IsObject()) throw FieldError{"env must be a JSON object; got " + describe(v)};
  Fields f(v, base, "env.");
  Env e;
  e.compiler = f.str("compiler");
  e.compiler_version = f.str("compiler_version");
  e.build_type = f.str("build_type");
  e.benchgate_version = f.str("benchgate_version");
  e.os = f.str("os");
  e.arch = f.str("arch");
  e.cpu_model = f.str("cpu_model");
  e.cpu_cores = f.i64("cpu_cores");
  e.hostname = f.str("hostname");
  e.exe_name = f.str("exe_name");
  e.git_commit = f.str("git_commit");
  e.git_dirty = f.boolean("git_dirty");
  e.timestamp_unix_ms = f.i64("timestamp_unix_ms");
  e.timestamp_iso = f.str("timestamp_iso");
  return e;
}

Row read_row(const rapidjson::Value& v, const char* base) {
  if (!v.IsObject()) throw FieldError{"a row must be a JSON object; got " + describe(v)};
  Fields f(v, base);
  const auto& version = f.need("schema_version");
  if (!version.IsInt64()) throw f.wrong("schema_version", "an integer", version);
  if (version.GetInt64() != kSchemaVersion) {
    throw f.at("schema_version", "schema_version " + describe(version) +
                                     " is not supported by this reader (supported: 1); upgrade "
                                     "benchgate to read it");
  }
  Row r;
  const std::string kind = f.need_str("kind");
  auto parsed_kind = parse_row_kind(kind);
  if (!parsed_kind) {
    throw f.at("kind", "key 'kind' must be \"parametric\" or \"fixed\"; got \"" +
                           detail::printable(kind) + "\"");
  }
  r.kind = *parsed_kind;
  r.function = f.need_str("function");
  if (r.function.empty()) throw f.at("function", "key 'function' must not be empty");
  const std::string status = f.need_str("status");
  r.error = f.str("error");
  if (auto s = parse_row_status(status)) {
    r.status = *s;
  } else {
    // Reserved for future statuses: never read an unknown status as ok.
    r.status = RowStatus::error;
    r.error = "unknown status: " + status;
  }
  r.total_nanos = f.need_u64("total_nanos");
  if (r.kind == RowKind::parametric) {
    r.param = f.need_u64("param");
    r.inner_repeats = f.need_u64("inner_repeats");
  } else {
    r.repeat_index = f.need_u64("repeat_index");
    r.inner_repeats = f.u64("inner_repeats");
  }
  r.per_call_nanos = f.dbl("per_call_nanos");
  if (auto mode = f.str("cache_mode")) {
    r.cache_mode = parse_cache_mode(*mode);
    if (!r.cache_mode) {
      throw f.at("cache_mode", "key 'cache_mode' must be \"warm\" or \"cold\"; got \"" +
                                   detail::printable(*mode) + "\"");
    }
  }
  if (auto hash = f.str("result_hash")) {
    r.result_hash = parse_hash(*hash);
    if (!r.result_hash) {
      throw f.at("result_hash",
                 "key 'result_hash' must be \"0x\" followed by 1-16 hex digits; got \"" +
                     detail::printable(*hash) + "\"");
    }
  }
  r.alloc_bytes = f.u64("alloc_bytes");
  r.alloc_count = f.u64("alloc_count");
  r.peak_rss_kb = f.u64("peak_rss_kb");
  r.peak_rss_includes_setup = f.boolean("peak_rss_includes_setup");
  r.rss_baseline_kb = f.u64("rss_baseline_kb");
  r.child_maxrss_kb = f.u64("child_maxrss_kb");
  r.cpu_nanos = f.u64("cpu_nanos");
  r.instructions = f.u64("instructions");
  r.cycles = f.u64("cycles");
  if (auto under = f.str("measured_under")) {
    r.measured_under = parse_measured_under(*under);
    if (!r.measured_under) {
      throw f.at("measured_under",
                 "key 'measured_under' must be \"native\" or \"callgrind\"; got \"" +
                     detail::printable(*under) + "\"");
    }
  }
  if (const auto* env = f.find("env")) {
    if (!env->IsObject()) throw f.wrong("env", "an object or null", *env);
    r.env = read_env(*env, base);
  }
  if (const auto* counters = f.find("counters")) {
    if (!counters->IsObject()) throw f.wrong("counters", "an object of numbers or null", *counters);
    std::map<std::string, double> read;
    for (const auto& m : counters->GetObject()) {
      const std::string name(m.name.GetString(), m.name.GetStringLength());
      if (!m.value.IsNumber() || !std::isfinite(m.value.GetDouble())) {
        throw f.wrong("counters",
                      ("a finite number for counter '" + detail::printable(name) + "'").c_str(),
                      m.value);
      }
      if (!read.emplace(name, m.value.GetDouble()).second) {
        throw f.at("counters",
                   "key 'counters' names counter '" + detail::printable(name) + "' twice");
      }
    }
    r.counters = std::move(read);
  }
  r.bytes_per_call = f.dbl("bytes_per_call");
  r.items_per_call = f.dbl("items_per_call");
  r.per_call_setup = f.boolean("per_call_setup");
  r.manual_time = f.boolean("manual_time");
  if (const auto* variant = f.find("variant")) {
    if (!variant->IsObject()) throw f.wrong("variant", "an object of strings or null", *variant);
    std::map<std::string, std::string> read;
    for (const auto& m : variant->GetObject()) {
      const std::string name(m.name.GetString(), m.name.GetStringLength());
      if (name.empty() || !m.value.IsString() || m.value.GetStringLength() == 0) {
        throw f.wrong("variant",
                      ("a non-empty name with a non-empty string value (at '" +
                       detail::printable(name) + "')")
                          .c_str(),
                      m.value);
      }
      if (!read.emplace(name, std::string(m.value.GetString(), m.value.GetStringLength())).second) {
        throw f.at("variant",
                   "key 'variant' names dimension '" + detail::printable(name) + "' twice");
      }
    }
    r.variant = std::move(read);
  }
  r.threads = f.u64("threads");
  if (r.threads && *r.threads == 0) throw f.at("threads", "key 'threads' must be at least 1");
  r.suite = f.str("suite");
  r.trial_index = f.u64("trial_index");
  r.part_of_verdict = f.boolean("part_of_verdict");
  r.below_signal_floor = f.boolean("below_signal_floor");
  return r;
}

// Parses one JSON document (parse_json_text) and reads it with read(value, base), base being the
// text its strings point into.
template <class T, class Read>
std::variant<T, JsonError> parse_document(std::string_view text, Read read) {
  auto parsed = detail::parse_json_text(text);
  if (auto* error = std::get_if<JsonError>(&parsed)) return std::move(*error);
  const auto& json = *std::get<std::unique_ptr<detail::JsonText>>(parsed);
  try {
    return read(static_cast<const rapidjson::Value&>(json.doc), json.buffer.data());
  } catch (const FieldError& e) {
    return JsonError{json.skipped + e.offset + 1, e.message};
  }
}

// ---- the fast path -------------------------------------------------------------------------
//
// Reads a line only if it is exactly what write_row emits: its keys, in its order, compact, with
// values of the types the strict reader accepts for them. Every other line is left to the strict
// reader (return false), so that the fast path never needs to produce an error message and its Row
// is the strict reader's by construction: same keys, same values, nothing else on the line. A
// string is taken only without escapes and control characters (RapidJSON then reads it byte for
// byte), a number only in JSON's own grammar without a sign: an integer digit by digit with an
// overflow check, a double by std::from_chars (correctly rounded, as RapidJSON's full-precision
// parse is).
class Cursor {
 public:
  explicit Cursor(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  const char* pos() const { return p_; }

  // A literal of known length: the compiler turns the comparison into a few word compares.
  template <std::size_t N>
  bool lit(const char (&l)[N]) {
    constexpr std::size_t n = N - 1;
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, l, n) != 0) return false;
    p_ += n;
    return true;
  }
  bool lit(const std::string& l) {
    const std::size_t n = l.size();
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, l.data(), n) != 0) return false;
    p_ += n;
    return true;
  }
  bool null() { return lit("null"); }

  bool str(std::string_view& out) {
    if (p_ == end_ || *p_ != '"') return false;
    const char* start = ++p_;
    for (; p_ != end_; ++p_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
    }
    return false;
  }
  bool opt_str(std::optional<std::string>& out) {
    if (null()) {
      out.reset();
      return true;
    }
    std::string_view v;
    if (!str(v)) return false;
    if (out)
      out->assign(v.data(), v.size());
    else
      out.emplace(v);
    return true;
  }

  // Unsigned JSON integer: "0" or a digit 1-9 followed by digits; what follows is the caller's to
  // match (a fraction or exponent then fails that match).
  bool u64(std::uint64_t& out) {
    const char* start = p_;
    std::uint64_t v = 0;
    // 19 digits never overflow; a 20th is checked (RapidJSON reads a bigger number as a double).
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9' && p_ - start < 19) {
      v = v * 10 + static_cast<std::uint64_t>(*p_ - '0');
      ++p_;
    }
    if (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      const auto d = static_cast<std::uint64_t>(*p_ - '0');
      constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
      if (v > (kMax - d) / 10) return false;
      v = v * 10 + d;
      ++p_;
      if (p_ != end_ && *p_ >= '0' && *p_ <= '9') return false;
    }
    if (p_ == start || (*start == '0' && p_ - start > 1)) return false;
    out = v;
    return true;
  }
  bool opt_u64(std::optional<std::uint64_t>& out) {
    if (null()) {
      out.reset();
      return true;
    }
    std::uint64_t v;
    if (!u64(v)) return false;
    out = v;
    return true;
  }
  // Non-negative only: a negative integer is left to the strict reader.
  bool opt_i64(std::optional<std::int64_t>& out) {
    if (null()) {
      out.reset();
      return true;
    }
    std::uint64_t v;
    if (!u64(v) || v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return false;
    }
    out = static_cast<std::int64_t>(v);
    return true;
  }
  // null, or one of `choices` written as a JSON string ("warm"): a value not listed fails.
  template <class E, std::size_t N>
  bool opt_enum(std::optional<E>& out, const std::pair<const char*, E> (&choices)[N]) {
    if (null()) {
      out.reset();
      return true;
    }
    std::string_view v;
    if (!str(v)) return false;
    for (const auto& [text, value] : choices) {
      if (v == text) {
        out = value;
        return true;
      }
    }
    return false;
  }
  bool opt_bool(std::optional<bool>& out) {
    if (null())
      out.reset();
    else if (lit("true"))
      out = true;
    else if (lit("false"))
      out = false;
    else
      return false;
    return true;
  }
  // A non-negative JSON number: int [frac] [exp], int being "0" or 1-9 digits.
  bool opt_dbl(std::optional<double>& out) {
    if (null()) {
      out.reset();
      return true;
    }
    const char* start = p_;
    auto digits = [&] {
      const char* d = p_;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      return p_ - d;
    };
    const auto int_digits = digits();
    if (int_digits == 0 || (*start == '0' && int_digits > 1)) return false;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (digits() == 0) return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (digits() == 0) return false;
    }
    double v = 0;
    const auto [ptr, ec] = std::from_chars(start, p_, v);
    // Out of range (RapidJSON rejects a number too big, and reads one too small as 0): strict.
    if (ec != std::errc() || ptr != p_ || !std::isfinite(v)) return false;
    out = v;
    return true;
  }

  // Whitespace as RapidJSON skips it, then the end of the line.
  bool at_end() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    return p_ == end_;
  }

 private:
  const char* p_;
  const char* end_;
};

bool fast_env(Cursor& c, Env& e) {
  return c.lit(R"({"compiler":)") && c.opt_str(e.compiler) && c.lit(R"(,"compiler_version":)") &&
         c.opt_str(e.compiler_version) && c.lit(R"(,"build_type":)") && c.opt_str(e.build_type) &&
         c.lit(R"(,"benchgate_version":)") && c.opt_str(e.benchgate_version) &&
         c.lit(R"(,"os":)") && c.opt_str(e.os) && c.lit(R"(,"arch":)") && c.opt_str(e.arch) &&
         c.lit(R"(,"cpu_model":)") && c.opt_str(e.cpu_model) && c.lit(R"(,"cpu_cores":)") &&
         c.opt_i64(e.cpu_cores) && c.lit(R"(,"hostname":)") && c.opt_str(e.hostname) &&
         c.lit(R"(,"exe_name":)") && c.opt_str(e.exe_name) && c.lit(R"(,"git_commit":)") &&
         c.opt_str(e.git_commit) && c.lit(R"(,"git_dirty":)") && c.opt_bool(e.git_dirty) &&
         c.lit(R"(,"timestamp_unix_ms":)") && c.opt_i64(e.timestamp_unix_ms) &&
         c.lit(R"(,"timestamp_iso":)") && c.opt_str(e.timestamp_iso) && c.lit("}");
}

// How the fast path obtains a row's env object (the cursor is at its first character).
using EnvRead = bool (*)(void* state, Cursor& c, std::shared_ptr<const Env>& env);

// Every field of `r` but env is assigned; the env goes through `read_env`.
bool fast_row(Cursor& c, Row& r, EnvRead read_env, void* env_state,
              std::shared_ptr<const Env>& env) {
  if (!c.lit(R"({"schema_version":1,"kind":)")) return false;
  if (c.lit(R"("parametric","function":)"))
    r.kind = RowKind::parametric;
  else if (c.lit(R"("fixed","function":)"))
    r.kind = RowKind::fixed;
  else
    return false;
  std::string_view function;
  if (!c.str(function) || function.empty()) return false;
  r.function.assign(function.data(), function.size());
  std::uint64_t v = 0;
  if (r.kind == RowKind::parametric) {
    if (!c.lit(R"(,"param":)") || !c.u64(v)) return false;
    r.param = v;
    if (!c.lit(R"(,"inner_repeats":)") || !c.u64(v)) return false;
    r.inner_repeats = v;
    r.repeat_index.reset();
  } else {
    if (!c.lit(R"(,"repeat_index":)") || !c.u64(v)) return false;
    r.repeat_index = v;
    if (!c.lit(R"(,"inner_repeats":)") || !c.opt_u64(r.inner_repeats)) return false;
    r.param.reset();
  }
  if (!c.lit(R"(,"total_nanos":)") || !c.u64(r.total_nanos)) return false;
  if (!c.lit(R"(,"per_call_nanos":)") || !c.opt_dbl(r.per_call_nanos)) return false;
  static constexpr std::pair<const char*, CacheMode> kModes[] = {{"warm", CacheMode::warm},
                                                                 {"cold", CacheMode::cold}};
  static constexpr std::pair<const char*, MeasuredUnder> kUnder[] = {
      {"native", MeasuredUnder::native}, {"callgrind", MeasuredUnder::callgrind}};
  if (!c.lit(R"(,"cache_mode":)") || !c.opt_enum(r.cache_mode, kModes)) return false;
  if (!c.lit(R"(,"result_hash":)")) return false;
  if (c.null()) {
    r.result_hash.reset();
  } else {
    std::string_view hash;
    if (!c.str(hash)) return false;
    r.result_hash = parse_hash(hash);
    if (!r.result_hash) return false;
  }
  if (!c.lit(R"(,"status":)")) return false;
  // An unknown status is the strict reader's to turn into an error row.
  if (c.lit(R"("ok")"))
    r.status = RowStatus::ok;
  else if (c.lit(R"("timed_out")"))
    r.status = RowStatus::timed_out;
  else if (c.lit(R"("killed_at_cap")"))
    r.status = RowStatus::killed_at_cap;
  else if (c.lit(R"("error")"))
    r.status = RowStatus::error;
  else
    return false;
  if (!(c.lit(R"(,"error":)") && c.opt_str(r.error) && c.lit(R"(,"alloc_bytes":)") &&
        c.opt_u64(r.alloc_bytes) && c.lit(R"(,"alloc_count":)") && c.opt_u64(r.alloc_count) &&
        c.lit(R"(,"peak_rss_kb":)") && c.opt_u64(r.peak_rss_kb) &&
        c.lit(R"(,"peak_rss_includes_setup":)") && c.opt_bool(r.peak_rss_includes_setup) &&
        c.lit(R"(,"rss_baseline_kb":)") && c.opt_u64(r.rss_baseline_kb) &&
        c.lit(R"(,"child_maxrss_kb":)") && c.opt_u64(r.child_maxrss_kb) &&
        c.lit(R"(,"cpu_nanos":)") && c.opt_u64(r.cpu_nanos) && c.lit(R"(,"instructions":)") &&
        c.opt_u64(r.instructions) && c.lit(R"(,"cycles":)") && c.opt_u64(r.cycles) &&
        c.lit(R"(,"measured_under":)") && c.opt_enum(r.measured_under, kUnder) &&
        c.lit(R"(,"env":)"))) {
    return false;
  }
  if (c.null())
    env.reset();
  else if (!read_env(env_state, c, env))
    return false;
  r.env.reset();
  // What the fast layout has no place for: a row with any of these takes the strict path, so a
  // row read here has none (and must not keep the previous row's: `r` is reused).
  r.counters.reset();
  r.bytes_per_call.reset();
  r.items_per_call.reset();
  r.per_call_setup.reset();
  r.manual_time.reset();
  r.variant.reset();
  r.threads.reset();
  return c.lit(R"(,"suite":)") && c.opt_str(r.suite) && c.lit(R"(,"trial_index":)") &&
         c.opt_u64(r.trial_index) && c.lit(R"(,"part_of_verdict":)") &&
         c.opt_bool(r.part_of_verdict) && c.lit(R"(,"below_signal_floor":)") &&
         c.opt_bool(r.below_signal_floor) && c.lit("}") && c.at_end();
}

bool fresh_env(void*, Cursor& c, std::shared_ptr<const Env>& env) {
  auto e = std::make_shared<Env>();
  if (!fast_env(c, *e)) return false;
  env = std::move(e);
  return true;
}

}  // namespace

std::string write_row(const Row& r) {
  // Refuse what the reader would reject, so every written line reads back.
  if (r.function.empty()) throw std::invalid_argument("cannot write a row with an empty function");
  if (r.per_call_nanos && !(*r.per_call_nanos >= 0)) {
    throw std::invalid_argument("cannot write a negative or NaN per_call_nanos");
  }
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  ObjectWriter o(w);
  o.key("schema_version");
  check(w.Int(kSchemaVersion), "schema_version");
  o.str("kind", opt_str(to_string(r.kind)));
  o.str("function", r.function);
  if (r.kind == RowKind::parametric) {
    o.u64("param", r.param.value_or(0));
    o.u64("inner_repeats", r.inner_repeats.value_or(0));
  } else {
    o.u64("repeat_index", r.repeat_index.value_or(0));
    o.u64("inner_repeats", r.inner_repeats);
  }
  o.u64("total_nanos", r.total_nanos);
  o.dbl("per_call_nanos", r.per_call_nanos);
  o.str("cache_mode", r.cache_mode ? opt_str(to_string(*r.cache_mode)) : std::nullopt);
  o.str("result_hash", r.result_hash ? std::optional(format_hash(*r.result_hash)) : std::nullopt);
  o.str("status", opt_str(to_string(r.status)));
  o.str("error", r.error);
  o.u64("alloc_bytes", r.alloc_bytes);
  o.u64("alloc_count", r.alloc_count);
  o.u64("peak_rss_kb", r.peak_rss_kb);
  o.boolean("peak_rss_includes_setup", r.peak_rss_includes_setup);
  o.u64("rss_baseline_kb", r.rss_baseline_kb);
  o.u64("child_maxrss_kb", r.child_maxrss_kb);
  o.u64("cpu_nanos", r.cpu_nanos);
  o.u64("instructions", r.instructions);
  o.u64("cycles", r.cycles);
  o.str("measured_under", r.measured_under ? opt_str(to_string(*r.measured_under)) : std::nullopt);
  o.key("env");
  if (r.env) {
    write_env_object(w, *r.env);
  } else {
    check(w.Null(), "env");
  }
  o.str("suite", r.suite);
  o.u64("trial_index", r.trial_index);
  o.boolean("part_of_verdict", r.part_of_verdict);
  o.boolean("below_signal_floor", r.below_signal_floor);
  // Only when present, so that the rows of benchmarks without counters keep the layout the fast
  // reader expects (a row with counters is read by the full one).
  if (r.counters) {
    o.key("counters");
    check(w.StartObject(), "counters");
    for (const auto& [name, value] : *r.counters) {
      if (!std::isfinite(value))
        throw std::invalid_argument("cannot write a non-finite counter '" + name + "'");
      check(w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size())), "counters");
      check(w.Double(value), "counters");
    }
    check(w.EndObject(0), "counters");
  }
  // Likewise only when declared (issue 20): the fast reader leaves such rows to the full one.
  for (const auto& [name, value] : {std::pair{"bytes_per_call", &r.bytes_per_call},
                                    std::pair{"items_per_call", &r.items_per_call}}) {
    if (!*value) continue;
    if (!std::isfinite(**value) || **value < 0)
      throw std::invalid_argument(std::string("cannot write a negative or non-finite ") + name);
    o.dbl(name, *value);
  }
  // Also only when present, for the same reason: such rows are read by the full reader.
  if (r.per_call_setup) o.boolean("per_call_setup", r.per_call_setup);
  if (r.manual_time) o.boolean("manual_time", r.manual_time);
  if (r.variant) {
    o.key("variant");
    check(w.StartObject(), "variant");
    for (const auto& [name, value] : *r.variant) {
      if (name.empty() || value.empty())
        throw std::invalid_argument("cannot write a variant with an empty name or value");
      check(w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size())), "variant");
      check(w.String(value.data(), static_cast<rapidjson::SizeType>(value.size())), "variant");
    }
    check(w.EndObject(0), "variant");
  }
  if (r.threads) {
    if (*r.threads == 0) throw std::invalid_argument("cannot write threads = 0");
    o.u64("threads", r.threads);
  }
  o.finish();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string write_env(const Env& env) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write_env_object(w, env);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::variant<Row, JsonError> parse_row(std::string_view line) {
  Row row;
  std::shared_ptr<const Env> env;
  if (auto error = RowReader().read(line, row, env)) return *std::move(error);
  if (env) row.env = *env;
  return row;
}

std::optional<JsonError> RowReader::read(std::string_view line, Row& row,
                                         std::shared_ptr<const Env>& env) {
  // How many env objects are remembered. Ten executables' rows interleaved stay fully shared.
  constexpr std::size_t kKnownEnvs = 16;
  // An env object seen before, byte for byte, is the same Env: already read and checked.
  auto known = [](void* self, Cursor& c, std::shared_ptr<const Env>& out) {
    auto& r = *static_cast<RowReader*>(self);
    for (std::size_t k = 0; k < r.envs_.size(); ++k) {
      const std::size_t i = (r.last_ + k) % r.envs_.size();
      if (c.lit(r.envs_[i].text)) {
        r.last_ = i;
        out = r.envs_[i].env;
        return true;
      }
    }
    const char* start = c.pos();
    auto e = std::make_shared<Env>();
    if (!fast_env(c, *e)) return false;
    if (r.envs_.size() < kKnownEnvs) {
      r.envs_.emplace_back();
      r.last_ = r.envs_.size() - 1;
    } else {
      r.last_ = r.next_;
      r.next_ = (r.next_ + 1) % kKnownEnvs;
    }
    r.envs_[r.last_].text.assign(start, static_cast<std::size_t>(c.pos() - start));
    r.envs_[r.last_].env = std::move(e);
    out = r.envs_[r.last_].env;
    return true;
  };
  Cursor c(line);
  if (fast_row(c, row, known, this, env)) return std::nullopt;

  auto parsed = detail::parse_row_strict(line);
  if (auto* error = std::get_if<JsonError>(&parsed)) return std::move(*error);
  row = std::get<Row>(std::move(parsed));
  env.reset();
  if (row.env) {
    for (const auto& k : envs_) {
      if (*k.env == *row.env) env = k.env;
    }
    if (!env) env = std::make_shared<const Env>(std::move(*row.env));
    row.env.reset();
  }
  return std::nullopt;
}

namespace detail {

std::variant<Row, JsonError> parse_row_strict(std::string_view line) {
  return parse_document<Row>(line, read_row);
}

std::optional<Row> parse_row_fast(std::string_view line) {
  Row row;
  std::shared_ptr<const Env> env;
  Cursor c(line);
  if (!fast_row(c, row, fresh_env, nullptr, env)) return std::nullopt;
  if (env) row.env = *env;
  return row;
}

}  // namespace detail

std::variant<Env, JsonError> parse_env(std::string_view text) {
  return parse_document<Env>(text, read_env);
}

std::string format_hash(std::uint64_t hash) {
  static const char* digits = "0123456789abcdef";
  char text[2 + 16];
  char* p = text + sizeof text;
  do {
    *--p = digits[hash & 0xf];
    hash >>= 4;
  } while (hash != 0);
  *--p = 'x';
  *--p = '0';
  return std::string(p, static_cast<std::size_t>(text + sizeof text - p));
}

std::optional<std::uint64_t> parse_hash(std::string_view text) {
  if (text.size() < 3 || text.size() > 18 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return std::nullopt;
  }
  // Hex digit values by byte, 0xff for anything else: one lookup per digit.
  static constexpr auto kDigit = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 0xff;
    for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<std::uint8_t>(c);
    for (int c = 0; c < 6; ++c) {
      t['a' + c] = static_cast<std::uint8_t>(10 + c);
      t['A' + c] = static_cast<std::uint8_t>(10 + c);
    }
    return t;
  }();
  std::uint64_t value = 0;
  for (char c : text.substr(2)) {
    const std::uint8_t d = kDigit[static_cast<unsigned char>(c)];
    if (d == 0xff) return std::nullopt;
    value = (value << 4) | d;
  }
  return value;
}

}  // namespace benchgate
