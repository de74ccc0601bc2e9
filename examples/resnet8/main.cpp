// Runs ResNet-8 once and prints a per-layer table: layer, operator, output shape, MACs, arena
// offset and time on the machine's counter. The same source builds for the host and bare metal.
#include <cstdio>

#include <htvm/firmware/format.hpp>
#include <htvm/firmware/output.hpp>
#include <htvm/firmware/timer.hpp>

#include "resnet8_net.hpp"

namespace {

using model = resnet8::model;
using htvm::firmware::to_decimal;

struct layer_table {
    htvm::firmware::timer timer{};
    std::uint64_t total_ticks = 0;

    void before_layer(std::size_t, const htvm::layer_info&) { timer.start(); }
    void after_layer(std::size_t i, const htvm::layer_info& l, const std::int8_t*, const htvm::shape& s) {
        const std::uint64_t ticks = timer.stop().ticks;  // stopped before printing
        total_ticks += ticks;
        std::printf("%3d  %-12s %-17s %3dx%3dx%3d %10s %8d %12s\n", static_cast<int>(i), l.name, l.op,
                    s.h, s.w, s.c, to_decimal(static_cast<std::uint64_t>(l.macs)).text,
                    model::plan.offset[i], to_decimal(ticks).text);
    }
};

}  // namespace

int main() {
    const auto counter = htvm::firmware::counter_description();
    std::printf("ResNet-8 (DIANA requantization, random weights) on %s\n", htvm::firmware::machine_name);
    std::printf("arena %d B (lower bound without in-place reuse: %d B), %d buffers\n\n", model::arena_bytes,
                model::lower_bound_bytes, model::plan.buffers);
    std::printf("  #  layer        op                 out h x w x c       MACs   offset %12s\n", counter.tick_unit);
    layer_table table;
    std::int8_t scores[10];
    model::run(resnet8::sample_input.values, scores, table);
    std::printf("\ntotal %s %s (%s)\n", to_decimal(table.total_ticks).text, counter.tick_unit, counter.source);
    htvm::firmware::print_hex_line("output", scores, 10);
    return 0;
}
