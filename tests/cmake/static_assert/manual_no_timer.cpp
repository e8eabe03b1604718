// expect: benchgate::manual_time: the measured function must be callable as fn(state,
#include <benchgate/benchgate.hpp>
#include <cstdint>

BENCHGATE_REGISTER(bad) = benchgate::parametric(
    "bad", [](std::uint64_t n) { return n; },
    benchgate::manual_time([](std::uint64_t& n) { return n; }));
