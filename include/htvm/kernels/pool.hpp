// int8 pooling with TFLite's rules: windows clipped to the input (padding is never counted), average
// rounded half away from zero, fused activation clamp. Input and output share their quantization.
// A window entirely in explicit padding gives 0 (average) or -128 (max) before the clamp.
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "geometry.hpp"

namespace htvm::cpu {

template <bool is_max, class Geometry>
inline void pool(const Geometry& g, std::int32_t act_min, std::int32_t act_max, const std::int8_t* input,
                 std::int8_t* output) {
    for (int oy = 0; oy < g.out.h; ++oy) {
        for (int ox = 0; ox < g.out.w; ++ox) {
            const int iy0 = oy * g.stride.h - g.pad_top;
            const int ix0 = ox * g.stride.w - g.pad_left;
            const int y_begin = iy0 < 0 ? 0 : iy0, y_end = iy0 + g.kernel.h > g.in.h ? g.in.h : iy0 + g.kernel.h;
            const int x_begin = ix0 < 0 ? 0 : ix0, x_end = ix0 + g.kernel.w > g.in.w ? g.in.w : ix0 + g.kernel.w;
            // Explicit pads as large as the window leave windows with no input element: count 0 (an
            // empty range on either axis must not multiply into a bogus positive count).
            const int count = y_end > y_begin && x_end > x_begin ? (y_end - y_begin) * (x_end - x_begin) : 0;
            for (int c = 0; c < g.in.c; ++c) {
                std::int32_t acc = is_max ? -128 : 0;
                for (int iy = y_begin; iy < y_end; ++iy)
                    for (int ix = x_begin; ix < x_end; ++ix) {
                        const std::int32_t v = input[(iy * g.in.w + ix) * g.in.c + c];
                        if constexpr (is_max) acc = v > acc ? v : acc;
                        else acc += v;
                    }
                // Average of an empty window: 0 (TFLite has no such case; its pools only pad SAME).
                if constexpr (!is_max)
                    acc = count == 0 ? 0 : (acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count);
                output[(oy * g.out.w + ox) * g.out.c + c] = static_cast<std::int8_t>(clamp(acc, act_min, act_max));
            }
        }
    }
}

template <class Geometry>
inline void avg_pool(const Geometry& g, std::int32_t act_min, std::int32_t act_max, const std::int8_t* input,
                     std::int8_t* output) {
    pool<false>(g, act_min, act_max, input, output);
}

template <class Geometry>
inline void max_pool(const Geometry& g, std::int32_t act_min, std::int32_t act_max, const std::int8_t* input,
                     std::int8_t* output) {
    pool<true>(g, act_min, act_max, input, output);
}

}  // namespace htvm::cpu
