// Kernel property tests: depthwise_conv2d and conv2d in their compiled (fixed_window) instances for
// 3x3 windows, one instance per row layout. What they promise, and the helpers they share:
// property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/kernels/conv2d.hpp>
#include <htvm/kernels/depthwise_conv2d.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

// Compiled networks run the kernels on fixed_window<G> geometries, whose row structure (edge pixels,
// last block width, padding columns) is chosen at compile time and instantiates only the blocks that
// geometry runs. These cases cover that choice for 3x3 windows: stride 1 and 2, no or one padding
// column on either side, 1 to 7 output columns (every last-block width of the depthwise rows, whose
// blocks are 4 pixels wide); the geometry must be the reference's, and the output too.
namespace {
namespace fixed_cases {

struct row_case {
    int stride, pad_left, pad_right, out_w;
};

constexpr int widths = 7;
constexpr int count = 2 * 2 * 2 * widths;
constexpr std::array<row_case, count> cases = [] {
    std::array<row_case, count> all{};
    int k = 0;
    for (int stride = 1; stride <= 2; ++stride)
        for (int left = 0; left <= 1; ++left)
            for (int right = 0; right <= 1; ++right)
                for (int out_w = 1; out_w <= widths; ++out_w) all[static_cast<std::size_t>(k++)] = {stride, left, right, out_w};
    return all;
}();

constexpr int in_h = 5;  // one padding row on top and bottom

constexpr ref::window window_of(const row_case& c) {
    ref::window w;
    w.kh = w.kw = 3;
    w.sh = w.sw = c.stride;
    w.padding = ref::pad_kind::explicit_pads;
    w.top = w.bottom = 1;
    w.left = c.pad_left;
    w.right = c.pad_right;
    return w;
}

constexpr htvm::cpu::window_geometry geometry_of(const row_case& c, int in_c, int out_c) {
    const int in_w = (c.out_w - 1) * c.stride + 3 - c.pad_left - c.pad_right;
    const int out_h = (in_h + 2 - 3) / c.stride + 1;
    return {htvm::shape{1, in_h, in_w, in_c}, htvm::shape{1, out_h, c.out_w, out_c}, htvm::hw{3, 3},
            htvm::hw{c.stride, c.stride}, 1, c.pad_left};
}

constexpr int depthwise_channels = 3;
constexpr int conv_in = 8, conv_out = 3;  // 8: the strided columns path; 3: a block of 2 and a single channel

// One case, four random layers of each kind: depthwise and conv2d in their compiled (fixed) instance
// against the reference. The run-time choice of output stage covers both kinds of instance: DIANA's
// stage, like the narrow-only TFLite stages of a compiled network, has no exact-only channels (so the
// row structure is decided wholly at compile time); TFLite's checked stage keeps the run-time choice.
template <std::size_t index>
void check(rng& r, coverage& seen, int& failures) {
    constexpr row_case c = cases[index];
    constexpr htvm::cpu::window_geometry dw = geometry_of(c, depthwise_channels, depthwise_channels);
    constexpr htvm::cpu::window_geometry cv = geometry_of(c, conv_in, conv_out);
    const htvm::cpu::fixed_window<dw> dw_fixed{};
    const htvm::cpu::fixed_window<cv> cv_fixed{};
    const ref::window w = window_of(c);
    for (int trial = 0; trial < 4; ++trial) {
        {
            tensor in(dw.in.h, dw.in.w, dw.in.c);
            fill(r, in.data);
            const auto weights = random_bytes(r, 9 * dw.in.c);
            const auto bias = random_bias(r, dw.in.c);
            const form f = random_form(r);
            const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
            const ref::accumulators acc = ref::depthwise_conv2d(in, weights, bias, w, zp);
            const ref::requant_spec rq = random_requant(r, f, dw.in.c, zp, ref::largest_magnitude(acc));
            const auto want = ref::requantize(acc, rq);
            REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
            REQUIRE(ref::to_htvm(in, w, dw.in.c) == dw);
            const std::string what = "fixed depthwise " + describe_window(in, w) + " " + describe_requant(rq);
            // Both codes a compiled network can give the layer: the shared 3x3 kernel and its own instance.
            static_assert(htvm::cpu::detail::runs_shared_3x3(htvm::cpu::detail::depthwise_plan<decltype(dw_fixed)>{}));
            std::vector<std::int8_t> got(want->data.size());
            htvm::cpu::depthwise_conv2d(dw_fixed, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq),
                                        got.data());
            if (!same_bytes(got, want->data, what + " (shared)")) ++failures;
            std::vector<std::int8_t> own(want->data.size());
            htvm::cpu::depthwise_conv2d<htvm::cpu::output_arith::dynamic, htvm::cpu::depthwise_code::own>(
                dw_fixed, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq), own.data());
            if (!same_bytes(own, want->data, what + " (own instance)")) ++failures;
            seen.requant(rq);
        }
        {
            const std::optional<conv_layer> layer = random_conv_layer(r, cv.in.h, cv.in.w, conv_in, w, conv_out);
            REQUIRE(layer.has_value());
            const form f = random_form(r);
            const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
            const ref::accumulators acc = ref::conv2d(layer->in, layer->weights, conv_out, layer->bias, w, zp);
            const ref::requant_spec rq = random_requant(r, f, conv_out, zp, ref::largest_magnitude(acc));
            const auto want = ref::requantize(acc, rq);
            REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
            REQUIRE(ref::to_htvm(layer->in, w, conv_out) == cv);
            const std::string what = "fixed conv2d " + describe_window(layer->in, w) + " " + describe_requant(rq);
            std::vector<std::int8_t> got(want->data.size());
            htvm::cpu::conv2d(cv_fixed, layer->in.data.data(), layer->weights.data(), bias_pointer(layer->bias),
                              ref::to_htvm(rq), got.data());
            if (!same_bytes(got, want->data, what)) ++failures;
            seen.requant(rq);
        }
    }
}

template <std::size_t... index>
void check_all(rng& r, coverage& seen, int& failures, std::index_sequence<index...>) {
    (check<index>(r, seen, failures), ...);
}

}  // namespace fixed_cases
}  // namespace

TEST_CASE("property: compiled (fixed) 3x3 geometries equal the reference (56 row layouts, 448 layers)") {
    rng r(0x5EED0014);
    coverage seen;
    int failures = 0;
    fixed_cases::check_all(r, seen, failures, std::make_index_sequence<fixed_cases::count>{});
    CHECK(failures == 0);
    seen.require_all(5);
}
