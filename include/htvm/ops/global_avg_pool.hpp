// Average over the whole H x W plane (TFLite's MEAN over H and W with unchanged quantization):
// output 1 x 1 x C, then the fused clamp.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/pool.hpp"
#include "window.hpp"

namespace htvm {

struct global_avg_pool {
    static constexpr const char* op_name = "global_avg_pool";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    std::int32_t act_min = -128, act_max = 127;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr inference infer(const operand_shapes& in) const {
        if (act_min > act_max) return inference::failed(graph_error_kind::invalid_parameters);
        return inference::of(shape{in[0].n, 1, 1, in[0].c});
    }
    constexpr long long macs(const operand_shapes&, shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
        constexpr const global_avg_pool& op = get<global_avg_pool>(net.layers[i]);
        constexpr shape plane = graph.input_shape(i);
        constexpr cpu::window_geometry g{plane, graph.output[i], hw{plane.h, plane.w}, hw{1, 1}, 0, 0};
        // Constants, not reads of the record: see layer_info.
        constexpr std::int32_t lo = op.act_min, hi = op.act_max;
        cpu::avg_pool(cpu::fixed_window<g>{}, lo, hi, in, out);
    }
};

}  // namespace htvm
