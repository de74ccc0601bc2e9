// Kernel property tests: depthwise_conv2d on random layers, and the shared 3x3 depthwise kernel on
// the geometries it runs. What they promise, and the helpers they share: property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/kernels/depthwise_conv2d.hpp>

#include <string>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

// A random depthwise layer (weights, bias, requantization) on `in`, filled here, with window w: the
// kernel with the run-time stage and with each narrow stage a compiled network could give it, against
// the reference. Returns the number of mismatches.
int check_random_depthwise(rng& r, tensor& in, const ref::window& w, const std::string& label, coverage& seen) {
    const int c = in.c;
    fill(r, in.data);
    const auto weights = random_bytes(r, w.kh * w.kw * c);
    const auto bias = random_bias(r, c);
    const form f = random_form(r);
    const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
    const ref::accumulators acc = ref::depthwise_conv2d(in, weights, bias, w, zp);
    const ref::requant_spec rq = random_requant(r, f, c, zp, ref::largest_magnitude(acc));
    const auto want = ref::requantize(acc, rq);
    REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");

    int failures = 0;
    std::vector<std::int8_t> got(want->data.size());
    htvm::cpu::depthwise_conv2d(ref::to_htvm(in, w, c), in.data.data(), weights.data(), bias_pointer(bias),
                                ref::to_htvm(rq), got.data());
    if (!same_bytes(got, want->data, label + " " + describe_window(in, w) + " " + describe_requant(rq))) ++failures;
    if (!narrow_stage_matches(bias, rq, c, w.kh * w.kw, want->data, label + " " + describe_window(in, w), seen,
                              [&](std::int8_t* out, auto arith) {
                                  htvm::cpu::depthwise_conv2d<decltype(arith)::value>(
                                      ref::to_htvm(in, w, c), in.data.data(), weights.data(), bias_pointer(bias),
                                      ref::to_htvm(rq), out);
                              }))
        ++failures;
    seen.input(in);
    seen.requant(rq);
    seen.output(want->data);
    return failures;
}

TEST_CASE("property: depthwise_conv2d equals the reference (400 random layers)") {
    rng r(0x5EED0002);
    coverage seen;
    int done = 0, failures = 0;
    while (done < 400 && failures < 5) {
        const int c = random_channels(r);
        const ref::window w = random_window(r, false);
        const int h = r.between(1, 19), w_ = r.between(1, 19);
        tensor in(h, w_, c);
        const ref::geometry g = ref::resolve(in.h, in.w, w);
        if (g.out_h < 1 || g.out_w < 1) continue;
        failures += check_random_depthwise(r, in, w, "depthwise", seen);
        seen.window(w);
        ++done;
    }
    CHECK(done == 400);
    seen.require_all(5);
}

// The shared 3x3 depthwise kernel (depthwise_3x3.hpp) on the geometries it runs: stride 1 or 2, at
// most one padding column on each side, any padding rows (up to whole output rows in the padding),
// 1 to 20 columns and rows, 1 to 19 channels.
TEST_CASE("property: the shared 3x3 depthwise kernel equals the reference (300 random layers)") {
    rng r(0x5EED0009);
    coverage seen;
    int done = 0, failures = 0, right_pixels = 0, padded_rows = 0;
    while (done < 300 && failures < 5) {
        ref::window w;
        w.kh = w.kw = 3;
        w.sh = w.sw = r.between(1, 2);
        w.padding = ref::pad_kind::explicit_pads;
        w.top = r.between(0, 3);
        w.bottom = r.between(0, 3);
        w.left = r.between(0, 1);
        w.right = r.between(0, 1);
        const int c = r.between(1, 19);
        const int h = r.between(1, 20), w_ = r.between(1, 20);
        tensor in(h, w_, c);
        const ref::geometry g = ref::resolve(in.h, in.w, w);
        if (g.out_h < 1 || g.out_w < 1) continue;
        const htvm::cpu::window_geometry geometry = ref::to_htvm(in, w, c);
        using run_time_plan = htvm::cpu::detail::depthwise_plan<htvm::cpu::window_geometry>;
        REQUIRE(htvm::cpu::detail::runs_shared_3x3(run_time_plan{geometry}));
        failures += check_random_depthwise(r, in, w, "shared depthwise", seen);
        // A right padding column read by the last pixel; an output row whose windows lie wholly in padding rows.
        if (htvm::cpu::right_padding(in.w, g.out_w, 3, w.sw, g.pad_left) == 1) ++right_pixels;
        if (w.top >= 3 || (g.out_h - 1) * w.sh - g.pad_top >= in.h) ++padded_rows;
        ++done;
    }
    CHECK(done == 300);
    CHECK(right_pixels >= 50);
    CHECK(padded_rows >= 10);
    seen.require_all(5);
}
