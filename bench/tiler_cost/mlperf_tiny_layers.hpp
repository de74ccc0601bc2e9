// The accelerator layers (conv2d, depthwise_conv2d, dense) of the four MLPerf Tiny v1.0 reference
// networks, as tiler problems: keyword spotting (DS-CNN), visual wake words (MobileNetV1 0.25,
// 96x96), image classification (ResNet-8, CIFAR-10) and anomaly detection (FC autoencoder).
// Geometry only (shapes, kernels, strides, resolved SAME padding): what the tiler sees.
#pragma once
#include <htvm/tiling/problem.hpp>

namespace htvm::bench {

struct mlperf_layer {
    const char* network;
    const char* name;
    tiling::tile_problem problem;
};

namespace mlperf_detail {
using tiling::conv_problem;
using tiling::dense_problem;
using tiling::depthwise_problem;
// 3x3 depthwise, SAME: stride 1 pads 1 on each side; stride 2 on an even size pads 0 before, 1 after.
constexpr tiling::tile_problem dw3(int size, int channels, int stride) {
    const int out = (size + stride - 1) / stride;
    const int pad = stride == 1 ? 1 : 0;
    return depthwise_problem({1, size, size, channels}, {3, 3}, {stride, stride}, pad, pad, out, out);
}
constexpr tiling::tile_problem pw(int size, int in_channels, int out_channels) {
    return conv_problem({1, size, size, in_channels}, out_channels, {1, 1}, {1, 1}, 0, 0, size, size);
}
}  // namespace mlperf_detail

inline constexpr mlperf_layer mlperf_tiny_layers[] = {
    // Keyword spotting, DS-CNN: 49x10x1 MFCC input.
    {"kws", "conv1", mlperf_detail::conv_problem({1, 49, 10, 1}, 64, {10, 4}, {2, 2}, 4, 1, 25, 5)},
    {"kws", "dw1", mlperf_detail::depthwise_problem({1, 25, 5, 64}, {3, 3}, {1, 1}, 1, 1, 25, 5)},
    {"kws", "pw1", mlperf_detail::conv_problem({1, 25, 5, 64}, 64, {1, 1}, {1, 1}, 0, 0, 25, 5)},
    {"kws", "dw2", mlperf_detail::depthwise_problem({1, 25, 5, 64}, {3, 3}, {1, 1}, 1, 1, 25, 5)},
    {"kws", "pw2", mlperf_detail::conv_problem({1, 25, 5, 64}, 64, {1, 1}, {1, 1}, 0, 0, 25, 5)},
    {"kws", "dw3", mlperf_detail::depthwise_problem({1, 25, 5, 64}, {3, 3}, {1, 1}, 1, 1, 25, 5)},
    {"kws", "pw3", mlperf_detail::conv_problem({1, 25, 5, 64}, 64, {1, 1}, {1, 1}, 0, 0, 25, 5)},
    {"kws", "dw4", mlperf_detail::depthwise_problem({1, 25, 5, 64}, {3, 3}, {1, 1}, 1, 1, 25, 5)},
    {"kws", "pw4", mlperf_detail::conv_problem({1, 25, 5, 64}, 64, {1, 1}, {1, 1}, 0, 0, 25, 5)},
    {"kws", "fc", mlperf_detail::dense_problem(64, 12)},

    // Visual wake words, MobileNetV1 alpha 0.25: 96x96x3 image.
    {"vww", "conv1", mlperf_detail::conv_problem({1, 96, 96, 3}, 8, {3, 3}, {2, 2}, 0, 0, 48, 48)},
    {"vww", "dw1", mlperf_detail::dw3(48, 8, 1)},
    {"vww", "pw1", mlperf_detail::pw(48, 8, 16)},
    {"vww", "dw2", mlperf_detail::dw3(48, 16, 2)},
    {"vww", "pw2", mlperf_detail::pw(24, 16, 32)},
    {"vww", "dw3", mlperf_detail::dw3(24, 32, 1)},
    {"vww", "pw3", mlperf_detail::pw(24, 32, 32)},
    {"vww", "dw4", mlperf_detail::dw3(24, 32, 2)},
    {"vww", "pw4", mlperf_detail::pw(12, 32, 64)},
    {"vww", "dw5", mlperf_detail::dw3(12, 64, 1)},
    {"vww", "pw5", mlperf_detail::pw(12, 64, 64)},
    {"vww", "dw6", mlperf_detail::dw3(12, 64, 2)},
    {"vww", "pw6", mlperf_detail::pw(6, 64, 128)},
    {"vww", "dw7", mlperf_detail::dw3(6, 128, 1)},
    {"vww", "pw7", mlperf_detail::pw(6, 128, 128)},
    {"vww", "dw8", mlperf_detail::dw3(6, 128, 1)},
    {"vww", "pw8", mlperf_detail::pw(6, 128, 128)},
    {"vww", "dw9", mlperf_detail::dw3(6, 128, 1)},
    {"vww", "pw9", mlperf_detail::pw(6, 128, 128)},
    {"vww", "dw10", mlperf_detail::dw3(6, 128, 1)},
    {"vww", "pw10", mlperf_detail::pw(6, 128, 128)},
    {"vww", "dw11", mlperf_detail::dw3(6, 128, 1)},
    {"vww", "pw11", mlperf_detail::pw(6, 128, 128)},
    {"vww", "dw12", mlperf_detail::dw3(6, 128, 2)},
    {"vww", "pw12", mlperf_detail::pw(3, 128, 256)},
    {"vww", "dw13", mlperf_detail::dw3(3, 256, 1)},
    {"vww", "pw13", mlperf_detail::pw(3, 256, 256)},
    {"vww", "fc", mlperf_detail::dense_problem(256, 2)},

    // Image classification, ResNet-8: 32x32x3 CIFAR-10 image.
    {"resnet", "conv1", mlperf_detail::conv_problem({1, 32, 32, 3}, 16, {3, 3}, {1, 1}, 1, 1, 32, 32)},
    {"resnet", "s1_conv1", mlperf_detail::conv_problem({1, 32, 32, 16}, 16, {3, 3}, {1, 1}, 1, 1, 32, 32)},
    {"resnet", "s1_conv2", mlperf_detail::conv_problem({1, 32, 32, 16}, 16, {3, 3}, {1, 1}, 1, 1, 32, 32)},
    {"resnet", "s2_conv1", mlperf_detail::conv_problem({1, 32, 32, 16}, 32, {3, 3}, {2, 2}, 0, 0, 16, 16)},
    {"resnet", "s2_conv2", mlperf_detail::conv_problem({1, 16, 16, 32}, 32, {3, 3}, {1, 1}, 1, 1, 16, 16)},
    {"resnet", "s2_shortcut", mlperf_detail::conv_problem({1, 32, 32, 16}, 32, {1, 1}, {2, 2}, 0, 0, 16, 16)},
    {"resnet", "s3_conv1", mlperf_detail::conv_problem({1, 16, 16, 32}, 64, {3, 3}, {2, 2}, 0, 0, 8, 8)},
    {"resnet", "s3_conv2", mlperf_detail::conv_problem({1, 8, 8, 64}, 64, {3, 3}, {1, 1}, 1, 1, 8, 8)},
    {"resnet", "s3_shortcut", mlperf_detail::conv_problem({1, 16, 16, 32}, 64, {1, 1}, {2, 2}, 0, 0, 8, 8)},
    {"resnet", "fc", mlperf_detail::dense_problem(64, 10)},

    // Anomaly detection, deep autoencoder: 640 features (5 frames x 128 mel bins).
    {"ad", "fc1", mlperf_detail::dense_problem(640, 128)},
    {"ad", "fc2", mlperf_detail::dense_problem(128, 128)},
    {"ad", "fc3", mlperf_detail::dense_problem(128, 128)},
    {"ad", "fc4", mlperf_detail::dense_problem(128, 128)},
    {"ad", "bottleneck", mlperf_detail::dense_problem(128, 8)},
    {"ad", "fc6", mlperf_detail::dense_problem(8, 128)},
    {"ad", "fc7", mlperf_detail::dense_problem(128, 128)},
    {"ad", "fc8", mlperf_detail::dense_problem(128, 128)},
    {"ad", "fc9", mlperf_detail::dense_problem(128, 128)},
    {"ad", "fc10", mlperf_detail::dense_problem(128, 640)},
};

inline constexpr int mlperf_tiny_layer_count = sizeof(mlperf_tiny_layers) / sizeof(mlperf_tiny_layers[0]);

}  // namespace htvm::bench
