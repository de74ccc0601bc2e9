// MLPerf Tiny visual wake words, MobileNetV1 0.25 as HTVM deploys it on DIANA (diana/byoc/
// mlperf_tiny/relay_mobilenet.py in KULeuven-MICAS/htvm): 96 x 96 x 3 input, 13 depthwise-separable
// blocks from 8 to 256 channels, symmetric padding 1 also for the stride-2 layers (DIANA needs
// symmetric padding), average pooling, 4 classes (HTVM widened the original 2 for the accelerator).
// Shift 4 everywhere; HTVM's float softmax is left out.
#pragma once
#include "generate.hpp"

namespace diana_examples::mobilenet {

inline constexpr const char* name = "mobilenet";
inline constexpr htvm::padding p1 = htvm::pads(1, 1, 1, 1);
inline constexpr htvm::hw s1{1, 1}, s2{2, 2};

inline constexpr htvm::network net{
    htvm::input{.name = "input", .shape = {1, 96, 96, 3}},
    conv<8, 3, 3, 3, 201>("conv1", {}, s2, p1, true),
    depthwise<8, 3, 3, 202>("dw2", s1, p1, true),
    conv<16, 8, 1, 1, 203>("pw3", {}, s1, htvm::valid, true),
    depthwise<16, 3, 3, 204>("dw4", s2, p1, true),
    conv<32, 16, 1, 1, 205>("pw5", {}, s1, htvm::valid, true),
    depthwise<32, 3, 3, 206>("dw6", s1, p1, true),
    conv<32, 32, 1, 1, 207>("pw7", {}, s1, htvm::valid, true),
    depthwise<32, 3, 3, 208>("dw8", s2, p1, true),
    conv<64, 32, 1, 1, 209>("pw9", {}, s1, htvm::valid, true),
    depthwise<64, 3, 3, 210>("dw10", s1, p1, true),
    conv<64, 64, 1, 1, 211>("pw11", {}, s1, htvm::valid, true),
    depthwise<64, 3, 3, 212>("dw12", s2, p1, true),
    conv<128, 64, 1, 1, 213>("pw13", {}, s1, htvm::valid, true),
    depthwise<128, 3, 3, 214>("dw14", s1, p1, true),
    conv<128, 128, 1, 1, 215>("pw15", {}, s1, htvm::valid, true),
    depthwise<128, 3, 3, 216>("dw16", s1, p1, true),
    conv<128, 128, 1, 1, 217>("pw17", {}, s1, htvm::valid, true),
    depthwise<128, 3, 3, 218>("dw18", s1, p1, true),
    conv<128, 128, 1, 1, 219>("pw19", {}, s1, htvm::valid, true),
    depthwise<128, 3, 3, 220>("dw20", s1, p1, true),
    conv<128, 128, 1, 1, 221>("pw21", {}, s1, htvm::valid, true),
    depthwise<128, 3, 3, 222>("dw22", s1, p1, true),
    conv<128, 128, 1, 1, 223>("pw23", {}, s1, htvm::valid, true),
    depthwise<128, 3, 3, 224>("dw24", s2, p1, true),
    conv<256, 128, 1, 1, 225>("pw25", {}, s1, htvm::valid, true),
    depthwise<256, 3, 3, 226>("dw26", s1, p1, true),
    conv<256, 256, 1, 1, 227>("pw27", {}, s1, htvm::valid, true),
    htvm::avg_pool{.name = "pool", .window = {3, 3}, .stride = {3, 3}, .expect = {1, 1, 1, 256}},
    htvm::flatten{.name = "flatten"},
    dense<4, 256, 228>("fc", false),
};

// The DIANA forms of its layers (generate.hpp): the analog form of every conv2d, and the weights of
// every conv2d, depthwise and dense layer arranged for the digital accelerator.
inline constexpr htvm::diana::layer_form forms[] = {
    conv_form<8, 3, 3, 3, 201>("conv1", true),
    depthwise_form<8, 3, 3, 202>("dw2"),
    conv_form<16, 8, 1, 1, 203>("pw3", true),
    depthwise_form<16, 3, 3, 204>("dw4"),
    conv_form<32, 16, 1, 1, 205>("pw5", true),
    depthwise_form<32, 3, 3, 206>("dw6"),
    conv_form<32, 32, 1, 1, 207>("pw7", true),
    depthwise_form<32, 3, 3, 208>("dw8"),
    conv_form<64, 32, 1, 1, 209>("pw9", true),
    depthwise_form<64, 3, 3, 210>("dw10"),
    conv_form<64, 64, 1, 1, 211>("pw11", true),
    depthwise_form<64, 3, 3, 212>("dw12"),
    conv_form<128, 64, 1, 1, 213>("pw13", true),
    depthwise_form<128, 3, 3, 214>("dw14"),
    conv_form<128, 128, 1, 1, 215>("pw15", true),
    depthwise_form<128, 3, 3, 216>("dw16"),
    conv_form<128, 128, 1, 1, 217>("pw17", true),
    depthwise_form<128, 3, 3, 218>("dw18"),
    conv_form<128, 128, 1, 1, 219>("pw19", true),
    depthwise_form<128, 3, 3, 220>("dw20"),
    conv_form<128, 128, 1, 1, 221>("pw21", true),
    depthwise_form<128, 3, 3, 222>("dw22"),
    conv_form<128, 128, 1, 1, 223>("pw23", true),
    depthwise_form<128, 3, 3, 224>("dw24"),
    conv_form<256, 128, 1, 1, 225>("pw25", true),
    depthwise_form<256, 3, 3, 226>("dw26"),
    conv_form<256, 256, 1, 1, 227>("pw27", true),
    dense_form<4, 256, 228>("fc"),
};

}  // namespace diana_examples::mobilenet
