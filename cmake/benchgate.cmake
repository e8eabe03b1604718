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
        [TIMEOUT <seconds>])

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

  The run test ``bench.<name>.run`` has the label ``bench`` and ``RUN_SERIAL`` (measurements
  should not compete for the CPU), and the fixture ``bench.<name>`` for tests that read its
  rows. The executable is compiled with ``BENCHGATE_BUILD_TYPE`` set to ``$<CONFIG>`` so rows
  record the build type.

  Example:

  .. code-block:: cmake

    find_package(benchgate REQUIRED)
    add_benchmark(sort_bench SOURCES bench/sort.cpp RUNNER_ARGS --param-ceiling 65536)

#]=======================================================================]
include_guard(GLOBAL)

function(benchgate_add_benchmark name)
  set(options "")
  set(one_value OUTPUT TIMEOUT)
  set(multi_value SOURCES LIBRARIES RUNNER_ARGS)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")

  set(where "benchgate_add_benchmark(${name})")
  if(arg_UNPARSED_ARGUMENTS)
    list(JOIN arg_UNPARSED_ARGUMENTS "\", \"" unknown)
    message(FATAL_ERROR "${where}: unknown argument(s): \"${unknown}\". "
      "Valid keywords: SOURCES LIBRARIES RUNNER_ARGS OUTPUT TIMEOUT.")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    list(JOIN arg_KEYWORDS_MISSING_VALUES ", " missing)
    message(FATAL_ERROR "${where}: keyword(s) given without a value: ${missing}.")
  endif()
  # A misspelt keyword after a list keyword lands in that list ("SOURCES a.cpp TRESHOLD 5%"
  # makes TRESHOLD a source). Source files and runner flags never look like KEYWORDS.
  foreach(list_keyword SOURCES RUNNER_ARGS)
    foreach(item IN LISTS arg_${list_keyword})
      if(item MATCHES "^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
        message(FATAL_ERROR "${where}: unknown keyword \"${item}\" (read as part of "
          "${list_keyword}). Valid keywords: SOURCES LIBRARIES RUNNER_ARGS OUTPUT TIMEOUT.")
      endif()
    endforeach()
  endforeach()
  if("--out" IN_LIST arg_RUNNER_ARGS)
    message(FATAL_ERROR "${where}: RUNNER_ARGS must not contain --out; use OUTPUT <file> so "
      "the BENCHGATE_OUTPUT property names the file the rows go to.")
  endif()
  if(NOT name MATCHES "^[A-Za-z0-9_.-]+$")
    message(FATAL_ERROR "${where}: name \"${name}\" may only contain letters, digits, '_', '.' and '-'.")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "${where}: SOURCES is required: list the benchmark's source files.")
  endif()
  get_property(known GLOBAL PROPERTY BENCHGATE_BENCHMARKS)
  if(name IN_LIST known)
    message(FATAL_ERROR "${where}: a benchmark named \"${name}\" already exists; "
      "benchmark names must be unique in a build.")
  endif()
  if(TARGET ${name})
    message(FATAL_ERROR "${where}: a target named \"${name}\" already exists; "
      "choose another benchmark name.")
  endif()
  if(NOT DEFINED arg_TIMEOUT)
    set(arg_TIMEOUT 900)
  elseif(NOT arg_TIMEOUT MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "${where}: TIMEOUT \"${arg_TIMEOUT}\" must be a positive whole number of seconds.")
  endif()
  if(NOT DEFINED arg_OUTPUT)
    set(arg_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/benchgate/${name}.jsonl")
  elseif(NOT IS_ABSOLUTE "${arg_OUTPUT}")
    set(arg_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${arg_OUTPUT}")
  endif()
  if(NOT TARGET benchgate::benchgate OR NOT TARGET benchgate::runner)
    message(FATAL_ERROR "${where}: the targets benchgate::benchgate and benchgate::runner are "
      "missing; call find_package(benchgate) or add_subdirectory() on benchgate first.")
  endif()
  set_property(GLOBAL APPEND PROPERTY BENCHGATE_BENCHMARKS "${name}")

  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE benchgate::benchgate ${arg_LIBRARIES})
  target_compile_definitions(${name} PRIVATE "BENCHGATE_BUILD_TYPE=\"$<CONFIG>\"")
  set_target_properties(${name} PROPERTIES BENCHGATE_OUTPUT "${arg_OUTPUT}")
  # Building the benchmark builds the runner too, even when benchgate was added with
  # EXCLUDE_FROM_ALL (an installed, imported runner needs no build).
  get_target_property(runner_target benchgate::runner ALIASED_TARGET)
  if(runner_target)
    add_dependencies(${name} ${runner_target})
  endif()

  add_test(NAME bench.${name}.run
    COMMAND $<TARGET_FILE:benchgate::runner> run $<TARGET_FILE:${name}>
            --out "${arg_OUTPUT}" ${arg_RUNNER_ARGS})
  set_tests_properties(bench.${name}.run PROPERTIES
    LABELS bench
    RUN_SERIAL TRUE
    TIMEOUT ${arg_TIMEOUT}
    FIXTURES_SETUP bench.${name})
endfunction()

if(NOT COMMAND add_benchmark)
  macro(add_benchmark)
    benchgate_add_benchmark(${ARGV})
  endmacro()
else()
  message(AUTHOR_WARNING "benchgate: a command named add_benchmark() already exists, so "
    "benchgate does not define it; call benchgate_add_benchmark() instead.")
endif()
