// int8 convolution (groups = 1), weights OHWI. Padding contributes nothing to the accumulator,
// which is what an input padded with its zero point gives (TFLite's ConvPerChannel).
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "geometry.hpp"

namespace htvm::cpu {

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

}  // namespace htvm::cpu
