# Configures and builds the usage fixture with CASE=ok, checks through
# `ctest --show-only=json-v1` that add_benchmark() registered bench.demo.run (label bench,
# RUN_SERIAL, the TIMEOUT given, the fixture, a command running benchgate-runner on the
# executable), then runs `ctest -L bench` there and checks the rows file was written.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DBENCHGATE_PREFIX=<install prefix>
#        -P check_registration.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/run.cmake")

run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCASE=ok
    "-DCMAKE_PREFIX_PATH=${BENCHGATE_PREFIX}")
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" -j2)
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --show-only=json-v1
  WORKING_DIRECTORY "${BINARY_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE json)

# Index the tests by name.
string(JSON count LENGTH "${json}" tests)
set(names "")
math(EXPR last_test "${count} - 1")
foreach(t RANGE ${last_test})
  string(JSON tname GET "${json}" tests ${t} name)
  list(APPEND names "${tname}")
  set(index_${tname} ${t})
endforeach()
set(expected_names bench.demo.run bench.demo.compare bench.own_new.run bench.own_new.compare)
file(STRINGS "${BINARY_DIR}/CMakeCache.txt" callgrind REGEX "^FIXTURE_CALLGRIND:")
if(callgrind MATCHES "=(ON|1|TRUE)$")
  list(APPEND expected_names bench.counted.run bench.counted.compare)
endif()
if(NOT names STREQUAL expected_names)
  message(FATAL_ERROR "expected the tests ${expected_names}, got: ${names}")
endif()

# The test's command and properties, as "NAME=VALUE" (first element of array values).
function(describe_test name out_command out_props)
  set(t ${index_${name}})
  json_test_command("${json}" ${t} command)
  set(props "")
  string(JSON nprops LENGTH "${json}" tests ${t} properties)
  math(EXPR last "${nprops} - 1")
  foreach(i RANGE ${last})
    string(JSON pname GET "${json}" tests ${t} properties ${i} name)
    string(JSON ptype TYPE "${json}" tests ${t} properties ${i} value)
    if(ptype STREQUAL "ARRAY")
      string(JSON pvalue GET "${json}" tests ${t} properties ${i} value 0)
    else()
      string(JSON pvalue GET "${json}" tests ${t} properties ${i} value)
    endif()
    list(APPEND props "${pname}=${pvalue}")
  endforeach()
  set(${out_command} "${command}" PARENT_SCOPE)
  set(${out_props} "${props}" PARENT_SCOPE)
endfunction()

function(expect_props name)
  describe_test(${name} command props)
  foreach(want IN LISTS ARGN)
    if(NOT want IN_LIST props)
      message(FATAL_ERROR "${name}: property ${want} missing; properties: ${props}")
    endif()
  endforeach()
endfunction()

describe_test(bench.demo.run command props)
if(NOT command MATCHES "benchgate-runner;run;[^;]*/demo;--out;[^;]*/benchgate/demo.jsonl;--param-ceiling;8;--max-seconds-per-call;10$")
  message(FATAL_ERROR "unexpected run command: ${command}")
endif()
expect_props(bench.demo.run "LABELS=bench" "RUN_SERIAL=ON" "FIXTURES_SETUP=bench.demo")
if(NOT "${props}" MATCHES "TIMEOUT=60")
  message(FATAL_ERROR "TIMEOUT 60 missing; properties: ${props}")
endif()

# The thresholds and CONFIRM reach benchgate-compare only when given (demo gives both
# thresholds, own_new only CONFIRM): benchgate-compare holds the defaults. The result goes next
# to the rows, and a failure names the target that accepts the new numbers.
describe_test(bench.demo.compare command props)
if(NOT command MATCHES "benchgate-compare;[^;]*/baselines/demo.jsonl;[^;]*/benchgate/demo.jsonl;--time-threshold;300%;--rss-threshold;0.5;--results;[^;]*/benchgate/demo.gate;--accept=cmake --build [^;]* --target benchgate-update-baseline-demo;--runner;[^;]*benchgate-runner;--exe;[^;]*/demo;--runner-arg=--param-ceiling;--runner-arg=8;--runner-arg=--max-seconds-per-call;--runner-arg=10$"
   OR command MATCHES ";--confirm;")
  message(FATAL_ERROR "unexpected compare command: ${command}")
endif()
expect_props(bench.demo.compare "LABELS=bench" "RUN_SERIAL=ON" "FIXTURES_REQUIRED=bench.demo"
  "SKIP_RETURN_CODE=77")
describe_test(bench.own_new.compare command props)
if(NOT command MATCHES "benchgate-compare;[^;]*/baselines/own_new.jsonl;[^;]*/benchgate/own_new.jsonl;--confirm;2;--results;[^;]*/benchgate/own_new.gate;--accept=[^;]*;--runner;[^;]*benchgate-runner;--exe;[^;]*/own_new;--runner-arg=--param-ceiling;--runner-arg=8;--runner-arg=--max-seconds-per-call;--runner-arg=10$"
   OR command MATCHES ";--(time|rss)-threshold;")
  message(FATAL_ERROR "unexpected compare command: ${command}")
endif()
if("bench.counted.run" IN_LIST names)
  describe_test(bench.counted.run command props)
  if(NOT command MATCHES ";--param-ceiling;8;--measure;instructions$")
    message(FATAL_ERROR "MEASURE instructions did not reach the runner: ${command}")
  endif()
endif()

# No baseline yet: the run passes and the compare test is skipped (exit 77).
file(REMOVE "${BINARY_DIR}/benchgate/demo.jsonl" "${BINARY_DIR}/benchgate/own_new.jsonl"
  "${BINARY_DIR}/benchgate/counted.jsonl")
file(REMOVE_RECURSE "${SOURCE_DIR}/baselines")
run("${CMAKE_CTEST_COMMAND}" -L bench --output-on-failure WORKING_DIRECTORY "${BINARY_DIR}")
foreach(bench demo own_new)
  if(NOT EXISTS "${BINARY_DIR}/benchgate/${bench}.jsonl")
    message(FATAL_ERROR "ctest -L bench did not write benchgate/${bench}.jsonl:\n${out}")
  endif()
  file(READ "${BINARY_DIR}/benchgate/${bench}.jsonl" rows_${bench})
endforeach()
# Counting is on by default (a number, 0 for demo's allocation-free identity) and off for the
# benchmark that replaces operator new itself (null, never 0).
if(NOT rows_demo MATCHES "\"alloc_count\":[0-9]+" OR rows_demo MATCHES "\"alloc_count\":null")
  message(FATAL_ERROR "demo's rows should count allocations:\n${rows_demo}")
endif()
if(NOT rows_own_new MATCHES "\"alloc_bytes\":null,\"alloc_count\":null" OR
   rows_own_new MATCHES "\"alloc_count\":[0-9]")
  message(FATAL_ERROR "own_new's rows should carry null allocations:\n${rows_own_new}")
endif()
# MEASURE instructions: the run goes through Callgrind and its rows carry the count.
if("bench.counted.run" IN_LIST names)
  file(READ "${BINARY_DIR}/benchgate/counted.jsonl" rows_counted)
  if(NOT rows_counted MATCHES "\"instructions\":[0-9]+" OR
     NOT rows_counted MATCHES "\"measured_under\":\"callgrind\"")
    message(FATAL_ERROR "counted's rows should carry Callgrind's counts:\n${rows_counted}")
  endif()
endif()
if(NOT out MATCHES "bench.demo.compare [.]*[*][*][*]Skipped")
  message(FATAL_ERROR "bench.demo.compare was not skipped without a baseline:\n${out}")
endif()
# Dashboard mode: the runner's <CTestMeasurement> tags land in Testing/<tag>/Test.xml.
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -T Test -R "bench.demo.run"
  WORKING_DIRECTORY "${BINARY_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(GLOB test_xml "${BINARY_DIR}/Testing/*/Test.xml")
if(NOT test_xml)
  message(FATAL_ERROR "ctest -T Test left no Testing/*/Test.xml:\n${out}\n${err}")
endif()
list(GET test_xml 0 test_xml)
file(READ "${test_xml}" xml)
foreach(measure "demo.identity per-call ns" "demo.identity n" "demo.identity peak RSS KiB")
  if(NOT xml MATCHES "NamedMeasurement type=\"numeric/double\" name=\"${measure}\"")
    message(FATAL_ERROR "Test.xml has no measurement '${measure}':\n${xml}")
  endif()
endforeach()
# benchgate-update-baselines creates it; then the gate compares and passes against itself.
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target benchgate-update-baselines)
if(NOT EXISTS "${SOURCE_DIR}/baselines/demo.jsonl")
  message(FATAL_ERROR "benchgate-update-baselines did not write baselines/demo.jsonl:\n${out}")
endif()
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -R "bench.demo.compare" --output-on-failure
  WORKING_DIRECTORY "${BINARY_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
file(REMOVE_RECURSE "${SOURCE_DIR}/baselines")
if(NOT out MATCHES "bench.demo.compare [.]*   Passed")
  message(FATAL_ERROR "bench.demo.compare did not pass against its own rows:\n${out}")
endif()
message(STATUS "bench.demo.run and bench.demo.compare registered and ran as expected")
