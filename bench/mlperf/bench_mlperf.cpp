// The measuring program of bench/run.sh for one MLPerf Tiny model (built once per model, see
// CMakeLists.txt): BENCH_MODEL is the namespace of the header that htvm-import generated,
// BENCH_MODEL_HEADER that header, BENCH_GOLDEN_HEADER TFLite Micro's output for the seed-1 input.
//
// On bare-metal RV32 under QEMU (-icount shift=0) the counters are minstret (retired instructions)
// and mcycle; on a host build they are steady_clock nanoseconds and no instructions. It prints
// machine-readable lines only (bench/make_results.py reads them):
//
//   bench,<model>,<machine>,<counter source>,<tick unit>
//   memory,<arena_bytes>,<lower_bound_bytes>,<input_bytes>,<output_bytes>,<weight_and_bias_bytes>
//   overhead,<instructions>,<ticks>          what one empty before/after measurement pair reads
//   layer,<i>,<name>,<op>,<macs>,<instructions>,<ticks>    one per layer, raw (overhead included)
//   total,<instructions>,<ticks>,<macs>      the whole run() (zero-copy: input written in place
//                                            beforehand), measured around it, no observer
//   total_with_copies,<instructions>,<ticks> run(in, out): also copies the input and output
//   golden,<pass|fail>,<mismatching bytes of the three runs>
//
// Every run starts from the same LCG input (seed 1) and every output is compared with TFLite
// Micro's, so the counts belong to a bit-exact inference. Exit status 0 only when all three match.
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include BENCH_MODEL_HEADER
#include BENCH_GOLDEN_HEADER

#include <htvm/firmware/format.hpp>
#include <htvm/firmware/machine.hpp>
#include <htvm/firmware/timer.hpp>
#include <htvm/report.hpp>

#include "lcg_input.hpp"

namespace {

namespace m = BENCH_MODEL;
using model = m::model;
namespace fw = htvm::firmware;

static_assert(model::output_bytes == mlperf_tiny::golden::output_bytes, "the golden output does not fit this model");

std::int8_t input_buffer[model::input_bytes];
std::int8_t output_buffer[model::output_bytes];

// Raw counter readings at both ends of every layer; subtracted only after the run, so the work
// between the two readings of a layer is the layer and the reading itself, nothing else.
struct layer_counters {
    fw::counters begin[model::layer_count]{};
    fw::counters end[model::layer_count]{};
    void before_layer(std::size_t i, const htvm::layer_info&) { begin[i] = fw::read_counters(); }
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t*, const htvm::shape&) {
        end[i] = fw::read_counters();
    }
};

layer_counters per_layer;

const char* text(std::uint64_t value, fw::decimal_text& buffer) {
    buffer = fw::to_decimal(value);
    return buffer.text;
}

int mismatches(const std::int8_t* actual) {
    int count = 0;
    for (int k = 0; k < model::output_bytes; ++k) count += actual[k] != mlperf_tiny::golden::outputs[0][k] ? 1 : 0;
    return count;
}

void write_input_in_place() { mlperf_tiny::lcg_input(1u, model::input(), model::input_bytes); }

}  // namespace

int main() {
    const fw::counter_info info = fw::counter_description();
    std::printf("bench,%s,%s,%s,%s\n", BENCH_MODEL_NAME, fw::machine_name, info.source, info.tick_unit);
    constexpr auto totals = htvm::totals<model>();
    std::printf("memory,%d,%d,%d,%d,%d\n", model::arena_bytes, model::lower_bound_bytes, model::input_bytes,
                model::output_bytes, totals.weight_bytes);
    fw::decimal_text a, b, c;

    // What a layer's numbers include besides the layer: one before/after pair with nothing between
    // (the smallest of a few, all equal under QEMU).
    fw::elapsed overhead{~std::uint64_t{0}, ~std::uint64_t{0}};
    for (int k = 0; k < 4; ++k) {
        per_layer.before_layer(0, model::layers[0]);
        per_layer.after_layer(0, model::layers[0], nullptr, model::graph.output[0]);
        const std::uint64_t instructions = per_layer.end[0].instructions - per_layer.begin[0].instructions;
        const std::uint64_t ticks = per_layer.end[0].ticks - per_layer.begin[0].ticks;
        if (instructions < overhead.instructions) overhead.instructions = instructions;
        if (ticks < overhead.ticks) overhead.ticks = ticks;
    }
    std::printf("overhead,%s,%s\n", text(overhead.instructions, a), text(overhead.ticks, b));

    // 1. Per layer.
    write_input_in_place();
    model::run(per_layer);
    int bad = mismatches(model::output());
    for (std::size_t i = 1; i < model::layer_count; ++i) {
        const htvm::layer_info& l = model::layers[i];
        const auto macs = static_cast<std::uint64_t>(l.macs);
        std::printf("layer,%d,%s,%s,%s,%s,%s\n", static_cast<int>(i), l.name, l.op, text(macs, a),
                    text(per_layer.end[i].instructions - per_layer.begin[i].instructions, b),
                    text(per_layer.end[i].ticks - per_layer.begin[i].ticks, c));
    }

    // 2. The whole inference, nothing observed.
    write_input_in_place();
    fw::timer timer;
    timer.start();
    model::run();
    const fw::elapsed whole = timer.stop();
    bad += mismatches(model::output());
    std::printf("total,%s,%s,%s\n", text(whole.instructions, a), text(whole.ticks, b),
                text(static_cast<std::uint64_t>(totals.macs), c));

    // 3. The same with the caller's buffers (input and output copied).
    mlperf_tiny::lcg_input(1u, input_buffer, model::input_bytes);
    timer.start();
    model::run(input_buffer, output_buffer);
    const fw::elapsed copied = timer.stop();
    bad += mismatches(output_buffer);
    std::printf("total_with_copies,%s,%s\n", text(copied.instructions, a), text(copied.ticks, b));

    std::printf("golden,%s,%d\n", bad == 0 ? "pass" : "fail", bad);
    return bad == 0 ? 0 : 1;
}
