# Issue 4, the DIANA platform (include/htvm/diana/). Every test here carries the label `diana`. The
# compile errors of rules a forced layer breaks are in compile_fail/ (test_diana_fail_*).
set(HTVM_DIANA_EXAMPLES_DIR ${PROJECT_SOURCE_DIR}/examples/diana)

htvm_add_test(test_diana_layouts SOURCES diana/test_diana_layouts.cpp LABELS diana)
htvm_add_test(test_diana_simulators SOURCES diana/test_diana_simulators.cpp LABELS diana)
htvm_add_test(test_diana_dispatch SOURCES diana/test_diana_dispatch.cpp LABELS diana)
htvm_add_test(test_diana_cycle_model SOURCES diana/test_diana_cycle_model.cpp LABELS diana)
# The paper's four networks in the four configurations against the Eigen reference, one source per
# network so that they compile in parallel.
htvm_add_test(test_diana_examples
  SOURCES diana/test_diana_examples_ds_cnn.cpp diana/test_diana_examples_mobilenet.cpp
          diana/test_diana_examples_resnet8.cpp diana/test_diana_examples_toyadmos_dae.cpp
  LABELS diana)

# Every example program runs and prints its dispatch table and its output.
foreach(network ds_cnn mobilenet resnet8 toyadmos_dae)
  foreach(policy cpu_only digital analog mixed)
    if(TARGET diana_${network}_${policy})
      add_test(NAME diana_example_${network}_${policy} COMMAND diana_${network}_${policy})
      # With tiling, no layer an accelerator can run stays on the CPU for lack of memory.
      set_tests_properties(diana_example_${network}_${policy} PROPERTIES LABELS "diana;examples"
        PASS_REGULAR_EXPRESSION "dispatch \\(policy ${policy}\\).*output: [0-9a-f]+"
        FAIL_REGULAR_EXPRESSION "not even one tile")
      htvm_test_needs(diana_example_${network}_${policy} diana_${network}_${policy})
    endif()
  endforeach()
endforeach()
target_include_directories(test_diana_examples PRIVATE ${HTVM_DIANA_EXAMPLES_DIR})

# Issue #23, item 2: the DIANA target computes the same bytes whichever compiler builds it (Clang 14
# had built every accelerator tile's L1 buffer offsets wrong: target.hpp, plan_constants). Every
# visitor path against the Eigen reference and the plan's L1 offsets; tools/test.sh runs it in its
# g++ and clang++ builds.
htvm_add_test(test_diana_compilers SOURCES diana/test_diana_compilers.cpp LABELS diana)

# Issue 5 on DIANA: layers too big untiled run tile by tile on both accelerators through the target,
# bit-exact with the Eigen reference; the tiled cycle model (the budgets' compile errors:
# compile_fail/).
htvm_add_test(test_diana_tiling SOURCES diana/test_diana_tiling.cpp LABELS diana tiling)
target_include_directories(test_diana_tiling PRIVATE ${HTVM_DIANA_EXAMPLES_DIR})

# The compile report prints every policy and writes the L2 plan picture.
add_test(NAME diana_compile_report_resnet8
  COMMAND diana_report_resnet8 ${CMAKE_CURRENT_BINARY_DIR}/diana_resnet8_l2_plan.svg)
set_tests_properties(diana_compile_report_resnet8 PROPERTIES LABELS "diana"
  PASS_REGULAR_EXPRESSION "policy mixed.*layers: [0-9]+ on the CPU.*L2 .*wrote the L2 plan")
htvm_test_needs(diana_compile_report_resnet8 diana_report_resnet8)

# Issue #23, item 3: DIANA's accelerator code is shared by geometry, not instantiated per layer. Two
# networks of 64 and 128 layers of repeated blocks, compiled for the digital policy at test time: the
# object may grow by at most 128 B (code + data) per added layer (per-layer tile code cost about
# 2,100 B a layer), with no more tile-code instances than distinct tile plans (label scale: it
# compiles networks; it measures bytes, not time).
if(CMAKE_NM)
  get_filename_component(_htvm_binutils_dir ${CMAKE_NM} DIRECTORY)
  find_program(HTVM_SIZE NAMES size HINTS ${_htvm_binutils_dir})
endif()
if(HTVM_SIZE AND CMAKE_NM)
  # With this build's compiler (tools/test.sh runs it with g++ and clang++ builds alike).
  add_test(NAME test_diana_code_per_layer
    COMMAND ${CMAKE_COMMAND} -DCXX=${CMAKE_CXX_COMPILER} -DSIZE=${HTVM_SIZE} -DNM=${CMAKE_NM}
            -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/test_diana_code_per_layer -DBOUND=128
            -P ${CMAKE_CURRENT_LIST_DIR}/code_size/check_code_per_layer.cmake)
  set_tests_properties(test_diana_code_per_layer PROPERTIES LABELS "diana;scale")
  htvm_test_needs(test_diana_code_per_layer)  # compiles its networks itself
else()
  message(STATUS "htvm: no 'size' or 'nm' found; test_diana_code_per_layer is not registered")
endif()
