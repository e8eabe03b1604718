# RUNNER_ARGS reach the compare test's confirmation rerun whole, end to end through CTest, in the
# rerun fixture project (tests/cmake/rerun): its RUNNER_ARGS pin the params with
# `--param-list 1024,4096` and give `--max-seconds-per-call=30`.
#   1. the compare test's command passes each RUNNER_ARG as one --runner-arg=<value>;
#   2. a run at normal speed becomes the baseline (benchgate-update-baselines);
#   3. the run test five times slower (its environment only): three trials a param are too few
#      to decide (inconclusive), so the compare test measures again with benchgate-runner given
#      every RUNNER_ARG; the reruns measure the normal speed, nothing regresses, the test passes.
# Until benchgate-compare kept each --runner-arg whole, the rerun got `1024` and `4096` as two
# arguments, the runner stopped with "unexpected argument '4096'" and the compare test failed
# with a usage error (exit 2) on code that had not changed.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -P check_rerun.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

# Configures the fixture with the run test's work factor and builds it.
function(configure factor)
  run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" -DWORK_FACTOR=${factor})
  run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" -j2)
endfunction()

# Runs ctest -V -L bench (every test's output, passed or not); the output is left in `ctest_out`.
function(bench)
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -V -L bench
    WORKING_DIRECTORY "${BINARY_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ctest_out "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}/baselines" "${BINARY_DIR}/benchgate")

# 1. What the compare test passes on.
configure(1)
run("${CMAKE_CTEST_COMMAND}" --show-only=json-v1 WORKING_DIRECTORY "${BINARY_DIR}")
set(json "${out}")
string(JSON count LENGTH "${json}" tests)
math(EXPR last_test "${count} - 1")
set(compare_command "")
foreach(t RANGE ${last_test})
  string(JSON tname GET "${json}" tests ${t} name)
  if(tname STREQUAL "bench.rerun.compare")
    json_test_command("${json}" ${t} compare_command)
  endif()
endforeach()
foreach(arg --runner-arg=--param-list --runner-arg=1024,4096 --runner-arg=--max-seconds-per-call=30)
  if(NOT arg IN_LIST compare_command)
    message(FATAL_ERROR "bench.rerun.compare should pass ${arg} as one argument: ${compare_command}")
  endif()
endforeach()

# 2. The baseline, at normal speed.
bench()
expect("bench.rerun.run [.]*   Passed")
expect("bench.rerun.compare [.]*[*][*][*]Skipped")
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-update-baselines)

# 3. A slow run, a rerun at normal speed.
configure(5)
bench()
expect("bench.rerun.run [.]*   Passed")
expect("measuring rerun.hash_chain \\(2 key\\(s\\)\\) again")
expect("bench.rerun.compare [.]*   Passed")
if(ctest_out MATCHES "unexpected argument|usage error")
  message(FATAL_ERROR "the rerun did not take RUNNER_ARGS as given:\n${ctest_out}")
endif()
message(STATUS "RUNNER_ARGS reached the confirmation rerun whole; it refuted the slow first run")
