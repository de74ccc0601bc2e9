// Tiling real layers: every MLPerf Tiny accelerator layer under DIANA's budgets and under tight
// ones, executed tile by tile and compared with the untiled kernel; and a network whose plans come
// from its graph (htvm::tiling::network_plans), each tiled layer compared with what model::run
// computed for it.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <htvm/diana/objectives.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>
#include <mlperf_tiny_layers.hpp>

namespace {

using namespace htvm::tiling;
using htvm::diana::analog_array_objective;
using htvm::diana::digital_array_objective;

constexpr memory_limits diana_digital{.l1_bytes = 256'000, .weight_bytes = 64'000, .weight_bits = 8, .bias_bytes = 4,
                                      .min_tile_k = 16, .double_buffer = true};
constexpr memory_limits diana_analog{.l1_bytes = 256'000, .weight_bytes = 147'456, .weight_bits = 2,
                                     .array_rows = 1152, .array_columns = 512, .double_buffer = true};

std::vector<std::int8_t> random_bytes(std::mt19937& rng, long long count) {
    std::uniform_int_distribution<int> byte(-128, 127);
    std::vector<std::int8_t> v(static_cast<std::size_t>(count));
    for (auto& x : v) x = static_cast<std::int8_t>(byte(rng));
    return v;
}

// Runs `p` untiled and tiled under `plan`; true when the outputs are identical.
bool tiled_matches_untiled(std::mt19937& rng, const tile_problem& p, const tile_plan& plan) {
    const auto input = random_bytes(rng, p.in.elements());
    const auto weights = random_bytes(rng, p.weight_elements(p.out.c));
    std::vector<std::int32_t> bias(static_cast<std::size_t>(p.out.c));
    for (auto& b : bias) b = std::uniform_int_distribution<int>(-3000, 3000)(rng);
    const htvm::requant rq = htvm::shift_requant{.shift = 7, .relu = true};
    std::vector<std::int8_t> expected(static_cast<std::size_t>(p.out.elements())), actual(expected.size(), 0x11);
    const htvm::cpu::window_geometry g{p.in, p.out, p.kernel, p.stride, p.pad_top, p.pad_left};
    switch (p.kind) {
        case tile_op::conv2d: htvm::cpu::conv2d(g, input.data(), weights.data(), bias.data(), rq, expected.data()); break;
        case tile_op::depthwise_conv2d:
            htvm::cpu::depthwise_conv2d(g, input.data(), weights.data(), bias.data(), rq, expected.data());
            break;
        case tile_op::dense:
            htvm::cpu::dense(p.in.c, p.out.c, input.data(), weights.data(), bias.data(), rq, expected.data());
            break;
    }
    std::vector<std::int8_t> l1(static_cast<std::size_t>(plan.l1_bytes)), weight_memory(static_cast<std::size_t>(plan.weight_tile_elements));
    cpu_tile_kernel kernel{p.kind, bias.data(), rq};
    run_tiled(plan, tiled_io{input.data(), weights.data(), actual.data(), l1.data(), weight_memory.data()}, kernel);
    return actual == expected;
}

TEST_CASE("MLPerf Tiny layers: planned on DIANA's arrays and in tight L1s, tiled bit-exactly") {
    std::mt19937 rng(7);
    int tiled = 0, heavy = 0;
    for (int i = 0; i < htvm::bench::mlperf_tiny_layer_count; ++i) {
        const auto& layer = htvm::bench::mlperf_tiny_layers[i];
        CAPTURE(std::string(layer.network) + " " + layer.name);
        const tile_problem& p = layer.problem;
        const tile_plan digital = plan_tiles(p, diana_digital, digital_array_objective);
        REQUIRE(digital.ok());
        // DIANA's 256 kB L1 holds every MLPerf Tiny layer whole; only the weight memory splits the
        // layers whose weights pass 64,000 B (VWW pw13, AD fc1 and fc10) into output-channel tiles.
        const bool weights_fit = p.weight_elements(p.out.c) + 4LL * p.out.c <= 64'000;
        CHECK(digital.tiles_h == 1);
        CHECK(digital.tiles_w == 1);
        CHECK(digital.tile_count == (weights_fit ? 1 : digital.tiles_k));
        CHECK((weights_fit || digital.tiles_k > 1));
        heavy += !weights_fit;
        if (p.kind != tile_op::depthwise_conv2d) {
            const tile_plan analog = plan_tiles(p, diana_analog, analog_array_objective);
            REQUIRE(analog.ok());
            CHECK(analog.tile_k == (p.out.c < 512 ? p.out.c : 512));
        }
        for (int l1 : {16'000, 4'000, 1'500}) {
            const memory_limits m{.l1_bytes = l1, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true};
            const tile_plan plan = plan_tiles(p, m, digital_array_objective);
            REQUIRE(plan.ok());
            CHECK(plan.l1_bytes <= l1);
            tiled += plan.tiled();
            CHECK(tiled_matches_untiled(rng, p, plan));
        }
    }
    CHECK(tiled >= 60);
    CHECK(heavy == 3);
}

// ---- a network, planned from its graph ----------------------------------------------------------

std::int8_t w_conv[16 * 7 * 5 * 3], w_dw[3 * 3 * 16], w_pw[24 * 16], w_fc[10 * 6 * 5 * 24];
std::int32_t b_conv[16], b_pw[24], b_fc[10];

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 23, 19, 3}},
    htvm::conv2d{.name = "conv7x5", .filters = 16, .kernel = {7, 5}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = w_conv, .bias = b_conv, .requant = htvm::shift_requant{.shift = 8, .relu = true}},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::pads(1, 0, 1, 1),
                           .weights = w_dw, .requant = htvm::shift_requant{.shift = 5}},
    htvm::conv2d{.name = "pw", .filters = 24, .weights = w_pw, .bias = b_pw,
                 .requant = htvm::shift_requant{.shift = 6, .relu = true}},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 10, .weights = w_fc, .bias = b_fc, .requant = htvm::shift_requant{.shift = 9}},
};
using model = htvm::model<net>;

constexpr memory_limits tight{.l1_bytes = 1'200, .weight_bytes = 2'000, .bias_bytes = 4, .double_buffer = true};

struct tight_platform {
    template <class Net, class Graph>
    static constexpr layer_tiling tiling(const Net& n, const Graph&, std::size_t i) {
        if (!tileable(n.layers[i])) return {};
        return {true, tight, digital_array_objective, htvm::to_layer_name("tight")};
    }
};
using plans = network_plans<net, model::graph, tight_platform>;

static_assert(model::graph.output[1] == htvm::shape{1, 12, 10, 16});
static_assert(model::graph.output[2] == htvm::shape{1, 6, 5, 16});
static_assert(plans::plans[1].ok() && plans::plans[1].tiled());
static_assert(plans::plans[1].problem.pad_top == 3 && plans::plans[1].problem.pad_left == 2);  // SAME, 7x5, stride 2
static_assert(plans::plans[2].ok() && plans::plans[2].problem.pad_top == 1 && plans::plans[2].problem.pad_left == 1);
static_assert(plans::plans[3].ok() && plans::plans[5].ok());
static_assert(!plans::plans[0].ok() && !plans::plans[4].ok());  // input, flatten: not tiled
// fc: 720 features; 16 units need 16 x 724 > 2,000 B, so the tile is 2 units (1,448 B).
static_assert(plans::plans[5].problem.in.c == 720 && plans::plans[5].tile_k == 2 && plans::plans[5].tiles_k == 5);

// Keeps each layer's input and output as model::run computed them.
struct recorder {
    std::vector<std::vector<std::int8_t>> outputs = std::vector<std::vector<std::int8_t>>(net.size());
    void before_layer(std::size_t, const htvm::layer_info&) {}
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* out, const htvm::shape& s) {
        outputs[i].assign(out, out + s.elements());
    }
};

template <std::size_t i>
void check_layer(const recorder& r) {
    constexpr tile_plan plan = plans::plans[i];
    using op_type = htvm::operator_at<net.layers[i].kind>;
    constexpr const op_type& l = htvm::get<op_type>(net.layers[i]);
    const auto& input = r.outputs[static_cast<std::size_t>(model::graph.producer[i][0])];
    std::vector<std::int8_t> out(r.outputs[i].size(), 0x22), l1(plan.l1_bytes), weight_memory(plan.weight_tile_elements);
    cpu_tile_kernel kernel{plan.problem.kind, l.bias.data, l.requant};
    run_tiled(plan, tiled_io{input.data(), l.weights.data, out.data(), l1.data(), weight_memory.data()}, kernel);
    CAPTURE(l.name);
    CHECK(out == r.outputs[i]);
}

TEST_CASE("a network's layers, planned from its graph and tiled, reproduce model::run") {
    std::mt19937 rng(11);
    auto fill = [&](auto& array, int lo, int hi) {
        for (auto& v : array) v = static_cast<std::remove_reference_t<decltype(v)>>(std::uniform_int_distribution<int>(lo, hi)(rng));
    };
    fill(w_conv, -128, 127), fill(w_dw, -128, 127), fill(w_pw, -128, 127), fill(w_fc, -128, 127);
    fill(b_conv, -2000, 2000), fill(b_pw, -2000, 2000), fill(b_fc, -2000, 2000);
    std::int8_t image[model::input_bytes], result[model::output_bytes];
    fill(image, -128, 127);
    recorder r{};
    r.outputs[0].assign(image, image + model::input_bytes);
    model::run(image, result, r);
    for (std::size_t i = 1; i < net.size(); ++i) REQUIRE(!r.outputs[i].empty());
    check_layer<1>(r);
    check_layer<2>(r);
    check_layer<3>(r);
    check_layer<5>(r);
}

}  // namespace
