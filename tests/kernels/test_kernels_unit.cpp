// The CPU kernels on small hand-computed cases (the arithmetic is worked out in the comments).
#include <doctest/doctest.h>

#include <htvm/kernels/conv2d.hpp>
#include <htvm/kernels/dense.hpp>
#include <htvm/kernels/depthwise_conv2d.hpp>
#include <htvm/kernels/elementwise.hpp>
#include <htvm/kernels/pool.hpp>

#include <cstdint>
#include <vector>

using htvm::hw;
using htvm::shape;
using htvm::cpu::window_geometry;
using bytes = std::vector<std::int8_t>;

namespace {
constexpr std::int32_t half = std::int32_t{1} << 30;
const htvm::requant identity = htvm::shift_requant{.shift = 0};
const bytes nine = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 3x3x1, row major
const bytes ones_2x2 = {1, 1, 1, 1};
}  // namespace

TEST_CASE("conv2d: 2x2 box filter, valid, stride 1") {
    bytes out(4);
    htvm::cpu::conv2d(window_geometry{shape{1, 3, 3, 1}, shape{1, 2, 2, 1}, hw{2, 2}, hw{1, 1}, 0, 0}, nine.data(), ones_2x2.data(),
                      nullptr, identity, out.data());
    CHECK(out == bytes{12, 16, 24, 28});  // 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9

    // Bias 1 and TFLite x0.5: 6.5, 8.5, 12.5, 14.5 round half up in the high multiply -> 7, 9, 13, 15.
    const std::int32_t bias[1] = {1};
    htvm::cpu::conv2d(window_geometry{shape{1, 3, 3, 1}, shape{1, 2, 2, 1}, hw{2, 2}, hw{1, 1}, 0, 0}, nine.data(), ones_2x2.data(),
                      bias, htvm::tflite_requant{.multiplier = half}, out.data());
    CHECK(out == bytes{7, 9, 13, 15});

    // Input zero point 1: every window loses 4 -> 8, 12, 20, 24.
    htvm::cpu::conv2d(window_geometry{shape{1, 3, 3, 1}, shape{1, 2, 2, 1}, hw{2, 2}, hw{1, 1}, 0, 0}, nine.data(), ones_2x2.data(),
                      nullptr, htvm::tflite_requant{.multiplier = half, .shift = 1, .input_zero_point = 1}, out.data());
    CHECK(out == bytes{8, 12, 20, 24});
}

TEST_CASE("conv2d: SAME padding counts as the input zero point") {
    const bytes ones_3x3(9, 1);
    bytes out(9);
    htvm::cpu::conv2d(window_geometry{shape{1, 3, 3, 1}, shape{1, 3, 3, 1}, hw{3, 3}, hw{1, 1}, 1, 1}, nine.data(), ones_3x3.data(),
                      nullptr, identity, out.data());
    // Corner (0,0) sees 1,2,4,5; centre sees all = 45; edge (0,1) sees 1..6 = 21.
    CHECK(out == bytes{12, 21, 16, 27, 45, 33, 24, 39, 28});
    // With zero point 1 the padded cells contribute 0 = (zp - zp): corner = 0+1+3+4 = 8, centre 45-9 = 36.
    htvm::cpu::conv2d(window_geometry{shape{1, 3, 3, 1}, shape{1, 3, 3, 1}, hw{3, 3}, hw{1, 1}, 1, 1}, nine.data(), ones_3x3.data(),
                      nullptr, htvm::tflite_requant{.multiplier = half, .shift = 1, .input_zero_point = 1}, out.data());
    CHECK(out[0] == 8);
    CHECK(out[4] == 36);
}

TEST_CASE("conv2d: channels, OHWI weights, stride 2") {
    // 1x1 conv of one pixel (1, 2) with filters [3, -1] and [0, 2]: 3 - 2 = 1, 0 + 4 = 4.
    const bytes pixel = {1, 2}, weights = {3, -1, 0, 2};
    bytes out(2);
    htvm::cpu::conv2d(window_geometry{shape{1, 1, 1, 2}, shape{1, 1, 1, 2}, hw{1, 1}, hw{1, 1}, 0, 0}, pixel.data(), weights.data(),
                      nullptr, identity, out.data());
    CHECK(out == bytes{1, 4});
    // 1x1 kernel, stride 2 on 3x3: picks the corners 1, 3, 7, 9.
    const bytes one = {1};
    bytes corners(4);
    htvm::cpu::conv2d(window_geometry{shape{1, 3, 3, 1}, shape{1, 2, 2, 1}, hw{1, 1}, hw{2, 2}, 0, 0}, nine.data(), one.data(), nullptr,
                      identity, corners.data());
    CHECK(corners == bytes{1, 3, 7, 9});
    // Saturation: 127 * 127 = 16129 -> 127; -128 * 127 -> -128.
    const bytes big = {127, -128}, w127 = {127};
    bytes sat(2);
    htvm::cpu::conv2d(window_geometry{shape{1, 1, 2, 1}, shape{1, 1, 2, 1}, hw{1, 1}, hw{1, 1}, 0, 0}, big.data(), w127.data(), nullptr,
                      identity, sat.data());
    CHECK(sat == bytes{127, -128});
}

TEST_CASE("depthwise_conv2d: each channel with its own HWC filter") {
    // 2x2x2 input: channel 0 = 1,2,3,4; channel 1 = 10,20,30,40. Filters [ky][kx][c]: channel 0 all 1,
    // channel 1 = 0, 1, 0, -1. Sums: 10 and 20 - 40 = -20; DIANA shift 1 halves them.
    const bytes in = {1, 10, 2, 20, 3, 30, 4, 40};
    const bytes w = {1, 0, 1, 1, 1, 0, 1, -1};
    const std::int32_t bias[2] = {2, -2};
    bytes out(2);
    htvm::cpu::depthwise_conv2d(window_geometry{shape{1, 2, 2, 2}, shape{1, 1, 1, 2}, hw{2, 2}, hw{1, 1}, 0, 0}, in.data(), w.data(),
                                bias, htvm::shift_requant{.shift = 1}, out.data());
    CHECK(out == bytes{6, -11});  // (10 + 2) >> 1, (-20 - 2) >> 1
}

TEST_CASE("dense: weights [units][inputs], bias, input zero point") {
    const bytes x = {1, -2, 3}, w = {1, 1, 1, 2, 0, -1};
    const std::int32_t bias[2] = {10, -10};
    bytes out(2);
    htvm::cpu::dense(3, 2, x.data(), w.data(), bias, identity, out.data());
    CHECK(out == bytes{12, -11});  // 1-2+3+10, 2-3-10
    // Input zero point -1: inputs read 2, -1, 4 -> 5 + 10 = 15, 4 - 4 - 10 = -10 (TFLite x1: 0.5 * 2^1).
    htvm::cpu::dense(3, 2, x.data(), w.data(), bias, htvm::tflite_requant{.multiplier = half, .shift = 1, .input_zero_point = -1},
                     out.data());
    CHECK(out == bytes{15, -10});
}

TEST_CASE("avg_pool and max_pool: TFLite rounding, padding never counted, activation clamp") {
    bytes out(1);
    const window_geometry g2{shape{1, 2, 2, 1}, shape{1, 1, 1, 1}, hw{2, 2}, hw{2, 2}, 0, 0};
    auto avg = [&](bytes in, std::int32_t lo = -128, std::int32_t hi = 127) {
        htvm::cpu::avg_pool(g2, lo, hi, in.data(), out.data());
        return int{out[0]};
    };
    CHECK(avg({1, 2, 3, 5}) == 3);       // 2.75
    CHECK(avg({-1, -2, -3, -5}) == -3);  // -2.75
    CHECK(avg({1, 2, 3, 4}) == 3);       // 2.5: away from zero
    CHECK(avg({-1, -2, -3, -4}) == -3);  // -2.5
    CHECK(avg({1, 1, 1, 2}) == 1);       // 1.25
    CHECK(avg({127, 127, 127, 127}) == 127);
    CHECK(avg({10, 10, 10, 10}, -128, 6) == 6);
    htvm::cpu::max_pool(g2, -128, 127, bytes{-7, 3, 9, -128}.data(), out.data());
    CHECK(out[0] == 9);
    htvm::cpu::max_pool(g2, 0, 5, bytes{-7, 3, 9, -128}.data(), out.data());
    CHECK(out[0] == 5);

    // SAME on 3x3, window 2x2, stride 2: out 2x2, the last row/column windows hang over the edge and
    // average only what is inside: (3+6)/2 = 4.5 -> 5, (7+8)/2 = 7.5 -> 8, 9 alone.
    bytes out4(4);
    const window_geometry same{shape{1, 3, 3, 1}, shape{1, 2, 2, 1}, hw{2, 2}, hw{2, 2}, 0, 0};
    htvm::cpu::avg_pool(same, -128, 127, nine.data(), out4.data());
    CHECK(out4 == bytes{3, 5, 8, 9});  // (1+2+4+5)/4 = 3
    htvm::cpu::max_pool(same, -128, 127, nine.data(), out4.data());
    CHECK(out4 == bytes{5, 6, 8, 9});
}

TEST_CASE("pools: a window entirely in explicit padding gives 0 (average) or -128 (max), then the clamp") {
    // 1x1 input, window 1x1, explicit pads top 2 / left 2: out 3x3, only (2,2) sees the input.
    const window_geometry g{shape{1, 1, 1, 1}, shape{1, 3, 3, 1}, hw{1, 1}, hw{1, 1}, 2, 2};
    const bytes in = {-9};
    bytes out(9);
    htvm::cpu::avg_pool(g, -128, 127, in.data(), out.data());
    CHECK(out == bytes{0, 0, 0, 0, 0, 0, 0, 0, -9});
    htvm::cpu::max_pool(g, -128, 127, in.data(), out.data());
    CHECK(out == bytes{-128, -128, -128, -128, -128, -128, -128, -128, -9});
    htvm::cpu::avg_pool(g, 5, 127, in.data(), out.data());
    CHECK(out == bytes(9, 5));
    // Pads beyond the window on the far side: a 1x1 window at x = 2 of a 1-wide input (pads right 2).
    const window_geometry far{shape{1, 1, 1, 1}, shape{1, 1, 3, 1}, hw{1, 1}, hw{1, 1}, 0, 0};
    bytes row(3);
    htvm::cpu::avg_pool(far, -128, 127, in.data(), row.data());
    CHECK(row == bytes{-9, 0, 0});
}

TEST_CASE("global average pool as a window over the whole plane") {
    const bytes in = {1, -1, 2, -2, 3, -3, 4, -4};  // 2x2x2
    bytes out(2);
    htvm::cpu::avg_pool(window_geometry{shape{1, 2, 2, 2}, shape{1, 1, 1, 2}, hw{2, 2}, hw{1, 1}, 0, 0}, -128, 127, in.data(),
                        out.data());
    CHECK(out == bytes{3, -3});  // 10/4 = 2.5 -> 3, -2.5 -> -3
}

TEST_CASE("add: TFLite arithmetic with left shift 20, and DIANA shift / clip") {
    // (3 - 1) * 2^20 * 0.5 + (5 + 1) * 2^20 * 0.5 = 4 * 2^20; output x 2^-20 (0.5 * 2^-19) = 4; + 2 = 6.
    const htvm::tflite_add_params p{.input1_zero_point = 1, .input2_zero_point = -1, .output_zero_point = 2,
                                    .input1_multiplier = half, .input1_shift = 0, .input2_multiplier = half,
                                    .input2_shift = 0, .output_multiplier = half, .output_shift = -19};
    bytes a = {3, 127, -128}, b = {5, 127, -128}, out(3);
    htvm::cpu::add_tflite(3, p, a.data(), b.data(), out.data());
    // 127: (126 + 128) / 2 + 2 = 129 -> 127 clamped; -128: (-129 - 127) / 2 + 2 = -126.
    CHECK(out == bytes{6, 127, -126});
    htvm::cpu::add_tflite(3, p, a.data(), b.data(), a.data());  // in place
    CHECK(a == bytes{6, 127, -126});

    bytes x = {100, 100, -100, -3, -3}, y = {100, 27, -100, 1, 0}, out5(5);
    htvm::cpu::add_shift(5, htvm::shift_requant{.shift = 1}, x.data(), y.data(), out5.data());
    // 200/2 = 100, 127/2 = 63.5 -> 63 (floor), -200/2 = -100, -2/2 = -1, -3/2 = -1.5 -> -2.
    CHECK(out5 == bytes{100, 63, -100, -1, -2});
    htvm::cpu::add_shift(5, htvm::shift_requant{.shift = 0, .relu = true}, x.data(), y.data(), out5.data());
    CHECK(out5 == bytes{127, 127, 0, 0, 0});
}

TEST_CASE("clip and pad") {
    bytes v = {-128, -5, 0, 5, 127};
    htvm::cpu::clip(5, -4, 6, v.data(), v.data());
    CHECK(v == bytes{-4, -4, 0, 5, 6});
    // 1x1x2 pixel (7, 8), pad top 1, left 1, right 1, value -3: out 2x3x2.
    const bytes px = {7, 8};
    bytes out(12);
    htvm::cpu::pad(shape{1, 1, 1, 2}, 1, 1, shape{1, 2, 3, 2}, -3, px.data(), out.data());
    CHECK(out == bytes{-3, -3, -3, -3, -3, -3, -3, -3, 7, 8, -3, -3});
}
