// expect: benchgate::per_call_setup: make_input(state) returns void
#include <benchgate/benchgate.hpp>
#include <cstdint>

BENCHGATE_REGISTER(bad) = benchgate::parametric(
    "bad", [](std::uint64_t n) { return n; },
    benchgate::per_call_setup([](const std::uint64_t&) {}, [](std::uint64_t x) { return x; }));
