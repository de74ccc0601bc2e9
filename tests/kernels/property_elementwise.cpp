// Kernel property tests: TFLite add (also with compile-time parameters, and the rescaling tables it
// computes), DIANA add, clip and pad. What they promise, and the helpers they share:
// property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/kernels/elementwise.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

TEST_CASE("property: TFLite add equals the reference (200 random layers)") {
    rng r(0x5EED0006);
    for (int done = 0; done < 200; ++done) {
        const int n = r.between(1, 300);
        tensor a(1, 1, n), b(1, 1, n);
        fill(r, a.data);
        fill(r, b.data);
        ref::add_params p;
        p.zp1 = random_zero_point(r);
        p.zp2 = random_zero_point(r);
        p.out_zp = random_zero_point(r);
        random_activation_range(r, p.act_min, p.act_max);
        if (r.percent(60)) {
            // As TFLite's Prepare derives them from the three scales.
            const double s1 = std::pow(10.0, -3.0 + 3.0 * r.unit()), s2 = std::pow(10.0, -3.0 + 3.0 * r.unit());
            const double so = std::pow(10.0, -3.0 + 3.0 * r.unit());
            const double twice_max = 2 * std::max(s1, s2);
            const ref::q31 q1 = ref::quantize_multiplier(s1 / twice_max), q2 = ref::quantize_multiplier(s2 / twice_max);
            const ref::q31 qo = ref::quantize_multiplier(twice_max / ((1 << 20) * so));
            p = ref::add_params{p.zp1, p.zp2, p.out_zp, 20, q1.multiplier, q2.multiplier, qo.multiplier, q1.shift,
                                q2.shift, qo.shift, p.act_min, p.act_max};
        } else {
            // Extreme multipliers; shifts <= 0 as TFLite's ADD requires; left shift 0..20.
            std::int32_t m = 0, s = 0;
            random_multiplier(r, 0, m, s);
            p.m1 = m, p.s1 = s;
            random_multiplier(r, 0, m, s);
            p.m2 = m, p.s2 = s;
            random_multiplier(r, 0, m, s);
            p.m_out = m, p.s_out = s;
            p.left_shift = r.percent(50) ? 20 : r.between(0, 20);
        }
        const auto want = ref::add_tflite(a, b, p);
        REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
        const htvm::tflite_add_params hp{p.zp1, p.zp2, p.out_zp, p.left_shift, p.m1, p.s1, p.m2, p.s2, p.m_out, p.s_out,
                                         p.act_min, p.act_max};
        // Half of the cases in place over the left input, as the memory plan arranges.
        std::vector<std::int8_t> got = a.data;
        std::vector<std::int8_t> separate(got.size());
        const bool in_place = r.percent(50);
        htvm::cpu::add_tflite(n, hp, got.data(), b.data.data(), in_place ? got.data() : separate.data());
        if (!in_place) got = separate;
        std::ostringstream o;
        o << "add_tflite n " << n << " zp " << p.zp1 << "," << p.zp2 << "," << p.out_zp << " ls " << p.left_shift << " m "
          << p.m1 << "/" << p.s1 << " " << p.m2 << "/" << p.s2 << " " << p.m_out << "/" << p.s_out;
        if (!same_bytes(got, want->data, o.str())) break;
    }
}

namespace {

// add_tflite<P> (compile-time parameters, as cpu_target calls it) on every pair of int8 inputs against
// the reference, having checked that P takes output path `path` (0: narrow, zero point folded;
// 1: narrow, zero point after the shift; 2: the general path).
template <htvm::tflite_add_params P>
void check_compile_time_add(int path) {
    using htvm::cpu::zero_point_add;
    constexpr std::uint64_t bound =
        htvm::cpu::detail::add_tables<P>::input1.magnitude + htvm::cpu::detail::add_tables<P>::input2.magnitude;
    constexpr bool folded = htvm::cpu::detail::add_narrow_is_exact<P, zero_point_add::folded>(bound);
    constexpr bool narrow = htvm::cpu::detail::add_narrow_is_exact<P, zero_point_add::after_shift>(bound);
    CHECK((folded ? 0 : narrow ? 1 : 2) == path);
    tensor a(1, 256, 256), b(1, 256, 256);
    for (int i = 0; i < 256 * 256; ++i) {
        a.data[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(i % 256 - 128);
        b.data[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(i / 256 - 128);
    }
    const auto want = ref::add_tflite(a, b,
                                      ref::add_params{P.input1_zero_point, P.input2_zero_point, P.output_zero_point,
                                                      P.left_shift, P.input1_multiplier, P.input2_multiplier,
                                                      P.output_multiplier, P.input1_shift, P.input2_shift,
                                                      P.output_shift, P.act_min, P.act_max});
    REQUIRE(want.has_value());
    std::vector<std::int8_t> got(a.data.size());
    htvm::cpu::add_tflite<P>(256 * 256, a.data.data(), b.data.data(), got.data());
    CHECK(same_bytes(got, want->data, "add_tflite<P>, output path " + std::to_string(path)));
}

}  // namespace

TEST_CASE("add_tflite with compile-time parameters: each output path equals the reference on all input pairs") {
    constexpr std::int32_t half = 1 << 30;
    // Inputs (x - zp) * 2^20 * 0.5; output * 0.5 * 2^-18 and + 2: zp * 2^18 fits, the zero point folds.
    check_compile_time_add<htvm::tflite_add_params{1, -1, 2, 20, half, 0, half, 0, half, -18, -128, 127}>(0);
    // Right shift 25 with output zero point -100: -100 * 2^25 does not fit, the zero point is added after
    // the shift (outputs about -103 .. -97, rounding at every step).
    check_compile_time_add<htvm::tflite_add_params{5, -7, -100, 20, half, 0, half, -1, INT32_MAX, -25, -128, 127}>(1);
    // An output left shift (no right shift to round in): the general path.
    check_compile_time_add<htvm::tflite_add_params{0, 3, -10, 0, half, 0, half, 0, half, 1, -100, 120}>(2);
}

TEST_CASE("property: the computed ADD rescaling reproduces its full table (3,000 random inputs)") {
    // What add_tflite<P> rescales an input with, one high multiply and a shift (add_computed_lookup),
    // must equal TFLite's per-input arithmetic (add_rescaled_input, two roundings) for all 256 values,
    // for TFLite-like parameters: left shift 20, input multipliers in [2^29, 2^31) (real multipliers
    // up to 1), shifts 0 .. -20, so that both forms of the rounding (e = 0 and e > 0) are covered.
    rng r(0x5EED0010);
    int exact = 0, unshifted = 0;
    for (int done = 0; done < 3000; ++done) {
        const std::int32_t zero_point = random_zero_point(r);
        const std::int32_t multiplier = (1 << 29) + r.between(0, (1 << 30) + ((1 << 30) - 1) - (1 << 29));
        const std::int32_t shift = -r.between(0, 20);
        const htvm::cpu::detail::add_table full = htvm::cpu::detail::make_add_table(zero_point, 20, multiplier, shift);
        const htvm::cpu::detail::add_computed_lookup lookup =
            htvm::cpu::detail::make_add_computed_lookup(zero_point, 20, multiplier, shift);
        if (!htvm::cpu::detail::add_computed_reproduces(lookup, full)) continue;
        ++exact;
        unshifted += shift == 0 ? 1 : 0;
        for (int i = 0; i < 256; ++i) {
            const std::int32_t want =
                htvm::cpu::detail::add_rescaled_input(i - 128, zero_point, 20, multiplier, shift);
            const std::int32_t got = lookup(i - 128);
            REQUIRE_MESSAGE(got == want, "zp " << zero_point << " m " << multiplier << " s " << shift << " x "
                                               << i - 128 << ": computed " << got << ", exact " << want);
        }
    }
    // Every one of these is reproduced (the flash saving applies to real networks).
    CHECK(exact == 3000);
    CHECK(unshifted > 50);
}

TEST_CASE("the computed ADD rescaling rounds ties as TFLite does") {
    // m = 2^30 (0.5), left shift 20: a = d * 2^20, a * m / 2^31 = d * 2^19 has no fraction; shift -20
    // then divides by 2^20, so d = +-1 lands exactly on +-0.5 and d = +-3 on +-1.5: TFLite's
    // RoundingDivideByPOT rounds those half away from zero (1, -1, 2, -2).
    constexpr htvm::cpu::detail::add_computed_lookup lookup =
        htvm::cpu::detail::make_add_computed_lookup(0, 20, 1 << 30, -20);
    static_assert(lookup(1) == 1 && lookup(-1) == -1 && lookup(3) == 2 && lookup(-3) == -2 && lookup(0) == 0);
    // A multiplier of 2^29 + 2^10 and no right shift: a * m / 2^31 = d * 2^18 + d / 2, a tie for every
    // odd d, which SaturatingRoundingDoublingHighMul rounds up (toward +infinity): d = 1 (x = -99)
    // gives 2^18 + 1, d = -1 (x = -101) gives -2^18.
    constexpr std::int32_t m = (1 << 29) + (1 << 10);
    constexpr htvm::cpu::detail::add_table full = htvm::cpu::detail::make_add_table(-100, 20, m, 0);
    constexpr htvm::cpu::detail::add_computed_lookup halves =
        htvm::cpu::detail::make_add_computed_lookup(-100, 20, m, 0);
    static_assert(htvm::cpu::detail::add_computed_reproduces(halves, full));
    static_assert(halves(-99) == (1 << 18) + 1 && halves(-101) == -(1 << 18));
    for (int x = -128; x < 128; ++x) CHECK(halves(x) == htvm::cpu::detail::add_rescaled_input(x, -100, 20, m, 0));
}

namespace {
// A table no computed rescaling can follow: add_lookup then reads the full table.
constexpr htvm::cpu::detail::add_table zigzag_table = [] {
    htvm::cpu::detail::add_table t{};
    for (int i = 0; i < 256; ++i) t.value[i] = (i % 2 == 0 ? 1000 : -1000) * i;
    return t;
}();
constexpr htvm::cpu::detail::add_computed_lookup zigzag_computed =
    htvm::cpu::detail::make_add_computed_lookup(0, 20, 1 << 30, -10);
// A right shift of 31 would need a post shift of 32: not reproduced, whatever the table.
constexpr htvm::cpu::detail::add_computed_lookup too_far =
    htvm::cpu::detail::make_add_computed_lookup(0, 20, 1 << 30, -31);
}  // namespace

TEST_CASE("an ADD rescaling the formula does not reproduce keeps the full table") {
    static_assert(!htvm::cpu::detail::add_computed_reproduces(zigzag_computed, zigzag_table));
    static_assert(
        !htvm::cpu::detail::add_computed_reproduces(too_far, htvm::cpu::detail::make_add_table(0, 20, 1 << 30, -31)));
    const auto lookup = htvm::cpu::detail::add_lookup<zigzag_table, zigzag_computed>();
    static_assert(std::is_same_v<decltype(lookup), const htvm::cpu::detail::add_full_lookup<zigzag_table>>);
    for (int x = -128; x < 128; ++x) CHECK(lookup(x) == zigzag_table.value[x + 128]);
}

TEST_CASE("property: DIANA add equals the reference (150 random layers)") {
    rng r(0x5EED0007);
    for (int done = 0; done < 150; ++done) {
        const int n = r.between(1, 300);
        tensor a(1, 1, n), b(1, 1, n);
        fill(r, a.data);
        fill(r, b.data);
        htvm::shift_requant d{.shift = r.between(0, 31), .relu = r.percent(50)};
        if (r.percent(30)) random_activation_range(r, d.clip_min, d.clip_max);
        if (d.relu && d.clip_max < 0) d.relu = false;  // empty range: see random_requant
        const tensor want = ref::add_diana(a, b, d.shift, d.relu, d.clip_min, d.clip_max);
        std::vector<std::int8_t> got(a.data.size());
        htvm::cpu::add_shift(n, d, a.data.data(), b.data.data(), got.data());
        if (!same_bytes(got, want.data, "add_diana shift " + std::to_string(d.shift))) break;
    }
}

TEST_CASE("property: clip and pad equal the reference (100 + 100 random layers)") {
    rng r(0x5EED0008);
    for (int done = 0; done < 100; ++done) {
        tensor in(1, 1, r.between(1, 500));
        fill(r, in.data);
        const std::int32_t lo = r.between(-128, 127), hi = r.between(lo, 127);
        const tensor want = ref::clip(in, lo, hi);
        std::vector<std::int8_t> got = in.data;  // in place
        htvm::cpu::clip(in.size(), lo, hi, got.data(), got.data());
        if (!same_bytes(got, want.data, "clip [" + std::to_string(lo) + "," + std::to_string(hi) + "]")) break;
    }
    for (int done = 0; done < 100; ++done) {
        const int h = r.between(1, 9), w_ = r.between(1, 9), ch = random_channels(r);
        tensor in(h, w_, ch);
        fill(r, in.data);
        const int top = r.between(0, 3), bottom = r.between(0, 3), left = r.between(0, 3), right = r.between(0, 3);
        const std::int8_t value = r.byte();
        const tensor want = ref::pad(in, top, bottom, left, right, value);
        std::vector<std::int8_t> got(want.data.size());
        htvm::cpu::pad(htvm::shape{1, in.h, in.w, in.c}, top, left, htvm::shape{1, want.h, want.w, want.c}, value,
                       in.data.data(), got.data());
        if (!same_bytes(got, want.data, "pad " + describe_window(in, ref::window{}))) break;
    }
}
