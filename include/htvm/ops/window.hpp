// Sliding-window geometry shared by the convolutions and the pools: TFLite's output size and padding
// rules, and the constant geometry their CPU kernels are compiled for.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/geometry.hpp"
#include "operator.hpp"

namespace htvm {

namespace detail {

// TFLite's output size and padding rules for one spatial axis.
struct axis_plan {
    int out = 0, before = 0, after = 0;
};
constexpr axis_plan plan_axis(int in, int kernel, int stride, padding_mode mode, int before, int after) {
    axis_plan p{};
    if (mode == padding_mode::same) {
        p.out = (in + stride - 1) / stride;
        int total = (p.out - 1) * stride + kernel - in;
        if (total < 0) total = 0;
        p.before = total / 2;
        p.after = total - p.before;
    } else {
        if (mode == padding_mode::explicit_pads) { p.before = before; p.after = after; }
        const int span = in + p.before + p.after - kernel;
        p.out = span < 0 ? 0 : span / stride + 1;
    }
    return p;
}

}  // namespace detail

// The output of a `kernel` window moved by `stride` over `in` with `pad`, with `channels` outputs per
// position; fails when the window or stride is below 1 or the window does not fit the padded input.
constexpr inference infer_window(shape in, hw kernel, hw stride, const padding& pad, int channels) {
    if (kernel.h < 1 || kernel.w < 1 || stride.h < 1 || stride.w < 1)
        return inference::failed(graph_error_kind::invalid_parameters);
    const auto y = detail::plan_axis(in.h, kernel.h, stride.h, pad.mode, pad.top, pad.bottom);
    const auto x = detail::plan_axis(in.w, kernel.w, stride.w, pad.mode, pad.left, pad.right);
    if (y.out < 1 || x.out < 1) {
        inference r = inference::failed(graph_error_kind::kernel_larger_than_input);
        r.actual = in;
        r.kernel = kernel;
        return r;
    }
    inference r = inference::of(shape{in.n, y.out, x.out, channels});
    r.pad = {y.before, y.after, x.before, x.after};
    return r;
}

// The shape and checks of a pool: a clamp range that is not empty, and no window lying wholly in
// explicit padding (it would have no input to average; TFLite never builds one).
constexpr inference infer_pool(shape in, hw window, hw stride, const padding& pad, std::int32_t act_min,
                               std::int32_t act_max) {
    if (act_min > act_max) return inference::failed(graph_error_kind::invalid_parameters);
    if (pad.mode == padding_mode::explicit_pads &&
        (pad.top >= window.h || pad.bottom >= window.h || pad.left >= window.w || pad.right >= window.w))
        return inference::failed(graph_error_kind::invalid_parameters);
    return infer_window(in, window, stride, pad, in.c);
}

// The geometry layer i's CPU kernel is compiled for.
constexpr cpu::window_geometry cpu_window(const auto& graph, std::size_t i, hw kernel, hw stride) {
    return {graph.input_shape(i), graph.output[i], kernel, stride, graph.pad[i].top, graph.pad[i].left};
}

}  // namespace htvm
