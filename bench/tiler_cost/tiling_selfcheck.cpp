// Tiled execution on the device itself: 1,200 pseudo-random layers (conv2d, depthwise, dense; 1..7
// kernels including 7x5, strides 1..3, valid / same / explicit padding) under random L1 and weight
// budgets (double buffering, weights in L1, padded weight storage, 4-element tile granules), each planned by the tiler at run time (the same constexpr function a build evaluates),
// run tile by tile through an asynchronous-looking DMA (copies happen at once or at the next wait,
// at random) and compared with the untiled layer (plain loops on the whole tensors, the same loops
// the tile kernel runs on each tile's local copies). Same translation unit
// for the host and for bare metal; the QEMU tests compare the `output:` line (a hash of every
// output byte and plan) with the host run. Exit status 0 only when every layer matched.
#include <cstdint>
#include <cstdio>

#include <htvm/diana/objectives.hpp>
#include <htvm/firmware/machine.hpp>
#include <htvm/firmware/output.hpp>
#include <htvm/tiling/tiling.hpp>

namespace {

using namespace htvm::tiling;
using htvm::diana::digital_array_objective;

struct xorshift {
    std::uint32_t state = 2463534242u;
    std::uint32_t next() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }
    int uniform(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint32_t>(hi - lo + 1)); }
};

constexpr int max_hw = 14, max_c = 10, max_k = 24, max_kernel = 7, max_features = 300, max_units = 40;
constexpr int max_input = max_hw * max_hw * 40;  // depthwise layers have up to 40 channels
constexpr int max_weights = max_k * max_kernel * max_kernel * max_c > max_units * max_features
                                ? max_k * max_kernel * max_kernel * max_c
                                : max_units * max_features;
constexpr int max_output = max_hw * max_hw * 40;
constexpr int max_l1 = 2 * max_input + 2 * max_output + max_weights + 64;

// Static storage (.bss): nothing on the heap, little on the stack.
std::int8_t input[max_input], weights[max_weights], expected[max_output], actual[max_output];
std::int8_t l1[max_l1], weight_memory[max_weights];
std::int32_t bias[max_output];

// Copies either now or at the next wait(), last request first.
struct dma_request {
    std::int8_t* dst;
    const std::int8_t* src;
    copy_shape shape;
};
dma_request pending[8];  // static: the firmware stack stays small

struct racing_dma {
    xorshift& rng;
    int count = 0;
    void start(std::int8_t* dst, const std::int8_t* src, const copy_shape& s) {
        if (rng.next() % 2 == 0 || count == 8) {
            copy_strided(dst, src, s);
            return;
        }
        pending[count++] = {dst, src, s};
    }
    void wait() {
        while (count > 0) {
            --count;
            copy_strided(pending[count].dst, pending[count].src, pending[count].shape);
        }
    }
};

int axis_out(xorshift& rng, int in, int kernel, int stride, int mode, int& before) {
    before = 0;
    if (mode == 0) return in >= kernel ? (in - kernel) / stride + 1 : -1;
    if (mode == 1) {
        const int out = (in + stride - 1) / stride;
        const int total = (out - 1) * stride + kernel - in;
        before = total > 0 ? total / 2 : 0;
        return out;
    }
    before = rng.uniform(0, kernel - 1);
    const int span = in + before + rng.uniform(0, kernel - 1) - kernel;
    return span >= 0 ? span / stride + 1 : -1;
}

// Plain loops over any window geometry: the whole layer, or one tile of it (then `weights`, `bias`
// and `rq` are the tile's: output channels from its first). Firmware uses these rather than htvm's
// optimized CPU kernels, whose run-time-geometry instantiations have frames above the firmware
// stack bound; the host tests (tests/tiling/test_tiling_random.cpp) run the optimized kernels per tile.
void naive(tile_op kind, const htvm::cpu::window_geometry& g, const std::int8_t* in, const std::int8_t* w,
           const std::int32_t* b, const htvm::requant& rq, std::int8_t* out) {
    for (int y = 0; y < g.out.h; ++y)
        for (int x = 0; x < g.out.w; ++x)
            for (int k = 0; k < g.out.c; ++k) {
                std::int32_t acc = b[k];
                for (int ky = 0; ky < g.kernel.h; ++ky)
                    for (int kx = 0; kx < g.kernel.w; ++kx) {
                        const int iy = y * g.stride.h - g.pad_top + ky, ix = x * g.stride.w - g.pad_left + kx;
                        if (iy < 0 || iy >= g.in.h || ix < 0 || ix >= g.in.w) continue;
                        const std::int8_t* px = in + (iy * g.in.w + ix) * g.in.c;
                        if (kind == tile_op::depthwise_conv2d) {
                            acc += px[k] * w[(ky * g.kernel.w + kx) * g.out.c + k];
                        } else {
                            const std::int8_t* f = w + ((k * g.kernel.h + ky) * g.kernel.w + kx) * g.in.c;
                            for (int c = 0; c < g.in.c; ++c) acc += px[c] * f[c];
                        }
                    }
                out[(y * g.out.w + x) * g.out.c + k] = rq.apply(acc, k);
            }
}

struct naive_tile_kernel {
    tile_op kind;
    htvm::requant rq;
    void operator()(const tile_window& t, const std::int8_t* in, const std::int8_t* w, std::int8_t* out) const {
        // A dense tile is a 1x1 convolution over a 1x1 image of the features.
        naive(kind, t.geometry, in, w, bias + t.k_begin, requant_from_channel(rq, t.k_begin), out);
    }
};

// Out of line: the schedule's tile windows stay in this frame, not in main's.
[[gnu::noinline]] void run(const tile_plan& plan, const htvm::requant& rq, xorshift& rng) {
    racing_dma dma{rng, 0};
    naive_tile_kernel kernel{plan.problem.kind, rq};
    run_tiled(plan, tiled_io{input, weights, actual, l1, weight_memory}, dma, kernel);
}

std::uint32_t fnv(std::uint32_t h, std::uint32_t v) { return (h ^ v) * 16777619u; }

}  // namespace

int main() {
    std::printf("program: tiling_selfcheck (%s)\n", htvm::firmware::machine_name);
    xorshift rng{};
    int checked = 0, tiled = 0, double_buffered = 0, failed_plans = 0, mismatches = 0, tries = 0;
    std::uint32_t hash = 2166136261u;
    while (checked < 1200 && tries < 20000) {
        ++tries;
        tile_problem p{};
        const int kind = rng.uniform(0, 9);
        if (kind < 2) {
            // One draw per statement: the order of evaluation of function arguments is unspecified,
            // and the host and bare-metal runs must draw the same numbers.
            const int features = rng.uniform(1, max_features);
            p = dense_problem(features, rng.uniform(1, max_units));
        } else {
            const bool depthwise = kind < 5;
            const int h = rng.uniform(1, max_hw), w = rng.uniform(1, max_hw), c = rng.uniform(1, depthwise ? 40 : max_c);
            htvm::hw kernel{rng.uniform(1, max_kernel), rng.uniform(1, max_kernel)};
            if (rng.uniform(0, 7) == 0) kernel = {7, 5};
            const htvm::hw stride{rng.uniform(1, 3), rng.uniform(1, 3)};
            const int mode = rng.uniform(0, 2);
            int top = 0, left = 0;
            const int oh = axis_out(rng, h, kernel.h, stride.h, mode, top);
            const int ow = axis_out(rng, w, kernel.w, stride.w, mode, left);
            if (oh < 1 || ow < 1) continue;
            p = depthwise ? depthwise_problem({1, h, w, c}, kernel, stride, top, left, oh, ow)
                          : conv_problem({1, h, w, c}, rng.uniform(1, max_k), kernel, stride, top, left, oh, ow);
        }
        const int full = p.in.elements() + p.out.elements();
        memory_limits m{};
        m.l1_bytes = full / rng.uniform(1, 24);
        m.l1_bytes += rng.uniform(8, 64);
        m.double_buffer = rng.uniform(0, 1) == 1;
        m.weights_in_l1 = rng.uniform(0, 4) == 0;
        m.bias_bytes = 4 * rng.uniform(0, 1);
        m.alignment = rng.uniform(0, 1) == 0 ? 4 : 16;
        m.weight_k_granularity = rng.uniform(0, 1) == 0 ? 1 : 16;
        m.tile_elements_multiple = rng.uniform(0, 2) == 0 ? 4 : 1;
        m.weight_bytes = static_cast<int>(p.weight_elements(p.out.c) / rng.uniform(1, 4)) + 64;
        if (m.weights_in_l1) m.l1_bytes += m.weight_bytes;
        const objective goal = rng.uniform(0, 1) == 0 ? digital_array_objective : bytes_only_objective;
        const tile_plan plan = plan_tiles(p, m, goal);
        if (!plan.ok()) {
            ++failed_plans;
            continue;
        }
        if (plan.l1_bytes > max_l1 || plan.weight_tile_elements > max_weights) {
            std::printf("plan larger than the test's memories\n");
            return 1;
        }

        for (int i = 0; i < p.in.elements(); ++i) input[i] = static_cast<std::int8_t>(rng.next());
        for (long long i = 0; i < p.weight_elements(p.out.c); ++i) weights[i] = static_cast<std::int8_t>(rng.next());
        for (int k = 0; k < p.out.c; ++k) bias[k] = rng.uniform(-3000, 3000);
        const htvm::requant rq = htvm::shift_requant{.shift = rng.uniform(5, 9), .relu = rng.uniform(0, 1) == 1};

        const htvm::cpu::window_geometry whole{p.in, p.out, p.kernel, p.stride, p.pad_top, p.pad_left};
        naive(p.kind, whole, input, weights, bias, rq, expected);
        for (int i = 0; i < p.out.elements(); ++i) actual[i] = 0x5a;
        run(plan, rq, rng);

        const int bad = htvm::firmware::count_mismatches(actual, expected, p.out.elements());
        if (bad != 0 && mismatches == 0)
            std::printf("MISMATCH at layer %d (try %d): %d bytes\n", checked, tries, bad);
        mismatches += bad != 0;
        ++checked;
        tiled += plan.tiled();
        double_buffered += plan.double_buffered;
        hash = fnv(hash, static_cast<std::uint32_t>(plan.tile_k * 65536 + plan.tile_h * 256 + plan.tile_w));
        for (int i = 0; i < p.out.elements(); ++i) hash = fnv(hash, static_cast<std::uint8_t>(actual[i]));
    }
    std::printf("layers: %d checked (%d tiled, %d double-buffered), %d budgets without a plan, %d mismatching\n",
                checked, tiled, double_buffered, failed_plans, mismatches);
    std::printf("output: %08lx\n", static_cast<unsigned long>(hash));
    return mismatches == 0 && checked >= 1000 && tiled >= 800 ? 0 : 1;
}
