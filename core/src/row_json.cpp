// Row and env (de)serialisation with RapidJSON: checked writes, strict single-document reads.
#include "benchgate/core/row_json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <stdexcept>

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

// Thrown inside the reader and turned into a JsonError at the boundary.
struct FieldError {
  std::string message;
};

std::string describe(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsString()) {
    std::string s(v.GetString(), v.GetStringLength());
    if (s.size() > 40) s = s.substr(0, 40) + "...";
    return "\"" + s + "\"";
  }
  if (v.IsNumber()) {
    rapidjson::StringBuffer b;
    Writer w(b);
    if (v.IsDouble() ? w.Double(v.GetDouble()) : (v.IsInt64() ? w.Int64(v.GetInt64()) : w.Uint64(v.GetUint64()))) {
      return b.GetString();
    }
    return "a number";
  }
  return v.IsArray() ? "an array" : "an object";
}

// Typed access to the keys of one JSON object; unknown keys are simply never asked for.
class Fields {
 public:
  // prefix names nested keys in messages: "env.os".
  explicit Fields(const rapidjson::Value& obj, std::string prefix = "")
      : obj_(obj), prefix_(std::move(prefix)) {}

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
    return FieldError{"key '" + prefix_ + k + "' must be " + want + "; got " + describe(v)};
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
  const rapidjson::Value& obj_;
  std::string prefix_;
};

Env read_env(const rapidjson::Value& v) {
  if (!v.IsObject()) throw Fields(v).wrong("env", "an object or null", v);
  Fields f(v, "env.");
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

Row read_row(const rapidjson::Value& v) {
  if (!v.IsObject()) throw FieldError{"a row must be a JSON object; got " + describe(v)};
  Fields f(v);
  const auto& version = f.need("schema_version");
  if (!version.IsInt64()) throw f.wrong("schema_version", "an integer", version);
  if (version.GetInt64() != kSchemaVersion) {
    throw FieldError{"schema_version " + describe(version) +
                     " is not supported by this reader (supported: 1); upgrade benchgate to "
                     "read it"};
  }
  Row r;
  const std::string kind = f.need_str("kind");
  auto parsed_kind = parse_row_kind(kind);
  if (!parsed_kind) {
    throw FieldError{"key 'kind' must be \"parametric\" or \"fixed\"; got \"" + kind + "\""};
  }
  r.kind = *parsed_kind;
  r.function = f.need_str("function");
  if (r.function.empty()) throw FieldError{"key 'function' must not be empty"};
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
      throw FieldError{"key 'cache_mode' must be \"warm\" or \"cold\"; got \"" + *mode + "\""};
    }
  }
  if (auto hash = f.str("result_hash")) {
    r.result_hash = parse_hash(*hash);
    if (!r.result_hash) {
      throw FieldError{"key 'result_hash' must be \"0x\" followed by 1-16 hex digits; got \"" +
                       *hash + "\""};
    }
  }
  r.alloc_bytes = f.u64("alloc_bytes");
  r.alloc_count = f.u64("alloc_count");
  r.peak_rss_kb = f.u64("peak_rss_kb");
  r.cpu_nanos = f.u64("cpu_nanos");
  if (const auto* env = f.find("env")) r.env = read_env(*env);
  r.suite = f.str("suite");
  r.trial_index = f.u64("trial_index");
  r.part_of_verdict = f.boolean("part_of_verdict");
  r.below_signal_floor = f.boolean("below_signal_floor");
  return r;
}

template <class T, class Read>
std::variant<T, JsonError> parse_document(std::string_view text, Read read) {
  rapidjson::Document doc;
  // Iterative: a line nested 100,000 deep cannot overflow the stack.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag>(text.data(),
                                                                                  text.size());
  if (doc.HasParseError()) {
    return JsonError{doc.GetErrorOffset() + 1, rapidjson::GetParseError_En(doc.GetParseError())};
  }
  try {
    return read(static_cast<const rapidjson::Value&>(doc));
  } catch (const FieldError& e) {
    return JsonError{1, e.message};
  }
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
  o.u64("cpu_nanos", r.cpu_nanos);
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
  return parse_document<Row>(line, read_row);
}

std::variant<Env, JsonError> parse_env(std::string_view text) {
  return parse_document<Env>(text, read_env);
}

std::string format_hash(std::uint64_t hash) {
  static const char* digits = "0123456789abcdef";
  std::string hex;
  do {
    hex.insert(hex.begin(), digits[hash & 0xf]);
    hash >>= 4;
  } while (hash != 0);
  return "0x" + hex;
}

std::optional<std::uint64_t> parse_hash(std::string_view text) {
  if (text.size() < 3 || text.size() > 18 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (char c : text.substr(2)) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    value = (value << 4) | static_cast<std::uint64_t>(d);
  }
  return value;
}

}  // namespace benchgate
