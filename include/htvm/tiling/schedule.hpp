// The order in which a plan's tiles run and the data each one moves. The executor (real copies)
// and the cycle model (timing only) walk this same schedule, so they cannot disagree.
//
// Tiles run output-channel tile outermost, so a weight tile is loaded once and then used for every
// spatial tile; rows, then columns inside. With double buffering, tile n+1's input moves while
// tile n computes, and tile n's output moves out while tile n+1 computes:
//     load in(0), weights(0); wait
//     for n: [new weights: load weights(n); wait]  load in(n+1) -> buffer (n+1)%2
//            compute n: in[n%2] -> out[n%2];  wait;  store out[n%2]
//     wait
// Weights are single-buffered (in-memory-compute arrays are written in place): a new weight tile waits.
#pragma once
#include "../kernels/geometry.hpp"
#include "halo.hpp"
#include "plan.hpp"

namespace htvm::tiling {

// A strided copy of `outer x inner` runs of `run_bytes`. Offsets are relative to the tensor's base
// (on the L2 side) or the memory's base (L1, weight memory); contiguous dimensions are merged.
// (int: the memories of the parts htvm targets are far below 2 GB, and the schedule lives on the stack.)
struct copy_shape {
    int src_offset = 0, dst_offset = 0;
    int run_bytes = 0;
    int inner_count = 1;
    int src_inner_stride = 0, dst_inner_stride = 0;
    int outer_count = 1;
    int src_outer_stride = 0, dst_outer_stride = 0;

    constexpr long long bytes() const { return static_cast<long long>(run_bytes) * inner_count * outer_count; }
    constexpr int runs() const { return inner_count * outer_count; }
};

namespace detail {
// Folds contiguous runs into longer ones: fewer, longer DMA bursts for the same bytes.
constexpr copy_shape merged(copy_shape s) {
    if (s.inner_count == 1 || (s.src_inner_stride == s.run_bytes && s.dst_inner_stride == s.run_bytes)) {
        s.run_bytes *= s.inner_count;
        s.inner_count = 1;
        s.src_inner_stride = s.dst_inner_stride = s.run_bytes;
        if (s.outer_count == 1 || (s.src_outer_stride == s.run_bytes && s.dst_outer_stride == s.run_bytes)) {
            s.run_bytes *= s.outer_count;
            s.outer_count = 1;
            s.src_outer_stride = s.dst_outer_stride = s.run_bytes;
        }
    }
    if (s.bytes() == 0) s.run_bytes = 0, s.inner_count = 1, s.outer_count = 1;
    return s;
}
}  // namespace detail

struct tile_window {
    int index = 0;
    int k_begin = 0, k_count = 0;    // output channels
    int c_begin = 0, c_count = 0;    // input channels loaded
    int oy_begin = 0, oy_count = 0;  // output rows
    int ox_begin = 0, ox_count = 0;  // output columns
    axis_range rows{}, cols{};       // input rows / columns loaded, with the tile's implicit padding
    bool new_weights = false;        // first tile of its output-channel tile
    bool new_input = false;          // its input must be loaded (false when reused from the first tile)
    int in_buffer = 0, out_buffer = 0;
    cpu::window_geometry geometry{};  // what the tile kernel computes, in tile-local coordinates

    copy_shape input{};    // L2 tensor -> L1
    copy_shape weights{};  // L2 weights -> weight memory (or L1)
    copy_shape output{};   // L1 -> L2 tensor
};

constexpr tile_window tile_at(const tile_plan& plan, int n) {
    const tile_problem& p = plan.problem;
    tile_window t{};
    t.index = n;
    const int wt = n % plan.tiles_w;
    const int ht = (n / plan.tiles_w) % plan.tiles_h;
    const int kt = n / (plan.tiles_w * plan.tiles_h);
    auto clip = [](int begin, int size, int total) { return begin + size > total ? total - begin : size; };
    t.k_begin = kt * plan.tile_k;
    t.k_count = clip(t.k_begin, plan.tile_k, p.out.c);
    t.oy_begin = ht * plan.tile_h;
    t.oy_count = clip(t.oy_begin, plan.tile_h, p.out.h);
    t.ox_begin = wt * plan.tile_w;
    t.ox_count = clip(t.ox_begin, plan.tile_w, p.out.w);
    const bool depthwise = p.kind == tile_op::depthwise_conv2d;
    t.c_begin = depthwise ? t.k_begin : 0;
    t.c_count = depthwise ? t.k_count : p.in.c;
    t.rows = input_range(t.oy_begin, t.oy_count, p.stride.h, p.kernel.h, p.pad_top, p.in.h);
    t.cols = input_range(t.ox_begin, t.ox_count, p.stride.w, p.kernel.w, p.pad_left, p.in.w);
    t.new_weights = wt == 0 && ht == 0;
    t.new_input = !plan.input_reused || n == 0;
    t.in_buffer = plan.double_buffered && !plan.input_reused ? n % 2 : 0;
    t.out_buffer = plan.double_buffered ? n % 2 : 0;
    t.geometry = {shape{1, t.rows.count, t.cols.count, t.c_count}, shape{1, t.oy_count, t.ox_count, t.k_count},
                  p.kernel, p.stride, t.rows.pad_before, t.cols.pad_before};

    const int C = p.in.c, W = p.in.w, K = p.out.c, OW = p.out.w;
    copy_shape in{};
    in.src_offset = (t.rows.begin * W + t.cols.begin) * C + t.c_begin;
    in.dst_offset = plan.in_offset[t.in_buffer];
    in.run_bytes = t.c_count;
    in.inner_count = t.cols.count;
    in.src_inner_stride = C;
    in.dst_inner_stride = t.c_count;
    in.outer_count = t.rows.count;
    in.src_outer_stride = W * C;
    in.dst_outer_stride = t.cols.count * t.c_count;
    t.input = detail::merged(in);

    copy_shape w{};
    w.dst_offset = plan.weight_offset;
    if (depthwise) {  // [H][W][C]: a slice of channels in every kernel position
        w.src_offset = t.k_begin;
        w.run_bytes = t.k_count;
        w.inner_count = p.kernel.h * p.kernel.w;
        w.src_inner_stride = C;
        w.dst_inner_stride = t.k_count;
    } else {  // OHWI / [units][features]: whole filters, contiguous
        w.src_offset = t.k_begin * p.reduction_rows();
        w.run_bytes = t.k_count * p.reduction_rows();
    }
    t.weights = detail::merged(w);

    copy_shape out{};
    out.src_offset = plan.out_offset[t.out_buffer];
    out.dst_offset = (t.oy_begin * OW + t.ox_begin) * K + t.k_begin;
    out.run_bytes = t.k_count;
    out.inner_count = t.ox_count;
    out.src_inner_stride = t.k_count;
    out.dst_inner_stride = K;
    out.outer_count = t.oy_count;
    out.src_outer_stride = t.ox_count * t.k_count;
    out.dst_outer_stride = OW * K;
    t.output = detail::merged(out);
    return t;
}

namespace detail {
template <class Visitor>
constexpr void walk_single_buffered(const tile_plan& plan, Visitor& v) {
    const int count = plan.tile_count;
    for (int n = 0; n < count; ++n) {
        const tile_window t = tile_at(plan, n);
        if (t.new_weights) v.load_weights(t);
        if (t.new_input) v.load_input(t);
        v.wait();
        v.compute(t);
        v.store_output(t);
        v.wait();
    }
}
template <class Visitor>
constexpr void walk_double_buffered(const tile_plan& plan, Visitor& v) {
    const int count = plan.tile_count;
    tile_window current = tile_at(plan, 0);
    v.load_weights(current);
    v.load_input(current);
    v.wait();
    for (int n = 0; n < count; ++n) {
        if (n > 0 && current.new_weights) {
            v.load_weights(current);
            v.wait();
        }
        const bool has_next = n + 1 < count;
        if (has_next) {  // scoped (and recomputed below): one window fewer on the stack
            const tile_window next = tile_at(plan, n + 1);
            if (next.new_input) v.load_input(next);
        }
        v.compute(current);
        v.wait();
        v.store_output(current);
        if (has_next) current = tile_at(plan, n + 1);
    }
    v.wait();
}
}  // namespace detail

// Walks the schedule above, calling on `v`:
//   v.load_input(const tile_window&), v.load_weights(const tile_window&), v.wait(),
//   v.compute(const tile_window&), v.store_output(const tile_window&).
// Loads and stores are asynchronous requests; wait() returns when all requests made so far are done.
// Always inlined: where the plan is a constant, only the walk it needs is compiled.
template <class Visitor>
[[gnu::always_inline]] constexpr void walk_schedule(const tile_plan& plan, Visitor& v) {
    if (!plan.ok()) return;
    if (plan.double_buffered) detail::walk_double_buffered(plan, v);
    else detail::walk_single_buffered(plan, v);
}

// Cycles of a tiled layer on an accelerator with one DMA engine, from the platform's costs:
//   compute_cycles(const tile_window&) and transfer_cycles(const copy_shape&).
// Transfers run one after the other; with double buffering they overlap the computation, so a
// tile costs the larger of its compute and the DMA traffic hidden behind it.
template <class ComputeCycles, class TransferCycles>
constexpr long long tiled_cycles(const tile_plan& plan, ComputeCycles compute_cycles, TransferCycles transfer_cycles) {
    struct timeline {
        ComputeCycles& compute_cost;
        TransferCycles& transfer_cost;
        long long now = 0;       // the compute engine's time
        long long dma_free = 0;  // when the DMA engine finishes its queued requests
        constexpr void request(const copy_shape& s) {
            const long long start = dma_free > now ? dma_free : now;
            dma_free = start + transfer_cost(s);
        }
        constexpr void load_input(const tile_window& t) { request(t.input); }
        constexpr void load_weights(const tile_window& t) { request(t.weights); }
        constexpr void store_output(const tile_window& t) { request(t.output); }
        constexpr void compute(const tile_window& t) { now += compute_cost(t); }
        constexpr void wait() { now = dma_free > now ? dma_free : now; }
    } v{compute_cycles, transfer_cycles};
    walk_schedule(plan, v);
    return v.now;
}

}  // namespace htvm::tiling
