// Analytical cycle model of one layer on DIANA (docs/diana.md lists every constant with its source
// and says which ones are our assumptions). Per layer it gives:
//   peak    cycles the accelerator is busy computing (HTVM's "peak" performance);
//   full    the whole accelerator call, untiled and without overlap: call overhead + weight load +
//           input DMA + peak + per-tile pipeline overhead + output DMA (HTVM's "full kernel");
//   layout  RISC-V cycles spent on activation layout transforms around digital calls (and on
//           arranging weights at load time unless its form gives them arranged, forms.hpp);
//   cpu     a rough RISC-V estimate for layers that run on the CPU.
// A layer that runs in several tiles (tiling.hpp) is costed tile by tile along the very schedule the
// target executes (htvm/tiling/schedule.hpp): per tile a call overhead, its peak and pipeline
// overhead, and a DMA per copy (setup once, then 16 B/cycle per contiguous run); per output-channel
// tile its weight load. DIANA's DMA is synchronous (tiling.hpp), so nothing overlaps; with an
// asynchronous DMA the same timeline would overlap transfers with computation. One tile costs
// exactly what the untiled formula gives.
// All values are at DIANA's 260 MHz clock; nothing here is measured.
#pragma once
#include <cstddef>

#include "../graph.hpp"
#include "../model.hpp"
#include "layouts.hpp"
#include "memory_map.hpp"
#include "policy.hpp"
#include "rules.hpp"
#include "../tiling/plan.hpp"
#include "../tiling/schedule.hpp"
#include "tiling.hpp"

namespace htvm::diana::cycles {

// ---- constants (sources in docs/diana.md) -------------------------------------------------------
inline constexpr int dma_bytes_per_cycle = 16;             // L2 <-> L1, 128-bit
inline constexpr int dma_setup_cycles = 70;                // per DMA transfer
inline constexpr int weight_bytes_per_cycle = 16;          // writes into the digital weight memory
inline constexpr int call_overhead_cycles = 150;           // RISC-V programs, starts and waits for a call
inline constexpr int digital_tile_fixed_cycles = 23;       // per 16 x 16 output tile
inline constexpr int digital_tile_cycles_per_c_fy = 2;     // per 16 x 16 output tile, times C * FY
inline constexpr int depthwise_macs_per_4_cycles = 15;     // 3.75 MAC/cycle at best
inline constexpr int add_elements_per_cycle = 16;
inline constexpr int analog_input_bytes_per_cycle = analog_row_block;     // 64: 512-bit L1 port
inline constexpr int analog_columns_per_cycle = analog_column_group;      // 32: ADC readout groups
inline constexpr int analog_mvm_cycles = 4;                // one array evaluation (DAC, settle, ADC)
inline constexpr int analog_pipeline_latency = 10;         // filling the fetch / MVM / 6-stage SIMD pipeline
inline constexpr int analog_weight_bytes_per_cycle = 16;   // programming the array from L2
inline constexpr int cpu_layout_cycles_per_byte = 3;       // RISC-V NHWC <-> CHW word-swapped copy
inline constexpr int cpu_cycles_per_mac = 4;               // RISC-V int8 conv/dense kernels
inline constexpr int cpu_cycles_per_element = 4;           // RISC-V pooling / element-wise, per input element read

struct layer_cycles {
    long long macs = 0;
    long long peak = 0;
    long long full = 0;
    long long layout = 0;
    long long cpu = 0;

    constexpr long long total() const { return full + layout + cpu; }
};

constexpr long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }
constexpr long long transfer(long long bytes) { return dma_setup_cycles + ceil_div(bytes, dma_bytes_per_cycle); }

// ---- digital accelerator ----------------------------------------------------------------------

// 16 output channels x 16 output columns per cycle; one tile of the output is 16 x 16 (K x OX).
constexpr long long digital_conv_peak(int k, int c, int oy, int ox, int fy, int fx) {
    return ceil_div(k, pe_rows) * oy * ceil_div(ox, pe_columns) * static_cast<long long>(c) * fy * fx;
}
constexpr long long digital_conv_tile_overhead(int k, int c, int oy, int ox, int fy) {
    return ceil_div(k, pe_rows) * oy * ceil_div(ox, pe_columns) *
           (static_cast<long long>(digital_tile_cycles_per_c_fy) * c * fy + digital_tile_fixed_cycles);
}
// Depthwise: 3.75 MAC/cycle when OX is a multiple of 16; idle columns count as MACs.
constexpr long long digital_depthwise_peak(int c, int oy, int ox, int fy, int fx) {
    const long long slots = static_cast<long long>(c) * oy * ceil_div(ox, pe_columns) * pe_columns * fy * fx;
    return ceil_div(slots * 4, depthwise_macs_per_4_cycles);
}
// Dense: 16 inputs x 16 outputs per cycle.
constexpr long long digital_dense_peak(int features, int units) {
    return ceil_div(features, pe_columns) * ceil_div(units, pe_rows);
}

// ---- analog accelerator -----------------------------------------------------------------------

// Per output pixel the pipeline fetches C*FY*FX inputs (64 rows a cycle), evaluates the array and
// reads K columns out (32 a cycle); the slowest stage sets the pace.
constexpr long long analog_cycles_per_pixel(int rows, int columns) {
    const long long fetch = ceil_div(rows, analog_input_bytes_per_cycle);
    const long long readout = ceil_div(columns, analog_columns_per_cycle);
    long long slowest = fetch > readout ? fetch : readout;
    return slowest > analog_mvm_cycles ? slowest : analog_mvm_cycles;
}
constexpr long long analog_conv_peak(int k, int c, int oy, int ox, int fy, int fx) {
    return static_cast<long long>(oy) * ox * analog_cycles_per_pixel(c * fy * fx, k) + analog_pipeline_latency;
}

// ---- CPU --------------------------------------------------------------------------------------

template <std::size_t N>
constexpr long long cpu_estimate(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    const layer& l = net.layers[i];
    const long long macs = layer_macs(net, g, i);
    if (macs > 0) return macs * cpu_cycles_per_mac;
    if (!l.computes()) return 0;
    long long read = 0;
    for (int k = 0; k < g.input_count[i]; ++k) read += g.output[g.producer[i][k]].elements();
    if (is<avg_pool>(l)) read = static_cast<long long>(g.output[i].elements()) * get<avg_pool>(l).window.h * get<avg_pool>(l).window.w;
    if (is<max_pool>(l)) read = static_cast<long long>(g.output[i].elements()) * get<max_pool>(l).window.h * get<max_pool>(l).window.w;
    if (is<softmax>(l)) return read * 10 * cpu_cycles_per_element;  // exp and division per element
    return read * cpu_cycles_per_element;
}

// ---- one tile ---------------------------------------------------------------------------------

// A strided copy: one setup, then each contiguous run at the DMA's width.
constexpr long long copy_cycles(const tiling::copy_shape& s) {
    if (s.bytes() == 0) return 0;
    return dma_setup_cycles + static_cast<long long>(s.runs()) * ceil_div(s.run_bytes, dma_bytes_per_cycle);
}

struct tile_cycles {
    long long peak = 0;
    long long overhead = 0;  // per-16x16-tile pipeline overhead (digital)
};

// Peak and pipeline overhead of one tile of a digital layer of kind `kind`.
constexpr tile_cycles digital_tile(tiling::tile_op kind, const tiling::tile_window& t) {
    const auto& k = t.geometry.kernel;
    if (kind == tiling::tile_op::conv2d)
        return {digital_conv_peak(t.k_count, t.c_count, t.oy_count, t.ox_count, k.h, k.w),
                digital_conv_tile_overhead(t.k_count, t.c_count, t.oy_count, t.ox_count, k.h)};
    if (kind == tiling::tile_op::depthwise_conv2d) return {digital_depthwise_peak(t.k_count, t.oy_count, t.ox_count, k.h, k.w), 0};
    return {digital_dense_peak(t.c_count, t.k_count), ceil_div(t.k_count, pe_rows) * digital_tile_fixed_cycles};
}

constexpr long long analog_weight_load(int k, int rows) {
    const long long packed = static_cast<long long>(rows) * layout::ceil_div(k, 4);
    return dma_setup_cycles + ceil_div(packed + 8LL * k, analog_weight_bytes_per_cycle);
}

// A tiled layer on `where` (digital or analog), along the executed schedule.
template <std::size_t N>
constexpr layer_cycles tiled_estimate(const network<N>& net, const graph_info<N>& g, std::size_t i, unit where,
                                      const tiling::tile_plan& plan, bool weights_arranged = false) {
    const layer& l = net.layers[i];
    struct timeline {
        const layer& l;
        const tiling::tile_plan& plan;
        unit where;
        bool weights_arranged;
        int analog_rows_used;
        layer_cycles r{};
        long long now = 0;       // the RISC-V / accelerator's time
        long long dma_free = 0;  // when the DMA finishes what it was asked
        constexpr void request(long long cost) {
            const long long start = dma_free > now ? dma_free : now;
            dma_free = start + cost;
        }
        constexpr void load_input(const tiling::tile_window& t) {
            request(copy_cycles(t.input));
            if (where == unit::digital) r.layout += t.input.bytes() * cpu_layout_cycles_per_byte;
        }
        constexpr void store_output(const tiling::tile_window& t) {
            request(copy_cycles(t.output));
            if (where == unit::digital) r.layout += t.output.bytes() * cpu_layout_cycles_per_byte;
        }
        constexpr void load_weights(const tiling::tile_window& t) {
            if (where == unit::analog) {
                // A layer within the array's columns is programmed once (target.hpp).
                if (plan.problem.out.c <= analog_columns) {
                    if (t.k_begin == 0) request(analog_weight_load(plan.problem.out.c, analog_rows_used));
                } else {
                    request(analog_weight_load(t.k_count, analog_rows_used));
                }
                return;
            }
            const bool depthwise = plan.problem.kind == tiling::tile_op::depthwise_conv2d;
            const int bytes = layout::weight_memory_bytes(
                {depthwise ? layout::weight_kind::depthwise
                           : (plan.problem.kind == tiling::tile_op::dense ? layout::weight_kind::dense : layout::weight_kind::conv),
                 t.k_count, depthwise ? t.k_count : plan.problem.in.c, plan.problem.kernel.h,
                 plan.problem.kernel.w});
            request(dma_setup_cycles + ceil_div(bytes, weight_bytes_per_cycle));
            if (!weights_arranged) r.layout += static_cast<long long>(bytes) * cpu_layout_cycles_per_byte;
        }
        constexpr void compute(const tiling::tile_window& t) {
            long long peak = 0, overhead = 0;
            if (where == unit::digital) {
                const tile_cycles c = digital_tile(plan.problem.kind, t);
                peak = c.peak;
                overhead = c.overhead;
            } else {
                const auto& k = t.geometry.kernel;
                peak = analog_conv_peak(t.k_count, t.c_count, t.oy_count, t.ox_count, k.h, k.w);
            }
            r.peak += peak;
            now += call_overhead_cycles + peak + overhead;
        }
        constexpr void wait() { now = dma_free > now ? dma_free : now; }
    } v{l, plan, where, weights_arranged, plan.problem.reduction_rows()};
    tiling::walk_schedule(plan, v);
    layer_cycles r = v.r;
    r.macs = layer_macs(net, g, i);
    r.full = v.now;
    return r;
}

// ---- one layer on the unit it was placed on ---------------------------------------------------

// The layer on `where` in one piece (the untiled formula, whatever its size).
template <std::size_t N>
constexpr layer_cycles estimate(const network<N>& net, const graph_info<N>& g, std::size_t i, unit where,
                                bool weights_arranged = false) {
    const layer& l = net.layers[i];
    layer_cycles r{};
    if (g.error.kind != graph_error_kind::none || !l.computes()) return r;
    const shape in = g.input_shape(i);
    const shape out = g.output[i];
    r.macs = layer_macs(net, g, i);
    if (where == unit::cpu) {
        r.cpu = cpu_estimate(net, g, i);
        return r;
    }
    long long inputs = 0, input_bytes = 0;
    for (int k = 0; k < g.input_count[i]; ++k) {
        inputs += transfer(g.output[g.producer[i][k]].elements());
        input_bytes += g.output[g.producer[i][k]].elements();
    }
    const long long output = transfer(out.elements());
    long long weights = 0, tile_overhead = 0;
    if (where == unit::digital) {
        if (is<conv2d>(l)) {
            const hw k = get<conv2d>(l).kernel;
            r.peak = digital_conv_peak(out.c, in.c, out.h, out.w, k.h, k.w);
            tile_overhead = digital_conv_tile_overhead(out.c, in.c, out.h, out.w, k.h);
        } else if (is<depthwise_conv2d>(l)) {
            const hw k = get<depthwise_conv2d>(l).kernel;
            r.peak = digital_depthwise_peak(in.c, out.h, out.w, k.h, k.w);
        } else if (is<dense>(l)) {
            r.peak = digital_dense_peak(in.elements(), out.c);
            tile_overhead = ceil_div(out.c, pe_rows) * digital_tile_fixed_cycles;
        } else {
            r.peak = ceil_div(out.elements(), add_elements_per_cycle);
            tile_overhead = digital_tile_fixed_cycles;
        }
        const int weight_need = digital_weight_need(net, g, i);
        if (weight_need > 0) weights = dma_setup_cycles + ceil_div(weight_need, weight_bytes_per_cycle);
        // Activations are transformed on the RISC-V (NHWC <-> digital layout) around the call.
        r.layout = (input_bytes + out.elements()) * cpu_layout_cycles_per_byte;
        if (weight_need > 0 && !weights_arranged)
            r.layout += static_cast<long long>(weight_need) * cpu_layout_cycles_per_byte;
    } else {
        const hw k = detail::kernel_of(l);  // (the analog array runs conv2d only)
        const int rows = in.c * k.h * k.w;
        r.peak = analog_conv_peak(out.c, in.c, out.h, out.w, k.h, k.w);
        const long long packed = static_cast<long long>(rows) * layout::ceil_div(out.c, 4);
        weights = dma_setup_cycles + ceil_div(packed + 8LL * out.c, analog_weight_bytes_per_cycle);
    }
    r.full = call_overhead_cycles + weights + inputs + r.peak + tile_overhead + output;
    return r;
}

// The layer on `where` as the target runs it with `plan`: tile by tile when the plan has several
// tiles, otherwise the untiled formula (which one tile equals).
template <std::size_t N>
constexpr layer_cycles estimate(const network<N>& net, const graph_info<N>& g, std::size_t i, unit where,
                                const tiling::tile_plan& plan, bool weights_arranged = false) {
    if (where != unit::cpu && plan.ok() && plan.tiled() && g.error.kind == graph_error_kind::none)
        return tiled_estimate(net, g, i, where, plan, weights_arranged);
    return estimate(net, g, i, where, weights_arranged);
}

}  // namespace htvm::diana::cycles
