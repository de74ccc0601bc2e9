# CPU kernels: hand-computed unit tests, and property tests against the independent Eigen reference
# in tests/reference/ (bit-exact, fixed seeds).
htvm_add_test(test_quant SOURCES test_quant.cpp LABELS unit kernels)
htvm_add_test(test_kernels_unit SOURCES test_kernels_unit.cpp LABELS unit kernels)
htvm_add_test(test_kernels_softmax SOURCES test_kernels_softmax.cpp LABELS unit kernels)
htvm_add_test(test_kernels_reference SOURCES test_kernels_reference.cpp LABELS unit kernels)
htvm_add_test(test_property_kernels SOURCES test_property_kernels.cpp LABELS property kernels)
htvm_add_test(test_property_networks SOURCES test_property_networks.cpp LABELS property kernels)
htvm_add_test(test_cpu_target SOURCES test_cpu_target.cpp LABELS "unit;kernels")

# The fast kernels against a frozen copy of the plain ones, 20,000 random geometries (bench/kernels_rv32).
if(TARGET kernels_check_bitexact)
  add_test(NAME kernels_check_bitexact COMMAND kernels_check_bitexact 20000)
  set_tests_properties(kernels_check_bitexact PROPERTIES LABELS "property")
  htvm_test_needs(kernels_check_bitexact kernels_check_bitexact)
endif()
