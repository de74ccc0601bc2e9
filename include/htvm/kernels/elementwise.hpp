// Element-wise int8 kernels: add (TFLite or DIANA arithmetic), clip, pad. All are safe in place
// (output == one input): element i is written only after it is read.
#pragma once
#include <cstdint>

#include "../layers.hpp"
#include "../quant.hpp"

namespace htvm::cpu {

// TFLite's AddElementwise: both inputs shifted left by `left_shift`, rescaled to a common scale,
// summed, rescaled to the output.
inline void add_tflite(int count, const tflite_add_params& p, const std::int8_t* lhs, const std::int8_t* rhs,
                       std::int8_t* output) {
    for (int i = 0; i < count; ++i) {
        const std::int32_t a = (lhs[i] - p.input1_zero_point) * (1 << p.left_shift);
        const std::int32_t b = (rhs[i] - p.input2_zero_point) * (1 << p.left_shift);
        const std::int32_t sum = multiply_by_quantized_multiplier(a, p.input1_multiplier, p.input1_shift) +
                                 multiply_by_quantized_multiplier(b, p.input2_multiplier, p.input2_shift);
        const std::int32_t out = multiply_by_quantized_multiplier(sum, p.output_multiplier, p.output_shift) +
                                 p.output_zero_point;
        output[i] = static_cast<std::int8_t>(clamp(out, p.act_min, p.act_max));
    }
}

// DIANA's add: int32 sum, arithmetic right shift, clip (HTVM's add -> right_shift -> clip -> cast).
inline void add_diana(int count, const diana_requant& rq, const std::int8_t* lhs, const std::int8_t* rhs,
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
