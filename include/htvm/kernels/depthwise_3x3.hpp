// int8 3x3 depthwise convolution at stride 1 or 2 with at most one padding column on each side
// (SAME and VALID 3x3 layers), sizes and channel count read at run time: one instance per stride and
// output stage, which every such layer of a network shares. (An instance per layer geometry was about
// 1.1 kB of RV32 code each; MobileNet has nine.)
//
// One channel at a time, row by row. The channel's nine weights stay in registers for a row, with
// the weights of kernel rows in the top/bottom padding set to 0. Each input column (three values) is
// loaded once, walking three row pointers by the channel count, and added to every window that reads
// it: the loop carries the partial sums of the next windows (at stride 1, one more column per pixel).
// A padding column is a column of input zero points, which contributes nothing once the zero point
// is folded out of the accumulator (sum (x - zp) * w = sum x * w - zp * sum w).
#pragma once
#include <cstdint>

#include "mac_block.hpp"
#include "requantize.hpp"

namespace htvm::cpu::detail {

// What the shared kernel reads of a layer's geometry.
struct depthwise3x3_shape {
    int channels, in_h, in_w, out_h, out_w, pad_top, pad_left;
};

// Whether the shared kernel runs a depthwise layer of this geometry (pad_right: padding columns
// right of the input that the last window reaches, see right_padding).
constexpr bool depthwise3x3_runs(int kh, int kw, int sh, int sw, int pad_left, int pad_right) {
    return kh == 3 && kw == 3 && sh == sw && (sw == 1 || sw == 2) && pad_left >= 0 && pad_left <= 1 &&
           pad_right <= 1;
}

// One column of a window: the values of kernel rows 0, 1, 2.
struct column3 {
    std::uint32_t top, middle, bottom;
};

// All output pixels of channel c. `narrow`: the channel's requantization takes its narrow path.
template <int S, bool narrow, class Stage>
[[HTVM_MAC_FUNCTION]] void depthwise3x3_channel(const depthwise3x3_shape& shape, int c,
                                               const std::int8_t* __restrict input,
                                               const std::int8_t* __restrict weights, std::uint32_t bias,
                                               std::int32_t offset, const Stage& stage,
                                               const typename Stage::channel& channel,
                                               std::int8_t* __restrict output) {
    static_assert(S == 1 || S == 2, "the shared 3x3 depthwise kernel runs strides 1 and 2");
    const typename Stage::channel ch = channel;
    const bool exact_only = Stage::exact_only(ch);
    const int channels = shape.channels;
    const int row_stride = shape.in_w * channels;
    const std::uint32_t zero_point = static_cast<std::uint32_t>(-offset);
    const column3 padding{zero_point, zero_point, zero_point};
    // Pixels [0, real) read no right padding column (their last column, ox * S - pad_left + 2, is an
    // input column); the at most one pixel after them does.
    const int last_column_room = shape.in_w - 3 + shape.pad_left;
    int real = last_column_room < 0 ? 0 : last_column_room / S + 1;
    if (real > shape.out_w) real = shape.out_w;
    const bool right_pixel = real < shape.out_w;
    if (shape.out_w <= 0) return;

    // The channel's weights and the sum of each kernel row, read once (strided) for all its rows.
    std::uint32_t w9[9], row_sum[3] = {0, 0, 0};
#pragma GCC unroll 9
    for (int t = 0; t < 9; ++t) {
        w9[t] = static_cast<std::uint32_t>(weights[t * channels + c]);
        row_sum[t / 3] += w9[t];
    }

    std::int8_t* out = output + c;
    for (int oy = 0; oy < shape.out_h; ++oy) {
        const int iy0 = oy * S - shape.pad_top;
        // A kernel row in the padding gets zero weights and reads row 0 instead (any real row would do).
        std::uint32_t k[9];
        const std::int8_t* row[3];
        std::uint32_t weight_sum = 0;
#pragma GCC unroll 3
        for (int ky = 0; ky < 3; ++ky) {
            const int iy = iy0 + ky;
            const bool inside = iy >= 0 && iy < shape.in_h;
            const std::uint32_t keep = inside ? ~0u : 0u;
            row[ky] = input + c + (inside ? iy : 0) * row_stride;
#pragma GCC unroll 3
            for (int kx = 0; kx < 3; ++kx) k[ky * 3 + kx] = w9[ky * 3 + kx] & keep;
            weight_sum += row_sum[ky] & keep;
        }
        const std::uint32_t start = bias + static_cast<std::uint32_t>(offset) * weight_sum;
        const std::int8_t* top = row[0];
        const std::int8_t* middle = row[1];
        const std::int8_t* bottom = row[2];

        auto load = [&] {
            const column3 v{static_cast<std::uint32_t>(*top), static_cast<std::uint32_t>(*middle),
                            static_cast<std::uint32_t>(*bottom)};
            top += channels;
            middle += channels;
            bottom += channels;
            return v;
        };
        // A column times kernel column kx.
        auto times = [&](const column3& v, int kx) {
            return v.top * k[kx] + v.middle * k[3 + kx] + v.bottom * k[6 + kx];
        };
        auto store = [&](std::uint32_t acc) {
            if constexpr (narrow) *out = ch.apply_narrow(acc);
            else *out = exact_only ? stage.exact(acc, c) : ch.apply(acc);
            out += channels;
        };

        // A column is loaded once and added to every window that reads it: the loop carries partial
        // sums of the next windows, not the columns themselves (fewer live registers).
        const column3 first = shape.pad_left > 0 ? padding : load();
        if constexpr (S == 1) {
            // Windows ox, ox + 1 with their first columns (ox, ox + 1) summed: `current`, `next`.
            std::uint32_t current = start + times(first, 0);
            const column3 second = load();
            current += times(second, 1);
            std::uint32_t next = start + times(second, 0);
            auto step = [&] {
                const column3 d = load();
                store(current + times(d, 2));
                current = next + times(d, 1);
                next = start + times(d, 0);
            };
            for (int n = real; n > 0; --n) step();
            if (right_pixel) store(current + times(padding, 2));
        } else {
            // Window ox with its first column summed: `current`.
            std::uint32_t current = start + times(first, 0);
            for (int n = real; n > 0; --n) {
                const column3 b = load();
                const column3 d = load();
                store(current + times(b, 1) + times(d, 2));
                current = start + times(d, 0);
            }
            if (right_pixel) {
                const column3 b = load();
                store(current + times(b, 1) + times(padding, 2));
            }
        }
    }
}

// Every channel of a layer. Not inlined, and the same for every layer with this stride and stage.
template <int S, class Stage>
[[gnu::noinline]] void depthwise3x3(const depthwise3x3_shape& shape, const std::int8_t* input,
                                    const std::int8_t* weights, const std::int32_t* bias, std::int32_t offset,
                                    const Stage& stage, std::int8_t* output) {
    for (int c = 0; c < shape.channels; ++c) {
        const std::int32_t b = bias != nullptr ? bias[c] : 0;
        // |w| <= 128: a bound that costs nothing and is tight enough for any real layer.
        const typename Stage::channel ch = channel_at(stage, c, accumulator_bound(b, 128u * 9u));
        const std::uint32_t start = static_cast<std::uint32_t>(b);
        // (Only the instance a stage can use, when that is known at compile time.)
        if constexpr (Stage::narrow_always)
            depthwise3x3_channel<S, true>(shape, c, input, weights, start, offset, stage, ch, output);
        else if constexpr (Stage::narrow_never)
            depthwise3x3_channel<S, false>(shape, c, input, weights, start, offset, stage, ch, output);
        else if (Stage::narrow(ch))
            depthwise3x3_channel<S, true>(shape, c, input, weights, start, offset, stage, ch, output);
        else
            depthwise3x3_channel<S, false>(shape, c, input, weights, start, offset, stage, ch, output);
    }
}

}  // namespace htvm::cpu::detail
