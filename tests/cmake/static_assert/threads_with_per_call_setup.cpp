// expect: benchgate: .threads() runs a plain measured function fn(state) on k threads
// .threads() with per_call_setup(): the prepared inputs belong to one thread.
#include <benchgate/benchgate.hpp>

#include <cstdint>
#include <vector>

BENCHGATE_REGISTER(wrong) =
    benchgate::parametric(
        "wrong", [](std::uint64_t n) { return n; },
        benchgate::per_call_setup([](std::uint64_t n) { return std::vector<int>(n); },
                                  [](std::vector<int>& v) { v.push_back(1); }))
        .threads(2);
