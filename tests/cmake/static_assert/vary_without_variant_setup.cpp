// expect: benchgate: .vary()/.variants() need a setup that takes the variant
// .vary() on a benchmark whose setup takes only n: it could not tell the variants apart.
#include <benchgate/benchgate.hpp>

#include <cstdint>

BENCHGATE_REGISTER(wrong) = benchgate::parametric(
                                "wrong", [](std::uint64_t n) { return n; },
                                [](std::uint64_t v) { return v + 1; })
                                .vary("level", {1, 9});
