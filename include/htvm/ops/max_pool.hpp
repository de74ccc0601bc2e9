// Max pool over a window (TFLite's MAX_POOL_2D). Input and output share their quantization: only the
// fused clamp applies.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/pool.hpp"
#include "window.hpp"

namespace htvm {

struct max_pool {
    static constexpr const char* op_name = "max_pool";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    hw window{2, 2};
    hw stride{2, 2};
    htvm::padding padding = valid;
    std::int32_t act_min = -128, act_max = 127;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time

    constexpr operand_list operands() const { return {{input}, 1}; }
    constexpr inference infer(const operand_shapes& in) const {
        return infer_pool(in[0], window, stride, padding, act_min, act_max);
    }
    constexpr long long macs(const operand_shapes&, shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
        constexpr const max_pool& op = get<max_pool>(net.layers[i]);
        // Constants, not reads of the record: see layer_info.
        constexpr std::int32_t lo = op.act_min, hi = op.act_max;
        cpu::max_pool(cpu::fixed_window<cpu_window(graph, i, op.window, op.stride)>{}, lo, hi, in, out);
    }
};

}  // namespace htvm
