// The consumer's benchmark: a short sum, so the consumer tests stay quick.
#include <benchgate/benchgate.hpp>
#include <numeric>
#include <vector>

BENCHGATE_REGISTER(consumer_sum) =
    benchgate::parametric(
        "consumer.sum", [](std::uint64_t n) { return std::vector<std::uint64_t>(n, 3); },
        [](const std::vector<std::uint64_t>& v) {
          return std::accumulate(v.begin(), v.end(), std::uint64_t{0});
        })
        .complexity("n", [](double n) { return n; });
