// Reshape (and flatten): the same bytes under another shape. Zero-copy: the output is the input's memory.
#pragma once
#include <cstddef>
#include <cstdint>

#include "operator.hpp"

namespace htvm {

struct reshape {
    static constexpr const char* op_name = "reshape";
    static constexpr output_memory memory = output_memory::alias_of_input;
    static constexpr bool computes = false;

    const char* name = "";
    from input{};
    shape to{};  // all zeros: 1 x 1 x 1 x elements (flatten)

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr inference infer(const operand_shapes& in) const {
        const shape out = to.elements() == 0 ? shape{1, 1, 1, in[0].elements()} : to;
        if (out.elements() != in[0].elements()) {
            inference r = inference::failed(graph_error_kind::shape_mismatch);
            r.expected = out;
            r.actual = in[0];
            return r;
        }
        return inference::of(out);
    }
    constexpr long long macs(const operand_shapes&, shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t*, const std::int8_t*, std::int8_t*) {}
};

// 1 x 1 x 1 x elements.
struct flatten {
    using lowers_to = reshape;
    const char* name = "";
    from input{};
    constexpr operator reshape() const { return {.name = name, .input = input, .to = shape{0, 0, 0, 0}}; }
};

}  // namespace htvm
