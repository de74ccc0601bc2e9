// The network: an array of layers, each holding one operator, in execution order; and its
// compile-time analysis (who feeds whom, inferred shapes, resolved padding, liveness) with user-facing diagnostics.
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

struct graph_error {
    graph_error_kind kind = graph_error_kind::none;
    int layer = -1;
    const char* name = "";
    shape expected{}, actual{};
    int expected_count = 0, actual_count = 0;
    const char* missing = "";
    hw kernel{};
};

template <std::size_t N>
struct graph_info {
    int producer[N][max_operands]{};  // layer index feeding each operand (-1: none)
    int input_count[N]{};
    shape output[N]{};
    resolved_padding pad[N]{};
    int last_use[N]{};      // index of the last layer reading this output (itself if none)
    graph_error error{};

    constexpr shape input_shape(std::size_t layer, int which = 0) const { return output[producer[layer][which]]; }
    constexpr operand_shapes operand_shapes_of(std::size_t layer) const {
        operand_shapes in{};
        in.count = input_count[layer];
        for (int k = 0; k < in.count; ++k) in.in[k] = output[producer[layer][k]];
        return in;
    }
};

namespace detail {

constexpr bool same_text(const char* a, const char* b) {
    if (a == nullptr || b == nullptr) return a == b;
    while (*a != '\0' && *a == *b) { ++a; ++b; }
    return *a == *b;
}

}  // namespace detail

template <std::size_t N>
constexpr graph_info<N> analyze(const network<N>& net) {
    graph_info<N> g{};
    auto fail = [&](graph_error_kind kind, int index) {
        if (g.error.kind == graph_error_kind::none) {
            g.error.kind = kind;
            g.error.layer = index;
            g.error.name = net.layers[static_cast<std::size_t>(index)].name();
        }
    };
    for (std::size_t i = 0; i < N && g.error.kind == graph_error_kind::none; ++i) {
        const layer& l = net.layers[i];
        const int index = static_cast<int>(i);
        for (int& p : g.producer[i]) p = -1;
        g.last_use[i] = index;
        if (is<input>(l) != (i == 0)) { fail(graph_error_kind::input_layer_misplaced, index); break; }
        const operand_list operands = l.operands();
        g.input_count[i] = operands.count;
        for (int k = 0; k < operands.count; ++k) {
            const from& ref = operands.ref[k];
            int p = -1;
            if (ref.is_previous()) {
                p = index - 1;
            } else if (ref.name != nullptr) {
                // The nearest earlier layer of that name: skip connections are short, so this stays
                // near O(N) for long networks.
                for (std::size_t j = i; j-- > 0 && p < 0;)
                    if (detail::same_text(net.layers[j].name(), ref.name)) p = static_cast<int>(j);
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

        const inference r = visit(l, [&](const auto& op) { return op.infer(g.operand_shapes_of(i)); });
        if (!r.ok()) {
            fail(r.error, index);
            g.error.expected = r.expected;
            g.error.actual = r.actual;
            g.error.expected_count = r.expected_count;
            g.error.actual_count = r.actual_count;
            g.error.kernel = r.kernel;
            break;
        }
        const shape expect = l.expect();
        if (expect.elements() != 0 && !(expect == r.out)) {
            fail(graph_error_kind::output_shape_differs, index);
            g.error.actual = r.out;
            g.error.expected = expect;
            break;
        }
        g.output[i] = r.out;
        g.pad[i] = r.pad;
    }
    return g;
}

// The analysis of a network, computed once per program: the model, the platforms and the reports
// all read this one constant.
template <const auto& net>
inline constexpr auto graph_of = analyze(net);

// Instantiates the diagnostic that matches the first error found; nothing when the graph is sound.
template <const auto& net, const auto& info>
constexpr bool diagnose_graph_errors() {
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
