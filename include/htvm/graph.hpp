// The network: an array of uniform layers in execution order, and its compile-time analysis
// (who feeds whom, inferred shapes, resolved padding, liveness) with user-facing diagnostics.
#pragma once
#include <array>
#include <cstddef>

#include "diagnostics.hpp"
#include "layers.hpp"

namespace htvm {

template <std::size_t N>
struct network {
    std::array<layer, N> layers;

    template <class... Builders>
    constexpr network(const Builders&... builders) : layers{layer(builders)...} {}

    static constexpr std::size_t size() { return N; }
};
template <class... Builders>
network(const Builders&...) -> network<sizeof...(Builders)>;

enum class graph_error_kind : unsigned char {
    none,
    input_layer_misplaced,
    unknown_input,
    input_not_earlier,
    shape_mismatch,
    output_shape_differs,
    weights_size_mismatch,
    kernel_larger_than_input,
    invalid_parameters,
};

struct graph_error {
    graph_error_kind kind = graph_error_kind::none;
    int layer = -1;
    const char* name = "";
    shape expected{}, actual{};
    int expected_count = 0, actual_count = 0;
    const char* missing = "";
    hw kernel{};
};

// Padding in elements on each side, after SAME has been resolved against the input size.
struct resolved_padding {
    int top = 0, bottom = 0, left = 0, right = 0;
};

template <std::size_t N>
struct graph_info {
    int producer[N][2]{};   // layer index feeding input 0 / 1 (-1: none)
    int input_count[N]{};
    shape output[N]{};
    resolved_padding pad[N]{};
    int last_use[N]{};      // index of the last layer reading this output (itself if none)
    graph_error error{};

    constexpr shape input_shape(std::size_t layer, int which = 0) const { return output[producer[layer][which]]; }
};

namespace detail {

constexpr bool same_text(const char* a, const char* b) {
    if (a == nullptr || b == nullptr) return a == b;
    while (*a != '\0' && *a == *b) { ++a; ++b; }
    return *a == *b;
}

// TFLite's output size and padding rules for one spatial axis.
struct axis_plan {
    int out = 0, before = 0, after = 0;
};
constexpr axis_plan plan_axis(int in, int kernel, int stride, padding_mode mode, int before, int after) {
    axis_plan p{};
    if (mode == padding_mode::same) {
        p.out = (in + stride - 1) / stride;
        int total = (p.out - 1) * stride + kernel - in;
        if (total < 0) total = 0;
        p.before = total / 2;
        p.after = total - p.before;
    } else {
        if (mode == padding_mode::explicit_pads) { p.before = before; p.after = after; }
        const int span = in + p.before + p.after - kernel;
        p.out = span < 0 ? 0 : span / stride + 1;
    }
    return p;
}

}  // namespace detail

template <std::size_t N>
constexpr graph_info<N> analyze(const network<N>& net) {
    graph_info<N> g{};
    auto fail = [&](graph_error_kind kind, int index) {
        if (g.error.kind == graph_error_kind::none) {
            g.error.kind = kind;
            g.error.layer = index;
            g.error.name = net.layers[static_cast<std::size_t>(index)].name;
        }
    };
    for (std::size_t i = 0; i < N && g.error.kind == graph_error_kind::none; ++i) {
        const layer& l = net.layers[i];
        const int index = static_cast<int>(i);
        g.producer[i][0] = g.producer[i][1] = -1;
        g.last_use[i] = index;
        if ((l.kind == op::input) != (i == 0)) { fail(graph_error_kind::input_layer_misplaced, index); break; }
        if (l.kind == op::input) {
            g.output[i] = l.declared;
            continue;
        }
        g.input_count[i] = l.kind == op::add ? 2 : 1;
        for (int k = 0; k < g.input_count[i]; ++k) {
            const from& ref = l.inputs[k];
            int p = -1;
            if (ref.is_previous()) {
                p = index - 1;
            } else if (ref.name != nullptr) {
                // The nearest earlier layer of that name: skip connections are short, so this stays
                // near O(N) for long networks.
                for (std::size_t j = i; j-- > 0 && p < 0;)
                    if (detail::same_text(net.layers[j].name, ref.name)) p = static_cast<int>(j);
                if (p < 0) {
                    fail(graph_error_kind::unknown_input, index);
                    g.error.missing = ref.name;
                }
            } else {
                p = ref.index;
                if (p >= index) {
                    fail(graph_error_kind::input_not_earlier, index);
                    g.error.expected_count = p;
                }
            }
            if (p < 0) break;
            g.producer[i][k] = p;
            g.last_use[p] = index;
        }
        if (g.error.kind != graph_error_kind::none) break;

        const shape in = g.output[g.producer[i][0]];
        shape out = in;
        auto spatial = [&](int out_channels) {
            if (l.kernel.h < 1 || l.kernel.w < 1 || l.stride.h < 1 || l.stride.w < 1) {
                fail(graph_error_kind::invalid_parameters, index);
                return;
            }
            const auto y = detail::plan_axis(in.h, l.kernel.h, l.stride.h, l.pad.mode, l.pad.top, l.pad.bottom);
            const auto x = detail::plan_axis(in.w, l.kernel.w, l.stride.w, l.pad.mode, l.pad.left, l.pad.right);
            if (y.out < 1 || x.out < 1) {
                fail(graph_error_kind::kernel_larger_than_input, index);
                g.error.actual = in;
                g.error.kernel = l.kernel;
                return;
            }
            g.pad[i] = {y.before, y.after, x.before, x.after};
            out = shape{in.n, y.out, x.out, out_channels};
        };
        auto check_weights = [&](int expected_weights, int channels) {
            if (l.weights.empty()) { fail(graph_error_kind::invalid_parameters, index); return; }
            if (l.weights.size != expected_weights) {
                fail(graph_error_kind::weights_size_mismatch, index);
                g.error.expected_count = expected_weights;
                g.error.actual_count = l.weights.size;
            } else if (!l.bias.empty() && l.bias.size != channels) {
                fail(graph_error_kind::weights_size_mismatch, index);
                g.error.expected_count = channels;
                g.error.actual_count = l.bias.size;
            }
        };
        auto check_requant = [&] {
            const bool bad_diana = l.rq.kind == requant_kind::diana &&
                                   (l.rq.diana.shift < 0 || l.rq.diana.shift > 31 || l.rq.diana.low() > l.rq.diana.clip_max);
            const bool bad_tflite = l.rq.kind == requant_kind::tflite && l.rq.tflite.act_min > l.rq.tflite.act_max;
            if (bad_diana || bad_tflite) fail(graph_error_kind::invalid_parameters, index);
        };
        // A pool window lying wholly in padding has no input to average: TFLite never builds one.
        auto check_pool_padding = [&] {
            const padding& p = l.pad;
            if (p.mode == padding_mode::explicit_pads &&
                (p.top >= l.kernel.h || p.bottom >= l.kernel.h || p.left >= l.kernel.w || p.right >= l.kernel.w))
                fail(graph_error_kind::invalid_parameters, index);
        };

        switch (l.kind) {
            case op::conv2d: {
                if (l.filters < 1 || l.kernel.h < 1 || l.kernel.w < 1) { fail(graph_error_kind::invalid_parameters, index); break; }
                // The weights tell how many input channels the layer was built for.
                const int per_filter = l.kernel.h * l.kernel.w * in.c;
                if (!l.weights.empty() && l.weights.size % (l.filters * l.kernel.h * l.kernel.w) == 0 &&
                    l.weights.size != l.filters * per_filter) {
                    fail(graph_error_kind::shape_mismatch, index);
                    g.error.expected = shape{in.n, in.h, in.w, l.weights.size / (l.filters * l.kernel.h * l.kernel.w)};
                    g.error.actual = in;
                    break;
                }
                check_weights(l.filters * per_filter, l.filters);
                check_requant();
                spatial(l.filters);
                break;
            }
            case op::depthwise_conv2d:
                check_weights(l.kernel.h * l.kernel.w * in.c, in.c);
                check_requant();
                spatial(in.c);
                break;
            case op::dense: {
                if (l.filters < 1) { fail(graph_error_kind::invalid_parameters, index); break; }
                const int features = in.elements();
                if (!l.weights.empty() && l.weights.size % l.filters == 0 && l.weights.size != l.filters * features) {
                    fail(graph_error_kind::shape_mismatch, index);
                    g.error.expected = shape{1, 1, 1, l.weights.size / l.filters};
                    g.error.actual = in;
                    break;
                }
                check_weights(l.filters * features, l.filters);
                check_requant();
                out = shape{1, 1, 1, l.filters};
                break;
            }
            case op::add: {
                const shape rhs = g.output[g.producer[i][1]];
                if (!(rhs == in)) {
                    fail(graph_error_kind::shape_mismatch, index);
                    g.error.expected = in;
                    g.error.actual = rhs;
                }
                check_requant();
                break;
            }
            case op::avg_pool:
            case op::max_pool:
                check_requant();
                check_pool_padding();
                spatial(in.c);
                break;
            case op::global_avg_pool:
                check_requant();
                out = shape{in.n, 1, 1, in.c};
                break;
            case op::reshape:
                out = l.declared.elements() == 0 ? shape{1, 1, 1, in.elements()} : l.declared;
                if (out.elements() != in.elements()) {
                    fail(graph_error_kind::shape_mismatch, index);
                    g.error.expected = out;
                    g.error.actual = in;
                }
                break;
            case op::pad:
                out = shape{in.n, in.h + l.pad.top + l.pad.bottom, in.w + l.pad.left + l.pad.right, in.c};
                g.pad[i] = {l.pad.top, l.pad.bottom, l.pad.left, l.pad.right};
                break;
            case op::clip:
                check_requant();
                break;
            case op::softmax:
            case op::input:
                break;
        }
        if (g.error.kind != graph_error_kind::none) break;
        if (l.expect.elements() != 0 && !(l.expect == out)) {
            fail(graph_error_kind::output_shape_differs, index);
            g.error.actual = out;
            g.error.expected = l.expect;
            break;
        }
        g.output[i] = out;
    }
    return g;
}

// Instantiates the report that matches the first error found; nothing when the graph is sound.
template <const auto& net, const auto& info>
constexpr bool report_graph_errors() {
    constexpr graph_error e = info.error;
    constexpr layer_name name = to_layer_name(e.name);
    if constexpr (e.kind == graph_error_kind::input_layer_misplaced)
        return sizeof(error::input_layer_misplaced<e.layer, name>) == 0;
    else if constexpr (e.kind == graph_error_kind::unknown_input)
        return sizeof(error::unknown_input<e.layer, name, to_layer_name(e.missing)>) == 0;
    else if constexpr (e.kind == graph_error_kind::input_not_earlier)
        return sizeof(error::input_not_earlier<e.layer, name, e.expected_count>) == 0;
    else if constexpr (e.kind == graph_error_kind::shape_mismatch)
        return sizeof(error::shape_mismatch<e.layer, name, e.expected, e.actual>) == 0;
    else if constexpr (e.kind == graph_error_kind::output_shape_differs)
        return sizeof(error::output_shape_differs<e.layer, name, e.actual, e.expected>) == 0;
    else if constexpr (e.kind == graph_error_kind::weights_size_mismatch)
        return sizeof(error::weights_size_mismatch<e.layer, name, e.expected_count, e.actual_count>) == 0;
    else if constexpr (e.kind == graph_error_kind::kernel_larger_than_input)
        return sizeof(error::kernel_larger_than_input<e.layer, name, e.actual, e.kernel.h, e.kernel.w>) == 0;
    else if constexpr (e.kind == graph_error_kind::invalid_parameters)
        return sizeof(error::invalid_parameters<e.layer, name>) == 0;
    else
        return true;
}

}  // namespace htvm
