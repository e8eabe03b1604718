# Finds the third-party libraries benchgate builds with (Debian packages; see scripts/install-deps)
# and wraps RapidJSON, which ships no target, in exactly one interface target.
include_guard(GLOBAL)

find_package(RapidJSON 1.1 REQUIRED CONFIG)
if(NOT TARGET benchgate_rapidjson)
  add_library(benchgate_rapidjson INTERFACE)
  add_library(benchgate::rapidjson ALIAS benchgate_rapidjson)
  target_include_directories(benchgate_rapidjson SYSTEM INTERFACE "${RAPIDJSON_INCLUDE_DIRS}")
  # Checked writes refuse NaN/Inf; 64-bit sizes keep 100 MB lines addressable.
  target_compile_definitions(benchgate_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
endif()

find_package(cxxopts 3 REQUIRED CONFIG)
