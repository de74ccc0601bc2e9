// Runs one layer tile by tile: moves each tile's input window (halo included) and weights into L1
// and the weight memory, calls the tile kernel on those local copies, and moves the output tile
// back into the full output tensor. The platform supplies the DMA and the kernel; on the host the
// kernel is the CPU kernel given the tile's geometry (cpu_tile_kernel), bit-exact with the
// untiled layer.
//
// DMA concept:    dma.start(std::int8_t* dst, const std::int8_t* src, const copy_shape& shape)
//                 dma.wait()      // every started copy is complete
// Kernel concept: kernel(const tile_window& t, const std::int8_t* in, const std::int8_t* weights,
//                        std::int8_t* out)   // in/out are L1 tiles laid out NHWC, weights staged
#pragma once
#include <cstdint>

#include "../kernels/conv2d.hpp"
#include "../kernels/dense.hpp"
#include "../kernels/depthwise_conv2d.hpp"
#include "../quant.hpp"
#include "plan.hpp"
#include "schedule.hpp"

namespace htvm::tiling {

// The memories one tiled layer touches.
struct tiled_io {
    const std::int8_t* input = nullptr;    // whole input tensor (L2)
    const std::int8_t* weights = nullptr;  // whole weight array (L2 or flash), layout of the layer kind
    std::int8_t* output = nullptr;         // whole output tensor (L2)
    std::int8_t* l1 = nullptr;             // at least plan.l1_bytes
    std::int8_t* weight_memory = nullptr;  // at least plan.weight_tile_elements (unused if weights_in_l1)
};

// The strided copy itself; also what a synchronous DMA does.
inline void copy_strided(std::int8_t* dst, const std::int8_t* src, const copy_shape& s) {
    for (int o = 0; o < s.outer_count; ++o)
        for (int i = 0; i < s.inner_count; ++i) {
            const std::int8_t* from = src + o * s.src_outer_stride + i * s.src_inner_stride;
            std::int8_t* to = dst + o * s.dst_outer_stride + i * s.dst_inner_stride;
            for (int b = 0; b < s.run_bytes; ++b) to[b] = from[b];
        }
}

// A DMA that copies when asked: correct everywhere, overlaps nothing.
struct blocking_dma {
    void start(std::int8_t* dst, const std::int8_t* src, const copy_shape& s) { copy_strided(dst, src, s); }
    void wait() {}
};

namespace detail {

template <class Dma, class Kernel>
struct executing_visitor {
    const tile_plan& plan;
    const tiled_io& io;
    Dma& dma;
    Kernel& kernel;

    std::int8_t* weight_tile() const {
        return (plan.weights_in_l1 ? io.l1 : io.weight_memory) + plan.weight_offset;
    }
    void load_input(const tile_window& t) {
        if (t.input.bytes() > 0) dma.start(io.l1 + t.input.dst_offset, io.input + t.input.src_offset, t.input);
    }
    void load_weights(const tile_window& t) {
        if (t.weights.bytes() > 0) dma.start(weight_tile(), io.weights + t.weights.src_offset, t.weights);
    }
    void store_output(const tile_window& t) {
        dma.start(io.output + t.output.dst_offset, io.l1 + t.output.src_offset, t.output);
    }
    void wait() { dma.wait(); }
    void compute(const tile_window& t) {
        kernel(t, io.l1 + plan.in_offset[t.in_buffer], weight_tile(), io.l1 + plan.out_offset[t.out_buffer]);
    }
};

}  // namespace detail

template <class Dma, class Kernel>
void run_tiled(const tile_plan& plan, const tiled_io& io, Dma& dma, Kernel& kernel) {
    detail::executing_visitor<Dma, Kernel> v{plan, io, dma, kernel};
    walk_schedule(plan, v);
}

template <class Kernel>
void run_tiled(const tile_plan& plan, const tiled_io& io, Kernel& kernel) {
    blocking_dma dma{};
    run_tiled(plan, io, dma, kernel);
}

// The requantization of output channels [first, ...) seen as channels [0, ...) of a tile.
constexpr requant requant_from_channel(requant rq, int first) {
    if (rq.kind == requant_kind::tflite && rq.tflite.per_channel()) {
        rq.tflite.multipliers += first;
        rq.tflite.shifts += first;
    }
    return rq;
}

// The CPU kernels as tile kernels: what the untiled layer computes, restricted to one tile.
struct cpu_tile_kernel {
    tile_op kind = tile_op::conv2d;
    const std::int32_t* bias = nullptr;  // whole bias array (L2), may be null
    requant rq{};

    void operator()(const tile_window& t, const std::int8_t* in, const std::int8_t* weights, std::int8_t* out) const {
        const requant tile_rq = requant_from_channel(rq, t.k_begin);
        const std::int32_t* tile_bias = bias != nullptr ? bias + t.k_begin : nullptr;
        switch (kind) {
            case tile_op::conv2d: cpu::conv2d(t.geometry, in, weights, tile_bias, tile_rq, out); break;
            case tile_op::depthwise_conv2d:
                cpu::depthwise_conv2d(t.geometry, in, weights, tile_bias, tile_rq, out);
                break;
            case tile_op::dense: cpu::dense(t.c_count, t.k_count, in, weights, tile_bias, tile_rq, out); break;
        }
    }
};

}  // namespace htvm::tiling
