// Example: building a hash map of n keys, declared O(n). The result is the map's size and a
// checksum, which is cheap to hash and still depends on every insertion. Each call inserts n
// keys: .items_per_call makes reports show insertions per second beside the time.
// And a thread benchmark: lookups in one shared, read-only map from 1 and from 2 threads at
// once (.threads({1, 2})), each its own key: "hashmap.lookup/threads:2".
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

std::vector<std::uint64_t> keys(std::uint64_t n) {
  std::vector<std::uint64_t> k(n);
  std::uint64_t x = 0x2545F4914F6CDD1DULL;
  for (auto& v : k) {  // xorshift: distinct-enough keys without <random>'s cost
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    v = x;
  }
  return k;
}

}  // namespace

BENCHGATE_REGISTER(hashmap_build) =
    benchgate::parametric("hashmap.build", keys,
                          [](const std::vector<std::uint64_t>& k) {
                            std::unordered_map<std::uint64_t, std::uint64_t> m;
                            m.reserve(k.size());
                            for (std::size_t i = 0; i < k.size(); ++i) m.emplace(k[i], i);
                            std::uint64_t sum = 0;
                            for (const auto& [key, value] : m) sum += key ^ value;
                            return std::make_pair(static_cast<std::uint64_t>(m.size()), sum);
                          })
        .items_per_call([](std::uint64_t n) { return n; })
        .complexity("n", [](double n) { return n; })
        .config([] {
          benchgate::BenchmarkConfig c;
          c.param_floor = 64;
          c.param_ceiling = 1 << 16;
          c.target_inner_nanos = 100'000'000;  // ~50-110 ms batches, above 10 spawn floors
          c.outer_trials =
              7;  // independent children per rung: the U test needs >= 5, the minimum likes more
          c.tags = {"example"};
          return c;
        }());

namespace {

// A map of 2^16 keys and the 4096 keys each call looks up (half of them absent), shared
// read-only by every thread of a batch.
struct LookupTable {
  std::unordered_map<std::uint64_t, std::uint64_t> map;
  std::vector<std::uint64_t> probes;
};

std::shared_ptr<const LookupTable> lookup_table() {
  auto t = std::make_shared<LookupTable>();
  const auto k = keys(1 << 17);
  t->map.reserve(1 << 16);
  for (std::size_t i = 0; i < (1 << 16); ++i) t->map.emplace(k[i], i);
  for (std::size_t i = 0; i < 4096; ++i) t->probes.push_back(k[(i * 7919) % k.size()]);
  return t;
}

}  // namespace

BENCHGATE_REGISTER(hashmap_lookup) =
    benchgate::fixed("hashmap.lookup", lookup_table,
                     [](const std::shared_ptr<const LookupTable>& t) {
                       std::uint64_t sum = 0;
                       for (std::uint64_t key : t->probes) {
                         const auto it = t->map.find(key);
                         if (it != t->map.end()) sum += it->second;
                       }
                       return sum;
                     })
        .threads({1, 2})
        .items_per_call(4096)
        .config([] {
          benchgate::FixedBenchmarkConfig c;
          c.repeats = 9;  // children per run: the U test needs >= 5 per side
          c.min_total_seconds = 0.05;
          c.tags = {"example"};
          return c;
        }());
