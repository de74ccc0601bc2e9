// Kernel property tests: the scalar requantization arithmetic, the narrow output stage and the
// check that selects it (narrow_everywhere), and quantize_multiplier. What they promise, and the
// helpers they share: property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/cpu_target.hpp>
#include <htvm/quant.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

namespace {
std::int32_t random_int32(rng& r) {
    static constexpr std::int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30), -2, -1, 0, 1, 2, 1 << 30, INT32_MAX - 1,
                                             INT32_MAX};
    const int p = r.between(0, 9);
    if (p == 0) return edges[r.between(0, 10)];
    if (p < 4) return static_cast<std::int32_t>(r.uniform(-(1 << 16), 1 << 16));
    return static_cast<std::int32_t>(r.uniform(INT32_MIN, INT32_MAX));
}
}  // namespace

TEST_CASE("property: requantization arithmetic equals the exact reference on 300000 operand sets") {
    rng r(0x5EED000A);
    int mismatches = 0;
    for (int i = 0; i < 100000 && mismatches < 5; ++i) {
        const std::int32_t a = random_int32(r), b = random_int32(r);
        if (htvm::saturating_rounding_doubling_high_mul(a, b) != ref::doubling_high_mul(a, b)) {
            ++mismatches;
            FAIL_CHECK("saturating_rounding_doubling_high_mul(" << a << ", " << b << ")");
        }
        const int e = r.between(0, 31);
        if (htvm::rounding_divide_by_pot(a, e) != ref::rounding_shift_right(a, e)) {
            ++mismatches;
            FAIL_CHECK("rounding_divide_by_pot(" << a << ", " << e << ")");
        }
        const std::int32_t m = r.percent(80) ? static_cast<std::int32_t>(r.uniform(0, INT32_MAX)) : random_int32(r);
        const int s = r.between(-31, 30);
        const auto want = ref::scale(a, m, s);
        if (want && htvm::multiply_by_quantized_multiplier(a, m, s) != *want) {
            ++mismatches;
            FAIL_CHECK("multiply_by_quantized_multiplier(" << a << ", " << m << ", " << s << ")");
        }
    }
    CHECK(mismatches == 0);
}

namespace {

// narrow_is_exact is what both the run-time check and the compile-time proof (narrow_everywhere)
// rest on: wherever it accepts (multiplier, shift, zero point, bound), apply_narrow of that zero
// point placement must equal the exact requantization for |acc| <= bound, the bound itself included.
// Returns how many random parameter sets it accepted.
template <htvm::cpu::zero_point_add add, class Stage>
int check_narrow_is_exact(std::uint64_t seed) {
    using channel = htvm::cpu::basic_tflite_channel<add>;
    rng r(seed);
    int accepted = 0, mismatches = 0;
    for (int i = 0; i < 20000 && mismatches < 5; ++i) {
        // 6 %: a zero multiplier (pruned channels), accepted whatever the bound.
        const std::int32_t m = r.percent(6) ? 0 : static_cast<std::int32_t>(r.uniform(0, INT32_MAX));
        const int shift = r.between(-31, 4);
        const std::int32_t zp = random_zero_point(r);
        const std::uint64_t bound = r.uniform(0, i64{1} << r.between(1, 31));
        if (!channel::narrow_is_exact(shift > 0 ? shift : 0, shift > 0 ? 0 : -shift, static_cast<std::uint64_t>(m),
                                      zp, bound))
            continue;
        ++accepted;
        htvm::tflite_requant t{.output_zero_point = zp, .act_min = -128, .act_max = 127};
        t.multiplier = m;
        t.shift = shift;
        const htvm::requant rq = t;
        const channel ch = Stage(t).at(0);
        const i64 b = static_cast<i64>(bound);
        for (const i64 acc : {b, -b, b - 1, -b + 1, i64{0}, static_cast<i64>(r.uniform(0, 2 * b)) - b}) {
            if (acc < -b || acc > b) continue;
            const std::int8_t want = rq.apply(static_cast<std::int32_t>(acc), 0);
            const std::int8_t got = ch.apply_narrow(static_cast<std::uint32_t>(static_cast<std::int32_t>(acc)));
            if (got != want) {
                ++mismatches;
                FAIL_CHECK("apply_narrow(" << acc << "), multiplier " << m << " shift " << shift << " zp " << zp
                                           << " bound " << bound << ": " << int{got} << ", exact " << int{want});
            }
        }
    }
    CHECK(mismatches == 0);
    return accepted;
}

}  // namespace

TEST_CASE("property: the narrow output stage is exact for every accumulator within a bound it accepts") {
    using htvm::cpu::zero_point_add;
    const int after_shift =
        check_narrow_is_exact<zero_point_add::after_shift, htvm::cpu::tflite_narrow_output>(0x5EED000D);
    const int folded =
        check_narrow_is_exact<zero_point_add::folded, htvm::cpu::tflite_narrow_folded_output>(0x5EED000D);
    // The generator reaches the accepted regions often enough to mean something; folding the zero
    // point accepts less (zp * 2^e must fit as well).
    CHECK(folded > 2000);
    CHECK(after_shift > folded);
}

TEST_CASE("narrow_everywhere: rejects what the narrow stage cannot do exactly") {
    const std::vector<std::int32_t> small_bias{100, -100};
    htvm::tflite_requant t{.output_zero_point = 3, .act_min = -128, .act_max = 127};
    t.multiplier = 1 << 30;
    t.shift = -8;
    CHECK(narrow_check(layer_for_narrow_check(small_bias, t), 2, 8));
    // With this bias |acc| may pass 2^31: the wide stage is needed.
    const std::vector<std::int32_t> huge_bias{100, 2147400000};
    CHECK_FALSE(narrow_check(layer_for_narrow_check(huge_bias, t), 2, 8));
    // Only the first channel counts when the layer has one: the second one is not read.
    CHECK(narrow_check(layer_for_narrow_check(huge_bias, t), 1, 8));
    // Shift 0 (no right shift): (x - [x < 0]) >> 0 is not x, the narrow formula does not apply...
    htvm::tflite_requant unshifted = t;
    unshifted.shift = 0;
    CHECK_FALSE(narrow_check(layer_for_narrow_check(small_bias, unshifted), 2, 8));
    // ... unless the multiplier is 0 (a pruned channel: x = 0 whatever the accumulator).
    htvm::tflite_requant pruned = unshifted;
    pruned.multiplier = 0;
    CHECK(narrow_check(layer_for_narrow_check(huge_bias, pruned), 2, 8));
    // The zero point folds into the rounding add only while zp * 2^e fits as well: MobileNet's pruned
    // channels (bias 2^30, right shift 27, zero point -128) take the narrow path, unfolded.
    const std::vector<std::int32_t> pruned_bias{1 << 30, -(1 << 30)};
    htvm::tflite_requant large_shift = t;
    large_shift.output_zero_point = -128;
    large_shift.multiplier = 1121110181;
    large_shift.shift = -27;
    const narrow_case pruned_layer = layer_for_narrow_check(pruned_bias, large_shift);
    CHECK(narrow_check(pruned_layer, 2, 8, htvm::cpu::zero_point_add::after_shift));
    CHECK_FALSE(narrow_check(pruned_layer, 2, 8, htvm::cpu::zero_point_add::folded));
    CHECK(narrow_check(layer_for_narrow_check(small_bias, t), 2, 8, htvm::cpu::zero_point_add::folded));
    // A negative multiplier goes through the exact path.
    const std::vector<std::int32_t> multipliers{1 << 30, -5}, shifts{-8, -8};
    htvm::tflite_requant per_channel = t;
    per_channel.multipliers = multipliers.data();
    per_channel.shifts = shifts.data();
    CHECK_FALSE(narrow_check(layer_for_narrow_check(small_bias, per_channel), 2, 8));
    // DIANA's requantization has no narrow stage to prove.
    CHECK_FALSE(narrow_check(
        layer_for_narrow_check(small_bias, htvm::shift_requant{.shift = 4, .clip_max = 127}), 2, 8));
}

TEST_CASE("property: quantize_multiplier equals TFLite's frexp/round formulation on 20000 reals") {
    rng r(0x5EED000B);
    int mismatches = 0;
    for (int i = 0; i < 20000 && mismatches < 5; ++i) {
        double real = 0;
        const int kind = r.between(0, 3);
        const double u = r.unit();
        const auto q31 = static_cast<double>(r.uniform(1 << 30, INT32_MAX));
        const int e = r.between(-45, 40);
        if (kind == 0) real = std::ldexp(0.5 + 0.5 * u, e);                        // any magnitude
        if (kind == 1) real = std::ldexp(1.0 - std::ldexp(u, -31), e / 2 - 15);    // rounds up to 2^31
        if (kind == 2) real = std::ldexp(q31 + 0.5, -31 + e / 2 - 8);              // ties in the rounding
        if (kind == 3) real = static_cast<double>(static_cast<float>(std::pow(10.0, -13.0 + 14.0 * r.unit())));  // float scales
        const htvm::quantized_multiplier got = htvm::quantize_multiplier(real);
        const ref::q31 want = ref::quantize_multiplier(real);
        if (got.multiplier != want.multiplier || got.shift != want.shift) {
            ++mismatches;
            FAIL_CHECK("quantize_multiplier(" << real << "): " << got.multiplier << "/" << got.shift << " vs "
                                              << want.multiplier << "/" << want.shift);
        }
    }
    CHECK(mismatches == 0);
}
