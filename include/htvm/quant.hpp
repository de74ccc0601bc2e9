// Integer requantization, bit-exact with the two arithmetics htvm targets:
//  - TFLite's reference kernels (Q31 multiplier + shift, "doubling high multiply", rounding shift);
//  - the shift form that accelerators run (int32 bias add, arithmetic right shift, clip, cast), as
//    HTVM lowers it.
#pragma once
#include <cstdint>

namespace htvm {

// gemmlowp's SaturatingRoundingDoublingHighMul: a*b / 2^31 rounded to nearest with ties toward
// +infinity (NEON VQRDMULH: -0.5 -> 0, 0.5 -> 1), the single overflow case (INT32_MIN * INT32_MIN)
// saturated.
constexpr std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b) {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    const std::int64_t product = static_cast<std::int64_t>(a) * static_cast<std::int64_t>(b);
    const std::int32_t nudge = product >= 0 ? (1 << 30) : (1 - (1 << 30));
    // Division (not a shift) truncates toward zero, which is what gemmlowp specifies.
    return static_cast<std::int32_t>((product + nudge) / (std::int64_t{1} << 31));
}

// gemmlowp's RoundingDivideByPOT: arithmetic shift right with round-half-away-from-zero; exponent
// in 0 .. 31. The mask is computed in 32 bits: a 64-bit shift by a run-time amount is a libgcc call
// on RV32.
constexpr std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent) {
    const std::int32_t mask = static_cast<std::int32_t>((std::uint32_t{1} << exponent) - 1u);
    const std::int32_t remainder = x & mask;
    const std::int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// TFLite's MultiplyByQuantizedMultiplier: x * multiplier * 2^shift, multiplier in Q31.
// shift > 0 is a left shift applied before the high multiply, shift < 0 a rounding right shift after.
constexpr std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift) {
    const int left_shift = shift > 0 ? shift : 0;
    const int right_shift = shift > 0 ? 0 : -shift;
    const std::int32_t shifted = static_cast<std::int32_t>(static_cast<std::uint32_t>(x) << left_shift);
    return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

// a + b modulo 2^32. TFLite adds the output zero point to the scaled accumulator in int32, which
// overflows (undefined behaviour in C++) only for accumulators near the int32 limits; the targets
// TFLite runs on wrap there, and so does htvm, by definition rather than by accident.
constexpr std::int32_t wrapping_add(std::int32_t a, std::int32_t b) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}

constexpr std::int32_t clamp(std::int32_t v, std::int32_t lo, std::int32_t hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

// TFLite's requantization of an int32 accumulator: per-channel (pointers set) or per-tensor.
// The arrays are plain const data: never read during constant evaluation.
struct tflite_requant {
    const std::int32_t* multipliers = nullptr;  // per output channel, Q31; null: use `multiplier`
    const std::int32_t* shifts = nullptr;       // per output channel; null: use `shift`
    std::int32_t multiplier = 0;
    std::int32_t shift = 0;
    std::int32_t input_zero_point = 0;
    std::int32_t output_zero_point = 0;
    std::int32_t act_min = -128;  // fused activation clamp, in output units
    std::int32_t act_max = 127;

    constexpr bool per_channel() const { return multipliers != nullptr; }

    // int32 accumulator (bias already added) of output channel `channel` -> int8. Defined for every
    // int32: the zero point's addition wraps (wrapping_add).
    constexpr std::int8_t apply(std::int32_t acc, int channel) const {
        const std::int32_t m = per_channel() ? multipliers[channel] : multiplier;
        const std::int32_t s = per_channel() ? shifts[channel] : shift;
        const std::int32_t scaled = wrapping_add(multiply_by_quantized_multiplier(acc, m, s), output_zero_point);
        return static_cast<std::int8_t>(clamp(scaled, act_min, act_max));
    }
};

// Requantization by a shift (HTVM's pattern bias_add -> right_shift -> clip -> cast, which
// accelerators run): symmetric int8, no zero points; `relu` raises the clip floor to 0.
struct shift_requant {
    int shift = 0;  // arithmetic right shift, 0..31
    bool relu = false;
    std::int32_t clip_min = -128;
    std::int32_t clip_max = 127;

    constexpr std::int32_t low() const { return relu && clip_min < 0 ? 0 : clip_min; }
};

enum class requant_kind : std::uint8_t { none, tflite, shift };

// What turns an int32 accumulator into int8: one of the two arithmetics above.
struct requant {
    requant_kind kind = requant_kind::none;
    tflite_requant tflite{};
    shift_requant shifted{};

    constexpr requant() = default;
    constexpr requant(const tflite_requant& t) : kind(requant_kind::tflite), tflite(t) {}
    constexpr requant(const shift_requant& d) : kind(requant_kind::shift), shifted(d) {}

    // A shift in 0..31 and a clamp range that is not empty.
    constexpr bool valid() const {
        if (kind == requant_kind::shift) return shifted.shift >= 0 && shifted.shift <= 31 && shifted.low() <= shifted.clip_max;
        if (kind == requant_kind::tflite) return tflite.act_min <= tflite.act_max;
        return true;
    }

    // Zero point subtracted from every input before the MAC (TFLite's input offset is its negation).
    constexpr std::int32_t input_zero_point() const {
        return kind == requant_kind::tflite ? tflite.input_zero_point : 0;
    }

    // int32 accumulator (bias already added) of output channel `channel` -> int8.
    constexpr std::int8_t apply(std::int32_t acc, int channel) const {
        if (kind == requant_kind::shift) {
            const std::int32_t value = acc >> shifted.shift;  // arithmetic: C++20 defines it
            return static_cast<std::int8_t>(clamp(value, shifted.low(), shifted.clip_max));
        }
        return tflite.apply(acc, channel);
    }
};

// TFLite's QuantizeMultiplier for a positive real multiplier (frexp, round to Q31, fix 2^31).
// Multipliers so small that the shift would fall below -31 flush to (0, 0), as TFLite does.
// constexpr so that importers and tests share one definition; not used on the device.
struct quantized_multiplier {
    std::int32_t multiplier = 0;
    std::int32_t shift = 0;
};

constexpr quantized_multiplier quantize_multiplier(double real) {
    // Zero, negative-zero, NaN and infinities have no Q31 form: (0, 0), like a flushed scale.
    // Callers that must reject such scales (the importer) check before calling.
    if (!(real == real) || real == 0.0 || real > 1e300 || real < -1e300) return {0, 0};
    // frexp by hand (std::frexp is not constexpr in C++20): real = q * 2^e, q in [0.5, 1).
    int exponent = 0;
    double q = real < 0 ? -real : real;
    while (q >= 1.0) { q /= 2.0; ++exponent; }
    while (q < 0.5) { q *= 2.0; --exponent; }
    if (real < 0) q = -q;
    // std::round: half away from zero.
    const double scaled = q * static_cast<double>(std::int64_t{1} << 31);
    std::int64_t q_fixed = static_cast<std::int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
    if (q_fixed == (std::int64_t{1} << 31)) { q_fixed /= 2; ++exponent; }
    if (exponent < -31) { exponent = 0; q_fixed = 0; }
    return {static_cast<std::int32_t>(q_fixed), exponent};
}

}  // namespace htvm
