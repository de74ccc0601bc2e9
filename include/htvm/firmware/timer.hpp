// A firmware timer in the spirit of µTVM's TVMPlatformTimerStart/Stop, one implementation per
// machine, chosen by the preprocessor (see machine.hpp):
//   RISC-V     mcycle and minstret (machine-mode CSRs, 64 bit also on RV32)
//   Cortex-M   DWT CYCCNT when the core has it counting, else SysTick on the processor clock
//              (QEMU does not model the DWT, so there it is SysTick)
//   host       std::chrono::steady_clock, in nanoseconds
//
//     htvm::firmware::timer t;
//     t.start();
//     work();
//     const htvm::firmware::elapsed e = t.stop();   // e.ticks, e.instructions
//
// Every counter read is also a compiler barrier (an asm with a "memory" clobber): without it the
// optimizer may move the loads and stores of the measured code to either side of the read.
#pragma once
#include <cstdint>

#include "machine.hpp"

#if defined(HTVM_MACHINE_HOST)
#include <chrono>
#endif

namespace htvm::firmware {

// A difference of two counter readings.
struct elapsed {
    std::uint64_t ticks = 0;         // in counter_description().tick_unit
    std::uint64_t instructions = 0;  // retired instructions; 0 where the machine does not count them
};

// One reading of the free-running counters.
struct counters {
    std::uint64_t ticks = 0;
    std::uint64_t instructions = 0;
};

struct counter_info {
    const char* source = "";     // which hardware counter
    const char* tick_unit = "";  // "cycles" or "ns"
    bool counts_instructions = false;
};

namespace detail {
inline void compiler_barrier() { asm volatile("" ::: "memory"); }
}  // namespace detail

#if defined(HTVM_MACHINE_RISCV)

// GCC 12 follows the 2019 ISA spec, where CSR instructions are the separate Zicsr extension that
// `-march=rv32imc` does not name; enabling it for these few instructions keeps -march as the SoC's.
#if defined(__riscv_zicsr)
#define HTVM_DETAIL_CSR_READ(insns) insns
#else
#define HTVM_DETAIL_CSR_READ(insns) ".option push\n.option arch, +zicsr\n" insns "\n.option pop"
#endif

namespace detail {
#if __riscv_xlen == 32
// The high half is read before and after the low half: if it changed, the low half wrapped in
// between and the pair is read again.
inline std::uint64_t read_mcycle() {
    std::uint32_t high = 0, low = 0, high_again = 0;
    do {
        asm volatile(HTVM_DETAIL_CSR_READ("csrr %0, mcycleh\ncsrr %1, mcycle\ncsrr %2, mcycleh")
                     : "=r"(high), "=r"(low), "=r"(high_again)
                     :
                     : "memory");
    } while (high != high_again);
    return (static_cast<std::uint64_t>(high) << 32) | low;
}
inline std::uint64_t read_minstret() {
    std::uint32_t high = 0, low = 0, high_again = 0;
    do {
        asm volatile(HTVM_DETAIL_CSR_READ("csrr %0, minstreth\ncsrr %1, minstret\ncsrr %2, minstreth")
                     : "=r"(high), "=r"(low), "=r"(high_again)
                     :
                     : "memory");
    } while (high != high_again);
    return (static_cast<std::uint64_t>(high) << 32) | low;
}
#else
inline std::uint64_t read_mcycle() {
    std::uint64_t value = 0;
    asm volatile(HTVM_DETAIL_CSR_READ("csrr %0, mcycle") : "=r"(value) : : "memory");
    return value;
}
inline std::uint64_t read_minstret() {
    std::uint64_t value = 0;
    asm volatile(HTVM_DETAIL_CSR_READ("csrr %0, minstret") : "=r"(value) : : "memory");
    return value;
}
#endif
}  // namespace detail

#undef HTVM_DETAIL_CSR_READ

inline counters read_counters() {
    counters now{};
    now.ticks = detail::read_mcycle();
    now.instructions = detail::read_minstret();
    return now;
}

inline counter_info counter_description() { return {"mcycle/minstret", "cycles", true}; }

#elif defined(HTVM_MACHINE_CORTEX_M)

namespace detail {
inline volatile std::uint32_t& mmio(std::uintptr_t address) {
    return *reinterpret_cast<volatile std::uint32_t*>(address);
}
// Armv7-M System Control Space registers.
inline constexpr std::uintptr_t demcr = 0xE000EDFCu;       // bit 24 TRCENA enables the DWT
inline constexpr std::uintptr_t dwt_ctrl = 0xE0001000u;    // bit 0 CYCCNTENA
inline constexpr std::uintptr_t dwt_cyccnt = 0xE0001004u;
inline constexpr std::uintptr_t syst_csr = 0xE000E010u;    // bit 0 ENABLE, bit 2 CLKSOURCE=processor
inline constexpr std::uintptr_t syst_rvr = 0xE000E014u;
inline constexpr std::uintptr_t syst_cvr = 0xE000E018u;
inline constexpr std::uint32_t systick_mask = 0x00FFFFFFu;  // a 24-bit down-counter

enum class cycle_source : std::uint8_t { unset, dwt, systick };

// Zero-initialized (.bss), no constructor: the counter is set up by the first read.
inline cycle_source source = cycle_source::unset;
inline std::uint32_t last_raw = 0;
inline std::uint64_t extended = 0;

inline void start_cycle_counter() {
    mmio(demcr) = mmio(demcr) | (1u << 24);
    mmio(dwt_cyccnt) = 0;
    mmio(dwt_ctrl) = mmio(dwt_ctrl) | 1u;
    const std::uint32_t before = mmio(dwt_cyccnt);
    asm volatile("nop\nnop\nnop\nnop\nnop\nnop\nnop\nnop");
    if (mmio(dwt_cyccnt) != before) {
        source = cycle_source::dwt;
        last_raw = mmio(dwt_cyccnt);
        return;
    }
    // No DWT cycle counter (QEMU): SysTick free-running over its full 24-bit range, no interrupt.
    if ((mmio(syst_csr) & 1u) == 0) {
        mmio(syst_rvr) = systick_mask;
        mmio(syst_cvr) = 0;
        mmio(syst_csr) = 0x5u;
    }
    source = cycle_source::systick;
    last_raw = mmio(syst_cvr) & systick_mask;
}

// The raw counters wrap (CYCCNT after 2^32 cycles, SysTick after 2^24); every read adds the
// distance since the previous read to a 64-bit total. That total is exact as long as reads are less
// than one wrap apart: 2^24 cycles (0.67 s at the 25 MHz of QEMU's MPS2) for SysTick.
inline std::uint64_t read_cycles() {
    if (source == cycle_source::unset) start_cycle_counter();
    if (source == cycle_source::dwt) {
        const std::uint32_t now = mmio(dwt_cyccnt);
        extended += now - last_raw;
        last_raw = now;
    } else {
        const std::uint32_t now = mmio(syst_cvr) & systick_mask;
        extended += (last_raw - now) & systick_mask;  // counts down
        last_raw = now;
    }
    return extended;
}
}  // namespace detail

inline counters read_counters() {
    detail::compiler_barrier();
    counters now{};
    now.ticks = detail::read_cycles();
    detail::compiler_barrier();
    return now;
}

inline counter_info counter_description() {
    if (detail::source == detail::cycle_source::unset) detail::start_cycle_counter();
    return {detail::source == detail::cycle_source::dwt ? "DWT CYCCNT" : "SysTick", "cycles", false};
}

#else  // host

inline counters read_counters() {
    detail::compiler_barrier();
    const auto since_epoch = std::chrono::steady_clock::now().time_since_epoch();
    detail::compiler_barrier();
    counters now{};
    now.ticks = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
    return now;
}

inline counter_info counter_description() { return {"steady_clock", "ns", false}; }

#endif

// Start/stop stopwatch over read_counters(); cheap enough to wrap every layer.
class timer {
public:
    void start() { begin_ = read_counters(); }

    // Counts since the last start().
    elapsed stop() const {
        const counters end = read_counters();
        return {end.ticks - begin_.ticks, end.instructions - begin_.instructions};
    }

private:
    counters begin_{};
};

}  // namespace htvm::firmware
