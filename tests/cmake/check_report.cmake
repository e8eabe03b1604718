# What CI sees, end to end through CTest, in a consumer project with two benchmarks
# (tests/cmake/report):
#   1. No baseline yet: both compare tests skipped, and benchgate-report still collects both.
#   2. A baseline whose environment differs (cpu_model rewritten in steady's rows): CTest's summary
#      (no -V) lists bench.steady.compare as skipped, not passed; the collected comment says why.
#   3. `slowed` twice as slow, `steady` unchanged: bench.slowed.compare fails, bench.steady.compare
#      passes; the collected comment lists slowed first with its ratio and interval, matching the
#      tests' exit codes; the collected JUnit file fails slowed with a message naming it and the
#      metric, and passes steady; the failure says how to reproduce and how to accept.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -P check_report.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

function(step slowdown)
  run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" -DSLOWDOWN_PERCENT=${slowdown})
  run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" -j2)
  # No --output-on-failure, no -V: the summary as CI prints it by default.
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -L bench
    WORKING_DIRECTORY "${BINARY_DIR}" OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ctest_out "${out}${err}" PARENT_SCOPE)
  run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-report)
  file(READ "${BINARY_DIR}/benchgate-report/comment.md" comment)
  file(READ "${BINARY_DIR}/benchgate-report/junit.xml" junit)
  set(comment "${comment}" PARENT_SCOPE)
  set(junit "${junit}" PARENT_SCOPE)
endfunction()

function(expect_in what text)
  if(NOT "${${what}}" MATCHES "${text}")
    message(FATAL_ERROR "expected /${text}/ in the ${what}:\n${${what}}")
  endif()
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}/baselines" "${BINARY_DIR}/benchgate-report")

# 1. No baseline: skipped, and collected as skipped.
step(0)
expect("bench.steady.compare [.]*[*][*][*]Skipped")
expect("bench.slowed.compare [.]*[*][*][*]Skipped")
expect_in(comment "\\| ⚠️ \\| `slowed` \\| skip: no baseline")
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-update-baselines)

# 2. steady's baseline from "another machine": skipped in the plain summary, with the reason in
# the comment and as a skipped JUnit test case.
file(READ "${BINARY_DIR}/baselines/steady.jsonl" rows)
string(REGEX REPLACE "\"cpu_model\":\"[^\"]*\"" "\"cpu_model\":\"Laptop CPU 9000\"" rows "${rows}")
file(WRITE "${BINARY_DIR}/baselines/steady.jsonl" "${rows}")
step(0)
# (slowed is not checked here: its A/A against a baseline of one run may go either way on a
# busy machine; steady's times are not compared at all.)
expect("bench.steady.compare [.]*[*][*][*]Skipped")
expect("The following tests did not run:[^\n]*\n[^\n]*bench.steady.compare \\(Skipped\\)")
expect_in(comment "`steady` \\| skip: times not compared in [0-9]+ of [0-9]+ keys?: cpu_model differs: 'Laptop CPU 9000'")
expect_in(junit "<skipped message=\"not gated: cpu_model differs")
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-update-baselines)

# 3. slowed twice as slow.
step(100)
expect("bench.slowed.compare [.]*[*][*][*]Failed")
expect("bench.steady.compare [.]*   Passed")
# The comment: failing first, unfolded, with the ratio and its interval; the passing one folded.
string(FIND "${comment}" "### ❌ slowed" slowed_at)
string(FIND "${comment}" "<details>" details_at)
# (steady is ✅, or ⚠️ when its A/A interval straddles the threshold: inconclusive, not failing.)
string(REGEX MATCH "### (✅|⚠️) steady" steady_heading "${comment}")
string(FIND "${comment}" "${steady_heading}" steady_at)
if(NOT steady_heading OR slowed_at EQUAL -1 OR details_at EQUAL -1 OR steady_at EQUAL -1 OR
   NOT slowed_at LESS details_at OR NOT details_at LESS steady_at)
  message(FATAL_ERROR "expected slowed unfolded first, then steady folded:\n${comment}")
endif()
expect_in(comment "### ❌ benchgate: 1 of 2 benchmark executables fail the gate")
expect_in(comment "\\| \\*\\*REGRESSED\\*\\* \\| `slowed/gate.hash_chain` \\| \\+[0-9.]+% \\[\\+[0-9.]+%, \\+[0-9.]+%\\]")
expect_in(comment "benchgate-runner[^\n]* run [^\n]*slowed[^\n]* --bench gate.hash_chain")
expect_in(comment "--target benchgate-update-baseline-slowed")
# JUnit: slowed's test case fails, naming the benchmark and the metric with its interval.
expect_in(junit "<testsuite name=\"bench.slowed.compare\" tests=\"1\" failures=\"1\"")
expect_in(junit "<failure type=\"regressed\" message=\"slowed/gate.hash_chain: time \\+[0-9.]+% \\[\\+[0-9.]+%, \\+[0-9.]+%\\]")
expect_in(junit "<testsuite name=\"bench.steady.compare\" tests=\"1\" failures=\"0\"")
message(STATUS "the collected report and JUnit follow the gate: skipped, mismatched, regressed")
