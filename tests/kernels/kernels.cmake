# CPU kernels: hand-computed unit tests, and property tests against the independent Eigen reference
# in tests/reference/ (bit-exact, fixed seeds). (test_quant, test_cpu_target and
# test_property_networks, label kernels too, are in core/.)
htvm_add_test(test_kernels_unit SOURCES kernels/test_kernels_unit.cpp LABELS unit kernels)
htvm_add_test(test_kernels_softmax SOURCES kernels/test_kernels_softmax.cpp LABELS unit kernels)
htvm_add_test(test_kernels_reference SOURCES kernels/test_kernels_reference.cpp LABELS unit kernels)
# One property test a kernel family (helpers in property_common.hpp), so that they compile and run
# in parallel.
htvm_add_test(test_property_kernels_conv2d SOURCES kernels/property_conv2d.cpp LABELS property kernels)
htvm_add_test(test_property_kernels_depthwise SOURCES kernels/property_depthwise.cpp LABELS property kernels)
htvm_add_test(test_property_kernels_fixed_3x3 SOURCES kernels/property_fixed_3x3.cpp LABELS property kernels)
htvm_add_test(test_property_kernels_dense SOURCES kernels/property_dense.cpp LABELS property kernels)
htvm_add_test(test_property_kernels_pool SOURCES kernels/property_pool.cpp LABELS property kernels)
htvm_add_test(test_property_kernels_elementwise SOURCES kernels/property_elementwise.cpp LABELS property kernels)
htvm_add_test(test_property_kernels_softmax SOURCES kernels/property_softmax.cpp LABELS property kernels)
htvm_add_test(test_property_kernels_requantize SOURCES kernels/property_requantize.cpp LABELS property kernels)

# The fast kernels against a frozen copy of the plain ones, 20,000 random geometries (bench/kernels_rv32).
if(TARGET kernels_check_bitexact)
  add_test(NAME kernels_check_bitexact COMMAND kernels_check_bitexact 20000)
  set_tests_properties(kernels_check_bitexact PROPERTIES LABELS "property")
  htvm_test_needs(kernels_check_bitexact kernels_check_bitexact)
endif()
