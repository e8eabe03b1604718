// The benchmark of the rerun fixture: a register-only hash chain of n steps per call, done
// BENCHGATE_FIXTURE_WORK_FACTOR times over when that environment variable says so (only the run
// test's environment does), so that the run reads slow and the confirmation rerun does not.
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <cstdlib>

namespace {

std::uint64_t work_factor() {
  const char* text = std::getenv("BENCHGATE_FIXTURE_WORK_FACTOR");
  const long factor = text ? std::strtol(text, nullptr, 10) : 1;
  return factor > 0 ? static_cast<std::uint64_t>(factor) : 1;
}

struct Chain {
  std::uint64_t steps;
  std::uint64_t seed;
};

}  // namespace

BENCHGATE_REGISTER(chain) = benchgate::parametric(
                                "rerun.hash_chain",
                                [](std::uint64_t n) {
                                  return Chain{n * work_factor(), 42};
                                },
                                [](const Chain& c) {
                                  std::uint64_t h = c.seed;
                                  for (std::uint64_t i = 0; i < c.steps; ++i)
                                    h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL + i;
                                  return h;
                                })
                                .complexity("n", [](double n) { return n; });
