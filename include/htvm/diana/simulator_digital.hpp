// Bit-exact functional model of DIANA's digital accelerator: it reads its operands from L1 (digital
// activation layout) and from its weight memory (digital weight layout, int32 biases after the
// weights), and writes int8 results to L1, exactly as the datapath computes them:
//     acc = bias[k] + sum(x * w)      int32, padding contributes nothing
//     out = clip(acc >> shift, relu ? max(0, clip_min) : clip_min, clip_max)
// It computes no timing (cycle_model.hpp does).
//
// A job describes one call on a TILE: any sub-range of output rows/columns (with the input window and
// its halo in L1, and padding only where the tile touches the layer's border) and any range of output
// channels starting at a multiple of 16 (the weights of those channels' 16-channel blocks in the
// weight memory). An untiled layer is the tile that covers everything.
#pragma once
#include <cstdint>
#include <cstring>

#include "../quant.hpp"
#include "../shape.hpp"
#include "layouts.hpp"

namespace htvm::diana::digital {

// The int32 biases sit in the weight memory as bytes (copied there by DMA); memcpy reads them without
// breaking C++'s aliasing rules.
inline std::int32_t bias_at(const std::int8_t* weight_memory, int offset, int channel) {
    std::int32_t value = 0;
    std::memcpy(&value, weight_memory + offset + 4 * channel, sizeof value);
    return value;
}

constexpr std::int8_t requantize(std::int32_t acc, const shift_requant& rq) {
    return static_cast<std::int8_t>(clamp(acc >> rq.shift, rq.low(), rq.clip_max));
}

// conv2d (groups 1) or depthwise conv2d (channel multiplier 1).
struct conv_job {
    int input = 0;            // L1 offset of the input tile, digital layout of shape `in`
    int output = 0;           // L1 offset of the output tile, digital layout of shape `out`
    shape in{}, out{};        // depthwise: in.c == out.c
    hw kernel{1, 1};
    hw stride{1, 1};
    int pad_top = 0, pad_left = 0;  // padding before the tile's first input row/column
    bool depthwise = false;
    int weights = 0;          // weight-memory offset of the tile's weights (digital layout, out.c channels)
    int bias = 0;             // weight-memory offset of the tile's int32 biases (out.c of them)
    shift_requant rq{};
};

inline void run_conv(const conv_job& job, std::int8_t* l1, const std::int8_t* weight_memory) {
    const std::int8_t* in = l1 + job.input;
    std::int8_t* out = l1 + job.output;
    const std::int8_t* w = weight_memory + job.weights;
    const layout::digital_weights geometry{job.depthwise ? layout::weight_kind::depthwise : layout::weight_kind::conv,
                                           job.out.c, job.in.c, job.kernel.h, job.kernel.w};
    for (int k = 0; k < job.out.c; ++k) {
        for (int oy = 0; oy < job.out.h; ++oy) {
            for (int ox = 0; ox < job.out.w; ++ox) {
                std::int32_t acc = bias_at(weight_memory, job.bias, k);
                for (int fy = 0; fy < job.kernel.h; ++fy) {
                    const int iy = oy * job.stride.h - job.pad_top + fy;
                    if (iy < 0 || iy >= job.in.h) continue;
                    for (int fx = 0; fx < job.kernel.w; ++fx) {
                        const int ix = ox * job.stride.w - job.pad_left + fx;
                        if (ix < 0 || ix >= job.in.w) continue;
                        if (job.depthwise) {
                            acc += in[layout::digital_activation(job.in, iy, ix, k)] *
                                   w[layout::digital_weight(geometry, k, fy, fx, k)];
                        } else {
                            for (int c = 0; c < job.in.c; ++c)
                                acc += in[layout::digital_activation(job.in, iy, ix, c)] *
                                       w[layout::digital_weight(geometry, k, fy, fx, c)];
                        }
                    }
                }
                out[layout::digital_activation(job.out, oy, ox, k)] = requantize(acc, job.rq);
            }
        }
    }
}

// dense: `units` outputs from `features` inputs (word-swapped vectors); a tile is a range of units
// starting at a multiple of 16.
struct dense_job {
    int input = 0, output = 0;  // L1 offsets
    int features = 0, units = 0;
    int weights = 0, bias = 0;  // weight-memory offsets
    shift_requant rq{};
};

inline void run_dense(const dense_job& job, std::int8_t* l1, const std::int8_t* weight_memory) {
    const std::int8_t* in = l1 + job.input;
    std::int8_t* out = l1 + job.output;
    const std::int8_t* w = weight_memory + job.weights;
    const layout::digital_weights geometry{layout::weight_kind::dense, job.units, job.features, 1, 1};
    for (int u = 0; u < job.units; ++u) {
        std::int32_t acc = bias_at(weight_memory, job.bias, u);
        for (int f = 0; f < job.features; ++f)
            acc += in[layout::digital_vector(f)] * w[layout::digital_weight(geometry, u, 0, 0, f)];
        out[layout::digital_vector(u)] = requantize(acc, job.rq);
    }
}

// Element-wise add: out = clip((lhs + rhs) >> shift). Both inputs and the output share one layout,
// so any contiguous, word-aligned range of elements is a valid tile.
struct add_job {
    int lhs = 0, rhs = 0, output = 0;  // L1 offsets
    int elements = 0;
    shift_requant rq{};
};

inline void run_add(const add_job& job, std::int8_t* l1) {
    for (int i = 0; i < job.elements; ++i) {
        const std::int32_t sum = static_cast<std::int32_t>(l1[job.lhs + i]) + l1[job.rhs + i];
        l1[job.output + i] = requantize(sum, job.rq);
    }
}

}  // namespace htvm::diana::digital
