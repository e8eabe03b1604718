# A command's --help and its documentation name the same flags. The flags of the help text are
# its option lines ("  -h, --help", "      --out arg"); the documented flags are those of the
# section of DOC from the heading START up to the heading END (or the end of the file), read
# where the section lists them:
#   MODE table:    rows of its tables that start with a flag ("| `--out FILE` | ...");
#   MODE synopsis: its first fenced code block (the usage synopsis).
# --help itself is exempt (every command has it; a synopsis need not show it).
# Usage: cmake "-DHELP=<exe>;<arg>..." -DDOC=docs/cli.md "-DSTART=## benchgate-runner run"
#        "-DEND=## What run does" -DMODE=table -P check_cli_doc.cmake
cmake_minimum_required(VERSION 3.25)

execute_process(COMMAND ${HELP} --help RESULT_VARIABLE rc OUTPUT_VARIABLE help ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "'${HELP} --help' failed (${rc}): ${err}")
endif()
string(REGEX MATCHALL "\n +(-[a-zA-Z], )?--[a-z][a-z0-9-]*" help_flags "${help}")
list(TRANSFORM help_flags REPLACE "^.*--" "--")
list(REMOVE_ITEM help_flags --help)
list(REMOVE_DUPLICATES help_flags)
list(SORT help_flags)
if(NOT help_flags)
  message(FATAL_ERROR "no flags found in '${HELP} --help':\n${help}")
endif()

file(READ "${DOC}" doc)
string(PREPEND doc "\n")  # a heading on the first line
string(FIND "${doc}" "\n${START}\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "${DOC} has no heading '${START}'")
endif()
string(SUBSTRING "${doc}" ${start} -1 section)
if(END)
  string(FIND "${section}" "\n${END}\n" end)
  if(end EQUAL -1)
    message(FATAL_ERROR "${DOC} has no heading '${END}' after '${START}'")
  endif()
  string(SUBSTRING "${section}" 0 ${end} section)
endif()

if(MODE STREQUAL "table")
  string(REGEX MATCHALL "\n\\| `(-[a-zA-Z]`, `)?--[a-z][a-z0-9-]*" doc_flags "${section}")
elseif(MODE STREQUAL "synopsis")
  string(REGEX MATCH "\n```[a-z]*\n[^`]*```" block "${section}")
  string(REGEX MATCHALL "--[a-z][a-z0-9-]*" doc_flags "${block}")
else()
  message(FATAL_ERROR "MODE must be table or synopsis; got '${MODE}'")
endif()
list(TRANSFORM doc_flags REPLACE "^.*--" "--")
list(REMOVE_ITEM doc_flags --help)
list(REMOVE_DUPLICATES doc_flags)
list(SORT doc_flags)

set(problems "")
foreach(flag IN LISTS help_flags)
  if(NOT flag IN_LIST doc_flags)
    string(APPEND problems "\n  - ${flag} is in --help but not documented")
  endif()
endforeach()
foreach(flag IN LISTS doc_flags)
  if(NOT flag IN_LIST help_flags)
    string(APPEND problems "\n  - ${flag} is documented but not in --help")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "'${HELP} --help' and ${DOC} (${START}) disagree:${problems}")
endif()
list(LENGTH help_flags n)
message(STATUS "${DOC} (${START}) documents the ${n} flags of --help")
