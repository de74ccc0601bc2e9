// Constant padding of H and W (TFLite's PAD on NHWC, batch and channels unpadded).
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/elementwise.hpp"
#include "operator.hpp"

namespace htvm {

struct pad {
    static constexpr const char* op_name = "pad";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    int top = 0, bottom = 0, left = 0, right = 0;
    std::int8_t value = 0;  // usually the input zero point

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr inference infer(const operand_shapes& operand) const {
        const shape in = operand[0];
        if (top < 0 || bottom < 0 || left < 0 || right < 0) return inference::failed(graph_error_kind::invalid_parameters);
        inference r = inference::of(shape{in.n, in.h + top + bottom, in.w + left + right, in.c});
        r.pad = {top, bottom, left, right};
        return r;
    }
    constexpr long long macs(const operand_shapes&, shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
        constexpr const pad& op = get<pad>(net.layers[i]);
        // Constants, not reads of the record or the graph: see layer_info.
        constexpr shape in_shape = graph.input_shape(i), out_shape = graph.output[i];
        constexpr int top = op.top, left = op.left;
        constexpr std::int8_t value = op.value;
        cpu::pad(in_shape, top, left, out_shape, value, in, out);
    }
};

}  // namespace htvm
