// TFLite's integer parameters, computed from the float scales in the order and precision TFLite's
// Prepare functions use. Bit-exactness depends on these details (float vs double products), so
// each function says which TFLite routine it mirrors.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <htvm/quant.hpp>

namespace htvm_import {

// TFLite's fused activation function values (ActivationFunctionType).
enum class fused_activation : int { none = 0, relu = 1, relu_n1_to_1 = 2, relu6 = 3, tanh = 4, sign_bit = 5 };

struct activation_range {
    std::int32_t min = -128, max = 127;
};

// How a fused activation's bounds came out.
enum class activation_status {
    ok,            // `out` holds the clamp
    not_a_clamp,   // TANH, SIGN_BIT or an unknown value: not supported
    out_of_range,  // a bound divided by the scale does not fit int32: TFLite refuses the model
};

// TFLite's Quantize helper of CalculateActivationRangeQuantized: zero_point + round(bound / scale),
// float division and float rounding. TFLite refuses the model (TF_LITE_ENSURE) when the rounded
// quotient is not within int32; so do we, instead of converting an out-of-range float (undefined
// behaviour). The bound is then compared with -128 / 127, so the sum is kept in 64 bits.
inline bool quantize_activation_bound(float bound, float scale, std::int32_t zero_point, std::int64_t& out) {
    const float rounded = std::round(bound / scale);
    if (!(rounded >= -2147483648.0f && rounded < 2147483648.0f)) return false;  // also NaN
    out = zero_point + static_cast<std::int64_t>(static_cast<std::int32_t>(rounded));
    return true;
}

// CalculateActivationRangeQuantized for int8: the clamp in output units. `scale` is a valid
// (positive, finite) output scale.
inline activation_status int8_activation_range(fused_activation act, float scale, std::int32_t zero_point,
                                               activation_range& out) {
    out = {};
    std::int64_t low = -128, high = 127;
    switch (act) {
        case fused_activation::none: return activation_status::ok;
        case fused_activation::relu:
            if (!quantize_activation_bound(0.0f, scale, zero_point, low)) return activation_status::out_of_range;
            break;
        case fused_activation::relu6:
            if (!quantize_activation_bound(0.0f, scale, zero_point, low) ||
                !quantize_activation_bound(6.0f, scale, zero_point, high))
                return activation_status::out_of_range;
            break;
        case fused_activation::relu_n1_to_1:
            if (!quantize_activation_bound(-1.0f, scale, zero_point, low) ||
                !quantize_activation_bound(1.0f, scale, zero_point, high))
                return activation_status::out_of_range;
            break;
        default: return activation_status::not_a_clamp;
    }
    out.min = static_cast<std::int32_t>(std::max<std::int64_t>(-128, std::min<std::int64_t>(low, 127)));
    out.max = static_cast<std::int32_t>(std::min<std::int64_t>(127, std::max<std::int64_t>(high, -128)));
    return activation_status::ok;
}

// The real multipliers below are turned into TFLite's (Q31 multiplier, shift) by QuantizeMultiplier.
// TFLite's MultiplyByQuantizedMultiplier computes x * 2^shift in int32 for a positive shift, which is
// defined only up to a shift of 30; a larger real multiplier (or an infinite one) has no defined
// result, and the importer refuses it (see multiplier_in_range).
inline bool multiplier_in_range(double real) {
    if (!std::isfinite(real) || real < 0) return false;
    return htvm::quantize_multiplier(real).shift <= 30;
}

// Conv / depthwise per channel (PopulateConvolutionQuantizationParams): everything in double.
inline double conv_channel_real_multiplier(float input_scale, float filter_scale, float output_scale) {
    return static_cast<double>(input_scale) * static_cast<double>(filter_scale) / static_cast<double>(output_scale);
}
inline htvm::quantized_multiplier conv_channel_multiplier(float input_scale, float filter_scale, float output_scale) {
    return htvm::quantize_multiplier(conv_channel_real_multiplier(input_scale, filter_scale, output_scale));
}

// Fully connected (GetQuantizedConvolutionMultipler): the input * filter product is rounded to
// float first, then divided in double.
inline double fully_connected_real_multiplier(float input_scale, float filter_scale, float output_scale) {
    const float product = static_cast<float>(input_scale * filter_scale);  // the cast forces float rounding
    return static_cast<double>(product) / static_cast<double>(output_scale);
}
inline htvm::quantized_multiplier fully_connected_multiplier(float input_scale, float filter_scale, float output_scale) {
    return htvm::quantize_multiplier(fully_connected_real_multiplier(input_scale, filter_scale, output_scale));
}

// int8 ADD (add.cc CalculateOpData): both inputs to twice the larger input scale after a left
// shift of 20, then to the output scale.
struct add_multipliers {
    htvm::quantized_multiplier input1, input2, output;
    int left_shift = 20;
    double real_output = 0;  // the output's real multiplier (the inputs' are at most 1/2)
};
inline add_multipliers add_parameters(float input1_scale, float input2_scale, float output_scale) {
    add_multipliers p;
    const double twice_max_input_scale = 2 * static_cast<double>(std::max(input1_scale, input2_scale));
    p.input1 = htvm::quantize_multiplier(static_cast<double>(input1_scale) / twice_max_input_scale);
    p.input2 = htvm::quantize_multiplier(static_cast<double>(input2_scale) / twice_max_input_scale);
    p.real_output = twice_max_input_scale / (static_cast<double>(1 << p.left_shift) * static_cast<double>(output_scale));
    p.output = htvm::quantize_multiplier(p.real_output);
    return p;
}

// Standalone int8 RELU / RELU6 (activations.cc ReluPrepare): the input/output rescale is the
// float quotient widened to double.
inline double relu_real_multiplier(float input_scale, float output_scale) {
    const float ratio = static_cast<float>(input_scale / output_scale);  // may overflow to +inf
    return static_cast<double>(ratio);
}
inline htvm::quantized_multiplier relu_multiplier(float input_scale, float output_scale) {
    return htvm::quantize_multiplier(relu_real_multiplier(input_scale, output_scale));
}

}  // namespace htvm_import
