# htvm_add_model(<target> MODEL <file.tflite> [NAME <c++ identifier>])
#
# Imports an int8 TFLite model at build time with htvm-import and makes <target> an INTERFACE
# library whose include directory holds the generated header <NAME>_model.hpp:
#
#     htvm_add_model(kws_model MODEL models/kws.tflite NAME kws)
#     target_link_libraries(my_app PRIVATE kws_model)      # then: #include "kws_model.hpp"
#                                                           #       kws::model::run(in, out);
#
# NAME (default: <target>) is the C++ namespace of the generated code. The header is regenerated
# whenever the model or the importer changes; it is never committed.
#
# On a host build it also defines <target>_report, built only when asked for: the model's compile
# report on DIANA for every policy (per layer the unit, tiles, L1/L2 use, MACs, modeled cycles, and
# why layers stay on the CPU) and its L2 plan as an SVG picture (tools/htvm-report/htvm_report.cpp):
#     cmake --build build --target kws_model_report && build/kws_model_report [--policy mixed] [plan.svg]
#
# The importer always runs on the build machine: the htvm-import target of this build (htvm added
# with add_subdirectory or FetchContent), the installed one (htvm::htvm-import, from
# find_package(htvm)), or, when cross-compiling, the host executable named by the cache variable
# HTVM_IMPORT_EXECUTABLE, e.g. from a host build:
#     cmake -S . -B build-host && cmake --build build-host --target htvm-import
#     cmake -S . -B build-rv32 --toolchain ... -DHTVM_IMPORT_EXECUTABLE=$PWD/build-host/tools/htvm-import/htvm-import
set(HTVM_IMPORT_EXECUTABLE "" CACHE FILEPATH "A host-built htvm-import, used by htvm_add_model() when cross-compiling")

function(htvm_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "MODEL;NAME" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "htvm_add_model(${target}): unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_MODEL)
    message(FATAL_ERROR "htvm_add_model(${target}): MODEL <file.tflite> is required")
  endif()
  set(name "${arg_NAME}")
  if(NOT name)
    set(name "${target}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "htvm_add_model(${target}): NAME '${name}' is not a C++ identifier")
  endif()
  cmake_path(ABSOLUTE_PATH arg_MODEL BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE model)

  if(NOT CMAKE_CROSSCOMPILING AND TARGET htvm-import)
    set(importer $<TARGET_FILE:htvm-import>)
    set(importer_dependency htvm-import)
  elseif(NOT CMAKE_CROSSCOMPILING AND TARGET htvm::htvm-import)
    set(importer $<TARGET_FILE:htvm::htvm-import>)
    set(importer_dependency $<TARGET_FILE:htvm::htvm-import>)
  elseif(HTVM_IMPORT_EXECUTABLE)
    if(NOT EXISTS "${HTVM_IMPORT_EXECUTABLE}")
      message(FATAL_ERROR "htvm_add_model(${target}): HTVM_IMPORT_EXECUTABLE='${HTVM_IMPORT_EXECUTABLE}' does not exist; "
                          "build htvm-import for the host first")
    endif()
    set(importer "${HTVM_IMPORT_EXECUTABLE}")
    set(importer_dependency "${HTVM_IMPORT_EXECUTABLE}")
  else()
    message(FATAL_ERROR "htvm_add_model(${target}): no host importer. htvm builds htvm-import when "
                        "HTVM_BUILD_IMPORTER is ON (the default) and flatbuffers is installed (Debian: "
                        "libflatbuffers-dev flatbuffers-compiler). When cross-compiling, build htvm-import "
                        "for the host and pass -DHTVM_IMPORT_EXECUTABLE=/path/to/htvm-import")
  endif()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/htvm_models/${target}")
  set(header "${out_dir}/${name}_model.hpp")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
    COMMAND ${importer} "${model}" -o "${header}" --name ${name}
    DEPENDS "${model}" ${importer_dependency}
    COMMENT "htvm-import: ${arg_MODEL} -> ${name}_model.hpp"
    VERBATIM)
  add_custom_target(${target}_import DEPENDS "${header}")

  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE "${out_dir}")
  target_link_libraries(${target} INTERFACE htvm::htvm)
  add_dependencies(${target} ${target}_import)
  set_target_properties(${target} PROPERTIES HTVM_MODEL_HEADER "${header}")

  if(NOT CMAKE_CROSSCOMPILING)
    # The program's source: installed next to this file, or in htvm's source tree.
    set(report_source "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/htvm_report.cpp")
    if(NOT EXISTS "${report_source}")
      set(report_source "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../tools/htvm-report/htvm_report.cpp")
    endif()
    add_executable(${target}_report EXCLUDE_FROM_ALL "${report_source}")
    target_link_libraries(${target}_report PRIVATE ${target})
    target_compile_definitions(${target}_report PRIVATE "HTVM_REPORT_HEADER=\"${name}_model.hpp\""
                               HTVM_REPORT_NET=${name}::net "HTVM_REPORT_TITLE=\"${name}\"")
  endif()
endfunction()
