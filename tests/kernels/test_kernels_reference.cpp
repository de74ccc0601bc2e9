// The test reference (tests/reference/) checked by hand: the property tests are only as good as the
// reference, so its arithmetic and layers are pinned to worked-out values here, and its softmax to
// TFLite Micro's outputs (MLPerf Tiny golden rows, Apache-2.0, see tests/reference/LICENSE-mlperf-tiny.md).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "reference/layers.hpp"
#include "reference/softmax.hpp"

using bytes = std::vector<std::int8_t>;

namespace {
constexpr std::int32_t half = std::int32_t{1} << 30;

ref::tensor make(int h, int w, int c, bytes values) {
    ref::tensor t(h, w, c);
    t.data = std::move(values);
    return t;
}

ref::requant_spec identity() {
    ref::requant_spec s;
    s.form = ref::requant_spec::kind::diana;
    return s;
}
}  // namespace

TEST_CASE("reference arithmetic: doubling high multiply, rounding shift, scale") {
    CHECK(ref::doubling_high_mul(half, half) == (1 << 29));
    CHECK(ref::doubling_high_mul(1, half) == 1);    // 0.5 -> 1
    CHECK(ref::doubling_high_mul(-1, half) == 0);   // -0.5 -> 0 (ties toward +infinity)
    CHECK(ref::doubling_high_mul(-3, half) == -1);  // -1.5 -> -1
    CHECK(ref::doubling_high_mul(INT32_MAX, INT32_MAX) == INT32_MAX - 1);
    CHECK(ref::doubling_high_mul(INT32_MIN, INT32_MIN) == INT32_MAX);  // 2^31 saturates
    CHECK(ref::doubling_high_mul(INT32_MIN, INT32_MAX) == -INT32_MAX);

    CHECK(ref::rounding_shift_right(5, 1) == 3);
    CHECK(ref::rounding_shift_right(-5, 1) == -3);
    CHECK(ref::rounding_shift_right(-6, 2) == -2);
    CHECK(ref::rounding_shift_right(-5, 2) == -1);
    CHECK(ref::rounding_shift_right(INT32_MIN, 31) == -1);
    CHECK(ref::rounding_shift_right(-half, 31) == -1);
    CHECK(ref::rounding_shift_right(9, 0) == 9);

    CHECK(ref::scale(101, half, -1) == 26);  // 50.5 -> 51, 25.5 -> 26
    CHECK(ref::scale(3, half, 2) == 6);
    CHECK(ref::scale(INT32_MIN, half, -31) == -1);
    CHECK_FALSE(ref::scale(1 << 29, half, 2).has_value());  // 2^31 leaves int32: TFLite undefined
    CHECK(ref::scale(-(1 << 29), half, 2) == -(1 << 30));   // -2^31 still fits

    ref::requant_spec d = identity();
    d.diana_shift = 3;
    CHECK(ref::requantize(-9, 0, d) == -2);  // floor(-1.125)
    CHECK(ref::requantize(1100, 0, d) == 127);
    d.relu = true;
    d.clip_min = 10;
    CHECK(ref::requantize(-50, 0, d) == 10);
    CHECK_FALSE(ref::requantize(ref::i64{1} << 31, 0, d).has_value());  // accumulator outside int32

    ref::requant_spec t;
    t.multipliers = {half, half};
    t.shifts = {0, -1};
    t.output_zero_point = 3;
    CHECK(ref::requantize(100, 0, t) == 53);
    CHECK(ref::requantize(100, 1, t) == 28);
}

TEST_CASE("reference geometry: TFLite SAME / VALID and explicit pads") {
    const ref::geometry same = ref::resolve(3, 3, ref::window{2, 2, 2, 2, ref::pad_kind::same});
    CHECK(same.out_h == 2);
    CHECK(same.pad_top == 0);  // total 1: the odd one after
    const ref::geometry same5 = ref::resolve(5, 7, ref::window{4, 3, 1, 2, ref::pad_kind::same});
    CHECK(same5.out_h == 5);    // ceil(5 / 1)
    CHECK(same5.pad_top == 1);  // total 3 -> 1 before
    CHECK(same5.out_w == 4);    // ceil(7 / 2)
    CHECK(same5.pad_left == 1); // total (4-1)*2 + 3 - 7 = 2 -> 1 before
    const ref::geometry valid = ref::resolve(7, 7, ref::window{3, 2, 2, 2, ref::pad_kind::valid, 9, 9, 9, 9});
    CHECK(valid.out_h == 3);  // (7 - 3) / 2 + 1, explicit pads ignored
    CHECK(valid.out_w == 3);  // (7 - 2) / 2 + 1
    const ref::geometry pads = ref::resolve(1, 1, ref::window{1, 1, 1, 1, ref::pad_kind::explicit_pads, 2, 0, 2, 1});
    CHECK(pads.out_h == 3);
    CHECK(pads.out_w == 4);
    CHECK(pads.pad_left == 2);
}

TEST_CASE("reference conv2d / depthwise / dense (Eigen) on the hand-computed cases") {
    const ref::tensor nine = make(3, 3, 1, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    const auto box = ref::conv2d(nine, bytes(4, 1), 1, {}, ref::window{2, 2, 1, 1}, 0);
    CHECK(ref::requantize(box, identity())->data == bytes{12, 16, 24, 28});
    const auto same = ref::conv2d(nine, bytes(9, 1), 1, {}, ref::window{3, 3, 1, 1, ref::pad_kind::same}, 1);
    CHECK(same.values(0, 0) == 8);   // (1+2+4+5) - 4 * 1
    CHECK(same.values(4, 0) == 36);  // 45 - 9
    CHECK(ref::largest_magnitude(same) == 36);
    const auto two = ref::conv2d(make(1, 1, 2, {1, 2}), {3, -1, 0, 2}, 2, {5, -5}, ref::window{}, 0);
    CHECK(two.values(0, 0) == 6);  // 3 - 2 + 5
    CHECK(two.values(0, 1) == -1); // 4 - 5

    const auto dw = ref::depthwise_conv2d(make(2, 2, 2, {1, 10, 2, 20, 3, 30, 4, 40}), {1, 0, 1, 1, 1, 0, 1, -1}, {2, -2},
                                          ref::window{2, 2, 1, 1}, 0);
    ref::requant_spec shift1 = identity();
    shift1.diana_shift = 1;
    CHECK(ref::requantize(dw, shift1)->data == bytes{6, -11});

    const auto fc = ref::dense(make(1, 1, 3, {1, -2, 3}), {1, 1, 1, 2, 0, -1}, 2, {10, -10}, -1);
    CHECK(fc.values(0, 0) == 15);
    CHECK(fc.values(0, 1) == -10);
}

TEST_CASE("reference pools, add, clip, pad on the hand-computed cases") {
    auto avg4 = [](bytes v) { return int{ref::pool(make(2, 2, 1, v), ref::window{2, 2, 2, 2}, false, -128, 127).data[0]}; };
    CHECK(avg4({1, 2, 3, 5}) == 3);
    CHECK(avg4({1, 2, 3, 4}) == 3);     // 2.5 away from zero
    CHECK(avg4({-1, -2, -3, -4}) == -3);
    CHECK(avg4({1, 1, 1, 2}) == 1);
    const ref::tensor nine = make(3, 3, 1, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(ref::pool(nine, ref::window{2, 2, 2, 2, ref::pad_kind::same}, false, -128, 127).data == bytes{3, 5, 8, 9});
    CHECK(ref::pool(nine, ref::window{2, 2, 2, 2, ref::pad_kind::same}, true, -128, 127).data == bytes{5, 6, 8, 9});
    const ref::window empty{1, 1, 1, 1, ref::pad_kind::explicit_pads, 2, 0, 2, 0};
    CHECK(ref::pool(make(1, 1, 1, {-9}), empty, false, -128, 127).data == bytes{0, 0, 0, 0, 0, 0, 0, 0, -9});
    CHECK(ref::pool(make(1, 1, 1, {-9}), empty, true, -128, 127).data[0] == -128);
    CHECK(ref::global_avg_pool(make(2, 2, 2, {1, -1, 2, -2, 3, -3, 4, -4}), -128, 127).data == bytes{3, -3});

    ref::add_params p{1, -1, 2, 20, half, half, half, 0, 0, -19, -128, 127};
    CHECK(ref::add_tflite(make(1, 1, 3, {3, 127, -128}), make(1, 1, 3, {5, 127, -128}), p)->data == bytes{6, 127, -126});
    CHECK(ref::add_diana(make(1, 1, 5, {100, 100, -100, -3, -3}), make(1, 1, 5, {100, 27, -100, 1, 0}), 1, false, -128, 127)
              .data == bytes{100, 63, -100, -1, -2});
    CHECK(ref::clip(make(1, 1, 5, {-128, -5, 0, 5, 127}), -4, 6).data == bytes{-4, -4, 0, 5, 6});
    CHECK(ref::pad(make(1, 1, 2, {7, 8}), 1, 0, 1, 1, -3).data == bytes{-3, -3, -3, -3, -3, -3, -3, -3, 7, 8, -3, -3});
}

TEST_CASE("reference softmax: TFLite Micro's MLPerf Tiny rows, parameters, and hand cases") {
    const ref::softmax_params kws = ref::softmax_params_for(1.0, static_cast<double>(0.14469251036643982f));
    CHECK(kws.multiplier == 1242899200);
    CHECK(kws.left_shift == 24);
    CHECK(kws.diff_min == -124);
    CHECK(ref::softmax(make(1, 1, 12, {-68, -44, -36, -2, -56, -28, -54, -91, -81, 83, -128, 65}), kws).data ==
          bytes{-128, -128, -128, -128, -128, -128, -128, -128, -128, 110, -128, -110});
    CHECK(ref::softmax(make(1, 1, 10, {-88, -57, 7, 7, -127, -89, 21, -111, -9, -114}),
                       ref::softmax_params_for(1.0, static_cast<double>(0.17185351252555847f)))
              .data == bytes{-128, -128, -109, -109, -128, -128, 88, -128, -127, -128});
    CHECK(ref::softmax(make(1, 1, 2, {119, -126}), ref::softmax_params_for(1.0, static_cast<double>(0.014636218547821045f)))
              .data == bytes{121, -121});

    const ref::softmax_params one = ref::softmax_params_for(1.0, 1.0);
    CHECK(one.multiplier == half);
    CHECK(one.left_shift == 27);
    CHECK(one.diff_min == -15);
    CHECK(ref::softmax(make(1, 1, 2, {0, -1}), one).data == bytes{59, -59});
    CHECK(ref::softmax(make(1, 1, 3, {4, 4, 4}), one).data == bytes{-43, -43, -43});
    CHECK(ref::softmax(make(1, 1, 1, {4}), one).data == bytes{127});
    const ref::softmax_params capped = ref::softmax_params_for(1.0, 100.0);
    CHECK(capped.multiplier == INT32_MAX);
    CHECK(capped.left_shift == 31);
    CHECK(capped.diff_min == 0);
    CHECK(ref::softmax(make(1, 1, 3, {5, 5, 4}), capped).data == bytes{0, 0, -128});
    // 1024 equal values: 1/1024 of 256 = 0.25 -> 0 (TFLite itself stops on this row).
    CHECK(ref::softmax(make(1, 1, 1024, bytes(1024, 3)), one).data == bytes(1024, -128));
}
