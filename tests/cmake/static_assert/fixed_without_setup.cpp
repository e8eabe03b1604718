// expect: benchgate::fixed(name, fn): per_call_setup() and manual_time() need the setup
#include <benchgate/benchgate.hpp>
#include <cstdint>

BENCHGATE_REGISTER(bad) = benchgate::fixed(
    "bad", benchgate::manual_time([](int&, benchgate::ManualTimer& t) { t.add_nanos(1); }));
