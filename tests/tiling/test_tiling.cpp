// The tiler (htvm/tiling/): halo arithmetic, hand-computed plans, DORY's preferences, static L1
// layouts, failure diagnostics, the schedule's cycle model, and plans as compile-time constants.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include <htvm/diana/objectives.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

namespace {

using namespace htvm::tiling;
using htvm::diana::analog_array_objective;
using htvm::diana::digital_array_objective;

// DIANA's numbers (issue 5): 256,000 B L1; 64,000 B digital weight memory holding int8 weights and
// an int32 bias per channel; 147,456 B analog memory = 1152 rows x 512 columns of 2-bit weights.
constexpr memory_limits digital{.l1_bytes = 256'000, .weight_bytes = 64'000, .weight_bits = 8, .bias_bytes = 4,
                                .min_tile_k = 16, .double_buffer = true};
constexpr memory_limits analog{.l1_bytes = 256'000, .weight_bytes = 147'456, .weight_bits = 2, .array_rows = 1152,
                               .array_columns = 512, .double_buffer = true};

// ---- halo ------------------------------------------------------------------------------------

TEST_CASE("input_range: interior, top border with padding, bottom border clipped") {
    // 3x3 kernel, stride 1, pad 1, 10 input rows, outputs 4..6 read rows 3..7.
    constexpr axis_range mid = input_range(4, 3, 1, 3, 1, 10);
    static_assert(mid.begin == 3 && mid.count == 5 && mid.pad_before == 0);
    // Outputs 0..2 would read rows -1..3: row -1 is padding.
    constexpr axis_range top = input_range(0, 3, 1, 3, 1, 10);
    static_assert(top.begin == 0 && top.count == 4 && top.pad_before == 1);
    // Outputs 8..9 would read rows 7..10: row 10 is padding, clipped.
    constexpr axis_range bottom = input_range(8, 2, 1, 3, 1, 10);
    static_assert(bottom.begin == 7 && bottom.count == 3 && bottom.pad_before == 0);
    // Stride 2, kernel 5, pad 2: outputs 3..4 read rows 4..10 (exclusive 11 -> clipped at 9).
    constexpr axis_range strided = input_range(3, 2, 2, 5, 2, 9);
    static_assert(strided.begin == 4 && strided.count == 5 && strided.pad_before == 0);
    // Kernel 7, stride 2, pad 3: output 0 reads -3..3.
    constexpr axis_range seven = input_range(0, 1, 2, 7, 3, 20);
    static_assert(seven.begin == 0 && seven.count == 4 && seven.pad_before == 3);
    CHECK(input_extent(4, 2, 3, 100) == 9);
    CHECK(input_extent(4, 2, 3, 7) == 7);
    CHECK(tile_count(25, 16) == 2);
    CHECK(tile_count(32, 16) == 2);
}

// ---- plans -----------------------------------------------------------------------------------

TEST_CASE("a layer that fits is not tiled and gets single buffers") {
    // VWW pw1: 48x48x8 -> 48x48x16. 18,432 + 36,864 B: fits DIANA's L1 whole.
    constexpr tile_plan p = plan_tiles(conv_problem({1, 48, 48, 8}, 16, {1, 1}, {1, 1}, 0, 0, 48, 48), digital,
                                       digital_array_objective);
    static_assert(p.ok() && p.tile_count == 1 && !p.double_buffered);
    static_assert(p.in_offset[0] == 0 && p.out_offset[0] == 18'432 && p.l1_bytes == 18'432 + 36'864);
    static_assert(p.weight_tile_bytes == 16 * 8 + 16 * 4);
    CHECK(p.candidates == 1);
}

TEST_CASE("rows are tiled with the halo, double-buffered, at static offsets") {
    // 3x3 same conv 24x16x8 -> 24x16x16 (9,216 B untiled) in 8 KB of L1, double-buffered.
    constexpr memory_limits small{.l1_bytes = 8192, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true};
    constexpr tile_plan p = plan_tiles(conv_problem({1, 24, 16, 8}, 16, {3, 3}, {1, 1}, 1, 1, 24, 16), small,
                                       digital_array_objective);
    static_assert(p.ok());
    // Full width and all 16 channels (the 16-multiple bonuses), then the tallest tile that fits:
    // th rows need (th + 2) x 16 x 8 input and th x 16 x 16 output bytes, twice: 768 th + 512 <= 8192.
    static_assert(p.tile_k == 16 && p.tile_w == 16 && p.tile_h == 10);
    static_assert(p.tiles_h == 3 && p.tile_count == 3 && p.double_buffered && !p.input_reused);
    static_assert(p.in_tile_h == 12 && p.in_buffer_bytes == 12 * 16 * 8 && p.out_buffer_bytes == 10 * 16 * 16);
    static_assert(p.in_offset[0] == 0 && p.in_offset[1] == 1536 && p.out_offset[0] == 3072 &&
                  p.out_offset[1] == 3072 + 2560 && p.l1_bytes == 8192);
    // Top border: outputs 0..9 read rows -1..10; row -1 is padding.
    constexpr tile_window first = tile_at(p, 0);
    static_assert(first.rows.begin == 0 && first.rows.count == 11 && first.rows.pad_before == 1);
    // Interior: outputs 10..19 read rows 9..20, into the second buffers.
    constexpr tile_window middle = tile_at(p, 1);
    static_assert(middle.rows.begin == 9 && middle.rows.count == 12 && middle.rows.pad_before == 0 &&
                  middle.in_buffer == 1 && middle.out_buffer == 1);
    // Bottom border tile: outputs 20..23, input rows 19..23 (row 24 is padding), back in buffers 0.
    constexpr tile_window last = tile_at(p, 2);
    static_assert(last.oy_begin == 20 && last.oy_count == 4 && last.rows.begin == 19 && last.rows.count == 5 &&
                  last.rows.pad_before == 0 && last.in_buffer == 0 && last.out_buffer == 0);
    static_assert(last.geometry.in == htvm::shape{1, 5, 16, 8} && last.geometry.out == htvm::shape{1, 4, 16, 16});
    // Full-width rows with all channels are one contiguous run, in and out.
    static_assert(last.input.runs() == 1 && last.input.bytes() == 5 * 16 * 8 && last.input.src_offset == 19 * 16 * 8);
    static_assert(last.output.runs() == 1 && last.output.dst_offset == 20 * 16 * 16 && last.output.bytes() == 1024);
}

TEST_CASE("DORY's preferences: K in multiples of 16, full-width rows") {
    // K = 40 cannot be whole: 40 x 9 x 64 + 160 > 16,000 B of weights, nor can 32 (18,560 B). The
    // candidates are 40, 32, 16, 8, ...: 16 channels per tile, not 24 or 27 (as DORY, whose objective
    // rewards (K_tile - 1) % 16, would also choose).
    constexpr memory_limits m{.l1_bytes = 200'000, .weight_bytes = 16'000, .bias_bytes = 4};
    constexpr tile_problem conv = conv_problem({1, 8, 8, 64}, 40, {3, 3}, {1, 1}, 1, 1, 8, 8);
    constexpr tile_plan p = plan_tiles(conv, m, digital_array_objective);
    static_assert(p.ok() && p.tile_k == 16 && p.tiles_k == 3);
    static_assert(tile_at(p, 2).k_begin == 32 && tile_at(p, 2).k_count == 8);  // the border channel tile
    // With a 20 kB weight memory, 32 fits: 32 x 576 + 128 = 18,560.
    constexpr tile_plan q = plan_tiles(conv, memory_limits{.l1_bytes = 200'000, .weight_bytes = 20'000, .bias_bytes = 4},
                                       digital_array_objective);
    static_assert(q.ok() && q.tile_k == 32);
    // Width: 40 output columns in a tight L1. The digital objective keeps rows whole as long as one row
    // fits (per_ox dominates), so tiles are full-width and as tall as fit.
    constexpr tile_problem wide = conv_problem({1, 40, 40, 16}, 16, {3, 3}, {1, 1}, 1, 1, 40, 40);
    constexpr tile_plan w = plan_tiles(wide, memory_limits{.l1_bytes = 6'000, .weight_bytes = 64'000}, digital_array_objective);
    static_assert(w.ok() && w.tile_w == 40 && w.tile_k == 16);
    // Single-buffered: (th + 2) x 40 x 16 input + th x 40 x 16 output bytes <= 6,000 -> th = 3.
    static_assert(w.tile_h == 3 && w.l1_bytes == 5 * 640 + 3 * 640);
}

TEST_CASE("analog: as many output channels as the columns allow, rows are a hard limit") {
    // 1x1 conv 64 -> 600 channels: 600 > 512 columns, so 512-channel tiles.
    constexpr tile_plan p = plan_tiles(conv_problem({1, 8, 8, 64}, 600, {1, 1}, {1, 1}, 0, 0, 8, 8), analog,
                                       analog_array_objective);
    static_assert(p.ok() && p.tile_k == 512 && p.tiles_k == 2);
    static_assert(p.weight_tile_bytes == 512 * 64 * 2 / 8);
    // 3x3 conv over 129 channels: 1161 rows > 1152.
    constexpr tile_plan r = plan_tiles(conv_problem({1, 8, 8, 129}, 16, {3, 3}, {1, 1}, 1, 1, 8, 8), analog,
                                       analog_array_objective);
    static_assert(r.status == tiling_status::array_rows_exceeded && r.need == 1161 && r.limit == 1152);
    // 128 channels: exactly 1152 rows.
    static_assert(plan_tiles(conv_problem({1, 8, 8, 128}, 16, {3, 3}, {1, 1}, 1, 1, 8, 8), analog,
                             analog_array_objective).ok());
}

TEST_CASE("failures give the need at the smallest tile and the limit") {
    // 1x1 conv over 4380 channels: 16 filters need 16 x 4380 + 16 x 4 = 70,144 B > 64,000.
    constexpr tile_plan w = plan_tiles(dense_problem(4380, 64), digital, digital_array_objective);
    static_assert(w.status == tiling_status::weight_memory_too_small && w.need == 70'144 && w.limit == 64'000 &&
                  w.smallest_tile_k == 16);
    // A 7x5 stride-2 depthwise over 40 channels with 60 B of L1: the smallest tile, 1 channel of 1
    // pixel, needs 7 x 5 = 35 -> 36 B (aligned) of input and 4 B of output, twice (double-buffered).
    constexpr memory_limits tiny{.l1_bytes = 60, .weight_bytes = 64'000, .double_buffer = true};
    constexpr tile_plan l = plan_tiles(depthwise_problem({1, 20, 20, 40}, {7, 5}, {2, 2}, 3, 2, 10, 10), tiny,
                                       digital_array_objective);
    static_assert(l.status == tiling_status::l1_too_small && l.limit == 60 && l.smallest_tile_k == 1);
    static_assert(l.need == 2 * 36 + 2 * 4);
    // The same with 80 B: one channel, one pixel per tile.
    constexpr tile_plan ok = plan_tiles(depthwise_problem({1, 20, 20, 40}, {7, 5}, {2, 2}, 3, 2, 10, 10),
                                        memory_limits{.l1_bytes = 80, .weight_bytes = 64'000, .double_buffer = true},
                                        digital_array_objective);
    static_assert(ok.ok() && ok.tile_k == 1 && ok.tile_h == 1 && ok.tile_w == 1 && ok.tile_count == 4000);
}

TEST_CASE("weights in L1 share it; pointwise layers reuse one input across channel tiles") {
    constexpr memory_limits shared{.l1_bytes = 4096, .weights_in_l1 = true, .double_buffer = true, .alignment = 16};
    constexpr tile_plan p = plan_tiles(dense_problem(256, 64), shared, bytes_only_objective);
    static_assert(p.ok() && p.input_reused && p.weights_in_l1);
    // The largest K tile that fits: 256 in + 2 x K out (aligned 16) + 256 K weights <= 4096 -> K = 14 is
    // not a candidate (64, 48, 32, 16, 8, ...): 8 -> 256 + 2 x 16 + 2048 = 2336; 16 -> 256 + 32 + 4096 > 4096.
    static_assert(p.tile_k == 8 && p.in_offset[0] == 0 && p.in_offset[1] == 0);
    static_assert(p.out_offset[0] == 256 && p.out_offset[1] == 272 && p.weight_offset == 288);
    static_assert(p.l1_bytes == 288 + 2048);
}

TEST_CASE("weights are counted as the array stores them: K padded, bias word-aligned") {
    // DIANA's digital layout: 8 filters of 3x3x3 take 16 PE rows: 16 x 27 = 432 B, then 16 int32 biases.
    constexpr memory_limits digital16{.l1_bytes = 256'000, .weight_bytes = 64'000, .bias_bytes = 4,
                                      .weight_k_granularity = 16};
    constexpr tile_plan p = plan_tiles(conv_problem({1, 8, 8, 3}, 8, {3, 3}, {1, 1}, 1, 1, 8, 8), digital16,
                                       digital_array_objective);
    static_assert(p.ok() && p.weight_tile_bytes == 432 + 16 * 4);
    // Analog: 10 columns of 64 rows pack into ceil(10 / 4) = 3 bytes a row.
    constexpr memory_limits analog4 = [] {
        memory_limits m = analog;
        m.weight_k_granularity = 4;
        return m;
    }();
    static_assert(plan_tiles(conv_problem({1, 8, 8, 64}, 10, {1, 1}, {1, 1}, 0, 0, 8, 8), analog4,
                             analog_array_objective).weight_tile_bytes == 64 * 3);
    // Padding can decide feasibility: 16 x 7 x 7 x 80 + 64 B = 62,784 fits; with 8 filters padded to 16 too.
    static_assert(plan_tiles(conv_problem({1, 8, 8, 80}, 8, {7, 7}, {1, 1}, 3, 3, 8, 8), digital16,
                             digital_array_objective).weight_tile_bytes == 62'784);
}

TEST_CASE("a tile element multiple shortens the tiles until every tile meets it") {
    // 10x5x2 -> 10x5x4, 3x3 SAME, 210 B: 6 rows fit (8 x 10 B in, 6 x 20 B out = 200 B), but the
    // input tiles would be 7 and 5 rows of 10 B. With a multiple of 4, 5-row tiles: 6 rows of input each.
    constexpr tile_problem conv = conv_problem({1, 10, 5, 2}, 4, {3, 3}, {1, 1}, 1, 1, 10, 5);
    constexpr memory_limits plain{.l1_bytes = 210, .weight_bytes = 64'000};
    constexpr memory_limits words{.l1_bytes = 210, .weight_bytes = 64'000, .tile_elements_multiple = 4};
    constexpr tile_plan a = plan_tiles(conv, plain, digital_array_objective);
    constexpr tile_plan b = plan_tiles(conv, words, digital_array_objective);
    static_assert(a.ok() && a.tile_h == 6 && a.tile_w == 5 && a.tile_k == 4);
    static_assert(tile_at(a, 0).rows.count == 7 && tile_at(a, 1).rows.count == 5);
    static_assert(b.ok() && b.tile_h == 5 && b.tile_count == 2);
    static_assert(tile_at(b, 0).rows.count == 6 && tile_at(b, 1).rows.count == 6 && tile_at(b, 1).rows.begin == 4);
    // KWS's first layer (49x10x1) can never be cut into 4-element tiles: 49 rows of 10 elements.
    constexpr tile_plan kws = plan_tiles(conv_problem({1, 49, 10, 1}, 64, {10, 4}, {2, 2}, 4, 1, 25, 5),
                                         memory_limits{.l1_bytes = 1'500, .weight_bytes = 64'000,
                                                       .tile_elements_multiple = 4, .double_buffer = true},
                                         digital_array_objective);
    static_assert(kws.status == tiling_status::element_multiple_unmet && kws.need == 4);
}

TEST_CASE("the cycle model: serial without double buffering, overlapped with it") {
    // The 3-tile conv above; compute 10 cycles per output row, DMA 64 B per cycle.
    constexpr tile_problem conv = conv_problem({1, 24, 16, 8}, 16, {3, 3}, {1, 1}, 1, 1, 24, 16);
    constexpr memory_limits db{.l1_bytes = 8192, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true};
    constexpr memory_limits sb{.l1_bytes = 4096, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = false};
    constexpr auto compute = [](const tile_window& t) { return 10LL * t.oy_count; };
    constexpr auto transfer = [](const copy_shape& s) { return s.bytes() / 64; };
    constexpr tile_plan pd = plan_tiles(conv, db, digital_array_objective);
    constexpr tile_plan ps = plan_tiles(conv, sb, digital_array_objective);
    // Single-buffered, 4 KB: 384 th + 256 <= 4096 -> th = 10, the same three tiles.
    static_assert(pd.tile_count == 3 && pd.tile_h == 10 && ps.tile_count == 3 && ps.tile_h == 10 && !ps.double_buffered);
    // Transfers: weights 1152 B -> 18; inputs 11, 12, 5 rows of 128 B -> 22, 24, 10;
    // outputs 10, 10, 4 rows of 256 B -> 40, 40, 16. Compute 100, 100, 40.
    // In sequence: 18 + 22 + 100 + 40 + 24 + 100 + 40 + 10 + 40 + 16 = 410.
    static_assert(tiled_cycles(ps, compute, transfer) == 410);
    // Overlapped: weights + in(0) -> 40. n=0: in(1) 40..64 under compute 40..140; store out(0) 140..180.
    // n=1: in(2) queued behind the store, 180..190, under compute 140..240; store out(1) 240..280.
    // n=2: compute 240..280; store out(2) 280..296.
    static_assert(tiled_cycles(pd, compute, transfer) == 296);
    CHECK(tiled_cycles(pd, compute, transfer) < tiled_cycles(ps, compute, transfer));
}

// ---- L2 budget: constant bytes ---------------------------------------------------------------

// Per-channel TFLite requantization (a multiplier and a shift per output channel) for 6 channels.
constexpr std::int32_t budget_multipliers[6] = {1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30};
constexpr std::int32_t budget_shifts[6] = {-7, -7, -7, -7, -7, -7};
constexpr htvm::tflite_requant per_channel{.multipliers = budget_multipliers, .shifts = budget_shifts};
constexpr std::int8_t budget_conv_w[6 * 3 * 3 * 2] = {};
constexpr std::int8_t budget_dw_w[3 * 3 * 6] = {};
constexpr std::int8_t budget_fc_w[4 * 6] = {};
constexpr std::int32_t budget_bias[6] = {};
inline constexpr htvm::network budget_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 2}},
    htvm::conv2d{.name = "conv", .filters = 6, .kernel = {3, 3}, .padding = htvm::same, .weights = budget_conv_w,
                 .bias = budget_bias, .requant = per_channel},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::same, .weights = budget_dw_w,
                           .bias = budget_bias, .requant = per_channel},
    htvm::global_avg_pool{.name = "pool"},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 4, .weights = budget_fc_w,
                .requant = htvm::tflite_requant{.multiplier = 1 << 30, .shift = -7}},
};

TEST_CASE("L2 budget: constants are weights, biases and per-channel requantization, depthwise included") {
    // conv: 108 weights + 6 int32 biases + 6 x (multiplier, shift) = 108 + 24 + 48 = 180
    // depthwise (6 channels, no `filters`): 54 + 24 + 48 = 126; dense, per tensor, no bias: 24
    static_assert(constant_bytes(budget_net.layers[1]) == 180);
    static_assert(constant_bytes(budget_net.layers[2]) == 126);
    static_assert(constant_bytes(budget_net.layers[5]) == 24);
    constexpr l2_usage u = network_constants(budget_net);
    static_assert(u.weight_bytes == 180 + 126 + 24);
    CHECK(u.largest_layer == 1);
    CHECK(std::string(u.largest_name) == "conv");
    // arena + constants + io: fits a limit of exactly their sum
    static_assert(l2_fits_bytes<budget_net, 1000, 1000 + 330 + 10, 10>);
}

}  // namespace
