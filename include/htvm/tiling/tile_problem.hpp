// What the tiler plans: one accelerator layer reduced to its geometry. Convolutions, depthwise
// convolutions and fully connected layers are all "output channels x output rows x output columns
// computed from a window of the input"; a fully connected layer is a 1x1 convolution over a 1x1
// image whose channels are the flattened features.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../shape.hpp"

namespace htvm::tiling {

enum class tile_op : std::uint8_t { conv2d, depthwise_conv2d, dense };

struct tile_problem {
    tile_op kind = tile_op::conv2d;
    shape in{};    // NHWC, batch 1 (dense: 1 x 1 x 1 x features)
    shape out{};   // NHWC, batch 1 (dense: 1 x 1 x 1 x units)
    hw kernel{1, 1};
    hw stride{1, 1};
    int pad_top = 0, pad_left = 0;  // bottom/right padding follows from the output size

    // Input channels one output channel reads: all of them, except for a depthwise layer.
    constexpr int channels_per_output() const { return kind == tile_op::depthwise_conv2d ? 1 : in.c; }
    // Rows of an array that unrolls the reduction (channels x kernel window) of one output.
    constexpr int reduction_rows() const { return channels_per_output() * kernel.h * kernel.w; }
    // Weight elements (int8) of `k` output channels.
    constexpr long long weight_elements(int k) const { return static_cast<long long>(k) * reduction_rows(); }

    constexpr bool valid() const {
        if (in.h < 1 || in.w < 1 || in.c < 1 || out.h < 1 || out.w < 1 || out.c < 1) return false;
        if (kernel.h < 1 || kernel.w < 1 || stride.h < 1 || stride.w < 1 || pad_top < 0 || pad_left < 0) return false;
        if (kind == tile_op::depthwise_conv2d && in.c != out.c) return false;
        if (kind == tile_op::dense && (in.h != 1 || in.w != 1 || out.h != 1 || out.w != 1)) return false;
        // The last window must start inside the padded input, as the graph's shape inference ensures.
        return (out.h - 1) * stride.h - pad_top < in.h && (out.w - 1) * stride.w - pad_left < in.w;
    }
    friend constexpr bool operator==(const tile_problem&, const tile_problem&) = default;
};

constexpr tile_problem conv_problem(shape in, int filters, hw kernel, hw stride, int pad_top, int pad_left,
                                    int out_h, int out_w) {
    return {tile_op::conv2d, in, shape{1, out_h, out_w, filters}, kernel, stride, pad_top, pad_left};
}
constexpr tile_problem depthwise_problem(shape in, hw kernel, hw stride, int pad_top, int pad_left, int out_h,
                                         int out_w) {
    return {tile_op::depthwise_conv2d, in, shape{1, out_h, out_w, in.c}, kernel, stride, pad_top, pad_left};
}
constexpr tile_problem dense_problem(int features, int units) {
    return {tile_op::dense, shape{1, 1, 1, features}, shape{1, 1, 1, units}, hw{1, 1}, hw{1, 1}, 0, 0};
}

}  // namespace htvm::tiling
