# Builds and runs the importer's fuzzer (CTest, tests/importer/fuzz.cmake):
#   cmake -DMODE=build -DCLANGXX=<clang++> -DSOURCE=<this directory> -DBUILD=<build directory> -P run_fuzz.cmake
#   cmake -DMODE=regressions -DFUZZER=<binary> -DSOURCE=<this directory> -DMODELS=<dir of .tflite seeds> -P ...
#   cmake -DMODE=fuzz -DFUZZER=<binary> -DSOURCE=<this directory> -DMODELS=<dir> -DWORK=<dir> -DSECONDS=60 -P ...
# regressions: every regressions/refused-* must be refused and every regressions/imports-* and MLPerf
# model imported, each within 10 s, with no sanitizer error.
# fuzz: SECONDS of fuzzing from the MLPerf models and the regression inputs (corpora kept in WORK).
cmake_minimum_required(VERSION 3.20)

function(run_fuzzer)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    message("${out}")
    message(FATAL_ERROR "the fuzzer failed (status ${status}): ${ARGN}")
  endif()
  set(fuzzer_output "${out}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "build")
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD} -DCMAKE_CXX_COMPILER=${CLANGXX}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "configuring the fuzzer failed")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD} -j1 RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "building the fuzzer failed")
  endif()
elseif(MODE STREQUAL "regressions")
  file(GLOB refused ${SOURCE}/regressions/refused-*)
  file(GLOB imported ${SOURCE}/regressions/imports-*)
  file(GLOB models ${MODELS}/*.tflite)
  list(LENGTH refused refused_count)
  if(refused_count LESS 1)
    message(FATAL_ERROR "no regression inputs in ${SOURCE}/regressions")
  endif()
  set(ENV{HTVM_FUZZ_EXPECT} refused)
  run_fuzzer(${FUZZER} -timeout=10 -rss_limit_mb=2048 ${refused})
  # One "refused: <message>" line per input (the messages may hold semicolons: not a CMake list).
  string(REGEX MATCHALL "\nrefused: " refusals "\n${fuzzer_output}")
  list(LENGTH refusals refusal_count)
  if(NOT refusal_count EQUAL refused_count)
    message(FATAL_ERROR "${refused_count} inputs, ${refusal_count} refusals:\n${fuzzer_output}")
  endif()
  string(REGEX REPLACE "\n[^r][^\n]*" "" messages "\n${fuzzer_output}")  # keeps the "refused: " lines
  message(STATUS "${refused_count} regression inputs refused:${messages}")
  set(ENV{HTVM_FUZZ_EXPECT} imported)
  run_fuzzer(${FUZZER} -timeout=10 -rss_limit_mb=2048 ${imported} ${models})
  message(STATUS "imported: ${imported} ${models}")
elseif(MODE STREQUAL "fuzz")
  # Half the time from the MLPerf Tiny models (deep paths, but about 100 runs a second on 300 kB
  # inputs), half from the small regression inputs with inputs kept under 8 kB (some 10,000 runs a
  # second). Each half keeps its corpus in WORK between runs.
  math(EXPR half "${SECONDS} / 2")
  math(EXPR rest "${SECONDS} - ${half}")
  file(GLOB models ${MODELS}/*.tflite)
  file(GLOB regressions ${SOURCE}/regressions/*.tflite)
  foreach(phase large small)
    file(REMOVE_RECURSE ${WORK}/seeds_${phase})
    file(MAKE_DIRECTORY ${WORK}/seeds_${phase} ${WORK}/corpus_${phase} ${WORK}/artifacts)
  endforeach()
  file(COPY ${models} ${regressions} DESTINATION ${WORK}/seeds_large)
  file(COPY ${regressions} DESTINATION ${WORK}/seeds_small)
  set(common -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=${WORK}/artifacts/)
  run_fuzzer(${FUZZER} -max_total_time=${half} ${common} ${WORK}/corpus_large ${WORK}/seeds_large)
  string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs_large "${fuzzer_output}")
  run_fuzzer(${FUZZER} -max_total_time=${rest} -max_len=8192 ${common} ${WORK}/corpus_small ${WORK}/seeds_small)
  string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs_small "${fuzzer_output}")
  message(STATUS "${SECONDS} s of fuzzing, no crash: from the MLPerf models ${runs_large}, from small inputs ${runs_small}")
else()
  message(FATAL_ERROR "MODE must be build, regressions or fuzz")
endif()
