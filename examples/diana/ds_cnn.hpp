// MLPerf Tiny keyword spotting, DS-CNN as HTVM deploys it on DIANA (diana/byoc/mlperf_tiny/
// relay_ds_cnn.py in KULeuven-MICAS/htvm): 49 x 10 MFCC input, a 7 x 5 first kernel (the original
// 10 x 4 is not an accelerator kernel size), four depthwise-separable blocks of 64 channels, global
// average pooling, 12 classes. Every conv/dense requantizes DIANA-style with shift 4.
// HTVM's float softmax after the classifier is left out: it is a CPU epilogue on 12 values.
#pragma once
#include "generate.hpp"

namespace diana_examples::ds_cnn {

inline constexpr const char* name = "ds_cnn";
inline constexpr htvm::padding pad1 = htvm::pads(1, 1, 1, 1);

inline constexpr htvm::network net{
    htvm::input{.name = "input", .shape = {1, 49, 10, 1}},
    conv<64, 1, 7, 5, 101>("conv1", {}, {2, 2}, htvm::pads(3, 3, 2, 2), true),
    depthwise<64, 3, 3, 102>("dw1", {1, 1}, pad1, true),
    conv<64, 64, 1, 1, 103>("pw1", {}, {1, 1}, htvm::valid, true),
    depthwise<64, 3, 3, 104>("dw2", {1, 1}, pad1, true),
    conv<64, 64, 1, 1, 105>("pw2", {}, {1, 1}, htvm::valid, true),
    depthwise<64, 3, 3, 106>("dw3", {1, 1}, pad1, true),
    conv<64, 64, 1, 1, 107>("pw3", {}, {1, 1}, htvm::valid, true),
    depthwise<64, 3, 3, 108>("dw4", {1, 1}, pad1, true),
    conv<64, 64, 1, 1, 109>("pw4", {}, {1, 1}, htvm::valid, true),
    htvm::avg_pool{.name = "pool", .window = {25, 5}, .stride = {25, 5}, .expect = {1, 1, 1, 64}},
    htvm::flatten{.name = "flatten"},
    dense<12, 64, 110>("fc", false),
};

// The DIANA forms of its layers (generate.hpp): the analog form of every conv2d, and the weights of
// every conv2d, depthwise and dense layer arranged for the digital accelerator.
inline constexpr htvm::diana::layer_form forms[] = {
    conv_form<64, 1, 7, 5, 101>("conv1", true),
    depthwise_form<64, 3, 3, 102>("dw1"),
    conv_form<64, 64, 1, 1, 103>("pw1", true),
    depthwise_form<64, 3, 3, 104>("dw2"),
    conv_form<64, 64, 1, 1, 105>("pw2", true),
    depthwise_form<64, 3, 3, 106>("dw3"),
    conv_form<64, 64, 1, 1, 107>("pw3", true),
    depthwise_form<64, 3, 3, 108>("dw4"),
    conv_form<64, 64, 1, 1, 109>("pw4", true),
    dense_form<12, 64, 110>("fc"),
};

}  // namespace diana_examples::ds_cnn
