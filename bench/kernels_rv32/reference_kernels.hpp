// Frozen copy of htvm's original plain int8 CPU kernels (the semantics the fast kernels in
// include/htvm/kernels must reproduce bit for bit), and a target that runs a network on them.
// Used by the bit-exactness check and as the "before" column of the instruction counts.
#pragma once
#include <cstddef>
#include <cstdint>

#include <htvm/graph.hpp>
#include <htvm/kernels/geometry.hpp>
#include <htvm/kernels/softmax.hpp>
#include <htvm/layers.hpp>
#include <htvm/quant.hpp>

namespace reference {

using namespace htvm;  // NOLINT: a frozen copy, written against htvm's names
using htvm::cpu::window_geometry;


inline void conv2d(const window_geometry& g, const std::int8_t* input, const std::int8_t* weights,
                   const std::int32_t* bias, const requant& rq, std::int8_t* output) {
    const std::int32_t input_offset = -rq.input_zero_point();
    for (int oy = 0; oy < g.out.h; ++oy) {
        for (int ox = 0; ox < g.out.w; ++ox) {
            const int iy0 = oy * g.stride.h - g.pad_top;
            const int ix0 = ox * g.stride.w - g.pad_left;
            for (int oc = 0; oc < g.out.c; ++oc) {
                std::int32_t acc = 0;
                for (int ky = 0; ky < g.kernel.h; ++ky) {
                    const int iy = iy0 + ky;
                    if (iy < 0 || iy >= g.in.h) continue;
                    for (int kx = 0; kx < g.kernel.w; ++kx) {
                        const int ix = ix0 + kx;
                        if (ix < 0 || ix >= g.in.w) continue;
                        const std::int8_t* in_px = input + (iy * g.in.w + ix) * g.in.c;
                        const std::int8_t* w_px = weights + ((oc * g.kernel.h + ky) * g.kernel.w + kx) * g.in.c;
                        for (int ic = 0; ic < g.in.c; ++ic) acc += (in_px[ic] + input_offset) * w_px[ic];
                    }
                }
                if (bias != nullptr) acc += bias[oc];
                output[(oy * g.out.w + ox) * g.out.c + oc] = rq.apply(acc, oc);
            }
        }
    }
}


inline void depthwise_conv2d(const window_geometry& g, const std::int8_t* input, const std::int8_t* weights,
                             const std::int32_t* bias, const requant& rq, std::int8_t* output) {
    const std::int32_t input_offset = -rq.input_zero_point();
    const int channels = g.in.c;
    for (int oy = 0; oy < g.out.h; ++oy) {
        for (int ox = 0; ox < g.out.w; ++ox) {
            const int iy0 = oy * g.stride.h - g.pad_top;
            const int ix0 = ox * g.stride.w - g.pad_left;
            for (int c = 0; c < channels; ++c) {
                std::int32_t acc = 0;
                for (int ky = 0; ky < g.kernel.h; ++ky) {
                    const int iy = iy0 + ky;
                    if (iy < 0 || iy >= g.in.h) continue;
                    for (int kx = 0; kx < g.kernel.w; ++kx) {
                        const int ix = ix0 + kx;
                        if (ix < 0 || ix >= g.in.w) continue;
                        acc += (input[(iy * g.in.w + ix) * channels + c] + input_offset) *
                               weights[(ky * g.kernel.w + kx) * channels + c];
                    }
                }
                if (bias != nullptr) acc += bias[c];
                output[(oy * g.out.w + ox) * channels + c] = rq.apply(acc, c);
            }
        }
    }
}


inline void dense(int features, int units, const std::int8_t* input, const std::int8_t* weights,
                  const std::int32_t* bias, const requant& rq, std::int8_t* output) {
    const std::int32_t input_offset = -rq.input_zero_point();
    for (int u = 0; u < units; ++u) {
        const std::int8_t* row = weights + u * features;
        std::int32_t acc = 0;
        for (int i = 0; i < features; ++i) acc += (input[i] + input_offset) * row[i];
        if (bias != nullptr) acc += bias[u];
        output[u] = rq.apply(acc, u);
    }
}


template <bool is_max>
inline void pool(const window_geometry& g, std::int32_t act_min, std::int32_t act_max, const std::int8_t* input,
                 std::int8_t* output) {
    for (int oy = 0; oy < g.out.h; ++oy) {
        for (int ox = 0; ox < g.out.w; ++ox) {
            const int iy0 = oy * g.stride.h - g.pad_top;
            const int ix0 = ox * g.stride.w - g.pad_left;
            const int y_begin = iy0 < 0 ? 0 : iy0, y_end = iy0 + g.kernel.h > g.in.h ? g.in.h : iy0 + g.kernel.h;
            const int x_begin = ix0 < 0 ? 0 : ix0, x_end = ix0 + g.kernel.w > g.in.w ? g.in.w : ix0 + g.kernel.w;
            const int count = (y_end - y_begin) * (x_end - x_begin);
            for (int c = 0; c < g.in.c; ++c) {
                std::int32_t acc = is_max ? -128 : 0;
                for (int iy = y_begin; iy < y_end; ++iy)
                    for (int ix = x_begin; ix < x_end; ++ix) {
                        const std::int32_t v = input[(iy * g.in.w + ix) * g.in.c + c];
                        if constexpr (is_max) acc = v > acc ? v : acc;
                        else acc += v;
                    }
                if constexpr (!is_max) acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                output[(oy * g.out.w + ox) * g.out.c + c] = static_cast<std::int8_t>(clamp(acc, act_min, act_max));
            }
        }
    }
}

inline void avg_pool(const window_geometry& g, std::int32_t act_min, std::int32_t act_max, const std::int8_t* input,
                     std::int8_t* output) {
    reference::pool<false>(g, act_min, act_max, input, output);
}

inline void max_pool(const window_geometry& g, std::int32_t act_min, std::int32_t act_max, const std::int8_t* input,
                     std::int8_t* output) {
    reference::pool<true>(g, act_min, act_max, input, output);
}


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
inline void add_diana(int count, const shift_requant& rq, const std::int8_t* lhs, const std::int8_t* rhs,
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


// cpu_target's dispatch, calling the kernels above.
struct target {
    static constexpr const char* name = "reference";

    template <const auto& net, const auto& graph, std::size_t i>
    static void execute(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        constexpr const layer& l = net.layers[i];
        constexpr shape in = graph.input_shape(i);
        constexpr shape result = graph.output[i];
        auto geometry = [](hw kernel, hw stride) {
            return window_geometry{in, result, kernel, stride, graph.pad[i].top, graph.pad[i].left};
        };
        if constexpr (is<htvm::conv2d>(l)) {
            constexpr const auto& op = get<htvm::conv2d>(l);
            reference::conv2d(geometry(op.kernel, op.stride), a, op.weights.data, op.bias.data, op.requant, out);
        } else if constexpr (is<htvm::depthwise_conv2d>(l)) {
            constexpr const auto& op = get<htvm::depthwise_conv2d>(l);
            reference::depthwise_conv2d(geometry(op.kernel, op.stride), a, op.weights.data, op.bias.data, op.requant, out);
        } else if constexpr (is<htvm::dense>(l)) {
            constexpr const auto& op = get<htvm::dense>(l);
            reference::dense(in.elements(), result.c, a, op.weights.data, op.bias.data, op.requant, out);
        } else if constexpr (is<htvm::add>(l)) {
            constexpr const auto& op = get<htvm::add>(l);
            if constexpr (op.use_tflite) reference::add_tflite(result.elements(), op.tflite, a, b, out);
            else reference::add_diana(result.elements(), op.requant, a, b, out);
        } else if constexpr (is<htvm::avg_pool>(l)) {
            constexpr const auto& op = get<htvm::avg_pool>(l);
            reference::avg_pool(geometry(op.window, op.stride), op.act_min, op.act_max, a, out);
        } else if constexpr (is<htvm::max_pool>(l)) {
            constexpr const auto& op = get<htvm::max_pool>(l);
            reference::max_pool(geometry(op.window, op.stride), op.act_min, op.act_max, a, out);
        } else if constexpr (is<htvm::global_avg_pool>(l)) {
            constexpr const auto& op = get<htvm::global_avg_pool>(l);
            constexpr window_geometry gg{in, result, hw{in.h, in.w}, hw{1, 1}, 0, 0};
            reference::avg_pool(gg, op.act_min, op.act_max, a, out);
        } else if constexpr (is<htvm::softmax>(l)) {
            htvm::cpu::softmax(in.elements() / in.c, in.c, get<htvm::softmax>(l).params, a, out);
        } else if constexpr (is<htvm::clip>(l)) {
            reference::clip(in.elements(), get<htvm::clip>(l).min, get<htvm::clip>(l).max, a, out);
        } else if constexpr (is<htvm::pad>(l)) {
            reference::pad(in, graph.pad[i].top, graph.pad[i].left, result, get<htvm::pad>(l).value, a, out);
        } else {
            (void)a, (void)b, (void)out;
        }
    }
};

}  // namespace reference
