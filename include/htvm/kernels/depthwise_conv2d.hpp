// int8 depthwise convolution, channel multiplier 1, weights [H][W][C] (TFLite's [1,H,W,C]).
// 3x3 windows usually run on the kernel in depthwise_3x3.hpp, which every layer shares; this file
// holds the dispatch (depthwise_code) and depthwise_blocked, the code for one geometry, described here.
//
// One channel at a time (channel-outer, one call per channel): its requantization parameters stay
// in registers for the whole plane. Along an output row, blocks of 4 adjacent output pixels share
// their input loads (at stride 1, 6 input columns feed 4 windows of width 3). The input zero point is
// folded out: sum x * w + offset * sum w, where sum w covers the kernel rows inside the input (rows in
// the top/bottom padding are skipped). With at most one padding column on each side (SAME 3x3), the
// first pixel of a row (a one-pixel block) and the row's last block read their padding column as the
// zero point, which then contributes nothing; other paddings take a one-pixel path over the clipped
// window. A network's fixed geometry instantiates only the blocks it runs: the plain 4-pixel block,
// one last block and the left pixel if it has one (flash and compile time grow with every block
// variant a layer instantiates).
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "depthwise_3x3.hpp"
#include "geometry.hpp"
#include "mac_block.hpp"
#include "requantize.hpp"

namespace htvm::cpu {
namespace detail {

// What a depthwise call derives from its geometry; constants for a fixed_window.
template <class Geometry>
struct depthwise_plan {
    Geometry g;  // empty for a fixed_window
    static constexpr bool fixed = is_fixed_window<Geometry>;

    [[gnu::always_inline]] constexpr int channels() const { return g.in.c; }
    [[gnu::always_inline]] constexpr int in_h() const { return g.in.h; }
    [[gnu::always_inline]] constexpr int in_w() const { return g.in.w; }
    [[gnu::always_inline]] constexpr int out_h() const { return g.out.h; }
    [[gnu::always_inline]] constexpr int out_w() const { return g.out.w; }
    [[gnu::always_inline]] constexpr int kh() const { return g.kernel.h; }
    [[gnu::always_inline]] constexpr int kw() const { return g.kernel.w; }
    [[gnu::always_inline]] constexpr int sh() const { return g.stride.h; }
    [[gnu::always_inline]] constexpr int sw() const { return g.stride.w; }
    [[gnu::always_inline]] constexpr int pad_top() const { return g.pad_top; }
    [[gnu::always_inline]] constexpr int pad_left() const { return g.pad_left; }
    [[gnu::always_inline]] constexpr int pad_right() const {
        return right_padding(in_w(), out_w(), kw(), sw(), pad_left());
    }
    [[gnu::always_inline]] constexpr int row_stride() const { return in_w() * channels(); }
    // Output columns [x_lo, x_hi) have windows inside the input horizontally.
    [[gnu::always_inline]] constexpr int x_lo() const { return inside_begin(out_w(), sw(), pad_left()); }
    [[gnu::always_inline]] constexpr int x_hi() const { return inside_end(in_w(), out_w(), kw(), sw(), pad_left()); }
};

// What the pixels of one output row of one channel share.
struct depthwise_row {
    const std::int8_t* row0;  // input at (window row 0, column 0) of the channel; row 0 may be padding
    const std::int8_t* w;     // the channel's first weight
    int ky0, ky1;             // kernel rows inside the input
    std::uint32_t start;      // folded accumulator start of those rows
    std::int32_t pad_value;   // the input zero point
};

// N adjacent output pixels of one channel starting at output column ox; input columns of the
// windows: first L and last R are padding (read as the zero point), the others are real.
template <int N, int L, int R, bool narrow, class Plan, class Channel>
[[gnu::always_inline]] inline void depthwise_block(const Plan& p, const depthwise_row& row, int ox,
                                                   const Channel& ch, std::int8_t* out) {
    // Bounds as plain locals: GCC drops `#pragma GCC unroll` on loops whose condition calls a function.
    const int c = p.channels(), kh = p.kh(), kw = p.kw(), s = p.sw();
    const int columns = (N - 1) * s + kw;
    const std::int8_t* x = row.row0 + (ox * s - p.pad_left() + L) * c;  // first real column
    std::uint32_t acc[N];
#pragma GCC unroll 16
    for (int n = 0; n < N; ++n) acc[n] = row.start;
#pragma GCC unroll 8
    for (int ky = 0; ky < kh; ++ky) {
        const bool inside = ky >= row.ky0 && ky < row.ky1;  // rows in the padding are skipped
        const std::int8_t* x_row = x + ky * p.row_stride();
#pragma GCC unroll 8
        for (int kx = 0; kx < kw; ++kx) {
            const std::uint32_t weight = static_cast<std::uint32_t>(row.w[(ky * kw + kx) * c]);
#pragma GCC unroll 16
            for (int n = 0; n < N; ++n) {
                if (!inside) break;  // (the loads below must not touch padding rows)
                const int j = n * s + kx;
                const std::uint32_t value = j < L || j >= columns - R ? static_cast<std::uint32_t>(row.pad_value)
                                                                      : static_cast<std::uint32_t>(x_row[(j - L) * c]);
                acc[n] += value * weight;
            }
        }
    }
#pragma GCC unroll 16
    for (int n = 0; n < N; ++n) out[n * c] = narrow ? ch.apply_narrow(acc[n]) : ch.apply(acc[n]);
}

// Output pixel ox of a row over its window clipped to the input: the offset is added per input.
template <class Plan, class Stage>
[[gnu::always_inline]] inline void depthwise_clipped(const Plan& p, const depthwise_row& row, int ox,
                                                     std::uint32_t bias, const Stage& stage,
                                                     const typename Stage::channel& ch, int c, std::int8_t* out) {
    const int channels = p.channels();
    const int ix0 = ox * p.sw() - p.pad_left();
    const int kx0 = ix0 < 0 ? -ix0 : 0;
    int kx1 = p.in_w() - ix0 < p.kw() ? p.in_w() - ix0 : p.kw();
    if (kx1 < kx0) kx1 = kx0;
    const std::uint32_t offset = static_cast<std::uint32_t>(-row.pad_value);
    std::uint32_t acc = bias;
    for (int ky = row.ky0; ky < row.ky1; ++ky) {
        const std::int8_t* x = row.row0 + ky * p.row_stride() + ix0 * channels;
        const std::int8_t* wr = row.w + ky * p.kw() * channels;
        for (int kx = kx0; kx < kx1; ++kx)
            acc += (static_cast<std::uint32_t>(x[kx * channels]) + offset) * static_cast<std::uint32_t>(wr[kx * channels]);
    }
    *out = Stage::exact_only(ch) ? stage.exact(acc, c) : ch.apply(acc);
}

// Runs f(0) when Condition{}(p) holds. For a fixed plan the condition is a compile-time constant and
// f (a generic lambda) is not even instantiated when it is false.
template <class Condition, class Plan, class F>
[[gnu::always_inline]] inline void when(const Plan& p, F&& f) {
    if constexpr (Plan::fixed) {
        if constexpr (Condition{}(Plan{})) f(0);
    } else if (Condition{}(p)) {
        f(0);
    }
}

// `count` (1 <= count <= N) adjacent pixels, the last with R padding columns: one block of exactly
// that width (a run-time count instantiates every width).
template <int N, int R, bool narrow, class Plan, class Channel>
[[gnu::always_inline]] inline void depthwise_last_block(int count, const Plan& p, const depthwise_row& row, int ox,
                                                        const Channel& ch, std::int8_t* out) {
    if (count == N) depthwise_block<N, 0, R, narrow>(p, row, ox, ch, out);
    else if constexpr (N > 1) depthwise_last_block<N - 1, R, narrow>(count, p, row, ox, ch, out);
}

// One output row of channel `c` whose windows reach at most one padding column on each side.
// Pixel 0 with a left padding column is a one-pixel block; the pixels after it go in blocks of N,
// and the last block (1 to N pixels wide) reads the right padding column if there is one. A fixed
// geometry instantiates one plain N-pixel block, one last block and the left pixel if it has one.
template <int N, bool narrow, class Plan, class Channel>
[[gnu::always_inline]] inline void depthwise_row_edges(const Plan& p, const depthwise_row& row, const Channel& ch,
                                                       std::int8_t* out_row) {
    struct left_pixel {
        constexpr bool operator()(const Plan& q) const { return q.pad_left() > 0; }
    };
    struct lone_pixel {  // one output pixel, padding columns on both sides
        constexpr bool operator()(const Plan& q) const {
            return q.out_w() == 1 && q.pad_left() > 0 && q.pad_right() > 0;
        }
    };
    struct right_column {
        constexpr bool operator()(const Plan& q) const { return q.pad_right() > 0; }
    };
    // Width of the last block: the pixels after the left one, N per block.
    struct last_width {
        constexpr int operator()(const Plan& q) const {
            const int pixels = q.out_w() - (q.pad_left() > 0 ? 1 : 0);
            return pixels <= 0 ? 0 : q.pad_right() > 0 ? (pixels - 1) % N + 1 : pixels % N;
        }
    };
    const int c = p.channels();
    if (lone_pixel{}(p)) {
        when<lone_pixel>(p, [&](auto) { depthwise_block<1, 1, 1, narrow>(p, row, 0, ch, out_row); });
        return;
    }
    const int first = p.pad_left() > 0 ? 1 : 0;
    when<left_pixel>(p, [&](auto) { depthwise_block<1, 1, 0, narrow>(p, row, 0, ch, out_row); });
    const int last = p.out_w() - last_width{}(p);  // the last block: [last, out_w)
    for (int ox = first; ox < last; ox += N) depthwise_block<N, 0, 0, narrow>(p, row, ox, ch, out_row + ox * c);
    if (last == p.out_w()) return;
    auto last_block = [&](auto right) {
        if constexpr (Plan::fixed) {
            constexpr int width = last_width{}(Plan{});
            if constexpr (width > 0) depthwise_block<width, 0, right, narrow>(p, row, last, ch, out_row + last * c);
        } else {
            depthwise_last_block<N, right, narrow>(p.out_w() - last, p, row, last, ch, out_row + last * c);
        }
    };
    if constexpr (Plan::fixed) {
        last_block(fixed_int<right_column{}(Plan{}) ? 1 : 0>{});
    } else if (right_column{}(p)) {
        last_block(fixed_int<1>{});
    } else {
        last_block(fixed_int<0>{});
    }
}

// All output pixels of channel `c`. `narrow`: the channel's requantization takes its narrow path.
template <bool narrow, class Plan, class Stage>
[[HTVM_MAC_FUNCTION]] void depthwise_channel(const Plan& p, int c, const std::int8_t* __restrict input,
                                            const std::int8_t* __restrict weights, const std::int32_t* bias,
                                            std::int32_t offset, const Stage& stage,
                                            const typename Stage::channel& channel, std::int8_t* __restrict output) {
    constexpr int N = 4;  // output pixels per block
    const int channels = p.channels();
    const typename Stage::channel ch = channel;
    const bool exact_only = Stage::exact_only(ch);
    const std::uint32_t b = bias != nullptr ? static_cast<std::uint32_t>(bias[c]) : 0u;
    // Edge pixels read padding columns: possible with at most one on each side.
    struct narrow_padding {
        constexpr bool operator()(const Plan& q) const { return q.pad_left() <= 1 && q.pad_right() <= 1; }
    };
    constexpr bool always_edges = Stage::exact_never && known_true<narrow_padding, Plan>;
    const bool edges = always_edges || (!exact_only && narrow_padding{}(p));
    const int x_blocked = p.x_lo() + (exact_only ? 0 : (p.x_hi() - p.x_lo()) / N * N);

    depthwise_row row;
    row.w = weights + c;
    row.pad_value = -offset;
    for (int oy = 0; oy < p.out_h(); ++oy) {
        const int iy0 = oy * p.sh() - p.pad_top();
        row.ky0 = iy0 < 0 ? -iy0 : 0;
        row.ky1 = p.in_h() - iy0 < p.kh() ? p.in_h() - iy0 : p.kh();
        if (row.ky1 < row.ky0) row.ky1 = row.ky0;
        std::uint32_t sum = 0;
        for (int t = row.ky0 * p.kw(); t < row.ky1 * p.kw(); ++t)
            sum += static_cast<std::uint32_t>(row.w[t * channels]);
        row.start = b + static_cast<std::uint32_t>(offset) * sum;
        // Window row 0 may lie in the padding: only rows [ky0, ky1) are read.
        row.row0 = input + c + iy0 * p.row_stride();
        std::int8_t* out_row = output + c + oy * p.out_w() * channels;

        if (edges) {
            depthwise_row_edges<N, narrow>(p, row, ch, out_row);
            continue;
        }
        if constexpr (!always_edges) {
            int ox = 0;
            for (; ox < p.x_lo(); ++ox) depthwise_clipped(p, row, ox, b, stage, ch, c, out_row + ox * channels);
            for (; ox < x_blocked; ox += N)
                depthwise_block<N, 0, 0, narrow>(p, row, ox, ch, out_row + ox * channels);
            for (; ox < p.x_hi() && !exact_only; ++ox)
                depthwise_block<1, 0, 0, narrow>(p, row, ox, ch, out_row + ox * channels);
            for (; ox < p.out_w(); ++ox) depthwise_clipped(p, row, ox, b, stage, ch, c, out_row + ox * channels);
        }
    }
}

// Not inlined: its locals must not add to the frame of run().
template <class Geometry, class Stage>
[[gnu::noinline]] void depthwise_blocked(const Geometry& g, const std::int8_t* input, const std::int8_t* weights,
                       const std::int32_t* bias, std::int32_t offset, const Stage& stage, std::int8_t* output) {
    const depthwise_plan<Geometry> p{g};
    for (int c = 0; c < p.channels(); ++c) {
        // |w| <= 128: a bound that costs nothing and is tight enough for any real layer.
        const typename Stage::channel ch = channel_at(
            stage, c, accumulator_bound(bias != nullptr ? bias[c] : 0, 128u * static_cast<std::uint64_t>(p.kh() * p.kw())));
        // (Only the instance a stage can use, when that is known at compile time.)
        if constexpr (Stage::narrow_always)
            depthwise_channel<true>(p, c, input, weights, bias, offset, stage, ch, output);
        else if constexpr (Stage::narrow_never)
            depthwise_channel<false>(p, c, input, weights, bias, offset, stage, ch, output);
        else if (Stage::narrow(ch))
            depthwise_channel<true>(p, c, input, weights, bias, offset, stage, ch, output);
        else
            depthwise_channel<false>(p, c, input, weights, bias, offset, stage, ch, output);
    }
}

// Whether a plan's layer runs on the shared 3x3 kernel (depthwise_3x3.hpp).
template <class Plan>
constexpr bool runs_shared_3x3(const Plan& p) {
    return depthwise3x3_runs(p.kh(), p.kw(), p.sh(), p.sw(), p.pad_left(), p.pad_right());
}

template <class Plan>
constexpr depthwise3x3_shape shape_3x3(const Plan& p) {
    return {p.channels(), p.in_h(), p.in_w(), p.out_h(), p.out_w(), p.pad_top(), p.pad_left()};
}

// A fixed geometry's shape as one constant (the call passes its address).
template <class Plan>
inline constexpr depthwise3x3_shape fixed_shape_3x3 = shape_3x3(Plan{});

}  // namespace detail

// Which code a fixed geometry runs. `shared`: 3x3 windows at stride 1 or 2 with at most one padding
// column on each side run on the kernel that all such layers share (depthwise_3x3.hpp), other
// windows on depthwise_blocked. `own`: depthwise_blocked, an instance for the geometry in which every
// size is a constant (about 1.1 kB of RV32 code, and 10 to 32% fewer instructions than the shared
// kernel on MobileNet's layers). A run-time geometry always takes `shared` where it applies.
enum class depthwise_code : std::uint8_t { shared, own };

// Geometry: window_geometry (run time) or fixed_window<G> (compile time); same code either way.
template <output_arith arith = output_arith::dynamic, depthwise_code code = depthwise_code::shared, class Geometry,
          requant_argument Requant>
void depthwise_conv2d(const Geometry& g, const std::int8_t* input, const std::int8_t* weights,
                      const std::int32_t* bias, const Requant& rq, std::int8_t* output) {
    using plan = detail::depthwise_plan<Geometry>;
    const plan p{g};
    with_output_stage<arith>(rq, [&](const auto& stage) {
        const std::int32_t offset = input_offset(rq);
        if constexpr (plan::fixed) {
            if constexpr (code == depthwise_code::shared && detail::runs_shared_3x3(plan{}))
                detail::depthwise3x3<plan{}.sw()>(detail::fixed_shape_3x3<plan>, input, weights, bias, offset, stage,
                                                  output);
            else
                detail::depthwise_blocked(g, input, weights, bias, offset, stage, output);
        } else if (detail::runs_shared_3x3(p)) {
            const detail::depthwise3x3_shape shape = detail::shape_3x3(p);
            if (p.sw() == 1) detail::depthwise3x3<1>(shape, input, weights, bias, offset, stage, output);
            else detail::depthwise3x3<2>(shape, input, weights, bias, offset, stage, output);
        } else {
            detail::depthwise_blocked(g, input, weights, bias, offset, stage, output);
        }
    });
}

}  // namespace htvm::cpu
