#[=======================================================================[.rst:
benchgate
---------

Turns C++ benchmarks into CTest tests. Available after ``find_package(benchgate)`` or
``add_subdirectory(<benchgate source>)``.

.. command:: benchgate_add_benchmark

  Builds a benchmark executable and registers the CTest test that measures it::

    benchgate_add_benchmark(<name>
        SOURCES <source>...
        [LIBRARIES <library>...]
        [RUNNER_ARGS <arg>...]
        [OUTPUT <file>]
        [TIMEOUT <seconds>]
        [BASELINE <file>]
        [TIME_THRESHOLD <percent>]
        [RSS_THRESHOLD <percent>]
        [CONFIRM <count>]
        [COUNT_ALLOCATIONS <ON|OFF>]
        [MEASURE <time|instructions>]
        [COMPARE_ARGS <arg>...])

  ``add_benchmark()`` is the same command under a shorter name; it is defined only when no
  command of that name exists yet (otherwise an AUTHOR_WARNING says so and only
  ``benchgate_add_benchmark()`` is available).

  ``<name>``
    One value, required. The executable target's name, the suite name in the rows, and the
    middle of the test name ``bench.<name>.run``. Letters, digits, ``_``, ``.`` and ``-``.
    A second benchmark of the same name is a configure error.

  ``SOURCES <source>...``
    List, required. The benchmark's sources; they ``#include <benchgate/benchgate.hpp>`` and
    register benchmarks. The harness provides ``main()``.

  ``LIBRARIES <library>...``
    List, optional. Linked privately into the executable besides ``benchgate::benchgate``.

  ``RUNNER_ARGS <arg>...``
    List, optional. Extra arguments for ``benchgate-runner run``, e.g.
    ``--param-ceiling 4096`` or ``--outer-trials 3`` (see docs/cli.md).

  ``OUTPUT <file>``
    One value, optional. Where the run writes its rows (JSONL). Default:
    ``${CMAKE_CURRENT_BINARY_DIR}/benchgate/<name>.jsonl``. Stored in the target property
    ``BENCHGATE_OUTPUT``.

  ``TIMEOUT <seconds>``
    One value, optional, default 900. CTest's TIMEOUT for the run test: a positive integer.
    Each batch is already capped by ``max_seconds_per_call``; this bounds the whole ladder.

  ``BASELINE <file>``
    One value, optional. The committed rows the gate compares with. Default:
    ``${BENCHGATE_BASELINE_DIR}/<name>.jsonl`` when the cache variable ``BENCHGATE_BASELINE_DIR``
    is set (e.g. to compare against baselines fetched from another build), else
    ``${CMAKE_CURRENT_SOURCE_DIR}/baselines/<name>.jsonl``; a relative path is relative to
    ``CMAKE_CURRENT_SOURCE_DIR``. Until the file exists the compare test is skipped (exit
    code 77). Stored in the target property ``BENCHGATE_BASELINE``.

  ``TIME_THRESHOLD <percent>``
    One value, optional, default ``10%`` (``3%`` when ``BENCHGATE_BASELINE_BUILD`` is set: both
    builds are then measured side by side, pair by pair). Written ``10%`` or ``0.1``. A
    benchmark's time regresses when its ratio current / baseline exceeds 1 + this and its
    confidence interval lies above 1 (docs/compare.md). Checked at configure time and passed to
    ``benchgate-compare`` as ``--time-threshold`` only when given; the defaults are
    ``benchgate-compare``'s own (``3%`` with ``--baseline-exe``), as are those of
    ``RSS_THRESHOLD`` and ``CONFIRM``.

  ``RSS_THRESHOLD <percent>``
    One value, optional, default ``5%``. The same for the median peak RSS
    (``--rss-threshold``).

  ``CONFIRM <count>``
    One value, optional, default 1 (``benchgate-compare``'s default when given the runner and
    the executable, as the compare test is). How many times a time regression is measured again
    in fresh children before the test fails; it fails only if every rerun reproduces it. 0
    turns confirmation off. Passed as ``--confirm`` only when given.

  ``COUNT_ALLOCATIONS <ON|OFF>``
    One value, optional, default ``${BENCHGATE_COUNT_ALLOCATIONS}``, which defaults to ``ON``.
    ``ON`` links ``benchgate::alloc_count``, replacements for every global ``operator new`` and
    ``operator delete`` that count allocations during the timed batch (``alloc_bytes``,
    ``alloc_count``). Set ``OFF`` (or the variable ``BENCHGATE_COUNT_ALLOCATIONS`` to ``OFF`` for
    every benchmark) when the benchmark links code that replaces ``operator new`` itself; its
    rows then carry ``null`` for both fields, which the report shows as n/a and the compare
    never gates.

  ``MEASURE <time|instructions>``
    One value, optional, default ``time``. ``instructions`` runs every batch under Valgrind's
    Callgrind (``benchgate-runner run --measure instructions``), which counts the instructions
    of the timed batch exactly: the compare test then gates instructions per call (1% by
    default, ``--instructions-threshold`` in ``COMPARE_ARGS``) and not time or RSS. About 50
    times slower; needs valgrind when benchgate is built (the header; the harness target's
    property ``BENCHGATE_CALLGRIND`` records it) and on ``PATH`` at run time. See docs/cli.md.

  ``COMPARE_ARGS <arg>...``
    List, optional. Extra arguments for ``benchgate-compare`` (e.g. ``--min-time-delta 50``,
    ``--alloc-threshold 1%``, ``--fail-on-hash-change``; see docs/cli.md).

  The run test ``bench.<name>.run`` has the label ``bench`` and ``RUN_SERIAL`` (measurements
  should not compete for the CPU; set the variable ``BENCHGATE_RUN_SERIAL`` to ``OFF`` to let
  ``ctest -j`` run benchmarks side by side: each writes its own ``OUTPUT`` atomically, so the
  rows stay correct, only noisier), and the fixture ``bench.<name>`` for tests that read its
  rows. The compare test ``bench.<name>.compare`` requires that fixture, has the label
  ``bench``, ``RUN_SERIAL`` (its confirmation reruns measure) and ``SKIP_RETURN_CODE 77``.

  With the option ``BENCHGATE_VERIFY_ONLY`` ON (the ``asan`` preset turns it on), each benchmark
  gets one test ``bench.<name>.verify`` instead: ``benchgate-runner verify`` runs every benchmark
  of the executable in children (params 0 and 1; one fixed call) and measures nothing. For
  sanitizer builds, whose timings mean nothing: no rows, no compare test, no baseline target,
  and ``RUNNER_ARGS`` are not used.

  With the variable ``BENCHGATE_SHARDS`` set to ``N`` (e.g. ``-DBENCHGATE_SHARDS=4``), the
  benchmarks are dealt round-robin, in the order they are added, to ``N`` shards, and the tests
  of the ``K``-th shard also get the label ``bench-shard-K-of-N``: CI machine ``K`` runs
  ``ctest -L bench-shard-K-of-N``. A value that is not a positive whole number is a configure
  error.

  With the cache variable ``BENCHGATE_BASELINE_BUILD`` set to a build tree of the same project at
  the merge base (configured and built the same way), the run test measures that tree's
  executable of the same target too, every batch back to back with this one's, alternating
  (``benchgate-runner run --baseline-exe``), and writes its rows next to ``OUTPUT`` as
  ``<name>.baseline.jsonl``; the compare test gates against those rows instead of ``BASELINE``,
  and its confirmation reruns measure both again. A slow phase of a shared CI machine then hits
  both sides. A relative path is relative to the directory cmake runs in; the tree must not be
  this build tree (configure errors). Needs CMake 3.24 or newer. See docs/cmake.md, "A/B in one
  job".

  The global property ``BENCHGATE_BENCHMARKS`` lists the benchmark names added so far.

  The build target ``benchgate-update-baselines`` writes the current rows of every benchmark the
  gate finds changed (regressed, improved, new, missing, by the compare test's thresholds) into
  its baseline file and leaves the other benchmarks' lines as they are (run ``ctest -L bench``
  first, then commit the files); ``benchgate-rerecord-baselines`` writes every benchmark;
  ``benchgate-add-baseline-runs`` adds the current run to the file's recorded runs (the five most
  recent kept), so that the gate knows the spread between runs. Each compare test writes its
  result next to the rows (``<name>.gate.json``, ``.md``, ``.junit.xml``, ``.html``); the build
  target ``benchgate-report`` collects them into ``benchgate-report/comment.md``,
  ``report.html`` and ``junit.xml`` in the build tree.
  The executable is compiled with ``BENCHGATE_BUILD_TYPE`` set to ``$<CONFIG>`` so rows record
  the build type, and ``BENCHGATE_RUNNER_PATH`` set to the runner's path, so that the
  executable run by hand measures itself through it.

  Example:

  .. code-block:: cmake

    find_package(benchgate REQUIRED)
    add_benchmark(sort_bench SOURCES bench/sort.cpp
                  BASELINE bench/baselines/sort_bench.jsonl TIME_THRESHOLD 10% RSS_THRESHOLD 5%)

.. command:: benchgate_add_google_benchmark

  Registers the same tests for an existing executable target built with Google Benchmark
  (``BENCHMARK()`` and ``BENCHMARK_MAIN()``, unchanged)::

    benchgate_add_google_benchmark(<target> [OUTPUT <file>] [TIMEOUT <seconds>]
        [BASELINE <file>] [TIME_THRESHOLD <percent>] [RSS_THRESHOLD <percent>]
        [CONFIRM <count>] [FILTER <regex>] [RUNNER_ARGS <arg>...] [COMPARE_ARGS <arg>...])

  The keywords it shares with benchgate_add_benchmark() mean the same. FILTER, a regular
  expression that must not be empty, selects instances (Google Benchmark's --benchmark_filter).
  The run passes --adapter google-benchmark; RUNNER_ARGS must not contain --adapter,
  --benchmark-filter or --measure. Where benchgate was built with Google Benchmark, the target
  is linked to benchgate::gbench_memory and benchgate::alloc_count (allocations, and a peak RSS
  without start-up); otherwise a message says rows carry the child's whole peak. With the
  variable ``BENCHGATE_BASELINE_BUILD`` set, as for benchgate_add_benchmark(), the base tree's
  executable of the same target is measured alongside, instance by instance. See
  docs/google-benchmark.md.

#]=======================================================================]
include_guard(GLOBAL)

# Declared as a PATH so that a relative value given on the command line
# (-DBENCHGATE_BASELINE_BUILD=build-base) is taken relative to the directory cmake runs in.
set(BENCHGATE_BASELINE_BUILD "" CACHE PATH
  "A build tree of this project at the merge base: measure its benchmarks alongside (A/B in one job)")

# benchgate_add_benchmark() is a driver: it parses the keywords into arg_*, then hands each part
# to a helper below. The helpers are functions called from the driver: they read its `name`,
# `where` ("benchgate_add_benchmark(<name>)") and arg_* variables, and set what they compute in
# its scope (PARENT_SCOPE) under the names the driver passes them.
function(benchgate_add_benchmark name)
  set(options "")
  set(one_value OUTPUT TIMEOUT BASELINE TIME_THRESHOLD RSS_THRESHOLD CONFIRM COUNT_ALLOCATIONS
    MEASURE)
  set(multi_value SOURCES LIBRARIES RUNNER_ARGS COMPARE_ARGS)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")
  set(where "benchgate_add_benchmark(${name})")
  set(existing_target FALSE)

  # Configure errors, and the defaults of TIMEOUT, COUNT_ALLOCATIONS, MEASURE, BASELINE and
  # OUTPUT. TIME_THRESHOLD, RSS_THRESHOLD and CONFIRM stay unset when not given:
  # benchgate-compare has their defaults.
  _benchgate_check_args("${one_value} ${multi_value}")
  _benchgate_shard_labels(labels)
  set_property(GLOBAL APPEND PROPERTY BENCHGATE_BENCHMARKS "${name}")
  _benchgate_add_executable()

  if(BENCHGATE_VERIFY_ONLY)
    # Sanitizer and coverage builds: run every benchmark's code once, measure nothing.
    add_test(NAME bench.${name}.verify
      COMMAND $<TARGET_FILE:benchgate::runner> verify $<TARGET_FILE:${name}>)
    set_tests_properties(bench.${name}.verify PROPERTIES LABELS "${labels}" TIMEOUT ${arg_TIMEOUT})
    return()
  endif()
  # With BENCHGATE_BASELINE_BUILD: the run measures the base tree's executable too, and the
  # compare test reads those rows instead of BASELINE.
  _benchgate_ab_args(ab_run_args ab_compare_args compare_baseline)
  _benchgate_add_tests("${labels}" "${ab_run_args}" "${ab_compare_args}" "${compare_baseline}")
endfunction()

# benchgate_add_google_benchmark() is a driver over the same helpers: the executable exists
# already (the project's own, built with Google Benchmark), so it only links the memory hook and
# registers the tests, whose runs pass --adapter google-benchmark.
function(benchgate_add_google_benchmark name)
  set(options "")
  set(one_value OUTPUT TIMEOUT BASELINE TIME_THRESHOLD RSS_THRESHOLD CONFIRM FILTER)
  set(multi_value RUNNER_ARGS COMPARE_ARGS)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")
  set(where "benchgate_add_google_benchmark(${name})")
  set(existing_target TRUE)
  foreach(flag --adapter --benchmark-filter --measure)
    if(flag IN_LIST arg_RUNNER_ARGS)
      message(FATAL_ERROR "${where}: RUNNER_ARGS must not contain ${flag}; the function passes "
        "--adapter google-benchmark itself (FILTER <regex> selects instances; the instructions "
        "measure is not supported for Google Benchmark executables yet).")
    endif()
  endforeach()
  _benchgate_check_args("${one_value} ${multi_value}")
  _benchgate_shard_labels(labels)
  set_property(GLOBAL APPEND PROPERTY BENCHGATE_BENCHMARKS "${name}")
  _benchgate_adopt_google_benchmark()

  if(BENCHGATE_VERIFY_ONLY)
    # Sanitizer and coverage builds: every instance once, briefly, measured by nobody.
    set(filter_arg "")
    if(DEFINED arg_FILTER)
      set(filter_arg "--benchmark_filter=${arg_FILTER}")
    endif()
    add_test(NAME bench.${name}.verify
      COMMAND $<TARGET_FILE:${name}> --benchmark_min_time=0.001 ${filter_arg})
    set_tests_properties(bench.${name}.verify PROPERTIES LABELS "${labels}" TIMEOUT ${arg_TIMEOUT})
    return()
  endif()
  set(arg_RUNNER_ARGS --adapter google-benchmark ${arg_RUNNER_ARGS})
  if(DEFINED arg_FILTER)
    list(APPEND arg_RUNNER_ARGS --benchmark-filter "${arg_FILTER}")
  endif()
  # With BENCHGATE_BASELINE_BUILD: the base tree's executable of this target is listed and
  # measured with the same adapter, instance by instance, as for benchgate_add_benchmark().
  _benchgate_ab_args(ab_run_args ab_compare_args compare_baseline)
  _benchgate_add_tests("${labels}" "${ab_run_args}" "${ab_compare_args}" "${compare_baseline}")
endfunction()

# Checks the driver's arguments (configure errors naming the keyword and the value) and sets the
# defaults of arg_TIMEOUT, arg_COUNT_ALLOCATIONS, arg_MEASURE, arg_BASELINE and arg_OUTPUT in its
# scope; MEASURE instructions appends --measure instructions to arg_RUNNER_ARGS. `keywords` is the
# list of valid keywords, for the messages.
function(_benchgate_check_args keywords)
  list(JOIN keywords " " keywords)  # "OUTPUT TIMEOUT ...", not a ;-list, in the messages
  if(arg_UNPARSED_ARGUMENTS)
    list(JOIN arg_UNPARSED_ARGUMENTS "\", \"" unknown)
    message(FATAL_ERROR "${where}: unknown argument(s): \"${unknown}\". "
      "Valid keywords: ${keywords}.")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    list(JOIN arg_KEYWORDS_MISSING_VALUES ", " missing)
    message(FATAL_ERROR "${where}: keyword(s) given without a value: ${missing}.")
  endif()
  # A misspelt keyword after a list keyword lands in that list ("SOURCES a.cpp TRESHOLD 5%"
  # makes TRESHOLD a source). Source files and runner flags never look like KEYWORDS.
  foreach(list_keyword SOURCES RUNNER_ARGS COMPARE_ARGS)
    foreach(item IN LISTS arg_${list_keyword})
      if(item MATCHES "^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
        message(FATAL_ERROR "${where}: unknown keyword \"${item}\" (read as part of "
          "${list_keyword}). Valid keywords: ${keywords}.")
      endif()
    endforeach()
  endforeach()
  if("--out" IN_LIST arg_RUNNER_ARGS)
    message(FATAL_ERROR "${where}: RUNNER_ARGS must not contain --out; use OUTPUT <file> so "
      "the BENCHGATE_OUTPUT property names the file the rows go to.")
  endif()
  foreach(flag --baseline-exe --baseline-out)
    if(flag IN_LIST arg_RUNNER_ARGS)
      message(FATAL_ERROR "${where}: RUNNER_ARGS must not contain ${flag}; set the cache "
        "variable BENCHGATE_BASELINE_BUILD to the merge base's build tree instead (A/B in one job).")
    endif()
  endforeach()
  if(NOT name MATCHES "^[A-Za-z0-9_.-]+$")
    message(FATAL_ERROR "${where}: name \"${name}\" may only contain letters, digits, '_', '.' and '-'.")
  endif()
  if(NOT existing_target AND NOT arg_SOURCES)
    message(FATAL_ERROR "${where}: SOURCES is required: list the benchmark's source files.")
  endif()
  get_property(known GLOBAL PROPERTY BENCHGATE_BENCHMARKS)
  if(name IN_LIST known)
    message(FATAL_ERROR "${where}: a benchmark named \"${name}\" already exists; "
      "benchmark names must be unique in a build.")
  endif()
  if(existing_target)
    # benchgate_add_google_benchmark(): the executable is the project's own.
    if(NOT TARGET ${name})
      message(FATAL_ERROR "${where}: there is no target named \"${name}\"; pass the name of "
        "an existing Google Benchmark executable target (add_executable() before this call).")
    endif()
    get_target_property(type ${name} TYPE)
    get_target_property(imported ${name} IMPORTED)
    if(NOT type STREQUAL "EXECUTABLE" OR imported)
      message(FATAL_ERROR "${where}: \"${name}\" is not an executable target of this project "
        "(its type is ${type}); pass the target built with BENCHMARK_MAIN().")
    endif()
    if(DEFINED arg_FILTER AND arg_FILTER STREQUAL "")
      message(FATAL_ERROR "${where}: FILTER is empty; give a regular expression of instance "
        "names (Google Benchmark's --benchmark_filter), or leave FILTER out for all.")
    endif()
  elseif(TARGET ${name})
    message(FATAL_ERROR "${where}: a target named \"${name}\" already exists; "
      "choose another benchmark name.")
  endif()
  if(NOT DEFINED arg_TIMEOUT)
    set(arg_TIMEOUT 900)
  elseif(NOT arg_TIMEOUT MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "${where}: TIMEOUT \"${arg_TIMEOUT}\" must be a positive whole number of seconds.")
  endif()
  # Checked here, passed on only when given: benchgate-compare's defaults apply otherwise
  # (time 10%, or 5% with --baseline-exe; RSS 5%; one confirmation rerun).
  foreach(keyword TIME_THRESHOLD RSS_THRESHOLD)
    if(DEFINED arg_${keyword} AND NOT arg_${keyword} MATCHES "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)%?$")
      message(FATAL_ERROR "${where}: ${keyword} \"${arg_${keyword}}\" must be a percentage "
        "like 10% or a fraction like 0.1 (not negative).")
    endif()
  endforeach()
  if(DEFINED arg_CONFIRM AND (NOT arg_CONFIRM MATCHES "^[0-9]+$" OR arg_CONFIRM GREATER 100))
    message(FATAL_ERROR "${where}: CONFIRM \"${arg_CONFIRM}\" must be a whole number from 0 to 100.")
  endif()
  if(NOT DEFINED arg_COUNT_ALLOCATIONS)
    if(DEFINED BENCHGATE_COUNT_ALLOCATIONS)
      set(arg_COUNT_ALLOCATIONS "${BENCHGATE_COUNT_ALLOCATIONS}")
    else()
      set(arg_COUNT_ALLOCATIONS ON)
    endif()
    set(count_source "BENCHGATE_COUNT_ALLOCATIONS")
  else()
    set(count_source "COUNT_ALLOCATIONS")
  endif()
  string(TOUPPER "${arg_COUNT_ALLOCATIONS}" count_upper)
  if(count_upper MATCHES "^(ON|YES|TRUE|Y|1)$")
    set(arg_COUNT_ALLOCATIONS ON)
  elseif(count_upper MATCHES "^(OFF|NO|FALSE|N|0)$")
    set(arg_COUNT_ALLOCATIONS OFF)
  else()
    message(FATAL_ERROR "${where}: ${count_source} \"${arg_COUNT_ALLOCATIONS}\" must be ON or OFF.")
  endif()
  if(NOT DEFINED arg_MEASURE)
    set(arg_MEASURE time)
  elseif(NOT arg_MEASURE MATCHES "^(time|instructions)$")
    message(FATAL_ERROR "${where}: MEASURE \"${arg_MEASURE}\" must be time or instructions.")
  endif()
  if(arg_MEASURE STREQUAL "instructions")
    list(APPEND arg_RUNNER_ARGS --measure instructions)
  endif()
  if(NOT DEFINED arg_BASELINE AND BENCHGATE_BASELINE_DIR)
    set(arg_BASELINE "${BENCHGATE_BASELINE_DIR}/${name}.jsonl")
  elseif(NOT DEFINED arg_BASELINE)
    set(arg_BASELINE "${CMAKE_CURRENT_SOURCE_DIR}/baselines/${name}.jsonl")
  elseif(NOT IS_ABSOLUTE "${arg_BASELINE}")
    set(arg_BASELINE "${CMAKE_CURRENT_SOURCE_DIR}/${arg_BASELINE}")
  endif()
  if(NOT DEFINED arg_OUTPUT)
    set(arg_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/benchgate/${name}.jsonl")
  elseif(NOT IS_ABSOLUTE "${arg_OUTPUT}")
    set(arg_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${arg_OUTPUT}")
  endif()
  if(NOT TARGET benchgate::benchgate OR NOT TARGET benchgate::runner OR NOT TARGET benchgate::compare)
    message(FATAL_ERROR "${where}: the targets benchgate::benchgate, benchgate::runner and "
      "benchgate::compare are missing; call find_package(benchgate) or add_subdirectory() on "
      "benchgate first.")
  endif()
  if(arg_MEASURE STREQUAL "instructions")
    get_target_property(callgrind benchgate::benchgate BENCHGATE_CALLGRIND)
    if(NOT callgrind)
      message(FATAL_ERROR "${where}: MEASURE instructions needs <valgrind/callgrind.h>, which was "
        "not found when benchgate was built. Install valgrind (Debian: apt-get install valgrind), "
        "then reconfigure (and reinstall) benchgate.")
    endif()
  endif()
  foreach(var TIMEOUT COUNT_ALLOCATIONS MEASURE RUNNER_ARGS BASELINE OUTPUT)
    set(arg_${var} "${arg_${var}}" PARENT_SCOPE)
  endforeach()
endfunction()

# Sets `out_var` to the test labels: bench, and with BENCHGATE_SHARDS set to N, the shard's
# bench-shard-K-of-N. Sharding across CI machines: the benchmarks are dealt round-robin, in the
# order they are added, to shards 1..N; each shard is one ctest label, so machine K runs
# `ctest -L bench-shard-K-of-N` (docs/cmake.md, "Sharding across machines").
function(_benchgate_shard_labels out_var)
  set(labels bench)
  if(DEFINED BENCHGATE_SHARDS AND NOT BENCHGATE_SHARDS STREQUAL "")
    if(NOT BENCHGATE_SHARDS MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "${where}: BENCHGATE_SHARDS \"${BENCHGATE_SHARDS}\" must be a "
        "positive whole number (the number of machines the benchmarks are split across).")
    endif()
    get_property(known GLOBAL PROPERTY BENCHGATE_BENCHMARKS)
    list(LENGTH known index)
    math(EXPR shard "${index} % ${BENCHGATE_SHARDS} + 1")
    list(APPEND labels "bench-shard-${shard}-of-${BENCHGATE_SHARDS}")
  endif()
  set(${out_var} "${labels}" PARENT_SCOPE)
endfunction()

# The benchmark executable `name`: SOURCES, linked to the harness, LIBRARIES and (unless
# COUNT_ALLOCATIONS is OFF) the allocation counter; the properties BENCHGATE_OUTPUT and
# BENCHGATE_BASELINE.
function(_benchgate_add_executable)
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE benchgate::benchgate ${arg_LIBRARIES})
  if(arg_COUNT_ALLOCATIONS)
    if(NOT TARGET benchgate::alloc_count)
      message(FATAL_ERROR "${where}: the target benchgate::alloc_count is missing (an older "
        "benchgate install?); reinstall benchgate or set COUNT_ALLOCATIONS OFF.")
    endif()
    target_link_libraries(${name} PRIVATE benchgate::alloc_count)
  endif()
  target_compile_definitions(${name} PRIVATE "BENCHGATE_BUILD_TYPE=\"$<CONFIG>\""
    "BENCHGATE_RUNNER_PATH=\"$<TARGET_FILE:benchgate::runner>\"")
  _benchgate_set_outputs()
endfunction()

# The existing Google Benchmark executable `name`: linked to benchgate::gbench_memory and
# benchgate::alloc_count (allocations and a peak RSS without setup, docs/google-benchmark.md)
# where benchgate was built with Google Benchmark, else a message that rows will carry the
# child's whole peak (peak_rss_includes_setup true); the properties BENCHGATE_OUTPUT and
# BENCHGATE_BASELINE; the runner and compare built first.
function(_benchgate_adopt_google_benchmark)
  if(TARGET benchgate::gbench_memory AND TARGET benchgate::alloc_count)
    target_link_libraries(${name} PRIVATE benchgate::gbench_memory benchgate::alloc_count)
  else()
    message(STATUS "${where}: benchgate was built without Google Benchmark, so "
      "benchgate::gbench_memory is missing: rows get no allocation counts, and their peak RSS "
      "is the whole child's (peak_rss_includes_setup true). Install libbenchmark-dev and "
      "rebuild benchgate for both.")
  endif()
  _benchgate_set_outputs()
endfunction()

# For the benchmark target `name`, native or Google Benchmark: the properties BENCHGATE_OUTPUT
# and BENCHGATE_BASELINE, and the runner and compare built with it, even when benchgate was
# added with EXCLUDE_FROM_ALL (an installed, imported tool needs no build).
function(_benchgate_set_outputs)
  set_target_properties(${name} PROPERTIES
    BENCHGATE_OUTPUT "${arg_OUTPUT}"
    BENCHGATE_BASELINE "${arg_BASELINE}")
  foreach(tool benchgate::runner benchgate::compare)
    get_target_property(tool_target ${tool} ALIASED_TARGET)
    if(tool_target)
      add_dependencies(${name} ${tool_target})
    endif()
  endforeach()
endfunction()

# A/B in one run (docs/cmake.md, "A/B in one job"): with BENCHGATE_BASELINE_BUILD set to a build
# tree of the same project at the merge base, the run test measures that tree's executable of
# this target too, batch for batch, and the compare test gates against those rows instead of the
# committed file. Same layout, so the same path relative to the top. Sets `run_var` and
# `compare_var` to the extra arguments of the run and compare tests (empty without A/B) and
# `baseline_var` to the rows the compare test reads (arg_BASELINE without A/B).
function(_benchgate_ab_args run_var compare_var baseline_var)
  set(${run_var} "" PARENT_SCOPE)
  set(${compare_var} "" PARENT_SCOPE)
  set(${baseline_var} "${arg_BASELINE}" PARENT_SCOPE)
  # A value such as "0" names a directory too: only the empty string turns A/B off.
  if(NOT DEFINED BENCHGATE_BASELINE_BUILD OR BENCHGATE_BASELINE_BUILD STREQUAL "")
    return()
  endif()
  if(CMAKE_VERSION VERSION_LESS 3.24)
    message(FATAL_ERROR "${where}: BENCHGATE_BASELINE_BUILD needs CMake 3.24 or newer "
      "(\$<PATH:RELATIVE_PATH>); this is ${CMAKE_VERSION}.")
  endif()
  get_filename_component(base_build "${BENCHGATE_BASELINE_BUILD}" ABSOLUTE
    BASE_DIR "${CMAKE_BINARY_DIR}")
  if(NOT IS_DIRECTORY "${base_build}")
    message(FATAL_ERROR "${where}: BENCHGATE_BASELINE_BUILD \"${BENCHGATE_BASELINE_BUILD}\" is "
      "not a directory; set it to a build tree of this project at the merge base (configured "
      "and built the same way), or unset it to compare with the committed baselines.")
  endif()
  file(REAL_PATH "${base_build}" base_real)
  file(REAL_PATH "${CMAKE_BINARY_DIR}" own_real)
  if(base_real STREQUAL own_real)
    message(FATAL_ERROR "${where}: BENCHGATE_BASELINE_BUILD is this build tree; the gate would "
      "compare the executable with itself. Point it at a separate build of the merge base.")
  endif()
  set(base_exe
    "${base_build}/$<PATH:RELATIVE_PATH,$<TARGET_FILE:${name}>,${CMAKE_BINARY_DIR}>")
  get_filename_component(out_dir "${arg_OUTPUT}" DIRECTORY)
  get_filename_component(out_stem "${arg_OUTPUT}" NAME_WLE)
  set(baseline_rows "${out_dir}/${out_stem}.baseline.jsonl")
  set(${run_var} --baseline-exe "${base_exe}" --baseline-out "${baseline_rows}" PARENT_SCOPE)
  set(${compare_var} --baseline-exe "${base_exe}" PARENT_SCOPE)
  set(${baseline_var} "${baseline_rows}" PARENT_SCOPE)
endfunction()

# The tests bench.<name>.run and bench.<name>.compare with the given labels, the A/B arguments
# from _benchgate_ab_args() and the rows the compare test reads; the build targets
# benchgate-update-baseline(s), benchgate-rerecord-baseline(s) and benchgate-add-baseline-run(s),
# each per benchmark (-<name>) and for all.
function(_benchgate_add_tests labels ab_run_args ab_compare_args compare_baseline)
  add_test(NAME bench.${name}.run
    COMMAND $<TARGET_FILE:benchgate::runner> run $<TARGET_FILE:${name}>
            --out "${arg_OUTPUT}" ${ab_run_args} ${arg_RUNNER_ARGS})
  # Measurements should not compete for the CPU. Correctness does not depend on it (each
  # benchmark writes its own OUTPUT atomically): BENCHGATE_RUN_SERIAL OFF lets ctest -j run them
  # side by side, e.g. for smoke runs or counted (not timed) metrics.
  if(DEFINED BENCHGATE_RUN_SERIAL AND NOT BENCHGATE_RUN_SERIAL)
    set(serial FALSE)
  else()
    set(serial TRUE)
  endif()
  set_tests_properties(bench.${name}.run PROPERTIES
    LABELS "${labels}"
    RUN_SERIAL ${serial}
    TIMEOUT ${arg_TIMEOUT}
    FIXTURES_SETUP bench.${name})

  # Only what the call set: benchgate-compare holds the defaults (docs/compare.md).
  set(gate_args "")
  if(DEFINED arg_TIME_THRESHOLD)
    list(APPEND gate_args --time-threshold "${arg_TIME_THRESHOLD}")
  endif()
  if(DEFINED arg_RSS_THRESHOLD)
    list(APPEND gate_args --rss-threshold "${arg_RSS_THRESHOLD}")
  endif()
  if(DEFINED arg_CONFIRM)
    list(APPEND gate_args --confirm "${arg_CONFIRM}")
  endif()
  # One --runner-arg=<value> per argument, so that each reaches the rerun whole (a value may
  # hold commas, spaces or '=', or start with a dash).
  list(TRANSFORM arg_RUNNER_ARGS PREPEND "--runner-arg=" OUTPUT_VARIABLE rerun_args)
  # The gate's result next to the rows, for benchgate-report (<name>.gate.json, .md, .junit.xml,
  # .html); a failure names the target that accepts the new numbers (none in A/B: nothing to
  # accept).
  get_filename_component(out_dir "${arg_OUTPUT}" DIRECTORY)
  list(APPEND gate_args --results "${out_dir}/${name}.gate")
  if(NOT ab_compare_args)
    list(APPEND gate_args
      "--accept=cmake --build ${CMAKE_BINARY_DIR} --target benchgate-update-baseline-${name}")
  endif()
  add_test(NAME bench.${name}.compare
    COMMAND $<TARGET_FILE:benchgate::compare> "${compare_baseline}" "${arg_OUTPUT}"
            ${gate_args} --runner $<TARGET_FILE:benchgate::runner>
            --exe $<TARGET_FILE:${name}> ${ab_compare_args} ${rerun_args} ${arg_COMPARE_ARGS})
  set_tests_properties(bench.${name}.compare PROPERTIES
    LABELS "${labels}"
    RUN_SERIAL ${serial}
    TIMEOUT ${arg_TIMEOUT}
    FIXTURES_REQUIRED bench.${name}
    SKIP_RETURN_CODE 77)

  # One report of every gate that ran: benchgate-report/comment.md (a pull-request comment),
  # report.html and junit.xml in the build tree (docs/ci.md).
  if(NOT TARGET benchgate-report)
    set(report_dir "${CMAKE_BINARY_DIR}/benchgate-report")
    add_custom_target(benchgate-report
      COMMAND ${CMAKE_COMMAND} -E make_directory "${report_dir}"
      COMMAND $<TARGET_FILE:benchgate::compare> --collect "${CMAKE_BINARY_DIR}"
              --output "${report_dir}/comment.md" --html "${report_dir}/report.html"
              --junit "${report_dir}/junit.xml"
      COMMENT "Collecting the gates' results into ${report_dir} (run ctest -L bench first)"
      VERBATIM)
  endif()
  # Accepting the current numbers: only the benchmarks the gate finds changed are written, by the
  # compare test's own thresholds (gate_args, COMPARE_ARGS; the report's flags are ignored there),
  # so that the baseline diff lists the accepted changes (docs/compare.md, "Accepting new numbers").
  if(NOT TARGET benchgate-update-baselines)
    add_custom_target(benchgate-update-baselines
      COMMENT "Writing the benchmarks whose numbers changed into the baselines (run ctest -L bench first)")
  endif()
  add_custom_target(benchgate-update-baseline-${name}
    COMMAND $<TARGET_FILE:benchgate::compare> --write-baseline "${arg_BASELINE}" "${arg_OUTPUT}"
            ${gate_args} ${arg_COMPARE_ARGS}
    VERBATIM)
  add_dependencies(benchgate-update-baselines benchgate-update-baseline-${name})
  # Every benchmark from the current rows, changed or not.
  if(NOT TARGET benchgate-rerecord-baselines)
    add_custom_target(benchgate-rerecord-baselines
      COMMENT "Copying current benchmark rows over the baselines (run ctest -L bench first)")
  endif()
  add_custom_target(benchgate-rerecord-baseline-${name}
    COMMAND $<TARGET_FILE:benchgate::compare> --write-baseline "${arg_BASELINE}" "${arg_OUTPUT}"
            --all
    VERBATIM)
  add_dependencies(benchgate-rerecord-baselines benchgate-rerecord-baseline-${name})
  # Adding the current run to the baseline's recorded runs (the five most recent kept): the
  # gate then measures the spread between runs (docs/compare.md, "Committed baselines").
  if(NOT TARGET benchgate-add-baseline-runs)
    add_custom_target(benchgate-add-baseline-runs
      COMMENT "Adding the current benchmark rows to the baselines' recorded runs")
  endif()
  add_custom_target(benchgate-add-baseline-run-${name}
    COMMAND $<TARGET_FILE:benchgate::compare> --write-baseline "${arg_BASELINE}" "${arg_OUTPUT}"
            --add-run ${gate_args} ${arg_COMPARE_ARGS}
    VERBATIM)
  add_dependencies(benchgate-add-baseline-runs benchgate-add-baseline-run-${name})
endfunction()

if(NOT COMMAND add_benchmark)
  macro(add_benchmark)
    benchgate_add_benchmark(${ARGV})
  endmacro()
else()
  message(AUTHOR_WARNING "benchgate: a command named add_benchmark() already exists, so "
    "benchgate does not define it; call benchgate_add_benchmark() instead.")
endif()
