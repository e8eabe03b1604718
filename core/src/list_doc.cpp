// JSON form of the `--benchgate-list` document.
#include "benchgate/core/list_doc.hpp"

#include "json_text.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

namespace benchgate {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void check(bool ok) {
  if (!ok) throw std::invalid_argument("cannot write the benchmark list as JSON (NaN or Inf?)");
}

void write_string(Writer& w, const std::string& s) {
  check(w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
}

void write_tags(Writer& w, const std::vector<std::string>& tags) {
  check(w.Key("tags"));
  check(w.StartArray());
  for (const auto& t : tags) write_string(w, t);
  check(w.EndArray());
}

void write_config(Writer& w, const BenchmarkConfig& c) {
  check(w.StartObject());
  check(w.Key("target_inner_nanos") && w.Uint64(c.target_inner_nanos));
  check(w.Key("max_seconds_per_call") && w.Double(c.max_seconds_per_call));
  check(w.Key("param_ceiling") && w.Uint64(c.param_ceiling));
  check(w.Key("param_floor") && w.Uint64(c.param_floor));
  check(w.Key("kill_grace_ms") && w.Uint64(c.kill_grace_ms));
  check(w.Key("verdict_warmup_fraction") && w.Double(c.verdict_warmup_fraction));
  check(w.Key("slope_tolerance") && w.Double(c.slope_tolerance));
  check(w.Key("narrow_range_noise_floor") && w.Double(c.narrow_range_noise_floor));
  check(w.Key("param_schedule") && w.String(to_string(c.param_schedule.shape)));
  check(w.Key("linear_samples") && w.Uint64(c.param_schedule.linear_samples));
  check(w.Key("custom_params") && w.StartArray());
  for (auto p : c.param_schedule.custom_params) check(w.Uint64(p));
  check(w.EndArray());
  check(w.Key("cache_mode") && w.String(to_string(c.cache_mode)));
  check(w.Key("signal_floor_multiplier") && w.Double(c.signal_floor_multiplier));
  check(w.Key("outer_trials") && w.Uint64(c.outer_trials));
  check(w.Key("pair_seconds") && w.Double(c.pair_seconds));
  check(w.Key("pair_target_nanos") && w.Uint64(c.pair_target_nanos));
  check(w.Key("max_setup_seconds") && w.Double(c.max_setup_seconds));
  check(w.Key("ladder_seconds") && w.Double(c.ladder_seconds));
  check(w.EndObject());
}

void write_fixed_config(Writer& w, const FixedBenchmarkConfig& c) {
  check(w.StartObject());
  check(w.Key("repeats") && w.Uint64(c.repeats));
  check(w.Key("max_seconds_per_call") && w.Double(c.max_seconds_per_call));
  check(w.Key("kill_grace_ms") && w.Uint64(c.kill_grace_ms));
  check(w.Key("warmup") && w.Bool(c.warmup));
  check(w.Key("min_total_seconds") && w.Double(c.min_total_seconds));
  check(w.Key("max_setup_seconds") && w.Double(c.max_setup_seconds));
  check(w.Key("expected_hash"));
  check(c.expected_hash ? w.String(format_hash(*c.expected_hash).c_str()) : w.Null());
  check(w.EndObject());
}

struct Bad {
  std::string message;
};

const rapidjson::Value& member(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) throw Bad{std::string("missing key '") + key + "'"};
  return it->value;
}
std::uint64_t u64(const rapidjson::Value& obj, const char* key) {
  const auto& v = member(obj, key);
  if (!v.IsUint64()) throw Bad{std::string("key '") + key + "' must be a non-negative integer"};
  return v.GetUint64();
}
double dbl(const rapidjson::Value& obj, const char* key) {
  const auto& v = member(obj, key);
  if (!v.IsNumber()) throw Bad{std::string("key '") + key + "' must be a number"};
  return v.GetDouble();
}
std::string str(const rapidjson::Value& obj, const char* key) {
  const auto& v = member(obj, key);
  if (!v.IsString()) throw Bad{std::string("key '") + key + "' must be a string"};
  return std::string(v.GetString(), v.GetStringLength());
}
std::optional<std::string> opt_str(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  return str(obj, key);
}
bool boolean(const rapidjson::Value& obj, const char* key) {
  const auto& v = member(obj, key);
  if (!v.IsBool()) throw Bad{std::string("key '") + key + "' must be true or false"};
  return v.GetBool();
}
const rapidjson::Value& array(const rapidjson::Value& obj, const char* key) {
  const auto& v = member(obj, key);
  if (!v.IsArray()) throw Bad{std::string("key '") + key + "' must be an array"};
  return v;
}
const rapidjson::Value& object(const rapidjson::Value& obj, const char* key) {
  const auto& v = member(obj, key);
  if (!v.IsObject()) throw Bad{std::string("key '") + key + "' must be an object"};
  return v;
}

BenchmarkInfo read_info(const rapidjson::Value& b) {
  if (!b.IsObject()) throw Bad{"each benchmark must be an object"};
  BenchmarkInfo info;
  info.name = str(b, "name");
  auto kind = parse_row_kind(str(b, "kind"));
  if (!kind) throw Bad{"benchmark '" + info.name + "' has an unknown kind"};
  info.kind = *kind;
  info.hashable = boolean(b, "hashable");
  std::vector<std::string> tags;
  for (const auto& t : array(b, "tags").GetArray()) {
    if (!t.IsString()) throw Bad{"tags must be strings"};
    tags.emplace_back(t.GetString(), t.GetStringLength());
  }
  const auto& c = object(b, "config");
  if (info.kind == RowKind::parametric) {
    info.complexity = str(b, "complexity");
    auto& k = info.config;
    k.target_inner_nanos = u64(c, "target_inner_nanos");
    k.max_seconds_per_call = dbl(c, "max_seconds_per_call");
    k.param_ceiling = u64(c, "param_ceiling");
    k.param_floor = u64(c, "param_floor");
    k.kill_grace_ms = u64(c, "kill_grace_ms");
    k.verdict_warmup_fraction = dbl(c, "verdict_warmup_fraction");
    k.slope_tolerance = dbl(c, "slope_tolerance");
    k.narrow_range_noise_floor = dbl(c, "narrow_range_noise_floor");
    auto shape = parse_schedule_shape(str(c, "param_schedule"));
    if (!shape) throw Bad{"benchmark '" + info.name + "' has an unknown param_schedule"};
    k.param_schedule.shape = *shape;
    k.param_schedule.linear_samples = u64(c, "linear_samples");
    for (const auto& p : array(c, "custom_params").GetArray()) {
      if (!p.IsUint64()) throw Bad{"custom_params must be non-negative integers"};
      k.param_schedule.custom_params.push_back(p.GetUint64());
    }
    auto mode = parse_cache_mode(str(c, "cache_mode"));
    if (!mode) throw Bad{"benchmark '" + info.name + "' has an unknown cache_mode"};
    k.cache_mode = *mode;
    k.signal_floor_multiplier = dbl(c, "signal_floor_multiplier");
    k.outer_trials = u64(c, "outer_trials");
    // Absent from the documents of executables built before A/B pairs shared a count.
    if (c.HasMember("pair_seconds")) k.pair_seconds = dbl(c, "pair_seconds");
    if (c.HasMember("pair_target_nanos")) k.pair_target_nanos = u64(c, "pair_target_nanos");
    // Absent from the documents of executables built before setup had its own cap and the
    // ladder a time limit: their children's cap counts from the start, and their ladders climb
    // to param_ceiling, as they were built to.
    if (c.HasMember("max_setup_seconds")) k.max_setup_seconds = dbl(c, "max_setup_seconds");
    k.ladder_seconds = c.HasMember("ladder_seconds") ? dbl(c, "ladder_seconds") : 0.0;
    k.tags = std::move(tags);
  } else {
    auto& k = info.fixed_config;
    k.repeats = u64(c, "repeats");
    k.max_seconds_per_call = dbl(c, "max_seconds_per_call");
    k.kill_grace_ms = u64(c, "kill_grace_ms");
    k.warmup = boolean(c, "warmup");
    k.min_total_seconds = dbl(c, "min_total_seconds");
    if (c.HasMember("max_setup_seconds")) k.max_setup_seconds = dbl(c, "max_setup_seconds");
    const auto& h = member(c, "expected_hash");
    if (!h.IsNull()) {
      if (!h.IsString()) throw Bad{"expected_hash must be a hash string or null"};
      k.expected_hash = parse_hash(std::string_view(h.GetString(), h.GetStringLength()));
      if (!k.expected_hash) throw Bad{"expected_hash is not \"0x\" + 1-16 hex digits"};
    }
    k.tags = std::move(tags);
  }
  return info;
}

}  // namespace

std::string write_list_doc(const ListDocument& doc) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  check(w.StartObject());
  check(w.Key("benchgate_list_version") && w.Int(kListVersion));
  check(w.Key("suite"));
  write_string(w, doc.suite);
  for (const auto& [key, value] :
       {std::pair{"compiler", &doc.compiler}, std::pair{"compiler_version", &doc.compiler_version},
        std::pair{"build_type", &doc.build_type}}) {
    check(w.Key(key));
    if (*value)
      write_string(w, **value);
    else
      check(w.Null());
  }
  check(w.Key("callgrind") && w.Bool(doc.callgrind));
  check(w.Key("inner_repeats") && w.Bool(doc.inner_repeats));
  check(w.Key("setup_fd") && w.Bool(doc.setup_fd));
  check(w.Key("benchmarks") && w.StartArray());
  for (const auto& b : doc.benchmarks) {
    check(w.StartObject());
    check(w.Key("name"));
    write_string(w, b.name);
    check(w.Key("kind") && w.String(to_string(b.kind)));
    check(w.Key("hashable") && w.Bool(b.hashable));
    write_tags(w, b.tags());
    check(w.Key("config"));
    if (b.kind == RowKind::parametric) {
      write_config(w, b.config);
      check(w.Key("complexity"));
      write_string(w, b.complexity);
    } else {
      write_fixed_config(w, b.fixed_config);
    }
    check(w.EndObject());
  }
  check(w.EndArray());
  check(w.EndObject());
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::variant<ListDocument, JsonError> parse_list_doc(std::string_view text) {
  // The row reader's strict parse: no NUL, bounded nesting, correctly rounded doubles, so that
  // the config the runner reads is the one the executable declared, to the last bit.
  auto parsed = detail::parse_json_text(text);
  if (auto* error = std::get_if<JsonError>(&parsed)) return std::move(*error);
  const rapidjson::Value& d = std::get<std::unique_ptr<detail::JsonText>>(parsed)->doc;
  try {
    if (!d.IsObject()) throw Bad{"the list document must be a JSON object"};
    const auto& version = member(d, "benchgate_list_version");
    if (!version.IsInt() || version.GetInt() != kListVersion) {
      throw Bad{
          "benchgate_list_version is not supported (supported: 1); rebuild the benchmark "
          "against this benchgate"};
    }
    ListDocument doc;
    doc.suite = str(d, "suite");
    doc.compiler = opt_str(d, "compiler");
    doc.compiler_version = opt_str(d, "compiler_version");
    doc.build_type = opt_str(d, "build_type");
    if (auto it = d.FindMember("callgrind"); it != d.MemberEnd() && !it->value.IsNull()) {
      doc.callgrind = boolean(d, "callgrind");
    }
    if (auto it = d.FindMember("inner_repeats"); it != d.MemberEnd() && !it->value.IsNull()) {
      doc.inner_repeats = boolean(d, "inner_repeats");
    }
    if (auto it = d.FindMember("setup_fd"); it != d.MemberEnd() && !it->value.IsNull()) {
      doc.setup_fd = boolean(d, "setup_fd");
    }
    for (const auto& b : array(d, "benchmarks").GetArray()) doc.benchmarks.push_back(read_info(b));
    return doc;
  } catch (const Bad& e) {
    return JsonError{1, e.message};
  }
}

}  // namespace benchgate
