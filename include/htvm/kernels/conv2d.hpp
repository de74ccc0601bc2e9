// int8 convolution (groups = 1), weights OHWI. Padding contributes nothing to the accumulator,
// which is what an input padded with its zero point gives (TFLite's ConvPerChannel).
//
// Written for a 32-bit core without SIMD (RV32IMC: one multiply and one add per MAC at best), so
// the work is in keeping loads and loop overhead per MAC low:
//  - register blocks of M output channels x N horizontally adjacent output pixels;
//  - the input zero point is folded out of the loop: sum (x - zp) * w = sum x * w - zp * sum w, with
//    sum w per channel over the kernel rows that lie inside the input (rows in the top/bottom padding
//    are skipped, so each output row has one such start value);
//  - kernels 3 wide at stride 1 or 2 (and 4 wide at stride 2) use shared input columns
//    (mac_block_columns): each input byte is loaded once per block, not once per window; a padding
//    column at either edge reads as the zero point, so a row needs no per-pixel border path;
//  - other kernels (1x1 in particular) run mac_block over each kernel row's contiguous kw * cin
//    bytes; a 1x1 stride-1 convolution is one long row of pixels (a matrix product); pixels whose
//    window is clipped by left/right padding take a one-pixel path adding the zero point per input.
// Every geometry-derived value comes from the Geometry type, so a network's fixed_window instance
// has constant loop bounds and immediate address offsets. The exception: a compiled 1x1 stride-1
// layer with a multiple of 4 filters runs pointwise_conv2d, whose only per-layer code is its MAC
// blocks, shared by the layers of one input width.
#pragma once
#include <cstdint>
#include <type_traits>
#include <utility>

#include "../quant.hpp"
#include "geometry.hpp"
#include "mac_block.hpp"
#include "requantize.hpp"

namespace htvm::cpu {
namespace detail {

// Everything a conv2d call derives from its geometry. Member functions of the geometry rather than
// stored values: for a fixed_window they are constants wherever they are used, inlined or not.
template <class Geometry>
struct conv_plan {
    Geometry g;  // empty for a fixed_window
    // A fixed_window: every value below is then a compile-time constant (conv_plan{}.value()).
    static constexpr bool fixed = is_fixed_window<Geometry>;

    // 1x1, stride 1, no padding: the image is one row of in.h * in.w pixels (a matrix product).
    [[gnu::always_inline]] constexpr bool pointwise() const {
        return g.kernel.h == 1 && g.kernel.w == 1 && g.stride.h == 1 && g.stride.w == 1 && g.pad_top == 0 &&
               g.pad_left == 0 && g.out.h == g.in.h && g.out.w == g.in.w;
    }
    [[gnu::always_inline]] constexpr int in_h() const { return pointwise() ? 1 : g.in.h; }
    [[gnu::always_inline]] constexpr int in_w() const { return pointwise() ? g.in.h * g.in.w : g.in.w; }
    [[gnu::always_inline]] constexpr int out_h() const { return pointwise() ? 1 : g.out.h; }
    [[gnu::always_inline]] constexpr int out_w() const { return pointwise() ? g.out.h * g.out.w : g.out.w; }
    [[gnu::always_inline]] constexpr int cin() const { return g.in.c; }
    [[gnu::always_inline]] constexpr int cout() const { return g.out.c; }
    [[gnu::always_inline]] constexpr int kh() const { return g.kernel.h; }
    [[gnu::always_inline]] constexpr int kw() const { return g.kernel.w; }
    [[gnu::always_inline]] constexpr int sh() const { return g.stride.h; }
    [[gnu::always_inline]] constexpr int sw() const { return g.stride.w; }
    [[gnu::always_inline]] constexpr int pad_top() const { return g.pad_top; }
    [[gnu::always_inline]] constexpr int pad_left() const { return g.pad_left; }
    [[gnu::always_inline]] constexpr int pad_right() const {
        return right_padding(in_w(), out_w(), kw(), sw(), pad_left());
    }
    // weights per output channel; contiguous bytes of a kernel row; bytes between input rows; bytes
    // between horizontally adjacent windows
    [[gnu::always_inline]] constexpr int taps() const { return kh() * kw() * cin(); }
    [[gnu::always_inline]] constexpr int row_run() const { return kw() * cin(); }
    [[gnu::always_inline]] constexpr int row_stride() const { return in_w() * cin(); }
    [[gnu::always_inline]] constexpr int pixel_step() const { return sw() * cin(); }
    // Output columns [x_lo, x_hi) have windows inside the input horizontally.
    [[gnu::always_inline]] constexpr int x_lo() const { return inside_begin(out_w(), sw(), pad_left()); }
    [[gnu::always_inline]] constexpr int x_hi() const { return inside_end(in_w(), out_w(), kw(), sw(), pad_left()); }
};

// A pointwise (1x1, stride 1, unpadded) convolution with run-time pixel and output channel counts:
// one row of `pixels` pixels. Its block functions depend on the input channel count only (the MAC
// loop's length and address offsets), so a network's pointwise layers with the same input width
// share one instance (MobileNet has 13 such layers in nine geometries, and six input widths). Cin = 0: the input channel count
// is a run-time value too (the one-pixel block of the remainder, shared by all widths).
template <int Cin>
struct pointwise_plan {
    int pixels = 0, out_channels = 0, in_channels = Cin;
    static constexpr bool fixed = false;

    [[gnu::always_inline]] constexpr int cin() const {
        if constexpr (Cin > 0) return Cin;
        else return in_channels;
    }
    [[gnu::always_inline]] constexpr int cout() const { return out_channels; }
    [[gnu::always_inline]] constexpr int taps() const { return cin(); }
    [[gnu::always_inline]] constexpr int row_run() const { return cin(); }
    [[gnu::always_inline]] constexpr int row_stride() const { return pixels * cin(); }
    [[gnu::always_inline]] constexpr int pixel_step() const { return cin(); }
};

// How a block's MACs are computed.
struct rows_path {};  // mac_block over each kernel row's contiguous kw * cin bytes (any kernel)
template <int KW, int S>
struct columns_path {  // mac_block_columns: kernel width KW, stride S
    static constexpr int kw = KW, stride = S;
};

template <class Path>
inline constexpr bool is_columns = false;
template <int KW, int S>
inline constexpr bool is_columns<columns_path<KW, S>> = true;

// What every block of an output row shares: the first valid input row, the weights of that kernel
// row, the number of valid kernel rows and, per channel, the folded accumulator start, the bias and
// the requantization.
template <int M, class Stage>
struct conv_row {
    const std::int8_t* in_rows;
    const std::int8_t* w_rows;
    int rows;
    std::int32_t offset;  // -input zero point
    std::uint32_t start[M];
    std::uint32_t bias[M];
    typename Stage::channel ch[M];
};

// N adjacent output pixels; x: their input at the first valid kernel row (for the columns path, the
// first real input column of the block: its first L and last R columns are padding).
// Not inlined: the register allocator then sees only the block's accumulators and pointers, not the
// whole kernel's state (which made it spill accumulators in the MAC loop).
template <int M, int N, class Path, int L = 0, int R = 0, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_block_body(const Plan& p, const conv_row<M, Stage>& row, const Stage& stage,
                                                     const std::int8_t* x, int oc, std::int8_t* out) {
    std::uint32_t acc[M][N];
#pragma GCC unroll 16
    for (int m = 0; m < M; ++m)
#pragma GCC unroll 16
        for (int n = 0; n < N; ++n) acc[m][n] = row.start[m];
    if constexpr (is_columns<Path>) {
        mac_block_columns<M, N, Path::kw, Path::stride, L, R>(acc, x, p.cin(), row.w_rows, p.taps(), -row.offset,
                                                              row.rows, p.row_stride(), p.row_run());
    } else {
        mac_block<M, N, false>(acc, x, p.pixel_step(), row.w_rows, p.taps(), p.row_run(), 0, row.rows,
                               p.row_stride(), p.row_run());
    }
    // The shared requantization, not an inlined copy: that copy was about half of each block
    // function's code, and the call costs a few instructions per output value (measured on the RV32
    // builds: ResNet-8 1.3 kB less flash for 0.15% more instructions, 3 x 3 kernels on 3 channels; the
    // 1 x 1 kernels of MobileNet 0.6 kB per geometry for 0.34 instructions per MAC at 8 channels).
    requantize_block<M, N>(stage, row.ch, oc, acc, out, p.cout());
}

template <int M, int N, class Path, int L = 0, int R = 0, class Plan, class Stage>
[[HTVM_MAC_FUNCTION]] void conv2d_block(const Plan& p, const conv_row<M, Stage>& row, const Stage& stage,
                                       const std::int8_t* x, int oc, std::int8_t* out) {
    conv2d_block_body<M, N, Path, L, R>(p, row, stage, x, oc, out);
}

// `count` blocks of N pixels without padding columns, x / out advancing by x_step / out_step: one
// call for a whole run of blocks (the call overhead is then paid once per row).
template <int M, int N, class Path, class Plan, class Stage>
[[HTVM_MAC_FUNCTION]] void conv2d_blocks(const Plan& p, const conv_row<M, Stage>& row, const Stage& stage,
                                        const std::int8_t* x, int x_step, int count, int oc, std::int8_t* out) {
    for (; count > 0; --count, x += x_step, out += N * p.cout())
        conv2d_block_body<M, N, Path>(p, row, stage, x, oc, out);
}

// One output pixel whose window may be clipped by the left/right padding: the zero point is added
// per input over the clipped window.
template <int M, class Plan, class Stage>
[[HTVM_MAC_FUNCTION]] void conv2d_border_pixel(const Plan& p, const conv_row<M, Stage>& row, const Stage& stage,
                                              int ox, int oc, std::int8_t* out) {
    const int ix0 = ox * p.sw() - p.pad_left();
    const int kx0 = ix0 < 0 ? -ix0 : 0;
    int kx1 = p.in_w() - ix0 < p.kw() ? p.in_w() - ix0 : p.kw();
    if (kx1 < kx0) kx1 = kx0;
    std::uint32_t acc[M][1];
#pragma GCC unroll 16
    for (int m = 0; m < M; ++m) acc[m][0] = row.bias[m];
    mac_block<M, 1, true>(acc, row.in_rows + (ix0 + kx0) * p.cin(), 0, row.w_rows + kx0 * p.cin(), p.taps(),
                          (kx1 - kx0) * p.cin(), row.offset, row.rows, p.row_stride(), p.row_run());
    requantize_block<M, 1>(stage, row.ch, oc, acc, out, 0);
}

// `count` (< N) adjacent pixels: one block of exactly that width. (A run-time count instantiates
// every width below N, and GCC emits them all before it folds the choice: fixed geometries pass
// their tail width as a constant instead.)
template <int M, int N, class Path, int L = 0, int R = 0, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_tail(int count, const Plan& p, const conv_row<M, Stage>& row,
                                               const Stage& stage, const std::int8_t* x, int oc, std::int8_t* out) {
    if constexpr (N > 1) {
        if (count == N - 1) conv2d_block<M, N - 1, Path, L, R>(p, row, stage, x, oc, out);
        else conv2d_tail<M, N - 1, Path, L, R>(count, p, row, stage, x, oc, out);
    }
}

// Calls f(l, r) with l = Left{}(p), r = Right{}(p) in {0, 1} as compile-time constants. For a fixed
// geometry they are computed at compile time and only that combination is instantiated; otherwise
// all four are, and the run-time values pick one.
template <class Left, class Right, class Plan, class F>
[[gnu::always_inline]] inline void with_padding_columns(const Plan& p, F&& f) {
    if constexpr (Plan::fixed) {
        constexpr int l = Left{}(Plan{}), r = Right{}(Plan{});
        f(fixed_int<l>{}, fixed_int<r>{});
    } else {
        const int l = Left{}(p), r = Right{}(p);
        if (l == 0 && r == 0) f(fixed_int<0>{}, fixed_int<0>{});
        else if (l == 0) f(fixed_int<0>{}, fixed_int<1>{});
        else if (r == 0) f(fixed_int<1>{}, fixed_int<0>{});
        else f(fixed_int<1>{}, fixed_int<1>{});
    }
}

// An output row whose windows lie wholly in the padding: requantized bias.
template <int M, class Plan, class Stage>
[[gnu::noinline]] void conv2d_bias_row(const Plan& p, const conv_row<M, Stage>& row, const Stage& stage, int oc,
                                       std::int8_t* out_row) {
    for (int ox = 0; ox < p.out_w(); ++ox)
        for (int m = 0; m < M; ++m)
            out_row[ox * p.cout() + m] =
                Stage::exact_only(row.ch[m]) ? stage.exact(row.bias[m], oc + m) : row.ch[m].apply(row.bias[m]);
}

// Output channels [oc, oc + M) of one output row, for the columns path with at most one padding
// column on each side: the whole row in blocks of N from column 0; the edge blocks read the padding
// column on their side as the zero point.
template <int M, int N, class Path, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_row_edge_blocks(const Plan& p, const conv_row<M, Stage>& row,
                                                          const Stage& stage, int oc, std::int8_t* out_row) {
    constexpr int s = Path::stride;
    const int left = p.pad_left(), right = p.pad_right() > 0 ? 1 : 0;
    const int blocks = p.out_w() / N, tail = p.out_w() % N;
    auto input_at = [&](int ox) { return row.in_rows + (ox * s - left) * p.cin(); };
    int b = 0;
    if (blocks > 0) {  // first block: left padding; right padding too if it is also the last
        struct first_left {
            constexpr int operator()(const Plan& q) const { return q.pad_left(); }
        };
        struct first_right {
            constexpr int operator()(const Plan& q) const {
                return q.out_w() / N == 1 && q.out_w() % N == 0 && q.pad_right() > 0 ? 1 : 0;
            }
        };
        // Without padding columns the first block is one of the run below (no block function of its own).
        with_padding_columns<first_left, first_right>(p, [&](auto l, auto r) {
            if constexpr (l != 0 || r != 0) {
                conv2d_block<M, N, Path, l, r>(p, row, stage, row.in_rows, oc, out_row);
                b = 1;
            }
        });
    }
    const int last_plain = tail == 0 && right == 1 ? blocks - 1 : blocks;  // blocks [b, last_plain)
    if (b < last_plain) {
        conv2d_blocks<M, N, Path>(p, row, stage, input_at(b * N), N * s * p.cin(), last_plain - b, oc,
                                  out_row + b * N * p.cout());
        b = last_plain;
    }
    // A last full block with the right padding column.
    struct last_block_padded {
        constexpr bool operator()(const Plan& q) const {
            return q.out_w() / N > 1 && q.out_w() % N == 0 && q.pad_right() > 0;
        }
    };
    if constexpr (!known_false<last_block_padded, Plan>)
        if (b < blocks) conv2d_block<M, N, Path, 0, 1>(p, row, stage, input_at(b * N), oc, out_row + b * N * p.cout());
    struct tail_left {
        constexpr int operator()(const Plan& q) const { return q.out_w() / N == 0 ? q.pad_left() : 0; }
    };
    struct tail_right {
        constexpr int operator()(const Plan& q) const { return q.pad_right() > 0 ? 1 : 0; }
    };
    if constexpr (Plan::fixed) {
        // The tail's width as a constant: only the block of that width is instantiated.
        constexpr int fixed_tail = Plan{}.out_w() % N;
        if constexpr (fixed_tail > 0) {
            const int ox = blocks * N;
            with_padding_columns<tail_left, tail_right>(p, [&](auto l, auto r) {
                conv2d_block<M, fixed_tail, Path, l, r>(p, row, stage, l ? row.in_rows : input_at(ox), oc,
                                                        out_row + ox * p.cout());
            });
        }
    } else if (tail > 0) {
        const int ox = blocks * N;
        with_padding_columns<tail_left, tail_right>(p, [&](auto l, auto r) {
            conv2d_tail<M, N, Path, l, r>(tail, p, row, stage, l ? row.in_rows : input_at(ox), oc,
                                          out_row + ox * p.cout());
        });
    }
}

// Output channels [oc, oc + M) of one output row, any padding: blocks of N where the windows lie
// inside the input horizontally, one pixel at a time (clipped windows) where they do not.
template <int M, int N, class Path, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_row_windows(const Plan& p, const conv_row<M, Stage>& row,
                                                      const Stage& stage, int oc, std::int8_t* out_row) {
    const int x_blocked = p.x_lo() + (p.x_hi() - p.x_lo()) / N * N;
    auto input_at = [&](int ox) { return row.in_rows + (ox * p.sw() - p.pad_left()) * p.cin(); };
    struct left_border {
        constexpr bool operator()(const Plan& q) const { return q.x_lo() > 0; }
    };
    struct right_border {
        constexpr bool operator()(const Plan& q) const { return q.x_hi() < q.out_w(); }
    };
    int ox = 0;
    if constexpr (!known_false<left_border, Plan>)
        for (; ox < p.x_lo(); ++ox) conv2d_border_pixel<M>(p, row, stage, ox, oc, out_row + ox * p.cout());
    if (ox < x_blocked) {
        conv2d_blocks<M, N, Path>(p, row, stage, input_at(ox), N * p.pixel_step(), (x_blocked - ox) / N, oc,
                                  out_row + ox * p.cout());
        ox = x_blocked;
    }
    // The last pixels when fewer than N remain: in a long row, one more block of N ending at x_hi,
    // overlapping the previous one (it rewrites those outputs with the same values; a convolution never
    // runs in place) instead of a block function of the remaining width, which costs flash for every
    // geometry. The row must be at least 16 times the N - remainder pixels computed twice.
    struct short_row {
        constexpr bool operator()(const Plan& q) const {
            return q.x_hi() - q.x_lo() < 16 * (N - (q.x_hi() - q.x_lo()) % N);
        }
    };
    if (ox < p.x_hi()) {
        if (!known_true<short_row, Plan> && !short_row{}(p)) {
            conv2d_blocks<M, N, Path>(p, row, stage, input_at(p.x_hi() - N), 0, 1, oc,
                                      out_row + (p.x_hi() - N) * p.cout());
        } else if constexpr (Plan::fixed) {
            constexpr int fixed_tail = (Plan{}.x_hi() - Plan{}.x_lo()) % N;  // = x_hi - x_blocked
            if constexpr (fixed_tail > 0 && known_true<short_row, Plan>)
                conv2d_block<M, fixed_tail, Path>(p, row, stage, input_at(ox), oc, out_row + ox * p.cout());
        } else {
            conv2d_tail<M, N, Path>(p.x_hi() - ox, p, row, stage, input_at(ox), oc, out_row + ox * p.cout());
        }
    }
    if constexpr (!known_false<right_border, Plan>)
        for (ox = p.x_hi(); ox < p.out_w(); ++ox)
            conv2d_border_pixel<M>(p, row, stage, ox, oc, out_row + ox * p.cout());
}

// Output channels [oc, oc + M) of one output row.
template <int M, int N, class Path, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_row(const Plan& p, const conv_row<M, Stage>& row, const Stage& stage,
                                              int oc, std::int8_t* out_row) {
    struct some_row_in_padding {  // an output row whose every window lies in the padding rows
        constexpr bool operator()(const Plan& q) const {
            for (int oy = 0; oy < q.out_h(); ++oy) {
                const int iy0 = oy * q.sh() - q.pad_top();
                if (iy0 + q.kh() <= 0 || iy0 >= q.in_h()) return true;
            }
            return false;
        }
    };
    if constexpr (!known_false<some_row_in_padding, Plan>) {
        if (row.rows == 0) [[unlikely]] {  // bias only
            conv2d_bias_row(p, row, stage, oc, out_row);
            return;
        }
    }
    struct edge_blocks {
        constexpr bool operator()(const Plan& q) const { return q.pad_left() <= 1 && q.pad_right() <= 1; }
    };
    if constexpr (is_columns<Path>) {
        if constexpr (Plan::fixed) {
            if constexpr (edge_blocks{}(Plan{})) conv2d_row_edge_blocks<M, N, Path>(p, row, stage, oc, out_row);
            else conv2d_row_windows<M, N, Path>(p, row, stage, oc, out_row);
            return;
        } else if (edge_blocks{}(p)) {
            conv2d_row_edge_blocks<M, N, Path>(p, row, stage, oc, out_row);
            return;
        }
    }
    conv2d_row_windows<M, N, Path>(p, row, stage, oc, out_row);
}

// The values of output channels [oc, oc + count) that every row shares: bias and requantization,
// written to the row's arrays (channel_bias, ch), and `full`, the folded accumulator start of a window
// inside the input. One instance per stage: the block height is a run-time count (per height, the
// unrolled set-up cost 0.1-0.3 kB of flash), and it runs once per block of channels. |w| <= 128: a
// bound that costs nothing and is tight enough for any real layer.
template <class Stage>
[[gnu::noinline]] void conv2d_channel_setup(int count, std::uint32_t* full, std::uint32_t* channel_bias,
                                            typename Stage::channel* ch, const Stage& stage, int oc,
                                            const std::int8_t* w, int taps, const std::int32_t* bias,
                                            std::int32_t offset) {
    for (int m = 0; m < count; ++m, w += taps) {
        const std::uint32_t b = bias != nullptr ? static_cast<std::uint32_t>(bias[oc + m]) : 0u;
        channel_bias[m] = b;
        full[m] = b + static_cast<std::uint32_t>(offset) * weight_sum(w, taps);
        const std::uint64_t abs_weight_sum = 128u * static_cast<std::uint64_t>(taps);
        channel_at(stage, oc + m, accumulator_bound(static_cast<std::int32_t>(b), abs_weight_sum), ch[m]);
    }
}

// A row of output channels [oc, oc + M) with its shared values set (conv2d_channel_setup). The
// row's fields are not cleared first: every one is written before a block reads it (a cleared row
// cost a memset call per block of channels).
template <int M, class Stage>
[[gnu::always_inline]] inline void conv2d_row_setup(conv_row<M, Stage>& row, std::uint32_t (&full)[M],
                                                    const Stage& stage, int oc, const std::int8_t* w, int taps,
                                                    const std::int32_t* bias, std::int32_t offset) {
    row.offset = offset;
    conv2d_channel_setup(M, full, row.bias, row.ch, stage, oc, w, taps, bias, offset);
}

// Output channels [oc, oc + M), every output pixel. Inlined into conv2d_blocked's channel loop: a
// function of its own per geometry cost flash (a prologue and a call each); merged, the largest frame
// of ResNet-8's RV32 build grew from 288 to 320 bytes.
template <int M, int N, class Path, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_channels(const Plan& p, int oc, const std::int8_t* input,
                                                   const std::int8_t* weights, const std::int32_t* bias,
                                                   std::int32_t offset, const Stage& stage, std::int8_t* output) {
    const std::int8_t* w = weights + oc * p.taps();
    std::uint32_t full[M];
    conv_row<M, Stage> row;
    conv2d_row_setup(row, full, stage, oc, w, p.taps(), bias, offset);
    for (int oy = 0; oy < p.out_h(); ++oy) {
        const int iy0 = oy * p.sh() - p.pad_top();
        const int ky0 = iy0 < 0 ? -iy0 : 0;
        int ky1 = p.in_h() - iy0 < p.kh() ? p.in_h() - iy0 : p.kh();
        if (ky1 < ky0) ky1 = ky0;
        row.rows = ky1 - ky0;
        // Folded accumulator start of windows covering kernel rows [ky0, ky1).
        if (row.rows == p.kh()) {
#pragma GCC unroll 16
            for (int m = 0; m < M; ++m) row.start[m] = full[m];
        } else {
#pragma GCC unroll 16
            for (int m = 0; m < M; ++m) {
                const std::uint32_t sum = weight_sum(w + m * p.taps() + ky0 * p.row_run(), (ky1 - ky0) * p.row_run());
                row.start[m] = row.bias[m] + static_cast<std::uint32_t>(offset) * sum;
            }
        }
        row.in_rows = input + (iy0 + ky0) * p.row_stride();
        row.w_rows = w + ky0 * p.row_run();
        conv2d_row<M, N, Path>(p, row, stage, oc, output + oy * p.out_w() * p.cout() + oc);
    }
}

template <int M, int N, class Path, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_all_channels(const Plan& p, const std::int8_t* input,
                                                       const std::int8_t* weights, const std::int32_t* bias,
                                                       std::int32_t offset, const Stage& stage, std::int8_t* output) {
    const int blocked = p.cout() / M * M;
    for (int oc = 0; oc < blocked; oc += M)
        conv2d_channels<M, N, Path>(p, oc, input, weights, bias, offset, stage, output);
    struct whole_blocks {
        constexpr bool operator()(const Plan& q) const { return q.cout() % M == 0; }
    };
    if constexpr (!known_true<whole_blocks, Plan>)  // (else no single-channel instance)
        for (int oc = blocked; oc < p.cout(); ++oc)
            conv2d_channels<1, N, Path>(p, oc, input, weights, bias, offset, stage, output);
}

// The register block of a geometry (see conv2d_blocked).
enum class conv_blocks { columns_3_1, columns_3_2, columns_4_2, rows };

template <class Plan>
constexpr conv_blocks conv_blocks_for(const Plan& p) {
    if (p.kw() == 3 && p.sw() == 1) return conv_blocks::columns_3_1;
    if (p.kw() == 3 && p.sw() == 2 && p.cin() >= 8) return conv_blocks::columns_3_2;  // few channels: rows win
    if (p.kw() == 4 && p.sw() == 2) return conv_blocks::columns_4_2;
    return conv_blocks::rows;
}

template <conv_blocks blocks, class Plan, class Stage>
[[gnu::always_inline]] inline void conv2d_with(const Plan& p, const std::int8_t* input, const std::int8_t* weights,
                                               const std::int32_t* bias, std::int32_t offset, const Stage& stage,
                                               std::int8_t* output) {
    if constexpr (blocks == conv_blocks::columns_3_1)
        conv2d_all_channels<2, 6, columns_path<3, 1>>(p, input, weights, bias, offset, stage, output);
    else if constexpr (blocks == conv_blocks::columns_3_2)
        conv2d_all_channels<2, 4, columns_path<3, 2>>(p, input, weights, bias, offset, stage, output);
    else if constexpr (blocks == conv_blocks::columns_4_2)
        conv2d_all_channels<4, 3, columns_path<4, 2>>(p, input, weights, bias, offset, stage, output);
    else
        conv2d_all_channels<4, 4, rows_path>(p, input, weights, bias, offset, stage, output);
}

// Register blocks (M channels x N pixels) chosen so that the MAC loop has no spills on RV32
// (27 allocatable registers) and the fewest instructions per MAC.
// Not inlined: its locals (register blocks' parameters) must not add to the frame of run().
template <class Geometry, class Stage>
[[gnu::noinline]] void conv2d_blocked(const Geometry& g, const std::int8_t* input, const std::int8_t* weights,
                    const std::int32_t* bias, std::int32_t offset, const Stage& stage, std::int8_t* output) {
    using plan = conv_plan<Geometry>;
    const plan p{g};
    if constexpr (plan::fixed) {  // only the block this geometry uses is instantiated
        conv2d_with<conv_blocks_for(plan{})>(p, input, weights, bias, offset, stage, output);
    } else {
        switch (conv_blocks_for(p)) {
            case conv_blocks::columns_3_1:
                conv2d_with<conv_blocks::columns_3_1>(p, input, weights, bias, offset, stage, output);
                break;
            case conv_blocks::columns_3_2:
                conv2d_with<conv_blocks::columns_3_2>(p, input, weights, bias, offset, stage, output);
                break;
            case conv_blocks::columns_4_2:
                conv2d_with<conv_blocks::columns_4_2>(p, input, weights, bias, offset, stage, output);
                break;
            case conv_blocks::rows:
                conv2d_with<conv_blocks::rows>(p, input, weights, bias, offset, stage, output);
                break;
        }
    }
}

// Output block height and width of pointwise_conv2d (the rows path's block, see conv2d_with).
inline constexpr int pointwise_channels = 4, pointwise_pixels = 4;

// `count` blocks of pointwise_channels x pointwise_pixels from pixel x on: the only part of a pointwise
// convolution that depends on the input width.
template <int Cin, class Stage>
[[HTVM_MAC_FUNCTION]] void pointwise_blocks(const pointwise_plan<0>& p,
                                           const conv_row<pointwise_channels, Stage>& row, const Stage& stage,
                                           const std::int8_t* x, int count, int oc, std::int8_t* out) {
    constexpr int M = pointwise_channels, N = pointwise_pixels;
    const pointwise_plan<Cin> width{p.pixels, p.out_channels};
    for (; count > 0; --count, x += N * Cin, out += N * p.cout())
        conv2d_block_body<M, N, rows_path>(width, row, stage, x, oc, out);
}

template <class Stage>
using pointwise_blocks_function = void (*)(const pointwise_plan<0>&, const conv_row<pointwise_channels, Stage>&,
                                           const Stage&, const std::int8_t*, int, int, std::int8_t*);

// A pointwise layer: its sizes and the blocks function of its input width.
template <class Stage>
struct pointwise_layer {
    pointwise_plan<0> plan;
    pointwise_blocks_function<Stage> blocks;
};

// A pointwise convolution whose output channel count is a multiple of pointwise_channels: blocks of
// 4 x 4 over the row of pixels, then the last pixels (fewer than 4) one at a time. One instance per
// stage: the loops and the channel set-up around the blocks are the same for every input width.
template <class Stage>
[[gnu::noinline]] void pointwise_conv2d(const pointwise_layer<Stage>& layer, const std::int8_t* input,
                                        const std::int8_t* weights, const std::int32_t* bias, std::int32_t offset,
                                        const Stage& stage, std::int8_t* output) {
    constexpr int M = pointwise_channels, N = pointwise_pixels;
    const pointwise_plan<0> p = layer.plan;
    const int blocks = p.pixels / N;
    for (int oc = 0; oc < p.cout(); oc += M) {
        const std::int8_t* w = weights + oc * p.cin();
        std::uint32_t full[M];
        conv_row<M, Stage> row;
        conv2d_row_setup(row, full, stage, oc, w, p.cin(), bias, offset);
        for (int m = 0; m < M; ++m) row.start[m] = full[m];
        row.in_rows = input;
        row.w_rows = w;
        row.rows = 1;
        if (blocks > 0) layer.blocks(p, row, stage, input, blocks, oc, output + oc);
        for (int px = blocks * N; px < p.pixels; ++px)
            conv2d_block<M, 1, rows_path>(p, row, stage, input + px * p.cin(), oc, output + px * p.cout() + oc);
    }
}

// A fixed pointwise geometry as one constant (the call passes its address).
template <class Plan, class Stage>
inline constexpr pointwise_layer<Stage> fixed_pointwise_layer{{Plan{}.out_w(), Plan{}.cout(), Plan{}.cin()},
                                                              &pointwise_blocks<Plan{}.cin(), Stage>};

// Whether a fixed geometry runs as pointwise_conv2d.
template <class Geometry>
constexpr bool runs_pointwise() {
    if constexpr (is_fixed_window<Geometry>) {
        constexpr conv_plan<Geometry> p{};
        return p.pointwise() && p.cout() % pointwise_channels == 0;
    } else {
        return false;
    }
}

}  // namespace detail

// Geometry: window_geometry (run time) or fixed_window<G> (compile time); same code either way.
template <output_arith arith = output_arith::dynamic, class Geometry, requant_argument Requant>
void conv2d(const Geometry& g, const std::int8_t* input, const std::int8_t* weights, const std::int32_t* bias,
            const Requant& rq, std::int8_t* output) {
    with_output_stage<arith>(rq, [&](const auto& stage) {
        if constexpr (detail::runs_pointwise<Geometry>()) {
            using stage_type = std::remove_cvref_t<decltype(stage)>;
            detail::pointwise_conv2d(detail::fixed_pointwise_layer<detail::conv_plan<Geometry>, stage_type>, input,
                                     weights, bias, input_offset(rq), stage, output);
        } else {
            detail::conv2d_blocked(g, input, weights, bias, input_offset(rq), stage, output);
        }
    });
}

}  // namespace htvm::cpu
