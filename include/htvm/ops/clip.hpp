// Clamp (ReLU, ReLU6 or any range) of an int8 tensor, in its own units. In place when it can be.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/elementwise.hpp"
#include "operator.hpp"

namespace htvm {

struct clip {
    static constexpr const char* op_name = "clip";
    static constexpr output_memory memory = output_memory::may_overwrite_input;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    std::int32_t min = -128, max = 127;

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr inference infer(const operand_shapes& in) const {
        if (min > max) return inference::failed(graph_error_kind::invalid_parameters);
        return inference::of(in[0]);
    }
    constexpr long long macs(const operand_shapes&, shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
        constexpr const clip& op = get<clip>(net.layers[i]);
        // Constants, not reads of the record: see layer_info.
        constexpr std::int32_t lo = op.min, hi = op.max;
        cpu::clip(graph.input_shape(i).elements(), lo, hi, in, out);
    }
};

// ReLU of a tensor with zero point `zero_point`: max(x, zero_point).
struct relu {
    using lowers_to = clip;
    const char* name = "";
    from input{};
    std::int32_t zero_point = 0;
    constexpr operator clip() const { return {.name = name, .input = input, .min = zero_point}; }
};

}  // namespace htvm
