// The tiler with DIANA's numbers and DIANA's own code: weight-memory accounting equal to DIANA's
// layouts (K padded to 16 PE rows, word-aligned int32 biases; analog columns packed four to a byte),
// and tiled layers run on DIANA's bit-exact digital simulator through the schedule
// (htvm::tiling::walk_schedule), with each tile's input and output moved in the accelerator's
// activation layout, compared with the untiled CPU kernel. This is how the DIANA target can drive
// tiles: one visitor that loads, computes and stores with its SoC calls.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <htvm/diana/layouts.hpp>
#include <htvm/diana/memory_map.hpp>
#include <htvm/diana/objectives.hpp>
#include <htvm/diana/simulator_digital.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

namespace {

using namespace htvm::tiling;
using htvm::diana::analog_array_objective;
using htvm::diana::digital_array_objective;
namespace layout = htvm::diana::layout;

// DIANA's memories, from its memory map; the element multiple is its 32-bit word rule.
constexpr memory_limits diana_digital{.l1_bytes = htvm::diana::l1_bytes,
                                      .weight_bytes = htvm::diana::digital_weight_bytes,
                                      .bias_bytes = 4,
                                      .weight_k_granularity = htvm::diana::pe_rows,
                                      .tile_elements_multiple = 4,
                                      .min_tile_k = htvm::diana::pe_rows,
                                      .double_buffer = true};
constexpr memory_limits diana_analog{.l1_bytes = htvm::diana::l1_bytes,
                                     .weight_bytes = htvm::diana::analog_weight_bytes,
                                     .weight_bits = 2,
                                     .weight_k_granularity = 4,
                                     .array_rows = htvm::diana::analog_rows,
                                     .array_columns = htvm::diana::analog_columns,
                                     .double_buffer = true};

constexpr layout::weight_kind kind_of(tile_op op) {
    return op == tile_op::depthwise_conv2d ? layout::weight_kind::depthwise
                                           : (op == tile_op::dense ? layout::weight_kind::dense : layout::weight_kind::conv);
}
constexpr layout::digital_weights digital_shape(const tile_problem& p, int k) {
    return {kind_of(p.kind), k, p.kind == tile_op::depthwise_conv2d ? k : p.in.c, p.kernel.h, p.kernel.w};
}

TEST_CASE("weight tiles are counted exactly as DIANA's layouts store them") {
    std::mt19937 rng(3);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int i = 0; i < 300; ++i) {
        const int c = uniform(1, 130), k = uniform(1, 700), f = std::array{1, 3, 5, 7}[uniform(0, 3)];
        const tile_problem conv = conv_problem({1, 9, 9, c}, k, {f, f}, {1, 1}, f / 2, f / 2, 9, 9);
        const tile_problem dw = depthwise_problem({1, 9, 9, c}, {f, f}, {1, 1}, f / 2, f / 2, 9, 9);
        const tile_problem fc = dense_problem(c * 5, k);
        for (const tile_problem& p : {conv, dw, fc}) {
            const tile_plan plan = plan_tiles(p, diana_digital, digital_array_objective);
            if (!plan.ok()) continue;
            CAPTURE(i);
            CHECK(plan.weight_tile_bytes == layout::weight_memory_bytes(digital_shape(p, plan.tile_k)));
            CHECK(plan.weight_tile_bytes <= htvm::diana::digital_weight_bytes);
        }
        const tile_plan analog = plan_tiles(conv, diana_analog, analog_array_objective);
        if (analog.ok()) {
            CHECK(analog.weight_tile_bytes == layout::packed_bytes(layout::analog_weights{analog.tile_k, c, f, f}));
            CHECK(analog.tile_k == (k < 512 ? k : 512));  // as many columns as the array has
        } else {
            CHECK(c * f * f > htvm::diana::analog_rows);
        }
    }
}

// The DIANA digital accelerator driven tile by tile: the RISC-V moves each input window into L1 in
// the accelerator's layout (as the untiled target does), arranges the tile's weights and biases in
// the weight memory, starts the job, and moves the output tile back. Synchronous, so wait() is empty.
struct digital_visitor {
    const tile_plan& plan;
    const std::int8_t* input;    // NHWC, whole tensor
    const std::int8_t* weights;  // core layout (OHWI, HWC, [units][features])
    const std::int32_t* bias;
    htvm::shift_requant rq;
    std::int8_t* output;         // NHWC, whole tensor
    std::int8_t* l1;
    std::int8_t* weight_memory;
    std::vector<std::int8_t> staged = std::vector<std::int8_t>(static_cast<std::size_t>(plan.weight_tile_elements));

    void load_input(const tile_window& t) {
        const tile_problem& p = plan.problem;
        std::int8_t* tile = l1 + plan.in_offset[t.in_buffer];
        for (int y = 0; y < t.rows.count; ++y)
            for (int x = 0; x < t.cols.count; ++x)
                for (int c = 0; c < t.c_count; ++c)
                    tile[layout::digital_activation(t.geometry.in, y, x, c)] =
                        input[((t.rows.begin + y) * p.in.w + t.cols.begin + x) * p.in.c + t.c_begin + c];
    }
    void load_weights(const tile_window& t) {
        // The tile's weights in the core layout (the schedule's copy), then arranged for the array.
        copy_strided(staged.data(), weights + t.weights.src_offset, t.weights);
        const layout::digital_weights w = digital_shape(plan.problem, t.k_count);
        layout::arrange_digital(w, staged.data(), weight_memory);
        for (int k = 0; k < layout::padded_channels(w); ++k) {
            const std::int32_t b = k < t.k_count ? bias[t.k_begin + k] : 0;
            std::memcpy(weight_memory + layout::bias_offset(w) + 4 * k, &b, 4);
        }
    }
    void compute(const tile_window& t) {
        const tile_problem& p = plan.problem;
        const layout::digital_weights w = digital_shape(p, t.k_count);
        if (p.kind == tile_op::dense) {
            htvm::diana::digital::dense_job job{plan.in_offset[t.in_buffer], plan.out_offset[t.out_buffer], t.c_count,
                                                t.k_count, 0, layout::bias_offset(w), rq};
            htvm::diana::digital::run_dense(job, l1, weight_memory);
            return;
        }
        htvm::diana::digital::conv_job job{};
        job.input = plan.in_offset[t.in_buffer];
        job.output = plan.out_offset[t.out_buffer];
        job.in = t.geometry.in;
        job.out = t.geometry.out;
        job.kernel = t.geometry.kernel;
        job.stride = t.geometry.stride;
        job.pad_top = t.geometry.pad_top;
        job.pad_left = t.geometry.pad_left;
        job.depthwise = p.kind == tile_op::depthwise_conv2d;
        job.weights = 0;
        job.bias = layout::bias_offset(w);
        job.rq = rq;
        htvm::diana::digital::run_conv(job, l1, weight_memory);
    }
    void store_output(const tile_window& t) {
        const tile_problem& p = plan.problem;
        const std::int8_t* tile = l1 + plan.out_offset[t.out_buffer];
        for (int y = 0; y < t.oy_count; ++y)
            for (int x = 0; x < t.ox_count; ++x)
                for (int k = 0; k < t.k_count; ++k)
                    output[((t.oy_begin + y) * p.out.w + t.ox_begin + x) * p.out.c + t.k_begin + k] =
                        tile[layout::digital_activation(t.geometry.out, y, x, k)];
    }
    void wait() {}
};

TEST_CASE("tiled layers on DIANA's digital simulator equal the untiled CPU kernel") {
    std::mt19937 rng(5);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    static std::int8_t l1[htvm::diana::l1_bytes];
    static std::int8_t weight_memory[htvm::diana::digital_weight_bytes];
    int ran = 0, tiled = 0, tries = 0;
    while (ran < 150 && tries < 3000) {
        ++tries;
        // DIANA-legal geometry: kernels 1, 3, 5, 7; strides 1 or 2; symmetric SAME-style padding.
        const int kind = uniform(0, 4);
        tile_problem p{};
        if (kind == 0) {
            const int features = 4 * uniform(1, 100);
            p = dense_problem(features, 4 * uniform(1, 30));
        } else {
            const int f = std::array{1, 3, 5, 7}[uniform(0, 3)], s = uniform(1, 2);
            const int h = uniform(f, 20), w = 4 * uniform(1, 5), c = 4 * uniform(1, 8);
            const int pad = f / 2, oh = (h + 2 * pad - f) / s + 1, ow = (w + 2 * pad - f) / s + 1;
            p = kind == 1 ? depthwise_problem({1, h, w, c}, {f, f}, {s, s}, pad, pad, oh, ow)
                          : conv_problem({1, h, w, c}, 4 * uniform(1, 12), {f, f}, {s, s}, pad, pad, oh, ow);
        }
        memory_limits m = diana_digital;
        const double full = static_cast<double>(p.in.elements() + p.out.elements());
        m.l1_bytes = static_cast<int>(full * std::uniform_real_distribution<double>(0.05, 1.1)(rng)) + 64;
        m.double_buffer = uniform(0, 1) == 1;
        const tile_plan plan = plan_tiles(p, m, digital_array_objective);
        if (!plan.ok()) continue;
        CAPTURE(tries);
        REQUIRE(plan.l1_bytes <= m.l1_bytes);

        std::vector<std::int8_t> input(static_cast<std::size_t>(p.in.elements())),
            weights(static_cast<std::size_t>(p.weight_elements(p.out.c)));
        std::vector<std::int32_t> bias(static_cast<std::size_t>(p.out.c));
        for (auto& v : input) v = static_cast<std::int8_t>(uniform(-128, 127));
        for (auto& v : weights) v = static_cast<std::int8_t>(uniform(-128, 127));
        for (auto& v : bias) v = uniform(-4000, 4000);
        const htvm::shift_requant rq{.shift = uniform(6, 10), .relu = uniform(0, 1) == 1};

        std::vector<std::int8_t> expected(static_cast<std::size_t>(p.out.elements())), actual(expected.size(), 0x77);
        const htvm::cpu::window_geometry g{p.in, p.out, p.kernel, p.stride, p.pad_top, p.pad_left};
        if (p.kind == tile_op::conv2d) htvm::cpu::conv2d(g, input.data(), weights.data(), bias.data(), rq, expected.data());
        else if (p.kind == tile_op::depthwise_conv2d)
            htvm::cpu::depthwise_conv2d(g, input.data(), weights.data(), bias.data(), rq, expected.data());
        else htvm::cpu::dense(p.in.c, p.out.c, input.data(), weights.data(), bias.data(), rq, expected.data());

        digital_visitor v{plan, input.data(), weights.data(), bias.data(), rq, actual.data(), l1, weight_memory};
        walk_schedule(plan, v);
        CHECK(actual == expected);
        ++ran;
        tiled += plan.tiled();
    }
    MESSAGE(ran, " layers run on the digital simulator, ", tiled, " of them tiled");
    CHECK(ran == 150);
    CHECK(tiled >= 100);
}

}  // namespace
