// Fully connected over the flattened input: [units][inputs] weights, int32 bias, requantized to int8
// (TFLite's FULLY_CONNECTED).
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/dense.hpp"
#include "../tiling/tile_problem.hpp"
#include "mac.hpp"

namespace htvm {

struct dense {
    static constexpr const char* op_name = "dense";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    int units = 0;
    weights_i8 weights{};  // [units][inputs]
    bias_i32 bias{};
    htvm::requant requant{};
    const char* target = nullptr;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr int channels() const { return units; }
    constexpr int taps(const operand_shapes& in) const { return in[0].elements(); }

    constexpr inference infer(const operand_shapes& operand) const {
        const shape in = operand[0];
        if (units < 1) return inference::failed(graph_error_kind::invalid_parameters);
        const int features = in.elements();
        if (!weights.empty() && weights.size % units == 0 && weights.size != units * features) {
            inference r = inference::failed(graph_error_kind::shape_mismatch);
            r.expected = shape{1, 1, 1, weights.size / units};
            r.actual = in;
            return r;
        }
        if (const inference r = check_weights(weights, bias, units * features, units); !r.ok()) return r;
        if (!requant.valid()) return inference::failed(graph_error_kind::invalid_parameters);
        return inference::of(shape{1, 1, 1, units});
    }

    constexpr long long macs(const operand_shapes& in, shape out) const {
        return static_cast<long long>(out.c) * taps(in);
    }

    constexpr tiling::tile_problem as_tile_problem(const operand_shapes& in, shape out, resolved_padding) const {
        return tiling::dense_problem(in[0].elements(), out.c);
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
        constexpr const dense& op = get<dense>(net.layers[i]);
        // Own constant copies: the network record is read only at compile time (see layer_info).
        constexpr const std::int8_t* weights = op.weights.data;
        constexpr const std::int32_t* bias = op.bias.data;
        constexpr const auto& rq = kernel_requant<dense, net, i>;
        // (The sizes as constants pick the block heights the layer needs, see dense_heights_for;
        // they stay run-time values inside, so dense layers share their code.)
        cpu::dense<mac_output_arith<net, graph, i>()>(cpu::fixed_int<graph.input_shape(i).elements()>{},
                                                      cpu::fixed_int<graph.output[i].c>{}, in, weights, bias, rq, out);
    }
};

}  // namespace htvm
