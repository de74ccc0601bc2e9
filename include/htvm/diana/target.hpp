// The DIANA target for htvm::model:
//     using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed>>;
// Every layer runs where the compile-time dispatch plan put it (policy.hpp): on the CPU through
// htvm::cpu_target, or on an accelerator through the SoC interface (soc.hpp; simulators by default).
// Accelerator conv2d / depthwise / dense layers run tile by tile, as planned at compile time by the
// tiler with DIANA's memories (tiling.hpp; a layer that fits is one tile), walking the schedule of
// htvm/tiling/schedule.hpp:
//   digital: per output-channel tile, its weights (build-time arranged: a DMA'd slice; otherwise
//            arranged by the RISC-V) and int32 biases into the weight memory; per tile, the input
//            window (halo included) transformed NHWC -> digital layout into L1 by the RISC-V; the
//            call with the tile's geometry; the output tile transformed back into the arena;
//   analog:  ternary weights and batch-norm constants into the array; each input window DMA'd to
//            L1 (HWC); the call on the tile's columns; the output tile DMA'd back.
// A digital add runs untiled. The arena itself lives in L2; the budgets (L2, L1 per tile, weight
// memories) are static_asserts here.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../cpu_target.hpp"
#include "../graph.hpp"
#include "diagnostics.hpp"
#include "layouts.hpp"
#include "policy.hpp"
#include "rules.hpp"
#include "../tiling/checked.hpp"
#include "../tiling/schedule.hpp"
#include "budget.hpp"
#include "soc.hpp"
#include "tiling.hpp"

namespace htvm::diana {

// The analysis of a network, for reading its dispatch plan without building a model.
template <const auto& net>
inline constexpr auto graph_of = analyze(net);

// The dispatch plan of `net` under `Policy`, readable at compile time:
//     static_assert(htvm::diana::plan_of<net, htvm::diana::policy::mixed>.layer[3].target == htvm::diana::unit::analog);
template <const auto& net, class Policy>
inline constexpr auto plan_of = plan_dispatch(Policy::kind, net, graph_of<net>);

template <class Policy, class Soc = simulated_soc>
struct target {
    static constexpr const char* name = "diana";
    using policy = Policy;
    using soc = Soc;

    template <const auto& net, const auto& graph>
    static constexpr auto plan = plan_dispatch(Policy::kind, net, graph);

    template <const auto& net, const auto& graph, std::size_t i>
    static void execute(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        // Only the offending layer reports, so an invalid override gives one error, not one per layer.
        static_assert(plan<net, graph>.error_layer != static_cast<int>(i) || report_dispatch_errors<net, plan<net, graph>>(),
                      "htvm::diana: invalid '.target' override; see the report above");
        // L2 (arena + constants as deployed + I/O buffers), asserted once per model.
        if constexpr (i == 1)
            static_assert(l2_fits_deployed<net, graph, plan<net, graph>>(),
                          "htvm::diana: the network does not fit DIANA's L2; see htvm::error::l2_over_budget above");
        constexpr placement p = plan<net, graph>.layer[i];
        if constexpr (p.target == unit::digital) {
            run_digital<net, graph, i>(a, b, out);
        } else if constexpr (p.target == unit::analog) {
            run_analog<net, graph, i>(a, out);
        } else {
            cpu_target::template execute<net, graph, i>(a, b, out);
        }
    }

private:
    static void to_vector(int count, const std::int8_t* source, std::int8_t* l1) {
        for (int i = 0; i < count; ++i) l1[layout::digital_vector(i)] = source[i];
    }
    static void from_vector(int count, const std::int8_t* l1, std::int8_t* destination) {
        for (int i = 0; i < count; ++i) destination[i] = l1[layout::digital_vector(i)];
    }

    // What the tile visitors below read of their tile plan at run time, as constants of their own
    // (ordinary variables); the plan `tp` itself, a template argument, is read in constant expressions
    // only. Clang (14 here; llvm-project issue #146272 reports 18 to 20) emits the template parameter
    // object of a class type with padding, such as tile_plan, with an unpadded LLVM type but indexes its
    // members with the field numbers of the padded type: a member read that it does not fold to a
    // constant, such as tp.in_offset[t.in_buffer], reads a later field instead (in_buffer_bytes and
    // out_buffer_bytes for the L1 offsets), at every optimization level. The offsets are two scalars
    // each, so that no copy of the plan is needed in the firmware either.
    template <tiling::tile_plan tp>
    struct plan_constants {
        static constexpr tiling::tile_problem problem = tp.problem;
        static constexpr int weight_offset = tp.weight_offset;
        // L1 offset of input / output buffer `b` (0 or 1: the two are equal without double buffering).
        static constexpr int in_offset(int b) { return b == 0 ? in_offset_0 : in_offset_1; }
        static constexpr int out_offset(int b) { return b == 0 ? out_offset_0 : out_offset_1; }

    private:
        static constexpr int in_offset_0 = tp.in_offset[0], in_offset_1 = tp.in_offset[1];
        static constexpr int out_offset_0 = tp.out_offset[0], out_offset_1 = tp.out_offset[1];
    };

    // ---- digital: conv2d, depthwise, dense, tile by tile -------------------------------------------
    // The RISC-V moves every input window into L1 in the accelerator's layout and every output tile
    // back (the layout transform is done by the core, as in HTVM); weights of one output-channel tile
    // (whole 16-channel blocks) go to the weight memory, biases after them. Synchronous SoC calls:
    // wait() has nothing to wait for.
    template <const auto& net, std::size_t i, tiling::tile_plan tp>
    struct digital_tiles_visitor {
        const std::int8_t* input;  // NHWC, whole tensor (arena)
        std::int8_t* output;       // NHWC, whole tensor (arena)

        using tiles = plan_constants<tp>;  // (never tp at run time: see plan_constants)
        static constexpr const layer& l = net.layers[i];
        // What the tiles read of the layer, as constants: reading `l` itself at run time would make
        // the network record, and through it every weight layout of every layer, part of the firmware.
        static constexpr const std::int8_t* weights = l.weights.data;
        static constexpr const std::int8_t* arranged = l.arranged_weights.data;
        static constexpr const std::int32_t* bias = l.bias.data;
        static constexpr diana_requant rq = l.rq.diana;
        static constexpr layout::weight_kind kind = l.kind == op::depthwise_conv2d ? layout::weight_kind::depthwise
                                                    : l.kind == op::dense          ? layout::weight_kind::dense
                                                                                   : layout::weight_kind::conv;
        static constexpr layout::digital_weights tile_weights(int k) {
            return {kind, k, kind == layout::weight_kind::depthwise ? k : tiles::problem.in.c, tiles::problem.kernel.h,
                    tiles::problem.kernel.w};
        }

        void load_input(const tiling::tile_window& t) {
            constexpr const tiling::tile_problem& p = tiles::problem;
            std::int8_t* tile = Soc::l1() + tiles::in_offset(t.in_buffer);
            for (int y = 0; y < t.rows.count; ++y)
                for (int x = 0; x < t.cols.count; ++x)
                    for (int c = 0; c < t.c_count; ++c)
                        tile[layout::digital_activation(t.geometry.in, y, x, c)] =
                            input[((t.rows.begin + y) * p.in.w + t.cols.begin + x) * p.in.c + t.c_begin + c];
        }
        void load_weights(const tiling::tile_window& t) {
            const layout::digital_weights w = tile_weights(t.k_count);
            if constexpr (has_arranged_digital_weights(l)) {
                // Build-time arranged weights: a tile of whole 16-channel blocks is one contiguous slice.
                constexpr layout::digital_weights block = tile_weights(pe_rows);
                const int first_block = t.k_begin / pe_rows;
                Soc::dma_to_digital_weights(tiles::weight_offset, arranged + first_block * layout::weight_bytes(block),
                                            layout::weight_bytes(w));
            } else {
                // The RISC-V arranges the tile's weights (zero padding filters included) while loading them.
                std::int8_t* memory = Soc::digital_weights() + tiles::weight_offset;
                for (int b = 0; b < layout::weight_bytes(w); ++b) memory[b] = 0;
                constexpr layout::digital_weights whole = tile_weights(tiles::problem.out.c);
                layout::for_each_weight(w, [&](int k, int fy, int fx, int c) {
                    memory[layout::digital_weight(w, k, fy, fx, c)] =
                        weights[layout::source_weight(whole, t.k_begin + k, fy, fx, kind == layout::weight_kind::depthwise ? t.k_begin + k : c)];
                });
            }
            Soc::dma_to_digital_weights(tiles::weight_offset + layout::bias_offset(w), bias + t.k_begin, 4 * t.k_count);
        }
        void compute(const tiling::tile_window& t) {
            const layout::digital_weights w = tile_weights(t.k_count);
            if constexpr (l.kind == op::dense) {
                digital::dense_job job{};
                job.input = tiles::in_offset(t.in_buffer);
                job.output = tiles::out_offset(t.out_buffer);
                job.features = t.c_count;
                job.units = t.k_count;
                job.weights = tiles::weight_offset;
                job.bias = tiles::weight_offset + layout::bias_offset(w);
                job.rq = rq;
                Soc::digital_dense(job);
            } else {
                digital::conv_job job{};
                job.input = tiles::in_offset(t.in_buffer);
                job.output = tiles::out_offset(t.out_buffer);
                job.in = t.geometry.in;
                job.out = t.geometry.out;
                job.kernel = t.geometry.kernel;
                job.stride = t.geometry.stride;
                job.pad_top = t.geometry.pad_top;
                job.pad_left = t.geometry.pad_left;
                job.depthwise = kind == layout::weight_kind::depthwise;
                job.weights = tiles::weight_offset;
                job.bias = tiles::weight_offset + layout::bias_offset(w);
                job.rq = rq;
                Soc::digital_conv(job);
            }
        }
        void store_output(const tiling::tile_window& t) {
            constexpr const tiling::tile_problem& p = tiles::problem;
            const std::int8_t* tile = Soc::l1() + tiles::out_offset(t.out_buffer);
            for (int y = 0; y < t.oy_count; ++y)
                for (int x = 0; x < t.ox_count; ++x)
                    for (int k = 0; k < t.k_count; ++k)
                        output[((t.oy_begin + y) * p.out.w + t.ox_begin + x) * p.out.c + t.k_begin + k] =
                            tile[layout::digital_activation(t.geometry.out, y, x, k)];
        }
        void wait() {}
    };

    // ---- analog: conv2d, tile by tile ------------------------------------------------------------
    // Inputs and outputs are plain HWC: every contiguous run of a window is one DMA. The whole layer
    // is programmed into the array once when its K fits the 512 columns (each tile then reads its
    // columns); a wider layer is programmed one output-channel tile at a time from a staging copy.
    template <const auto& net, const auto& graph, std::size_t i, tiling::tile_plan tp>
    struct analog_tiles_visitor {
        const std::int8_t* input;
        std::int8_t* output;

        using tiles = plan_constants<tp>;  // (never tp at run time: see plan_constants)
        static constexpr const layer& l = net.layers[i];
        static constexpr analog_variant analog = l.analog;  // (a constant: see digital_tiles_visitor)
        static constexpr layout::analog_weights whole = detail::analog_weight_shape(net, graph, i);
        static constexpr bool whole_layer_in_array = whole.k <= analog_columns;
        static constexpr layout::analog_weights staged_shape{tp.tile_k, whole.c, whole.fy, whole.fx};
        // Only instantiated for layers wider than the array.
        struct staging {
            alignas(4) static inline std::uint8_t packed[whole_layer_in_array ? 1 : layout::packed_bytes(staged_shape)];
        };

        static void copy_runs(const tiling::copy_shape& s, bool to_l1, const std::int8_t* from, std::int8_t* to) {
            for (int o = 0; o < s.outer_count; ++o)
                for (int r = 0; r < s.inner_count; ++r) {
                    const int src = s.src_offset + o * s.src_outer_stride + r * s.src_inner_stride;
                    const int dst = s.dst_offset + o * s.dst_outer_stride + r * s.dst_inner_stride;
                    if (to_l1) Soc::dma_to_l1(dst, from + src, s.run_bytes);
                    else Soc::dma_from_l1(to + dst, src, s.run_bytes);
                }
        }
        void load_input(const tiling::tile_window& t) { copy_runs(t.input, true, input, nullptr); }
        void store_output(const tiling::tile_window& t) { copy_runs(t.output, false, nullptr, output); }
        void load_weights(const tiling::tile_window& t) {
            if constexpr (whole_layer_in_array) {
                if (t.k_begin == 0) Soc::analog_load(whole, analog.weights.data, analog.scale, analog.offset, 0);
            } else {
                static_assert(tp.tile_k % 4 == 0, "htvm::diana: analog output-channel tiles start on a packed byte");
                const layout::analog_weights w{t.k_count, whole.c, whole.fy, whole.fx};
                for (int row = 0; row < layout::rows(w); ++row)
                    for (int b = 0; b < layout::row_bytes(w); ++b)
                        staging::packed[row * layout::row_bytes(w) + b] =
                            analog.weights.data[row * layout::row_bytes(whole) + t.k_begin / 4 + b];
                Soc::analog_load(w, staging::packed, analog.scale + t.k_begin, analog.offset + t.k_begin, 0);
            }
        }
        void compute(const tiling::tile_window& t) {
            analog::conv_job job{};
            job.input = tiles::in_offset(t.in_buffer);
            job.output = tiles::out_offset(t.out_buffer);
            job.in = t.geometry.in;
            job.out = t.geometry.out;
            job.kernel = t.geometry.kernel;
            job.stride = t.geometry.stride;
            job.pad_top = t.geometry.pad_top;
            job.pad_left = t.geometry.pad_left;
            job.first_column = whole_layer_in_array ? t.k_begin : 0;
            job.shift = analog.shift;
            job.relu = analog.relu;
            job.clip_min = analog.clip_min;
            job.clip_max = analog.clip_max;
            Soc::analog_conv(job);
        }
        void wait() {}
    };

    // The budgets of one accelerator layer, asserted where it is compiled: every tile's buffers within
    // L1 and its weights within the accelerator's weight memory (htvm::error::tile_over_budget).
    template <const auto& net, std::size_t i, unit u, tiling::tile_plan tp>
    static constexpr bool tile_budgets_hold() {
        return tiling::report_tiling<static_cast<int>(i), to_layer_name(net.layers[i].name), to_layer_name(unit_name(u)),
                                     tp, u == unit::analog ? analog_tile_limits : digital_tile_limits>();
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_digital(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        constexpr const layer& l = net.layers[i];
        if constexpr (tiling::tileable(l.kind)) {
            static constexpr tiling::tile_plan tiles = plan<net, graph>.tiles[i];
            static_assert(tile_budgets_hold<net, i, unit::digital, tiles>(), "htvm::diana: see the tiling report above");
            static_assert(tiles.tiles_k == 1 || tiles.tile_k % pe_rows == 0,
                          "htvm::diana: digital output-channel tiles are whole 16-channel PE blocks");
            digital_tiles_visitor<net, i, tiles> v{a, out};
            tiling::walk_schedule(tiles, v);
        } else {
            static_assert(l.kind == op::add, "htvm::diana: the digital accelerator runs conv2d, depthwise, dense and add");
            // An add is not tiled: both inputs and the output fit L1 whole (the dispatch checked l1_need).
            constexpr shape result = graph.output[i];
            std::int8_t* l1 = Soc::l1();
            constexpr int count = result.elements();
            constexpr int input_at = 0;
            constexpr int output_at = layout::round_up(2 * count, 4);
            static_assert(output_at + count <= l1_bytes, "htvm::diana: an add's inputs and output must fit L1");
            to_vector(count, a, l1 + input_at);
            to_vector(count, b, l1 + input_at + count);
            digital::add_job job{};
            job.lhs = input_at;
            job.rhs = input_at + count;
            job.output = output_at;
            job.elements = count;
            static constexpr diana_requant rq = l.rq.diana;  // (a constant: see digital_tiles_visitor)
            job.rq = rq;
            Soc::digital_add(job);
            from_vector(count, l1 + output_at, out);
        }
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_analog(const std::int8_t* a, std::int8_t* out) {
        static constexpr tiling::tile_plan tiles = plan<net, graph>.tiles[i];
        static_assert(tile_budgets_hold<net, i, unit::analog, tiles>(), "htvm::diana: see the tiling report above");
        analog_tiles_visitor<net, graph, i, tiles> v{a, out};
        tiling::walk_schedule(tiles, v);
    }
};

}  // namespace htvm::diana
