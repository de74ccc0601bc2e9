// The smallest firmware: one network written with the core API, run once with a per-layer
// profile, checked against a reference computed here with plain loops (independent of htvm's
// kernels). The same translation unit builds for the host, RV32 and Cortex-M; the QEMU tests compare
// its `output:` line across the three.
//
// Variants built from this file for the test suite (see CMakeLists.txt):
//   HTVM_SMOKE_CORRUPT  the reference is wrong on purpose: the golden check must fail the exit code
//   HTVM_SMOKE_HANG     never returns: the QEMU runner's timeout must catch it
//   HTVM_SMOKE_HEAP     calls malloc: the firmware symbol check must flag it
//   HTVM_SMOKE_RECORD   reads the network record at run time: the firmware symbol check must flag it
#include <array>
#include <cstdint>
#if defined(HTVM_SMOKE_HEAP)
#include <cstdlib>
#endif
#if defined(HTVM_SMOKE_RECORD)
#include <cstdio>
#endif

#include <htvm/htvm.hpp>
#include <htvm/firmware/run_and_check.hpp>

namespace {

// Deterministic pseudo-random int8 values (a 32-bit LCG), generated at compile time.
template <std::size_t N, class T = std::int8_t>
constexpr std::array<T, N> pseudo_random(std::uint32_t seed, int lo, int hi) {
    std::array<T, N> values{};
    std::uint32_t state = seed;
    for (auto& v : values) {
        state = state * 1664525u + 1013904223u;
        v = static_cast<T>(lo + static_cast<int>((state >> 8) % static_cast<std::uint32_t>(hi - lo + 1)));
    }
    return values;
}

constexpr int H = 8, W = 8, C = 3, F = 8, UNITS = 10;

constexpr auto image = pseudo_random<H * W * C>(1u, -128, 127);
constexpr auto conv_w = pseudo_random<F * 3 * 3 * C>(2u, -128, 127);  // OHWI
constexpr auto conv_b = pseudo_random<F, std::int32_t>(3u, -2000, 2000);
constexpr auto dw_w = pseudo_random<3 * 3 * F>(4u, -128, 127);  // HWC
constexpr auto fc_w = pseudo_random<UNITS * (H / 2) * (W / 2) * F>(5u, -128, 127);
constexpr auto fc_b = pseudo_random<UNITS, std::int32_t>(6u, -500, 500);

constexpr int conv_shift = 9, dw_shift = 8, add_shift = 1, fc_shift = 9;

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, H, W, C}},
    htvm::conv2d{.name = "conv", .filters = F, .kernel = {3, 3}, .padding = htvm::same,
                 .weights = {conv_w.data(), static_cast<int>(conv_w.size())},
                 .bias = {conv_b.data(), static_cast<int>(conv_b.size())},
                 .requant = htvm::shift_requant{.shift = conv_shift, .relu = true}},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::same,
                           .weights = {dw_w.data(), static_cast<int>(dw_w.size())},
                           .requant = htvm::shift_requant{.shift = dw_shift}},
    htvm::add{.name = "residual", .lhs = "conv", .rhs = "dw", .requant = {.shift = add_shift}},
    htvm::max_pool{.name = "pool", .window = {2, 2}, .stride = {2, 2}},
    htvm::flatten{.name = "flatten"},
    htvm::dense{.name = "fc", .units = UNITS, .weights = {fc_w.data(), static_cast<int>(fc_w.size())},
                .bias = {fc_b.data(), static_cast<int>(fc_b.size())},
                .requant = htvm::shift_requant{.shift = fc_shift}},
};
using model = htvm::model<net>;
static_assert(htvm::arena_fits<model, 2048>, "the smoke network is meant to be tiny");

// ---- reference: the same network as plain loops over NHWC arrays --------------------------------

constexpr std::int8_t clip8(std::int32_t v, std::int32_t lo) { return static_cast<std::int8_t>(v < lo ? lo : (v > 127 ? 127 : v)); }
constexpr int at(int y, int x, int c, int channels) { return (y * W + x) * channels + c; }

std::int8_t conv_out[H * W * F], dw_out[H * W * F], sum_out[H * W * F], pool_out[(H / 2) * (W / 2) * F];
std::int8_t expected[UNITS];

void reference() {
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            for (int f = 0; f < F; ++f) {
                std::int32_t acc = conv_b[f];
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx) {
                        const int iy = y + ky - 1, ix = x + kx - 1;  // SAME padding of a 3x3 kernel: 1
                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                        for (int c = 0; c < C; ++c) acc += image[at(iy, ix, c, C)] * conv_w[((f * 3 + ky) * 3 + kx) * C + c];
                    }
                conv_out[at(y, x, f, F)] = clip8(acc >> conv_shift, 0);  // ReLU: floor 0
            }
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            for (int f = 0; f < F; ++f) {
                std::int32_t acc = 0;
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx) {
                        const int iy = y + ky - 1, ix = x + kx - 1;
                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                        acc += conv_out[at(iy, ix, f, F)] * dw_w[(ky * 3 + kx) * F + f];
                    }
                dw_out[at(y, x, f, F)] = clip8(acc >> dw_shift, -128);
            }
    for (int k = 0; k < H * W * F; ++k) sum_out[k] = clip8((conv_out[k] + dw_out[k]) >> add_shift, -128);
    for (int y = 0; y < H / 2; ++y)
        for (int x = 0; x < W / 2; ++x)
            for (int f = 0; f < F; ++f) {
                std::int8_t best = -128;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) {
                        const std::int8_t v = sum_out[at(2 * y + dy, 2 * x + dx, f, F)];
                        best = v > best ? v : best;
                    }
                pool_out[(y * (W / 2) + x) * F + f] = best;
            }
    constexpr int inputs = (H / 2) * (W / 2) * F;
    for (int u = 0; u < UNITS; ++u) {
        std::int32_t acc = fc_b[u];
        for (int k = 0; k < inputs; ++k) acc += pool_out[k] * fc_w[u * inputs + k];
        expected[u] = clip8(acc >> fc_shift, -128);
    }
}

}  // namespace

int main() {
    reference();
#if defined(HTVM_SMOKE_CORRUPT)
    expected[0] = static_cast<std::int8_t>(expected[0] ^ 1);
#endif
#if defined(HTVM_SMOKE_HEAP)
    // Through a volatile pointer so that the optimizer cannot drop the allocation.
    void* (*volatile allocate)(std::size_t) = &std::malloc;
    void* block = allocate(16);
    if (block == nullptr) return 2;
    std::free(block);
#endif
#if defined(HTVM_SMOKE_RECORD)
    // An index the compiler cannot know: the record itself must be in the binary.
    volatile std::size_t layer = 1;
    std::printf("first layer: %s\n", net.layers[layer].name());
#endif
    const int status = htvm::firmware::run_and_check<model>("firmware_smoke", image.data(), expected);
#if defined(HTVM_SMOKE_HANG)
    for (;;) asm volatile("");
#endif
    return status;
}
