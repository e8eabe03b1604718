# Accepting new numbers rewrites only what changed, end to end through CTest and git, in the
# rerecord fixture project (tests/cmake/rerecord: twins.slowed and twins.steady in twins.jsonl,
# other.chain in other.jsonl):
#   1. the baselines are recorded (benchgate-update-baselines) and committed in a git repository;
#   2. a second run at the same speed, accepted: `git diff` is empty (nothing changed, so no line
#      of either file is touched);
#   3. twins.slowed made 20 times slower, accepted: `git diff --numstat` names twins.jsonl only,
#      with as many lines added as removed, and every changed line is twins.slowed's; the compare
#      test then passes against the updated baseline;
#   4. benchgate-rerecord-baselines rewrites every benchmark: twins.steady's lines change too.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -DGIT=<git> -P check_rerecord.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

set(repo "${BINARY_DIR}/repo")
set(build "${BINARY_DIR}/build")
# The test's own repository, whatever git variables the caller runs under.
foreach(var GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE)
  unset(ENV{${var}})
endforeach()
function(git)
  run("${GIT}" -C "${repo}" -c user.name=benchgate -c user.email=benchgate@example.invalid
      -c core.hooksPath=/dev/null ${ARGV})
  set(out "${out}" PARENT_SCOPE)
endfunction()

# Configures the fixture with twins.slowed's factor and builds it.
function(configure factor)
  run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${build}" -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}" -DSLOW_FACTOR=${factor}
      "-DBASELINE_DIR=${repo}/baselines")
  run("${CMAKE_COMMAND}" --build "${build}" -j2)
endfunction()

# Runs ctest -L bench; the output is left in `ctest_out`, its exit code in `ctest_rc`.
function(bench)
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -L bench --output-on-failure
    WORKING_DIRECTORY "${build}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ctest_out "${out}${err}" PARENT_SCOPE)
  set(ctest_rc "${rc}" PARENT_SCOPE)
endfunction()

# Builds `target`; its output is left in `out`, what benchgate-compare printed in `summary`.
function(update target)
  run("${CMAKE_COMMAND}" --build "${build}" --target ${target} -v)
  string(REGEX MATCHALL "benchgate-compare: [^\n]*(\n  [^\n]*)*" lines "${out}")
  string(JOIN "\n" summary ${lines})
  set(out "${out}" PARENT_SCOPE)
  set(summary "${summary}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${repo}" "${build}")
file(MAKE_DIRECTORY "${repo}")

# 1. Record and commit.
configure(1)
bench()
expect("bench.twins.compare [.]*[*][*][*]Skipped")
update(benchgate-update-baselines)
# The update target judges with the compare test's thresholds.
if(NOT out MATCHES "--write-baseline [^\n]*twins.jsonl[^\n]* --time-threshold 400% --rss-threshold 20%")
  message(FATAL_ERROR "benchgate-update-baseline-twins should pass the compare test's "
    "thresholds:\n${out}")
endif()
git(init -q)
git(add baselines)
git(commit -q -m "baselines")
file(STRINGS "${repo}/baselines/twins.jsonl" rows REGEX "\"twins.slowed\"")
list(LENGTH rows slowed_rows)
if(slowed_rows EQUAL 0)
  message(FATAL_ERROR "no twins.slowed row in the baseline")
endif()

# 2. The same speed again: nothing to accept, no line touched.
bench()
expect("bench.twins.compare [.]*   Passed")
update(benchgate-update-baselines)
if(NOT summary MATCHES "twins.jsonl unchanged: kept 2 benchmarks")
  message(FATAL_ERROR "an update at the same speed should keep twins.jsonl:\n${summary}")
endif()
git(diff --numstat)
if(NOT out STREQUAL "")
  message(FATAL_ERROR "an update at the same speed changed the baselines:\n${out}")
endif()

# 3. twins.slowed 20 times slower: only its lines change.
configure(20)
bench()
expect("bench.twins.compare [.]*[*][*][*]Failed")
update(benchgate-update-baselines)
if(NOT summary MATCHES "kept 1 benchmark [^\n]*, updated 1 [^\n]*\n  updated twins/twins.slowed: time regressed")
  message(FATAL_ERROR "the update should name twins.slowed as updated:\n${summary}\n${ctest_out}")
endif()
git(diff --numstat)
set(numstat "${out}")
if(NOT numstat STREQUAL "${slowed_rows}\t${slowed_rows}\tbaselines/twins.jsonl\n")
  message(FATAL_ERROR "git diff --numstat should show the ${slowed_rows} lines of twins.slowed "
    "replaced in twins.jsonl and nothing else:\n${numstat}")
endif()
git(diff -U0)
string(REPLACE "\n" ";" diff_lines "${out}")
foreach(line IN LISTS diff_lines)
  if(line MATCHES "^[-+][^-+]" AND NOT line MATCHES "\"function\":\"twins.slowed\"")
    message(FATAL_ERROR "a line that is not twins.slowed's changed:\n${line}")
  endif()
endforeach()
message(STATUS "git diff --numstat after the slowdown: ${numstat}")
bench()
expect("bench.twins.compare [.]*   Passed")
expect("bench.other.compare [.]*   Passed")

# 4. Re-recording writes every benchmark.
update(benchgate-rerecord-baselines)
git(diff -U0 baselines/twins.jsonl)
if(NOT out MATCHES "\n[+][^\n]*\"function\":\"twins.steady\"")
  message(FATAL_ERROR "benchgate-rerecord-baselines should rewrite twins.steady too:\n${out}")
endif()
message(STATUS "the update rewrote only the slowed benchmark's lines; re-recording rewrote all")
