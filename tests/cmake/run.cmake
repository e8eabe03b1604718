# What the check_*.cmake scripts share.

# Runs a command; stops the script with its output when it fails, else leaves its stdout in
# `out` for the caller.
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "'${ARGV}' failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

# The command of test number `index` of `json` (the output of ctest --show-only=json-v1), as a
# list, into `out_var`.
function(json_test_command json index out_var)
  set(command "")
  string(JSON nargs LENGTH "${json}" tests ${index} command)
  math(EXPR last_arg "${nargs} - 1")
  foreach(i RANGE ${last_arg})
    string(JSON arg GET "${json}" tests ${index} command ${i})
    list(APPEND command "${arg}")
  endforeach()
  set(${out_var} "${command}" PARENT_SCOPE)
endfunction()

# Fails unless the caller's `ctest_out` (the output of its last ctest run) matches `text`, a
# regular expression.
function(expect text)
  if(NOT ctest_out MATCHES "${text}")
    message(FATAL_ERROR "expected /${text}/ in the ctest output:\n${ctest_out}")
  endif()
endfunction()
