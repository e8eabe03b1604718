// expect: benchgate::per_call_setup: make_input must be callable as make_input(state)
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <string>

BENCHGATE_REGISTER(bad) = benchgate::parametric(
    "bad", [](std::uint64_t n) { return n; },
    benchgate::per_call_setup([](const std::string& s) { return s; },
                              [](std::string s) { return s.size(); }));
