// Property test of whole compiled networks: tiny networks written as compile-time graphs (so every
// kernel runs in the instance a real model gets: constant geometry, constant arithmetic kind), with
// weights, biases and per-channel multipliers refilled at random before each run. model::run must
// equal the reference run layer by layer (tests/reference/, driven from the same layer records),
// which also checks shape inference, padding resolution and the memory plan's buffer reuse (in-place
// add and clip included).
#include <doctest/doctest.h>

#include <htvm/htvm.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "reference/htvm_bridge.hpp"
#include "reference/random.hpp"

namespace {

// The networks' parameters: plain (non-const) arrays, rewritten before each run. A const_span keeps
// only their address and size, so the compile-time graph never depends on the values.
namespace a {
std::int8_t w1[8 * 3 * 3 * 3], w2[3 * 3 * 8], w3[10 * 4 * 3 * 8];
std::int32_t b1[8], b2[8], b3[10];
}  // namespace a
namespace b {
std::int8_t w1[6 * 5 * 3 * 4], w2[3 * 3 * 6], w3[12 * 6];
std::int32_t b1[6], b2[6], b3[12];
std::int32_t m1[6], s1[6];  // per-channel requantization of c1
}  // namespace b
namespace c {
std::int8_t w1[7 * 5], w2[7 * 5 * 7], w3[9 * 2 * 3 * 7], w4[5 * 9];
std::int32_t b1[7], b2[7], b3[9], b4[5];
std::int32_t m3[9], s3[9];
}  // namespace c
namespace d {
std::int8_t w1[6 * 3];
std::int32_t b1[6];
}  // namespace d

// DIANA arithmetic, residual block: conv / depthwise (SAME) / add / max pool / dense.
inline constexpr htvm::network net_a{
    htvm::input{.name = "image", .shape = {1, 9, 7, 3}},
    htvm::conv2d{.name = "conv1", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = a::w1,
                 .bias = a::b1, .requant = htvm::shift_requant{.shift = 9, .relu = true}},
    htvm::depthwise_conv2d{.name = "dw1", .kernel = {3, 3}, .padding = htvm::same, .weights = a::w2, .bias = a::b2,
                           .requant = htvm::shift_requant{.shift = 8}},
    htvm::add{.name = "res", .lhs = "conv1", .rhs = "dw1", .requant = {.shift = 1}},
    htvm::max_pool{.name = "pool", .window = {2, 2}, .stride = {2, 2}},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 10, .weights = a::w3, .bias = a::b3,
                .requant = htvm::shift_requant{.shift = 10, .clip_min = -100, .clip_max = 100}},
};

// TFLite arithmetic: pad / strided non-square valid conv (per-channel) / depthwise with explicit pads
// / TFLite add / SAME average pool / ReLU / global average pool / dense / softmax.
inline constexpr htvm::network net_b{
    htvm::input{.name = "x", .shape = {1, 11, 9, 4}},
    htvm::pad{.name = "pad", .top = 1, .bottom = 2, .left = 0, .right = 1, .value = -7},
    htvm::conv2d{.name = "c1", .filters = 6, .kernel = {5, 3}, .stride = {2, 1}, .weights = b::w1, .bias = b::b1,
                 .requant = htvm::tflite_requant{.multipliers = b::m1, .shifts = b::s1, .input_zero_point = -7,
                                                 .output_zero_point = 3}},
    htvm::depthwise_conv2d{.name = "d1", .kernel = {3, 3}, .padding = htvm::pads(1, 1, 1, 1), .weights = b::w2,
                           .bias = b::b2,
                           .requant = htvm::tflite_requant{.multiplier = 1500000000, .shift = -9, .input_zero_point = 3,
                                                           .output_zero_point = -2}},
    htvm::tflite_add{.name = "sum", .lhs = "c1", .rhs = "d1",
                     .params = {.input1_zero_point = 3, .input2_zero_point = -2, .output_zero_point = 1,
                                .input1_multiplier = 1073741824, .input1_shift = 0, .input2_multiplier = 1500000000,
                                .input2_shift = -1, .output_multiplier = 1200000000, .output_shift = -18}},
    htvm::avg_pool{.name = "ap", .window = {3, 3}, .stride = {2, 2}, .padding = htvm::same, .act_min = -100,
                   .act_max = 120},
    htvm::relu{.name = "relu", .zero_point = 1},
    htvm::global_avg_pool{.name = "gap"},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 12, .weights = b::w3, .bias = b::b3,
                .requant = htvm::tflite_requant{.multiplier = 1800000000, .shift = -8, .input_zero_point = 1,
                                                .output_zero_point = 5}},
    htvm::softmax{.name = "prob", .params = htvm::tflite_softmax_params_for(1.0, 0.1)},
};

// Mixed: 1x1 conv over a whole image (the kernels' matrix-product path), 7x5 stride-2 depthwise,
// conv with channel counts that are not multiples of the register blocks and explicit asymmetric
// pads, max pool over explicit pads, pad, full-plane average pool, dense.
inline constexpr htvm::network net_c{
    htvm::input{.name = "x", .shape = {1, 6, 10, 5}},
    htvm::conv2d{.name = "pw", .filters = 7, .weights = c::w1, .bias = c::b1,
                 .requant = htvm::tflite_requant{.multiplier = 1400000000, .shift = -8, .input_zero_point = -3}},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {7, 5}, .stride = {2, 2}, .padding = htvm::same, .weights = c::w2,
                           .bias = c::b2, .requant = htvm::shift_requant{.shift = 8}},
    htvm::conv2d{.name = "c2", .filters = 9, .kernel = {2, 3}, .stride = {1, 2}, .padding = htvm::pads(0, 1, 2, 0),
                 .weights = c::w3, .bias = c::b3,
                 .requant = htvm::tflite_requant{.multipliers = c::m3, .shifts = c::s3, .output_zero_point = -20,
                                                 .act_min = -50, .act_max = 127}},
    htvm::max_pool{.name = "mp", .window = {2, 2}, .stride = {1, 1}, .padding = htvm::pads(1, 0, 1, 0)},
    htvm::pad{.name = "p2", .bottom = 1, .left = 1, .value = 0},
    htvm::avg_pool{.name = "avg", .window = {4, 4}, .stride = {1, 1}},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 5, .weights = c::w4, .bias = c::b4, .requant = htvm::shift_requant{.shift = 8}},
};

// Softmax over many rows (the channel axis of a 4x5 image), then a clamp in place.
inline constexpr htvm::network net_d{
    htvm::input{.name = "x", .shape = {1, 4, 5, 3}},
    htvm::conv2d{.name = "pw", .filters = 6, .weights = d::w1, .bias = d::b1, .requant = htvm::shift_requant{.shift = 7}},
    htvm::softmax{.name = "prob", .params = htvm::tflite_softmax_params_for(1.5, 0.05)},
    htvm::clip{.name = "clamp", .min = -120, .max = 90},
};

template <std::size_t N>
void fill(ref::rng& r, std::int8_t (&w)[N]) {
    for (auto& v : w) v = r.byte();
}
template <std::size_t N>
void fill(ref::rng& r, std::int32_t (&b)[N], std::int32_t range) {
    for (auto& v : b) v = static_cast<std::int32_t>(r.uniform(-range, range));
}
// Realistic multipliers, with a zero (flushed) channel and a -31 shift now and then.
template <std::size_t N>
void fill_requant(ref::rng& r, std::int32_t (&m)[N], std::int32_t (&s)[N]) {
    for (std::size_t k = 0; k < N; ++k) {
        m[k] = static_cast<std::int32_t>(r.uniform(std::int64_t{1} << 30, INT32_MAX));
        s[k] = r.between(-12, -5);
        if (r.percent(5)) m[k] = 0;
        if (r.percent(5)) s[k] = -31;
    }
}

// Records every layer's output as the model runs.
struct recorder {
    std::vector<std::vector<std::int8_t>>* outputs;
    void before_layer(std::size_t, const htvm::layer_info&) {}
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* data, const htvm::shape& s) {
        (*outputs)[i].assign(data, data + s.elements());
    }
};

// Runs `Model` on a random input and compares every layer and the output with the reference.
template <class Model, std::size_t N>
void run_and_compare(const htvm::network<N>& net, ref::rng& r, int trial) {
    ref::tensor input(Model::input_shape.h, Model::input_shape.w, Model::input_shape.c);
    for (auto& v : input.data) v = r.byte();
    const std::vector<ref::tensor> want = ref::run_network(net, input);

    std::vector<std::vector<std::int8_t>> got(N);
    std::vector<std::int8_t> output(static_cast<std::size_t>(Model::output_bytes));
    recorder rec{&got};
    Model::run(input.data.data(), output.data(), rec);

    for (std::size_t i = 1; i < N; ++i) {
        INFO("trial " << trial << ", layer " << i << " (" << net.layers[i].name() << ")");
        REQUIRE_MESSAGE(!want[i].data.empty(), "the reference found a TFLite-undefined case");
        CHECK(htvm::shape{1, want[i].h, want[i].w, want[i].c} == Model::graph.output[i]);
        if (got[i] != want[i].data) {
            for (std::size_t k = 0; k < got[i].size(); ++k)
                if (got[i][k] != want[i].data[k]) {
                    FAIL_CHECK("element " << k << " is " << int{got[i][k]} << ", reference " << int{want[i].data[k]});
                    break;
                }
            return;
        }
    }
    CHECK(output == want[N - 1].data);
}

constexpr int trials = 200;

}  // namespace

TEST_CASE("property: a DIANA residual network runs as the reference does (200 random weight sets)") {
    using model = htvm::model<net_a>;
    ref::rng r(0xA11CE);
    for (int t = 0; t < trials; ++t) {
        fill(r, a::w1), fill(r, a::w2), fill(r, a::w3);
        fill(r, a::b1, 3000), fill(r, a::b2, 1000), fill(r, a::b3, 5000);
        run_and_compare<model>(net_a, r, t);
    }
}

TEST_CASE("property: a TFLite network with add, pools and softmax runs as the reference does") {
    using model = htvm::model<net_b>;
    ref::rng r(0xB0B);
    for (int t = 0; t < trials; ++t) {
        fill(r, b::w1), fill(r, b::w2), fill(r, b::w3);
        fill(r, b::b1, 20000), fill(r, b::b2, 2000), fill(r, b::b3, 3000);
        fill_requant(r, b::m1, b::s1);
        run_and_compare<model>(net_b, r, t);
    }
}

TEST_CASE("property: a mixed network (pointwise, 7x5 depthwise, explicit pads) runs as the reference does") {
    using model = htvm::model<net_c>;
    ref::rng r(0xC0C0);
    for (int t = 0; t < trials; ++t) {
        fill(r, c::w1), fill(r, c::w2), fill(r, c::w3), fill(r, c::w4);
        fill(r, c::b1, 500), fill(r, c::b2, 4000), fill(r, c::b3, 2000), fill(r, c::b4, 300);
        fill_requant(r, c::m3, c::s3);
        run_and_compare<model>(net_c, r, t);
    }
}

TEST_CASE("property: row-wise softmax and an in-place clamp run as the reference does") {
    using model = htvm::model<net_d>;
    ref::rng r(0xD00D);
    for (int t = 0; t < trials; ++t) {
        fill(r, d::w1);
        fill(r, d::b1, 200);
        run_and_compare<model>(net_d, r, t);
    }
}
