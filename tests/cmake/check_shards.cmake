# Splits the four benchmarks of the usage fixture (CASE=parallel, built and given baselines by
# check_parallel.cmake in the same BINARY_DIR) across two "machines" with BENCHGATE_SHARDS=2:
# each shard runs `ctest -L bench-shard-K-of-2` and keeps its rows directory, as a CI machine
# would upload it. Checks that the shards are disjoint and cover every benchmark, that every row
# says which host produced it, that benchgate-compare over the merged directory passes with
# --fail-on-missing, and that a forgotten shard fails it, naming the missing benchmarks.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -DCOMPARE=<exe> -P check_shards.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

set(baselines "${BINARY_DIR}/baselines")
if(NOT EXISTS "${baselines}/par1.jsonl")
  message(FATAL_ERROR "no baselines in ${baselines}: cmake.add_benchmark.parallel_runs_keep_rows_apart "
    "builds this fixture and records them")
endif()
run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCASE=parallel -DBENCHGATE_SHARDS=2
    "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" "-DBENCHGATE_BASELINE_DIR=${baselines}")

set(expected_1 par1 par3)
set(expected_2 par2 par4)
set(shards "${BINARY_DIR}/shards")
file(REMOVE_RECURSE "${shards}")
foreach(k 1 2)
  # What ctest selects for the label: the run and compare tests of this shard's benchmarks.
  run("${CMAKE_CTEST_COMMAND}" --test-dir "${BINARY_DIR}" -N -L "bench-shard-${k}-of-2")
  foreach(name IN LISTS expected_${k})
    if(NOT out MATCHES "bench\\.${name}\\.run" OR NOT out MATCHES "bench\\.${name}\\.compare")
      message(FATAL_ERROR "shard ${k} does not select ${name}'s tests:\n${out}")
    endif()
  endforeach()
  if(NOT out MATCHES "Total Tests: 4")
    message(FATAL_ERROR "shard ${k} should hold 4 tests (2 benchmarks):\n${out}")
  endif()

  file(GLOB old_rows "${BINARY_DIR}/benchgate/*.jsonl")
  if(old_rows)
    file(REMOVE ${old_rows})
  endif()
  run("${CMAKE_CTEST_COMMAND}" --test-dir "${BINARY_DIR}" -j2 -L "bench-shard-${k}-of-2"
      --output-on-failure)
  file(GLOB rows RELATIVE "${BINARY_DIR}/benchgate" "${BINARY_DIR}/benchgate/*.jsonl")
  list(SORT rows)
  list(TRANSFORM expected_${k} APPEND .jsonl OUTPUT_VARIABLE want)
  if(NOT rows STREQUAL want)
    message(FATAL_ERROR "shard ${k} wrote '${rows}', expected '${want}'")
  endif()
  file(MAKE_DIRECTORY "${shards}/${k}")
  foreach(f IN LISTS rows)
    file(COPY "${BINARY_DIR}/benchgate/${f}" DESTINATION "${shards}/${k}")
    file(STRINGS "${shards}/${k}/${f}" lines)
    foreach(line IN LISTS lines)
      string(JSON host ERROR_VARIABLE bad GET "${line}" env hostname)
      if(bad OR host STREQUAL "" OR host STREQUAL "NOTFOUND")
        message(FATAL_ERROR "a row of shard ${k} does not name its machine (env.hostname):\n${line}")
      endif()
    endforeach()
  endforeach()
endforeach()

# The merge: every shard's rows in one directory, compared as a whole.
file(MAKE_DIRECTORY "${shards}/merged")
file(GLOB all_rows "${shards}/1/*.jsonl" "${shards}/2/*.jsonl")
file(COPY ${all_rows} DESTINATION "${shards}/merged")
run("${COMPARE}" "${baselines}" "${shards}/merged" --fail-on-missing --time-threshold 1000%
    --rss-threshold 1000%)
foreach(name par1 par2 par3 par4)
  if(NOT out MATCHES "${name}")
    message(FATAL_ERROR "the merged comparison does not show ${name}:\n${out}")
  endif()
endforeach()

# A shard whose rows never arrived: --fail-on-missing fails the merged gate and names them.
execute_process(COMMAND "${COMPARE}" "${baselines}" "${shards}/1" --fail-on-missing
                        --time-threshold 1000% --rss-threshold 1000%
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT out MATCHES "par2" OR NOT out MATCHES "par4")
  message(FATAL_ERROR "a missing shard should fail the gate (exit 1) naming par2 and par4; "
    "got exit ${rc}:\n${out}\n${err}")
endif()
message(STATUS "two shards ran disjoint halves; their merged rows passed the gate")
