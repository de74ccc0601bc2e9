// Reference int8 layers for the tests, independent of htvm's kernels: convolutions and dense as
// im2col + int64 matrix products with Eigen, the rest as plain loops over an NHWC tensor. Geometry
// (TFLite's SAME / VALID rules, explicit pads) is computed here too, not taken from htvm's graph.
// Host only: allocates, and fails on TFLite-undefined cases (int32 overflow) instead of hiding them.
#pragma once
#include <Eigen/Dense>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "arith.hpp"

namespace ref {

// Batch-1 NHWC int8 tensor.
struct tensor {
    int h = 1, w = 1, c = 1;
    std::vector<std::int8_t> data = std::vector<std::int8_t>(1);

    tensor() = default;
    tensor(int height, int width, int channels)
        : h(height), w(width), c(channels), data(static_cast<std::size_t>(height * width * channels)) {}
    int size() const { return h * w * c; }
    std::int8_t& at(int y, int x, int ch) { return data[static_cast<std::size_t>((y * w + x) * c + ch)]; }
    std::int8_t at(int y, int x, int ch) const { return data[static_cast<std::size_t>((y * w + x) * c + ch)]; }
};

enum class pad_kind { valid, same, explicit_pads };

struct window {
    int kh = 1, kw = 1;  // kernel or pool window
    int sh = 1, sw = 1;  // stride
    pad_kind padding = pad_kind::valid;
    int top = 0, bottom = 0, left = 0, right = 0;  // explicit_pads only
};

struct geometry {
    int out_h = 0, out_w = 0;
    int pad_top = 0, pad_left = 0;  // padding before the first row / column
};

// One axis, TFLite's rules: SAME gives ceil(in / stride) outputs with the total padding split with
// the odd element after; VALID and explicit give floor((in + pads - k) / stride) + 1.
inline void resolve_axis(int in, int k, int stride, pad_kind mode, int before, int after, int& out, int& pad_before) {
    if (mode == pad_kind::same) {
        out = (in + stride - 1) / stride;
        const int total = std::max(0, (out - 1) * stride + k - in);
        pad_before = total / 2;
        return;
    }
    if (mode == pad_kind::valid) before = after = 0;
    const int span = in + before + after - k;
    out = span < 0 ? 0 : span / stride + 1;
    pad_before = before;
}

inline geometry resolve(int in_h, int in_w, const window& win) {
    geometry g;
    resolve_axis(in_h, win.kh, win.sh, win.padding, win.top, win.bottom, g.out_h, g.pad_top);
    resolve_axis(in_w, win.kw, win.sw, win.padding, win.left, win.right, g.out_w, g.pad_left);
    return g;
}

using matrix = Eigen::Matrix<i64, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using vector = Eigen::Matrix<i64, Eigen::Dynamic, 1>;

// Accumulators of a layer: one row per output pixel, one column per output channel, bias included.
struct accumulators {
    int out_h = 1, out_w = 1;
    matrix values;
};

// im2col: row p = the window of output pixel p, (ky, kx, ic) order, input minus zero point, padding 0.
inline matrix im2col(const tensor& in, const window& win, const geometry& g, std::int32_t input_zero_point,
                     int channel_begin, int channel_count) {
    matrix patches = matrix::Zero(g.out_h * g.out_w, win.kh * win.kw * channel_count);
    for (int oy = 0; oy < g.out_h; ++oy)
        for (int ox = 0; ox < g.out_w; ++ox)
            for (int ky = 0; ky < win.kh; ++ky)
                for (int kx = 0; kx < win.kw; ++kx) {
                    const int iy = oy * win.sh - g.pad_top + ky, ix = ox * win.sw - g.pad_left + kx;
                    if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                    for (int k = 0; k < channel_count; ++k)
                        patches(oy * g.out_w + ox, (ky * win.kw + kx) * channel_count + k) =
                            static_cast<i64>(in.at(iy, ix, channel_begin + k)) - input_zero_point;
                }
    return patches;
}

inline void add_bias(matrix& acc, const std::vector<std::int32_t>& bias) {
    if (bias.empty()) return;
    for (Eigen::Index col = 0; col < acc.cols(); ++col) acc.col(col).array() += static_cast<i64>(bias[static_cast<std::size_t>(col)]);
}

// Convolution, weights OHWI: accumulators = im2col(input) * weights^T.
inline accumulators conv2d(const tensor& in, const std::vector<std::int8_t>& weights_ohwi, int filters,
                           const std::vector<std::int32_t>& bias, const window& win, std::int32_t input_zero_point) {
    const geometry g = resolve(in.h, in.w, win);
    const int per_filter = win.kh * win.kw * in.c;
    matrix w(filters, per_filter);
    for (int o = 0; o < filters; ++o)
        for (int k = 0; k < per_filter; ++k) w(o, k) = weights_ohwi[static_cast<std::size_t>(o * per_filter + k)];
    accumulators r{g.out_h, g.out_w, im2col(in, win, g, input_zero_point, 0, in.c) * w.transpose()};
    add_bias(r.values, bias);
    return r;
}

// Depthwise convolution (multiplier 1), weights [H][W][C]: one im2col product per channel.
inline accumulators depthwise_conv2d(const tensor& in, const std::vector<std::int8_t>& weights_hwc,
                                     const std::vector<std::int32_t>& bias, const window& win,
                                     std::int32_t input_zero_point) {
    const geometry g = resolve(in.h, in.w, win);
    accumulators r{g.out_h, g.out_w, matrix(g.out_h * g.out_w, in.c)};
    for (int ch = 0; ch < in.c; ++ch) {
        vector w(win.kh * win.kw);
        for (int k = 0; k < win.kh * win.kw; ++k) w(k) = weights_hwc[static_cast<std::size_t>(k * in.c + ch)];
        r.values.col(ch) = im2col(in, win, g, input_zero_point, ch, 1) * w;
    }
    add_bias(r.values, bias);
    return r;
}

// Fully connected over the flattened input, weights [units][features].
inline accumulators dense(const tensor& in, const std::vector<std::int8_t>& weights, int units,
                          const std::vector<std::int32_t>& bias, std::int32_t input_zero_point) {
    const int features = in.size();
    matrix w(units, features);
    for (int u = 0; u < units; ++u)
        for (int i = 0; i < features; ++i) w(u, i) = weights[static_cast<std::size_t>(u * features + i)];
    matrix x(1, features);
    for (int i = 0; i < features; ++i) x(0, i) = static_cast<i64>(in.data[static_cast<std::size_t>(i)]) - input_zero_point;
    accumulators r{1, 1, x * w.transpose()};
    add_bias(r.values, bias);
    return r;
}

inline i64 largest_magnitude(const accumulators& acc) {
    return acc.values.size() == 0 ? 0 : acc.values.cwiseAbs().maxCoeff();
}

// Requantizes every accumulator; empty when any of them is a TFLite-undefined case.
inline std::optional<tensor> requantize(const accumulators& acc, const requant_spec& rq) {
    tensor out(acc.out_h, acc.out_w, static_cast<int>(acc.values.cols()));
    for (Eigen::Index p = 0; p < acc.values.rows(); ++p)
        for (Eigen::Index ch = 0; ch < acc.values.cols(); ++ch) {
            const auto v = ref::requantize(acc.values(p, ch), static_cast<int>(ch), rq);
            if (!v) return std::nullopt;
            out.data[static_cast<std::size_t>(p * acc.values.cols() + ch)] = *v;
        }
    return out;
}

// Pools: the window clipped to the input (padding never counted). Average: the sum divided by the
// number of elements, rounded to nearest with ties away from zero. A window with no element at all
// (explicit pads at least as large as the window) gives 0 for average and -128 for max.
inline tensor pool(const tensor& in, const window& win, bool is_max, std::int32_t act_min, std::int32_t act_max) {
    const geometry g = resolve(in.h, in.w, win);
    tensor out(g.out_h, g.out_w, in.c);
    for (int oy = 0; oy < g.out_h; ++oy)
        for (int ox = 0; ox < g.out_w; ++ox)
            for (int ch = 0; ch < in.c; ++ch) {
                i64 sum = 0, best = -128, count = 0;
                for (int ky = 0; ky < win.kh; ++ky)
                    for (int kx = 0; kx < win.kw; ++kx) {
                        const int iy = oy * win.sh - g.pad_top + ky, ix = ox * win.sw - g.pad_left + kx;
                        if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                        sum += in.at(iy, ix, ch);
                        best = std::max<i64>(best, in.at(iy, ix, ch));
                        ++count;
                    }
                i64 v = best;
                if (!is_max) {
                    if (count == 0) {
                        v = 0;
                    } else {
                        const i64 magnitude = static_cast<i64>(floor_div(2 * (sum < 0 ? -sum : sum) + count, 2 * count));
                        v = sum < 0 ? -magnitude : magnitude;
                    }
                }
                out.at(oy, ox, ch) = static_cast<std::int8_t>(clamp64(v, act_min, act_max));
            }
    return out;
}

inline tensor global_avg_pool(const tensor& in, std::int32_t act_min, std::int32_t act_max) {
    return pool(in, window{in.h, in.w, 1, 1, pad_kind::valid}, false, act_min, act_max);
}

// TFLite's int8 ADD parameters (left shift, per-input Q31 multipliers, output multiplier).
struct add_params {
    std::int32_t zp1 = 0, zp2 = 0, out_zp = 0;
    int left_shift = 20;
    std::int32_t m1 = 0, m2 = 0, m_out = 0;
    int s1 = 0, s2 = 0, s_out = 0;
    std::int32_t act_min = -128, act_max = 127;
};

// Empty when an intermediate leaves int32 (TFLite undefined).
inline std::optional<tensor> add_tflite(const tensor& a, const tensor& b, const add_params& p) {
    tensor out = a;
    for (int i = 0; i < a.size(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        const i128 x1 = (static_cast<i128>(a.data[k]) - p.zp1) * pow2(p.left_shift);
        const i128 x2 = (static_cast<i128>(b.data[k]) - p.zp2) * pow2(p.left_shift);
        if (x1 > INT32_MAX || x1 < INT32_MIN || x2 > INT32_MAX || x2 < INT32_MIN) return std::nullopt;
        const auto y1 = scale(static_cast<std::int32_t>(x1), p.m1, p.s1);
        const auto y2 = scale(static_cast<std::int32_t>(x2), p.m2, p.s2);
        if (!y1 || !y2) return std::nullopt;
        const i64 sum = static_cast<i64>(*y1) + *y2;
        if (sum > INT32_MAX || sum < INT32_MIN) return std::nullopt;
        const auto y = scale(static_cast<std::int32_t>(sum), p.m_out, p.s_out);
        if (!y) return std::nullopt;
        const i64 v = static_cast<i64>(*y) + p.out_zp;
        out.data[k] = static_cast<std::int8_t>(clamp64(v, p.act_min, p.act_max));
    }
    return out;
}

// DIANA's add: floor((a + b) / 2^shift), clamped like its requantization.
inline tensor add_diana(const tensor& a, const tensor& b, int shift, bool relu, std::int32_t clip_min,
                        std::int32_t clip_max) {
    tensor out = a;
    const i64 lo = relu ? std::max<i64>(0, clip_min) : clip_min;
    for (int i = 0; i < a.size(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        const i64 sum = static_cast<i64>(a.data[k]) + b.data[k];
        out.data[k] = static_cast<std::int8_t>(clamp64(static_cast<i64>(floor_div(sum, pow2(shift))), lo, clip_max));
    }
    return out;
}

inline tensor clip(const tensor& in, std::int32_t lo, std::int32_t hi) {
    tensor out = in;
    for (auto& v : out.data) v = static_cast<std::int8_t>(clamp64(v, lo, hi));
    return out;
}

inline tensor pad(const tensor& in, int top, int bottom, int left, int right, std::int8_t value) {
    tensor out(in.h + top + bottom, in.w + left + right, in.c);
    std::fill(out.data.begin(), out.data.end(), value);
    for (int y = 0; y < in.h; ++y)
        for (int x = 0; x < in.w; ++x)
            for (int ch = 0; ch < in.c; ++ch) out.at(y + top, x + left, ch) = in.at(y, x, ch);
    return out;
}

}  // namespace ref
