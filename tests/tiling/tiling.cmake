# Compile-time tiling (include/htvm/tiling/): tiler, halo, schedule and cycle model, tiled execution
# against the untiled kernels, MLPerf Tiny layers, constexpr cost under default compiler limits.
# (The budget diagnostics, label compile-fail, are in compile_fail/.)
set(HTVM_TILING_BENCH_DIR ${PROJECT_SOURCE_DIR}/bench/tiler_cost)  # MLPerf Tiny layer geometries

htvm_add_test(test_tiling SOURCES tiling/test_tiling.cpp LABELS "unit;tiling")
htvm_add_test(test_tiling_random SOURCES tiling/test_tiling_random.cpp LABELS "property;tiling")
htvm_add_test(test_tiling_mlperf SOURCES tiling/test_tiling_mlperf.cpp LABELS "tiling")
target_include_directories(test_tiling_mlperf PRIVATE ${HTVM_TILING_BENCH_DIR})

# Every MLPerf Tiny layer planned as a constant expression under the DEFAULT constexpr limits of both
# compilers (no -fconstexpr-* flag anywhere): the test is that the file compiles.
find_program(HTVM_TILING_CLANGXX NAMES clang++ clang++-14 clang++-15 clang++-16)
find_program(HTVM_TILING_GXX NAMES g++ g++-12)
foreach(compiler IN ITEMS GXX CLANGXX)
  if(HTVM_TILING_${compiler})
    string(TOLOWER ${compiler} suffix)
    add_test(NAME tiling_constexpr_limits_${suffix}
      COMMAND ${HTVM_TILING_${compiler}} -std=c++20 -fsyntax-only -Wall -Wextra -Werror
              -I${PROJECT_SOURCE_DIR}/include -I${HTVM_TILING_BENCH_DIR}
              ${CMAKE_CURRENT_LIST_DIR}/tiling_constexpr_limits.cpp)
    set_tests_properties(tiling_constexpr_limits_${suffix} PROPERTIES LABELS "tiling;compile-time")
    htvm_test_needs(tiling_constexpr_limits_${suffix})
  endif()
endforeach()

# Tiled execution on bare metal: bench/tiler_cost/tiling_selfcheck under QEMU (rv32, Cortex-M), its
# `output:` line compared with the host run. firmware/firmware.cmake (which defines
# htvm_add_qemu_test) is read after this file, hence the deferred call.
if(TARGET tiling_selfcheck)
  add_test(NAME tiling_selfcheck_host COMMAND tiling_selfcheck)
  set_tests_properties(tiling_selfcheck_host PROPERTIES LABELS "tiling")
  htvm_test_needs(tiling_selfcheck_host tiling_selfcheck)
endif()
cmake_language(DEFER CALL _htvm_tiling_register_qemu)
function(_htvm_tiling_register_qemu)
  if(COMMAND htvm_add_qemu_test AND TARGET tiling_selfcheck)
    htvm_add_qemu_test(tiling_selfcheck)
    foreach(arch IN LISTS HTVM_QEMU_ARCHES)
      if(TEST qemu_${arch}_tiling_selfcheck)
        set_property(TEST qemu_${arch}_tiling_selfcheck APPEND PROPERTY LABELS tiling)
      endif()
    endforeach()
  endif()
endfunction()

# With DIANA's platform headers (include/htvm/diana/, issue 4): the tiler's weight accounting against
# DIANA's layouts and tiled layers on DIANA's digital simulator (the one DIANA rule violation the
# DIANA suite does not already cover, a stride the digital array cannot run, is in compile_fail/).
if(EXISTS ${PROJECT_SOURCE_DIR}/include/htvm/diana/simulator_digital.hpp)
  htvm_add_test(test_tiling_diana SOURCES tiling/test_tiling_diana.cpp LABELS "tiling;diana")
endif()
