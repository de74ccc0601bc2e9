# Bare-metal Cortex-M4 with Debian's gcc-arm-none-eabi and picolibc-arm-none-eabi, for QEMU's
# `mps2-an386` board (Arm's MPS2 with a Cortex-M4: 4 MiB SSRAM at 0x0, 4 MiB at 0x20000000).
#
#     cmake -S . -B build-m4 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-cortex-m4.cmake \
#           -DHTVM_IMPORT_EXECUTABLE=<host build>/tools/.../htvm-import
#
# Output goes through semihosting (picolibc's `--crt0=semihost`): the value `main` returns becomes
# QEMU's exit code. Every firmware program is made with htvm_add_firmware() (cmake/HtvmFirmware.cmake).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_EXECUTABLE_SUFFIX_CXX .elf)
set(CMAKE_EXECUTABLE_SUFFIX .elf)
# Compiler checks compile without linking: a link needs the memory layout below, which try_compile
# projects do not see.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Tells htvm_add_firmware() (cmake/HtvmFirmware.cmake) that this is a bare-metal build, and which.
set(HTVM_FIRMWARE_ARCH m4)

# Memory layout: the vector table must sit at 0x0 (VTOR's reset value), so code and constants take
# SSRAM1 and data, bss (the activation arena) and the stack take SSRAM2/3.
set(HTVM_FIRMWARE_FLASH_ORIGIN 0x00000000 CACHE STRING "Start of the code/constant region")
set(HTVM_FIRMWARE_FLASH_SIZE 0x00400000 CACHE STRING "Size of the code/constant region")
set(HTVM_FIRMWARE_RAM_ORIGIN 0x20000000 CACHE STRING "Start of the data/bss/stack region")
set(HTVM_FIRMWARE_RAM_SIZE 0x00400000 CACHE STRING "Size of the data/bss/stack region")
set(HTVM_FIRMWARE_STACK_SIZE 0x4000 CACHE STRING "Stack bytes reserved at the top of RAM")

# Integer-only workloads: the soft-float ABI needs no FPU set-up. The C++ headers come with the
# compiler (libstdc++-arm-none-eabi-dev); only their header-only parts are used.
set(_htvm_arch_flags "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft --specs=picolibc.specs")
set(CMAKE_C_FLAGS_INIT "${_htvm_arch_flags} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT
  "${_htvm_arch_flags} -fno-exceptions -fno-rtti -fno-threadsafe-statics -ffunction-sections -fdata-sections")

include(${CMAKE_CURRENT_LIST_DIR}/bare-metal-link.cmake)
