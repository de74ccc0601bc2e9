# Every compile-fail test (label compile-fail, added by htvm_add_compile_fail_test in
# tests/CMakeLists.txt, plus the label of its area): a source here that must NOT compile, compiled
# at test time by run_compile_fail.cmake with the project's compiler (and, through
# htvm_add_clang_compile_fail_test, with clang++ as <name>_clang), and the regexes its diagnostic
# must match. A test is named after its source: compile_fail_<file> for <file>.cpp (core and
# tiling cases), test_diana_fail_<case> for diana_<case>.cpp.

# Core library: the graph's and the memory plan's compile-time diagnostics.
htvm_add_compile_fail_test(compile_fail_shape_mismatch SOURCE compile_fail/shape_mismatch.cpp
  MATCH "shape_mismatch<2, htvm::layer_name\\{\"conv2\"\\}, htvm::shape\\{1, 8, 8, 4\\}, htvm::shape\\{1, 8, 8, 16\\}>"
        "htvm: shape mismatch")
htvm_add_compile_fail_test(compile_fail_arena_over_budget SOURCE compile_fail/arena_over_budget.cpp
  MATCH "arena_over_budget<2048, 1024>" "the activation arena does not fit the memory budget")
htvm_add_compile_fail_test(compile_fail_unknown_input SOURCE compile_fail/unknown_input.cpp
  MATCH "unknown_input<2, htvm::layer_name\\{\"sum\"\\}, htvm::layer_name\\{\"conv9\"\\}>"
        "reads from a layer name that is not declared before it")
htvm_add_compile_fail_test(compile_fail_weights_size SOURCE compile_fail/weights_size.cpp
  MATCH "weights_size_mismatch<1, htvm::layer_name\\{\"fc\"\\}, 160, 155>" "wrong number of elements")
# Clang shows the layer's name spelled out (htvm::error::layer_called<'c', 'o', 'n', 'v', '2'>).
htvm_spelled_name(conv2_spelled conv2)
htvm_spelled_name(sum_spelled sum)
htvm_spelled_name(fc_spelled fc)
htvm_add_clang_compile_fail_test(compile_fail_shape_mismatch SOURCE compile_fail/shape_mismatch.cpp
  MATCH "${conv2_spelled}" "shape_mismatch<2, [^>]*, \\{1, 8, 8, 4\\}, \\{1, 8, 8, 16\\}>" "htvm: shape mismatch")
htvm_add_clang_compile_fail_test(compile_fail_unknown_input SOURCE compile_fail/unknown_input.cpp
  MATCH "${sum_spelled}" "unknown_input<2, " "reads from a layer name that is not declared before it")
htvm_add_clang_compile_fail_test(compile_fail_weights_size SOURCE compile_fail/weights_size.cpp
  MATCH "${fc_spelled}" "weights_size_mismatch<1, [^>]*, 160, 155>" "wrong number of elements")

# DIANA (include/htvm/diana/, label diana).
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
htvm_add_compile_fail_test(test_diana_fail_analog_depthwise SOURCE compile_fail/diana_analog_depthwise.cpp
  MATCH "target_override_cannot_run_on_accelerator" "analog_needs_groups_1" "${dw1_name}"
  LABELS diana)
htvm_add_compile_fail_test(test_diana_fail_digital_kernel SOURCE compile_fail/diana_digital_kernel.cpp
  MATCH "target_override_cannot_run_on_accelerator" "kernel_size_not_1_3_5_or_7" "${wide_name}"
  LABELS diana)
# Not even one tile fits: the tiler's report with the layer, what one 16-channel tile needs (65,536 B
# of weights + 64 B of biases) and the weight memory's 64,000 B.
htvm_add_compile_fail_test(test_diana_fail_digital_too_big SOURCE compile_fail/diana_digital_too_big.cpp
  MATCH "weight_memory_impossible" "${big_name}" "65600" "64000"
  LABELS diana tiling)
# The L2 budget (arena + constants as deployed + I/O buffers) against DIANA's 512,000 B.
htvm_add_compile_fail_test(test_diana_fail_l2 SOURCE compile_fail/diana_l2.cpp
  MATCH "l2_over_budget" "561920" "512000"
  LABELS diana tiling)
htvm_add_compile_fail_test(test_diana_fail_unknown_target SOURCE compile_fail/diana_unknown_target.cpp
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
  htvm_add_clang_compile_fail_test(test_diana_fail_${source} SOURCE compile_fail/diana_${source}.cpp
    MATCH "${spelled}" "${error}" LABELS diana)
endforeach()
# A table of DIANA forms naming a layer the network does not have: the entry, the name and the error.
_htvm_diana_name_pattern(conv2_name conv2)
htvm_add_compile_fail_test(test_diana_fail_bad_form SOURCE compile_fail/diana_bad_form.cpp
  MATCH "bad_form" "${conv2_name}" "names_no_layer"
  LABELS diana)
htvm_add_compile_fail_test(test_diana_fail_not_ternary SOURCE compile_fail/diana_not_ternary.cpp
  MATCH "analog_weight_is_not_ternary_minus1_0_or_1"
  LABELS diana)

# Compile-time tiling (include/htvm/tiling/, label tiling): the tiler's budget diagnostics. Each
# case is compiled by the project's compiler (htvm_add_compile_fail_test) and, when available, by
# clang++ too, which prints a layer_name as its character codes and the layer's name spelled out as
# the arguments of htvm::error::layer_called<...>.
function(htvm_tiling_compile_fail name source layer gcc_match clang_match message)
  htvm_spelled_name(spelled ${layer})
  set(project_match "${gcc_match}")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(project_match "${spelled}|${clang_match}")
  endif()
  htvm_add_compile_fail_test(${name} SOURCE ${source} MATCH "${project_match}" "${message}" LABELS tiling)
  htvm_add_clang_compile_fail_test(${name} SOURCE ${source} MATCH "${spelled}" "${clang_match}" "${message}"
                                   LABELS tiling)
endfunction()

htvm_tiling_compile_fail(compile_fail_tiling_weight_memory compile_fail/tiling_weight_memory.cpp conv_pw3
  "weight_memory_impossible<7, htvm::layer_name\\{\"conv_pw3\"\\}, htvm::layer_name\\{\"digital\"\\}, 70144, 64000, 16>"
  "weight_memory_impossible<7, \\{\\{99, 111, 110, 118, 95, 112, 119, 51\\}\\}, [^>]*, 70144, 64000, 16>"
  "do not fit the accelerator's weight memory")
htvm_tiling_compile_fail(compile_fail_tiling_l1_impossible compile_fail/tiling_l1_impossible.cpp conv_big
  "l1_impossible<1, htvm::layer_name\\{\"conv_big\"\\}, htvm::layer_name\\{\"cluster\"\\}, 4640, 1000, 16>"
  "l1_impossible<1, \\{\\{99, 111, 110, 118, 95, 98, 105, 103\\}\\}, [^>]*, 4640, 1000, 16>"
  "no tile of the layer fits the accelerator's L1")
htvm_tiling_compile_fail(compile_fail_tiling_array_rows compile_fail/tiling_array_rows.cpp wide3x3
  "array_rows_exceeded<3, htvm::layer_name\\{\"wide3x3\"\\}, htvm::layer_name\\{\"analog\"\\}, 2304, 1152>"
  "array_rows_exceeded<3, \\{\\{119, 105, 100, 101, 51, 120, 51, 0\\}\\}, [^>]*, 2304, 1152>"
  "than the accelerator's array has rows")
htvm_tiling_compile_fail(compile_fail_tiling_l2_overflow compile_fail/tiling_l2_overflow.cpp conv2
  "l2_over_budget<247280, 128000, 131072, 38384, 77824, 2, htvm::layer_name\\{\"conv2\"\\}, 37888>"
  "l2_over_budget<247280, 128000, 131072, 38384, 77824, 2, \\{\\{99, 111, 110, 118, 50, 0, 0, 0\\}\\}, 37888>"
  "the network does not fit L2")
htvm_tiling_compile_fail(compile_fail_tiling_element_multiple compile_fail/tiling_element_multiple.cpp conv1
  "tile_elements_not_multiple<1, htvm::layer_name\\{\"conv1\"\\}, htvm::layer_name\\{\"digital\"\\}, 4>"
  "tile_elements_not_multiple<1, \\{\\{99, 111, 110, 118, 49, 0, 0, 0\\}\\}, [^>]*, 4>"
  "none has input and output element counts that are all multiples")

# With DIANA's platform headers: the one DIANA rule violation the DIANA cases above do not already
# cover (a stride the digital array cannot run).
if(EXISTS ${PROJECT_SOURCE_DIR}/include/htvm/diana/simulator_digital.hpp)
  htvm_tiling_compile_fail(compile_fail_tiling_diana_bad_stride compile_fail/tiling_diana_bad_stride.cpp stride3
    "target_override_cannot_run_on_accelerator<1, htvm::layer_name\\{\"stride3\"\\}, htvm::diana::unit::digital, htvm::diana::rule::stride_not_1x1_or_2x2>"
    "target_override_cannot_run_on_accelerator<1, \\{\\{115, 116, 114, 105, 100, 101, 51, 0\\}\\}, htvm::diana::unit::digital, htvm::diana::rule::stride_not_1x1_or_2x2>"
    "forces an accelerator that cannot run it")
endif()
