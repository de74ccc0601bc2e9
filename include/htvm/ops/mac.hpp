// What the multiply-accumulate operators (conv2d, depthwise_conv2d, dense) share: the checks of their
// weights, bias and requantization, and the choice of output stage their CPU kernel is compiled for.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>

#include "../kernels/requantize.hpp"
#include "../quant.hpp"
#include "operator.hpp"

namespace htvm {

// An operator whose int32 accumulators (`taps` products per output value, plus the bias) are
// requantized to int8 by `requant`.
template <class Op>
concept mac_operation = operation<Op> && requires(const Op& op, const operand_shapes& in) {
    { op.weights } -> std::convertible_to<weights_i8>;
    { op.bias } -> std::convertible_to<bias_i32>;
    { op.requant } -> std::convertible_to<requant>;
    { op.taps(in) } -> std::same_as<int>;
    { op.channels() } -> std::same_as<int>;  // output channels, as the weights declare them
};

// The weights must be present and hold `expected` values, the bias (optional) one per channel.
constexpr inference check_weights(const weights_i8& weights, const bias_i32& bias, int expected, int channels) {
    if (weights.empty()) return inference::failed(graph_error_kind::invalid_parameters);
    if (weights.size != expected || (!bias.empty() && bias.size != channels)) {
        inference r = inference::failed(graph_error_kind::weights_size_mismatch);
        r.expected_count = weights.size != expected ? expected : channels;
        r.actual_count = weights.size != expected ? weights.size : bias.size;
        return r;
    }
    return {};
}

// Whether every output channel of a layer with TFLite requantization can take the narrow output stage
// (tflite_channel::apply_narrow): decided once, at compile time, from the layer's bias and
// multipliers with |acc| <= |bias| + 255 * 128 * taps (|w| <= 128). Such a layer's kernel instance then
// carries neither the wide path nor a per-channel run-time check. The weights are never read: reading
// weight arrays during constant evaluation costs seconds and hundreds of MB per million weights, and
// on the MLPerf Tiny models their values prove nothing more.
// `add`: where the narrow path adds the output zero point (folded needs more room).
constexpr bool narrow_everywhere(const requant& rq, const bias_i32& bias, int channels, int taps,
                                 cpu::zero_point_add add = cpu::zero_point_add::after_shift) {
    if (rq.kind != requant_kind::tflite) return false;
    const tflite_requant& t = rq.tflite;
    for (int c = 0; c < channels; ++c) {
        const std::int32_t m = t.per_channel() ? t.multipliers[c] : t.multiplier;
        const std::int32_t shift = t.per_channel() ? t.shifts[c] : t.shift;
        const std::int64_t b = bias.empty() ? 0 : bias.data[c];
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

namespace detail {

// narrow_everywhere for layer i of a network; false for operators without MACs.
// (The operator's type from its kind, not visit: a visit per layer costs compile time.)
template <const auto& net, const auto& graph, std::size_t i, cpu::zero_point_add add>
constexpr bool layer_narrow_everywhere() {
    using Op = typename operator_of<net.layers[i].kind>::type;
    if constexpr (mac_operation<Op>) {
        const Op& op = get<Op>(net.layers[i]);
        return narrow_everywhere(op.requant, op.bias, graph.output[i].c, op.taps(graph.operand_shapes_of(i)), add);
    } else {
        return false;
    }
}

template <bool>
struct constant_bool {};

template <const auto& net, std::size_t i>
constexpr requant_kind requant_kind_of() {
    using Op = typename operator_of<net.layers[i].kind>::type;
    if constexpr (mac_operation<Op>) return get<Op>(net.layers[i]).requant.kind;
    else return requant_kind::tflite;
}

// The output stage layer i's kernel could be compiled for on its own. A bias or multipliers that are
// not constants (filled in at run time) cannot be checked at compile time: such a layer keeps the
// run-time check per channel.
template <const auto& net, const auto& graph, std::size_t i>
constexpr cpu::output_arith own_output_arith() {
    constexpr requant_kind kind = requant_kind_of<net, i>();
    if constexpr (kind != requant_kind::tflite) {
        return cpu::output_arith_of(kind);
    } else if constexpr (requires {
                             typename constant_bool<layer_narrow_everywhere<net, graph, i, cpu::zero_point_add::after_shift>()>;
                         }) {
        if (layer_narrow_everywhere<net, graph, i, cpu::zero_point_add::folded>())
            return cpu::output_arith::tflite_narrow_folded;
        return layer_narrow_everywhere<net, graph, i, cpu::zero_point_add::after_shift>() ? cpu::output_arith::tflite_narrow
                                                                                           : cpu::output_arith::tflite;
    } else {
        return cpu::output_arith::tflite;
    }
}

// Whether some layer of `net` takes the narrow stage that adds the output zero point after the shift.
// (An array and a loop, not a fold expression: folds nest, and Clang's default nesting limit of 256
// would cap the network's length.)
template <const auto& net, const auto& graph>
inline constexpr bool some_layer_adds_zero_point_after_shift = []<std::size_t... j>(std::index_sequence<j...>) {
    constexpr cpu::output_arith arith[] = {own_output_arith<net, graph, j>()...};
    for (const cpu::output_arith a : arith)
        if (a == cpu::output_arith::tflite_narrow) return true;
    return false;
}(std::make_index_sequence<net.layers.size()>{});

}  // namespace detail

// The output stage MAC layer i's kernel is compiled for. Layers that could fold the zero point take the
// after-shift stage when another layer of the network needs it: every kernel then exists for one
// stage instead of two (MobileNet: 1.3 kB less code), for one add per output value more.
template <const auto& net, const auto& graph, std::size_t i>
constexpr cpu::output_arith mac_output_arith() {
    constexpr cpu::output_arith own = detail::own_output_arith<net, graph, i>();
    if constexpr (own == cpu::output_arith::tflite_narrow_folded &&
                  detail::some_layer_adds_zero_point_after_shift<net, graph>)
        return cpu::output_arith::tflite_narrow;
    else
        return own;
}

// What the MAC kernels of layer i read at run time: for a TFLite layer its parameters alone (32 bytes
// of .rodata instead of the 52 of the tagged requant). A copy, not a reference into the network
// record, which is only read at compile time.
template <class Op, const auto& net, std::size_t i>
inline constexpr auto kernel_requant = [] {
    constexpr const requant& rq = get<Op>(net.layers[i]).requant;
    if constexpr (rq.kind == requant_kind::tflite) return rq.tflite;
    else return rq;
}();

}  // namespace htvm
