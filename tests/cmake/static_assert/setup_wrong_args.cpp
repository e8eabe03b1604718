// expect: benchgate::parametric: setup must be callable as setup(n)
// A setup that takes a string can be called neither with n nor with n and a variant.
#include <benchgate/benchgate.hpp>

#include <string>

BENCHGATE_REGISTER(wrong) = benchgate::parametric(
    "wrong", [](const std::string& s) { return s.size(); }, [](std::size_t v) { return v + 1; });
