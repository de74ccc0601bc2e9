// MLPerf Tiny image classification, ResNet-8 as HTVM deploys it on DIANA (diana/byoc/mlperf_tiny/
// relay_resnet.py in KULeuven-MICAS/htvm): 32 x 32 x 3 input, three residual stacks of 16, 32 and 64
// channels (1x1 stride-2 shortcuts), average pooling, 12 classes (HTVM widened the original 10).
// Shift 4 for every conv/dense; the residual adds use DIANA's add (int32 sum, shift 0, ReLU clip to
// [0, 127]), the closest to HTVM's add followed by clip(0, 127). HTVM's float softmax is left out.
#pragma once
#include "generate.hpp"

namespace diana_examples::resnet8 {

inline constexpr const char* name = "resnet8";
inline constexpr htvm::padding p1 = htvm::pads(1, 1, 1, 1);
inline constexpr htvm::hw s1{1, 1}, s2{2, 2};
inline constexpr htvm::shift_requant residual{.shift = 0, .relu = true};

inline constexpr htvm::network net{
    htvm::input{.name = "input", .shape = {1, 32, 32, 3}},
    conv<16, 3, 3, 3, 301>("conv1", {}, s1, p1, true),
    conv<16, 16, 3, 3, 302>("conv2", {}, s1, p1, true),
    conv<16, 16, 3, 3, 303>("conv3", {}, s1, p1, false),
    htvm::add{.name = "add1", .lhs = "conv1", .rhs = "conv3", .requant = residual},
    conv<32, 16, 3, 3, 304>("conv4", "add1", s2, p1, true),
    conv<32, 32, 3, 3, 305>("conv5", {}, s1, p1, false),
    conv<32, 16, 1, 1, 306>("conv6", "add1", s2, htvm::valid, false),
    htvm::add{.name = "add2", .lhs = "conv6", .rhs = "conv5", .requant = residual},
    conv<64, 32, 3, 3, 307>("conv7", "add2", s2, p1, true),
    conv<64, 64, 3, 3, 308>("conv8", {}, s1, p1, false),
    conv<64, 32, 1, 1, 309>("conv9", "add2", s2, htvm::valid, false),
    htvm::add{.name = "add3", .lhs = "conv9", .rhs = "conv8", .requant = residual},
    htvm::avg_pool{.name = "pool", .window = {8, 8}, .stride = {8, 8}, .expect = {1, 1, 1, 64}},
    htvm::flatten{.name = "flatten"},
    dense<12, 64, 310>("fc", false),
};

// The DIANA forms of its layers (generate.hpp): the analog form of every conv2d, and the weights of
// every conv2d, depthwise and dense layer arranged for the digital accelerator.
inline constexpr htvm::diana::layer_form forms[] = {
    conv_form<16, 3, 3, 3, 301>("conv1", true),
    conv_form<16, 16, 3, 3, 302>("conv2", true),
    conv_form<16, 16, 3, 3, 303>("conv3", false),
    conv_form<32, 16, 3, 3, 304>("conv4", true),
    conv_form<32, 32, 3, 3, 305>("conv5", false),
    conv_form<32, 16, 1, 1, 306>("conv6", false),
    conv_form<64, 32, 3, 3, 307>("conv7", true),
    conv_form<64, 64, 3, 3, 308>("conv8", false),
    conv_form<64, 32, 1, 1, 309>("conv9", false),
    dense_form<12, 64, 310>("fc"),
};

}  // namespace diana_examples::resnet8
