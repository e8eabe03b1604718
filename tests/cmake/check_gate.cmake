# The gate end to end through CTest, in a consumer project (tests/cmake/gate):
#   1. baseline build: bench.gate.run passes, bench.gate.compare is skipped (no baseline yet);
#      benchgate-update-baselines writes the baseline; a second run compares and passes;
#      benchgate-add-baseline-runs adds that run, and the next comparison against both passes.
#   2. Twice the work per call: the run passes, the compare test fails (exit 1), time regressed.
#      (A plumbing test: 30% came out inconclusive against a committed baseline on a loaded
#      machine; the gate's sensitivity is measured by scripts/perf-gate-user, not here.)
#   3. 50 MiB more resident memory, same work: the compare test fails on RSS only; time is
#      unchanged.
# Every ctest run also writes --output-junit: in 2 and 3 the failing compare test's <testcase>
# must carry the verdict (benchmark, metric, change) in its <system-out>, as CI shows it.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -P check_gate.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

function(step slowdown mib)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCMAKE_BUILD_TYPE=Release
            "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" -DSLOWDOWN_PERCENT=${slowdown}
            -DEXTRA_MIB=${mib}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configure failed:\n${out}\n${err}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" -j2
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "build failed:\n${out}\n${err}")
  endif()
  set(junit "${BINARY_DIR}/junit.xml")
  file(REMOVE "${junit}")
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -L bench --output-on-failure
                          --output-junit "${junit}"
    WORKING_DIRECTORY "${BINARY_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ctest_out "${out}${err}" PARENT_SCOPE)
  if(NOT EXISTS "${junit}")
    message(FATAL_ERROR "ctest --output-junit wrote no file:\n${out}\n${err}")
  endif()
  file(READ "${junit}" xml)
  set(junit_xml "${xml}" PARENT_SCOPE)
endfunction()

# The JUnit file has a failing <testcase> for bench.gate.compare whose <system-out> matches
# `verdict`: what a CI system shows for the failed test. XML escapes < in the output, so
# [^<]* spans the whole of it.
function(expect_junit verdict)
  set(testcase "<testcase name=\"bench\\.gate\\.compare\"[^>]*status=\"fail\">")
  if(NOT junit_xml MATCHES "${testcase}[^<]*<failure[^>]*>[^<]*<system-out>([^<]*)</system-out>")
    message(FATAL_ERROR "no failing <testcase> bench.gate.compare with <system-out> in the "
      "JUnit file:\n${junit_xml}")
  endif()
  set(system_out "${CMAKE_MATCH_1}")
  if(NOT system_out MATCHES "${verdict}")
    message(FATAL_ERROR "expected /${verdict}/ in the JUnit <system-out> of "
      "bench.gate.compare:\n${system_out}")
  endif()
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}/baselines")

# 1. No baseline yet: skipped. Then create it, and the same build compares clean.
step(0 0)
expect("bench.gate.run [.]*   Passed")
expect("bench.gate.compare [.]*[*][*][*]Skipped")
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-update-baselines
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS "${BINARY_DIR}/baselines/gate.jsonl")
  message(FATAL_ERROR "benchgate-update-baselines failed:\n${out}\n${err}")
endif()
step(0 0)
expect("bench.gate.compare [.]*   Passed")
# benchgate-add-baseline-runs adds this run to the baseline's recorded runs: 11 repeats each.
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-add-baseline-runs
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(STRINGS "${BINARY_DIR}/baselines/gate.jsonl" baseline_rows)
list(LENGTH baseline_rows baseline_count)
if(NOT rc EQUAL 0 OR NOT out MATCHES "wrote 22 row\\(s\\) to [^\n]*gate.jsonl \\(2 runs\\)" OR
   NOT baseline_count EQUAL 22)
  message(FATAL_ERROR "benchgate-add-baseline-runs should leave 2 runs (22 rows), "
    "${baseline_count} rows:\n${out}\n${err}")
endif()
step(0 0)
expect("bench.gate.compare [.]*   Passed")

# 2. Twice as slow.
step(100 0)
expect("bench.gate.run [.]*   Passed")
expect("bench.gate.compare [.]*[*][*][*]Failed")
# The benchmark's line: its time ratio with the interval, what decided it (11 repeats a side,
# enough to settle on the first look), then the key's line with the time note.
expect("REGRESSED +gate/gate.hash_chain +\\+[0-9.]+% \\[[-+][0-9.]+%, \\+[0-9.]+%\\] +22 vs 11 samples, baseline of 2 runs, [0-9] looks?: above 10.0%")
expect("time: \\+[0-9.]+% \\[")
# The benchmark, its time change (the time column) and the metric named in the note.
expect_junit("REGRESSED +gate/gate\\.hash_chain +[0-9.]+ [^ ]+ → [0-9.]+ [^ ]+ \\(\\+[0-9]+\\.[0-9]%\\)[^\n]* time: \\+[0-9.]+% \\[")

# 3. 50 MiB bigger, same work: RSS regresses, time does not.
step(0 50)
expect("bench.gate.run [.]*   Passed")
expect("bench.gate.compare [.]*[*][*][*]Failed")
# A time note may come first, when the time's interval straddles the threshold (inconclusive):
# time does not regress, checked below.
set(time_noise "(time: [^\n]*straddles[^\n]*; )?")
expect("REGRESSED +gate/gate.hash_chain +[0-9.]+ [^ ]+ → [0-9.]+ [^ ]+ \\([-+][0-9]+\\.[0-9]%\\) +[0-9_]+ kB → [0-9_]+ kB \\(\\+[0-9.]+%\\) +${time_noise}rss: ")
# The benchmark, its RSS change (the peak RSS column) and the metric named in the note.
expect_junit("REGRESSED +gate/gate\\.hash_chain [^\n]* kB → [0-9_]+ kB \\(\\+[0-9.]+%\\) +${time_noise}rss: ")
if(ctest_out MATCHES "\nREGRESSED +gate/gate.hash_chain +[-+][0-9.]+% \\[")
  message(FATAL_ERROR "time should be unchanged with 50 MiB more memory:\n${ctest_out}")
endif()
message(STATUS "the gate caught a 2x slowdown and a 50 MiB RSS growth, and passed A/A")
