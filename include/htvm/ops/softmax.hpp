// TFLite's int8 SOFTMAX over the channel axis; output scale 1/256, zero point -128.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/softmax.hpp"
#include "operator.hpp"

namespace htvm {

struct softmax {
    static constexpr const char* op_name = "softmax";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    tflite_softmax_params params{};

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr inference infer(const operand_shapes& in) const { return inference::of(in[0]); }
    constexpr long long macs(const operand_shapes&, shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
        // An own constant copy: the network record is read only at compile time (see layer_info).
        static constexpr tflite_softmax_params p = get<softmax>(net.layers[i]).params;
        constexpr shape s = graph.input_shape(i);
        cpu::softmax(s.elements() / s.c, s.c, p, in, out);
    }
};

}  // namespace htvm
