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
// A digital add runs untiled. The arena itself lives in L2; the budgets are static_asserts: L2 and
// the model-wide checks in check() (htvm::model asserts it once), L1 per tile and the weight
// memories in execute().
// The tile code is shared by geometry, as the CPU kernels' is: one function per tile plan (digital:
// and whether the weights come arranged), called by every layer with that plan with the layer's own
// small constant (weights, bias, requantization) by reference. Per layer, only that call and that
// constant remain, so a long network of repeated blocks costs little code and compile time.
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

// DIANA reads the core's analysis of a network (htvm::graph_of), the one the model reads.
using htvm::graph_of;

// The dispatch plan of `net` under `Policy` with the layers' DIANA forms (forms.hpp), readable at
// compile time:
//     static_assert(htvm::diana::plan_of<net, htvm::diana::policy::mixed, forms>.layer[3].target == htvm::diana::unit::analog);
template <const auto& net, class Policy, const auto& Forms = no_forms>
inline constexpr auto plan_of = plan_dispatch(Policy::kind, net, graph_of<net>, view_of(Forms));

// What an accelerator layer's code reads of the layer at run time: one small constant per layer,
// passed by reference to the code that every layer of the same geometry shares (see target below).
// Each is a copy made at compile time: reading the network record `net.layers[i]` at run time would
// make the record, and through it every weight array of every layer, part of the firmware.
struct digital_layer_constants {
    // The weights as the layer's code reads them: arranged at build time (digital layout) when the
    // layer's form gives them, else OHWI / [H][W][C] / [units][features]. Only the array the layer uses
    // is referenced, so only that one is linked.
    const std::int8_t* weights = nullptr;
    const std::int32_t* bias = nullptr;
    shift_requant rq{};
};

namespace detail {

template <const auto& net, const auto& forms, std::size_t i>
inline constexpr digital_layer_constants digital_constants_of = [] {
    using Op = operator_at<net.layers[i].kind>;
    const Op& op = get<Op>(net.layers[i]);
    const weights_i8 arranged = forms.of(net.layers[i]).digital_weights;
    return digital_layer_constants{!arranged.empty() ? arranged.data : op.weights.data, op.bias.data, op.requant.shifted};
}();

// A digital add's arithmetic, and an analog layer's weights and constants (scale, offset, shift, clip).
template <const auto& net, std::size_t i>
inline constexpr shift_requant digital_add_constants_of = get<add>(net.layers[i]).requant;

template <const auto& net, const auto& forms, std::size_t i>
inline constexpr analog_variant analog_constants_of = forms.of(net.layers[i]).analog;

// The analog array's view of a tile problem: K columns, C x FY x FX rows.
constexpr layout::analog_weights analog_weight_shape(const tiling::tile_problem& p) {
    return {p.out.c, p.in.c, p.kernel.h, p.kernel.w};
}

}  // namespace detail

// `Forms`: the layers' DIANA forms (forms.hpp), an array of layer_form or no_forms.
template <class Policy, const auto& Forms = no_forms, class Soc = simulated_soc>
struct target {
    static constexpr const char* name = "diana";
    using policy = Policy;
    using soc = Soc;
    static constexpr forms_view forms = view_of(Forms);

    // The whole model, once (htvm::model asserts it): the first invalid `.target` override, the
    // table of forms, and L2 (arena + constants as deployed + I/O buffers).
    template <const auto& net, const auto& graph>
    static constexpr bool check() {
        static_assert(&graph == &graph_of<net>, "htvm::diana: the dispatch plan (plan_of) reads the network's own analysis");
        return diagnose_dispatch_errors<net, plan_of<net, Policy, Forms>>() && diagnose_form_errors<net, forms>() &&
               l2_fits_deployed<net, graph, plan_of<net, Policy, Forms>, forms>();
    }

    // Per layer, only this small function: it picks the code of the layer's geometry (shared by every
    // layer with the same tile plan) and hands it the layer's constants (detail::*_constants_of).
    template <const auto& net, const auto& graph, std::size_t i>
    static void execute(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        constexpr placement p = plan_of<net, Policy, Forms>.layer[i];
        if constexpr (p.target == unit::digital && tiling::tileable(net.layers[i])) {
            constexpr tiling::tile_plan tiles = plan_of<net, Policy, Forms>.tiles[i];
            // (A plan that is not ok never reaches here: the dispatch keeps such a layer off the
            // accelerator, or diagnoses the override. Should one, the tiler's diagnostic names the layer.)
            if constexpr (!tiles.ok())
                static_assert(tile_budgets_hold<net, i, unit::digital, tiles>(), "htvm::diana: see the tiling diagnostic above");
            digital_tiles<tiles, p.arranged_weights>(detail::digital_constants_of<net, forms, i>, a, out);
        } else if constexpr (p.target == unit::digital) {
            static_assert(is<add>(net.layers[i]), "htvm::diana: the digital accelerator runs conv2d, depthwise, dense and add");
            digital_add<graph.output[i].elements()>(detail::digital_add_constants_of<net, i>, a, b, out);
        } else if constexpr (p.target == unit::analog) {
            constexpr tiling::tile_plan tiles = plan_of<net, Policy, Forms>.tiles[i];
            if constexpr (!tiles.ok())
                static_assert(tile_budgets_hold<net, i, unit::analog, tiles>(), "htvm::diana: see the tiling diagnostic above");
            // The array's shape follows from the plan's geometry alone (what the shared code reads).
            constexpr layout::analog_weights from_plan = detail::analog_weight_shape(tiles.problem);
            constexpr layout::analog_weights of_layer = detail::analog_weight_shape(net, graph, i);
            static_assert(from_plan.k == of_layer.k && from_plan.c == of_layer.c && from_plan.fy == of_layer.fy &&
                          from_plan.fx == of_layer.fx);
            analog_tiles<tiles>(detail::analog_constants_of<net, forms, i>, a, out);
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
    // only. Clang (14 here; 18 to 20 in llvm-project issue #146272) emits the template parameter
    // object of a class type with padding, such as tile_plan, with an unpadded LLVM type but indexes its
    // members with the field numbers of the padded type: a member read that it does not fold to a
    // constant, such as tp.in_offset[t.in_buffer], reads a later field instead (in_buffer_bytes and
    // out_buffer_bytes for the L1 offsets), at every optimization level. The offsets are two scalars
    // each, so that no copy of the plan is needed in the firmware either. (The schedule walk reads the
    // plan through `schedule`, an ordinary constant copy, for the same reason.)
    template <tiling::tile_plan tp>
    struct plan_constants {
        static constexpr tiling::tile_plan schedule = tp;
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
    // One instance per geometry: the tile plan `tp` (operator, shapes, tiles, L1 placement) and
    // whether the weights come arranged; everything else of the layer comes in `layer`, at run time.
    template <tiling::tile_plan tp, bool arranged>
    struct digital_tiles_visitor {
        const digital_layer_constants& layer;
        const std::int8_t* input;  // NHWC, whole tensor (arena)
        std::int8_t* output;       // NHWC, whole tensor (arena)

        using tiles = plan_constants<tp>;  // (never tp at run time: see plan_constants)
        static constexpr layout::weight_kind kind = tp.problem.kind == tiling::tile_op::depthwise_conv2d
                                                        ? layout::weight_kind::depthwise
                                                    : tp.problem.kind == tiling::tile_op::dense ? layout::weight_kind::dense
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
            if constexpr (arranged) {
                // Build-time arranged weights: a tile of whole 16-channel blocks is one contiguous slice.
                constexpr layout::digital_weights block = tile_weights(pe_rows);
                const int first_block = t.k_begin / pe_rows;
                Soc::dma_to_digital_weights(tiles::weight_offset, layer.weights + first_block * layout::weight_bytes(block),
                                            layout::weight_bytes(w));
            } else {
                // The RISC-V arranges the tile's weights (zero padding filters included) while loading them.
                std::int8_t* memory = Soc::digital_weights() + tiles::weight_offset;
                for (int b = 0; b < layout::weight_bytes(w); ++b) memory[b] = 0;
                constexpr layout::digital_weights whole = tile_weights(tiles::problem.out.c);
                const std::int8_t* weights = layer.weights;
                layout::for_each_weight(w, [&](int k, int fy, int fx, int c) {
                    memory[layout::digital_weight(w, k, fy, fx, c)] =
                        weights[layout::source_weight(whole, t.k_begin + k, fy, fx, kind == layout::weight_kind::depthwise ? t.k_begin + k : c)];
                });
            }
            Soc::dma_to_digital_weights(tiles::weight_offset + layout::bias_offset(w), layer.bias + t.k_begin, 4 * t.k_count);
        }
        void compute(const tiling::tile_window& t) {
            const layout::digital_weights w = tile_weights(t.k_count);
            if constexpr (kind == layout::weight_kind::dense) {
                digital::dense_job job{};
                job.input = tiles::in_offset(t.in_buffer);
                job.output = tiles::out_offset(t.out_buffer);
                job.features = t.c_count;
                job.units = t.k_count;
                job.weights = tiles::weight_offset;
                job.bias = tiles::weight_offset + layout::bias_offset(w);
                job.rq = layer.rq;
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
                job.rq = layer.rq;
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

    // The code of every digital conv2d / depthwise / dense layer with this geometry. Not inlined, so
    // that layers of one geometry call one copy (the per-layer cost is the call).
    template <tiling::tile_plan tp, bool arranged>
    [[gnu::noinline]] static void digital_tiles(const digital_layer_constants& layer, const std::int8_t* a, std::int8_t* out) {
        static_assert(geometry_budgets_hold<unit::digital, tp>(), "htvm::diana: see the tiling diagnostic above");
        static_assert(tp.tiles_k == 1 || tp.tile_k % pe_rows == 0,
                      "htvm::diana: digital output-channel tiles are whole 16-channel PE blocks");
        using tiles = plan_constants<tp>;
        digital_tiles_visitor<tp, arranged> v{layer, a, out};
        tiling::walk_schedule(tiles::schedule, v);
    }

    // A digital add of `count` elements: not tiled, both inputs and the output fit L1 whole (the
    // dispatch checked l1_need). One instance per element count.
    template <int count>
    [[gnu::noinline]] static void digital_add(const shift_requant& rq, const std::int8_t* a, const std::int8_t* b,
                                              std::int8_t* out) {
        std::int8_t* l1 = Soc::l1();
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
        job.rq = rq;
        Soc::digital_add(job);
        from_vector(count, l1 + output_at, out);
    }

    // ---- analog: conv2d, tile by tile ------------------------------------------------------------
    // Inputs and outputs are plain HWC: every contiguous run of a window is one DMA. The whole layer
    // is programmed into the array once when its K fits the 512 columns (each tile then reads its
    // columns); a wider layer is programmed one output-channel tile at a time from a staging copy.
    // One instance per tile plan; the weights and constants of the layer come in `analog`.
    template <tiling::tile_plan tp>
    struct analog_tiles_visitor {
        const analog_variant& analog;
        const std::int8_t* input;
        std::int8_t* output;

        using tiles = plan_constants<tp>;  // (never tp at run time: see plan_constants)
        static constexpr layout::analog_weights whole = detail::analog_weight_shape(tp.problem);
        static constexpr bool whole_layer_in_array = whole.k <= analog_columns;
        static constexpr layout::analog_weights staged_shape{tp.tile_k, whole.c, whole.fy, whole.fx};
        // Only instantiated for layers wider than the array (shared by the layers of one geometry,
        // which run one after the other).
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
                const std::uint8_t* weights = analog.weights.data;
                for (int row = 0; row < layout::rows(w); ++row)
                    for (int b = 0; b < layout::row_bytes(w); ++b)
                        staging::packed[row * layout::row_bytes(w) + b] =
                            weights[row * layout::row_bytes(whole) + t.k_begin / 4 + b];
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

    // The code of every analog conv2d with this geometry (see digital_tiles).
    template <tiling::tile_plan tp>
    [[gnu::noinline]] static void analog_tiles(const analog_variant& analog, const std::int8_t* a, std::int8_t* out) {
        static_assert(geometry_budgets_hold<unit::analog, tp>(), "htvm::diana: see the tiling diagnostic above");
        using tiles = plan_constants<tp>;
        analog_tiles_visitor<tp> v{analog, a, out};
        tiling::walk_schedule(tiles::schedule, v);
    }

    // The budgets of one accelerator geometry, asserted where its code is compiled: every tile's
    // buffers within L1 and its weights within the accelerator's weight memory
    // (htvm::error::tile_over_budget, which names the bytes, not the layer).
    template <unit u, tiling::tile_plan tp>
    static constexpr bool geometry_budgets_hold() {
        return tiling::diagnose_tiling<-1, to_layer_name(""), to_layer_name(unit_name(u)), tp,
                                       u == unit::analog ? analog_tile_limits : digital_tile_limits>();
    }

    // The tiler's diagnostic for layer i's plan that is not ok, naming the layer (see execute).
    template <const auto& net, std::size_t i, unit u, tiling::tile_plan tp>
    static constexpr bool tile_budgets_hold() {
        return tiling::diagnose_tiling<static_cast<int>(i), to_layer_name(net.layers[i].name()), to_layer_name(unit_name(u)),
                                       tp, u == unit::analog ? analog_tile_limits : digital_tile_limits>();
    }
};

}  // namespace htvm::diana
