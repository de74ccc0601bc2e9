// Tiling on DIANA through the target: layers too big for L1 or for a weight memory in one piece run
// tile by tile on the digital and analog simulators (target.hpp), and every layer output equals the
// independent Eigen reference (tests/reference/diana_network.hpp) computed on the whole, untiled
// tensors. Geometries are fixed (a network is a compile-time constant); weights, biases, batch-norm
// constants and inputs are random, several seeds each.
#include "reference/random.hpp"
#include "reference/diana_examples.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace {

using namespace htvm::diana;
constexpr htvm::shift_requant rq11{.shift = 11, .relu = false};
constexpr htvm::shift_requant rq8{.shift = 8, .relu = true};
constexpr htvm::shift_requant rq7{.shift = 7};
// A layer too big for L1 has tensors of more than 128 KB, so it sits between a small input and a
// small output (the caller's input and output buffers count against L2, target.hpp): a 1x1 conv
// widens 4 channels first, a 2x2 average pool shrinks the result. The layer under test is layer 2.
std::int8_t pre_w[32 * 4];
std::int32_t pre_b[32];

// ---- a 3x3 conv whose tensors exceed L1: 98,304 B in + 163,840 B out > 256,000 B ---------------
std::int8_t conv_w[40 * 3 * 3 * 24];
std::int32_t conv_b[40], conv_k[40], conv_l[40];
std::uint8_t conv_t[3 * 3 * 24 * 10];  // 216 rows x ceil(40 / 4) bytes
inline constexpr htvm::network conv_net{
    htvm::input{.name = "in", .shape = {1, 64, 64, 4}},
    htvm::conv2d{.name = "widen", .filters = 24, .weights = {pre_w, 24 * 4}, .bias = {pre_b, 24}, .requant = rq7},
    htvm::conv2d{.name = "conv", .filters = 40, .kernel = {3, 3}, .padding = htvm::same, .weights = conv_w, .bias = conv_b,
                 .requant = rq11},
    htvm::avg_pool{.name = "pool", .window = {2, 2}, .stride = {2, 2}},
};
inline constexpr layer_form conv_forms[] = {
    {.layer = "conv", .analog = {.weights = {conv_t, 40 * 216}, .scale = conv_k, .offset = conv_l, .shift = 2}}};

// ---- a stride-2 conv, valid padding: 209,952 B in + 102,400 B out ------------------------------
std::int8_t s2_w[64 * 3 * 3 * 32];
std::int32_t s2_b[64], s2_k[64], s2_l[64];
std::uint8_t s2_t[3 * 3 * 32 * 16];
inline constexpr htvm::network stride_net{
    htvm::input{.name = "in", .shape = {1, 81, 81, 4}},
    htvm::conv2d{.name = "widen", .filters = 32, .weights = pre_w, .bias = pre_b, .requant = rq7},
    htvm::conv2d{.name = "s2", .filters = 64, .kernel = {3, 3}, .stride = {2, 2}, .weights = s2_w, .bias = s2_b,
                 .requant = rq11},
    htvm::avg_pool{.name = "pool", .window = {2, 2}, .stride = {2, 2}},
};
inline constexpr layer_form stride_forms[] = {
    {.layer = "s2", .analog = {.weights = {s2_t, 64 * 288}, .scale = s2_k, .offset = s2_l, .shift = 1, .relu = true}}};

// ---- a depthwise conv over 165,888 B in and out ------------------------------------------------
std::int8_t dw_w[3 * 3 * 32];
std::int32_t dw_b[32];
inline constexpr htvm::network depthwise_net{
    htvm::input{.name = "in", .shape = {1, 72, 72, 4}},
    htvm::conv2d{.name = "widen", .filters = 32, .weights = pre_w, .bias = pre_b, .requant = rq7},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::same, .weights = dw_w, .bias = dw_b, .requant = rq8},
    htvm::avg_pool{.name = "pool", .window = {2, 2}, .stride = {2, 2}},
};

// ---- a dense layer whose 2000 x 96 weights (192,000 B) exceed the digital weight memory --------
std::int8_t fc_w[96 * 2000];
std::int32_t fc_b[96];
inline constexpr htvm::network dense_net{
    htvm::input{.name = "in", .shape = {1, 1, 1, 2000}},
    htvm::dense{.name = "fc", .units = 96, .weights = fc_w, .bias = fc_b, .requant = rq11},
};

// ---- a 1x1 conv with 600 output channels: wider than the 512 analog columns --------------------
std::int8_t wide_w[600 * 64];
std::int32_t wide_b[600], wide_k[600], wide_l[600];
std::uint8_t wide_t[64 * 150];
inline constexpr htvm::network wide_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 64}},
    htvm::conv2d{.name = "wide", .filters = 600, .weights = wide_w, .bias = wide_b, .requant = rq11},
};
inline constexpr layer_form wide_forms[] = {
    {.layer = "wide", .analog = {.weights = {wide_t, 600 * 64}, .scale = wide_k, .offset = wide_l, .shift = 1}}};

// ---- the same kinds of tiles from build-time arranged weights: each output-channel tile is then a
// contiguous slice of whole 16-channel blocks of the arranged array (arranged here at run time,
// from the random weights, with the layout's own function) ----------------------------------------
constexpr layout::digital_weights fc_shape{layout::weight_kind::dense, 96, 2000, 1, 1};
std::int8_t fc_arranged[layout::weight_bytes(fc_shape)];
inline constexpr layer_form arranged_dense_forms[] = {{.layer = "fc", .digital_weights = fc_arranged}};  // dense_net's
std::int8_t pw_w[256 * 256];
std::int32_t pw_b[256];
constexpr layout::digital_weights pw_shape{layout::weight_kind::conv, 256, 256, 1, 1};
std::int8_t pw_arranged[layout::weight_bytes(pw_shape)];
inline constexpr htvm::network pointwise_net{  // MobileNet's last pointwise conv
    htvm::input{.name = "in", .shape = {1, 3, 3, 256}},
    htvm::conv2d{.name = "pw", .filters = 256, .weights = pw_w, .bias = pw_b, .requant = rq11},
};
inline constexpr layer_form arranged_pointwise_forms[] = {{.layer = "pw", .digital_weights = pw_arranged}};

ref::rng draw{20240607};

// Layer i is tiled under Policy, on the expected unit.
template <const auto& net, class Policy, std::size_t i, const auto& forms = no_forms>
constexpr bool tiled_on(unit u) {
    constexpr auto& plan = plan_of<net, Policy, forms>;
    return plan.layer[i].target == u && plan.tiles[i].ok() && plan.tiles[i].tiled() && plan.tiles[i].l1_bytes <= l1_bytes;
}

// Runs the network under Policy on random inputs; run_and_check compares every layer with the
// Eigen reference on whole tensors.
template <const auto& net, class Policy, const auto& forms = no_forms>
void check_seeds(int seeds) {
    for (int s = 0; s < seeds; ++s) {
        CAPTURE(s);
        diana_ref::run_and_check<net, forms, Policy>(draw.bytes(graph_of<net>.output[0].elements()));
    }
}

}  // namespace

TEST_CASE("layers too big for L1 untiled run tiled on both accelerators, bit-exact") {
    static_assert(digital_fit(conv_net, graph_of<conv_net>, 2) == rule::does_not_fit_l1);
    static_assert(tiled_on<conv_net, policy::digital, 2, conv_forms>(unit::digital));
    static_assert(tiled_on<conv_net, policy::analog, 2, conv_forms>(unit::analog));
    static_assert(tiled_on<stride_net, policy::digital, 2, stride_forms>(unit::digital));
    static_assert(tiled_on<stride_net, policy::analog, 2, stride_forms>(unit::analog));
    static_assert(tiled_on<depthwise_net, policy::digital, 2>(unit::digital));
    // Spatial tiles with a halo: several tiles along the rows (digital), the columns (analog).
    static_assert(plan_of<conv_net, policy::digital, conv_forms>.tiles[2].tiles_h > 1);
    static_assert(plan_of<stride_net, policy::analog, stride_forms>.tiles[2].tiles_w > 1);
    for (int round = 0; round < 2; ++round) {
        draw.fill(conv_w, -128, 127), draw.fill(conv_b, -5000, 5000), draw.fill(conv_t, 0, 255), draw.fill(conv_k, 1, 4), draw.fill(conv_l, -20, 20);
        draw.fill(s2_w, -128, 127), draw.fill(s2_b, -5000, 5000), draw.fill(s2_t, 0, 255), draw.fill(s2_k, 1, 4), draw.fill(s2_l, -20, 20);
        draw.fill(dw_w, -128, 127), draw.fill(dw_b, -3000, 3000), draw.fill(pre_w, -128, 127), draw.fill(pre_b, -500, 500);
        check_seeds<conv_net, policy::digital, conv_forms>(1);
        check_seeds<conv_net, policy::analog, conv_forms>(1);
        check_seeds<stride_net, policy::digital, stride_forms>(1);
        check_seeds<stride_net, policy::analog, stride_forms>(1);
        check_seeds<depthwise_net, policy::digital>(2);
    }
}

TEST_CASE("weights too big for a weight memory run in output-channel tiles, bit-exact") {
    static_assert(digital_fit(dense_net, graph_of<dense_net>, 1) == rule::does_not_fit_digital_weight_memory);
    constexpr auto& fc = plan_of<dense_net, policy::digital>.tiles[1];
    static_assert(tiled_on<dense_net, policy::digital, 1>(unit::digital) && fc.tiles_k > 1 && fc.tile_k % pe_rows == 0);
    static_assert(fc.weight_tile_bytes <= digital_weight_bytes);
    // 600 output channels over 512 analog columns: two column tiles, each programmed in turn.
    static_assert(analog_fit(wide_net, graph_of<wide_net>, 1) == rule::does_not_fit_analog_array);
    constexpr auto& wide = plan_of<wide_net, policy::analog, wide_forms>.tiles[1];
    static_assert(tiled_on<wide_net, policy::analog, 1, wide_forms>(unit::analog) && wide.tiles_k == 2 && wide.tile_k <= analog_columns);
    for (int round = 0; round < 3; ++round) {
        draw.fill(fc_w, -128, 127), draw.fill(fc_b, -5000, 5000);
        draw.fill(wide_w, -128, 127), draw.fill(wide_b, -5000, 5000), draw.fill(wide_t, 0, 255), draw.fill(wide_k, 1, 4), draw.fill(wide_l, -20, 20);
        check_seeds<dense_net, policy::digital>(2);
        check_seeds<wide_net, policy::analog, wide_forms>(2);
        check_seeds<wide_net, policy::digital, wide_forms>(1);
    }
}

TEST_CASE("tiles of build-time arranged weights are slices of whole PE blocks, bit-exact") {
    static_assert(has_arranged_digital_weights(dense_net.layers[1], view_of(arranged_dense_forms)));
    static_assert(tiled_on<dense_net, policy::digital, 1, arranged_dense_forms>(unit::digital) &&
                  plan_of<dense_net, policy::digital, arranged_dense_forms>.tiles[1].tiles_k > 1);
    static_assert(tiled_on<pointwise_net, policy::digital, 1, arranged_pointwise_forms>(unit::digital) &&
                  plan_of<pointwise_net, policy::digital, arranged_pointwise_forms>.tiles[1].tiles_k > 1);
    for (int round = 0; round < 3; ++round) {
        draw.fill(fc_w, -128, 127), draw.fill(fc_b, -5000, 5000), draw.fill(pw_w, -128, 127), draw.fill(pw_b, -5000, 5000);
        layout::arrange_digital(fc_shape, fc_w, fc_arranged);
        layout::arrange_digital(pw_shape, pw_w, pw_arranged);
        check_seeds<dense_net, policy::digital, arranged_dense_forms>(2);
        check_seeds<pointwise_net, policy::digital, arranged_pointwise_forms>(2);
    }
}

TEST_CASE("tiled layers cost more than their peak, tile by tile, and no less than one untiled call would") {
    constexpr auto& g = graph_of<conv_net>;
    constexpr auto& r = dispatch_table_of<conv_net, policy::digital, conv_forms>;
    constexpr htvm::tiling::tile_plan tp = r.layer[2].tiles;
    static_assert(tp.tiled());
    constexpr cycles::layer_cycles untiled = cycles::estimate(conv_net, g, 2, unit::digital);
    // Same MACs; at least as many peak cycles (partial 16 x 16 blocks at tile borders); every tile
    // pays a call overhead and its DMA setups, so the whole costs more than the single call.
    static_assert(r.layer[2].cycles.macs == untiled.macs);
    static_assert(r.layer[2].cycles.peak >= untiled.peak);
    static_assert(r.layer[2].cycles.full > untiled.full);
    static_assert(r.layer[2].cycles.full >= r.layer[2].cycles.peak + tp.tile_count * cycles::call_overhead_cycles);
    // A plan of one tile costs exactly the untiled formula.
    static std::int8_t w[16 * 8 * 9];
    static std::int32_t b[16];
    static constexpr htvm::network small{
        htvm::input{.name = "in", .shape = {1, 4, 16, 8}},
        htvm::conv2d{.name = "conv", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = w, .bias = b,
                     .requant = rq11},
    };
    constexpr auto& one = dispatch_table_of<small, policy::digital>.layer[1];
    static_assert(one.tiles.ok() && one.tiles.tile_count == 1);
    static_assert(one.cycles.full == cycles::estimate(small, graph_of<small>, 1, unit::digital).full);
    static_assert(one.cycles.layout == cycles::estimate(small, graph_of<small>, 1, unit::digital).layout);
}

TEST_CASE("DIANA's DMA is synchronous: single buffers, no overlap in the cycle model") {
    static_assert(!dma_is_asynchronous);
    // A strided copy: one 70-cycle setup, then every 40-byte run at 16 B/cycle (3 cycles each).
    htvm::tiling::copy_shape two_runs{};
    two_runs.run_bytes = 40;
    two_runs.inner_count = 2;
    CHECK(cycles::copy_cycles(two_runs) == 70 + 2 * 3);
    static_assert(!digital_tile_limits.double_buffer && !analog_tile_limits.double_buffer);
    constexpr htvm::tiling::tile_plan tp = plan_of<conv_net, policy::digital, conv_forms>.tiles[2];
    static_assert(!tp.double_buffered && tp.in_offset[0] == tp.in_offset[1] && tp.out_offset[0] == tp.out_offset[1]);
    // Without overlap, the layer's cycles are the plain sum of every tile's call, peak, pipeline
    // overhead and copies: recompute that sum here along the schedule.
    long long sum = 0;
    for (int n = 0; n < tp.tile_count; ++n) {
        const htvm::tiling::tile_window t = htvm::tiling::tile_at(tp, n);
        const cycles::tile_cycles c = cycles::digital_tile(htvm::tiling::tile_op::conv2d, t);
        sum += cycles::call_overhead_cycles + c.peak + c.overhead;
        if (t.new_input) sum += cycles::copy_cycles(t.input);
        sum += cycles::copy_cycles(t.output);
        if (t.new_weights) {
            const int bytes = layout::weight_memory_bytes({layout::weight_kind::conv, t.k_count, 24, 3, 3});
            sum += cycles::dma_setup_cycles + cycles::ceil_div(bytes, cycles::weight_bytes_per_cycle);
        }
    }
    CHECK(dispatch_table_of<conv_net, policy::digital, conv_forms>.layer[2].cycles.full == sum);
}
