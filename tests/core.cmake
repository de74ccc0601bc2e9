# Core library: graph analysis, memory plan, compile-time diagnostics.
htvm_add_test(test_graph SOURCES test_graph.cpp LABELS unit)
htvm_add_test(test_memory_plan SOURCES test_memory_plan.cpp LABELS "unit;property")

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
htvm_add_test(test_report SOURCES test_report.cpp LABELS unit)
htvm_add_test(test_example_resnet8 SOURCES test_example_resnet8.cpp LABELS unit)
