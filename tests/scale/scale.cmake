# Scale: generated networks of 64, 256 and 1,024 layers (chains and residual nets), for the CPU
# target and DIANA's digital policy, compile with the compilers' default limits and compute what the
# reference computes (label scale).
include(${CMAKE_CURRENT_LIST_DIR}/generate_network.cmake)
foreach(layers 64 256 1024)
  foreach(kind chain residual)
    set(header ${CMAKE_CURRENT_BINARY_DIR}/scale/${kind}_${layers}.hpp)
    htvm_generate_scale_network(${header} ${kind}_${layers} ${layers} ${kind})
    foreach(target cpu digital)
      set(name test_scale_${kind}_${layers}_${target})
      htvm_add_test(${name} SOURCES scale/test_scale.cpp LABELS scale)
      string(COMPARE EQUAL "${target}" cpu is_cpu)
      string(COMPARE EQUAL "${kind}" chain is_chain)
      target_compile_definitions(${name} PRIVATE SCALE_HEADER="${header}" SCALE_NS=${kind}_${layers}
        SCALE_LAYERS=${layers} SCALE_TARGET=${target} SCALE_CPU=${is_cpu} SCALE_IS_CHAIN=${is_chain})
    endforeach()
  endforeach()
endforeach()
