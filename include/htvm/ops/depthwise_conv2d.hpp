// Depthwise convolution with channel multiplier 1 (output channels = input channels), [H][W][C]
// weights (TFLite's DEPTHWISE_CONV_2D with depth_multiplier 1).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "../kernels/depthwise_conv2d.hpp"
#include "../tiling/tile_problem.hpp"
#include "mac.hpp"
#include "window.hpp"

namespace htvm {

struct depthwise_conv2d {
    static constexpr const char* op_name = "depthwise_conv2d";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = true;

    const char* name = "";
    from input{};
    hw kernel{3, 3};
    hw stride{1, 1};
    htvm::padding padding = valid;
    weights_i8 weights{};  // [H][W][C]
    bias_i32 bias{};
    htvm::requant requant{};
    const char* target = nullptr;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time

    constexpr operand_list operands() const { return {{input}, 1}; }
    // Channel multiplier 1: one kernel per channel in the weights.
    constexpr int channels() const { return kernel.h * kernel.w > 0 ? weights.size / (kernel.h * kernel.w) : 0; }
    constexpr int taps(const operand_shapes&) const { return kernel.h * kernel.w; }

    constexpr inference infer(const operand_shapes& operand) const {
        const shape in = operand[0];
        if (const inference r = check_weights(weights, bias, kernel.h * kernel.w * in.c, in.c); !r.ok()) return r;
        if (!requant.valid()) return inference::failed(graph_error_kind::invalid_parameters);
        return infer_window(in, kernel, stride, padding, in.c);
    }

    constexpr long long macs(const operand_shapes& in, shape out) const {
        return static_cast<long long>(out.elements()) * taps(in);
    }

    constexpr tiling::tile_problem as_tile_problem(const operand_shapes& in, shape out, resolved_padding pad) const {
        return tiling::depthwise_problem(shape{1, in[0].h, in[0].w, in[0].c}, kernel, stride, pad.top, pad.left,
                                         out.h, out.w);
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out);
};

namespace detail {

// Whether each depthwise layer runs on the kernel that 3x3 layers share rather than on an instance of
// its own geometry: when the network has another depthwise geometry at the same stride that the
// shared kernel runs, so that the shared kernel replaces two or more instances. (Layers of one
// geometry share their instance anyway: DS-CNN's four depthwise layers are one 0.9 kB instance,
// smaller and faster than the shared kernel.) Decided for the whole network in one pass: a pass per
// layer would cost O(N^2) evaluations.
template <const auto& net, const auto& graph>
inline constexpr auto depthwise_sharing = [] {
    constexpr std::size_t n = net.layers.size();
    auto shared_kernel_runs = [](const cpu::window_geometry& g) {
        return cpu::detail::depthwise3x3_runs(
            g.kernel.h, g.kernel.w, g.stride.h, g.stride.w, g.pad_left,
            cpu::right_padding(g.in.w, g.out.w, g.kernel.w, g.stride.w, g.pad_left));
    };
    // Per horizontal stride (the shared kernel runs two): the first geometry seen, and whether another differs.
    struct stride_entry {
        int stride = 0;
        cpu::window_geometry first{};
        bool several = false;
    };
    stride_entry strides[n]{};
    int stride_count = 0;
    bool runs[n]{};
    int stride_of[n]{};
    for (std::size_t i = 0; i < n; ++i) {
        if (!is<depthwise_conv2d>(net.layers[i])) continue;
        const depthwise_conv2d& op = get<depthwise_conv2d>(net.layers[i]);
        const cpu::window_geometry g = cpu_window(graph, i, op.kernel, op.stride);
        stride_of[i] = g.stride.w;
        if (!(runs[i] = shared_kernel_runs(g))) continue;
        int k = 0;
        while (k < stride_count && strides[k].stride != g.stride.w) ++k;
        if (k == stride_count) strides[stride_count++] = {g.stride.w, g, false};
        else if (strides[k].first != g) strides[k].several = true;
    }
    std::array<bool, n> shares{};
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; runs[i] && k < stride_count; ++k)
            if (strides[k].stride == stride_of[i]) shares[i] = strides[k].several;
    return shares;
}();

}  // namespace detail

template <const auto& net, const auto& graph, std::size_t i>
void depthwise_conv2d::run_on_cpu(const std::int8_t* in, const std::int8_t*, std::int8_t* out) {
    constexpr const depthwise_conv2d& op = get<depthwise_conv2d>(net.layers[i]);
    // Own constant copies: the network record is read only at compile time (see layer_info).
    constexpr const std::int8_t* weights = op.weights.data;
    constexpr const std::int32_t* bias = op.bias.data;
    constexpr const auto& rq = kernel_requant<depthwise_conv2d, net, i>;
    constexpr auto code = detail::depthwise_sharing<net, graph>[i] ? cpu::depthwise_code::shared : cpu::depthwise_code::own;
    cpu::depthwise_conv2d<mac_output_arith<net, graph, i>(), code>(
        cpu::fixed_window<cpu_window(graph, i, op.kernel, op.stride)>{}, in, weights, bias, rq, out);
}

}  // namespace htvm
