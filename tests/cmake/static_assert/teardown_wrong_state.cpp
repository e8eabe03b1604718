// expect: benchgate: .teardown(fn): fn must be callable as fn(state)
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <string>

BENCHGATE_REGISTER(bad) = benchgate::fixed(
                              "bad", [] { return std::uint64_t{1}; },
                              [](std::uint64_t& n) { return n; })
                              .teardown([](std::string&) {});
