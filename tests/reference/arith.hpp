// Reference integer arithmetic for the tests: TFLite's and DIANA's requantization written from their
// definitions as exact rational arithmetic with explicit rounding rules (__int128, floor division),
// independently of include/htvm/quant.hpp, which implements gemmlowp's bit tricks. Host only.
//
// The rules (TFLite / gemmlowp, DIANA as HTVM lowers it):
//  - doubling high multiply of int32 a, b: the real a*b / 2^31 rounded to nearest, ties toward
//    +infinity (the NEON VQRDMULH rule), the one result 2^31 (a = b = INT32_MIN) saturated;
//  - rounding right shift by e: x / 2^e rounded to nearest, ties away from zero;
//  - TFLite requant: x * 2^max(shift,0) (must fit int32, else TFLite is undefined), doubling high
//    multiply by the Q31 multiplier, rounding right shift by max(-shift,0), + zero point, clamp;
//  - DIANA requant: floor(acc / 2^shift), clamp to [relu ? max(0, lo) : lo, hi].
#pragma once
#include <cstdint>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

namespace ref {

using i64 = std::int64_t;
using i128 = __int128;

// An invariant of the reference itself (active in Release builds too, unlike assert).
inline void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "reference invariant violated: %s\n", what);
        std::abort();
    }
}

// floor(n / d) for d > 0, from C++'s truncating division.
constexpr i128 floor_div(i128 n, i128 d) {
    const i128 q = n / d;
    return (n % d != 0 && n < 0) ? q - 1 : q;
}

constexpr i128 pow2(int e) { return static_cast<i128>(1) << e; }

constexpr i64 clamp64(i64 v, i64 lo, i64 hi) { return v < lo ? lo : (v > hi ? hi : v); }

// round(a * b / 2^31), ties toward +infinity, saturated to int32.
constexpr std::int32_t doubling_high_mul(std::int32_t a, std::int32_t b) {
    const i128 exact_times_2_31 = static_cast<i128>(a) * b;
    const i128 rounded = floor_div(exact_times_2_31 + pow2(30), pow2(31));
    return static_cast<std::int32_t>(rounded > INT32_MAX ? INT32_MAX : rounded);
}

// round(x / 2^e), ties away from zero; e in 0..31.
constexpr std::int32_t rounding_shift_right(std::int32_t x, int e) {
    if (e == 0) return x;
    const i128 magnitude = x < 0 ? -static_cast<i128>(x) : static_cast<i128>(x);
    const i128 q = floor_div(magnitude + pow2(e - 1), pow2(e));
    return static_cast<std::int32_t>(x < 0 ? -q : q);
}

// TFLite's MultiplyByQuantizedMultiplier; empty when x * 2^shift leaves int32 (undefined in TFLite).
constexpr std::optional<std::int32_t> scale(std::int32_t x, std::int32_t multiplier, int shift) {
    const i128 shifted = static_cast<i128>(x) * pow2(shift > 0 ? shift : 0);
    if (shifted > INT32_MAX || shifted < INT32_MIN) return std::nullopt;
    return rounding_shift_right(doubling_high_mul(static_cast<std::int32_t>(shifted), multiplier),
                                shift < 0 ? -shift : 0);
}

// What turns an int32 accumulator into int8, in either arithmetic. Per-channel TFLite when the
// vectors hold one entry per channel; per-tensor when they hold one entry.
struct requant_spec {
    enum class kind { tflite, diana } form = kind::tflite;
    // TFLite
    std::vector<std::int32_t> multipliers{0};  // one per output channel, or one for the tensor
    std::vector<std::int32_t> shifts{0};
    std::int32_t input_zero_point = 0, output_zero_point = 0;
    std::int32_t act_min = -128, act_max = 127;
    // DIANA
    int diana_shift = 0;
    bool relu = false;
    std::int32_t clip_min = -128, clip_max = 127;
};

// The int8 result of one accumulator (bias already added) of channel `channel`; empty when TFLite
// leaves the case undefined (left-shift overflow, or an accumulator outside int32).
inline std::optional<std::int8_t> requantize(i64 acc, int channel, const requant_spec& rq) {
    if (acc > INT32_MAX || acc < INT32_MIN) return std::nullopt;
    if (rq.form == requant_spec::kind::diana) {
        const i64 shifted = static_cast<i64>(floor_div(acc, pow2(rq.diana_shift)));
        const i64 lo = rq.relu ? (rq.clip_min > 0 ? rq.clip_min : 0) : rq.clip_min;
        return static_cast<std::int8_t>(clamp64(shifted, lo, rq.clip_max));
    }
    const std::size_t k = rq.multipliers.size() > 1 ? static_cast<std::size_t>(channel) : 0;
    const auto scaled = scale(static_cast<std::int32_t>(acc), rq.multipliers[k], rq.shifts[k]);
    if (!scaled) return std::nullopt;
    return static_cast<std::int8_t>(clamp64(static_cast<i64>(*scaled) + rq.output_zero_point, rq.act_min, rq.act_max));
}

}  // namespace ref
