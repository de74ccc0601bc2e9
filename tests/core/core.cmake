# Core library: graph analysis, memory plan, quantization arithmetic, the CPU target, the compile
# report, whole compiled networks against the reference, the README's example network. (Its
# compile-time diagnostics are in compile_fail/.)
htvm_add_test(test_graph SOURCES core/test_graph.cpp LABELS unit)
htvm_add_test(test_memory_plan SOURCES core/test_memory_plan.cpp LABELS "unit;property")
htvm_add_test(test_planner SOURCES core/test_planner.cpp LABELS unit)
htvm_add_test(test_quant SOURCES core/test_quant.cpp LABELS unit kernels)
htvm_add_test(test_cpu_target SOURCES core/test_cpu_target.cpp LABELS "unit;kernels")
htvm_add_test(test_property_networks SOURCES core/test_property_networks.cpp LABELS property kernels)
htvm_add_test(test_report SOURCES core/test_report.cpp LABELS unit)
htvm_add_test(test_example_resnet8 SOURCES core/test_example_resnet8.cpp LABELS unit)
# The example program itself runs on the host and prints its output (tools/test.sh compares that
# line across its builds).
if(TARGET resnet8)
  add_test(NAME example_resnet8 COMMAND resnet8)
  set_tests_properties(example_resnet8 PROPERTIES LABELS "examples" PASS_REGULAR_EXPRESSION "\noutput: [0-9a-f]+")
  htvm_test_needs(example_resnet8 resnet8)
endif()
