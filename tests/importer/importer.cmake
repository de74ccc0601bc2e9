# The TFLite importer (tools/htvm-import): bad and unsupported models (bad_models/, which also
# writes the extra-operator model), TFLite's parameter arithmetic, the extra operators end to end,
# and its C++ printer on a network written as IR by hand (printer/). Labels importer (and mlperf for
# the tests that read the MLPerf Tiny models). Needs htvm-import and the MLPerf Tiny examples, like
# mlperf/; the fuzz tests (fuzz.cmake) need htvm-import and clang++ with libFuzzer.
if(TARGET htvm-import AND TARGET mlperf_tiny_kws)
  set(mlperf_data ${CMAKE_CURRENT_SOURCE_DIR}/data/mlperf_tiny)

  # The importer on bad and unsupported models, and TFLite's parameter arithmetic.
  set(importer_work ${CMAKE_CURRENT_BINARY_DIR}/importer_work)
  file(MAKE_DIRECTORY ${importer_work})
  htvm_add_test(test_importer SOURCES importer/test_importer.cpp LABELS mlperf importer
                LIBRARIES htvm_import_lib)
  target_compile_definitions(test_importer PRIVATE HTVM_MLPERF_DATA_DIR="${mlperf_data}"
    HTVM_IMPORTER_TEST_DIR="${importer_work}" HTVM_IMPORT_PATH="$<TARGET_FILE:htvm-import>"
    HTVM_FUZZ_REGRESSIONS_DIR="${PROJECT_SOURCE_DIR}/tools/htvm-import/fuzz/regressions")
  add_dependencies(test_importer htvm-import)

  # The extra operators end to end: a model written at build time, imported with htvm_add_model.
  add_executable(make_test_models ${CMAKE_CURRENT_LIST_DIR}/bad_models/make_test_models.cpp)
  target_link_libraries(make_test_models PRIVATE htvm_import_lib)
  set(extra_ops_tflite ${CMAKE_CURRENT_BINARY_DIR}/test_models/extra_ops.tflite)
  add_custom_command(
    OUTPUT ${extra_ops_tflite}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/test_models
    COMMAND make_test_models ${CMAKE_CURRENT_BINARY_DIR}/test_models
    DEPENDS make_test_models
    COMMENT "writing the importer's test models"
    VERBATIM)
  htvm_add_model(extra_ops_model MODEL ${extra_ops_tflite} NAME extra_ops)
  htvm_add_test(test_importer_ops SOURCES importer/test_importer_ops.cpp LABELS mlperf importer
                LIBRARIES extra_ops_model htvm_import_lib)

  # The importer's C++ printer on a network written as IR by hand, no TFLite involved: its header is
  # printed at build time, then compiled and run by the test.
  add_executable(print_hand_network ${CMAKE_CURRENT_LIST_DIR}/printer/print_hand_network.cpp)
  target_link_libraries(print_hand_network PRIVATE htvm_import_lib)
  set(hand_header ${CMAKE_CURRENT_BINARY_DIR}/importer_printer/hand_model.hpp)
  add_custom_command(
    OUTPUT ${hand_header}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/importer_printer
    COMMAND print_hand_network ${hand_header}
    DEPENDS print_hand_network
    COMMENT "printing the hand-written IR network"
    VERBATIM)
  htvm_add_test(test_importer_printer SOURCES importer/test_importer_printer.cpp ${hand_header} LABELS importer
                LIBRARIES htvm_import_lib)
  target_include_directories(test_importer_printer PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/importer_printer)
endif()

include(${CMAKE_CURRENT_LIST_DIR}/fuzz.cmake)
