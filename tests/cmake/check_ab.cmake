# A/B in one job end to end (docs/cmake.md, "A/B in one job"), in the gate fixture project
# (tests/cmake/gate):
#   1. a "base" tree built as is (the merge base) and a "head" tree doing 100% more work per call,
#      configured with -DBENCHGATE_BASELINE_BUILD=<base>;
#   2. head's bench.gate.run passes --baseline-exe <base>/gate --baseline-out
#      <head>/benchgate/gate.baseline.jsonl; bench.gate.compare reads that file (not BASELINE)
#      and passes --baseline-exe for its confirmation rerun;
#   3. ctest -L bench in head: the run writes both rows files, each from its own executable,
#      and the compare test fails, the regression confirmed by a paired rerun;
#   4. A/A: head rebuilt without the slowdown, against the same base: the compare test passes;
#      against a base tree without the executable (a new benchmark) it is skipped;
#   5. a relative BENCHGATE_BASELINE_BUILD is taken from the directory cmake runs in; the
#      configure errors: not a directory (missing, or a file), this build tree (however spelt).
# The default time threshold is benchgate-compare's (CMake passes none unless TIME_THRESHOLD is
# given): 5% with --baseline-exe, as head's compare report says, against 10% in base's.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -P check_ab.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

set(base "${BINARY_DIR}/base")
set(head "${BINARY_DIR}/head")
set(slowdown 100)  # twice the work per call: far beyond any noise of a register-only loop
file(MAKE_DIRECTORY "${BINARY_DIR}")  # where cmake runs: relative values start there

# Configures `dir` with the given slowdown and extra arguments; builds it unless NO_BUILD.
function(tree dir slowdown)
  cmake_parse_arguments(PARSE_ARGV 2 arg "NO_BUILD" "" "")
  run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${dir}" -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" -DSLOWDOWN_PERCENT=${slowdown} -DEXTRA_MIB=0
      ${arg_UNPARSED_ARGUMENTS} WORKING_DIRECTORY "${BINARY_DIR}")
  if(NOT arg_NO_BUILD)
    run("${CMAKE_COMMAND}" --build "${dir}" -j2)
  endif()
endfunction()

# The command of test `name` registered in `dir`, as a list (from ctest --show-only=json-v1).
function(test_command dir name out_var)
  run("${CMAKE_CTEST_COMMAND}" --show-only=json-v1 WORKING_DIRECTORY "${dir}")
  set(json "${out}")
  string(JSON count LENGTH "${json}" tests)
  math(EXPR last_test "${count} - 1")
  foreach(t RANGE ${last_test})
    string(JSON tname GET "${json}" tests ${t} name)
    if(tname STREQUAL name)
      json_test_command("${json}" ${t} command)
      set(${out_var} "${command}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no test ${name} registered in ${dir}:\n${json}")
endfunction()

# Fails unless `list` holds `sequence` (a list) as consecutive elements.
function(expect_in_command what list)
  string(REPLACE ";" "\n" flat "\n${list}\n")
  string(REPLACE ";" "\n" want "\n${ARGN}\n")
  string(FIND "${flat}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected the arguments '${ARGN}' in the command:\n${list}")
  endif()
endfunction()

# Runs ctest -L bench in `dir` (extra ctest arguments after it); its output is left in
# `ctest_out`.
function(bench dir)
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -L bench --output-on-failure ${ARGN}
    WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ctest_out "${out}${err}" PARENT_SCOPE)
endfunction()

# The values of `key` in a rows file, one per row, as a list.
function(values_of file key out_var)
  file(STRINGS "${file}" lines)
  set(values "")
  foreach(line IN LISTS lines)
    string(JSON value GET "${line}" ${key})
    list(APPEND values "${value}")
  endforeach()
  set(${out_var} "${values}" PARENT_SCOPE)
endfunction()

# 1. The merge base, then the change: base is configured without A/B (an empty value is unset).
tree("${base}" 0 -DBENCHGATE_BASELINE_BUILD=)
if(NOT EXISTS "${base}/gate")
  message(FATAL_ERROR "the base tree has no gate executable at ${base}/gate")
endif()
tree("${head}" ${slowdown} "-DBENCHGATE_BASELINE_BUILD=${base}")

# 2. What head registered.
test_command("${head}" bench.gate.run run_command)
expect_in_command(bench.gate.run "${run_command}" --baseline-exe "${base}/gate"
  --baseline-out "${head}/benchgate/gate.baseline.jsonl")
expect_in_command(bench.gate.run "${run_command}" run "${head}/gate" --out
  "${head}/benchgate/gate.jsonl")
test_command("${head}" bench.gate.compare compare_command)
list(GET compare_command 1 compare_base)
list(GET compare_command 2 compare_cur)
if(NOT compare_base STREQUAL "${head}/benchgate/gate.baseline.jsonl" OR
   NOT compare_cur STREQUAL "${head}/benchgate/gate.jsonl")
  message(FATAL_ERROR "bench.gate.compare should compare gate.baseline.jsonl with gate.jsonl: "
    "${compare_command}")
endif()
expect_in_command(bench.gate.compare "${compare_command}" --exe "${head}/gate")
expect_in_command(bench.gate.compare "${compare_command}" --baseline-exe "${base}/gate")
# No TIME_THRESHOLD given: no threshold in the command, benchgate-compare's default applies
# (checked in its report below).
test_command("${base}" bench.gate.compare base_compare_command)
if(compare_command MATCHES ";--time-threshold;" OR base_compare_command MATCHES ";--time-threshold;")
  message(FATAL_ERROR "no TIME_THRESHOLD given, yet a --time-threshold in the command:\n"
    "head: ${compare_command}\nbase: ${base_compare_command}")
endif()
if(compare_command MATCHES "baselines/gate.jsonl")
  message(FATAL_ERROR "bench.gate.compare still reads the committed baseline: ${compare_command}")
endif()

# 3. The slowdown is caught against rows measured in the same run.
set(cur_rows "${head}/benchgate/gate.jsonl")
set(base_rows "${head}/benchgate/gate.baseline.jsonl")
file(REMOVE "${cur_rows}" "${base_rows}")
bench("${head}")
expect("bench.gate.run [.]*   Passed")
expect("bench.gate.compare [.]*[*][*][*]Failed")
expect("REGRESSED +gate/gate.hash_chain")
# Decided from the pairs on the first look: 11 repeats, each measured in both builds.
expect("11 pairs, 1 look: above")
# Side by side, the default time threshold is 3% (docs/cmake.md, "A/B in one job").
expect("thresholds: time 3%")
foreach(file "${cur_rows}" "${base_rows}")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "ctest -L bench did not write ${file}:\n${ctest_out}")
  endif()
endforeach()
# One base row per head row (the fixture's 11 repeats), under head's suite, for the same repeat;
# each side computed its own executable's work (the hash chains differ in length).
values_of("${cur_rows}" repeat_index cur_repeats)
values_of("${base_rows}" repeat_index base_repeats)
values_of("${base_rows}" suite base_suites)
values_of("${cur_rows}" result_hash cur_hashes)
values_of("${base_rows}" result_hash base_hashes)
list(REMOVE_DUPLICATES base_suites)
list(REMOVE_DUPLICATES cur_hashes)
list(REMOVE_DUPLICATES base_hashes)
list(LENGTH cur_repeats n)
if(NOT n EQUAL 11 OR NOT cur_repeats STREQUAL base_repeats OR NOT base_suites STREQUAL "gate")
  message(FATAL_ERROR "expected 11 rows in each file, repeat for repeat, suite gate: "
    "repeats ${cur_repeats} and ${base_repeats}, suites ${base_suites}")
endif()
list(LENGTH cur_hashes ncur)
list(LENGTH base_hashes nbase)
if(NOT ncur EQUAL 1 OR NOT nbase EQUAL 1 OR cur_hashes STREQUAL base_hashes)
  message(FATAL_ERROR "each file should hold its own executable's result hash: head "
    "${cur_hashes}, base ${base_hashes}")
endif()

# Base, without A/B, gates at 10%: its compare test alone (-FA: not its run) on copies of the
# base executable's rows as both its baseline and its current rows, printed by ctest -V.
file(MAKE_DIRECTORY "${base}/baselines" "${base}/benchgate")
file(COPY_FILE "${base_rows}" "${base}/baselines/gate.jsonl")
file(COPY_FILE "${base_rows}" "${base}/benchgate/gate.jsonl")
bench("${base}" -V -R "^bench[.]gate[.]compare$" -FA ".*")
expect("bench.gate.compare [.]*   Passed")
expect("thresholds: time 10%")

# 4. A/A: the same code on both sides passes.
tree("${head}" 0 "-DBENCHGATE_BASELINE_BUILD=${base}")
file(REMOVE "${cur_rows}" "${base_rows}")
bench("${head}")
expect("bench.gate.run [.]*   Passed")
expect("bench.gate.compare [.]*   Passed")
values_of("${cur_rows}" result_hash cur_hashes)
values_of("${base_rows}" result_hash base_hashes)
list(REMOVE_DUPLICATES cur_hashes)
list(REMOVE_DUPLICATES base_hashes)
if(NOT cur_hashes STREQUAL base_hashes)
  message(FATAL_ERROR "A/A: both sides should compute the same: ${cur_hashes} vs ${base_hashes}")
endif()

# A benchmark new in the change: the base tree has no such executable. The run measures head
# alone and removes the previous run's baseline rows, so the compare test is skipped (77).
set(empty "${BINARY_DIR}/base-without-gate")
file(REMOVE_RECURSE "${empty}")
file(MAKE_DIRECTORY "${empty}")
tree("${head}" 0 "-DBENCHGATE_BASELINE_BUILD=${empty}")
bench("${head}")
expect("bench.gate.run [.]*   Passed")
expect("bench.gate.compare [.]*[*][*][*]Skipped")
if(EXISTS "${base_rows}")
  message(FATAL_ERROR "${base_rows} should be removed when the base has no executable")
endif()

# 5. A relative value is taken from the directory cmake runs in (here BINARY_DIR), not from the
#    build tree.
set(rel "${BINARY_DIR}/relative")
file(REMOVE_RECURSE "${rel}")
tree("${rel}" 0 -DBENCHGATE_BASELINE_BUILD=base NO_BUILD)
# Not built, so ctest cannot resolve the commands: read the generated test file instead.
file(READ "${rel}/CTestTestfile.cmake" rel_tests)
string(FIND "${rel_tests}" "\"--baseline-exe\" \"${base}/gate\"" at)
if(at EQUAL -1)
  message(FATAL_ERROR "BENCHGATE_BASELINE_BUILD=base given in ${BINARY_DIR} should name "
    "${base}/gate:\n${rel_tests}")
endif()
file(REMOVE_RECURSE "${rel}")

# Configure errors, each in a fresh tree: the message, and no generation.
function(expect_configure_error value expected)
  set(dir "${BINARY_DIR}/error")
  file(REMOVE_RECURSE "${dir}")
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${dir}" -DCMAKE_BUILD_TYPE=Release
            "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" "-DBENCHGATE_BASELINE_BUILD=${value}"
    WORKING_DIRECTORY "${BINARY_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  # CMake wraps messages at spaces: compare with the whitespace collapsed.
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}${err}")
  if(rc EQUAL 0 OR NOT flat MATCHES "${expected}" OR flat MATCHES "Generating done")
    message(FATAL_ERROR "BENCHGATE_BASELINE_BUILD=${value}: expected a configure error "
      "matching /${expected}/, got (exit ${rc}):\n${out}\n${err}")
  endif()
  file(REMOVE_RECURSE "${dir}")
endfunction()
expect_configure_error("${BINARY_DIR}/no-such-tree"
  "BENCHGATE_BASELINE_BUILD \"[^\"]*/no-such-tree\" is not a directory")
expect_configure_error("${base}/gate" "BENCHGATE_BASELINE_BUILD \"[^\"]*/base/gate\" is not a directory")
expect_configure_error("${BINARY_DIR}/error" "BENCHGATE_BASELINE_BUILD is this build tree")
expect_configure_error("${BINARY_DIR}/error/../error/." "BENCHGATE_BASELINE_BUILD is this build tree")
expect_configure_error("error" "BENCHGATE_BASELINE_BUILD is this build tree")

message(STATUS "A/B in one job: the slowdown was caught against the base tree's rows of the "
  "same run, A/A passed, and the configure errors named the problem")
