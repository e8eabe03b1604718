// A minimal benchmark for the CMake usage fixture.
#include <benchgate/benchgate.hpp>

BENCHGATE_REGISTER(demo) = benchgate::parametric("demo.identity", [](std::uint64_t n) {
                             return n;
                           }).complexity("1", [](double) { return 1.0; });
