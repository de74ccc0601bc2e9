// Kernel property tests: conv2d on random layers and on long rows, and the shared pointwise kernel
// of 1x1 stride-1 layers. What they promise, and the helpers they share: property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/kernels/conv2d.hpp>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

TEST_CASE("property: conv2d equals the reference (400 random layers)") {
    rng r(0x5EED0001);
    coverage seen;
    int done = 0, failures = 0;
    while (done < 400 && failures < 5) {
        const int ic = random_channels(r), oc = random_channels(r);
        const ref::window w = random_window(r, false);
        // One draw per declarator, never two in one argument list (whose order is unspecified): the
        // cases must be the same with every compiler.
        const int h = r.between(1, 17), w_ = r.between(1, 17);
        const std::optional<conv_layer> layer = random_conv_layer(r, h, w_, ic, w, oc);
        if (!layer) continue;
        const tensor& in = layer->in;
        const auto& weights = layer->weights;
        const auto& bias = layer->bias;
        const form f = random_form(r);
        const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
        const ref::accumulators acc = ref::conv2d(in, weights, oc, bias, w, zp);
        const ref::requant_spec rq = random_requant(r, f, oc, zp, ref::largest_magnitude(acc));
        const auto want = ref::requantize(acc, rq);
        REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");

        std::vector<std::int8_t> got(want->data.size());
        htvm::cpu::conv2d(ref::to_htvm(in, w, oc), in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq),
                          got.data());
        if (!same_bytes(got, want->data, "conv2d " + describe_window(in, w) + " filters " + std::to_string(oc) + " " +
                                             describe_requant(rq)))
            ++failures;
        if (!narrow_stage_matches(bias, rq, oc, w.kh * w.kw * ic, want->data, "conv2d " + describe_window(in, w), seen,
                                  [&](std::int8_t* out, auto arith) {
                                      htvm::cpu::conv2d<decltype(arith)::value>(
                                          ref::to_htvm(in, w, oc), in.data.data(), weights.data(), bias_pointer(bias),
                                          ref::to_htvm(rq), out);
                                  }))
            ++failures;
        seen.window(w);
        seen.input(in);
        seen.requant(rq);
        seen.output(want->data);
        seen.note(ic == 64 || oc == 64, "64 channels");
        ++done;
    }
    CHECK(done == 400);
    seen.require_all(5);
}

TEST_CASE("property: conv2d on long rows, whose last block overlaps the one before (150 random layers)") {
    // Kernels of the rows path (widths 1, 2, 5; 1x1 stride 1 is one long row of pixels) on rows of
    // 40..140 pixels: where fewer than 4 pixels remain at the end of a row, the kernel computes one
    // more 4-pixel block ending at the last pixel instead of a narrower one.
    rng r(0x5EED000E);
    int done = 0, failures = 0, overlapping = 0;
    while (done < 150 && failures < 5) {
        const int ic = r.between(1, 12), oc = r.between(1, 9);
        ref::window w;
        const int shape = r.between(0, 3);
        w.kh = shape == 0 ? 1 : r.between(1, 3);
        w.kw = shape == 0 ? 1 : shape == 1 ? 2 : shape == 2 ? 5 : 1;
        w.sh = shape == 0 ? 1 : r.between(1, 2);
        w.sw = shape == 0 ? 1 : r.between(1, 2);
        w.padding = shape == 0 ? ref::pad_kind::valid : r.percent(50) ? ref::pad_kind::same : ref::pad_kind::valid;
        const int h = r.between(1, 3), w_ = r.between(40, 140);
        const std::optional<conv_layer> layer = random_conv_layer(r, h, w_, ic, w, oc);
        if (!layer) continue;
        const tensor& in = layer->in;
        const auto& weights = layer->weights;
        const auto& bias = layer->bias;
        const std::int32_t zp = random_zero_point(r);
        const ref::accumulators acc = ref::conv2d(in, weights, oc, bias, w, zp);
        const ref::requant_spec rq = random_requant(r, form::tflite_per_channel, oc, zp, ref::largest_magnitude(acc));
        const auto want = ref::requantize(acc, rq);
        REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
        std::vector<std::int8_t> got(want->data.size());
        const htvm::cpu::window_geometry geometry = ref::to_htvm(in, w, oc);
        htvm::cpu::conv2d(geometry, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq), got.data());
        if (!same_bytes(got, want->data, "conv2d " + describe_window(in, w) + " filters " + std::to_string(oc)))
            ++failures;
        const htvm::cpu::detail::conv_plan<htvm::cpu::window_geometry> plan{geometry};
        const int interior = plan.x_hi() - plan.x_lo();
        if (interior % 4 != 0 && interior >= 16 * (4 - interior % 4)) ++overlapping;
        ++done;
    }
    CHECK(done == 150);
    CHECK(overlapping >= 50);  // the overlapping block ran often enough to mean something
}

// A random pointwise layer of Cin input channels: pointwise_conv2d (the code a compiled network's 1x1
// stride-1 layers share, sizes at run time) with the run-time stage and each narrow stage a compiled
// network could give it, against the reference. Returns the number of mismatches.
template <int Cin>
int check_random_pointwise(rng& r, coverage& seen) {
    const int h = r.between(1, 9), w_ = r.between(1, 9);
    const int oc = htvm::cpu::detail::pointwise_channels * r.between(1, 6);
    const ref::window w;  // 1x1, stride 1, valid
    const std::optional<conv_layer> layer = random_conv_layer(r, h, w_, Cin, w, oc);
    REQUIRE(layer.has_value());
    const tensor& in = layer->in;
    const form f = random_form(r);
    const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
    const ref::accumulators acc = ref::conv2d(in, layer->weights, oc, layer->bias, w, zp);
    const ref::requant_spec rq = random_requant(r, f, oc, zp, ref::largest_magnitude(acc));
    const auto want = ref::requantize(acc, rq);
    REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
    const htvm::requant htvm_rq = ref::to_htvm(rq);

    auto run = [&](std::int8_t* out, auto arith) {
        htvm::cpu::with_output_stage<decltype(arith)::value>(htvm_rq, [&](const auto& stage) {
            using stage_type = std::remove_cvref_t<decltype(stage)>;
            const htvm::cpu::detail::pointwise_layer<stage_type> pointwise{
                {h * w_, oc, Cin}, &htvm::cpu::detail::pointwise_blocks<Cin, stage_type>};
            htvm::cpu::detail::pointwise_conv2d(pointwise, in.data.data(), layer->weights.data(),
                                                bias_pointer(layer->bias), htvm::cpu::input_offset(htvm_rq), stage,
                                                out);
        });
    };
    const std::string what = "pointwise " + describe_window(in, w) + " filters " + std::to_string(oc);
    int failures = 0;
    std::vector<std::int8_t> got(want->data.size());
    run(got.data(), std::integral_constant<htvm::cpu::output_arith, htvm::cpu::output_arith::dynamic>{});
    if (!same_bytes(got, want->data, what + " " + describe_requant(rq))) ++failures;
    if (!narrow_stage_matches(layer->bias, rq, oc, Cin, want->data, what, seen, run)) ++failures;
    seen.note(h * w_ < htvm::cpu::detail::pointwise_pixels, "fewer pixels than one block");
    seen.note(h * w_ > 4 && (h * w_) % htvm::cpu::detail::pointwise_pixels != 0, "blocks and remaining pixels");
    seen.requant(rq);
    seen.output(want->data);
    return failures;
}

TEST_CASE("property: the shared pointwise kernel equals the reference (5 input widths x 80 random layers)") {
    rng r(0x5EED0011);
    coverage seen;
    int failures = 0;
    for (int k = 0; k < 80 && failures < 5; ++k) {
        failures += check_random_pointwise<1>(r, seen);
        failures += check_random_pointwise<3>(r, seen);
        failures += check_random_pointwise<8>(r, seen);
        failures += check_random_pointwise<16>(r, seen);
        failures += check_random_pointwise<40>(r, seen);
    }
    CHECK(failures == 0);
    seen.require_all(5);
}

TEST_CASE("conv2d runs fixed 1x1 stride-1 geometries on the shared pointwise kernel when 4 divides the filters") {
    using htvm::cpu::fixed_window;
    using htvm::cpu::window_geometry;
    using htvm::cpu::detail::runs_pointwise;
    static_assert(runs_pointwise<fixed_window<window_geometry{{1, 5, 3, 8}, {1, 5, 3, 12}}>>());
    static_assert(!runs_pointwise<fixed_window<window_geometry{{1, 5, 3, 8}, {1, 5, 3, 6}}>>(), "6 filters");
    static_assert(!runs_pointwise<fixed_window<window_geometry{{1, 6, 4, 8}, {1, 3, 2, 12}, {1, 1}, {2, 2}}>>(),
                  "stride 2");
    static_assert(!runs_pointwise<fixed_window<window_geometry{{1, 5, 3, 8}, {1, 5, 3, 12}, {3, 3}, {1, 1}, 1, 1}>>(),
                  "3x3 window");
    static_assert(!runs_pointwise<window_geometry>(), "a run-time geometry");

    // Through the public entry, as a compiled network calls it: 15 pixels (3 blocks and 3 more).
    constexpr window_geometry g{{1, 5, 3, 8}, {1, 5, 3, 12}};
    rng r(0x5EED0012);
    const ref::window w;
    for (int trial = 0; trial < 20; ++trial) {
        const std::optional<conv_layer> layer = random_conv_layer(r, 5, 3, 8, w, 12);
        REQUIRE(layer.has_value());
        const std::int32_t zp = random_zero_point(r);
        const ref::accumulators acc = ref::conv2d(layer->in, layer->weights, 12, layer->bias, w, zp);
        const ref::requant_spec rq = random_requant(r, form::tflite_per_channel, 12, zp, ref::largest_magnitude(acc));
        const auto want = ref::requantize(acc, rq);
        REQUIRE(want.has_value());
        std::vector<std::int8_t> got(want->data.size());
        // The TFLite parameters alone, as cpu_target passes them.
        htvm::cpu::conv2d(fixed_window<g>{}, layer->in.data.data(), layer->weights.data(), bias_pointer(layer->bias),
                          ref::to_htvm(rq).tflite, got.data());
        CHECK(same_bytes(got, want->data, "fixed pointwise, trial " + std::to_string(trial)));
    }
}
