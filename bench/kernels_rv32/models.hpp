// The layer geometry of the four MLPerf Tiny models (kws DS-CNN, ic ResNet-8, vww MobileNetV1 0.25,
// ad FC autoencoder) as htvm networks with TFLite arithmetic (per-channel conv/depthwise requant,
// per-tensor dense, nonzero input zero points) and pseudo-random parameters. Only the geometry and
// the kind of arithmetic matter for instruction counts; the real weights come from the .tflite
// importer. Softmax is left out (another kernel, not benchmarked here).
//
// Parameters live in mutable static arrays filled at start-up (fill_parameters()): the network
// records their addresses only, and this keeps megabytes of constants out of constant evaluation.
#pragma once
#include <cstdint>

#include <htvm/htvm.hpp>

namespace bench {

inline std::uint32_t lcg(std::uint32_t& x) { return x = x * 1664525u + 1013904223u; }

// Requantization roughly matched to the accumulator size so that outputs spread over int8.
inline int shift_for(int taps) {
    int shift = 0;
    long long spread = 5300;  // std of a product of two uniform int8s
    for (int s = 1; s * s < taps; ++s) spread = 5300LL * (s + 1);
    while (spread > 64) spread /= 2, --shift;
    return shift;
}

template <int W, int C>
struct conv_data {
    std::int8_t w[W];
    std::int32_t b[C], m[C], s[C];

    void fill(std::uint32_t seed, int taps) {
        for (auto& v : w) v = static_cast<std::int8_t>(lcg(seed) >> 24);
        for (auto& v : b) v = static_cast<std::int32_t>(lcg(seed) >> 20) - 2048;
        for (auto& v : m) v = static_cast<std::int32_t>((1u << 30) + (lcg(seed) >> 2));
        for (auto& v : s) v = shift_for(taps);
    }
};

template <int W, int U>
struct dense_data {
    std::int8_t w[W];
    std::int32_t b[U];

    void fill(std::uint32_t seed) {
        for (auto& v : w) v = static_cast<std::int8_t>(lcg(seed) >> 24);
        for (auto& v : b) v = static_cast<std::int32_t>(lcg(seed) >> 20) - 2048;
    }
};

template <int W, int C>
constexpr htvm::requant per_channel(const conv_data<W, C>& d, int zp_in, int zp_out, bool relu) {
    return htvm::tflite_requant{.multipliers = d.m, .shifts = d.s, .input_zero_point = zp_in,
                                .output_zero_point = zp_out, .act_min = relu ? zp_out : -128};
}

constexpr htvm::requant per_tensor(int taps, int zp_in, int zp_out, bool relu) {
    int shift = 0;  // shift_for() at compile time
    long long spread = 5300;
    for (int s = 1; s * s < taps; ++s) spread = 5300LL * (s + 1);
    while (spread > 64) spread /= 2, --shift;
    return htvm::tflite_requant{.multiplier = 1518500250, .shift = shift, .input_zero_point = zp_in,
                                .output_zero_point = zp_out, .act_min = relu ? zp_out : -128};
}

// ---- kws: DS-CNN --------------------------------------------------------------------------------
namespace kws {
inline conv_data<64 * 10 * 4, 64> c1;
inline conv_data<9 * 64, 64> dw1, dw2, dw3, dw4;
inline conv_data<64 * 64, 64> pw1, pw2, pw3, pw4;
inline dense_data<64 * 12, 12> fc;

inline constexpr htvm::network net{
    htvm::input{.name = "input", .shape = {1, 49, 10, 1}},
    htvm::conv2d{.name = "conv1", .filters = 64, .kernel = {10, 4}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = c1.w, .bias = c1.b, .requant = per_channel(c1, 83, -128, true)},
    htvm::depthwise_conv2d{.name = "dw1", .kernel = {3, 3}, .padding = htvm::same, .weights = dw1.w, .bias = dw1.b,
                           .requant = per_channel(dw1, -128, -128, true)},
    htvm::conv2d{.name = "pw1", .filters = 64, .weights = pw1.w, .bias = pw1.b,
                 .requant = per_channel(pw1, -128, -128, true)},
    htvm::depthwise_conv2d{.name = "dw2", .kernel = {3, 3}, .padding = htvm::same, .weights = dw2.w, .bias = dw2.b,
                           .requant = per_channel(dw2, -128, -128, true)},
    htvm::conv2d{.name = "pw2", .filters = 64, .weights = pw2.w, .bias = pw2.b,
                 .requant = per_channel(pw2, -128, -128, true)},
    htvm::depthwise_conv2d{.name = "dw3", .kernel = {3, 3}, .padding = htvm::same, .weights = dw3.w, .bias = dw3.b,
                           .requant = per_channel(dw3, -128, -128, true)},
    htvm::conv2d{.name = "pw3", .filters = 64, .weights = pw3.w, .bias = pw3.b,
                 .requant = per_channel(pw3, -128, -128, true)},
    htvm::depthwise_conv2d{.name = "dw4", .kernel = {3, 3}, .padding = htvm::same, .weights = dw4.w, .bias = dw4.b,
                           .requant = per_channel(dw4, -128, -128, true)},
    htvm::conv2d{.name = "pw4", .filters = 64, .weights = pw4.w, .bias = pw4.b,
                 .requant = per_channel(pw4, -128, -128, true)},
    htvm::avg_pool{.name = "pool", .window = {25, 5}, .stride = {25, 5}},
    htvm::flatten{.name = "flatten"},
    htvm::dense{.name = "fc", .units = 12, .weights = fc.w, .bias = fc.b, .requant = per_tensor(64, -128, 10, false)},
};

inline void fill_parameters() {
    c1.fill(1, 40);
    dw1.fill(2, 9), dw2.fill(3, 9), dw3.fill(4, 9), dw4.fill(5, 9);
    pw1.fill(6, 64), pw2.fill(7, 64), pw3.fill(8, 64), pw4.fill(9, 64);
    fc.fill(10);
}
}  // namespace kws

// ---- ic: ResNet-8 ---------------------------------------------------------------------------------
namespace ic {
inline conv_data<16 * 9 * 3, 16> c1;
inline conv_data<16 * 9 * 16, 16> b1c1, b1c2;
inline conv_data<32 * 9 * 16, 32> b2c1;
inline conv_data<32 * 9 * 32, 32> b2c2;
inline conv_data<32 * 16, 32> b2sc;
inline conv_data<64 * 9 * 32, 64> b3c1;
inline conv_data<64 * 9 * 64, 64> b3c2;
inline conv_data<64 * 32, 64> b3sc;
inline dense_data<64 * 10, 10> fc;

constexpr htvm::tflite_add_params add_params(bool relu) {
    return {.input1_zero_point = -128, .input2_zero_point = -128, .output_zero_point = -128, .left_shift = 20,
            .input1_multiplier = 1311380366, .input1_shift = -1, .input2_multiplier = 1653542118, .input2_shift = -1,
            .output_multiplier = 1869202801, .output_shift = -19, .act_min = relu ? -128 : -128, .act_max = 127};
}

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 32, 32, 3}},
    htvm::conv2d{.name = "conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = c1.w,
                 .bias = c1.b, .requant = per_channel(c1, -128, -128, true)},
    htvm::conv2d{.name = "b1_conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = b1c1.w,
                 .bias = b1c1.b, .requant = per_channel(b1c1, -128, -128, true)},
    htvm::conv2d{.name = "b1_conv2", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = b1c2.w,
                 .bias = b1c2.b, .requant = per_channel(b1c2, -128, 5, false)},
    htvm::tflite_add{.name = "b1_add", .lhs = "conv1", .rhs = "b1_conv2", .params = add_params(true)},
    htvm::conv2d{.name = "b2_conv1", .filters = 32, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = b2c1.w, .bias = b2c1.b, .requant = per_channel(b2c1, -128, -128, true)},
    htvm::conv2d{.name = "b2_conv2", .filters = 32, .kernel = {3, 3}, .padding = htvm::same, .weights = b2c2.w,
                 .bias = b2c2.b, .requant = per_channel(b2c2, -128, 3, false)},
    htvm::conv2d{.name = "b2_shortcut", .input = "b1_add", .filters = 32, .kernel = {1, 1}, .stride = {2, 2},
                 .weights = b2sc.w, .bias = b2sc.b, .requant = per_channel(b2sc, -128, -2, false)},
    htvm::tflite_add{.name = "b2_add", .lhs = "b2_shortcut", .rhs = "b2_conv2", .params = add_params(true)},
    htvm::conv2d{.name = "b3_conv1", .filters = 64, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = b3c1.w, .bias = b3c1.b, .requant = per_channel(b3c1, -128, -128, true)},
    htvm::conv2d{.name = "b3_conv2", .filters = 64, .kernel = {3, 3}, .padding = htvm::same, .weights = b3c2.w,
                 .bias = b3c2.b, .requant = per_channel(b3c2, -128, 7, false)},
    htvm::conv2d{.name = "b3_shortcut", .input = "b2_add", .filters = 64, .kernel = {1, 1}, .stride = {2, 2},
                 .weights = b3sc.w, .bias = b3sc.b, .requant = per_channel(b3sc, -128, 0, false)},
    htvm::tflite_add{.name = "b3_add", .lhs = "b3_shortcut", .rhs = "b3_conv2", .params = add_params(true)},
    htvm::avg_pool{.name = "pool", .window = {8, 8}, .stride = {8, 8}},
    htvm::flatten{.name = "flatten"},
    htvm::dense{.name = "fc", .units = 10, .weights = fc.w, .bias = fc.b, .requant = per_tensor(64, -128, 20, false)},
};

inline void fill_parameters() {
    c1.fill(11, 27), b1c1.fill(12, 144), b1c2.fill(13, 144), b2c1.fill(14, 144), b2c2.fill(15, 288);
    b2sc.fill(16, 16), b3c1.fill(17, 288), b3c2.fill(18, 576), b3sc.fill(19, 32), fc.fill(20);
}
}  // namespace ic

// ---- vww: MobileNetV1 0.25, 96x96 -----------------------------------------------------------------------
namespace vww {
inline conv_data<8 * 9 * 3, 8> c1;
// depthwise d<i> on c_in channels, pointwise p<i> c_in -> c_out
inline conv_data<9 * 8, 8> d1;
inline conv_data<16 * 8, 16> p1;
inline conv_data<9 * 16, 16> d2;
inline conv_data<32 * 16, 32> p2;
inline conv_data<9 * 32, 32> d3, d4;
inline conv_data<32 * 32, 32> p3;
inline conv_data<64 * 32, 64> p4;
inline conv_data<9 * 64, 64> d5, d6;
inline conv_data<64 * 64, 64> p5;
inline conv_data<128 * 64, 128> p6;
inline conv_data<9 * 128, 128> d7, d8, d9, d10, d11, d12;
inline conv_data<128 * 128, 128> p7, p8, p9, p10, p11;
inline conv_data<256 * 128, 256> p12;
inline conv_data<9 * 256, 256> d13;
inline conv_data<256 * 256, 256> p13;
inline dense_data<256 * 2, 2> fc;

template <class D>
constexpr htvm::layer dw(const char* name, const D& d, int stride) {
    return htvm::depthwise_conv2d{.name = name, .kernel = {3, 3}, .stride = {stride, stride}, .padding = htvm::same,
                                  .weights = d.w, .bias = d.b, .requant = per_channel(d, -128, -128, true)};
}
template <class D>
constexpr htvm::layer pw(const char* name, const D& d, int filters) {
    return htvm::conv2d{.name = name, .filters = filters, .weights = d.w, .bias = d.b,
                        .requant = per_channel(d, -128, -128, true)};
}

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 96, 96, 3}},
    htvm::conv2d{.name = "conv1", .filters = 8, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = c1.w, .bias = c1.b, .requant = per_channel(c1, -128, -128, true)},
    dw("dw1", d1, 1), pw("pw1", p1, 16),
    dw("dw2", d2, 2), pw("pw2", p2, 32),
    dw("dw3", d3, 1), pw("pw3", p3, 32),
    dw("dw4", d4, 2), pw("pw4", p4, 64),
    dw("dw5", d5, 1), pw("pw5", p5, 64),
    dw("dw6", d6, 2), pw("pw6", p6, 128),
    dw("dw7", d7, 1), pw("pw7", p7, 128),
    dw("dw8", d8, 1), pw("pw8", p8, 128),
    dw("dw9", d9, 1), pw("pw9", p9, 128),
    dw("dw10", d10, 1), pw("pw10", p10, 128),
    dw("dw11", d11, 1), pw("pw11", p11, 128),
    dw("dw12", d12, 2), pw("pw12", p12, 256),
    dw("dw13", d13, 1), pw("pw13", p13, 256),
    htvm::avg_pool{.name = "pool", .window = {3, 3}, .stride = {3, 3}},
    htvm::flatten{.name = "flatten"},
    htvm::dense{.name = "fc", .units = 2, .weights = fc.w, .bias = fc.b, .requant = per_tensor(256, -128, 0, false)},
};

inline void fill_parameters() {
    c1.fill(21, 27);
    d1.fill(22, 9), d2.fill(23, 9), d3.fill(24, 9), d4.fill(25, 9), d5.fill(26, 9), d6.fill(27, 9);
    d7.fill(28, 9), d8.fill(29, 9), d9.fill(30, 9), d10.fill(31, 9), d11.fill(32, 9), d12.fill(33, 9);
    d13.fill(34, 9);
    p1.fill(35, 8), p2.fill(36, 16), p3.fill(37, 32), p4.fill(38, 32), p5.fill(39, 64), p6.fill(40, 64);
    p7.fill(41, 128), p8.fill(42, 128), p9.fill(43, 128), p10.fill(44, 128), p11.fill(45, 128);
    p12.fill(46, 128), p13.fill(47, 256);
    fc.fill(48);
}
}  // namespace vww

// ---- ad: FC autoencoder --------------------------------------------------------------------------------------
namespace ad {
inline dense_data<640 * 128, 128> f1;
inline dense_data<128 * 128, 128> f2, f3, f4, f7, f8, f9;
inline dense_data<128 * 8, 8> f5;
inline dense_data<8 * 128, 128> f6;
inline dense_data<128 * 640, 640> f10;

template <class D>
constexpr htvm::layer fc(const char* name, const D& d, int units, int features, int zp_in, bool relu) {
    return htvm::dense{.name = name, .units = units, .weights = d.w, .bias = d.b,
                       .requant = per_tensor(features, zp_in, relu ? -128 : 12, relu)};
}

inline constexpr htvm::network net{
    htvm::input{.name = "input", .shape = {1, 1, 1, 640}},
    fc("fc1", f1, 128, 640, 89, true), fc("fc2", f2, 128, 128, -128, true),
    fc("fc3", f3, 128, 128, -128, true), fc("fc4", f4, 128, 128, -128, true),
    fc("fc5", f5, 8, 128, -128, true),  fc("fc6", f6, 128, 8, -128, true),
    fc("fc7", f7, 128, 128, -128, true), fc("fc8", f8, 128, 128, -128, true),
    fc("fc9", f9, 128, 128, -128, true), fc("fc10", f10, 640, 128, -128, false),
};

inline void fill_parameters() {
    f1.fill(51), f2.fill(52), f3.fill(53), f4.fill(54), f5.fill(55);
    f6.fill(56), f7.fill(57), f8.fill(58), f9.fill(59), f10.fill(60);
}
}  // namespace ad

}  // namespace bench
