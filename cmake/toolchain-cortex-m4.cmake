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

# No default libraries (no libstdc++/libsupc++: firmware must not need them); picolibc's libc, its
# semihosting back end and libgcc resolve each other, hence the group. picolibc.ld (not
# picolibcpp.ld) discards the unwind tables; it is named after the --defsym options on purpose: the
# specs file would put it first, and then its DEFINED(__stack_size) is evaluated before the
# definition exists (the stack would silently stay at picolibc's 2 KiB default).
# picolibc's full printf is kept (about 10 KiB of flash, no heap): its integer-only variant
# (-DPICOLIBC_INTEGER_PRINTF_SCANF) prints "*float*" for %f and silently truncates %lld to 32
# bits, so the same source would print differently on the host and on the board.
set(CMAKE_EXE_LINKER_FLAGS_INIT
  "--crt0=semihost -nodefaultlibs \
-Wl,--defsym=__flash=${HTVM_FIRMWARE_FLASH_ORIGIN} -Wl,--defsym=__flash_size=${HTVM_FIRMWARE_FLASH_SIZE} \
-Wl,--defsym=__ram=${HTVM_FIRMWARE_RAM_ORIGIN} -Wl,--defsym=__ram_size=${HTVM_FIRMWARE_RAM_SIZE} \
-Wl,--defsym=__stack_size=${HTVM_FIRMWARE_STACK_SIZE} -Tpicolibc.ld")
set(CMAKE_CXX_STANDARD_LIBRARIES "-Wl,--start-group -lc -lsemihost -lgcc -Wl,--end-group")
set(CMAKE_C_STANDARD_LIBRARIES "-Wl,--start-group -lc -lsemihost -lgcc -Wl,--end-group")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
