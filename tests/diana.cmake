# Issue 4, the DIANA platform (include/htvm/diana/). Every test here carries the label `diana`.
set(HTVM_DIANA_EXAMPLES_DIR ${PROJECT_SOURCE_DIR}/examples/diana)

htvm_add_test(test_diana_layouts SOURCES test_diana_layouts.cpp LABELS diana)
htvm_add_test(test_diana_simulators SOURCES test_diana_simulators.cpp LABELS diana)
htvm_add_test(test_diana_dispatch SOURCES test_diana_dispatch.cpp LABELS diana)
htvm_add_test(test_diana_cycle_model SOURCES test_diana_cycle_model.cpp LABELS diana)
# The paper's four networks in the four configurations against the Eigen reference, one source per
# network so that they compile in parallel.
htvm_add_test(test_diana_examples
  SOURCES test_diana_examples_ds_cnn.cpp test_diana_examples_mobilenet.cpp test_diana_examples_resnet8.cpp
          test_diana_examples_toyadmos_dae.cpp
  LABELS diana)

# Forcing a layer onto an accelerator that cannot run it names the layer and the rule it breaks.
# GCC prints a layer name as "dw1", Clang spells it out: layer_called<'d', 'w', '1'>.
function(_htvm_diana_name_pattern out name)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    htvm_spelled_name(pattern ${name})
    set(${out} "${pattern}" PARENT_SCOPE)
  else()
    set(${out} "\"${name}\"" PARENT_SCOPE)
  endif()
endfunction()
_htvm_diana_name_pattern(dw1_name dw1)
_htvm_diana_name_pattern(wide_name wide)
_htvm_diana_name_pattern(big_name big)
_htvm_diana_name_pattern(gpu_name gpu)
htvm_add_compile_fail_test(test_diana_fail_analog_depthwise SOURCE test_diana_fail_analog_depthwise.cpp
  MATCH "target_override_cannot_run_on_accelerator" "analog_needs_groups_1" "${dw1_name}"
  LABELS diana)
htvm_add_compile_fail_test(test_diana_fail_digital_kernel SOURCE test_diana_fail_digital_kernel.cpp
  MATCH "target_override_cannot_run_on_accelerator" "kernel_size_not_1_3_5_or_7" "${wide_name}"
  LABELS diana)
# Not even one tile fits: the tiler's report with the layer, what one 16-channel tile needs (65,536 B
# of weights + 64 B of biases) and the weight memory's 64,000 B.
htvm_add_compile_fail_test(test_diana_fail_digital_too_big SOURCE test_diana_fail_digital_too_big.cpp
  MATCH "weight_memory_impossible" "${big_name}" "65600" "64000"
  LABELS diana tiling)
# The L2 budget (arena + constants as deployed + I/O buffers) against DIANA's 512,000 B.
htvm_add_compile_fail_test(test_diana_fail_l2 SOURCE test_diana_fail_l2.cpp
  MATCH "l2_over_budget" "561920" "512000"
  LABELS diana tiling)
htvm_add_compile_fail_test(test_diana_fail_unknown_target SOURCE test_diana_fail_unknown_target.cpp
  MATCH "unknown_target_override" "${gpu_name}"
  LABELS diana)
# The same four with Clang: the layer's name spelled out, and the error.
foreach(case analog_depthwise:dw1:analog_needs_groups_1 digital_kernel:wide:kernel_size_not_1_3_5_or_7
             digital_too_big:big:weight_memory_impossible unknown_target:pw:unknown_target_override)
  string(REPLACE ":" ";" fields ${case})
  list(GET fields 0 source)
  list(GET fields 1 layer)
  list(GET fields 2 error)
  htvm_spelled_name(spelled ${layer})
  htvm_add_clang_compile_fail_test(test_diana_fail_${source} SOURCE test_diana_fail_${source}.cpp
    MATCH "${spelled}" "${error}" LABELS diana)
endforeach()
htvm_add_compile_fail_test(test_diana_fail_not_ternary SOURCE test_diana_fail_not_ternary.cpp
  MATCH "analog_weight_is_not_ternary_minus1_0_or_1"
  LABELS diana)

# Every example program runs and prints its dispatch report and its output.
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

# Issue #23, item 2: the DIANA target computes the same bytes whichever compiler builds it. The other
# DIANA tests run g++ builds only, and Clang 14 had built every accelerator tile's L1 buffer offsets
# wrong (target.hpp: a class-type template parameter object indexed at run time). The same source
# runs built by the project's compiler and, when that is not Clang, by clang++ as well (at build
# time, -Wall -Wextra -Werror; doctest's main comes from the same translation unit).
htvm_add_test(test_diana_compilers SOURCES test_diana_compilers.cpp LABELS diana)
if(HTVM_CLANGXX AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_htvm_diana_clang_exe ${CMAKE_CURRENT_BINARY_DIR}/test_diana_compilers_clang)
  # Eigen's and doctest's include directories, as system headers (not the compiler's own: an explicit
  # -isystem /usr/include would break libstdc++'s #include_next).
  set(_htvm_diana_clang_includes "")
  foreach(_package Eigen3::Eigen doctest::doctest)
    get_target_property(_dirs ${_package} INTERFACE_INCLUDE_DIRECTORIES)
    foreach(_dir IN LISTS _dirs)
      if(_dir AND NOT _dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
        list(APPEND _htvm_diana_clang_includes -isystem ${_dir})
      endif()
    endforeach()
  endforeach()
  add_custom_command(OUTPUT ${_htvm_diana_clang_exe}
    COMMAND ${HTVM_CLANGXX} -std=c++20 -O2 -Wall -Wextra -Werror -DDOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
            -I${PROJECT_SOURCE_DIR}/include -I${CMAKE_CURRENT_SOURCE_DIR} ${_htvm_diana_clang_includes}
            -MD -MF ${_htvm_diana_clang_exe}.d
            ${CMAKE_CURRENT_SOURCE_DIR}/test_diana_compilers.cpp -o ${_htvm_diana_clang_exe}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test_diana_compilers.cpp
    DEPFILE ${_htvm_diana_clang_exe}.d
    COMMENT "Building test_diana_compilers_clang with ${HTVM_CLANGXX}"
    VERBATIM)
  add_custom_target(test_diana_compilers_clang_build ALL DEPENDS ${_htvm_diana_clang_exe})
  add_test(NAME test_diana_compilers_clang COMMAND ${_htvm_diana_clang_exe})
  set_tests_properties(test_diana_compilers_clang PROPERTIES LABELS "diana")
  htvm_test_needs(test_diana_compilers_clang test_diana_compilers_clang_build)
endif()

# Issue 5 on DIANA: layers too big untiled run tile by tile on both accelerators through the target,
# bit-exact with the Eigen reference; the tiled cycle model; the budgets' compile errors.
htvm_add_test(test_diana_tiling SOURCES test_diana_tiling.cpp LABELS diana tiling)
target_include_directories(test_diana_tiling PRIVATE ${HTVM_DIANA_EXAMPLES_DIR})

# The compile report prints every policy and writes the L2 plan picture.
add_test(NAME diana_compile_report_resnet8
  COMMAND diana_report_resnet8 ${CMAKE_CURRENT_BINARY_DIR}/diana_resnet8_l2_plan.svg)
set_tests_properties(diana_compile_report_resnet8 PROPERTIES LABELS "diana"
  PASS_REGULAR_EXPRESSION "policy mixed.*layers: [0-9]+ on the CPU.*L2 .*wrote the L2 plan")
htvm_test_needs(diana_compile_report_resnet8 diana_report_resnet8)
