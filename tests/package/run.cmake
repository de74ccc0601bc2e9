# Builds and runs tests/package/consumer against htvm in mode MODE (package | subdirectory | fetch):
# a hand-written network and a model imported with htvm_add_model().
# Inputs: SOURCE_DIR (htvm's root), WORK_DIR (scratch), MODE, GENERATOR.
file(REMOVE_RECURSE ${WORK_DIR})
function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

set(consumer_args -DHTVM_MODE=${MODE} -DHTVM_SOURCE_DIR=${SOURCE_DIR})
if(MODE STREQUAL "package")
  run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/htvm-build -G ${GENERATOR}
           -DHTVM_BUILD_TESTS=OFF -DHTVM_BUILD_EXAMPLES=OFF)
  run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/htvm-build)  # the importer
  run_step(${CMAKE_COMMAND} --install ${WORK_DIR}/htvm-build --prefix ${WORK_DIR}/prefix)
  list(APPEND consumer_args -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
endif()
run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/consumer-build -G ${GENERATOR}
         ${consumer_args})
run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-build)
run_step(${WORK_DIR}/consumer-build/consumer)
run_step(${WORK_DIR}/consumer-build/consumer_model)
message(STATUS "consumer (${MODE}) built; it produced the hand-computed output, and its model imported "
               "with htvm_add_model() produced TFLite Micro's output")
