// The output stage of the MAC kernels: int32 accumulator -> int8, bit-exact with requant::apply()
// but cheaper per value on a 32-bit core. The per-channel work (shift split, rounding masks) is done
// once per channel; what remains per value is a 32x32->64 multiply, a few shifts and a clamp.
//
// Kernels are templates on the stage type, so a network whose requantization kind is a constant
// compiles only the stage it uses; `output_arith::dynamic` picks one at run time.
#pragma once
#include <concepts>
#include <cstdint>

#include "../quant.hpp"

namespace htvm::cpu {

// Which arithmetic a kernel instance is compiled for (dynamic: read requant::kind at run time).
// tflite_narrow: TFLite arithmetic on a layer whose every channel takes the narrow path;
// tflite_narrow_folded: the same with the zero point folded into the rounding add.
enum class output_arith : std::uint8_t { dynamic, tflite, tflite_narrow, tflite_narrow_folded, shift };

constexpr output_arith output_arith_of(requant_kind kind) {
    return kind == requant_kind::shift ? output_arith::shift : output_arith::tflite;
}

// saturating_rounding_doubling_high_mul(a, m) for 0 <= m < 2^31, given twice_m = 2 * m (unsigned):
// gemmlowp's nudge-and-truncate equals floor((a*m + 2^30) / 2^31) = floor((a*2m + 2^31) / 2^32), the
// high word of a * 2m plus the top bit of its low word (RV32: mul, mulhsu, srli, add). The saturation
// case needs m = INT32_MIN, excluded here.
[[gnu::always_inline]] inline std::int32_t rounding_doubling_high_mul(std::int32_t a, std::uint32_t twice_m) {
    const std::int64_t product = static_cast<std::int64_t>(a) * static_cast<std::int64_t>(twice_m);
    const std::uint32_t low = static_cast<std::uint32_t>(product);
    const std::uint32_t high = static_cast<std::uint32_t>(static_cast<std::uint64_t>(product) >> 32);
    return static_cast<std::int32_t>(high + (low >> 31));
}

// multiply_by_quantized_multiplier(x, multiplier, shift) with the shift split and the rounding
// masks precomputed. Valid for multiplier >= 0 (TFLite never makes a negative one); `negative`
// tells the caller to use the exact function instead.
// Trivially default-constructible (no field initializers), like basic_tflite_channel.
struct fast_multiplier {
    std::uint32_t twice_multiplier;  // 2 * multiplier
    std::int32_t left_shift;
    std::int32_t right_shift;
    std::int32_t mask;       // 2^right_shift - 1
    std::int32_t threshold;  // mask / 2: rounding threshold of a non-negative value
    bool negative;

    fast_multiplier() = default;
    [[gnu::always_inline]] fast_multiplier(std::int32_t multiplier, std::int32_t shift) { set(multiplier, shift); }

    // Field by field: assigned as a whole into a channel in memory, GCC copied it byte by byte.
    [[gnu::always_inline]] void set(std::int32_t multiplier, std::int32_t shift) {
        twice_multiplier = multiplier >= 0 ? static_cast<std::uint32_t>(multiplier) * 2u : 0u;
        left_shift = shift > 0 ? shift : 0;
        right_shift = shift > 0 ? 0 : -shift;
        // 32-bit shifts: a 64-bit one is a long sequence on RV32, and TFLite's right shifts are <= 31.
        mask = right_shift < 32 ? static_cast<std::int32_t>((std::uint32_t{1} << right_shift) - 1u) : -1;
        threshold = mask >> 1;
        negative = multiplier < 0;
    }

    [[gnu::always_inline]] std::int32_t scale(std::uint32_t x) const {
        const std::int32_t high = rounding_doubling_high_mul(static_cast<std::int32_t>(x << left_shift), twice_multiplier);
        // rounding_divide_by_pot: round half away from zero.
        const std::int32_t is_negative = static_cast<std::int32_t>(static_cast<std::uint32_t>(high) >> 31);
        return (high >> right_shift) + ((high & mask) > threshold + is_negative ? 1 : 0);
    }
};

// TFLite arithmetic of one output channel: everything apply() needs, so that a kernel can copy it
// into registers once per channel (int8 output stores may alias any memory the compiler cannot see
// is distinct, which would otherwise make it reload the parameters after every store).
// Largest |acc| a kernel can produce for one output: |bias| + 255 * sum |w| (an input minus its zero
// point lies in [-255, 255]). Lets the output stage pick its narrow path (tflite_channel).
constexpr std::uint64_t accumulator_bound(std::int32_t bias, std::uint64_t abs_weight_sum) {
    const std::uint64_t abs_bias = bias < 0 ? 0ull - static_cast<std::uint64_t>(static_cast<std::int64_t>(bias))
                                            : static_cast<std::uint64_t>(bias);
    return abs_bias + 255u * abs_weight_sum;
}
inline constexpr std::uint64_t unknown_bound = ~std::uint64_t{0};

// Where the narrow path adds the output zero point: after the shift (one add per value), or folded
// into the rounding add before it (zp * 2^e must then fit in 32 bits too, which the large shifts of
// some real layers, e.g. MobileNet's pruned channels, do not allow).
enum class zero_point_add : std::uint8_t { after_shift, folded };

// TFLite arithmetic of one output channel: everything apply() needs, so that a kernel can copy it
// into registers once per channel (int8 output stores may alias any memory the compiler cannot see
// is distinct, which would otherwise make it reload the parameters after every store).
// Trivially default-constructible: a kernel's block of channels (conv_row) is filled in place without
// being cleared first, so whoever makes a channel sets every field (basic_tflite_output::at) or
// value-initializes it first (add_output_channel).
template <zero_point_add add = zero_point_add::after_shift>
struct basic_tflite_channel {
    fast_multiplier multiplier;
    std::int32_t zero_point, low, high;
    // Narrow path: when |acc| <= a bound small enough that nothing below overflows, the rounding is one
    // add before the shift (see apply_narrow).
    std::int32_t rounding;  // 2^(right_shift - 1), + zero_point * 2^right_shift when folded
    bool narrow;

    // multiply_by_quantized_multiplier(acc, multiplier, shift) + zero point (wrapping, as
    // tflite_requant::apply), clamped; acc holds the bias. Valid for multiplier >= 0 (see
    // tflite_output::exact_only).
    [[gnu::always_inline]] std::int8_t apply(std::uint32_t acc) const {
        return clamped(wrapping_add(multiplier.scale(acc), zero_point));
    }

    // The same when `narrow`: with e = right_shift and x the high multiply,
    // rounding_divide_by_pot(x, e) = (x + 2^(e-1) - [x < 0]) >> e exactly for e >= 1 (the low e bits
    // decide the rounding as the remainder/threshold test does), and zp * 2^e added before the shift
    // comes out as zp after it. The bound on |acc| guarantees that the sum fits in 32 bits.
    [[gnu::always_inline]] std::int8_t apply_narrow(std::uint32_t acc) const {
        const std::int32_t x = rounding_doubling_high_mul(static_cast<std::int32_t>(acc << multiplier.left_shift),
                                                          multiplier.twice_multiplier);
        const std::int32_t is_negative = static_cast<std::int32_t>(static_cast<std::uint32_t>(x) >> 31);
        const std::int32_t shifted = (x + rounding - is_negative) >> multiplier.right_shift;
        if constexpr (add == zero_point_add::folded) return clamped(shifted);
        else return clamped(shifted + zero_point);
    }

    [[gnu::always_inline]] std::int8_t clamped(std::int32_t v) const {
        v = v < low ? low : v;
        v = v > high ? high : v;
        return static_cast<std::int8_t>(v);
    }

    // Enables the narrow path if |acc| <= acc_bound keeps every intermediate of apply_narrow in
    // int32 (narrow_is_exact).
    void allow_narrow(std::uint64_t acc_bound) {
        narrow = !multiplier.negative && narrow_is_exact(multiplier.left_shift, multiplier.right_shift,
                                                         multiplier.twice_multiplier / 2u, zero_point, acc_bound);
        if (narrow) set_narrow();
    }
    // Only where narrow_is_exact holds: then e <= 31 and, when folded, zp * 2^e fits in int32, so
    // 32-bit arithmetic (wrapping as two's complement) gives the exact value.
    [[gnu::always_inline]] void set_narrow() {
        const int e = multiplier.right_shift;
        const std::uint32_t half = e > 0 ? std::uint32_t{1} << (e - 1) : 0u;
        const std::uint32_t zero_point_part =
            add == zero_point_add::folded ? static_cast<std::uint32_t>(zero_point) << e : 0u;
        rounding = static_cast<std::int32_t>(half + zero_point_part);
        narrow = true;
    }

    // Whether apply_narrow is exact for every |acc| <= acc_bound (m >= 0, e = right shift):
    // |acc << left| < 2^31, |x| <= that * m / 2^31 + 1, |x| + 2^(e-1) (+ |zp| * 2^e when folded) < 2^31,
    // and e >= 1 unless x is always 0: a zero multiplier (a channel scaled to nothing, as pruned
    // channels are) gives x = 0 whatever acc is.
    static constexpr bool narrow_is_exact(int left, int e, std::uint64_t multiplier, std::int32_t zero_point,
                                          std::uint64_t acc_bound) {
        constexpr std::uint64_t limit = std::uint64_t{1} << 31;
        if (e < 0 || e > 31 || left < 0 || left > 31) return false;
        std::uint64_t x = 0;
        if (multiplier != 0) {
            if (e < 1 || acc_bound >= limit || (acc_bound << left) >= limit) return false;
            x = (((acc_bound << left) * multiplier) >> 31) + 1u;
        }
        const std::uint64_t half = e > 0 ? std::uint64_t{1} << (e - 1) : 0;
        const std::uint64_t abs_zp = static_cast<std::uint64_t>(zero_point < 0 ? -std::int64_t{zero_point} : zero_point);
        return x + half + (add == zero_point_add::folded ? abs_zp << e : 0) < limit;
    }
};
using tflite_channel = basic_tflite_channel<zero_point_add::after_shift>;

// TFLite output stage. always_narrow: the caller has proven at compile time that apply_narrow is exact
// for every channel of the layer (narrow_everywhere in cpu_target.hpp), so the instance holds only that
// path and no run-time check; it may then also have proven that the zero point folds.
template <bool always_narrow, zero_point_add add = zero_point_add::after_shift>
struct basic_tflite_output {
    static_assert(always_narrow || add == zero_point_add::after_shift,
                  "a run-time checked stage keeps the zero point after the shift");
    using channel = basic_tflite_channel<add>;
    const tflite_requant* rq;

    explicit basic_tflite_output(const tflite_requant& r) : rq(&r) {}

    // Channel c's parameters, every field written to ch; acc_bound: the largest |acc| channel c can see
    // (accumulator_bound), if the kernel knows it.
    [[gnu::always_inline]] void at(int c, std::uint64_t acc_bound, channel& ch) const {
        const tflite_requant& t = *rq;
        const std::int32_t m = t.per_channel() ? t.multipliers[c] : t.multiplier;
        const std::int32_t s = t.per_channel() ? t.shifts[c] : t.shift;
        ch.multiplier.set(m, s);
        ch.zero_point = t.output_zero_point;
        ch.low = t.act_min;
        ch.high = t.act_max;
        ch.rounding = 0;
        ch.narrow = false;
        if constexpr (always_narrow) ch.set_narrow();
        else ch.allow_narrow(acc_bound);
    }
    [[gnu::always_inline]] channel at(int c, std::uint64_t acc_bound = unknown_bound) const {
        channel ch;
        at(c, acc_bound, ch);
        return ch;
    }

    // TFLite's multipliers are never negative; a channel with one (INT32_MIN is the one case where
    // the saturation of the high multiply matters) goes through requant::apply().
    [[gnu::always_inline]] static bool exact_only(const channel& ch) {
        if constexpr (always_narrow) return false;
        else return ch.multiplier.negative;
    }
    [[gnu::always_inline]] static bool narrow(const channel& ch) {
        if constexpr (always_narrow) return true;
        else return ch.narrow;
    }
    // What narrow() returns for every channel, when that is known at compile time.
    static constexpr bool narrow_always = always_narrow, narrow_never = false;
    // exact_only() is false for every channel, known at compile time.
    static constexpr bool exact_never = always_narrow;
    [[gnu::always_inline]] std::int8_t exact(std::uint32_t acc, int c) const {
        return rq->apply(static_cast<std::int32_t>(acc), c);
    }
    // false: every channel has the same parameters (at(0) serves them all).
    [[gnu::always_inline]] bool per_channel() const { return rq->per_channel(); }
};
using tflite_output = basic_tflite_output<false>;
using tflite_narrow_output = basic_tflite_output<true>;
using tflite_narrow_folded_output = basic_tflite_output<true, zero_point_add::folded>;

// The shift form: arithmetic shift right, clip; the same for every channel.
struct shift_channel {
    std::int32_t shift = 0, low = -128, high = 127;

    [[gnu::always_inline]] std::int8_t apply(std::uint32_t acc) const {
        std::int32_t v = static_cast<std::int32_t>(acc) >> shift;
        v = v < low ? low : v;
        v = v > high ? high : v;
        return static_cast<std::int8_t>(v);
    }
    [[gnu::always_inline]] std::int8_t apply_narrow(std::uint32_t acc) const { return apply(acc); }
};

struct shift_output {
    using channel = shift_channel;
    channel all;

    explicit shift_output(const shift_requant& d) : all{d.shift, d.low(), d.clip_max} {}

    [[gnu::always_inline]] channel at(int, std::uint64_t = unknown_bound) const { return all; }
    [[gnu::always_inline]] void at(int, std::uint64_t, channel& ch) const { ch = all; }
    [[gnu::always_inline]] static constexpr bool exact_only(const channel&) { return false; }
    [[gnu::always_inline]] static constexpr bool narrow(const channel&) { return false; }
    static constexpr bool narrow_always = false, narrow_never = true;
    static constexpr bool exact_never = true;
    [[gnu::always_inline]] std::int8_t exact(std::uint32_t acc, int) const { return all.apply(acc); }
    [[gnu::always_inline]] static constexpr bool per_channel() { return false; }
};

// stage.at(c, acc_bound) out of line, for kernels that set up their channels one by one: the 64-bit
// shifts of the set-up are long on a 32-bit core and not worth a copy in every kernel instance.
// Written to `out`: a set-up loop over an array of channels would otherwise copy each returned channel
// there with a memcpy call (byte by byte in picolibc's small build).
template <class Stage>
[[gnu::noinline]] void channel_at(const Stage& stage, int c, std::uint64_t acc_bound, typename Stage::channel& out) {
    stage.at(c, acc_bound, out);
}
template <class Stage>
[[gnu::always_inline]] inline typename Stage::channel channel_at(const Stage& stage, int c, std::uint64_t acc_bound) {
    typename Stage::channel ch;
    channel_at(stage, c, acc_bound, ch);
    return ch;
}

// One value of output channel `channel` (c: its parameters).
template <class Stage>
[[gnu::always_inline]] inline std::int8_t requantize_value(const Stage& stage, const typename Stage::channel& c,
                                                           int channel, std::uint32_t acc) {
    if (Stage::narrow(c)) [[likely]] return c.apply_narrow(acc);
    if (Stage::exact_only(c)) [[unlikely]] return stage.exact(acc, channel);
    return c.apply(acc);
}

// Requantizes the N values of output channel `channel` (c: its parameters): acc[n] goes to
// out[n * pixel_step].
template <int N, class Stage>
[[gnu::always_inline]] inline void requantize_channel(const Stage& stage, const typename Stage::channel& c, int channel,
                                                      const std::uint32_t (&acc)[N], std::int8_t* out, int pixel_step) {
    if (Stage::narrow(c)) [[likely]] {
#pragma GCC unroll 16
        for (int n = 0; n < N; ++n) out[n * pixel_step] = c.apply_narrow(acc[n]);
    } else if (Stage::exact_only(c)) [[unlikely]] {
        for (int n = 0; n < N; ++n) out[n * pixel_step] = stage.exact(acc[n], channel);
    } else {
#pragma GCC unroll 16
        for (int n = 0; n < N; ++n) out[n * pixel_step] = c.apply(acc[n]);
    }
}

// Requantizes channels [ch, ch_end) of a block of N pixels out of line: one instance per block width
// and stage that every geometry and block height shares. For kernels with many taps per output the
// call costs little against the block's MACs, and each inlined copy of the M x N requantizations is
// about half of a block function's code. The channels are a loop whose count is not a constant
// (GCC peels constant short loops whatever the pragma): each channel's parameters are loaded once
// either way, so the loop adds only its pointers per channel.
template <int N, class Stage>
[[gnu::noinline]] void requantize_channels(const Stage& stage, const typename Stage::channel* ch,
                                           const typename Stage::channel* ch_end, int oc,
                                           const std::uint32_t (*acc)[N], std::int8_t* out, int pixel_step) {
    for (; ch != ch_end; ++ch, ++acc, ++out, ++oc) {
        const typename Stage::channel c = *ch;
        requantize_channel<N>(stage, c, oc, *acc, out, pixel_step);
    }
}

// Requantizes an M x N block through requantize_channels: acc[m][n] of output channel oc + m goes to
// out[n * pixel_step + m].
template <int M, int N, class Stage>
[[gnu::always_inline]] inline void requantize_block(const Stage& stage, const typename Stage::channel (&ch)[M], int oc,
                                                    const std::uint32_t (&acc)[M][N], std::int8_t* out,
                                                    int pixel_step) {
    requantize_channels<N>(stage, ch, ch + M, oc, acc, out, pixel_step);
}

// The requantization argument of the MAC kernels: the tagged requant, or one arithmetic's parameters
// alone (what a compiled network passes for a TFLite layer: 32 bytes of .rodata instead of 52).
template <class Requant>
concept requant_argument = std::same_as<Requant, requant> || std::same_as<Requant, tflite_requant> ||
                           std::same_as<Requant, shift_requant>;

// The accumulator's input offset: minus the zero point subtracted from every input.
constexpr std::int32_t input_offset(const requant& rq) { return -rq.input_zero_point(); }
constexpr std::int32_t input_offset(const tflite_requant& rq) { return -rq.input_zero_point; }
constexpr std::int32_t input_offset(const shift_requant&) { return 0; }

// Calls body(stage) with the output stage of `rq`, resolved at compile time unless `arith` is dynamic
// (then only for the tagged requant, from its kind).
template <output_arith arith, class Body>
[[gnu::always_inline]] inline void with_output_stage(const tflite_requant& rq, Body&& body) {
    static_assert(arith != output_arith::shift, "the shift arithmetic needs a shift_requant, not TFLite parameters");
    if constexpr (arith == output_arith::tflite_narrow) body(tflite_narrow_output{rq});
    else if constexpr (arith == output_arith::tflite_narrow_folded) body(tflite_narrow_folded_output{rq});
    else body(tflite_output{rq});
}

template <output_arith arith, class Body>
[[gnu::always_inline]] inline void with_output_stage(const shift_requant& rq, Body&& body) {
    static_assert(arith == output_arith::shift || arith == output_arith::dynamic,
                  "TFLite arithmetic needs a tflite_requant, not shift parameters");
    body(shift_output{rq});
}

template <output_arith arith, class Body>
[[gnu::always_inline]] inline void with_output_stage(const requant& rq, Body&& body) {
    if constexpr (arith == output_arith::shift) with_output_stage<arith>(rq.shifted, body);
    else if constexpr (arith != output_arith::dynamic) with_output_stage<arith>(rq.tflite, body);
    else if (rq.kind == requant_kind::shift) with_output_stage<arith>(rq.shifted, body);
    else with_output_stage<arith>(rq.tflite, body);
}

}  // namespace htvm::cpu
