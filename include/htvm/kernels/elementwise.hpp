// Element-wise int8 kernels: add (TFLite or DIANA arithmetic), clip, pad. All are safe in place
// (output == one input): element i is written only after it is read.
#pragma once
#include <cstdint>

#include "../layers.hpp"
#include "../quant.hpp"
#include "requantize.hpp"

namespace htvm::cpu {

// TFLite's AddElementwise: both inputs shifted left by `left_shift`, rescaled to a common scale,
// summed, rescaled to the output.
// The rescaled value of an input depends on its int8 value only. A compiled network's parameters are
// compile-time constants: add_tflite<params> then looks both rescaled inputs up in 256-entry tables
// built during compilation, which leaves one fixed-point multiplier per element instead of three.
// Each table is stored as a line plus a one-byte correction per entry (544 bytes of read-only data
// per layer instead of 2 KiB, for a multiply and a few adds per input), checked at compile time
// against the full table, which is used wherever the line is not exact. With run-time parameters
// each element computes all three. Either way the loop is the same (add_elements); only where the
// input rescaling comes from differs, and the tables hold exactly what the computation gives.
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

// A table as a line plus a one-byte correction, 272 bytes instead of 1 KiB:
// value[i] = base + ((i * slope) >> shift) + residual[i]. A rescaled input is (x - zp) times a
// constant, rounded twice, so it stays within a few units of a line. Built and checked entry by entry
// at compile time; `exact` is false when no line keeps every correction (and every intermediate) in
// range, and the full table is then used.
struct add_line_table {
    std::int32_t base = 0, slope = 0, shift = 0;
    std::int8_t residual[256]{};
    bool exact = false;
};

constexpr add_line_table make_add_line_table(const add_table& t) {
    constexpr std::int64_t int32_max = 2147483647;
    // The most fraction bits first: the smallest corrections.
    for (int shift = 12; shift >= 0; --shift) {
        add_line_table line{};
        line.base = t.value[0];
        line.shift = shift;
        const std::int64_t rise = (static_cast<std::int64_t>(t.value[255]) - t.value[0]) * (std::int64_t{1} << shift);
        const std::int64_t slope = (rise + (rise >= 0 ? 127 : -127)) / 255;
        if (slope > int32_max / 255 || slope < -int32_max / 255) continue;  // i * slope must fit in int32
        line.slope = static_cast<std::int32_t>(slope);
        bool fits = true;
        for (int i = 0; i < 256 && fits; ++i) {
            const std::int64_t on_line = line.base + ((i * slope) >> shift);
            const std::int64_t residual = t.value[i] - on_line;
            fits = on_line >= -int32_max - 1 && on_line <= int32_max && residual >= -128 && residual <= 127;
            if (fits) line.residual[i] = static_cast<std::int8_t>(residual);
        }
        if (fits) {
            line.exact = true;
            return line;
        }
    }
    return {};
}

template <tflite_add_params P>
struct add_tables {
    static constexpr add_table input1 =
        make_add_table(P.input1_zero_point, P.left_shift, P.input1_multiplier, P.input1_shift);
    static constexpr add_table input2 =
        make_add_table(P.input2_zero_point, P.left_shift, P.input2_multiplier, P.input2_shift);
    static constexpr add_line_table line1 = make_add_line_table(input1);
    static constexpr add_line_table line2 = make_add_line_table(input2);
};

// The rescaled input of x from an exact line table (its value[x + 128]). The line's parameters are
// values, not template arguments, so that the adds of a network share one add_elements.
struct add_line_lookup {
    std::int32_t base, slope, shift;
    const std::int8_t* residual;

    explicit constexpr add_line_lookup(const add_line_table& line)
        : base(line.base), slope(line.slope), shift(line.shift), residual(line.residual) {}
    [[gnu::always_inline]] std::int32_t operator()(std::int32_t x) const {
        const std::int32_t i = x + 128;
        return base + ((i * slope) >> shift) + residual[i];
    }
};

// The rescaled input from the full table (when no line is exact).
template <const add_table& full>
struct add_full_lookup {
    [[gnu::always_inline]] std::int32_t operator()(std::int32_t x) const { return full.value[x + 128]; }
};

// The lookup of one input: its line table where that is exact, else its full table (only the table
// used reaches the binary).
template <const add_table& full, const add_line_table& line>
constexpr auto add_lookup() {
    if constexpr (line.exact) return add_line_lookup{line};
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
    basic_tflite_channel<add> out;
    out.multiplier = fast_multiplier{p.output_multiplier, p.output_shift};
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
    static constexpr auto first = detail::add_lookup<tables::input1, tables::line1>();
    static constexpr auto second = detail::add_lookup<tables::input2, tables::line2>();
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

// DIANA's add: int32 sum, arithmetic right shift, clip (HTVM's add -> right_shift -> clip -> cast).
template <class Count>
void add_diana(Count count, const diana_requant& rq, const std::int8_t* lhs, const std::int8_t* rhs,
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
