// The DIANA cycle model (htvm/diana/cycle_model.hpp) against hand computations from the formulas
// and constants of docs/diana.md.
#include <doctest/doctest.h>

#include <htvm/diana.hpp>

#include <cstdint>

using namespace htvm::diana;
namespace c = htvm::diana::cycles;

TEST_CASE("digital conv: 16 x 16 K x OX unrolling, 256 MAC/cycle only on multiples of 16") {
    // K=16, C=8, 4 x 16 output, 3x3: 1 K-block * 4 rows * 1 OX-block * 72 = 288 cycles for 73,728 MACs.
    CHECK(c::digital_conv_peak(16, 8, 4, 16, 3, 3) == 288);
    CHECK(16LL * 8 * 4 * 16 * 9 / c::digital_conv_peak(16, 8, 4, 16, 3, 3) == 256);
    // One more output channel or column costs a whole extra block.
    CHECK(c::digital_conv_peak(17, 8, 4, 16, 3, 3) == 576);
    CHECK(c::digital_conv_peak(16, 8, 4, 17, 3, 3) == 576);
    CHECK(c::digital_conv_peak(32, 8, 4, 32, 3, 3) == 4 * 288);
    // Per 16 x 16 tile: 2 * C * FY + 23.
    CHECK(c::digital_conv_tile_overhead(16, 8, 4, 16, 3) == 4 * (2 * 8 * 3 + 23));
}

TEST_CASE("digital depthwise: at most 3.75 MAC/cycle; dense over C x K") {
    // 16 channels, 1 x 16 output, 3x3: 2304 MACs / 3.75 = 614.4 -> 615 cycles.
    CHECK(c::digital_depthwise_peak(16, 1, 16, 3, 3) == 615);
    // OX = 5 still occupies 16 columns.
    CHECK(c::digital_depthwise_peak(16, 1, 5, 3, 3) == 615);
    CHECK(c::digital_dense_peak(64, 12) == 4);
    CHECK(c::digital_dense_peak(640, 128) == 40 * 8);
    CHECK(c::digital_dense_peak(65, 17) == 5 * 2);
}

TEST_CASE("analog: 64 rows fetched and 32 columns read out per cycle, at least one array evaluation") {
    CHECK(c::analog_cycles_per_pixel(576, 64) == 9);     // fetch 576/64
    CHECK(c::analog_cycles_per_pixel(64, 512) == 16);    // readout 512/32
    CHECK(c::analog_cycles_per_pixel(27, 8) == 4);       // the evaluation itself
    CHECK(c::analog_cycles_per_pixel(1152, 512) == 18);
    CHECK(c::analog_conv_peak(64, 64, 8, 8, 3, 3) == 64 * 9 + 10);
}

TEST_CASE("DMA and per-layer totals follow the documented sum") {
    CHECK(c::transfer(100) == 70 + 7);
    CHECK(c::transfer(16) == 71);

    static std::int8_t w[16 * 8 * 3 * 3];
    static std::int32_t b[16];
    static constexpr htvm::network net{
        htvm::input{.name = "in", .shape = {1, 4, 16, 8}},
        htvm::conv2d{.name = "conv", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = w, .bias = b,
                     .requant = htvm::shift_requant{.shift = 4}},
        htvm::max_pool{.name = "pool"},
    };
    constexpr auto& g = graph_of<net>;
    constexpr c::layer_cycles d = c::estimate(net, g, 1, unit::digital);
    static_assert(d.macs == 16 * 8 * 4 * 16 * 9);
    static_assert(d.peak == 288);
    // call 150 + weights (70 + (1152 + 64) / 16 = 76) + input (70 + 512/16) + peak + tiles 4 * 71 + output (70 + 1024/16)
    static_assert(d.full == 150 + (70 + 76) + (70 + 32) + 288 + 4 * 71 + (70 + 64));
    // layout: (512 in + 1024 out) * 3, plus weights arranged at load time (1216 B * 3)
    static_assert(d.layout == (512 + 1024) * 3 + 1216 * 3);
    static_assert(d.cpu == 0);
    constexpr c::layer_cycles cpu = c::estimate(net, g, 1, unit::cpu);
    static_assert(cpu.full == 0 && cpu.peak == 0 && cpu.cpu == 73728 * 4);
    constexpr c::layer_cycles pool = c::estimate(net, g, 2, unit::cpu);
    static_assert(pool.cpu == 2 * 8 * 16 * 4 * 4);  // 256 outputs x 4 window elements x 4 cycles

    constexpr auto& r = dispatch_table_of<net, policy::digital>;
    static_assert(r.total.full == d.full && r.total.layout == d.layout && r.total.cpu == pool.cpu);
    static_assert(r.total.total() == d.full + d.layout + pool.cpu);
}
