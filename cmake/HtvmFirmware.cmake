# htvm_add_firmware(<target> SOURCES <file>... [LIBRARIES <lib>...] [DEFINES <def>...]
#                   [INCLUDES <dir>...])
#
# One program, two kinds of build from the same translation units:
#  - host build: an ordinary executable (run it, test it, compare with it);
#  - under cmake/toolchain-rv32imc.cmake or cmake/toolchain-cortex-m4.cmake: a bare-metal ELF
#    (<target>.elf, semihosting, picolibc, no default libraries) with a linker map
#    (<target>.elf.map), per-function stack usage (-fstack-usage: <object>.su next to each object)
#    and the linker's memory-usage summary.
# Every firmware target is also a dependency of the `htvm_firmware` target (build all of them with
# `cmake --build <dir> --target htvm_firmware`), and listed in <build>/htvm-firmware.tsv:
#     <target> TAB <ELF or executable> TAB <object files, ;-separated> TAB <expected violation>
# which the firmware discipline tests read (tests/firmware/firmware.cmake). A target that breaks a rule on
# purpose (to test the checks) names it in its property HTVM_FIRMWARE_EXPECT_VIOLATION: `heap` (links
# the heap) or `record` (links its network record).
include_guard(GLOBAL)

if(NOT TARGET htvm_firmware)
  add_custom_target(htvm_firmware)
endif()

# compile_commands.json lets the clang++ check (tests/firmware/firmware.cmake) re-compile the examples' exact
# translation units, generated headers included. A project that decided otherwise keeps its choice.
if(NOT DEFINED CMAKE_EXPORT_COMPILE_COMMANDS)
  set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
endif()

function(htvm_add_firmware target)
  cmake_parse_arguments(F "" "" "SOURCES;LIBRARIES;DEFINES;INCLUDES" ${ARGN})
  if(NOT F_SOURCES)
    message(FATAL_ERROR "htvm_add_firmware(${target}): no SOURCES given")
  endif()
  add_executable(${target} ${F_SOURCES})
  target_link_libraries(${target} PRIVATE htvm::htvm ${F_LIBRARIES})
  if(F_DEFINES)
    target_compile_definitions(${target} PRIVATE ${F_DEFINES})
  endif()
  if(F_INCLUDES)
    target_include_directories(${target} PRIVATE ${F_INCLUDES})
  endif()
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES HTVM_FIRMWARE ON EXPORT_COMPILE_COMMANDS ON)
  add_dependencies(htvm_firmware ${target})
  set_property(GLOBAL APPEND PROPERTY HTVM_FIRMWARE_TARGETS ${target})

  if(HTVM_FIRMWARE_ARCH)
    target_compile_options(${target} PRIVATE -fstack-usage)
    target_link_options(${target} PRIVATE
      "LINKER:-Map=$<TARGET_FILE_DIR:${target}>/${target}.elf.map"
      "LINKER:--print-memory-usage")
  endif()
endfunction()

# Written once the whole project has been read (all targets exist by then).
function(_htvm_firmware_write_manifest)
  get_property(targets GLOBAL PROPERTY HTVM_FIRMWARE_TARGETS)
  set(lines "")
  foreach(t IN LISTS targets)
    string(APPEND lines
      "${t}\t$<TARGET_FILE:${t}>\t$<TARGET_OBJECTS:${t}>\t$<TARGET_PROPERTY:${t},HTVM_FIRMWARE_EXPECT_VIOLATION>\n")
  endforeach()
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/htvm-firmware.tsv" CONTENT "${lines}")
  if(HTVM_FIRMWARE_ARCH)
    # The bare-metal compiler and flags, for checks that compile headers on their own.
    string(TOUPPER "${CMAKE_BUILD_TYPE}" config)
    file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/htvm-firmware-compiler.txt"
      CONTENT "${CMAKE_CXX_COMPILER} ${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${config}}\n")
  endif()
  # For scripts that need the host's model importer for a cross build (tools/run-firmware.sh).
  if(NOT CMAKE_CROSSCOMPILING AND TARGET htvm-import)
    file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/htvm-host-tools.txt" CONTENT "$<TARGET_FILE:htvm-import>\n")
  endif()
endfunction()
cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _htvm_firmware_write_manifest)
