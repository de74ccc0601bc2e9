// 2-D convolution, NHWC input, OHWI weights, int32 bias, requantized to int8 (TFLite's CONV_2D).
//     htvm::conv2d{.name = "conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same,
//                  .weights = conv1_weights, .bias = conv1_bias, .requant = htvm::tflite_requant{...}}
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/conv2d.hpp"
#include "../tiling/tile_problem.hpp"
#include "mac.hpp"
#include "window.hpp"

namespace htvm {

struct conv2d {
    static constexpr const char* op_name = "conv2d";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    int filters = 0;
    hw kernel{1, 1};
    hw stride{1, 1};
    htvm::padding padding = valid;
    weights_i8 weights{};  // OHWI
    bias_i32 bias{};
    htvm::requant requant{};
    const char* target = nullptr;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr int channels() const { return filters; }
    constexpr int taps(const operand_shapes& in) const { return kernel.h * kernel.w * in[0].c; }

    constexpr inference infer(const operand_shapes& operand) const {
        const shape in = operand[0];
        if (filters < 1 || kernel.h < 1 || kernel.w < 1) return inference::failed(graph_error_kind::invalid_parameters);
        // The weights tell how many input channels the layer was built for.
        const int per_window = filters * kernel.h * kernel.w;
        if (!weights.empty() && weights.size % per_window == 0 && weights.size != per_window * in.c) {
            inference r = inference::failed(graph_error_kind::shape_mismatch);
            r.expected = shape{in.n, in.h, in.w, weights.size / per_window};
            r.actual = in;
            return r;
        }
        if (const inference r = check_weights(weights, bias, per_window * in.c, filters); !r.ok()) return r;
        if (!requant.valid()) return inference::failed(graph_error_kind::invalid_parameters);
        return infer_window(in, kernel, stride, padding, filters);
    }

    constexpr long long macs(const operand_shapes& in, shape out) const {
        return static_cast<long long>(out.elements()) * taps(in);
    }

    constexpr tiling::tile_problem as_tile_problem(const operand_shapes& in, shape out, resolved_padding pad) const {
        return tiling::conv_problem(shape{1, in[0].h, in[0].w, in[0].c}, out.c, kernel, stride, pad.top, pad.left,
                                    out.h, out.w);
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
        constexpr const conv2d& op = get<conv2d>(net.layers[i]);
        // Own constant copies: the network record is read only at compile time (see layer_info).
        constexpr const std::int8_t* weights = op.weights.data;
        constexpr const std::int32_t* bias = op.bias.data;
        constexpr const auto& rq = kernel_requant<conv2d, net, i>;
        cpu::conv2d<mac_output_arith<net, graph, i>()>(
            cpu::fixed_window<cpu_window(graph, i, op.kernel, op.stride)>{}, in, weights, bias, rq, out);
    }
};

}  // namespace htvm
