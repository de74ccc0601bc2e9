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

// CalculateActivationRangeQuantized for int8: the clamp in output units. Quantizing a float bound
// is zero_point + round(bound / scale), float division and float rounding as TFLite does.
// `supported` is false for activations that are not a clamp (TANH, SIGN_BIT).
inline bool int8_activation_range(fused_activation act, float scale, std::int32_t zero_point, activation_range& out) {
    auto quantize = [&](float bound) {
        return zero_point + static_cast<std::int32_t>(std::round(bound / scale));
    };
    out = {};
    switch (act) {
        case fused_activation::none: return true;
        case fused_activation::relu: out.min = std::max<std::int32_t>(-128, quantize(0.0f)); return true;
        case fused_activation::relu6:
            out.min = std::max<std::int32_t>(-128, quantize(0.0f));
            out.max = std::min<std::int32_t>(127, quantize(6.0f));
            return true;
        case fused_activation::relu_n1_to_1:
            out.min = std::max<std::int32_t>(-128, quantize(-1.0f));
            out.max = std::min<std::int32_t>(127, quantize(1.0f));
            return true;
        default: return false;
    }
}

// Conv / depthwise per channel (PopulateConvolutionQuantizationParams): everything in double.
inline htvm::quantized_multiplier conv_channel_multiplier(float input_scale, float filter_scale, float output_scale) {
    const double effective = static_cast<double>(input_scale) * static_cast<double>(filter_scale) /
                             static_cast<double>(output_scale);
    return htvm::quantize_multiplier(effective);
}

// Fully connected (GetQuantizedConvolutionMultipler): the input * filter product is rounded to
// float first, then divided in double.
inline htvm::quantized_multiplier fully_connected_multiplier(float input_scale, float filter_scale, float output_scale) {
    const float product = static_cast<float>(input_scale * filter_scale);  // the cast forces float rounding
    return htvm::quantize_multiplier(static_cast<double>(product) / static_cast<double>(output_scale));
}

// int8 ADD (add.cc CalculateOpData): both inputs to twice the larger input scale after a left
// shift of 20, then to the output scale.
struct add_multipliers {
    htvm::quantized_multiplier input1, input2, output;
    int left_shift = 20;
};
inline add_multipliers add_parameters(float input1_scale, float input2_scale, float output_scale) {
    add_multipliers p;
    const double twice_max_input_scale = 2 * static_cast<double>(std::max(input1_scale, input2_scale));
    p.input1 = htvm::quantize_multiplier(static_cast<double>(input1_scale) / twice_max_input_scale);
    p.input2 = htvm::quantize_multiplier(static_cast<double>(input2_scale) / twice_max_input_scale);
    p.output = htvm::quantize_multiplier(twice_max_input_scale /
                                         (static_cast<double>(1 << p.left_shift) * static_cast<double>(output_scale)));
    return p;
}

// Standalone int8 RELU / RELU6 (activations.cc ReluPrepare): the input/output rescale is the
// float quotient widened to double.
inline htvm::quantized_multiplier relu_multiplier(float input_scale, float output_scale) {
    const float ratio = static_cast<float>(input_scale / output_scale);
    return htvm::quantize_multiplier(static_cast<double>(ratio));
}

}  // namespace htvm_import
