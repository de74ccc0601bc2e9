// The CPU implementation of every layer kind: picks the kernel at compile time from the layer
// record and hands it constant geometry. Platforms fall back to this for what their accelerators
// cannot run.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "graph.hpp"
#include "kernels/conv2d.hpp"
#include "kernels/dense.hpp"
#include "kernels/depthwise_conv2d.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/pool.hpp"
#include "kernels/softmax.hpp"

namespace htvm {

constexpr cpu::window_geometry window_at(const auto& net, const auto& graph, std::size_t i) {
    return {graph.input_shape(i), graph.output[i], net.layers[i].kernel, net.layers[i].stride, graph.pad[i].top,
            graph.pad[i].left};
}

template <const auto& net, const auto& graph, std::size_t i>
constexpr cpu::window_geometry window_of() {
    return window_at(net, graph, i);
}

// Whether each depthwise layer runs on the kernel that 3x3 layers share rather than on an instance of
// its own geometry: when the network has another depthwise geometry at the same stride that the
// shared kernel runs, so that the shared kernel replaces two or more instances. (Layers of one
// geometry share their instance anyway: DS-CNN's four depthwise layers are one 0.9 kB instance,
// smaller and faster than the shared kernel.) Decided for the whole network in one pass: a pass per
// layer would cost O(N^2) evaluations.
template <const auto& net, const auto& graph>
inline constexpr auto depthwise_sharing = [] {
    constexpr std::size_t n = net.layers.size();
    auto shared_kernel_runs = [](const cpu::window_geometry& g) {
        return cpu::detail::depthwise3x3_runs(
            g.kernel.h, g.kernel.w, g.stride.h, g.stride.w, g.pad_left,
            cpu::right_padding(g.in.w, g.out.w, g.kernel.w, g.stride.w, g.pad_left));
    };
    // Per horizontal stride (the shared kernel runs two): the first geometry seen, and whether another differs.
    struct stride_entry {
        int stride = 0;
        cpu::window_geometry first{};
        bool several = false;
    };
    stride_entry strides[n]{};
    int stride_count = 0;
    bool runs[n]{};
    for (std::size_t i = 0; i < n; ++i) {
        if (net.layers[i].kind != op::depthwise_conv2d) continue;
        const cpu::window_geometry g = window_at(net, graph, i);
        if (!(runs[i] = shared_kernel_runs(g))) continue;
        int k = 0;
        while (k < stride_count && strides[k].stride != g.stride.w) ++k;
        if (k == stride_count) strides[stride_count++] = {g.stride.w, g, false};
        else if (strides[k].first != g) strides[k].several = true;
    }
    std::array<bool, n> shares{};
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; runs[i] && k < stride_count; ++k)
            if (strides[k].stride == net.layers[i].stride.w) shares[i] = strides[k].several;
    return shares;
}();

template <const auto& net, const auto& graph, std::size_t i>
constexpr bool depthwise_shares_code() {
    return depthwise_sharing<net, graph>[i];
}

// The kernels are templates on their geometry: a layer gets its own instance in which every size and
// stride is a compile-time constant (the tests run the same source with run-time geometry).
template <const auto& net, const auto& graph, std::size_t i>
using fixed_window_of = cpu::fixed_window<window_of<net, graph, i>()>;

// Whether every output channel of a conv2d / depthwise / dense layer with TFLite requantization can
// take the narrow output stage (tflite_channel::apply_narrow): decided once, at compile time, from the
// layer's bias and multipliers with |acc| <= |bias| + 255 * 128 * taps (|w| <= 128). Such a layer's
// kernel instance then carries neither the wide path nor a per-channel run-time check. The weights
// are never read: reading weight arrays during constant evaluation costs seconds and hundreds of MB
// per million weights, and on the MLPerf Tiny models their values prove nothing more.
// `add`: where the narrow path adds the output zero point (folded needs more room).
constexpr bool narrow_everywhere(const layer& l, int channels, int taps,
                                 cpu::zero_point_add add = cpu::zero_point_add::after_shift) {
    if (l.rq.kind != requant_kind::tflite) return false;
    const tflite_requant& t = l.rq.tflite;
    for (int c = 0; c < channels; ++c) {
        const std::int32_t m = t.per_channel() ? t.multipliers[c] : t.multiplier;
        const std::int32_t shift = t.per_channel() ? t.shifts[c] : t.shift;
        const std::int64_t b = l.bias.empty() ? 0 : l.bias.data[c];
        const std::uint64_t abs_bias = static_cast<std::uint64_t>(b < 0 ? -b : b);
        const std::uint64_t acc_bound = abs_bias + 255u * 128u * static_cast<std::uint64_t>(taps);
        const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
        const auto multiplier = static_cast<std::uint64_t>(m);
        const bool exact =
            add == cpu::zero_point_add::folded
                ? cpu::basic_tflite_channel<cpu::zero_point_add::folded>::narrow_is_exact(
                      left, right, multiplier, t.output_zero_point, acc_bound)
                : cpu::tflite_channel::narrow_is_exact(left, right, multiplier, t.output_zero_point, acc_bound);
        if (m < 0 || !exact) return false;
    }
    return true;
}

// narrow_everywhere for layer i of a network (taps: weights per output channel).
template <const auto& net, const auto& graph, std::size_t i,
          cpu::zero_point_add add = cpu::zero_point_add::after_shift>
constexpr bool layer_narrow_everywhere() {
    constexpr const layer& l = net.layers[i];
    constexpr shape in = graph.input_shape(i);
    constexpr shape out = graph.output[i];
    constexpr int window = l.kernel.h * l.kernel.w;
    if constexpr (l.kind == op::conv2d) return narrow_everywhere(l, out.c, window * in.c, add);
    else if constexpr (l.kind == op::depthwise_conv2d) return narrow_everywhere(l, out.c, window, add);
    else if constexpr (l.kind == op::dense) return narrow_everywhere(l, out.c, in.elements(), add);
    else return false;
}

template <bool>
struct constant_bool {};

// The output stage layer i's kernel could be compiled for on its own. A bias or multipliers that are
// not constants (filled in at run time) cannot be checked at compile time: such a layer keeps the
// run-time check per channel.
template <const auto& net, const auto& graph, std::size_t i>
constexpr cpu::output_arith layer_output_arith() {
    constexpr const layer& l = net.layers[i];
    if constexpr (l.rq.kind != requant_kind::tflite) {
        return cpu::output_arith_of(l.rq.kind);
    } else if constexpr (requires { typename constant_bool<layer_narrow_everywhere<net, graph, i>()>; }) {
        if (layer_narrow_everywhere<net, graph, i, cpu::zero_point_add::folded>())
            return cpu::output_arith::tflite_narrow_folded;
        return layer_narrow_everywhere<net, graph, i>() ? cpu::output_arith::tflite_narrow : cpu::output_arith::tflite;
    } else {
        return cpu::output_arith::tflite;
    }
}

// Whether some layer of `net` takes the narrow stage that adds the output zero point after the shift.
// (An array and a loop, not a fold expression: folds nest, and Clang's default nesting limit of 256
// would cap the network's length.)
template <const auto& net, const auto& graph>
inline constexpr bool some_layer_adds_zero_point_after_shift = []<std::size_t... j>(std::index_sequence<j...>) {
    constexpr cpu::output_arith arith[] = {layer_output_arith<net, graph, j>()...};
    for (const cpu::output_arith a : arith)
        if (a == cpu::output_arith::tflite_narrow) return true;
    return false;
}(std::make_index_sequence<net.layers.size()>{});

// The output stage layer i's kernel is compiled for. Layers that could fold the zero point take the
// after-shift stage when another layer of the network needs it: every kernel then exists for one
// stage instead of two (MobileNet: 1.3 kB less code), for one add per output value more.
template <const auto& net, const auto& graph, std::size_t i>
constexpr cpu::output_arith output_arith_for() {
    constexpr cpu::output_arith own = layer_output_arith<net, graph, i>();
    if constexpr (own == cpu::output_arith::tflite_narrow_folded && some_layer_adds_zero_point_after_shift<net, graph>)
        return cpu::output_arith::tflite_narrow;
    else
        return own;
}

// What the MAC kernels of layer i read at run time: for a TFLite layer its parameters alone (32 bytes
// of .rodata instead of the 52 of the tagged requant). A copy, not a reference into the network
// record, which is only read at compile time.
template <const auto& net, std::size_t i>
inline constexpr auto kernel_requant = [] {
    if constexpr (net.layers[i].rq.kind == requant_kind::tflite) return net.layers[i].rq.tflite;
    else return net.layers[i].rq;
}();

struct cpu_target {
    static constexpr const char* name = "cpu";

    // Runs layer i of `net`; `a`/`b` are its inputs, `out` its output (may equal an input for add/clip).
    template <const auto& net, const auto& graph, std::size_t i>
    static void execute(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        constexpr const layer& l = net.layers[i];
        constexpr shape in = graph.input_shape(i);
        constexpr shape result = graph.output[i];
        constexpr cpu::output_arith arith = output_arith_for<net, graph, i>();
        // Kernels take these (and kernel_requant) by reference: own copies keep the network record
        // itself out of the binary (it is only read at compile time), so only a few bytes per layer
        // reach .rodata.
        // Everything else read from `l` must be a constant too: one run-time read of the record
        // would put all of it, and every array it points to, into the firmware.
        static constexpr requant rq = l.rq;
        static constexpr tflite_softmax_params softmax_params = l.softmax;
        constexpr const std::int8_t* weights = l.weights.data;
        constexpr const std::int32_t* bias = l.bias.data;
        constexpr const auto& mac_rq = kernel_requant<net, i>;
        if constexpr (l.kind == op::conv2d) {
            cpu::conv2d<arith>(fixed_window_of<net, graph, i>{}, a, weights, bias, mac_rq, out);
        } else if constexpr (l.kind == op::depthwise_conv2d) {
            constexpr auto code =
                depthwise_shares_code<net, graph, i>() ? cpu::depthwise_code::shared : cpu::depthwise_code::own;
            cpu::depthwise_conv2d<arith, code>(fixed_window_of<net, graph, i>{}, a, weights, bias, mac_rq, out);
        } else if constexpr (l.kind == op::dense) {
            // (The sizes as constants pick the block heights the layer needs, see dense_heights_for;
            // they stay run-time values inside, so dense layers share their code.)
            cpu::dense<arith>(cpu::fixed_int<in.elements()>{}, cpu::fixed_int<result.c>{}, a, weights, bias, mac_rq,
                              out);
        } else if constexpr (l.kind == op::add) {
            // TFLite's parameters as a template argument: the input rescaling becomes compile-time tables.
            if constexpr (l.add_is_tflite)
                cpu::add_tflite<l.add_tflite>(cpu::fixed_int<result.elements()>{}, a, b, out);
            else
                cpu::add_diana(cpu::fixed_int<result.elements()>{}, rq.diana, a, b, out);
        } else if constexpr (l.kind == op::avg_pool) {
            cpu::avg_pool(fixed_window_of<net, graph, i>{}, rq.tflite.act_min, rq.tflite.act_max, a, out);
        } else if constexpr (l.kind == op::max_pool) {
            cpu::max_pool(fixed_window_of<net, graph, i>{}, rq.tflite.act_min, rq.tflite.act_max, a, out);
        } else if constexpr (l.kind == op::global_avg_pool) {
            constexpr cpu::window_geometry g{in, result, hw{in.h, in.w}, hw{1, 1}, 0, 0};
            cpu::avg_pool(cpu::fixed_window<g>{}, rq.tflite.act_min, rq.tflite.act_max, a, out);
        } else if constexpr (l.kind == op::softmax) {
            cpu::softmax(in.elements() / in.c, in.c, softmax_params, a, out);
        } else if constexpr (l.kind == op::clip) {
            cpu::clip(in.elements(), rq.tflite.act_min, rq.tflite.act_max, a, out);
        } else if constexpr (l.kind == op::pad) {
            constexpr auto pad_value = l.pad_value;
            cpu::pad(in, graph.pad[i].top, graph.pad[i].left, result, pad_value, a, out);
        } else {
            // input and reshape move no data: the plan makes a reshape alias its input.
            (void)a, (void)b, (void)out, (void)in, (void)result;
        }
    }
};

}  // namespace htvm
