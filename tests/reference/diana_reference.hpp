// Independent reference semantics of DIANA's two accelerators, written with Eigen for the tests only.
// Nothing here includes htvm/diana: convolutions are im2col matrix products in int64, and the
// accelerator layouts it needs (the packed analog weights) are decoded from docs/diana.md's
// description, not with the library's index functions.
//
//   digital: out = clip((bias + sum x*w) >> shift, relu ? max(0, lo) : lo, hi)
//   analog:  x' = clip(x, -63, 63); s = sum x'*w (w ternary); a = clip(s, -32, 31);
//            out = clip((k*a + l) >> shift, relu ? max(0, lo) : lo, hi)
#pragma once
#include <Eigen/Dense>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace diana_ref {

using matrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct tensor {
    int h = 1, w = 1, c = 1;
    std::vector<std::int8_t> data;  // HWC

    int size() const { return h * w * c; }
    std::int8_t at(int y, int x, int ch) const { return data[static_cast<std::size_t>((y * w + x) * c + ch)]; }
};

struct conv_geometry {
    int kh = 1, kw = 1, sh = 1, sw = 1;
    int pad_top = 0, pad_left = 0;
    int out_h = 0, out_w = 0;
};

struct requant {
    int shift = 0;
    bool relu = false;
    std::int64_t lo = -128, hi = 127;
};

inline std::int8_t requantize(std::int64_t v, const requant& rq) {
    const std::int64_t low = rq.relu ? std::max<std::int64_t>(0, rq.lo) : rq.lo;
    return static_cast<std::int8_t>(std::clamp<std::int64_t>(v >> rq.shift, low, rq.hi));
}

// im2col: one row per output pixel, columns ordered (fy, fx, c); padding reads 0.
inline matrix patches(const tensor& in, const conv_geometry& g, std::int64_t lo = -128, std::int64_t hi = 127) {
    matrix p = matrix::Zero(g.out_h * g.out_w, g.kh * g.kw * in.c);
    for (int oy = 0; oy < g.out_h; ++oy)
        for (int ox = 0; ox < g.out_w; ++ox)
            for (int fy = 0; fy < g.kh; ++fy)
                for (int fx = 0; fx < g.kw; ++fx) {
                    const int iy = oy * g.sh - g.pad_top + fy, ix = ox * g.sw - g.pad_left + fx;
                    if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                    for (int c = 0; c < in.c; ++c)
                        p(oy * g.out_w + ox, (fy * g.kw + fx) * in.c + c) = std::clamp<std::int64_t>(in.at(iy, ix, c), lo, hi);
                }
    return p;
}

// OHWI int8 weights as a (fy, fx, c) x k matrix.
inline matrix ohwi_matrix(const std::int8_t* w, int k, int c, int kh, int kw) {
    matrix m(kh * kw * c, k);
    for (int o = 0; o < k; ++o)
        for (int r = 0; r < kh * kw * c; ++r) m(r, o) = w[static_cast<std::size_t>(o * kh * kw * c + r)];
    return m;
}

// Digital accelerator (and CPU) conv2d with DIANA requantization.
inline tensor conv_digital(const tensor& in, const conv_geometry& g, const std::int8_t* w, const std::int32_t* bias, int k,
                           const requant& rq) {
    const matrix acc = patches(in, g) * ohwi_matrix(w, k, in.c, g.kh, g.kw);
    tensor out{g.out_h, g.out_w, k, std::vector<std::int8_t>(static_cast<std::size_t>(g.out_h * g.out_w * k))};
    for (int p = 0; p < acc.rows(); ++p)
        for (int o = 0; o < k; ++o)
            out.data[static_cast<std::size_t>(p * k + o)] = requantize(acc(p, o) + (bias ? bias[o] : 0), rq);
    return out;
}

// Depthwise (weights [H][W][C]).
inline tensor depthwise_digital(const tensor& in, const conv_geometry& g, const std::int8_t* w, const std::int32_t* bias,
                                const requant& rq) {
    tensor out{g.out_h, g.out_w, in.c, std::vector<std::int8_t>(static_cast<std::size_t>(g.out_h * g.out_w * in.c))};
    const matrix p = patches(in, g);
    for (int ch = 0; ch < in.c; ++ch) {
        Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> col(g.kh * g.kw * in.c);
        col.setZero();
        for (int t = 0; t < g.kh * g.kw; ++t) col(t * in.c + ch) = w[static_cast<std::size_t>(t * in.c + ch)];
        const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> acc = p * col;
        for (int q = 0; q < acc.rows(); ++q)
            out.data[static_cast<std::size_t>(q * in.c + ch)] = requantize(acc(q) + (bias ? bias[ch] : 0), rq);
    }
    return out;
}

inline tensor dense_digital(const tensor& in, const std::int8_t* w, const std::int32_t* bias, int units, const requant& rq) {
    const int features = in.size();
    Eigen::Map<const Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> wm(w, units, features);
    Eigen::Map<const Eigen::Matrix<std::int8_t, Eigen::Dynamic, 1>> x(in.data.data(), features);
    const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> acc = wm.cast<std::int64_t>() * x.cast<std::int64_t>();
    tensor out{1, 1, units, std::vector<std::int8_t>(static_cast<std::size_t>(units))};
    for (int u = 0; u < units; ++u) out.data[static_cast<std::size_t>(u)] = requantize(acc(u) + (bias ? bias[u] : 0), rq);
    return out;
}

inline tensor add_digital(const tensor& a, const tensor& b, const requant& rq) {
    tensor out = a;
    for (std::size_t i = 0; i < a.data.size(); ++i)
        out.data[i] = requantize(static_cast<std::int64_t>(a.data[i]) + b.data[i], rq);
    return out;
}

// The analog weights as docs/diana.md describes them: row r = (fy*FX + fx)*C + c, ceil(K/4) bytes a
// row, column k in bits 2*(k%4) .. 2*(k%4)+1 of byte k/4, bit 0 = +1, bit 1 = -1.
inline matrix unpack_analog(const std::uint8_t* packed, int k, int c, int kh, int kw) {
    const int rows = c * kh * kw, row_bytes = (k + 3) / 4;
    matrix m(rows, k);
    for (int r = 0; r < rows; ++r)
        for (int o = 0; o < k; ++o) {
            const unsigned bits = static_cast<unsigned>(packed[r * row_bytes + o / 4]) >> (2 * (o % 4));
            m(r, o) = static_cast<std::int64_t>(bits & 1u) - static_cast<std::int64_t>((bits >> 1) & 1u);
        }
    return m;
}

inline tensor conv_analog(const tensor& in, const conv_geometry& g, const matrix& ternary, const std::int32_t* k_scale,
                          const std::int32_t* l_offset, const requant& rq) {
    const int k = static_cast<int>(ternary.cols());
    const matrix sums = patches(in, g, -63, 63) * ternary;
    tensor out{g.out_h, g.out_w, k, std::vector<std::int8_t>(static_cast<std::size_t>(g.out_h * g.out_w * k))};
    for (int p = 0; p < sums.rows(); ++p)
        for (int o = 0; o < k; ++o) {
            const std::int64_t adc = std::clamp<std::int64_t>(sums(p, o), -32, 31);
            out.data[static_cast<std::size_t>(p * k + o)] = requantize(k_scale[o] * adc + l_offset[o], rq);
        }
    return out;
}

// TFLite average pooling (VALID windows here): rounded half away from zero.
inline tensor avg_pool(const tensor& in, int wh, int ww, int sh, int sw) {
    const int oh = (in.h - wh) / sh + 1, ow = (in.w - ww) / sw + 1;
    tensor out{oh, ow, in.c, std::vector<std::int8_t>(static_cast<std::size_t>(oh * ow * in.c))};
    for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x)
            for (int c = 0; c < in.c; ++c) {
                std::int64_t sum = 0;
                for (int a = 0; a < wh; ++a)
                    for (int b = 0; b < ww; ++b) sum += in.at(y * sh + a, x * sw + b, c);
                const std::int64_t n = wh * ww;
                const std::int64_t avg = sum >= 0 ? (sum + n / 2) / n : (sum - n / 2) / n;
                out.data[static_cast<std::size_t>((y * ow + x) * in.c + c)] = static_cast<std::int8_t>(std::clamp<std::int64_t>(avg, -128, 127));
            }
    return out;
}

// Output size and leading padding of one axis (TensorFlow's SAME / VALID / explicit rules).
struct axis {
    int out = 0, before = 0;
};
inline axis same_axis(int in, int k, int s) {
    const int out = (in + s - 1) / s;
    const int total = std::max(0, (out - 1) * s + k - in);
    return {out, total / 2};
}
inline axis explicit_axis(int in, int k, int s, int before, int after) { return {(in + before + after - k) / s + 1, before}; }

}  // namespace diana_ref
