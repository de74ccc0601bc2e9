// The operators htvm-import supports beyond the MLPerf Tiny models (PAD, MAX_POOL_2D, RELU, RELU6,
// QUANTIZE at the float input edge and int8 -> int8, DEQUANTIZE at the output edge, a conv channel
// whose multiplier flushes to zero), end to end: a TFLite file written by tests/importer/bad_models, imported
// at build time by htvm_add_model, run by htvm and compared tensor by tensor with a reference
// computed here by hand from TFLite's documented arithmetic. The scales are powers of two, so each
// requantization reduces to a rounding rule the reference spells out.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <vector>

#include "bad_models/tflite_builder.hpp"
#include "extra_ops_model.hpp"

namespace {

using facts = test_models::extra_ops_facts;
using model = extra_ops::model;

int clamp8(long long v) { return v < -128 ? -128 : (v > 127 ? 127 : static_cast<int>(v)); }

// gemmlowp's SaturatingRoundingDoublingHighMul by 2^30 (a multiplier of exactly 0.5) rounds ties
// upwards: floor((x + 1) / 2), also for negative x.
long long half_rounding_up(long long x) {
    const long long n = x + 1;
    return n >= 0 ? n / 2 : -((-n + 1) / 2);
}

// RoundingDivideByPOT: divide by 2^n, ties away from zero.
long long divide_by_pot_away(long long x, int n) {
    const long long magnitude = ((x < 0 ? -x : x) + (1LL << (n - 1))) >> n;
    return x < 0 ? -magnitude : magnitude;
}

struct reference_run {
    std::map<int, std::vector<int>> tensors;  // by TFLite tensor index of the extra-ops model
};

// Tensor indices as test_models::extra_ops_model() creates them.
enum tensor_index { t_q = 1, t_padded = 3, t_conv = 6, t_pool = 7, t_relu = 8, t_relu6 = 9, t_requant = 10, t_flat = 12, t_fc = 15 };

reference_run reference(const std::vector<int>& input) {
    reference_run r;
    r.tensors[t_q] = input;

    // PAD by one on each side of H and W with the zero point.
    std::vector<int> padded(8 * 8 * 2, facts::in_zp);
    for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 6; ++x)
            for (int c = 0; c < 2; ++c) padded[((y + 1) * 8 + (x + 1)) * 2 + c] = input[(y * 6 + x) * 2 + c];
    r.tensors[t_padded] = padded;

    // CONV_2D 3x3 VALID, OHWI weights, bias; channels 0 and 1 have effective scale 0.5*0.25/0.25 = 0.5,
    // channel 2 an effective scale of 2e-12 that TFLite flushes to multiplier 0; fused RELU6 clamps to
    // [zp + round(0 / 0.25), zp + round(6 / 0.25)] = [5, 29].
    const int bias[3] = {7, -9, 1000};
    std::vector<int> conv(6 * 6 * 3);
    for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 6; ++x)
            for (int o = 0; o < 3; ++o) {
                long long acc = bias[o];
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx)
                        for (int c = 0; c < 2; ++c)
                            acc += static_cast<long long>(padded[((y + ky) * 8 + (x + kx)) * 2 + c] - facts::in_zp) *
                                   test_models::pattern(((o * 3 + ky) * 3 + kx) * 2 + c, 3);
                const long long scaled = o < 2 ? half_rounding_up(acc) : 0;
                const int v = clamp8(facts::conv_zp + scaled);
                conv[(y * 6 + x) * 3 + o] = v < 5 ? 5 : (v > 29 ? 29 : v);
            }
    r.tensors[t_conv] = conv;

    // MAX_POOL_2D 2x2 stride 2.
    std::vector<int> pool(3 * 3 * 3);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x)
            for (int c = 0; c < 3; ++c) {
                int m = -128;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) {
                        const int v = conv[((2 * y + dy) * 6 + (2 * x + dx)) * 3 + c];
                        m = v > m ? v : m;
                    }
                pool[(y * 3 + x) * 3 + c] = m;
            }
    r.tensors[t_pool] = pool;

    // RELU into scale 0.5 (from 0.25): a rescale by 0.5, then max with the output zero point.
    std::vector<int> relu(pool.size()), relu6(pool.size()), requant(pool.size());
    for (std::size_t i = 0; i < pool.size(); ++i) {
        const int v = clamp8(facts::relu_zp + half_rounding_up(pool[i] - facts::conv_zp));
        relu[i] = v < facts::relu_zp ? facts::relu_zp : v;
        // RELU6 with equal quantization: clamp to [zp, zp + round(6 / 0.5)] = [-20, -8].
        relu6[i] = relu[i] < -20 ? -20 : (relu[i] > -8 ? -8 : relu[i]);
        // QUANTIZE 0.5 -> 0.25: exactly times two.
        requant[i] = clamp8(facts::requant_zp + 2LL * (relu6[i] - facts::relu_zp));
    }
    r.tensors[t_relu] = relu;
    r.tensors[t_relu6] = relu6;
    r.tensors[t_requant] = requant;
    r.tensors[t_flat] = requant;

    // FULLY_CONNECTED: effective scale float(0.25 * 0.5) / 1.0 = 0.125 = 0.5 * 2^-2: the doubling high
    // multiply by 0.5, then a rounding divide by 4.
    const int fc_bias[4] = {3, -4, 50, -60};
    std::vector<int> fc(4);
    for (int u = 0; u < 4; ++u) {
        long long acc = fc_bias[u];
        for (int i = 0; i < 27; ++i)
            acc += static_cast<long long>(requant[static_cast<std::size_t>(i)] - facts::requant_zp) *
                   test_models::pattern(1000 + u * 27 + i, 2);
        fc[static_cast<std::size_t>(u)] = clamp8(facts::fc_zp + divide_by_pot_away(half_rounding_up(acc), 2));
    }
    r.tensors[t_fc] = fc;
    return r;
}

struct collect {
    std::map<int, std::vector<int>>* out;
    void before_layer(std::size_t, const htvm::layer_info&) {}
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* data, const htvm::shape& s) {
        (*out)[extra_ops::layer_tensor[i]] = std::vector<int>(data, data + s.elements());
    }
};

}  // namespace

TEST_CASE("the extra-operators model imports with its edges, quantization and layers") {
    CHECK(extra_ops::float_input_tensor == 0);   // the float input, quantized by the caller
    CHECK(extra_ops::float_output_tensor == 16);
    CHECK(extra_ops::input_tensor == t_q);
    CHECK(extra_ops::output_tensor == t_fc);
    CHECK(extra_ops::input_quantization.scale == facts::in_scale);
    CHECK(extra_ops::input_quantization.zero_point == facts::in_zp);
    CHECK(extra_ops::output_quantization.scale == facts::fc_scale);
    CHECK(extra_ops::output_quantization.zero_point == facts::fc_zp);
    // QUANTIZE and DEQUANTIZE at the edges are dropped; everything else is one layer.
    const int expected_tensors[] = {t_q, t_padded, t_conv, t_pool, t_relu, t_relu6, t_requant, t_flat, t_fc};
    REQUIRE(model::layer_count == std::size(expected_tensors));
    for (std::size_t i = 0; i < model::layer_count; ++i) CHECK(extra_ops::layer_tensor[i] == expected_tensors[i]);
    CHECK(htvm::is<htvm::pad>(extra_ops::net.layers[1]));
    CHECK(htvm::is<htvm::max_pool>(extra_ops::net.layers[3]));
    CHECK(htvm::is<htvm::depthwise_conv2d>(extra_ops::net.layers[4]));  // RELU with a rescale
    CHECK(htvm::is<htvm::clip>(extra_ops::net.layers[5]));              // RELU6 without
    CHECK(htvm::is<htvm::depthwise_conv2d>(extra_ops::net.layers[6]));  // QUANTIZE int8 -> int8
    CHECK(htvm::is<htvm::reshape>(extra_ops::net.layers[7]));
}

TEST_CASE("the extra-operators model matches the hand-computed TFLite reference on every tensor") {
    std::vector<std::vector<int>> inputs;
    inputs.push_back(std::vector<int>(72, -128));
    inputs.push_back(std::vector<int>(72, 127));
    inputs.push_back(std::vector<int>(72, facts::in_zp));
    std::uint32_t x = 12345;
    for (int k = 0; k < 60; ++k) {
        std::vector<int> in(72);
        for (int& v : in) {
            x = x * 1664525u + 1013904223u;
            v = static_cast<int>(static_cast<std::int8_t>(x >> 24));
        }
        inputs.push_back(in);
    }
    for (const std::vector<int>& in : inputs) {
        std::int8_t input[72], output[4];
        for (int i = 0; i < 72; ++i) input[i] = static_cast<std::int8_t>(in[static_cast<std::size_t>(i)]);
        std::map<int, std::vector<int>> got;
        got[t_q] = in;
        model::run(input, output, collect{&got});
        const reference_run expected = reference(in);
        for (const auto& entry : expected.tensors) {
            const int tensor = entry.first;  // a plain variable: INFO captures it
            INFO("tensor " << tensor);
            REQUIRE(got.count(tensor) == 1);
            CHECK(got[tensor] == entry.second);
        }
        for (int u = 0; u < 4; ++u) CHECK(output[u] == expected.tensors.at(t_fc)[static_cast<std::size_t>(u)]);
    }
}
