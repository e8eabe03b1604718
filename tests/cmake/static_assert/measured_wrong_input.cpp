// expect: the measured function must take the input that make_input returns
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <string>
#include <vector>

BENCHGATE_REGISTER(bad) = benchgate::parametric(
    "bad", [](std::uint64_t n) { return std::vector<int>(n); },
    benchgate::per_call_setup([](const std::vector<int>& v) { return v; },
                              [](const std::string& s) { return s.size(); }));
