// int8 depthwise convolution, channel multiplier 1, weights [H][W][C] (TFLite's [1,H,W,C]).
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "geometry.hpp"

namespace htvm::cpu {

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

}  // namespace htvm::cpu
