// Reference int8 softmax (TFLite's integer softmax, output scale 1/256, zero point -128) for the
// tests, written against the published algorithm with its own small fixed-point type on top of
// arith.hpp, independently of include/htvm/kernels/softmax.hpp. Also the parameter computation, done
// with the C library's frexp / round / floor as TFLite's Prepare does.
#pragma once
#include <cmath>
#include <cstdint>

#include "arith.hpp"
#include "layers.hpp"

namespace ref {

// A fixed-point number with `integer_bits` integer bits and 31 - integer_bits fraction bits in an
// int32 raw value (held in an i64 so that range violations can be asserted, not wrapped).
template <int integer_bits>
struct fixed {
    static constexpr int fraction_bits = 31 - integer_bits;
    i64 raw = 0;

    static fixed from_raw(i64 r) {
        require(r >= INT32_MIN && r <= INT32_MAX, "fixed-point value outside int32");
        return fixed{r};
    }
    static fixed one() { return from_raw(integer_bits == 0 ? INT32_MAX : (i64{1} << fraction_bits)); }
    static fixed power_of_two(int e) { return from_raw(i64{1} << (fraction_bits + e)); }

    fixed operator+(fixed o) const { return from_raw(raw + o.raw); }
    fixed operator-(fixed o) const { return from_raw(raw - o.raw); }

    // Same value, `to` integer bits: multiply the raw value by 2^(integer_bits - to), rounding
    // (ties away from zero) when that divides and saturating when it multiplies.
    template <int to>
    fixed<to> rescale() const {
        constexpr int e = integer_bits - to;
        if constexpr (e < 0) {
            return fixed<to>::from_raw(rounding_shift_right(static_cast<std::int32_t>(raw), -e));
        } else {
            const i64 v = raw * (i64{1} << e);
            return fixed<to>::from_raw(clamp64(v, INT32_MIN, INT32_MAX));
        }
    }
};

// Product of fixed-point numbers: integer bits add up; the raw value is the doubling high multiply.
template <int a, int b>
fixed<a + b> operator*(fixed<a> x, fixed<b> y) {
    return fixed<a + b>::from_raw(doubling_high_mul(static_cast<std::int32_t>(x.raw), static_cast<std::int32_t>(y.raw)));
}

// exp(a) for a in [-1/4, 0): exp(-1/8) * (1 + t + t^2/2 + t^3/6 + t^4/24) with t = a + 1/8, evaluated
// as exp(-1/8) + exp(-1/8) * (t + ((t^4/4 + t^3) / 3 + t^2) / 2), all in Q0.
inline fixed<0> exp_quarter(fixed<0> a) {
    const fixed<0> e_minus_eighth = fixed<0>::from_raw(1895147668);
    const fixed<0> third = fixed<0>::from_raw(715827883);
    const fixed<0> t = a + fixed<0>::power_of_two(-3);
    const fixed<0> t2 = t * t, t3 = t2 * t, t4 = t2 * t2;
    const fixed<0> t4_over_4 = fixed<0>::from_raw(rounding_shift_right(static_cast<std::int32_t>(t4.raw), 2));
    const fixed<0> inner = (t4_over_4 + t3) * third + t2;
    const fixed<0> series = fixed<0>::from_raw(rounding_shift_right(static_cast<std::int32_t>(inner.raw), 1));
    return e_minus_eighth + e_minus_eighth * (t + series);
}

// exp(a) for a <= 0 in Q5: write a = r - n/4 with r in [-1/4, 0) and n >= 0, then
// exp(a) = exp(r) * prod over the bits 2^k of n/4 (k = -2..4) of exp(-2^k).
inline fixed<0> exp_negative(fixed<5> a) {
    require(a.raw <= 0, "exp of a positive value");
    if (a.raw == 0) return fixed<0>::one();
    constexpr i64 quarter = i64{1} << 24;  // 1/4 in Q5
    // r = ((a mod 1/4) - 1/4), the mod taken on the two's complement raw value (always in [0, 1/4)).
    const i64 a_mod_quarter = ((a.raw % quarter) + quarter) % quarter;
    const fixed<5> r = fixed<5>::from_raw(a_mod_quarter - quarter);
    fixed<0> result = exp_quarter(r.rescale<0>());
    const i64 n = r.raw - a.raw;  // a multiple of 1/4, >= 0
    const std::int32_t e_minus_pow2[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    for (int k = -2; k <= 4; ++k)
        if ((n >> (26 + k)) & 1) result = result * fixed<0>::from_raw(e_minus_pow2[k + 2]);
    return result;
}

// 1 / (1 + x) for x in [0, 1): Newton-Raphson on d = (1 + x) / 2, from 48/17 - 32/17 d, three steps
// of y += y (1 - d y), in Q2; the result 1 / (1 + x) = y / 2.
inline fixed<0> one_over_one_plus(fixed<0> x) {
    const i64 sum = x.raw + i64{INT32_MAX};  // (x + 1) / 2, rounded half away from zero
    const fixed<0> d = fixed<0>::from_raw((sum + (sum >= 0 ? 1 : -1)) / 2);
    fixed<2> y = fixed<2>::from_raw(1515870810) + d * fixed<2>::from_raw(-1010580540);
    for (int step = 0; step < 3; ++step) y = y + (y * (fixed<2>::one() - d * y)).template rescale<2>();
    return fixed<1>::from_raw(y.raw).rescale<0>();  // y / 2: the same raw value read with 1 integer bit
}

struct softmax_params {
    std::int32_t multiplier = 0;
    int left_shift = 0;
    std::int32_t diff_min = 0;
};

inline tensor softmax(const tensor& in, const softmax_params& p) {
    tensor out = in;
    const int depth = in.c, rows = in.size() / in.c;
    auto exp_of = [&](i64 diff) {
        // diff * 2^left_shift * multiplier / 2^31, in Q5 (diff_min keeps the shifted value in int32).
        const i64 shifted = diff * (i64{1} << p.left_shift);
        require(shifted >= INT32_MIN && shifted <= INT32_MAX, "softmax difference overflows before the multiply");
        return exp_negative(fixed<5>::from_raw(doubling_high_mul(static_cast<std::int32_t>(shifted), p.multiplier)));
    };
    for (int r = 0; r < rows; ++r) {
        const std::int8_t* row = in.data.data() + r * depth;
        i64 max = -128;
        for (int c = 0; c < depth; ++c) max = std::max<i64>(max, row[c]);
        fixed<12> sum{};
        for (int c = 0; c < depth; ++c)
            if (row[c] - max >= p.diff_min) sum = sum + exp_of(row[c] - max).rescale<12>();
        // sum = 2^(12 - h) * (1 + x) with x in [0, 1), h = leading zero bits of the raw value.
        int h = 0;
        while ((sum.raw << h) < (i64{1} << 31)) ++h;
        const fixed<0> x = fixed<0>::from_raw((sum.raw << h) - (i64{1} << 31));
        const fixed<0> inverse = one_over_one_plus(x);
        const int bits_over_unit = 12 - h;
        for (int c = 0; c < depth; ++c) {
            i64 v = -128;
            if (row[c] - max >= p.diff_min) {
                const fixed<0> prob = inverse * exp_of(row[c] - max);  // times 2^-bits_over_unit
                v = clamp64(static_cast<i64>(rounding_shift_right(static_cast<std::int32_t>(prob.raw), bits_over_unit + 23)) - 128,
                            -128, 127);
            }
            out.data[static_cast<std::size_t>(r * depth + c)] = static_cast<std::int8_t>(v);
        }
    }
    return out;
}

// TFLite's QuantizeMultiplier with the C library (frexp, round), tiny values flushed to (0, 0).
struct q31 {
    std::int32_t multiplier = 0;
    int shift = 0;
};
inline q31 quantize_multiplier(double real) {
    if (real == 0.0) return {};
    int shift = 0;
    const double q = std::frexp(real, &shift);
    auto fixed_q = static_cast<i64>(std::round(q * static_cast<double>(i64{1} << 31)));
    if (fixed_q == (i64{1} << 31)) {
        fixed_q /= 2;
        ++shift;
    }
    if (shift < -31) return {};
    return {static_cast<std::int32_t>(fixed_q), shift};
}

// PreprocessSoftmaxScaling + CalculateInputRadius for 5 integer bits (TFLite's default build).
inline softmax_params softmax_params_for(double beta, double input_scale) {
    const double real = std::min(beta * input_scale * (1 << 26), static_cast<double>((i64{1} << 31) - 1));
    const q31 q = quantize_multiplier(real);
    const double radius = std::floor(31.0 * static_cast<double>(i64{1} << 26) / static_cast<double>(i64{1} << q.shift));
    return {q.multiplier, q.shift, -static_cast<std::int32_t>(radius)};
}

}  // namespace ref
