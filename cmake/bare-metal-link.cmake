# Linking shared by the bare-metal toolchain files (included after they set their flags).
# No default libraries: g++ would add libstdc++/libsupc++ (and libm, which picolibc does not provide
# for RISC-V); firmware must not need them. picolibc's libc, its semihosting back end and libgcc
# resolve each other, hence the group. picolibc.ld (not picolibcpp.ld) discards the unwind tables;
# it is named after the --defsym options on purpose: the specs file would put it first, and then
# its DEFINED(__stack_size) is evaluated before the definition exists (the stack would silently
# stay at picolibc's 2 KiB default).
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
