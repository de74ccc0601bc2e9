// cpu_target's compile-time choice of output stage (htvm/cpu_target.hpp): a TFLite layer whose bias
// and multipliers prove every channel narrow (with |w| <= 128) gets a narrow-only stage, with the zero
// point folded into the rounding add where that fits too; one that cannot be proven, or whose bias or
// multipliers are not constants, keeps the per-channel run-time check.
// Each compiled network is also run and compared with the independent reference (tests/reference/).
#include <doctest/doctest.h>

#include <htvm/htvm.hpp>

#include <cstdint>
#include <vector>

#include "../../examples/common/random_weights.hpp"
#include "reference/htvm_bridge.hpp"
#include "reference/random.hpp"

namespace {

inline constexpr auto conv_weights = examples::make_random<std::int8_t, 8 * 3 * 3 * 4>(1, 127);
inline constexpr auto dw_weights = examples::make_random<std::int8_t, 3 * 3 * 8>(2, 127);
inline constexpr auto fc_weights = examples::make_random<std::int8_t, 5 * 3 * 3 * 8>(3, 3);
inline constexpr std::int32_t conv_bias[8] = {100, -2000, 30000, 0, -5, 7, 123456, -99999};
inline constexpr std::int32_t dw_bias[8] = {1, 2, 3, 4, -1, -2, -3, -4};
// fc's requantization (multiplier 2^30, right shift 24) leaves the narrow stage exact for
// |acc| < 2^31; its bias plus 255 * 128 * 72 goes beyond that (its weights, |w| <= 3, would not, but
// they are not read): fc keeps the run-time check, here the wide path.
inline constexpr std::int32_t fc_bias[5] = {2146000000, 2146000000, 2146000000, 2146000000, 2146000000};
inline constexpr std::int32_t conv_multipliers[8] = {1 << 30, 1 << 29, 1500000000, 1 << 30,
                                                     1 << 28, 2000000000, 1 << 30, 1 << 30};
// Channel 5's right shift of 29 with output zero point 5: 5 * 2^29 does not fit in 32 bits, so the
// zero point cannot be folded into the rounding add (the narrow stage adds it after the shift).
inline constexpr std::int32_t conv_shifts[8] = {-8, -7, -9, -8, -6, -29, -12, -11};

constexpr htvm::requant conv_rq = [] {
    htvm::tflite_requant t{.input_zero_point = -3, .output_zero_point = 5, .act_min = -128, .act_max = 127};
    t.multipliers = conv_multipliers;
    t.shifts = conv_shifts;
    return htvm::requant{t};
}();
constexpr htvm::requant dw_rq =
    htvm::tflite_requant{.multiplier = 1 << 30, .shift = -7, .input_zero_point = 5, .output_zero_point = -128};
constexpr htvm::requant fc_rq =
    htvm::tflite_requant{.multiplier = 1 << 30, .shift = -24, .input_zero_point = -128, .output_zero_point = -120};

inline constexpr htvm::network constant_net{
    htvm::input{.name = "in", .shape = {1, 6, 6, 4}},
    htvm::conv2d{.name = "conv", .filters = 8, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = conv_weights.values, .bias = conv_bias, .requant = conv_rq},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::same, .weights = dw_weights.values,
                           .bias = dw_bias, .requant = dw_rq},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 5, .weights = fc_weights.values, .bias = fc_bias, .requant = fc_rq},
};
using constant_model = htvm::model<constant_net>;

// The same network with its weights and the conv's bias in plain arrays, filled at run time: the
// weights are never read by the proof, the bias is.
std::int8_t mutable_conv_weights[sizeof(conv_weights.values)];
std::int8_t mutable_dw_weights[sizeof(dw_weights.values)];
std::int8_t mutable_fc_weights[sizeof(fc_weights.values)];
std::int32_t mutable_conv_bias[8];

inline constexpr htvm::network mutable_net{
    htvm::input{.name = "in", .shape = {1, 6, 6, 4}},
    htvm::conv2d{.name = "conv", .filters = 8, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = mutable_conv_weights, .bias = mutable_conv_bias, .requant = conv_rq},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::same, .weights = mutable_dw_weights,
                           .bias = dw_bias, .requant = dw_rq},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 5, .weights = mutable_fc_weights, .bias = fc_bias, .requant = fc_rq},
};
using mutable_model = htvm::model<mutable_net>;

// Depthwise layers: dw1 and dw2 have one geometry, dw4 another at the same stride (1): the three run
// on the shared 3x3 kernel. dw3 is the only one at stride 2: its own instance.
inline constexpr auto dw1_weights = examples::make_random<std::int8_t, 3 * 3 * 8>(4, 127);
inline constexpr auto dw2_weights = examples::make_random<std::int8_t, 3 * 3 * 8>(5, 127);
inline constexpr auto dw3_weights = examples::make_random<std::int8_t, 3 * 3 * 8>(6, 127);
inline constexpr auto dw4_weights = examples::make_random<std::int8_t, 3 * 3 * 8>(7, 127);
constexpr htvm::requant dw_chain_rq =
    htvm::tflite_requant{.multiplier = 1 << 30, .shift = -6, .input_zero_point = -4, .output_zero_point = -4};

inline constexpr htvm::depthwise_conv2d dw1{.name = "dw1", .kernel = {3, 3}, .padding = htvm::same,
                                             .weights = dw1_weights.values, .bias = dw_bias, .requant = dw_chain_rq};
inline constexpr htvm::depthwise_conv2d dw2{.name = "dw2", .kernel = {3, 3}, .padding = htvm::same,
                                             .weights = dw2_weights.values, .bias = dw_bias, .requant = dw_chain_rq};

inline constexpr htvm::network depthwise_net{
    htvm::input{.name = "in", .shape = {1, 6, 6, 8}},
    dw1,
    dw2,
    htvm::depthwise_conv2d{.name = "dw3", .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                           .weights = dw3_weights.values, .bias = dw_bias, .requant = dw_chain_rq},
    htvm::depthwise_conv2d{.name = "dw4", .kernel = {3, 3}, .padding = htvm::valid, .weights = dw4_weights.values,
                           .bias = dw_bias, .requant = dw_chain_rq},
};
using depthwise_model = htvm::model<depthwise_net>;

// One geometry, twice: its own instance, which both layers share.
inline constexpr htvm::network one_geometry_net{htvm::input{.name = "in", .shape = {1, 6, 6, 8}}, dw1, dw2};
using one_geometry_model = htvm::model<one_geometry_net>;

template <class Model, std::size_t N>
void check_against_reference(const htvm::network<N>& net, std::uint64_t seed, int channels = 4) {
    ref::rng r(seed);
    for (int trial = 0; trial < 20; ++trial) {
        ref::tensor input(6, 6, channels);
        for (auto& v : input.data) v = r.byte();
        const std::vector<ref::tensor> want = ref::run_network(net, input);
        REQUIRE_MESSAGE(!want.back().data.empty(), "the reference found a TFLite-undefined case");
        std::vector<std::int8_t> got(static_cast<std::size_t>(Model::output_bytes));
        Model::run(input.data.data(), got.data());
        INFO("trial " << trial);
        CHECK(got == want.back().data);
    }
}

}  // namespace

TEST_CASE("cpu_target: a layer proven narrow at compile time gets the narrow-only output stage") {
    using htvm::cpu::output_arith;
    constexpr auto& graph = constant_model::graph;
    CHECK(htvm::detail::own_output_arith<constant_net, graph, 1>() == output_arith::tflite_narrow);  // conv: zp unfoldable
    CHECK(htvm::detail::own_output_arith<constant_net, graph, 2>() == output_arith::tflite_narrow_folded);  // depthwise
    CHECK(htvm::detail::own_output_arith<constant_net, graph, 4>() == output_arith::tflite);  // fc: not provable
    // The network compiles one narrow stage: the conv's, which the depthwise layer can run too.
    CHECK(htvm::detail::some_layer_adds_zero_point_after_shift<constant_net, graph>);
    CHECK(htvm::mac_output_arith<constant_net, graph, 1>() == output_arith::tflite_narrow);
    CHECK(htvm::mac_output_arith<constant_net, graph, 2>() == output_arith::tflite_narrow);
    CHECK(htvm::mac_output_arith<constant_net, graph, 4>() == output_arith::tflite);
}

TEST_CASE("cpu_target: a bias that is not a constant keeps the run-time check; weights do not matter") {
    using htvm::cpu::output_arith;
    constexpr auto& graph = mutable_model::graph;
    CHECK(htvm::mac_output_arith<mutable_net, graph, 1>() == output_arith::tflite);         // its bias
    CHECK(htvm::mac_output_arith<mutable_net, graph, 2>() == output_arith::tflite_narrow_folded);  // weights only
    CHECK(htvm::mac_output_arith<mutable_net, graph, 4>() == output_arith::tflite);
    // No layer needs the after-shift stage: the depthwise layer keeps the folded one.
    CHECK_FALSE(htvm::detail::some_layer_adds_zero_point_after_shift<mutable_net, graph>);
}

TEST_CASE("cpu_target: both compiled forms equal the reference") {
    check_against_reference<constant_model>(constant_net, 0xC0FFEE01);
    std::copy(std::begin(conv_weights.values), std::end(conv_weights.values), mutable_conv_weights);
    std::copy(std::begin(dw_weights.values), std::end(dw_weights.values), mutable_dw_weights);
    std::copy(std::begin(fc_weights.values), std::end(fc_weights.values), mutable_fc_weights);
    std::copy(std::begin(conv_bias), std::end(conv_bias), mutable_conv_bias);
    check_against_reference<mutable_model>(mutable_net, 0xC0FFEE01);
}

TEST_CASE("cpu_target: depthwise layers share the 3x3 kernel when it replaces two or more instances") {
    constexpr auto& graph = depthwise_model::graph;
    static_assert(graph.output[4] == htvm::shape{1, 1, 1, 8}, "dw4 is the 3x3 VALID geometry");
    CHECK(htvm::detail::depthwise_sharing<depthwise_net, graph>[1]);
    CHECK(htvm::detail::depthwise_sharing<depthwise_net, graph>[2]);
    CHECK_FALSE(htvm::detail::depthwise_sharing<depthwise_net, graph>[3]);  // the only one at stride 2
    CHECK(htvm::detail::depthwise_sharing<depthwise_net, graph>[4]);
    CHECK_FALSE(htvm::detail::depthwise_sharing<one_geometry_net, one_geometry_model::graph>[1]);
    CHECK_FALSE(htvm::detail::depthwise_sharing<one_geometry_net, one_geometry_model::graph>[2]);
    // Either way the output is the reference's.
    check_against_reference<depthwise_model>(depthwise_net, 0xC0FFEE02, 8);
    check_against_reference<one_geometry_model>(one_geometry_net, 0xC0FFEE03, 8);
}
