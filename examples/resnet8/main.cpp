// Runs ResNet-8 once and prints a per-layer table: layer, operator, output shape, MACs, arena
// offset and time. Builds unchanged for the host and for bare metal.
#include <chrono>
#include <cstdio>

#include "resnet8_net.hpp"

namespace htvm {
// Temporary: replaced by <htvm/platform/timer.hpp> once it lands.
struct platform_timer {
    static constexpr const char* where = "host";
    static constexpr const char* unit = "us";
    std::chrono::steady_clock::time_point begin{}, end{};
    void start() { begin = std::chrono::steady_clock::now(); }
    void stop() { end = std::chrono::steady_clock::now(); }
    double microseconds() const { return std::chrono::duration<double, std::micro>(end - begin).count(); }
};
}  // namespace htvm

namespace {

using model = resnet8::model;

struct layer_table {
    htvm::platform_timer timer{};
    double total_us = 0;

    void before_layer(std::size_t, const htvm::layer&) { timer.start(); }
    void after_layer(std::size_t i, const htvm::layer& l, const std::int8_t*, const htvm::shape& s) {
        timer.stop();
        const double us = timer.microseconds();
        total_us += us;
        std::printf("%3d  %-12s %-17s %3dx%3dx%3d %10lld %8d %10.1f\n", static_cast<int>(i), l.name,
                    htvm::op_name(l.kind), s.h, s.w, s.c, htvm::layer_macs(resnet8::net, model::graph, i),
                    model::plan.offset[i], us);
    }
};

}  // namespace

int main() {
    std::printf("ResNet-8 (DIANA requantization, random weights) on the %s\n", htvm::platform_timer::where);
    std::printf("arena %d B (lower bound without in-place reuse: %d B), %d buffers\n\n", model::arena_bytes,
                model::lower_bound_bytes, model::plan.buffers);
    std::printf("  #  layer        op                 out h x w x c       MACs   offset  time (%s)\n",
                htvm::platform_timer::unit);
    layer_table table;
    std::int8_t scores[10];
    model::run(resnet8::sample_input.values, scores, table);
    std::printf("\ntotal %.1f %s\nscores:", table.total_us, htvm::platform_timer::unit);
    for (const std::int8_t s : scores) std::printf(" %d", s);
    std::printf("\n");
    return 0;
}
