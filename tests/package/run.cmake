# Builds and runs tests/package/consumer against htvm in mode MODE (package | subdirectory | fetch):
# a hand-written network, the same as htvm_add_firmware() program, and a model imported with
# htvm_add_model(), with the model's compile report program. In package mode the consumer is also
# cross-built with each installed toolchain file (RV32IMC, Cortex-M4), and its firmware ELFs run
# under QEMU.
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
run_step(${WORK_DIR}/consumer-build/consumer_firmware)
# htvm_add_model()'s compile report program, built on request from the source htvm ships.
run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-build --target consumer_kws_report)
execute_process(COMMAND ${WORK_DIR}/consumer-build/consumer_kws_report --policy mixed ${WORK_DIR}/kws_l2_plan.svg
                RESULT_VARIABLE rc OUTPUT_VARIABLE report ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT report MATCHES "htvm compile report: policy mixed" OR NOT EXISTS ${WORK_DIR}/kws_l2_plan.svg)
  message(FATAL_ERROR "consumer_kws_report failed (${rc}) or printed no report / wrote no picture:\n${report}\n${err}")
endif()
message(STATUS "consumer (${MODE}) built; it produced the hand-computed output, its model imported "
               "with htvm_add_model() produced TFLite Micro's output, and the model's report ran")

if(MODE STREQUAL "package")
  # Only what the install put under the prefix: the toolchain files and htvm_add_firmware(), for
  # each bare-metal target htvm supports.
  set(arches rv32 m4)
  set(toolchain_names rv32imc cortex-m4)
  foreach(arch toolchain_name IN ZIP_LISTS arches toolchain_names)
    file(GLOB_RECURSE toolchain ${WORK_DIR}/prefix/*/toolchain-${toolchain_name}.cmake)
    if(NOT toolchain)
      message(FATAL_ERROR "the installed package has no toolchain-${toolchain_name}.cmake under ${WORK_DIR}/prefix")
    endif()
    run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/consumer-${arch} -G ${GENERATOR}
             ${consumer_args} --toolchain ${toolchain})
    run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-${arch} --target consumer_firmware)
    # Exit status 0 only if the firmware computed the hand-computed output (main's return value).
    run_step(bash ${SOURCE_DIR}/tools/qemu-run.sh ${arch} ${WORK_DIR}/consumer-${arch}/consumer_firmware.elf 60)
    message(STATUS "consumer (package) cross-built with ${toolchain}; its firmware produced the "
                   "hand-computed output under QEMU (${arch})")
  endforeach()
endif()
