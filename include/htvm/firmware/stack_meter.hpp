// Measures how deep a bare-metal program's stack really went: paint() fills the unused part of the
// stack region with a pattern, and measure() finds the lowest word that no longer holds it. Together
// with the compiler's -fstack-usage files (static, per function) this bounds the stack from both
// sides: the .su files say what each frame may take, the meter what the program took.
//
// The stack region is picolibc's (picolibc.ld): [__heap_end, __stack), __stack_size bytes at the top
// of RAM. Firmware uses no heap, so nothing else writes there. On the host measure() returns
// `available == false`.
#pragma once
#include <cstdint>
#include <cstdio>

#include "machine.hpp"

#if defined(HTVM_MACHINE_BARE_METAL)
extern "C" char __heap_end[];  // bottom of the stack region (picolibc.ld)
extern "C" char __stack[];     // top of the stack region: the initial stack pointer
#endif

namespace htvm::firmware {

struct stack_usage {
    bool available = false;   // false on the host
    std::uint32_t used = 0;   // bytes between the top of the stack and the deepest write
    std::uint32_t size = 0;   // bytes reserved for the stack
    bool overflowed = false;  // the deepest write reached the bottom of the region
};

class stack_meter {
public:
    static constexpr std::uint32_t pattern = 0x5AC3A55Cu;

    // Call early in main(): everything below the current frame (minus a margin for this function's
    // own frame) is painted.
    void paint() {
#if defined(HTVM_MACHINE_BARE_METAL)
        volatile std::uint32_t marker = 0;
        const std::uintptr_t current = reinterpret_cast<std::uintptr_t>(&marker) - margin_bytes;
        for (std::uintptr_t a = bottom(); a + 4 <= current; a += 4) *reinterpret_cast<volatile std::uint32_t*>(a) = pattern;
        painted_ = true;
#endif
    }

    stack_usage measure() const {
        stack_usage usage{};
        if (!painted_) return usage;
#if defined(HTVM_MACHINE_BARE_METAL)
        usage.available = true;
        usage.size = static_cast<std::uint32_t>(top() - bottom());
        std::uintptr_t a = bottom();
        while (a < top() && *reinterpret_cast<const volatile std::uint32_t*>(a) == pattern) a += 4;
        usage.used = static_cast<std::uint32_t>(top() - a);
        usage.overflowed = a == bottom();
#endif
        return usage;
    }

    // Prints "stack: <used> of <size> bytes used" on bare metal (nothing on the host) and returns
    // false when the stack overflowed its region.
    bool print_usage() const {
        const stack_usage usage = measure();
        if (!usage.available) return true;
        std::printf("stack: %lu of %lu bytes used%s\n", static_cast<unsigned long>(usage.used),
                    static_cast<unsigned long>(usage.size), usage.overflowed ? " (OVERFLOW)" : "");
        return !usage.overflowed;
    }

private:
    static constexpr std::uintptr_t margin_bytes = 64;
#if defined(HTVM_MACHINE_BARE_METAL)
    static std::uintptr_t bottom() { return (reinterpret_cast<std::uintptr_t>(__heap_end) + 3u) & ~std::uintptr_t{3}; }
    static std::uintptr_t top() { return reinterpret_cast<std::uintptr_t>(__stack); }
#endif
    bool painted_ = false;
};

}  // namespace htvm::firmware
