// int8 softmax: against TFLite Micro's own outputs (MLPerf Tiny golden runs), hand-computed cases,
// its parameter computation, and a float tolerance check.
//
// Golden rows: the softmax input (logits) and output tensors of seed 1 of the MLPerf Tiny golden runs
// (kws_ref_model, pretrainedResnet_quant, vww_96_int8), made with the TFLite Micro reference kernels;
// the input scales and beta are those of the models' SOFTMAX operators. MLPerf Tiny models and data
// are Apache-2.0 (tests/reference/LICENSE-mlperf-tiny.md).
#include <doctest/doctest.h>

#include <htvm/kernels/softmax.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "reference/random.hpp"

namespace {

template <std::size_t N>
constexpr std::array<std::int8_t, N> softmax_row(const std::array<std::int8_t, N>& in, htvm::tflite_softmax_params p) {
    std::array<std::int8_t, N> out{};
    htvm::cpu::softmax(1, static_cast<int>(N), p, in.data(), out.data());
    return out;
}

// kws_ref_model: tensor 33 (scale 0.14469251f, zero point 14) -> tensor 34.
constexpr float kws_scale = 0.14469251036643982f;
constexpr std::array<std::int8_t, 12> kws_logits = {-68, -44, -36, -2, -56, -28, -54, -91, -81, 83, -128, 65};
constexpr std::array<std::int8_t, 12> kws_probabilities = {-128, -128, -128, -128, -128, -128,
                                                           -128, -128, -128, 110,  -128, -110};
// pretrainedResnet_quant: tensor 36 -> 37.
constexpr float ic_scale = 0.17185351252555847f;
constexpr std::array<std::int8_t, 10> ic_logits = {-88, -57, 7, 7, -127, -89, 21, -111, -9, -114};
constexpr std::array<std::int8_t, 10> ic_probabilities = {-128, -128, -109, -109, -128, -128, 88, -128, -127, -128};
// vww_96_int8: tensor 87 -> 88.
constexpr float vww_scale = 0.014636218547821045f;
constexpr std::array<std::int8_t, 2> vww_logits = {119, -126};
constexpr std::array<std::int8_t, 2> vww_probabilities = {121, -121};

// The three golden rows hold at compile time: the kernel and the parameter helper are constexpr.
static_assert(softmax_row(kws_logits, htvm::tflite_softmax_params_for(1.0, kws_scale)) == kws_probabilities,
              "kws softmax differs from TFLite Micro");
static_assert(softmax_row(ic_logits, htvm::tflite_softmax_params_for(1.0, ic_scale)) == ic_probabilities,
              "ic softmax differs from TFLite Micro");
static_assert(softmax_row(vww_logits, htvm::tflite_softmax_params_for(1.0, vww_scale)) == vww_probabilities,
              "vww softmax differs from TFLite Micro");

void check_params(double beta, double scale, std::int32_t multiplier, std::int32_t shift, std::int32_t diff_min) {
    INFO("beta " << beta << " scale " << scale);
    const htvm::tflite_softmax_params p = htvm::tflite_softmax_params_for(beta, scale);
    CHECK(p.input_multiplier == multiplier);
    CHECK(p.input_left_shift == shift);
    CHECK(p.diff_min == diff_min);
}

}  // namespace

TEST_CASE("softmax reproduces TFLite Micro on the MLPerf Tiny classifiers' last layer") {
    CHECK(softmax_row(kws_logits, htvm::tflite_softmax_params_for(1.0, kws_scale)) == kws_probabilities);
    CHECK(softmax_row(ic_logits, htvm::tflite_softmax_params_for(1.0, ic_scale)) == ic_probabilities);
    CHECK(softmax_row(vww_logits, htvm::tflite_softmax_params_for(1.0, vww_scale)) == vww_probabilities);
    // Rows are independent: the kws row twice in one call.
    std::array<std::int8_t, 24> two{}, out{};
    for (std::size_t i = 0; i < 12; ++i) two[i] = two[i + 12] = kws_logits[i];
    htvm::cpu::softmax(2, 12, htvm::tflite_softmax_params_for(1.0, kws_scale), two.data(), out.data());
    for (std::size_t i = 0; i < 12; ++i) {
        CHECK(out[i] == kws_probabilities[i]);
        CHECK(out[i + 12] == kws_probabilities[i]);
    }
}

TEST_CASE("softmax parameters: PreprocessSoftmaxScaling + CalculateInputRadius, worked by hand") {
    // kws: 0.14469251f * 2^26 = 9710150 = 0.5787... * 2^24: multiplier 9710150 * 2^7 = 1242899200,
    // shift 24, diff_min = -floor(31 * 2^26 / 2^24) = -124.
    check_params(1.0, kws_scale, 1242899200, 24, -124);
    check_params(1.0, ic_scale, 1476210432, 24, -124);      // 11532894 * 2^7
    check_params(1.0, vww_scale, 2011586560, 20, -1984);    // 982220 * 2^11; 31 * 2^6
    // beta * scale = 1: 2^26 = 0.5 * 2^27 -> (2^30, 27), diff_min = -floor(31 / 2) = -15.
    check_params(1.0, 1.0, 1 << 30, 27, -15);
    check_params(0.5, 2.0, 1 << 30, 27, -15);
    // Huge beta * scale: capped at 2^31 - 1 = (1 - 2^-31) * 2^31 -> (2^31 - 1, 31), diff_min 0.
    check_params(1.0, 100.0, INT32_MAX, 31, 0);
    // scale 2^-25: real 2 = 0.5 * 2^2 -> (2^30, 2), diff_min = -31 * 2^24 = -520093696.
    check_params(1.0, 1.0 / 33554432.0, 1 << 30, 2, -520093696);
    // TFLite refuses beta * scale * 2^26 <= 1.
    CHECK(htvm::tflite_softmax_params_supported(1.0, 1.0 / 33554432.0));
    CHECK_FALSE(htvm::tflite_softmax_params_supported(1.0, 1e-9));
    CHECK_FALSE(htvm::tflite_softmax_params_supported(1.0, 1.0 / 67108864.0));  // exactly 1: not above
    check_params(1.0, 1e-9, 0, 0, 0);
    static_assert(htvm::tflite_softmax_params_for(1.0, 1.0).input_left_shift == 27, "usable in constexpr");
}

TEST_CASE("softmax of equal inputs splits 256 evenly; the output zero point is -128") {
    const auto p = htvm::tflite_softmax_params_for(1.0, 0.05);
    auto equal = [&](int depth, std::int8_t value) {
        std::vector<std::int8_t> in(static_cast<std::size_t>(depth), value), out(in.size());
        htvm::cpu::softmax(1, depth, p, in.data(), out.data());
        for (auto v : out) CHECK(v == out[0]);
        return int{out[0]};
    };
    CHECK(equal(1, 17) == 127);     // 256 - 128 = 128, saturated to 127
    CHECK(equal(2, -128) == 0);     // 128 - 128
    CHECK(equal(3, 127) == -43);    // 85.33 - 128
    CHECK(equal(4, 5) == -64);      // 64 - 128
    CHECK(equal(8, 5) == -96);      // 32 - 128
    CHECK(equal(256, 0) == -127);   // 1 - 128
    CHECK(equal(1024, 0) == -128);  // 0.25 rounds to 0
}

TEST_CASE("softmax: differences below diff_min count as exp = 0 and give -128") {
    // Saturated scaling (diff_min 0): only the row maxima share the probability.
    const auto p = htvm::tflite_softmax_params_for(1.0, 100.0);
    REQUIRE(p.diff_min == 0);
    std::array<std::int8_t, 2> a = {5, 4};
    CHECK(softmax_row(a, p) == std::array<std::int8_t, 2>{127, -128});
    std::array<std::int8_t, 3> b = {5, 5, 4};
    CHECK(softmax_row(b, p) == std::array<std::int8_t, 3>{0, 0, -128});
    // beta * scale = 1 (diff_min -15): a difference of -16 is skipped, -15 is not (exp(-15) * 256 ~ 0).
    const auto q = htvm::tflite_softmax_params_for(1.0, 1.0);
    std::array<std::int8_t, 2> c = {0, -16};
    CHECK(softmax_row(c, q) == std::array<std::int8_t, 2>{127, -128});
    // exp(-1) / (1 + exp(-1)) = 0.2689 -> 68.8 -> 69 - 128 = -59; 0.7311 -> 187.2 -> 59.
    std::array<std::int8_t, 2> d = {0, -1};
    CHECK(softmax_row(d, q) == std::array<std::int8_t, 2>{59, -59});
    // In place, as a network may run it.
    htvm::cpu::softmax(1, 2, q, d.data(), d.data());
    CHECK(d == std::array<std::int8_t, 2>{59, -59});
}

TEST_CASE("softmax fixed-point pieces on hand-checked values") {
    using namespace htvm::fixed_point;
    CHECK(exp_on_negative_values_q5(0) == INT32_MAX);  // exp(0) = 1
    // exp(-1) * 2^31 = 790015084.2 and exp(-1/4) * 2^31 = 1672461947.3; the Q5 path goes through the
    // Taylor polynomial at -1/4 (error about (1/8)^5 / 5! = 2.5e-7, i.e. ~550 units of 2^-31).
    CHECK(std::abs(exp_on_negative_values_q5(-(1 << 26)) - 790015084) <= 1000);
    CHECK(std::abs(exp_on_negative_values_q5(-(1 << 24)) - 1672461947) <= 1000);
    CHECK(exp_on_negative_values_q5(-(1 << 26)) < exp_on_negative_values_q5(-(1 << 24)));  // decreasing
    // exp(-32) * 2^31 = 0.027 -> 0.
    CHECK(exp_on_negative_values_q5(INT32_MIN) == 0);
    // 1 / (1 + 0) ~ 1, 1 / (1 + 1/2) = 2/3 * 2^31 = 1431655765.3.
    CHECK(INT32_MAX - one_over_one_plus_x_for_x_in_0_1(0) <= 4);
    CHECK(std::abs(one_over_one_plus_x_for_x_in_0_1(1 << 30) - 1431655765) <= 4);
    // GetReciprocal of 1.5 in Q12 (1.5 * 2^19): x = 1.5 = 2^0 * (1 + 1/2): 2/3 and 0 bits over unit;
    // of 3.0 (3 * 2^19): 2^1 * 1.5: 2/3 and 1 bit.
    const reciprocal r1 = get_reciprocal(3 << 18, 12), r2 = get_reciprocal(3 << 19, 12);
    CHECK(r1.bits_over_unit == 0);
    CHECK(r2.bits_over_unit == 1);
    CHECK(r1.scale == r2.scale);
    CHECK(std::abs(r1.scale - 1431655765) <= 4);
}

TEST_CASE("leading_zeros equals std::countl_zero") {
    using htvm::fixed_point::leading_zeros;
    CHECK(leading_zeros(0) == 32);
    CHECK(leading_zeros(1) == 31);
    CHECK(leading_zeros(0x80000000u) == 0);
    CHECK(leading_zeros(0xFFFFFFFFu) == 0);
    ref::rng r(0x5EED0C1A);
    for (int i = 0; i < 10000; ++i) {
        // Values of every magnitude: a random word shifted right by 0..31.
        const auto x = static_cast<std::uint32_t>(r.uniform(0, 0xFFFFFFFFll)) >> r.between(0, 31);
        REQUIRE(leading_zeros(x) == std::countl_zero(x));
    }
}

TEST_CASE("softmax stays within 1 of round(256 * float softmax) - 128 on random rows") {
    ref::rng r(0x50F7);
    int worst = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const double beta = 0.2 + 2.0 * r.unit(), scale = std::pow(10.0, -2.5 + 2.5 * r.unit());
        const auto p = htvm::tflite_softmax_params_for(beta, scale);
        const int depth = r.between(1, 40);
        std::vector<std::int8_t> in(static_cast<std::size_t>(depth)), out(in.size());
        for (auto& v : in) v = r.byte();
        htvm::cpu::softmax(1, depth, p, in.data(), out.data());
        int max = -128;
        for (auto v : in) max = v > max ? v : max;
        double sum = 0;
        for (auto v : in) sum += std::exp(beta * scale * (v - max));
        for (int c = 0; c < depth; ++c) {
            const double expected = std::round(256.0 * std::exp(beta * scale * (in[c] - max)) / sum) - 128.0;
            const int error = static_cast<int>(std::abs(out[c] - std::min(expected, 127.0)));
            worst = error > worst ? error : worst;
        }
    }
    CHECK(worst <= 1);
}
