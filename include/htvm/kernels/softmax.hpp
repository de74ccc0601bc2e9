// int8 softmax over the last axis, bit-exact with TFLite's reference integer softmax
// (reference_ops::Softmax<int8_t, int8_t>, which TFLite Micro runs): gemmlowp fixed point, the
// scaled input difference in Q5.26, exponentials summed in Q12.19, 1/sum by Newton-Raphson, output
// scale 1/256 and zero point -128.
//
// Everything here is constexpr and allocation-free: the kernel runs in constant evaluation too (tests
// static_assert on it), and `tflite_softmax_params_for` lets an importer or a constexpr network
// compute the parameters exactly as TFLite's Prepare does.
#pragma once
#include <cstdint>

#include "../quant.hpp"

namespace htvm {

// TFLite's int8 SOFTMAX (output scale 1/256, zero point -128).
struct tflite_softmax_params {
    std::int32_t input_multiplier = 0;
    std::int32_t input_left_shift = 0;
    std::int32_t diff_min = 0;
};


// gemmlowp's scalar int32 fixed-point primitives on raw values. A value in "Qm" has m integer bits
// and 31 - m fraction bits; products of Qa and Qb values are Q(a+b) (saturating_rounding_doubling_high_mul).
namespace fixed_point {

// SaturatingRoundingMultiplyByPOT with a positive exponent: a left shift that saturates.
template <int exponent>
constexpr std::int32_t saturating_shift_left(std::int32_t x) {
    static_assert(exponent > 0 && exponent < 31, "htvm: shift must be in 1..30");
    constexpr std::int32_t threshold = (std::int32_t{1} << (31 - exponent)) - 1;
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(x) << exponent);
}

// (a + b) / 2 rounded half away from zero, without overflow (gemmlowp's RoundingHalfSum).
constexpr std::int32_t rounding_half_sum(std::int32_t a, std::int32_t b) {
    const std::int64_t sum = std::int64_t{a} + b;
    return static_cast<std::int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// Out of line: softmax runs once per row of a few values, and each inlined copy of this 64-bit
// multiply with saturation is about 40 bytes of RV32 code (some twenty of them per softmax).
[[gnu::noinline]] constexpr std::int32_t mul(std::int32_t a, std::int32_t b) {
    return saturating_rounding_doubling_high_mul(a, b);
}

// exp(a) for a in [-1/4, 0), Q0 in and out: 4th-order Taylor expansion around -1/8.
constexpr std::int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(std::int32_t a) {
    constexpr std::int32_t exp_minus_one_eighth = 1895147668;  // exp(-1/8) in Q0
    constexpr std::int32_t one_third = 715827883;              // 1/3 in Q0
    const std::int32_t x = a + (std::int32_t{1} << 28);         // a + 1/8
    const std::int32_t x2 = mul(x, x);
    const std::int32_t x3 = mul(x2, x);
    const std::int32_t x4 = mul(x2, x2);
    const std::int32_t x4_over_4 = rounding_divide_by_pot(x4, 2);
    const std::int32_t x4_over_24_plus_x3_over_6_plus_x2_over_2 =
        rounding_divide_by_pot(mul(x4_over_4 + x3, one_third) + x2, 1);
    return exp_minus_one_eighth + mul(exp_minus_one_eighth, x + x4_over_24_plus_x3_over_6_plus_x2_over_2);
}

// exp(a) for a <= 0 given in Q5 (the softmax's scaled difference), result in Q0. The fractional
// part modulo 1/4 goes through the polynomial; each higher bit of -a multiplies by exp(-2^k).
constexpr std::int32_t exp_on_negative_values_q5(std::int32_t a) {
    constexpr int fractional_bits = 26;
    constexpr std::int32_t one_quarter = std::int32_t{1} << (fractional_bits - 2);
    const std::int32_t a_mod_quarter_minus_one_quarter = (a & (one_quarter - 1)) - one_quarter;
    std::int32_t result =
        exp_on_interval_between_negative_one_quarter_and_0_excl(saturating_shift_left<5>(a_mod_quarter_minus_one_quarter));
    const std::int32_t remainder = a_mod_quarter_minus_one_quarter - a;
    // exp(-2^k) in Q0 for k = -2 .. 4 (bit 24 + 2 + k of the Q5 remainder).
    constexpr std::int32_t exp_of_minus_power_of_two[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                           39332535,   720401,     242};
    for (int k = 0; k < 7; ++k)
        if ((remainder & (std::int32_t{1} << (fractional_bits - 2 + k))) != 0)
            result = mul(result, exp_of_minus_power_of_two[k]);
    return a == 0 ? INT32_MAX : result;  // exp(0) = 1, the largest Q0 value
}

// 1 / (1 + a) for a in [0, 1), Q0 in and out: three Newton-Raphson steps in Q2 from 48/17 - 32/17 * d.
constexpr std::int32_t one_over_one_plus_x_for_x_in_0_1(std::int32_t a) {
    const std::int32_t half_denominator = rounding_half_sum(a, INT32_MAX);  // (1 + a) / 2, Q0
    constexpr std::int32_t forty_eight_over_seventeen = 1515870810;        // Q2
    constexpr std::int32_t minus_thirty_two_over_seventeen = -1010580540;  // Q2
    constexpr std::int32_t one_q2 = std::int32_t{1} << 29;
    std::int32_t x = forty_eight_over_seventeen + mul(half_denominator, minus_thirty_two_over_seventeen);
    for (int step = 0; step < 3; ++step) {
        const std::int32_t one_minus_half_denominator_times_x = one_q2 - mul(half_denominator, x);
        x = x + saturating_shift_left<2>(mul(x, one_minus_half_denominator_times_x));  // Q4 -> Q2
    }
    return saturating_shift_left<1>(x);  // x / 2 read as Q1, rescaled to Q0
}

// TFLite's GetReciprocal: 1/x for a positive x in Q(integer_bits), as a Q0 scale in [1/2, 1) and
// the number of bits the reciprocal is to be shifted right by.
struct reciprocal {
    std::int32_t scale = 0;
    int bits_over_unit = 0;
};
// std::countl_zero, by shifting: RV32IMC has no count-leading-zeros instruction, and libgcc's
// __clzsi2 brings a 256-byte table for a value computed once per softmax row.
constexpr int leading_zeros(std::uint32_t x) {
    if (x == 0) return 32;
    int n = 0;
    for (; (x & 0x80000000u) == 0; x <<= 1) ++n;
    return n;
}

constexpr reciprocal get_reciprocal(std::int32_t x, int integer_bits) {
    const int headroom_plus_one = leading_zeros(static_cast<std::uint32_t>(x));
    // x normalised to [1, 2), minus one, in Q0 (the unsigned subtraction wraps on purpose).
    const auto shifted_minus_one = static_cast<std::int32_t>((static_cast<std::uint32_t>(x) << headroom_plus_one) -
                                                             (std::uint32_t{1} << 31));
    return {one_over_one_plus_x_for_x_in_0_1(shifted_minus_one), integer_bits - headroom_plus_one};
}

}  // namespace fixed_point

// TFLite's softmax Prepare for int8 (PreprocessSoftmaxScaling + CalculateInputRadius with 5 integer
// bits, double arithmetic, TFLite's default double-rounding build). `beta` and `input_scale` are the
// model's float32 values widened to double. TFLite rejects a model where beta * input_scale * 2^26
// is not above 1 (see tflite_softmax_params_supported); this then returns all-zero parameters.
constexpr bool tflite_softmax_params_supported(double beta, double input_scale) {
    return beta * input_scale * static_cast<double>(1 << 26) > 1.0;
}

constexpr tflite_softmax_params tflite_softmax_params_for(double beta, double input_scale) {
    constexpr int scaled_diff_integer_bits = 5;
    constexpr double max_real_multiplier = static_cast<double>((std::int64_t{1} << 31) - 1);
    if (!tflite_softmax_params_supported(beta, input_scale)) return {};
    const double real = beta * input_scale * static_cast<double>(1 << (31 - scaled_diff_integer_bits));
    const quantized_multiplier q = quantize_multiplier(real < max_real_multiplier ? real : max_real_multiplier);
    // Largest |difference| whose shifted value still fits in int32 before the multiply; positive, so
    // the conversion is TFLite's floor.
    const double max_input_rescaled = 1.0 * ((1 << scaled_diff_integer_bits) - 1) *
                                      static_cast<double>(std::int64_t{1} << (31 - scaled_diff_integer_bits)) /
                                      static_cast<double>(std::int64_t{1} << q.shift);
    return {q.multiplier, q.shift, -static_cast<std::int32_t>(max_input_rescaled)};
}

namespace cpu {

// `rows` rows of `depth` int8 values, depth at most 4095 (the Q12 sum of exps must fit int32);
// `params` as from tflite_softmax_params_for (left shift 0..31).
// Safe in place: element c of a row is written only after every read of it.
// Cold: a network runs it once, on a few values, so GCC optimizes it for size (about 0.3 kB less RV32
// code for a few hundred instructions more per inference).
[[gnu::cold]] constexpr void softmax(int rows, int depth, const tflite_softmax_params& params,
                                     const std::int8_t* input, std::int8_t* output) {
    constexpr int accumulation_integer_bits = 12;
    // MultiplyByQuantizedMultiplierGreaterThanOne: diff_min keeps diff * 2^left_shift within int32.
    auto scaled_difference = [&params](std::int32_t diff) {  // Q5
        const auto shifted = static_cast<std::int32_t>(static_cast<std::uint32_t>(diff) << params.input_left_shift);
        return saturating_rounding_doubling_high_mul(shifted, params.input_multiplier);
    };
    for (int r = 0; r < rows; ++r) {
        const std::int8_t* in = input + r * depth;
        std::int8_t* out = output + r * depth;
        std::int32_t max_in_row = -128;
        for (int c = 0; c < depth; ++c) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;

        std::uint32_t sum_of_exps = 0;  // Q12; unsigned so that an over-long row wraps instead of being UB
        for (int c = 0; c < depth; ++c) {
            const std::int32_t diff = in[c] - max_in_row;
            if (diff >= params.diff_min) {
                const std::int32_t e = fixed_point::exp_on_negative_values_q5(scaled_difference(diff));
                // Q0 -> Q12: Rescale, a rounding right shift by the added integer bits.
                sum_of_exps += static_cast<std::uint32_t>(rounding_divide_by_pot(e, accumulation_integer_bits));
            }
        }
        const fixed_point::reciprocal inverse =
            fixed_point::get_reciprocal(static_cast<std::int32_t>(sum_of_exps), accumulation_integer_bits);
        // To the output scale 1/256. TFLite stops (TFLITE_CHECK) when this exceeds 31, i.e. when the
        // sum of exps reaches 512 (rows of 512+ near-equal values); every probability is then below
        // 1/512 and rounds to 0, which is what this kernel returns instead of shifting out of range.
        const int exponent = inverse.bits_over_unit + 31 - 8;

        for (int c = 0; c < depth; ++c) {
            const std::int32_t diff = in[c] - max_in_row;
            std::int32_t result = -128;
            if (diff >= params.diff_min) {
                const std::int32_t e = fixed_point::exp_on_negative_values_q5(scaled_difference(diff));
                const std::int32_t unsaturated =
                    exponent > 31 ? 0
                                  : rounding_divide_by_pot(saturating_rounding_doubling_high_mul(inverse.scale, e), exponent);
                result = clamp(unsaturated - 128, -128, 127);
            }
            out[c] = static_cast<std::int8_t>(result);
        }
    }
}

}  // namespace cpu
}  // namespace htvm
