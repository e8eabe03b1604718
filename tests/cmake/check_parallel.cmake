# Runs four benchmarks of the usage fixture (CASE=parallel, RUN_SERIAL off) with ctest -j4, twice
# (the second time against baselines, so the compare tests and their reruns run side by side
# too), and checks that each rows file is whole: every line a schema v1 row of its own suite,
# no temporary files left, every test passed.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -P check_parallel.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

set(baselines "${BINARY_DIR}/baselines")
file(REMOVE_RECURSE "${baselines}")
run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCASE=parallel -UBENCHGATE_SHARDS
    "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" "-DBENCHGATE_BASELINE_DIR=${baselines}")
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" -j2)

function(check_rows)
  foreach(i 1 2 3 4)
    set(file "${BINARY_DIR}/benchgate/par${i}.jsonl")
    if(NOT EXISTS "${file}")
      message(FATAL_ERROR "par${i}: no rows file ${file}")
    endif()
    file(STRINGS "${file}" lines)
    list(LENGTH lines n)
    if(n LESS 6)
      message(FATAL_ERROR "par${i}: only ${n} row(s) in ${file}")
    endif()
    foreach(line IN LISTS lines)
      string(JSON version ERROR_VARIABLE bad GET "${line}" schema_version)
      string(JSON suite ERROR_VARIABLE bad2 GET "${line}" suite)
      if(bad OR bad2 OR NOT version EQUAL 1 OR NOT suite STREQUAL "par${i}")
        message(FATAL_ERROR "par${i}: a line that is not its own schema v1 row:\n${line}")
      endif()
    endforeach()
  endforeach()
  file(GLOB leftovers "${BINARY_DIR}/benchgate/*.tmp.*" "${BINARY_DIR}/benchgate/*.confirm*")
  if(leftovers)
    message(FATAL_ERROR "temporary files left behind: ${leftovers}")
  endif()
endfunction()

# The rows live in benchgate/, beside benchgate's own build tree: remove only the rows.
file(GLOB old_rows "${BINARY_DIR}/benchgate/*.jsonl")
if(old_rows)
  file(REMOVE ${old_rows})
endif()
run("${CMAKE_CTEST_COMMAND}" --test-dir "${BINARY_DIR}" -j4 -L bench --output-on-failure)
check_rows()
# Keep these rows as the baselines, then measure and compare side by side.
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-update-baselines)
run("${CMAKE_CTEST_COMMAND}" --test-dir "${BINARY_DIR}" -j4 -L bench --output-on-failure)
check_rows()
if(NOT out MATCHES "100% tests passed, 0 tests failed out of 8")
  message(FATAL_ERROR "expected 8 passing bench tests:\n${out}")
endif()
message(STATUS "four benchmarks ran side by side with whole, separate rows files")
