# Compile-time tiling (include/htvm/tiling/): tiler, halo, schedule and cycle model, tiled execution
# against the untiled kernels, MLPerf Tiny layers, constexpr cost under default compiler limits,
# and the budget diagnostics (compile-fail).
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

# Budget diagnostics. Each case is compiled by the project's compiler (htvm_add_compile_fail_test)
# and, when available, by clang++ too, which prints a layer_name as its character codes and the
# layer's name spelled out as the arguments of htvm::error::layer_called<...>.
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
# DIANA's layouts, tiled layers on DIANA's digital simulator, and the one DIANA rule violation the
# DIANA suite does not already cover (a stride the digital array cannot run).
if(EXISTS ${PROJECT_SOURCE_DIR}/include/htvm/diana/simulator_digital.hpp)
  htvm_add_test(test_tiling_diana SOURCES tiling/test_tiling_diana.cpp LABELS "tiling;diana")
  htvm_tiling_compile_fail(compile_fail_tiling_diana_bad_stride compile_fail/tiling_diana_bad_stride.cpp stride3
    "target_override_cannot_run_on_accelerator<1, htvm::layer_name\\{\"stride3\"\\}, htvm::diana::unit::digital, htvm::diana::rule::stride_not_1x1_or_2x2>"
    "target_override_cannot_run_on_accelerator<1, \\{\\{115, 116, 114, 105, 100, 101, 51, 0\\}\\}, htvm::diana::unit::digital, htvm::diana::rule::stride_not_1x1_or_2x2>"
    "forces an accelerator that cannot run it")
endif()
