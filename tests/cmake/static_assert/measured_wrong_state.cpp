// expect: benchgate: the measured function must be callable as fn(state)
#include <benchgate/benchgate.hpp>
#include <cstdint>
#include <string>

BENCHGATE_REGISTER(bad) = benchgate::parametric(
    "bad", [](std::uint64_t n) { return n; }, [](const std::string& s) { return s.size(); });
