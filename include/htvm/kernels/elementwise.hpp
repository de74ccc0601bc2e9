// Element-wise int8 kernels: add (TFLite or shift arithmetic), clip, pad. All are safe in place
// (output == one input): element i is written only after it is read.
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "../shape.hpp"
#include "requantize.hpp"

namespace htvm {

// TFLite's int8 ADD: both inputs rescaled to a common scale after a left shift of 20.
struct tflite_add_params {
    std::int32_t input1_zero_point = 0, input2_zero_point = 0, output_zero_point = 0;
    std::int32_t left_shift = 20;
    std::int32_t input1_multiplier = 0, input1_shift = 0;
    std::int32_t input2_multiplier = 0, input2_shift = 0;
    std::int32_t output_multiplier = 0, output_shift = 0;
    std::int32_t act_min = -128, act_max = 127;
};

}  // namespace htvm

namespace htvm::cpu {

// TFLite's AddElementwise: both inputs shifted left by `left_shift`, rescaled to a common scale,
// summed, rescaled to the output.
// The rescaled value of an input depends on its int8 value only. With run-time parameters each
// element computes all three rescalings with the general fixed-point code. A compiled network's
// parameters are compile-time constants: add_tflite<params> then rescales each input with one
// 32-bit high multiply and a shift (add_computed_lookup), checked at compile time against the
// 256-entry table of TFLite's arithmetic; an input whose parameters that formula does not reproduce
// looks its value up in that table (1 KiB of read-only data). Either way the loop is the same
// (add_elements); only where the input rescaling comes from differs.
namespace detail {

// (x - zero_point) << left_shift, rescaled: exactly TFLite's per-input arithmetic.
constexpr std::int32_t add_rescaled_input(std::int32_t x, std::int32_t zero_point, std::int32_t left_shift,
                                          std::int32_t multiplier, std::int32_t shift) {
    return multiply_by_quantized_multiplier((x - zero_point) * (std::int32_t{1} << left_shift), multiplier, shift);
}

// The same with the fast multiplier (valid when the multiplier is not negative).
struct add_input {
    std::int32_t zero_point, left_shift;
    fast_multiplier scale;

    [[gnu::always_inline]] std::int32_t operator()(std::int32_t x) const {
        const std::int32_t shifted = (x - zero_point) * (std::int32_t{1} << left_shift);
        return scale.scale(static_cast<std::uint32_t>(shifted));
    }
};

struct add_table {
    std::int32_t value[256];  // value[x + 128]
    std::uint64_t magnitude;  // largest |value|
};

constexpr add_table make_add_table(std::int32_t zero_point, std::int32_t left_shift, std::int32_t multiplier,
                                   std::int32_t shift) {
    add_table t{};
    for (int x = -128; x < 128; ++x) {
        const std::int32_t v = add_rescaled_input(x, zero_point, left_shift, multiplier, shift);
        t.value[x + 128] = v;
        const std::uint64_t m = v < 0 ? 0ull - static_cast<std::uint64_t>(static_cast<std::int64_t>(v))
                                      : static_cast<std::uint64_t>(v);
        t.magnitude = m > t.magnitude ? m : t.magnitude;
    }
    return t;
}

// The rescaled input computed exactly with one high multiply, no table. With d = x - zero_point and
// a = d * 2^(left_shift + input left shift), TFLite rounds a * m / 2^31 half up
// (SaturatingRoundingDoublingHighMul), then divides by 2^e rounding half away from zero
// (RoundingDivideByPOT). The two roundings collapse into one floor of high = floor(a * m / 2^30),
// the high word of (a * 4) * m:
//   e = 0: value = (high + 1) >> 1
//   e > 0: value = (high + 1 + 2^e - 2 * [d < 0]) >> (e + 1)
// (the [d < 0] term is RoundingDivideByPOT's threshold for negative values: a * m / 2^31 rounds to
// a negative value exactly when d < 0, with TFLite's left shift of 20 for any multiplier above
// 2^10). The parameters are values, not template arguments, so that the adds of a network share one
// add_elements; round and negative_round follow from e but are stored, one instruction less per
// input each; the small ones are bytes (12 bytes of read-only data per input, loaded once per layer).
struct add_computed_lookup {
    std::int32_t multiplier = 0;
    std::int32_t round = 0;  // 1 + 2^e (e > 0) or 1
    std::int8_t zero_point = 0;
    std::int8_t pre_shift = 0;       // left_shift + input left shift + 2
    std::int8_t post_shift = 0;      // e + 1
    std::int8_t negative_round = 0;  // -2 (e > 0) or 0: added when d < 0

    [[gnu::always_inline]] constexpr std::int32_t operator()(std::int32_t x) const {
        const std::int32_t d = x - zero_point;
        const auto a = static_cast<std::int32_t>(static_cast<std::uint32_t>(d) << pre_shift);
        const auto high = static_cast<std::int32_t>((static_cast<std::int64_t>(a) * multiplier) >> 32);
        return (high + round + ((d >> 31) & negative_round)) >> post_shift;
    }
};

// The computed lookup of TFLite's per-input parameters. Whether it is exact is checked separately
// (add_computed_reproduces): the formula's assumptions (no overflow, a multiplier above 2^10, a
// right shift below 31, an int8 zero point) are not checked here; a value that does not fit its
// field makes the check fail.
constexpr add_computed_lookup make_add_computed_lookup(std::int32_t zero_point, std::int32_t left_shift,
                                                       std::int32_t multiplier, std::int32_t shift) {
    const std::int32_t e = shift < 0 ? -shift : 0;
    const std::int32_t pre_shift = left_shift + (shift > 0 ? shift : 0) + 2;
    add_computed_lookup f{};
    f.multiplier = multiplier;
    f.round = e > 0 && e < 31 ? 1 + (std::int32_t{1} << e) : 1;
    f.zero_point = static_cast<std::int8_t>(zero_point);
    f.pre_shift = static_cast<std::int8_t>(pre_shift >= 0 && pre_shift <= 30 ? pre_shift : -1);
    f.post_shift = static_cast<std::int8_t>(e + 1 <= 31 ? e + 1 : -1);
    f.negative_round = static_cast<std::int8_t>(e > 0 ? -2 : 0);
    return f;
}

// Whether f gives table t's value for every int8 input, every intermediate within int32 (checked
// before f runs, which then cannot overflow).
constexpr bool add_computed_reproduces(const add_computed_lookup& f, const add_table& t) {
    constexpr std::int64_t int32_min = -2147483647 - 1, int32_max = 2147483647;
    if (f.pre_shift < 0 || f.pre_shift > 30 || f.post_shift < 1 || f.post_shift > 31) return false;
    for (int x = -128; x < 128; ++x) {
        const std::int64_t d = std::int64_t{x} - f.zero_point;  // |d| <= 255
        const std::int64_t a = d * (std::int64_t{1} << f.pre_shift);
        if (a < int32_min || a > int32_max) return false;
        const std::int64_t high = (a * f.multiplier) >> 32;
        const std::int64_t sum = high + f.round + (d < 0 ? f.negative_round : 0);
        if (sum < int32_min || sum > int32_max) return false;
        if (f(x) != t.value[x + 128]) return false;
    }
    return true;
}

template <tflite_add_params P>
struct add_tables {
    static constexpr add_table input1 =
        make_add_table(P.input1_zero_point, P.left_shift, P.input1_multiplier, P.input1_shift);
    static constexpr add_table input2 =
        make_add_table(P.input2_zero_point, P.left_shift, P.input2_multiplier, P.input2_shift);
    static constexpr add_computed_lookup computed1 =
        make_add_computed_lookup(P.input1_zero_point, P.left_shift, P.input1_multiplier, P.input1_shift);
    static constexpr add_computed_lookup computed2 =
        make_add_computed_lookup(P.input2_zero_point, P.left_shift, P.input2_multiplier, P.input2_shift);
};

// The rescaled input from the full table (when the computed lookup is not exact).
template <const add_table& full>
struct add_full_lookup {
    [[gnu::always_inline]] std::int32_t operator()(std::int32_t x) const { return full.value[x + 128]; }
};

// The lookup of one input: computed where that is exact, else its full table (which then is the only
// table that reaches the binary).
template <const add_table& full, const add_computed_lookup& computed>
constexpr auto add_lookup() {
    if constexpr (add_computed_reproduces(computed, full)) return computed;
    else return add_full_lookup<full>{};
}

// output[i] = requantize(first(lhs[i]) + second(rhs[i])). Element i is written after both inputs
// are read: safe in place. Not inlined: inside a network's run() the loop would share registers
// with everything around it. The lookups come by reference (a compiled add passes two addresses of
// constants, not their fields) and are copied to locals, which stay in registers: the loop's int8
// stores could alias the referenced objects as far as the compiler knows.
template <bool narrow, class Channel, class First, class Second>
[[gnu::noinline]] void add_elements(int count, const tflite_add_params& p, Channel out, const First& first_input,
                                    const Second& second_input, const std::int8_t* lhs, const std::int8_t* rhs,
                                    std::int8_t* output) {
    const First first = first_input;
    const Second second = second_input;
#if defined(__GNUC__)
    // A compile-time multiplier would make GCC expand the widening multiply into four instructions.
    asm("" : "+r"(out.multiplier.twice_multiplier));
#endif
    std::int8_t* const end = output + count;
    for (; output != end; ++lhs, ++rhs, ++output) {
        const std::uint32_t sum = static_cast<std::uint32_t>(first(*lhs) + second(*rhs));
        if constexpr (narrow) {
            *output = out.apply_narrow(sum);
        } else if (out.multiplier.negative) {  // never produced by TFLite: the exact arithmetic
            *output = static_cast<std::int8_t>(clamp(
                multiply_by_quantized_multiplier(static_cast<std::int32_t>(sum), p.output_multiplier, p.output_shift) +
                    p.output_zero_point,
                p.act_min, p.act_max));
        } else {
            *output = out.apply(sum);
        }
    }
}

// The output stage of an add, narrow path not yet enabled.
template <zero_point_add add = zero_point_add::after_shift>
[[gnu::always_inline]] inline basic_tflite_channel<add> add_output_channel(const tflite_add_params& p) {
    basic_tflite_channel<add> out{};
    out.multiplier.set(p.output_multiplier, p.output_shift);
    out.zero_point = p.output_zero_point;
    out.low = p.act_min;
    out.high = p.act_max;
    return out;
}

// Run-time parameters: the narrow path when the bound on |sum| allows it.
template <class First, class Second>
[[gnu::always_inline]] inline void add_loop(int count, const tflite_add_params& p, std::uint64_t sum_bound,
                                            First first, Second second, const std::int8_t* lhs,
                                            const std::int8_t* rhs, std::int8_t* output) {
    tflite_channel out = add_output_channel(p);
    out.allow_narrow(sum_bound);
    if (out.narrow) add_elements<true>(count, p, out, first, second, lhs, rhs, output);
    else add_elements<false>(count, p, out, first, second, lhs, rhs, output);
}

// Whether the narrow path with zero point placement `add` is exact for every sum of add P.
template <tflite_add_params P, zero_point_add add>
constexpr bool add_narrow_is_exact(std::uint64_t sum_bound) {
    const int left = P.output_shift > 0 ? P.output_shift : 0, right = P.output_shift > 0 ? 0 : -P.output_shift;
    return P.output_multiplier >= 0 &&
           basic_tflite_channel<add>::narrow_is_exact(left, right, static_cast<std::uint64_t>(P.output_multiplier),
                                                      P.output_zero_point, sum_bound);
}

}  // namespace detail

// Compile-time parameters (what cpu_target passes): table lookups.
template <tflite_add_params P, class Count>
void add_tflite(Count count, const std::int8_t* lhs, const std::int8_t* rhs, std::int8_t* output) {
    using tables = detail::add_tables<P>;
    static constexpr auto first = detail::add_lookup<tables::input1, tables::computed1>();
    static constexpr auto second = detail::add_lookup<tables::input2, tables::computed2>();
    // The bound on |sum| is a constant too: the output path is chosen here, and only it is compiled.
    constexpr std::uint64_t bound = tables::input1.magnitude + tables::input2.magnitude;
    if constexpr (detail::add_narrow_is_exact<P, zero_point_add::folded>(bound)) {
        auto out = detail::add_output_channel<zero_point_add::folded>(P);
        out.set_narrow();
        detail::add_elements<true>(count, P, out, first, second, lhs, rhs, output);
    } else if constexpr (detail::add_narrow_is_exact<P, zero_point_add::after_shift>(bound)) {
        auto out = detail::add_output_channel(P);
        out.set_narrow();
        detail::add_elements<true>(count, P, out, first, second, lhs, rhs, output);
    } else {
        detail::add_elements<false>(count, P, detail::add_output_channel(P), first, second, lhs, rhs, output);
    }
}

// Run-time parameters: the rescaling computed per element.
template <class Count>
void add_tflite(Count count, const tflite_add_params& p, const std::int8_t* lhs, const std::int8_t* rhs,
                std::int8_t* output) {
    const detail::add_input in1{p.input1_zero_point, p.left_shift, {p.input1_multiplier, p.input1_shift}};
    const detail::add_input in2{p.input2_zero_point, p.left_shift, {p.input2_multiplier, p.input2_shift}};
    auto exact1 = [&p](std::int32_t v) {
        return detail::add_rescaled_input(v, p.input1_zero_point, p.left_shift, p.input1_multiplier, p.input1_shift);
    };
    auto exact2 = [&p](std::int32_t v) {
        return detail::add_rescaled_input(v, p.input2_zero_point, p.left_shift, p.input2_multiplier, p.input2_shift);
    };
    // Each rescaled input is monotone in the int8 value: its largest magnitude is at -128 or 127.
    auto magnitude = [](auto&& f) {
        const std::int64_t lo = f(-128), hi = f(127);
        const std::uint64_t a = static_cast<std::uint64_t>(lo < 0 ? -lo : lo);
        const std::uint64_t b = static_cast<std::uint64_t>(hi < 0 ? -hi : hi);
        return a > b ? a : b;
    };
    const std::uint64_t bound = magnitude(exact1) + magnitude(exact2);
    if (in1.scale.negative || in2.scale.negative) [[unlikely]]  // never produced by TFLite
        detail::add_loop(count, p, bound, exact1, exact2, lhs, rhs, output);
    else
        detail::add_loop(count, p, bound, in1, in2, lhs, rhs, output);
}

// The shift form of add: int32 sum, arithmetic right shift, clip (HTVM's add -> right_shift -> clip
// -> cast).
template <class Count>
void add_shift(Count count, const shift_requant& rq, const std::int8_t* lhs, const std::int8_t* rhs,
                      std::int8_t* output) {
    for (int i = 0; i < count; ++i) {
        const std::int32_t sum = static_cast<std::int32_t>(lhs[i]) + rhs[i];
        output[i] = static_cast<std::int8_t>(clamp(sum >> rq.shift, rq.low(), rq.clip_max));
    }
}

inline void clip(int count, std::int32_t lo, std::int32_t hi, const std::int8_t* input, std::int8_t* output) {
    for (int i = 0; i < count; ++i) output[i] = static_cast<std::int8_t>(clamp(input[i], lo, hi));
}

// Constant padding of H and W on an NHWC tensor.
inline void pad(const shape& in, int top, int left, const shape& out, std::int8_t value, const std::int8_t* input,
                std::int8_t* output) {
    for (int y = 0; y < out.h; ++y)
        for (int x = 0; x < out.w; ++x) {
            const int iy = y - top, ix = x - left;
            const bool inside = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
            for (int c = 0; c < out.c; ++c)
                output[(y * out.w + x) * out.c + c] = inside ? input[(iy * in.w + ix) * in.c + c] : value;
        }
}

}  // namespace htvm::cpu
