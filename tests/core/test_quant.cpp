// quant.hpp on hand-computed cases. Each expected value is worked out in the comment next to it from
// the definitions (gemmlowp / TFLite), not taken from the code under test.
#include <doctest/doctest.h>

#include <htvm/kernels/requantize.hpp>
#include <htvm/quant.hpp>

#include <cstdint>

using htvm::multiply_by_quantized_multiplier;
using htvm::quantize_multiplier;
using htvm::rounding_divide_by_pot;
using htvm::saturating_rounding_doubling_high_mul;

namespace {
constexpr std::int32_t half = std::int32_t{1} << 30;  // 0.5 in Q31
}

TEST_CASE("saturating_rounding_doubling_high_mul: a*b / 2^31, ties toward +infinity, one saturating case") {
    CHECK(saturating_rounding_doubling_high_mul(half, half) == (1 << 29));  // 2^60 / 2^31
    CHECK(saturating_rounding_doubling_high_mul(100, half) == 50);
    CHECK(saturating_rounding_doubling_high_mul(-100, half) == -50);
    CHECK(saturating_rounding_doubling_high_mul(0, INT32_MAX) == 0);
    // Ties: 1 * 2^30 / 2^31 = 0.5 -> 1; -0.5 -> 0; 1.5 -> 2; -1.5 -> -1 (toward +infinity, not away from 0).
    CHECK(saturating_rounding_doubling_high_mul(1, half) == 1);
    CHECK(saturating_rounding_doubling_high_mul(-1, half) == 0);
    CHECK(saturating_rounding_doubling_high_mul(3, half) == 2);
    CHECK(saturating_rounding_doubling_high_mul(-3, half) == -1);
    CHECK(saturating_rounding_doubling_high_mul(1, half - 1) == 0);  // just under one half
    // (2^31 - 1)^2 / 2^31 = 2^31 - 2 + 2^-31 -> 2^31 - 2.
    CHECK(saturating_rounding_doubling_high_mul(INT32_MAX, INT32_MAX) == INT32_MAX - 1);
    // -2^31 * (2^31 - 1) / 2^31 = -(2^31 - 1) exactly.
    CHECK(saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MAX) == -INT32_MAX);
    CHECK(saturating_rounding_doubling_high_mul(INT32_MIN, 1) == -1);
    // The only overflow: (-1) * (-1) = +1 is not representable in Q31: saturates.
    CHECK(saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MIN) == INT32_MAX);
    static_assert(saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MIN) == INT32_MAX, "usable in constexpr");
}

TEST_CASE("rounding_divide_by_pot: x / 2^e, ties away from zero") {
    CHECK(rounding_divide_by_pot(37, 0) == 37);
    CHECK(rounding_divide_by_pot(-37, 0) == -37);
    CHECK(rounding_divide_by_pot(5, 1) == 3);    // 2.5
    CHECK(rounding_divide_by_pot(-5, 1) == -3);  // -2.5
    CHECK(rounding_divide_by_pot(6, 2) == 2);    // 1.5
    CHECK(rounding_divide_by_pot(-6, 2) == -2);  // -1.5
    CHECK(rounding_divide_by_pot(5, 2) == 1);    // 1.25
    CHECK(rounding_divide_by_pot(-5, 2) == -1);  // -1.25
    CHECK(rounding_divide_by_pot(7, 2) == 2);    // 1.75
    CHECK(rounding_divide_by_pot(-7, 2) == -2);  // -1.75
    CHECK(rounding_divide_by_pot(INT32_MAX, 31) == 1);  // 1 - 2^-31
    CHECK(rounding_divide_by_pot(INT32_MIN, 31) == -1);  // exactly -1
    CHECK(rounding_divide_by_pot(half, 31) == 1);        // 0.5
    CHECK(rounding_divide_by_pot(-half, 31) == -1);      // -0.5
    CHECK(rounding_divide_by_pot(half - 1, 31) == 0);
    CHECK(rounding_divide_by_pot(INT32_MIN, 1) == -(1 << 30));
}

TEST_CASE("multiply_by_quantized_multiplier: left shift, high multiply, rounding right shift") {
    CHECK(multiply_by_quantized_multiplier(100, half, 0) == 50);     // 100 * 0.5
    CHECK(multiply_by_quantized_multiplier(100, half, -1) == 25);    // 100 * 0.25
    CHECK(multiply_by_quantized_multiplier(-100, half, -3) == -6);   // -50 / 8 = -6.25
    CHECK(multiply_by_quantized_multiplier(3, half, 2) == 6);        // (3 << 2) * 0.5
    CHECK(multiply_by_quantized_multiplier(12345, 0, 0) == 0);       // flushed channel
    CHECK(multiply_by_quantized_multiplier(12345, 0, -31) == 0);
    // Double rounding, as TFLite does it: 101 * 0.5 = 50.5 -> 51, then 51 / 2 = 25.5 -> 26 (exact 25.25).
    CHECK(multiply_by_quantized_multiplier(101, half, -1) == 26);
    // INT32_MIN edges: -2^31 * (1 - 2^-31) = -(2^31 - 1); -2^31 * 0.5 = -2^30; then / 2^31 = -0.5 -> -1.
    CHECK(multiply_by_quantized_multiplier(INT32_MIN, INT32_MAX, 0) == -INT32_MAX);
    CHECK(multiply_by_quantized_multiplier(INT32_MIN, half, 0) == -(1 << 30));
    CHECK(multiply_by_quantized_multiplier(INT32_MIN, half, -31) == -1);
    CHECK(multiply_by_quantized_multiplier(INT32_MIN, INT32_MIN, 0) == INT32_MAX);  // the saturating product
    CHECK(multiply_by_quantized_multiplier(INT32_MAX, INT32_MAX, -31) == 1);        // (2^31 - 2) / 2^31
}

TEST_CASE("quantize_multiplier: TFLite's frexp / round / 2^31 fix / flush to (0, 0)") {
    auto check = [](double real, std::int32_t multiplier, std::int32_t shift) {
        INFO("real = " << real);
        const htvm::quantized_multiplier q = quantize_multiplier(real);
        CHECK(q.multiplier == multiplier);
        CHECK(q.shift == shift);
    };
    check(0.0, 0, 0);
    check(0.5, 1 << 30, 0);            // 0.5 * 2^0
    check(1.0, 1 << 30, 1);            // 0.5 * 2^1
    check(0.75, 1610612736, 0);        // 0.75 * 2^31
    check(0.1, 1717986918, -3);        // 0.8 * 2^-3, 0.8 * 2^31 = 1717986918.4
    check(3.0, 1610612736, 2);         // 0.75 * 2^2
    // q * 2^31 = 2^31 - 1/4 rounds to 2^31: halved, shift + 1.
    check(1.0 - 1.0 / 8589934592.0, 1 << 30, 1);
    check((1.0 - 1.0 / 8589934592.0) / 1024.0, 1 << 30, -9);
    // Tiny scales (vww_96_int8 has per-channel scales near 1e-11): 1e-11 = 0.687 * 2^-36 -> (0, 0).
    check(1e-11, 0, 0);
    check(2.3e-11, 0, 0);
    check(1.0 / 8589934592.0, 0, 0);         // 2^-33 = 0.5 * 2^-32
    check(1.0 / 4294967296.0, 1 << 30, -31);  // 2^-32 = 0.5 * 2^-31: the smallest kept
    static_assert(quantize_multiplier(0.5).multiplier == (1 << 30), "usable in constexpr");
}

TEST_CASE("requant::apply: DIANA shift / relu / clip and TFLite per-tensor / per-channel") {
    const htvm::requant d = htvm::shift_requant{.shift = 3};
    CHECK(d.apply(1000, 0) == 125);   // 1000 >> 3
    CHECK(d.apply(1100, 0) == 127);   // 137 clamps
    CHECK(d.apply(-5000, 0) == -128);  // -625 clamps
    CHECK(d.apply(-9, 0) == -2);       // floor(-1.125): arithmetic shift, no rounding
    const htvm::requant relu = htvm::shift_requant{.shift = 1, .relu = true};
    CHECK(relu.apply(-5, 0) == 0);
    CHECK(relu.apply(5, 0) == 2);
    const htvm::requant relu_clip = htvm::shift_requant{.shift = 0, .relu = true, .clip_min = 10, .clip_max = 20};
    CHECK(relu_clip.apply(-5, 0) == 10);  // relu never lowers a positive floor
    CHECK(relu_clip.apply(50, 0) == 20);
    CHECK(relu.input_zero_point() == 0);

    const htvm::requant t = htvm::tflite_requant{.multiplier = half, .shift = -1, .input_zero_point = 7,
                                                 .output_zero_point = -3, .act_min = -10, .act_max = 100};
    CHECK(t.input_zero_point() == 7);
    CHECK(t.apply(100, 0) == 22);     // 100 / 4 - 3
    CHECK(t.apply(-100, 5) == -10);   // -25 - 3 = -28, clamped to act_min
    CHECK(t.apply(1000, 0) == 100);   // 247 clamped to act_max

    static const std::int32_t multipliers[2] = {half, half};
    static const std::int32_t shifts[2] = {0, -1};
    const htvm::requant pc = htvm::tflite_requant{.multipliers = multipliers, .shifts = shifts, .output_zero_point = 3};
    CHECK(pc.apply(100, 0) == 53);  // 100 * 0.5 + 3
    CHECK(pc.apply(100, 1) == 28);  // 100 * 0.25 + 3
}

TEST_CASE("TFLite requantization is defined for every int32 accumulator: the zero point's addition wraps") {
    // acc = -(2^31 - 1), multiplier 2^31 - 1 (about 1.0), shift 0: the high multiply gives
    // (-(2^31 - 1)^2 + 1 - 2^30) / 2^31 = -2^31 + 1.5, truncated to -2147483646; adding the zero point
    // -14 gives -2147483660, which wraps to -2147483660 + 2^32 = 2147483636 and clamps to 127.
    // On the positive side: (2^31 - 1)^2 / 2^31 -> 2147483646, + 14 wraps to -2147483636, clamps to -128.
    constexpr htvm::tflite_requant low{.multiplier = INT32_MAX, .shift = 0, .output_zero_point = -14};
    constexpr htvm::tflite_requant high{.multiplier = INT32_MAX, .shift = 0, .output_zero_point = 14};
    // Constant evaluation rejects undefined behaviour: these would not compile if the add overflowed.
    static_assert(low.apply(-INT32_MAX, 0) == 127);
    static_assert(high.apply(INT32_MAX, 0) == -128);
    static_assert(low.apply(100, 0) == 86);  // an ordinary value: 100 * (1 - 2^-31) rounds to 100, + (-14)
    // The kernels' output stage (one channel's precomputed parameters) gives the same values.
    const htvm::cpu::tflite_output low_stage{low}, high_stage{high};
    CHECK(low_stage.at(0).apply(static_cast<std::uint32_t>(-INT32_MAX)) == 127);
    CHECK(high_stage.at(0).apply(static_cast<std::uint32_t>(INT32_MAX)) == -128);
}
