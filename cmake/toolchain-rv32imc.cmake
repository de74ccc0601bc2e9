# Bare-metal RV32IMC (the ISA of DIANA's RISC-V host core) with Debian's gcc-riscv64-unknown-elf and
# picolibc-riscv64-unknown-elf, for QEMU's `virt` machine (RAM at 0x80000000, `-bios none`).
#
#     cmake -S . -B build-rv32 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-rv32imc.cmake \
#           -DHTVM_IMPORT_EXECUTABLE=<host build>/tools/.../htvm-import
#
# Output goes through semihosting (picolibc's `--crt0=semihost`): the value `main` returns becomes
# QEMU's exit code. Every firmware program is made with htvm_add_firmware() (cmake/HtvmFirmware.cmake).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_CXX_COMPILER riscv64-unknown-elf-g++)
set(CMAKE_EXECUTABLE_SUFFIX_CXX .elf)
set(CMAKE_EXECUTABLE_SUFFIX .elf)
# Compiler checks compile without linking: a link needs the memory layout below, which try_compile
# projects do not see.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Tells htvm_add_firmware() (cmake/HtvmFirmware.cmake) that this is a bare-metal build, and which.
set(HTVM_FIRMWARE_ARCH rv32)

# Memory layout (QEMU virt has 128 MiB of RAM at 0x80000000 by default): code and constants first,
# then data, bss (the activation arena) and the stack. Generous so that every MLPerf Tiny model fits;
# a real DIANA build would use its 512 KiB L2 instead.
set(HTVM_FIRMWARE_FLASH_ORIGIN 0x80000000 CACHE STRING "Start of the code/constant region")
set(HTVM_FIRMWARE_FLASH_SIZE 0x01000000 CACHE STRING "Size of the code/constant region")
set(HTVM_FIRMWARE_RAM_ORIGIN 0x81000000 CACHE STRING "Start of the data/bss/stack region")
set(HTVM_FIRMWARE_RAM_SIZE 0x01000000 CACHE STRING "Size of the data/bss/stack region")
set(HTVM_FIRMWARE_STACK_SIZE 0x4000 CACHE STRING "Stack bytes reserved at the top of RAM")

# The RISC-V compiler ships no C++ headers of its own. libstdc++'s headers from
# libstdc++-arm-none-eabi-dev are target-independent apart from bits/c++config.h, and its default
# (non-Thumb) configuration declares no atomic builtins, which suits rv32imc (no A extension).
# Only header-only parts are used: nothing from libstdc++.a is linked.
file(GLOB _htvm_libstdcxx_versions LIST_DIRECTORIES true /usr/include/newlib/c++/*)
list(SORT _htvm_libstdcxx_versions COMPARE NATURAL ORDER DESCENDING)
list(GET _htvm_libstdcxx_versions 0 _htvm_libstdcxx_default)
set(HTVM_RV32_LIBSTDCXX_INCLUDE "${_htvm_libstdcxx_default}" CACHE PATH
  "libstdc++ headers used header-only by the RISC-V build (from libstdc++-arm-none-eabi-dev)")
if(NOT EXISTS "${HTVM_RV32_LIBSTDCXX_INCLUDE}/cstdint")
  message(FATAL_ERROR "htvm: no libstdc++ headers at '${HTVM_RV32_LIBSTDCXX_INCLUDE}'. "
    "Install libstdc++-arm-none-eabi-dev (tools/setup-debian.sh) or set HTVM_RV32_LIBSTDCXX_INCLUDE.")
endif()

# -msave-restore: function prologues and epilogues call libgcc's shared register save/restore
# routines (which picolibc's start-up code links anyway) instead of a load/store per register. The
# MLPerf Tiny builds are 0.4-1.4 kB smaller for at most 0.2% more instructions (bench/RESULTS.md).
set(_htvm_arch_flags "-march=rv32imc -mabi=ilp32 -msave-restore --specs=picolibc.specs")
set(CMAKE_C_FLAGS_INIT "${_htvm_arch_flags} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT
  "${_htvm_arch_flags} -nostdinc++ -isystem ${HTVM_RV32_LIBSTDCXX_INCLUDE} -isystem ${HTVM_RV32_LIBSTDCXX_INCLUDE}/arm-none-eabi -fno-exceptions -fno-rtti -fno-threadsafe-statics -ffunction-sections -fdata-sections")

include(${CMAKE_CURRENT_LIST_DIR}/bare-metal-link.cmake)
