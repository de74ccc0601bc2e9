// What each DIANA accelerator can run, as compile-time checks on one layer of an analyzed network.
// The rules are those of HTVM's DIANA backend (pattern table of its "soma_dory" BYOC target, see
// docs/diana.md): digital_rules/analog_rules list every rule the layer breaks, in a fixed order;
// digital_rule/analog_rule return the first of them (dispatch and compile errors name it), or
// rule::none.
//
// Two separate questions: can the accelerator compute this layer at all (digital_rule/analog_rule),
// and do its tensors and weights fit the accelerator's memories in one piece (digital_fit/analog_fit)?
// A layer that passes the first but not the second is tiled (the dispatch asks the tiler through
// policy.hpp's fit_on; tiling.hpp: digital_tiled_fit / analog_tiled_fit give the same rule alone);
// the memory rules' texts describe the tiled failure.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../graph.hpp"
#include "../layers.hpp"
#include "forms.hpp"
#include "layouts.hpp"
#include "memory_map.hpp"

namespace htvm::diana {

enum class rule : std::uint8_t {
    none,
    // what the digital accelerator runs
    digital_runs_conv2d_depthwise_dense_and_add_only,
    kernel_size_not_1_3_5_or_7,
    padding_not_symmetric,
    stride_not_1x1_or_2x2,
    needs_int32_bias,
    needs_diana_shift_clip_requantization,
    element_count_not_multiple_of_4,
    add_needs_diana_arithmetic,
    arranged_weights_have_the_wrong_size,
    // what the analog accelerator runs
    analog_runs_conv2d_only,
    analog_needs_groups_1,
    analog_needs_ternary_weights_and_batch_norm_k_l,
    analog_weights_have_the_wrong_count,
    // memory (untiled)
    does_not_fit_l1,
    does_not_fit_digital_weight_memory,
    does_not_fit_analog_array,
    no_tile_meets_multiple_of_4,  // tiles fit, but none has element counts that are multiples of 4
};

constexpr const char* rule_text(rule r) {
    switch (r) {
        case rule::none: return "";
        case rule::digital_runs_conv2d_depthwise_dense_and_add_only:
            return "the digital accelerator runs conv2d, depthwise_conv2d, dense and add only";
        case rule::kernel_size_not_1_3_5_or_7: return "kernel height and width must each be 1, 3, 5 or 7";
        case rule::padding_not_symmetric: return "padding must be symmetric (top = bottom, left = right)";
        case rule::stride_not_1x1_or_2x2: return "stride must be 1x1 or 2x2";
        case rule::needs_int32_bias: return "needs an int32 bias";
        case rule::needs_diana_shift_clip_requantization:
            return "needs DIANA requantization (right shift 0..31, clip, optional ReLU)";
        case rule::element_count_not_multiple_of_4: return "input and output element counts must be multiples of 4";
        case rule::add_needs_diana_arithmetic: return "add must use DIANA arithmetic (int32 sum, shift, clip)";
        case rule::arranged_weights_have_the_wrong_size: return "its form's digital_weights have the wrong size for the layer";
        case rule::analog_runs_conv2d_only: return "the analog accelerator runs conv2d only";
        case rule::analog_needs_groups_1: return "the analog accelerator runs groups = 1 only (no depthwise)";
        case rule::analog_needs_ternary_weights_and_batch_norm_k_l:
            return "needs an analog form (layer_form .analog): ternary weights and per-channel batch-norm k, l";
        case rule::analog_weights_have_the_wrong_count: return "analog ternary weights have the wrong count";
        case rule::does_not_fit_l1: return "input + output do not fit L1 (256,000 B), not even one tile";
        case rule::does_not_fit_digital_weight_memory:
            return "weights + bias of 16 output channels do not fit the digital weight memory (64,000 B)";
        case rule::does_not_fit_analog_array: return "C*FY*FX > 1152 rows of the analog array (rows cannot be tiled)";
        case rule::no_tile_meets_multiple_of_4: return "no tile has input and output element counts that are multiples of 4";
    }
    return "?";
}

constexpr bool is_memory_rule(rule r) {
    return r == rule::does_not_fit_l1 || r == rule::does_not_fit_digital_weight_memory || r == rule::does_not_fit_analog_array ||
           r == rule::no_tile_meets_multiple_of_4;
}

// Every rule a layer breaks on one accelerator, in the order they are checked. Dispatch and compile
// errors name the first; the compile report lists them all, so that a user changing the model sees
// at once everything that keeps the layer off the accelerator.
struct broken_rules {
    static constexpr int capacity = 8;
    rule item[capacity]{};
    int count = 0;

    constexpr void add(rule r) {
        if (r != rule::none && count < capacity) item[count++] = r;
    }
    constexpr rule first() const { return count > 0 ? item[0] : rule::none; }
};

namespace detail {

constexpr bool supported_kernel(int k) { return k == 1 || k == 3 || k == 5 || k == 7; }

// The kernel and stride of a convolution (conv2d or depthwise_conv2d).
constexpr void add_convolution_geometry_rules(hw kernel, hw stride, const resolved_padding& pad, broken_rules& broken) {
    if (!supported_kernel(kernel.h) || !supported_kernel(kernel.w)) broken.add(rule::kernel_size_not_1_3_5_or_7);
    if (pad.top != pad.bottom || pad.left != pad.right) broken.add(rule::padding_not_symmetric);
    if (!(stride == hw{1, 1}) && !(stride == hw{2, 2})) broken.add(rule::stride_not_1x1_or_2x2);
}

// A convolution's kernel; 1 x 1 for any other operator (so that the functions below are defined for
// every layer, not only for those the rules let through).
constexpr hw kernel_of(const layer& l) {
    if (is<conv2d>(l)) return get<conv2d>(l).kernel;
    if (is<depthwise_conv2d>(l)) return get<depthwise_conv2d>(l).kernel;
    return hw{1, 1};
}

template <std::size_t N>
constexpr layout::digital_weights digital_weight_shape(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    const layer& l = net.layers[i];
    const shape in = g.input_shape(i);
    const shape out = g.output[i];
    const hw kernel = kernel_of(l);
    if (is<depthwise_conv2d>(l)) return {layout::weight_kind::depthwise, out.c, in.c, kernel.h, kernel.w};
    if (is<dense>(l)) return {layout::weight_kind::dense, out.c, in.elements(), 1, 1};
    return {layout::weight_kind::conv, out.c, in.c, kernel.h, kernel.w};
}

template <std::size_t N>
constexpr layout::analog_weights analog_weight_shape(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    const hw kernel = kernel_of(net.layers[i]);
    return {g.output[i].c, g.input_shape(i).c, kernel.h, kernel.w};
}

}  // namespace detail

// True when the forms give the layer's weights already arranged for the digital accelerator.
constexpr bool has_arranged_digital_weights(const layer& l, forms_view forms) { return !forms.of(l).digital_weights.empty(); }

// Every rule keeping the digital accelerator from computing layer i (memory is checked separately,
// by digital_fit). An operator it does not run breaks that rule only.
template <std::size_t N>
constexpr broken_rules digital_rules(const network<N>& net, const graph_info<N>& g, std::size_t i, forms_view forms = {}) {
    broken_rules broken;
    const layer& l = net.layers[i];
    visit(l, [&](const auto& op) {
        using Op = std::remove_cvref_t<decltype(op)>;
        if constexpr (mac_operation<Op> || std::is_same_v<Op, add>) {
            if constexpr (requires { op.kernel; op.stride; })
                detail::add_convolution_geometry_rules(op.kernel, op.stride, g.pad[i], broken);
            const bool geometry_holds = broken.count == 0;
            if constexpr (mac_operation<Op>) {
                if (op.bias.empty()) broken.add(rule::needs_int32_bias);
                if (op.requant.kind != requant_kind::shift) broken.add(rule::needs_diana_shift_clip_requantization);
            } else {
                if (op.use_tflite) broken.add(rule::add_needs_diana_arithmetic);
            }
            if (g.input_shape(i).elements() % 4 != 0 || g.output[i].elements() % 4 != 0)
                broken.add(rule::element_count_not_multiple_of_4);
            // (The layout's size is only defined for a geometry the accelerator runs.)
            if constexpr (mac_operation<Op>)
                if (geometry_holds && has_arranged_digital_weights(l, forms) &&
                    forms.of(l).digital_weights.size != layout::weight_bytes(detail::digital_weight_shape(net, g, i)))
                    broken.add(rule::arranged_weights_have_the_wrong_size);
        } else {
            broken.add(rule::digital_runs_conv2d_depthwise_dense_and_add_only);
        }
    });
    return broken;
}

// Can the digital accelerator compute layer i? The first rule it breaks, or rule::none.
template <std::size_t N>
constexpr rule digital_rule(const network<N>& net, const graph_info<N>& g, std::size_t i, forms_view forms = {}) {
    return digital_rules(net, g, i, forms).first();
}

// Every rule keeping the analog accelerator from computing layer i (memory is checked separately, by
// analog_fit). A layer that is not a groups-1 convolution breaks that rule only.
template <std::size_t N>
constexpr broken_rules analog_rules(const network<N>& net, const graph_info<N>& g, std::size_t i, forms_view forms = {}) {
    broken_rules broken;
    const layer& l = net.layers[i];
    if (!is<conv2d>(l)) {
        broken.add(is<depthwise_conv2d>(l) ? rule::analog_needs_groups_1 : rule::analog_runs_conv2d_only);
        return broken;
    }
    const conv2d& op = get<conv2d>(l);
    detail::add_convolution_geometry_rules(op.kernel, op.stride, g.pad[i], broken);
    const analog_variant analog = forms.of(l).analog;
    if (!analog.present() || analog.scale == nullptr || analog.offset == nullptr) {
        broken.add(rule::analog_needs_ternary_weights_and_batch_norm_k_l);
    } else {
        const auto w = detail::analog_weight_shape(net, g, i);
        if (analog.weights.count != w.k * layout::rows(w) || analog.weights.bytes != layout::packed_bytes(w))
            broken.add(rule::analog_weights_have_the_wrong_count);
    }
    return broken;
}

// Can the analog accelerator compute layer i? The first rule it breaks, or rule::none.
template <std::size_t N>
constexpr rule analog_rule(const network<N>& net, const graph_info<N>& g, std::size_t i, forms_view forms = {}) {
    return analog_rules(net, g, i, forms).first();
}

// Bytes of L1 the untiled layer needs: its inputs and its output.
template <std::size_t N>
constexpr int l1_need(const graph_info<N>& g, std::size_t i) {
    int bytes = g.output[i].elements();
    for (int k = 0; k < g.input_count[i]; ++k) bytes += g.output[g.producer[i][k]].elements();
    return bytes;
}

template <std::size_t N>
constexpr int digital_weight_need(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    if (!visit(net.layers[i], [](const auto& op) { return mac_operation<std::remove_cvref_t<decltype(op)>>; })) return 0;
    return layout::weight_memory_bytes(detail::digital_weight_shape(net, g, i));
}

template <std::size_t N>
constexpr rule digital_fit(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    if (l1_need(g, i) > l1_bytes) return rule::does_not_fit_l1;
    if (digital_weight_need(net, g, i) > digital_weight_bytes) return rule::does_not_fit_digital_weight_memory;
    return rule::none;
}

template <std::size_t N>
constexpr rule analog_fit(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    if (l1_need(g, i) > l1_bytes) return rule::does_not_fit_l1;
    const auto w = detail::analog_weight_shape(net, g, i);
    if (layout::rows(w) > analog_rows || w.k > analog_columns) return rule::does_not_fit_analog_array;
    return rule::none;
}

}  // namespace htvm::diana
