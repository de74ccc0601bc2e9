// Deterministic pseudo-random numbers for the property tests: splitmix64 with our own range mapping,
// so a seed gives the same cases with every standard library (std::uniform_int_distribution does not).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ref {

struct rng {
    std::uint64_t state;

    explicit rng(std::uint64_t seed) : state(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi] (the modulo bias is far below anything a test could notice).
    std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    int between(int lo, int hi) { return static_cast<int>(uniform(lo, hi)); }
    bool percent(int p) { return uniform(0, 99) < p; }
    std::int8_t byte() { return static_cast<std::int8_t>(uniform(-128, 127)); }
    // A double in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    // Every element of `a` in [lo, hi].
    template <class T, std::size_t N>
    void fill(T (&a)[N], int lo, int hi) {
        for (auto& v : a) v = static_cast<T>(between(lo, hi));
    }
    std::vector<std::int8_t> bytes(int count) {
        std::vector<std::int8_t> v(static_cast<std::size_t>(count));
        for (auto& b : v) b = byte();
        return v;
    }
};

}  // namespace ref
