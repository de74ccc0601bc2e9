// ResNet-8 (MLPerf Tiny image classification topology, CIFAR-10 32x32x3 -> 10 classes) with DIANA
// requantization (bias add, right shift 4, clip, ReLU where the original has it) and deterministic
// random weights. Written by hand as a constexpr graph.
#pragma once
#include <htvm/htvm.hpp>

#include "../common/random_weights.hpp"

namespace resnet8 {

using examples::make_random;

// Weights OHWI; small ranges keep activations away from permanent saturation.
inline constexpr auto conv1_w = make_random<std::int8_t, 16 * 3 * 3 * 3>(1, 6);
inline constexpr auto b1c1_w = make_random<std::int8_t, 16 * 3 * 3 * 16>(2, 3);
inline constexpr auto b1c2_w = make_random<std::int8_t, 16 * 3 * 3 * 16>(3, 3);
inline constexpr auto b2c1_w = make_random<std::int8_t, 32 * 3 * 3 * 16>(4, 3);
inline constexpr auto b2c2_w = make_random<std::int8_t, 32 * 3 * 3 * 32>(5, 2);
inline constexpr auto b2sc_w = make_random<std::int8_t, 32 * 1 * 1 * 16>(6, 8);
inline constexpr auto b3c1_w = make_random<std::int8_t, 64 * 3 * 3 * 32>(7, 2);
inline constexpr auto b3c2_w = make_random<std::int8_t, 64 * 3 * 3 * 64>(8, 2);
inline constexpr auto b3sc_w = make_random<std::int8_t, 64 * 1 * 1 * 32>(9, 6);
inline constexpr auto fc_w = make_random<std::int8_t, 10 * 64>(10, 12);
inline constexpr auto conv1_b = make_random<std::int32_t, 16>(11, 64);
inline constexpr auto b1c1_b = make_random<std::int32_t, 16>(12, 64);
inline constexpr auto b1c2_b = make_random<std::int32_t, 16>(13, 64);
inline constexpr auto b2c1_b = make_random<std::int32_t, 32>(14, 64);
inline constexpr auto b2c2_b = make_random<std::int32_t, 32>(15, 64);
inline constexpr auto b2sc_b = make_random<std::int32_t, 32>(16, 64);
inline constexpr auto b3c1_b = make_random<std::int32_t, 64>(17, 64);
inline constexpr auto b3c2_b = make_random<std::int32_t, 64>(18, 64);
inline constexpr auto b3sc_b = make_random<std::int32_t, 64>(19, 64);
inline constexpr auto fc_b = make_random<std::int32_t, 10>(20, 64);

inline constexpr htvm::requant shift4_relu = htvm::shift_requant{.shift = 4, .relu = true};
inline constexpr htvm::requant shift4 = htvm::shift_requant{.shift = 4};

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 32, 32, 3}},
    htvm::conv2d{.name = "conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same,
                 .weights = conv1_w.values, .bias = conv1_b.values, .requant = shift4_relu},
    // Stack 1: two 3x3 convs, identity shortcut.
    htvm::conv2d{.name = "b1_conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same,
                 .weights = b1c1_w.values, .bias = b1c1_b.values, .requant = shift4_relu},
    htvm::conv2d{.name = "b1_conv2", .filters = 16, .kernel = {3, 3}, .padding = htvm::same,
                 .weights = b1c2_w.values, .bias = b1c2_b.values, .requant = shift4},
    htvm::add{.name = "b1_add", .lhs = "conv1", .rhs = "b1_conv2", .requant = {.shift = 1, .relu = true}},
    // Stack 2: stride 2, 1x1 strided shortcut.
    htvm::conv2d{.name = "b2_conv1", .filters = 32, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = b2c1_w.values, .bias = b2c1_b.values, .requant = shift4_relu},
    htvm::conv2d{.name = "b2_conv2", .filters = 32, .kernel = {3, 3}, .padding = htvm::same,
                 .weights = b2c2_w.values, .bias = b2c2_b.values, .requant = shift4},
    htvm::conv2d{.name = "b2_shortcut", .input = "b1_add", .filters = 32, .kernel = {1, 1}, .stride = {2, 2},
                 .weights = b2sc_w.values, .bias = b2sc_b.values, .requant = shift4},
    htvm::add{.name = "b2_add", .lhs = "b2_shortcut", .rhs = "b2_conv2", .requant = {.shift = 1, .relu = true}},
    // Stack 3.
    htvm::conv2d{.name = "b3_conv1", .filters = 64, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = b3c1_w.values, .bias = b3c1_b.values, .requant = shift4_relu},
    htvm::conv2d{.name = "b3_conv2", .filters = 64, .kernel = {3, 3}, .padding = htvm::same,
                 .weights = b3c2_w.values, .bias = b3c2_b.values, .requant = shift4},
    htvm::conv2d{.name = "b3_shortcut", .input = "b2_add", .filters = 64, .kernel = {1, 1}, .stride = {2, 2},
                 .weights = b3sc_w.values, .bias = b3sc_b.values, .requant = shift4},
    htvm::add{.name = "b3_add", .lhs = "b3_shortcut", .rhs = "b3_conv2", .requant = {.shift = 1, .relu = true}},
    htvm::global_avg_pool{.name = "pool", .expect = {1, 1, 1, 64}},
    htvm::flatten{.name = "flatten"},
    htvm::dense{.name = "fc", .units = 10, .weights = fc_w.values, .bias = fc_b.values, .requant = shift4,
                .expect = {1, 1, 1, 10}},
};

using model = htvm::model<net>;

// The example's input image: bytes of the same LCG, seed 1.
inline constexpr auto sample_input = make_random<std::int8_t, 32 * 32 * 3>(1234, 127);

}  // namespace resnet8
