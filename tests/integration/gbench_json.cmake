# Gate-only adoption (issue 19): benchgate-compare on the JSON files of a real Google Benchmark
# executable. Needs Google Benchmark (Debian's libbenchmark-dev); without it these tests are not
# built and the rest of the project is unaffected.
find_package(benchmark QUIET)
if(NOT benchmark_FOUND)
  message(STATUS "Google Benchmark not found: the gbench_json integration tests are skipped "
                 "(install libbenchmark-dev to run them)")
  return()
endif()

# The fixture, as is and doing four times the work per iteration (a real slowdown).
foreach(variant IN ITEMS "" "_slow")
  set(target benchgate_gbench_json_bench${variant})
  add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/fixtures/gbench_json_bench.cpp)
  target_link_libraries(${target} PRIVATE benchmark::benchmark)
  target_compile_options(${target} PRIVATE -O2)
endforeach()
target_compile_definitions(benchgate_gbench_json_bench_slow PRIVATE BENCHGATE_GBENCH_WORK=4)

add_executable(benchgate_gbench_json_tests main.cpp gbench_json_cli_test.cpp)
target_link_libraries(benchgate_gbench_json_tests PRIVATE benchgate::core benchgate::process
  doctest::doctest)
target_compile_definitions(benchgate_gbench_json_tests PRIVATE
  "BENCHGATE_COMPARE=\"$<TARGET_FILE:benchgate-compare>\""
  "BENCHGATE_GBENCH_BENCH=\"$<TARGET_FILE:benchgate_gbench_json_bench>\""
  "BENCHGATE_GBENCH_BENCH_SLOW=\"$<TARGET_FILE:benchgate_gbench_json_bench_slow>\""
  "BENCHGATE_TEST_SCRATCH=\"${CMAKE_CURRENT_BINARY_DIR}/scratch\"")
add_dependencies(benchgate_gbench_json_tests benchgate-compare benchgate_gbench_json_bench
  benchgate_gbench_json_bench_slow)
doctest_discover_tests(benchgate_gbench_json_tests
  TEST_PREFIX "integration."
  PROPERTIES LABELS "integration" TIMEOUT 120)
