# MLPerf Tiny (CTest label: mlperf): the four real models, imported from tests/data/mlperf_tiny,
# against TFLite Micro's golden data. Needs htvm-import and the example programs
# (HTVM_BUILD_EXAMPLES, flatbuffers installed). The importer's own tests are in importer/.
if(NOT TARGET htvm-import OR NOT TARGET mlperf_tiny_kws)
  message(STATUS "mlperf tests skipped: htvm-import or the MLPerf Tiny examples are not built")
  return()
endif()

set(mlperf_data ${CMAKE_CURRENT_SOURCE_DIR}/data/mlperf_tiny)

foreach(net kws ic vww ad)
  # The built-in golden pairs (seeds 1..3), run by the program itself.
  add_test(NAME mlperf_${net}_golden COMMAND mlperf_tiny_${net})
  # The same pairs from the reference files, plus every intermediate tensor of seed 1.
  add_test(NAME mlperf_${net}_files_and_tensors
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:mlperf_tiny_${net}> -DCOMPARE=$<TARGET_FILE:mlperf_compare_tensors>
            -DGOLDEN=${mlperf_data}/golden/${net} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/mlperf_work/${net}
            -P ${CMAKE_CURRENT_LIST_DIR}/run_golden_files.cmake)
  set_tests_properties(mlperf_${net}_golden mlperf_${net}_files_and_tensors PROPERTIES LABELS mlperf)
  htvm_test_needs(mlperf_${net}_golden mlperf_tiny_${net})
  htvm_test_needs(mlperf_${net}_files_and_tensors mlperf_tiny_${net} mlperf_compare_tensors)
endforeach()

# The compile report htvm_add_model() makes for every model, checked against the imported header.
find_program(HTVM_BASH bash REQUIRED)
foreach(net kws ic vww ad)
  if(TARGET mlperf_${net}_model_report)
    get_target_property(header mlperf_${net}_model HTVM_MODEL_HEADER)
    add_test(NAME mlperf_${net}_report
      COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_LIST_DIR}/check_model_report.sh
              $<TARGET_FILE:mlperf_${net}_model_report> ${header} ${CMAKE_CURRENT_BINARY_DIR}/mlperf_work/report_${net})
    set_tests_properties(mlperf_${net}_report PROPERTIES LABELS mlperf)
    htvm_test_needs(mlperf_${net}_report mlperf_${net}_model_report)
  endif()
endforeach()

# Command-line errors (the programs share main.cpp; kws and vww cover two input sizes).
foreach(net_bytes kws:490 vww:27648)
  string(REPLACE ":" ";" pair ${net_bytes})
  list(GET pair 0 net)
  list(GET pair 1 bytes)
  add_test(NAME mlperf_${net}_cli_errors
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:mlperf_tiny_${net}> -DINPUT_BYTES=${bytes}
            -DWORK=${CMAKE_CURRENT_BINARY_DIR}/mlperf_work/cli_${net} -P ${CMAKE_CURRENT_LIST_DIR}/cli_errors.cmake)
  set_tests_properties(mlperf_${net}_cli_errors PROPERTIES LABELS mlperf)
  htvm_test_needs(mlperf_${net}_cli_errors mlperf_tiny_${net})
endforeach()

# The input generator reproduces the reference inputs.
htvm_add_test(test_mlperf_inputs SOURCES mlperf/test_mlperf_inputs.cpp LABELS mlperf)
target_include_directories(test_mlperf_inputs PRIVATE ${PROJECT_SOURCE_DIR}/examples/mlperf_tiny)
target_compile_definitions(test_mlperf_inputs PRIVATE HTVM_MLPERF_DATA_DIR="${mlperf_data}")
