// Kernel property tests: softmax and its parameters (TFLite's Prepare), and its fixed-point helpers
// at full precision. What they promise, and the helpers they share: property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/kernels/softmax.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

TEST_CASE("property: softmax equals the reference, its parameters equal TFLite's Prepare (300 random layers)") {
    rng r(0x5EED0015);
    int failures = 0;
    for (int done = 0; done < 300 && failures < 5; ++done) {
        // Parameters from (beta, input scale): typical, saturated (left shift 31) or barely above
        // TFLite's lower limit (beta * scale * 2^26 just over 1).
        double beta = 0.05 + 5.0 * r.unit(), scale = std::pow(10.0, -4.0 + 4.3 * r.unit());
        const int kind = r.between(0, 9);
        if (kind == 0) scale = 100.0 + 1e6 * r.unit();
        if (kind == 1) {
            beta = 1.0;
            scale = (1.0 + 3.0 * r.unit()) / static_cast<double>(1 << 26);
        }
        if (kind == 2) beta = static_cast<double>(static_cast<float>(beta)), scale = static_cast<double>(static_cast<float>(scale));
        REQUIRE(htvm::tflite_softmax_params_supported(beta, scale));
        const htvm::tflite_softmax_params hp = htvm::tflite_softmax_params_for(beta, scale);
        const ref::softmax_params rp = ref::softmax_params_for(beta, scale);
        CHECK(hp.input_multiplier == rp.multiplier);
        CHECK(hp.input_left_shift == rp.left_shift);
        CHECK(hp.diff_min == rp.diff_min);

        // Mostly short rows; some long enough (512+ near-equal values) for the sum of exps to pass 512,
        // where TFLite stops and htvm returns the rounded probability 0.
        const int depth_kind = r.between(0, 19);
        const int rows = r.between(1, 4);
        const int depth = depth_kind < 14 ? r.between(1, 64) : depth_kind < 19 ? r.between(65, 300) : r.between(500, 2000);
        tensor in(1, rows, depth);
        const int pattern = depth > 400 && r.percent(60) ? r.between(4, 6) : r.between(0, 9);
        const int top = r.between(-128, 127);
        for (auto& v : in.data) {
            if (pattern < 4) v = r.byte();                                                      // anything
            else if (pattern < 6) v = static_cast<std::int8_t>(std::max(-128, top - r.between(0, 10)));  // close values
            else if (pattern < 7) v = static_cast<std::int8_t>(top);                           // all equal
            else if (pattern < 8) v = r.percent(50) ? std::int8_t{-128} : (r.percent(50) ? std::int8_t{127} : r.byte());
            else v = static_cast<std::int8_t>(std::clamp(top + rp.diff_min + r.between(-2, 2), -128, 127));  // near diff_min
        }
        if (pattern >= 8) in.data[0] = static_cast<std::int8_t>(top);  // the row maximum sits diff_min above
        const tensor want = ref::softmax(in, rp);
        std::vector<std::int8_t> got = in.data;
        const bool in_place = r.percent(50);
        std::vector<std::int8_t> separate(got.size());
        htvm::cpu::softmax(rows, depth, hp, got.data(), in_place ? got.data() : separate.data());
        if (!in_place) got = separate;
        std::ostringstream o;
        o << "softmax rows " << rows << " depth " << depth << " pattern " << pattern << " m " << rp.multiplier << " ls "
          << rp.left_shift << " diff_min " << rp.diff_min;
        if (!same_bytes(got, want.data, o.str())) ++failures;
    }
}

TEST_CASE("property: softmax fixed-point helpers equal the reference at full precision") {
    // The int8 output hides the low bits of exp and of the reciprocal; compare the raw Q values.
    rng r(0x5EED000C);
    int mismatches = 0;
    for (int i = 0; i < 50000 && mismatches < 5; ++i) {
        const int p = r.between(0, 9);
        const auto a = static_cast<std::int32_t>(p == 0 ? -r.uniform(0, 1 << 26)  // exp(-2) .. 1
                                                 : p == 1 ? INT32_MIN + r.uniform(0, 3)
                                                          : r.uniform(INT32_MIN, 0));
        const std::int32_t e = htvm::fixed_point::exp_on_negative_values_q5(a);
        if (e != ref::exp_negative(ref::fixed<5>::from_raw(a)).raw) {
            ++mismatches;
            FAIL_CHECK("exp_on_negative_values_q5(" << a << ") = " << e);
        }
        const auto x = static_cast<std::int32_t>(p < 2 ? r.uniform(0, 3) + (p == 0 ? 0 : INT32_MAX - 3) : r.uniform(0, INT32_MAX));
        const std::int32_t inv = htvm::fixed_point::one_over_one_plus_x_for_x_in_0_1(x);
        if (inv != ref::one_over_one_plus(ref::fixed<0>::from_raw(x)).raw) {
            ++mismatches;
            FAIL_CHECK("one_over_one_plus_x_for_x_in_0_1(" << x << ") = " << inv);
        }
    }
    CHECK(mismatches == 0);
}
