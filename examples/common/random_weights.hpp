// Deterministic pseudo-random constant data for example networks. Generated once at compile time
// into plain const arrays; htvm's planning never reads them.
#pragma once
#include <cstddef>
#include <cstdint>

namespace examples {

// Numerical Recipes' 32-bit LCG: cheap, deterministic, the same on every compiler.
constexpr std::uint32_t lcg_next(std::uint32_t x) { return x * 1664525u + 1013904223u; }

template <class T, std::size_t N>
struct random_array {
    T values[N]{};
};

// N values uniform in [-range, range], from `seed`.
template <class T, std::size_t N>
constexpr random_array<T, N> make_random(std::uint32_t seed, int range) {
    random_array<T, N> out{};
    std::uint32_t x = seed;
    for (std::size_t i = 0; i < N; ++i) {
        x = lcg_next(x);
        out.values[i] = static_cast<T>(static_cast<int>((x >> 8) % static_cast<std::uint32_t>(2 * range + 1)) - range);
    }
    return out;
}

}  // namespace examples
