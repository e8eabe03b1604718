# docs/cmake.md is the Markdown form of the rst block at the top of cmake/benchgate.cmake. Checks
# that the two, and the code below the rst block, agree:
#  - the command's signature is the same in both (whitespace aside);
#  - the keywords are the same set in the signature, the rst entries, the Markdown table and the
#    function's cmake_parse_arguments lists;
#  - each keyword's default in the rst ("default X") appears in its Markdown table row;
#  - every BENCHGATE_* variable, property and definition the module uses is named in both.
# Usage: cmake -DMODULE=cmake/benchgate.cmake -DDOC=docs/cmake.md -P check_cmake_doc.cmake
cmake_minimum_required(VERSION 3.25)

file(READ "${MODULE}" module)
file(READ "${DOC}" doc)
set(problems "")
macro(problem)
  string(CONCAT text ${ARGV})
  string(APPEND problems "\n  - ${text}")
endmacro()

# The rst block and the code after it.
string(FIND "${module}" "#]=======================================================================]" rst_end)
if(rst_end EQUAL -1)
  message(FATAL_ERROR "${MODULE}: no rst block")
endif()
string(SUBSTRING "${module}" 0 ${rst_end} rst)
string(SUBSTRING "${module}" ${rst_end} -1 code)

# Signatures, from the command name to the closing parenthesis, whitespace collapsed.
function(signature text out)
  string(REGEX MATCH "benchgate_add_benchmark\\(<name>[^)]*\\)" sig "${text}")
  string(REGEX REPLACE "[ \t\r\n]+" " " sig "${sig}")
  set(${out} "${sig}" PARENT_SCOPE)
endfunction()
signature("${rst}" rst_sig)
string(REGEX MATCH "```cmake\nbenchgate_add_benchmark\\(<name>[^`]*```" doc_block "${doc}")
signature("${doc_block}" doc_sig)
if(rst_sig STREQUAL "")
  problem("no signature in the rst block")
elseif(NOT rst_sig STREQUAL doc_sig)
  problem("signatures differ:\n      rst: ${rst_sig}\n      md:  ${doc_sig}")
endif()

# Keyword sets.
# (No '[' in a match: CMake does not split a list inside square brackets.)
string(REGEX MATCHALL "[A-Z][A-Z_]+ <" sig_keywords "${rst_sig}")
list(TRANSFORM sig_keywords REPLACE " <$" "")
list(SORT sig_keywords)
string(REGEX MATCHALL "\n  ``([A-Z][A-Z_]+)[ `]" rst_entries "${rst}")
list(TRANSFORM rst_entries REPLACE "^\n  ``([A-Z_]+).$" "\\1")
list(SORT rst_entries)
# The table of the command's section, up to the next section.
string(FIND "${doc}" "\n## benchgate_add_benchmark" section_start)
string(SUBSTRING "${doc}" ${section_start} -1 section)
string(FIND "${section}" "\n## What gets registered" section_end)
string(SUBSTRING "${section}" 0 ${section_end} section)
string(REGEX MATCHALL "\n\\| `([A-Z][A-Z_]+)[ `]" doc_rows "${section}")
list(TRANSFORM doc_rows REPLACE "^\n\\| `([A-Z_]+).$" "\\1")
list(SORT doc_rows)
string(REGEX MATCH "set\\(one_value ([A-Z_ \n]+)\\)" _ "${code}")
set(code_keywords ${CMAKE_MATCH_1})
string(REGEX MATCH "set\\(multi_value ([A-Z_ \n]+)\\)" _ "${code}")
string(APPEND code_keywords " ${CMAKE_MATCH_1}")
string(REGEX REPLACE "[ \n]+" ";" code_keywords "${code_keywords}")
list(REMOVE_ITEM code_keywords "")
list(SORT code_keywords)
foreach(set_name sig_keywords rst_entries doc_rows)
  if(NOT ${set_name} STREQUAL code_keywords)
    problem("keywords of ${set_name} (${${set_name}}) differ from cmake_parse_arguments "
      "(${code_keywords})")
  endif()
endforeach()

# Defaults: "default ``10%``", "default 900" or "Default: ``path``" in an rst entry must appear in
# its table row.
foreach(keyword IN LISTS code_keywords)
  string(REGEX MATCH "\n  ``${keyword}[^\n]*\n(    [^\n]*\n)+" entry "${rst}")
  string(REGEX REPLACE "[ \n]+" " " entry "${entry}")
  string(REGEX MATCH "[Dd]efault:? (``)?([^`,. ]+)" _ "${entry}")
  set(default "${CMAKE_MATCH_2}")
  string(REGEX MATCH "\n\\| `${keyword}[^\n]*" row "${section}")
  if(row STREQUAL "")
    continue()  # reported above
  endif()
  if(NOT default STREQUAL "")
    string(FIND "${row}" "${default}" at)
    if(at EQUAL -1)
      problem("${keyword}: the rst says default ${default}, the Markdown row does not:${row}")
    endif()
  endif()
endforeach()

# Every BENCHGATE_* name the code uses, in both texts.
string(REGEX MATCHALL "BENCHGATE_[A-Z_]+" names "${code}")
list(REMOVE_DUPLICATES names)
foreach(name IN LISTS names)
  string(FIND "${rst}" "${name}" in_rst)
  string(FIND "${doc}" "${name}" in_doc)
  if(in_rst EQUAL -1)
    problem("${name} is used by the module but not named in its rst block")
  endif()
  if(in_doc EQUAL -1)
    problem("${name} is used by the module but not named in ${DOC}")
  endif()
endforeach()

if(problems)
  message(FATAL_ERROR "${DOC} and the rst block of ${MODULE} disagree:${problems}")
endif()
list(LENGTH code_keywords n_keywords)
list(LENGTH names n_names)
message(STATUS "docs/cmake.md agrees with the module: signature, ${n_keywords} keywords and "
  "their defaults, ${n_names} BENCHGATE_* names")
