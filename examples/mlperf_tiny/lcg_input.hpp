// The MLPerf Tiny golden inputs: bytes of a 32-bit LCG (x = x * 1664525 + 1013904223 mod 2^32,
// starting at x = seed, one step before each byte, byte = the top 8 bits as int8). Seeds 1..3
// reproduce the reference's seedK.in files; any other seed gives a fresh input of the same kind.
#pragma once
#include <cstdint>

namespace mlperf_tiny {

constexpr void lcg_input(std::uint32_t seed, std::int8_t* out, int count) {
    std::uint32_t x = seed;
    for (int i = 0; i < count; ++i) {
        x = x * 1664525u + 1013904223u;
        out[i] = static_cast<std::int8_t>(static_cast<std::uint8_t>(x >> 24));
    }
}

}  // namespace mlperf_tiny
