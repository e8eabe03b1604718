// Streaming reduction of rows to per-key samples, held compactly.
#include "reduce.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "benchgate/core/jsonl.hpp"
#include "gbench.hpp"

namespace benchgate {
namespace {

auto tie_key(const Key& k) {
  return std::tie(k.suite, k.kind, k.function, k.param, k.cache_mode);
}
auto tie_key(const KeyRef& k) {
  return std::tie(k.suite, k.kind, k.function, k.param, k.cache_mode);
}

// The metrics of a Side, in its order; a record's per-metric arrays are indexed by them.
enum class Metric : std::uint8_t { time, rss, alloc, instructions };
constexpr std::size_t kMetrics = 4;

// What a row contributes, as CompactReduction::add states it (reduce.hpp).

// Samples are ok rows not marked out of the verdict nor below the signal floor (null: a sample).
bool is_sample(const Row& row) {
  return row.part_of_verdict != false && row.below_signal_floor != true;
}

std::optional<double> rss_sample(const Row& row) {
  if (!row.peak_rss_kb) return std::nullopt;
  return static_cast<double>(*row.peak_rss_kb);
}

std::optional<double> alloc_sample(const Row& row) {
  if (!row.alloc_bytes) return std::nullopt;
  const std::uint64_t repeats = std::max<std::uint64_t>(1, row.inner_repeats.value_or(1));
  return static_cast<double>(*row.alloc_bytes) / static_cast<double>(repeats);
}

// The key's cache mode: a parametric row without one reads as warm (the default mode; the schema
// makes an absent cache_mode warm), so rows that omit it match warm rows; fixed rows have none.
std::optional<CacheMode> key_cache_mode(const Row& row) {
  if (row.kind != RowKind::parametric) return std::nullopt;
  return row.cache_mode.value_or(CacheMode::warm);
}

}  // namespace

bool operator<(const Key& a, const Key& b) {
  return tie_key(a) < tie_key(b);
}
bool operator==(const Key& a, const Key& b) {
  return tie_key(a) == tie_key(b);
}
bool operator<(const KeyRef& a, const KeyRef& b) {
  return tie_key(a) < tie_key(b);
}
bool operator==(const KeyRef& a, const KeyRef& b) {
  return tie_key(a) == tie_key(b);
}

Key KeyRef::key() const {
  Key k;
  k.suite = std::string(suite);
  k.kind = kind;
  k.function = std::string(function);
  k.param = param;
  k.cache_mode = cache_mode;
  return k;
}

Key key_of(const Row& row) {
  Key k;
  k.suite = row.suite.value_or("");
  k.kind = row.kind;
  k.function = row.function;
  if (row.kind == RowKind::parametric) {
    k.param = row.param;
    k.cache_mode = key_cache_mode(row);
  }
  return k;
}

std::string describe(const Key& k) {
  std::string s = (k.suite.empty() ? "" : k.suite + "/") + k.function;
  if (k.param) s += " n=" + std::to_string(*k.param);
  if (k.cache_mode == CacheMode::cold) s += " cold";
  return s;
}

std::vector<std::string> jsonl_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (!fs::is_directory(path, ec)) return {path};
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// ---- CompactReduction ------------------------------------------------------------------------

namespace {

// Samples kept inside a record per metric; more go to a vector. Five covers the common shapes
// (five outer trials, five fixed repeats) without a heap allocation per key.
constexpr std::size_t kInline = 5;
// Records per block: about 420 KB, large enough for the allocator to map each block on its own and
// to unmap it when released (glibc: above M_MMAP_THRESHOLD), small enough to release gradually.
constexpr std::size_t kBlockRecords = 2048;
constexpr std::uint32_t kNone = 0;

enum : std::uint8_t { kModeNone = 0, kModeWarm = 1, kModeCold = 2 };

std::uint8_t mode_code(std::optional<CacheMode> m) {
  if (!m) return kModeNone;
  return *m == CacheMode::warm ? kModeWarm : kModeCold;
}

std::optional<CacheMode> mode_of(std::uint8_t code) {
  if (code == kModeNone) return std::nullopt;
  return code == kModeWarm ? CacheMode::warm : CacheMode::cold;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

struct CompactReduction::Impl {
  struct KeyCode {
    std::uint64_t param = 0;
    std::uint32_t suite = 0;     // index in names
    std::uint32_t function = 0;  // index in names
    std::uint8_t kind = 0;       // RowKind
    std::uint8_t has_param = 0;
    std::uint8_t mode = kModeNone;
  };
  struct Record : KeyCode {
    // The side.
    std::uint8_t has_hash = 0;
    std::uint8_t hash_varies = 0;
    std::uint64_t hash = 0;
    std::uint64_t rows = 0;
    std::uint64_t ok_rows = 0;
    std::uint32_t callgrind = 0;  // samples measured under Callgrind
    std::uint32_t env = kNone;    // 1 + index in envs
    std::uint32_t error = kNone;  // 1 + index in errors
    std::uint32_t count[kMetrics] = {};
    std::uint32_t missing[kMetrics] = {};
    double first[kMetrics][kInline] = {};
    std::unique_ptr<std::vector<double>[]> more;  // values after the first kInline, per metric
    // Per time value, the env (1 + index in envs, kNone) and the trial or repeat index it came
    // with: the SampleId once the env's timestamp is read.
    std::uint32_t first_env[kInline] = {};
    std::uint32_t first_index[kInline] = {};
    std::unique_ptr<std::vector<std::pair<std::uint32_t, std::uint32_t>>> more_ids;
    // Counters of the samples, by name; null while no sample had one (most rows).
    std::unique_ptr<std::map<std::string, std::vector<double>>> counters;
    // Declared bytes and items per call (issue 20) of the last sample that had them (NaN: none);
    // null while no sample had any (most rows).
    std::unique_ptr<std::array<double, 2>> throughput;

    void add_id(std::uint32_t env_id, std::uint32_t index) {
      const std::size_t n = count[static_cast<std::size_t>(Metric::time)] - 1;
      if (n < kInline) {
        first_env[n] = env_id;
        first_index[n] = index;
      } else {
        if (!more_ids)
          more_ids = std::make_unique<std::vector<std::pair<std::uint32_t, std::uint32_t>>>();
        more_ids->emplace_back(env_id, index);
      }
    }

    void add(Metric metric, std::optional<double> v) {
      const auto m = static_cast<std::size_t>(metric);
      if (!v) {
        ++missing[m];
        return;
      }
      if (count[m] < kInline) {
        first[m][count[m]] = *v;
      } else {
        if (!more) more = std::make_unique<std::vector<double>[]>(kMetrics);
        more[m].push_back(*v);
      }
      ++count[m];
    }
    void fill(Metric metric, Samples& out) const {
      const auto m = static_cast<std::size_t>(metric);
      const std::size_t n = count[m];
      out.values.assign(first[m], first[m] + std::min(n, kInline));
      if (n > kInline) out.values.insert(out.values.end(), more[m].begin(), more[m].end());
      out.missing = missing[m];
    }
  };

  std::vector<std::unique_ptr<Record[]>> blocks;
  std::size_t size = 0;      // records
  std::size_t released = 0;  // blocks released from the front

  std::vector<std::string> names;  // suites and functions
  std::unordered_map<std::string, std::uint32_t> name_ids;
  std::vector<std::string> errors;

  // Each distinct env once, found by value (the reader shares one Env between identical env
  // objects only within its reach) and first by identity with the previous row's.
  std::vector<std::shared_ptr<const Env>> envs;
  std::unordered_multimap<std::size_t, std::uint32_t> env_ids;  // hash of the value -> 1 + index
  std::shared_ptr<const Env> last_env;  // held, so that its address cannot be reused
  std::uint32_t last_env_id = kNone;

  static std::size_t hash_of(const Env& e) {
    std::size_t h = 0;
    auto add = [&](std::size_t v) { h = mix(h ^ v); };
    for (const auto* s :
         {&e.compiler, &e.compiler_version, &e.build_type, &e.benchgate_version, &e.os, &e.arch,
          &e.cpu_model, &e.hostname, &e.exe_name, &e.git_commit, &e.timestamp_iso}) {
      add(*s ? std::hash<std::string>()(**s) : 0x9e3779b97f4a7c15ULL);
    }
    for (const auto* i : {&e.cpu_cores, &e.timestamp_unix_ms}) {
      add(*i ? static_cast<std::size_t>(**i) : 0x9e3779b97f4a7c15ULL);
    }
    add(e.git_dirty ? 1 + *e.git_dirty : 0);
    return h;
  }

  std::uint32_t env_id(const std::shared_ptr<const Env>& env) {
    if (env == last_env) return last_env_id;
    const std::size_t h = hash_of(*env);
    std::uint32_t id = kNone;
    for (auto [it, end] = env_ids.equal_range(h); it != end && id == kNone; ++it) {
      if (*envs[it->second - 1] == *env) id = it->second;
    }
    if (id == kNone) {
      envs.push_back(env);
      id = static_cast<std::uint32_t>(envs.size());
      env_ids.emplace(h, id);
    }
    last_env = env;
    last_env_id = id;
    return id;
  }

  // Records are appended in the order their keys first appear. While that is Key order (a file
  // written sorted: --write-baseline, perf/gen_rows) a key after the last one is new without a
  // lookup. The first key out of order builds the index, which then serves every lookup.
  bool sorted = true;           // records are in Key order
  std::size_t last = SIZE_MAX;  // the record the previous row went to
  // Open addressing: per slot, 1 + record index in the low 32 bits (0: empty) and the high half of
  // the key's hash above, so that a probe rarely has to read a record. Half full at most.
  std::vector<std::uint64_t> slots;
  bool indexed = false;

  Record& at(std::size_t i) { return blocks[i / kBlockRecords][i % kBlockRecords]; }
  const Record& at(std::size_t i) const { return blocks[i / kBlockRecords][i % kBlockRecords]; }

  KeyRef key(const KeyCode& r) const {
    KeyRef k;
    k.suite = names[r.suite];
    k.kind = static_cast<RowKind>(r.kind);
    k.function = names[r.function];
    if (r.has_param) k.param = r.param;
    k.cache_mode = mode_of(r.mode);
    return k;
  }

  std::uint32_t intern(const std::string& name) {
    auto it = name_ids.find(name);
    if (it != name_ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names.size());
    names.push_back(name);
    name_ids.emplace(name, id);
    return id;
  }

  static std::uint64_t hash_of(const KeyCode& k) {
    const std::uint64_t flags =
        std::uint64_t{k.kind} << 8 | std::uint64_t{k.has_param} << 4 | std::uint64_t{k.mode};
    return mix((std::uint64_t{k.suite} << 32 | k.function) ^ mix(k.param ^ flags));
  }
  static bool same_key(const KeyCode& a, const KeyCode& b) {
    return a.suite == b.suite && a.function == b.function && a.kind == b.kind &&
           a.has_param == b.has_param && a.param == b.param && a.mode == b.mode;
  }

  void insert_slot(std::uint64_t hash, std::size_t index) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
      if (slots[s] == 0) {
        slots[s] = (hash & 0xffffffff00000000ULL) | (index + 1);
        return;
      }
    }
  }
  void build_index(std::size_t records) {
    std::size_t capacity = 1024;
    while (capacity < records * 2) capacity *= 2;
    slots.assign(capacity, 0);
    for (std::size_t i = 0; i < size; ++i) insert_slot(hash_of(at(i)), i);
    indexed = true;
  }
  Record& append(const KeyCode& probe) {
    if (size == blocks.size() * kBlockRecords) {
      blocks.push_back(std::make_unique<Record[]>(kBlockRecords));
    }
    Record& r = at(size);
    static_cast<KeyCode&>(r) = probe;
    last = size++;
    return r;
  }

  // The record of a key, created if new.
  Record& find_or_add(const KeyCode& probe) {
    if (last != SIZE_MAX && same_key(at(last), probe)) return at(last);
    if (!indexed) {
      if (size == 0 || key(at(size - 1)) < key(probe)) return append(probe);
      build_index(size + 1);
    }
    const std::uint64_t hash = hash_of(probe);
    const std::uint64_t tag = hash & 0xffffffff00000000ULL;
    const std::size_t mask = slots.size() - 1;
    for (std::size_t s = hash & mask; slots[s] != 0; s = (s + 1) & mask) {
      const std::size_t index = (slots[s] & 0xffffffffULL) - 1;
      if ((slots[s] & 0xffffffff00000000ULL) == tag && same_key(at(index), probe)) {
        last = index;
        return at(index);
      }
    }
    if (sorted && !(key(at(size - 1)) < key(probe))) sorted = false;
    Record& r = append(probe);
    if ((size + 1) * 2 > slots.size())
      build_index(size + 1);
    else
      insert_slot(hash, size - 1);
    return r;
  }

  void add(const Row& row, const std::shared_ptr<const Env>& env) {
    // Rows of one function come in runs: compare the names with the previous row's before hashing.
    KeyCode probe;
    const std::string& suite = row.suite ? *row.suite : empty_name();
    const Record* prev = last != SIZE_MAX ? &at(last) : nullptr;
    probe.suite = prev && names[prev->suite] == suite ? prev->suite : intern(suite);
    probe.function =
        prev && names[prev->function] == row.function ? prev->function : intern(row.function);
    probe.kind = static_cast<std::uint8_t>(row.kind);
    if (row.kind == RowKind::parametric && row.param) {
      probe.has_param = 1;
      probe.param = *row.param;
    }
    probe.mode = mode_code(key_cache_mode(row));
    Record& r = find_or_add(probe);

    // What the row adds to its key's side: the rules CompactReduction::add states (reduce.hpp).
    ++r.rows;
    if (row.status != RowStatus::ok) {
      if (r.error == kNone) {
        errors.push_back(row.error.value_or(to_string(row.status)));
        r.error = static_cast<std::uint32_t>(errors.size());
      }
      return;
    }
    ++r.ok_rows;
    if (!is_sample(row)) return;

    const auto time = per_call_nanos(row);
    r.add(Metric::time, time);
    if (time) {
      const auto index = row.kind == RowKind::parametric ? row.trial_index : row.repeat_index;
      const std::uint32_t n = r.count[static_cast<std::size_t>(Metric::time)] - 1;
      r.add_id(env ? env_id(env) : kNone, index ? static_cast<std::uint32_t>(*index) : n);
    }
    r.add(Metric::rss, rss_sample(row));
    r.add(Metric::alloc, alloc_sample(row));
    r.add(Metric::instructions, instructions_per_call(row));
    if (row.measured_under == MeasuredUnder::callgrind) ++r.callgrind;
    if (row.result_hash) {
      if (!r.has_hash) {
        r.has_hash = 1;
        r.hash = *row.result_hash;
      } else if (r.hash != *row.result_hash) {
        r.hash_varies = 1;
      }
    }
    if (r.env == kNone && env) r.env = env_id(env);
    if (row.counters && !row.counters->empty()) {
      if (!r.counters) r.counters = std::make_unique<std::map<std::string, std::vector<double>>>();
      for (const auto& c : *row.counters) (*r.counters)[c.first].push_back(c.second);
    }
    if (row.bytes_per_call || row.items_per_call) {
      if (!r.throughput) r.throughput = std::make_unique<std::array<double, 2>>();
      const double none = std::numeric_limits<double>::quiet_NaN();
      *r.throughput = {row.bytes_per_call.value_or(none), row.items_per_call.value_or(none)};
    }
  }

  static const std::string& empty_name() {
    static const std::string empty;
    return empty;
  }

  void sort() {
    if (sorted) return;
    // Names ranked in string order, so records compare as integers, in Key's order.
    std::vector<std::uint32_t> by_name(names.size());
    std::iota(by_name.begin(), by_name.end(), 0u);
    std::sort(by_name.begin(), by_name.end(),
              [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
    std::vector<std::uint32_t> rank(names.size());
    for (std::size_t i = 0; i < by_name.size(); ++i) {
      rank[by_name[i]] = static_cast<std::uint32_t>(i);
    }
    auto tie_rec = [&](const Record& r) {
      return std::make_tuple(rank[r.suite], r.kind, rank[r.function], r.has_param, r.param, r.mode);
    };
    std::vector<std::uint32_t> order(size);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return tie_rec(at(a)) < tie_rec(at(b)); });
    // Position i takes record order[i]: follow each cycle of the permutation with one spare record.
    for (std::size_t i = 0; i < size; ++i) {
      if (order[i] == i) continue;
      Record spare = std::move(at(i));
      std::size_t j = i;
      for (;;) {
        const std::size_t from = order[j];
        order[j] = static_cast<std::uint32_t>(j);
        if (from == i) {
          at(j) = std::move(spare);
          break;
        }
        at(j) = std::move(at(from));
        j = from;
      }
    }
    sorted = true;
    indexed = false;
    std::vector<std::uint64_t>().swap(slots);
    last = SIZE_MAX;
  }
};

CompactReduction::CompactReduction() : impl_(std::make_unique<Impl>()) {}
CompactReduction::~CompactReduction() = default;
CompactReduction::CompactReduction(CompactReduction&&) noexcept = default;
CompactReduction& CompactReduction::operator=(CompactReduction&&) noexcept = default;

void CompactReduction::add(const Row& row, const std::shared_ptr<const Env>& env) {
  impl_->add(row, env);
}

void CompactReduction::add(const Row& row) {
  impl_->add(row, row.env ? std::make_shared<const Env>(*row.env) : nullptr);
}

std::size_t CompactReduction::size() const {
  return impl_ ? impl_->size : 0;
}

void CompactReduction::sort() {
  impl_->sort();
}

KeyRef CompactReduction::key(std::size_t i) const {
  return impl_->key(impl_->at(i));
}

void CompactReduction::side(std::size_t i, Side& out) const {
  const auto& r = impl_->at(i);
  out.rows = r.rows;
  out.ok_rows = r.ok_rows;
  r.fill(Metric::time, out.time);
  out.time_ids.resize(out.time.values.size());
  for (std::size_t k = 0; k < out.time_ids.size(); ++k) {
    const auto [env_id, index] =
        k < kInline ? std::pair(r.first_env[k], r.first_index[k]) : (*r.more_ids)[k - kInline];
    out.time_ids[k].run =
        env_id == kNone ? 0 : impl_->envs[env_id - 1]->timestamp_unix_ms.value_or(0);
    out.time_ids[k].index = index;
  }
  r.fill(Metric::rss, out.rss_kb);
  r.fill(Metric::alloc, out.alloc_bytes);
  r.fill(Metric::instructions, out.instructions);
  out.callgrind_samples = r.callgrind;
  out.hash = r.has_hash ? std::optional<std::uint64_t>(r.hash) : std::nullopt;
  out.hash_varies = r.hash_varies != 0;
  out.env.reset();
  if (r.counters)
    out.counters = *r.counters;
  else
    out.counters.clear();
  out.bytes_per_call.reset();
  out.items_per_call.reset();
  if (r.throughput) {
    if (!std::isnan((*r.throughput)[0])) out.bytes_per_call = (*r.throughput)[0];
    if (!std::isnan((*r.throughput)[1])) out.items_per_call = (*r.throughput)[1];
  }
  if (r.error == kNone)
    out.first_error.reset();
  else
    out.first_error = impl_->errors[r.error - 1];
}

const Env* CompactReduction::env(std::size_t i) const {
  const auto& r = impl_->at(i);
  return r.env == kNone ? nullptr : impl_->envs[r.env - 1].get();
}

void CompactReduction::release_before(std::size_t i) {
  auto& m = *impl_;
  for (; m.released < m.blocks.size() && (m.released + 1) * kBlockRecords <= i; ++m.released) {
    m.blocks[m.released].reset();
  }
}

Reduction CompactReduction::expand() const {
  Reduction out;
  auto& m = *impl_;
  for (std::size_t i = 0; i < m.size; ++i) {
    Side s;
    side(i, s);
    if (const Env* e = env(i)) s.env = *e;
    out.emplace(m.key(m.at(i)).key(), std::move(s));
  }
  return out;
}

CompactReduction reduce_path(const std::string& path) {
  const std::vector<std::string> files = jsonl_files(path);
  if (files.empty()) {
    throw InputError(path +
                     ": directory holds no .jsonl file. Point at a rows file or a "
                     "directory of them");
  }
  CompactReduction reduction;
  if (files.size() == 1 && files.front() == path && is_gbench_file(path)) {
    const GbenchDoc doc = read_gbench_file(path);
    const auto env = std::make_shared<const Env>(gbench_env(doc));
    for (const Row& row : gbench_rows(doc)) reduction.add(row, env);
    reduction.sort();
    return reduction;
  }
  // visit_rows reports a missing file with its path.
  for (const auto& f : files) {
    visit_rows(
        f, [&](const Row& row, const std::shared_ptr<const Env>& env) { reduction.add(row, env); });
  }
  reduction.sort();
  return reduction;
}

}  // namespace benchgate
