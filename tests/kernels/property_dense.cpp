// Kernel property tests: dense with run-time and with compile-time sizes. What they promise, and the
// helpers they share: property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/kernels/dense.hpp>

#include <optional>
#include <string>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

// A random dense layer and its reference output. The draws keep one order (input, weights, bias,
// form, zero point, requantization), so a seed gives the same layers every time.
struct dense_layer {
    tensor in;
    std::vector<std::int8_t> weights;
    std::vector<std::int32_t> bias;
    ref::requant_spec rq;
    std::optional<tensor> want;
};

dense_layer random_dense_layer(rng& r, int units, int features) {
    dense_layer layer{tensor(1, 1, features), {}, {}, {}, {}};
    fill(r, layer.in.data);
    layer.weights = random_bytes(r, units * features);
    layer.bias = random_bias(r, units);
    const form f = random_form(r);
    const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
    const ref::accumulators acc = ref::dense(layer.in, layer.weights, units, layer.bias, zp);
    layer.rq = random_requant(r, f, units, zp, ref::largest_magnitude(acc));
    layer.want = ref::requantize(acc, layer.rq);
    REQUIRE_MESSAGE(layer.want.has_value(), "the generator made a TFLite-undefined case");
    return layer;
}

TEST_CASE("property: dense equals the reference (300 random layers)") {
    rng r(0x5EED0003);
    coverage seen;
    int failures = 0;
    for (int done = 0; done < 300 && failures < 5; ++done) {
        const int units = random_channels(r);
        const int features = r.percent(20) ? r.between(1, 8) : r.between(9, 700);
        const dense_layer layer = random_dense_layer(r, units, features);
        const tensor& in = layer.in;
        const auto& weights = layer.weights;
        const auto& bias = layer.bias;
        const ref::requant_spec& rq = layer.rq;
        const auto& want = layer.want;

        std::vector<std::int8_t> got(want->data.size());
        htvm::cpu::dense(in.c, units, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq), got.data());
        if (!same_bytes(got, want->data,
                        "dense " + std::to_string(in.c) + " -> " + std::to_string(units) + " " + describe_requant(rq)))
            ++failures;
        if (!narrow_stage_matches(bias, rq, units, in.c, want->data,
                                  "dense " + std::to_string(in.c) + " -> " + std::to_string(units), seen,
                                  [&](std::int8_t* out, auto arith) {
                                      htvm::cpu::dense<decltype(arith)::value>(
                                          in.c, units, in.data.data(), weights.data(), bias_pointer(bias),
                                          ref::to_htvm(rq), out);
                                  }))
            ++failures;
        seen.requant(rq);
        seen.output(want->data);
    }
    seen.require_all(3);
}

// A compiled network passes its unit count as a constant: only the block height it needs is then
// instantiated (8, with an overlapping last block, or 1 below 8 units). Each count below, 40 random
// layers against the reference; the weights are exactly units * features bytes and the output has
// guard bytes, so the overlapping block must stay inside both.
template <int units>
void check_dense_fixed_units(rng& r) {
    for (int done = 0; done < 40; ++done) {
        const int features = r.between(1, 300);
        const dense_layer layer = random_dense_layer(r, units, features);
        const tensor& in = layer.in;
        const auto& bias = layer.bias;
        const ref::requant_spec& rq = layer.rq;
        const auto& want = layer.want;
        // Eight guard bytes after the output: a block that overruns the last unit changes them.
        constexpr std::int8_t guard = 0x5A;
        std::vector<std::int8_t> got(want->data.size() + 8, guard);
        htvm::cpu::dense(in.c, htvm::cpu::fixed_int<units>{}, in.data.data(), layer.weights.data(), bias_pointer(bias),
                         ref::to_htvm(rq), got.data());
        const std::vector<std::int8_t> guards(got.begin() + units, got.end());
        got.resize(units);
        REQUIRE(same_bytes(got, want->data,
                           "dense " + std::to_string(in.c) + " -> fixed " + std::to_string(units) + " " +
                               describe_requant(rq)));
        REQUIRE_MESSAGE(guards == std::vector<std::int8_t>(8, guard), "dense wrote past its last unit");
    }
}

TEST_CASE("property: dense with a compile-time unit count equals the reference") {
    rng r(0x5EED000F);
    check_dense_fixed_units<1>(r);
    check_dense_fixed_units<7>(r);
    check_dense_fixed_units<8>(r);
    check_dense_fixed_units<9>(r);
    check_dense_fixed_units<15>(r);
    check_dense_fixed_units<24>(r);
}

// With the feature count a constant too (as a compiled network passes it), a layer under
// small_dense_macs MACs takes blocks of 1 even with 8 or more units.
template <int features, int units>
void check_dense_fixed_sizes(rng& r) {
    for (int done = 0; done < 20; ++done) {
        const dense_layer layer = random_dense_layer(r, units, features);
        std::vector<std::int8_t> got(layer.want->data.size());
        htvm::cpu::dense(htvm::cpu::fixed_int<features>{}, htvm::cpu::fixed_int<units>{}, layer.in.data.data(),
                         layer.weights.data(), bias_pointer(layer.bias), ref::to_htvm(layer.rq), got.data());
        REQUIRE(same_bytes(got, layer.want->data,
                           "dense fixed " + std::to_string(features) + " -> fixed " + std::to_string(units) + " " +
                               describe_requant(layer.rq)));
    }
}

TEST_CASE("property: dense with compile-time sizes equals the reference, small layers in blocks of 1") {
    using htvm::cpu::fixed_int;
    using htvm::cpu::detail::dense_heights;
    using htvm::cpu::detail::dense_heights_for;
    static_assert(htvm::cpu::detail::small_dense_macs == 1024);
    static_assert(dense_heights_for<fixed_int<64>, fixed_int<10>> == dense_heights::one);     // 640 MACs
    static_assert(dense_heights_for<fixed_int<128>, fixed_int<8>> == dense_heights::eight);   // 1,024
    static_assert(dense_heights_for<int, fixed_int<10>> == dense_heights::eight);             // features unknown
    rng r(0x5EED0013);
    check_dense_fixed_sizes<64, 10>(r);
    check_dense_fixed_sizes<127, 8>(r);
    check_dense_fixed_sizes<128, 8>(r);
    check_dense_fixed_sizes<100, 12>(r);
}
