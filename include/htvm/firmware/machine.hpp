// Which machine this translation unit is compiled for, decided by the preprocessor so that one
// source builds unchanged for the host, bare-metal RISC-V and bare-metal Cortex-M:
//   HTVM_MACHINE_RISCV     bare-metal RISC-V in machine mode (QEMU virt, an SoC's host core)
//   HTVM_MACHINE_CORTEX_M  bare-metal Arm M-profile (QEMU mps2-an386)
//   HTVM_MACHINE_HOST      anything with an operating system
// Define HTVM_MACHINE_FORCE_HOST to treat such a machine as a host (e.g. RISC-V Linux user mode,
// where the machine-mode counters are not readable).
#pragma once

#if defined(HTVM_MACHINE_FORCE_HOST)
#define HTVM_MACHINE_HOST 1
#elif defined(__riscv) && !defined(__linux__)
#define HTVM_MACHINE_RISCV 1
#elif defined(__ARM_ARCH_PROFILE) && (__ARM_ARCH_PROFILE == 'M')
#define HTVM_MACHINE_CORTEX_M 1
#else
#define HTVM_MACHINE_HOST 1
#endif

#if defined(HTVM_MACHINE_RISCV) || defined(HTVM_MACHINE_CORTEX_M)
#define HTVM_MACHINE_BARE_METAL 1
#endif

namespace htvm::firmware {

#if defined(HTVM_MACHINE_RISCV) && __riscv_xlen == 32
inline constexpr const char* machine_name = "rv32";
#elif defined(HTVM_MACHINE_RISCV)
inline constexpr const char* machine_name = "rv64";
#elif defined(HTVM_MACHINE_CORTEX_M)
inline constexpr const char* machine_name = "cortex-m";
#else
inline constexpr const char* machine_name = "host";
#endif

}  // namespace htvm::firmware
