# benchgate_add_google_benchmark() end to end through CTest, in a consumer project with
# find_package(benchgate) and find_package(benchmark) (tests/cmake/google_benchmark):
#   1. the unmodified executable: bench.gbench_suite.run passes and its rows carry every
#      instance (counters, allocations); the compare test is skipped without a baseline;
#      benchgate-update-baselines writes one; A/A: the next ctest -L bench passes;
#   2. the same source with BENCHGATE_FIXTURE_SLOWDOWN (three times the work): the compare
#      test fails;
#   3. A/B in one job: with BENCHGATE_BASELINE_BUILD naming a tree that holds the unmodified
#      executable (copied from step 1: no second build), the run test measures it too, instance
#      by instance, into gbench_suite.baseline.jsonl, and the compare test fails against those
#      rows; A/A (the unmodified source again) passes. Only BM_Sum's 3 instances (FILTER), to
#      keep it cheap.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -DGBENCH_SOURCE=<gbench_adapter_bench.cpp> -P check_google_benchmark.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

# Configures (without A/B or a filter unless given as extra arguments), builds and runs
# ctest -L bench.
function(step slowdown)
  run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" "-DGBENCH_SOURCE=${GBENCH_SOURCE}"
      -DSLOWDOWN=${slowdown} -DBENCHGATE_BASELINE_BUILD= -DFILTER= ${ARGN})
  run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" -j2)
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -L bench --output-on-failure
    WORKING_DIRECTORY "${BINARY_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ctest_out "${out}${err}" PARENT_SCOPE)
endfunction()

set(base "${BINARY_DIR}-base")  # the merge base's tree: step 1's executable
file(REMOVE_RECURSE "${BINARY_DIR}/baselines" "${BINARY_DIR}/benchgate" "${base}")

# 1. The executable as its authors wrote it.
step(OFF)
expect("bench.gbench_suite.run [.]*   Passed")
expect("bench.gbench_suite.compare [.]*[*][*][*]Skipped")
file(READ "${BINARY_DIR}/benchgate/gbench_suite.jsonl" rows)
foreach(key "\"BM_Sum/\\*\",\"param\":64" "\"BM_Sum/\\*\",\"param\":1024"
    "\"BM_Sum/\\*\",\"param\":4096" "\"BM_Args/\\*/2\",\"param\":256"
    "\"BM_Alloc/\\*\",\"param\":4096" "\"Numbers/Sum/\\*\",\"param\":512" "\"Fixed/Sum\""
    "\"BM_Template<int>/\\*\",\"param\":128" "\"BM_Capture/small\""
    "\"BM_Threads/\\*/threads:2\",\"param\":256")
  if(NOT rows MATCHES "\"function\":${key}")
    message(FATAL_ERROR "no row for ${key} in the rows:\n${rows}")
  endif()
endforeach()
if(NOT rows MATCHES "\"counters\":{\"bytes_per_second\":[0-9.e+]+,\"elements\":")
  message(FATAL_ERROR "BM_Sum's rows should carry its counters:\n${rows}")
endif()
if(NOT rows MATCHES "\"BM_Alloc/\\*\",\"param\":4096[^\n]*\"alloc_bytes\":[1-9]")
  message(FATAL_ERROR "BM_Alloc's rows should count allocations (gbench_memory):\n${rows}")
endif()
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-update-baselines)
if(NOT EXISTS "${BINARY_DIR}/baselines/gbench_suite.jsonl")
  message(FATAL_ERROR "benchgate-update-baselines wrote no baseline:\n${out}")
endif()
step(OFF)
expect("bench.gbench_suite.compare [.]*   Passed")
file(MAKE_DIRECTORY "${base}")
file(COPY_FILE "${BINARY_DIR}/gbench_suite" "${base}/gbench_suite")

# 2. Three times the work per call: the gate fails.
step(ON)
expect("bench.gbench_suite.run [.]*   Passed")
expect("bench.gbench_suite.compare [.]*[*][*][*]Failed")
expect("REGRESSED")

# 3. A/B in one job: the slowed executable against the unmodified one, measured in the same run.
set(ab_rows "${BINARY_DIR}/benchgate/gbench_suite.baseline.jsonl")
set(ab_args "-DBENCHGATE_BASELINE_BUILD=${base}" "-DFILTER=^BM_Sum/")
step(ON ${ab_args})
file(READ "${BINARY_DIR}/CTestTestfile.cmake" tests)
string(FIND "${tests}" "\"--baseline-exe\" \"${base}/gbench_suite\"" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the run and compare tests should pass --baseline-exe ${base}/gbench_suite:"
    "\n${tests}")
endif()
expect("bench.gbench_suite.run [.]*   Passed")
expect("bench.gbench_suite.compare [.]*[*][*][*]Failed")
expect("REGRESSED +gbench_suite/BM_Sum/[*] .* 15 pairs")
# Every instance in both files, 5 trials each.
file(READ "${ab_rows}" base_rows)
file(READ "${BINARY_DIR}/benchgate/gbench_suite.jsonl" cur_rows)
foreach(param 64 1024 4096)
  foreach(rows base_rows cur_rows)
    string(REGEX MATCHALL "\"function\":\"BM_Sum/\\*\",\"param\":${param}," found "${${rows}}")
    list(LENGTH found n)
    if(NOT n EQUAL 5)
      message(FATAL_ERROR "${rows}: expected 5 rows of BM_Sum/* at ${param}, found ${n}:\n"
        "${${rows}}")
    endif()
  endforeach()
endforeach()
# A/A: the unmodified source on both sides passes.
file(REMOVE "${ab_rows}")
step(OFF ${ab_args})
expect("bench.gbench_suite.run [.]*   Passed")
expect("bench.gbench_suite.compare [.]*   Passed")
if(NOT EXISTS "${ab_rows}")
  message(FATAL_ERROR "A/A: the run wrote no ${ab_rows}:\n${ctest_out}")
endif()
file(REMOVE_RECURSE "${base}")
