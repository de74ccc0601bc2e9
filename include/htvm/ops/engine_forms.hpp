// Optional forms of a layer's constants that accelerators read and the CPU ignores: the weights
// already arranged in an engine's layout, and the ternary weights of an analog in-memory-compute core.
#pragma once
#include <cstddef>
#include <cstdint>

#include "operator.hpp"

namespace htvm {

// Ternary weights {-1, 0, +1} packed four to a byte, two bits each (bit 0 adds +1, bit 1 adds -1,
// so both or neither is 0): every bit pattern is a ternary weight, so a value of this type cannot
// hold anything else. The order of the weights is the platform's (see its documentation).
struct ternary_weights {
    const std::uint8_t* data = nullptr;
    int bytes = 0;
    int count = 0;  // number of weights packed in `data`

    constexpr ternary_weights() = default;
    template <std::size_t N>
    constexpr ternary_weights(const std::uint8_t (&packed)[N], int weight_count)
        : data(packed), bytes(static_cast<int>(N)), count(weight_count) {}
    constexpr ternary_weights(const std::uint8_t* packed, int packed_bytes, int weight_count)
        : data(packed), bytes(packed_bytes), count(weight_count) {}
    constexpr bool empty() const { return data == nullptr; }
};

// How a convolution computes when a platform places it on an analog in-memory-compute core (e.g.
// DIANA's): ternary weights, the accumulator clipped to the ADC's range, a per-output-channel
// scale and offset (batch norm), an arithmetic right shift and a clip. The CPU ignores it.
struct analog_variant {
    ternary_weights weights{};
    const std::int32_t* scale = nullptr;   // per output channel (DIANA's k)
    const std::int32_t* offset = nullptr;  // per output channel (DIANA's lambda)
    int shift = 0;
    bool relu = false;
    std::int32_t clip_min = -128, clip_max = 127;

    constexpr bool present() const { return !weights.empty(); }
};

}  // namespace htvm
