# Firmware discipline, part 3b: every example translation unit compiles warning-free with clang++
# too (the host build compiles them with g++ -Werror already).
#
#     cmake -DCOMPILE_COMMANDS=<host build>/compile_commands.json -DSOURCE_DIR=<repo>
#           -DCLANG=clang++ -P test_firmware_clang.cmake
#
# Takes each example's exact compile command from the host build (include paths of generated model
# headers, definitions, -std), swaps the compiler for clang++, adds -Wall -Wextra -Werror
# -fsyntax-only, and fails when any translation unit does not compile cleanly.
foreach(var COMPILE_COMMANDS SOURCE_DIR CLANG)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "test_firmware_clang.cmake needs -D${var}=...")
  endif()
endforeach()
if(NOT EXISTS "${COMPILE_COMMANDS}")
  message(FATAL_ERROR "FAIL: no ${COMPILE_COMMANDS}; configure the host build with CMAKE_EXPORT_COMPILE_COMMANDS ON")
endif()

file(READ "${COMPILE_COMMANDS}" json)
string(JSON count LENGTH "${json}")
set(checked 0)
set(failed "")
math(EXPR last "${count} - 1")
foreach(i RANGE 0 ${last})
  string(JSON file GET "${json}" ${i} file)
  cmake_path(IS_PREFIX SOURCE_DIR "${file}" NORMALIZE in_tree)
  file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
  if(NOT in_tree OR NOT rel MATCHES "^examples/")
    continue()
  endif()
  string(JSON directory GET "${json}" ${i} directory)
  string(JSON command GET "${json}" ${i} command)
  separate_arguments(words UNIX_COMMAND "${command}")
  list(POP_FRONT words)  # the compiler
  # Drop what produces output (-o <object>, -c, dependency files); keep flags, paths and definitions.
  set(args "")
  set(skip_next OFF)
  foreach(w IN LISTS words)
    if(skip_next)
      set(skip_next OFF)
    elseif(w STREQUAL "-o" OR w STREQUAL "-MF" OR w STREQUAL "-MT" OR w STREQUAL "-MQ")
      set(skip_next ON)
    elseif(w STREQUAL "-c" OR w STREQUAL "-MD" OR w STREQUAL "-MMD" OR w STREQUAL "${file}")
    else()
      list(APPEND args "${w}")
    endif()
  endforeach()
  execute_process(
    COMMAND "${CLANG}" ${args} -Wall -Wextra -Werror -fsyntax-only "${file}"
    WORKING_DIRECTORY "${directory}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  math(EXPR checked "${checked} + 1")
  set(defines "${args}")
  list(FILTER defines INCLUDE REGEX "^-D")
  list(FILTER defines EXCLUDE REGEX "^-DNDEBUG$")
  if(rc EQUAL 0)
    message("ok:   ${rel} ${defines}")
  else()
    set(hint "")
    if(out MATCHES "file not found")
      set(hint "(a generated header is missing: build the host tree completely before running the tests)\n")
    endif()
    message("FAIL: ${rel}\n${out}${hint}")
    list(APPEND failed "${rel}")
  endif()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "FAIL: no example translation unit found in ${COMPILE_COMMANDS}")
endif()
if(failed)
  message(FATAL_ERROR "FAIL: clang++ -Werror rejects: ${failed}")
endif()
message("${checked} example translation units compile cleanly with ${CLANG}")
