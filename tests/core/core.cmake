# Core library: graph analysis, memory plan, compile-time diagnostics.
htvm_add_test(test_graph SOURCES core/test_graph.cpp LABELS unit)
htvm_add_test(test_memory_plan SOURCES core/test_memory_plan.cpp LABELS "unit;property")

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
htvm_add_test(test_report SOURCES core/test_report.cpp LABELS unit)
htvm_add_test(test_example_resnet8 SOURCES core/test_example_resnet8.cpp LABELS unit)
# The example program itself runs on the host and prints its output (tools/test.sh compares that
# line across its builds).
if(TARGET resnet8)
  add_test(NAME example_resnet8 COMMAND resnet8)
  set_tests_properties(example_resnet8 PROPERTIES LABELS "examples" PASS_REGULAR_EXPRESSION "\noutput: [0-9a-f]+")
  htvm_test_needs(example_resnet8 resnet8)
endif()
