# Bare metal under QEMU (label `qemu`) and the firmware discipline checks (label `firmware`).
#
# For each architecture (rv32: cmake/toolchain-rv32imc.cmake on `qemu-system-riscv32 -machine virt`,
# m4: cmake/toolchain-cortex-m4.cmake on `qemu-system-arm -M mps2-an386`):
#   qemu_build_<arch>           configures and builds <build>/qemu/<arch>, a bare-metal tree of this
#                               same source (fixture qemu_<arch>; reuses the tree when re-run)
#   qemu_build_<arch>_complete  every htvm_add_firmware() program built for <arch>
#   qemu_symbols_<arch>         no heap, operator new/delete or exception machinery in any ELF, and
#                               no network record (read at run time, it links every array it points to)
#   qemu_stack_<arch>           -fstack-usage frames of htvm code bounded, largest ones printed
#   qemu_headers_<arch>         every include/htvm header alone with the cross compiler, -Werror
#   qemu_<arch>_<program>       the program under QEMU: exit status 0 (its golden check) and `output:`
#                               lines identical to the host build's run of the same program
# plus, on the host, firmware_headers_gcc / firmware_headers_clang (each header alone) and
# firmware_examples_clang (every example translation unit with clang++ -Werror).
#
# Adding a program is one line at the end of this file: htvm_add_qemu_test(<target>).
# The firmware support's host side (include/htvm/firmware/: timer, profile, formatting, golden check).
htvm_add_test(test_firmware_platform SOURCES firmware/test_firmware_platform.cpp LABELS "unit;firmware")

find_program(HTVM_BASH bash REQUIRED)
find_program(HTVM_CLANGXX NAMES clang++ clang++-14)

set(HTVM_QEMU_ARCHES rv32 m4 CACHE STRING "Architectures whose firmware is built and run under QEMU")
set(HTVM_QEMU_BUILD_JOBS 2 CACHE STRING "Parallel jobs of each bare-metal build (qemu_build_<arch>)")
set(HTVM_QEMU_TIMEOUT 300 CACHE STRING "Seconds a firmware may run under QEMU before it counts as hung")
# Largest stack frame allowed for a function from include/htvm: 1/16 of the 16 KiB firmware stack.
# A run nests at most about five htvm frames (run -> layer -> target dispatch -> tile walker ->
# kernel), so even five frames at the bound take 5 KiB and leave more than half of the stack to the
# program and printf. Activations live in the static arena; what this catches is tables or buffers
# on the stack (a kernel once kept two 256-entry int32 tables there: 2 KiB). Measured largest
# frames: htvm::tiling::walk_schedule for DIANA's analog tiles, 688 B (rv32) / 712 B (m4).
set(HTVM_FIRMWARE_MAX_HTVM_FRAME 1024)
# Any firmware function, including a program's main() into which the model's run() and kernels are
# inlined: 1/8 of the stack.
set(HTVM_FIRMWARE_MAX_FRAME 2048)

set(_htvm_qemu_toolchain_rv32 ${PROJECT_SOURCE_DIR}/cmake/toolchain-rv32imc.cmake)
set(_htvm_qemu_toolchain_m4 ${PROJECT_SOURCE_DIR}/cmake/toolchain-cortex-m4.cmake)
set(_htvm_qemu_nm_rv32 riscv64-unknown-elf-nm)
set(_htvm_qemu_nm_m4 arm-none-eabi-nm)

# A cross build cannot run the .tflite importer it would build; it uses the host build's.
set(_htvm_qemu_import "")
set(_htvm_qemu_import_target "")
if(TARGET htvm-import)
  set(_htvm_qemu_import $<TARGET_FILE:htvm-import>)
  set(_htvm_qemu_import_target htvm-import)
endif()

foreach(arch IN LISTS HTVM_QEMU_ARCHES)
  set(dir ${CMAKE_BINARY_DIR}/qemu/${arch})
  add_test(NAME qemu_build_${arch}
    COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_firmware_build.sh
      ${PROJECT_SOURCE_DIR} ${dir} ${_htvm_qemu_toolchain_${arch}} ${HTVM_QEMU_BUILD_JOBS} ${CMAKE_GENERATOR}
      ${_htvm_qemu_import})
  set_tests_properties(qemu_build_${arch} PROPERTIES
    FIXTURES_SETUP qemu_${arch} LABELS "qemu;firmware" TIMEOUT 3000 PROCESSORS ${HTVM_QEMU_BUILD_JOBS})
  # (The bare-metal trees are built by the test itself, with this build's importer.)
  htvm_test_needs(qemu_build_${arch} ${_htvm_qemu_import_target})

  add_test(NAME qemu_build_${arch}_complete
    COMMAND ${HTVM_BASH} -c "if [ -s \"$1\" ]; then echo \"FAIL: these firmware programs do not build for ${arch}:\"; cat \"$1\"; exit 1; fi; echo \"every firmware program built for ${arch}\"; cat \"$2\" | cut -f1"
      check ${dir}/htvm-firmware-failed.txt ${dir}/htvm-firmware.tsv)
  add_test(NAME qemu_symbols_${arch}
    COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_firmware_symbols.sh ${_htvm_qemu_nm_${arch}} ${dir})
  add_test(NAME qemu_stack_${arch}
    COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_firmware_stack.sh ${dir}
      ${HTVM_FIRMWARE_MAX_HTVM_FRAME} ${HTVM_FIRMWARE_MAX_FRAME})
  add_test(NAME qemu_headers_${arch}
    COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_firmware_headers.sh ${PROJECT_SOURCE_DIR}/include
      @${dir}/htvm-firmware-compiler.txt)
  set_tests_properties(qemu_build_${arch}_complete qemu_symbols_${arch} qemu_stack_${arch} qemu_headers_${arch}
    PROPERTIES FIXTURES_REQUIRED qemu_${arch} LABELS "qemu;firmware" TIMEOUT 600)
  foreach(test qemu_build_${arch}_complete qemu_symbols_${arch} qemu_stack_${arch} qemu_headers_${arch})
    htvm_test_needs(${test})
  endforeach()
endforeach()

add_test(NAME firmware_headers_gcc
  COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_firmware_headers.sh ${PROJECT_SOURCE_DIR}/include
    ${CMAKE_CXX_COMPILER})
set_tests_properties(firmware_headers_gcc PROPERTIES LABELS "firmware" TIMEOUT 600)
htvm_test_needs(firmware_headers_gcc)
if(HTVM_CLANGXX)
  add_test(NAME firmware_headers_clang
    COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_firmware_headers.sh ${PROJECT_SOURCE_DIR}/include
      ${HTVM_CLANGXX})
  add_test(NAME firmware_examples_clang
    COMMAND ${CMAKE_COMMAND} -DCOMPILE_COMMANDS=${CMAKE_BINARY_DIR}/compile_commands.json
      -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DCLANG=${HTVM_CLANGXX} -P ${CMAKE_CURRENT_LIST_DIR}/test_firmware_clang.cmake)
  set_tests_properties(firmware_headers_clang firmware_examples_clang PROPERTIES LABELS "firmware" TIMEOUT 1200)
  # (firmware_examples_clang reads the examples' compile commands and generated headers: label
  # firmware builds everything.)
  htvm_test_needs(firmware_headers_clang)
else()
  message(WARNING "htvm: clang++ not found: the firmware clang++ checks are not registered (tools/setup-debian.sh installs it)")
endif()

# htvm_add_qemu_test(<target> [EXPECT_EXIT <n>] [EXPECT_TIMEOUT] [TIMEOUT <s>] [ARCHES <arch>...])
# Runs the htvm_add_firmware() program <target> under QEMU for each architecture and compares its
# `output:` lines and exit status with the host build of the same program. A target that does not
# exist (yet) is skipped with a status message.
function(htvm_add_qemu_test program)
  cmake_parse_arguments(Q "EXPECT_TIMEOUT" "EXPECT_EXIT;TIMEOUT" "ARCHES" ${ARGN})
  if(NOT TARGET ${program})
    message(STATUS "htvm: no target '${program}' (yet): its QEMU tests are not registered")
    return()
  endif()
  get_target_property(is_firmware ${program} HTVM_FIRMWARE)
  if(NOT is_firmware)
    message(WARNING "htvm: '${program}' is not made with htvm_add_firmware(), so it has no bare-metal build; "
      "its QEMU tests are not registered")
    return()
  endif()
  if(NOT Q_ARCHES)
    set(Q_ARCHES ${HTVM_QEMU_ARCHES})
  endif()
  if(NOT DEFINED Q_EXPECT_EXIT)
    set(Q_EXPECT_EXIT 0)
  endif()
  if(NOT DEFINED Q_TIMEOUT)
    set(Q_TIMEOUT ${HTVM_QEMU_TIMEOUT})
  endif()
  set(mode --host $<TARGET_FILE:${program}> --expect-exit ${Q_EXPECT_EXIT})
  if(Q_EXPECT_TIMEOUT)
    set(mode --expect-timeout)
  endif()
  foreach(arch IN LISTS Q_ARCHES)
    add_test(NAME qemu_${arch}_${program}
      COMMAND ${HTVM_BASH} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/test_firmware_qemu.sh --arch ${arch}
        --build-dir ${CMAKE_BINARY_DIR}/qemu/${arch} --target ${program} --timeout ${Q_TIMEOUT} ${mode})
    math(EXPR ctest_timeout "${Q_TIMEOUT} + 120")
    set_tests_properties(qemu_${arch}_${program} PROPERTIES
      FIXTURES_REQUIRED qemu_${arch} LABELS "qemu" TIMEOUT ${ctest_timeout})
    htvm_test_needs(qemu_${arch}_${program} ${program})
  endforeach()
endfunction()

# The smoke firmware, and its broken variants proving that each check can fail:
htvm_add_qemu_test(firmware_smoke)
htvm_add_qemu_test(firmware_smoke_corrupt EXPECT_EXIT 1)  # golden mismatch -> exit status 1 via semihosting
htvm_add_qemu_test(firmware_smoke_hang EXPECT_TIMEOUT TIMEOUT 5)  # a hang is stopped and fails the test
# (firmware_smoke_heap, which links malloc, and firmware_smoke_record, which links its network
# record, are the negative cases of qemu_symbols_<arch>.)

# The DIANA paper's variants, every dispatch configuration (accelerator layers run in the simulators):
foreach(network ds_cnn mobilenet resnet8 toyadmos_dae)
  foreach(policy cpu_only digital analog mixed)
    htvm_add_qemu_test(diana_${network}_${policy})
  endforeach()
endforeach()

# The lead's example and the real models (registered once their targets exist):
htvm_add_qemu_test(resnet8)
htvm_add_qemu_test(mlperf_tiny_kws)
htvm_add_qemu_test(mlperf_tiny_ic)
htvm_add_qemu_test(mlperf_tiny_vww)
htvm_add_qemu_test(mlperf_tiny_ad)
