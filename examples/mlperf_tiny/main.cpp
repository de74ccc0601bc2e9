// One MLPerf Tiny model, imported from its .tflite at build time (htvm_add_model), as a command-line
// program. Built four times (kws, ic, vww, ad) with:
//   MLPERF_MODEL_HEADER   the generated header, e.g. "kws_model.hpp"
//   MLPERF_MODEL          its namespace, e.g. kws
//   MLPERF_GOLDEN_HEADER  the reference outputs for seeds 1..3, e.g. "kws_golden.hpp"
//   MLPERF_TITLE          a human description
//
//   mlperf_tiny_kws                          check the built-in golden pairs (seeds 1..3)
//   mlperf_tiny_kws --input in.bin --output out.bin
//   mlperf_tiny_kws --seed 7 --dump-tensors tensors.txt --profile
//
// Only <cstdio> and static buffers: the same file builds for bare metal (htvm_add_firmware), where
// it runs the golden check with no arguments and prints `output:` lines that the QEMU tests compare
// with the host's (file_io.hpp holds the few file functions, host-only).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include MLPERF_MODEL_HEADER
#include MLPERF_GOLDEN_HEADER

#include <htvm/firmware/format.hpp>
#include <htvm/firmware/machine.hpp>
#include <htvm/firmware/output.hpp>
#include <htvm/firmware/timer.hpp>

#include "file_io.hpp"
#include "lcg_input.hpp"

namespace {

namespace m = MLPERF_MODEL;
using model = m::model;

constexpr int input_bytes = model::input_bytes;
constexpr int output_bytes = model::output_bytes;
static_assert(output_bytes == mlperf_tiny::golden::output_bytes, "the golden outputs do not fit this model");

std::int8_t input_buffer[input_bytes];
std::int8_t output_buffer[output_bytes];

void print_usage(std::FILE* to, const char* program) {
    std::fprintf(to,
                 "usage: %s [--input FILE | --seed N] [--output FILE] [--dump-tensors FILE] [--profile]\n"
                 "  MLPerf Tiny %s, imported from %s.\n"
                 "  With no arguments: run the built-in golden pairs (seeds 1..%d) and print pass/fail.\n"
                 "  --input FILE         raw int8 input, NHWC [%d, %d, %d, %d] (%d bytes)\n"
                 "  --seed N             generate the input with the benchmark's LCG from seed N\n"
                 "  --output FILE        write the raw int8 output (%d bytes); without it the output is printed\n"
                 "  --dump-tensors FILE  write every int8 tensor (TFLite tensor index, golden file format)\n"
                 "  --profile            per-layer timing table\n",
                 program, MLPERF_TITLE, mlperf_tiny::golden::source, mlperf_tiny::golden::pair_count,
                 model::input_shape.n, model::input_shape.h, model::input_shape.w, model::input_shape.c, input_bytes,
                 output_bytes);
}

void profile();

// Built-in check: the reference outputs for the LCG inputs of seeds 1..3. Each output is also
// printed as an `output:` hex line (what the QEMU tests compare between host and bare metal).
int check_golden() {
    std::printf("program: mlperf_tiny %s (%s), model %s\n", MLPERF_TITLE, htvm::firmware::machine_name,
                mlperf_tiny::golden::source);
    int failures = 0;
    for (int k = 0; k < mlperf_tiny::golden::pair_count; ++k) {
        const int seed = k + 1;
        mlperf_tiny::lcg_input(static_cast<std::uint32_t>(seed), input_buffer, input_bytes);
        model::run(input_buffer, output_buffer);
        htvm::firmware::print_hex_line("output", output_buffer, output_bytes);
        const std::int8_t* expected = mlperf_tiny::golden::outputs[k];
        int first = -1, mismatches = 0;
        for (int i = 0; i < output_bytes; ++i)
            if (output_buffer[i] != expected[i]) {
                if (first < 0) first = i;
                ++mismatches;
            }
        if (first < 0) {
            std::printf("seed %d: pass (%d output bytes bit-exact)\n", seed, output_bytes);
        } else {
            ++failures;
            std::printf("seed %d: FAIL: %d of %d output bytes differ; first at byte %d: got %d, expected %d\n", seed,
                        mismatches, output_bytes, first, output_buffer[first], expected[first]);
        }
    }
    std::printf("%s: %s (%d golden pairs)\n", MLPERF_TITLE, failures == 0 ? "PASS" : "FAIL",
                mlperf_tiny::golden::pair_count);
    // Bare metal takes no options: show the per-layer profile here instead.
    if (!mlperf_tiny::files_available) profile();
    return failures == 0 ? 0 : 1;
}

// Writes one layer's output while the model runs, then the rest of the run is irrelevant.
struct capture_layer {
    std::size_t layer;
    std::FILE* file;
    void before_layer(std::size_t, const htvm::layer_info&) {}
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* out, const htvm::shape& s) {
        if (i == layer) mlperf_tiny::write_tensor_line(file, m::layer_tensor[i], out, s.elements());
    }
};

// Every int8 tensor in TFLite tensor-index order, like the reference dump: constants from the
// header, activations by re-running the model once per layer (no extra memory needed).
bool dump_tensors(const char* path) {
    std::FILE* f = mlperf_tiny::open_file(path, "w");
    if (f == nullptr) return false;
    for (int t = 0; t < m::tensor_count; ++t) {
        for (int c = 0; c < m::int8_constant_count; ++c)
            if (m::int8_constants[c].tensor == t)
                mlperf_tiny::write_tensor_line(f, t, m::int8_constants[c].data, m::int8_constants[c].size);
        for (std::size_t i = 0; i < model::layer_count; ++i) {
            if (m::layer_tensor[i] != t) continue;
            if (i == 0) mlperf_tiny::write_tensor_line(f, t, input_buffer, input_bytes);
            else model::run(input_buffer, output_buffer, capture_layer{i, f});
        }
    }
    return std::fclose(f) == 0;
}

// Times every layer with the firmware timer (ns on a host, cycles on bare metal).
struct timing_observer {
    std::uint64_t* ticks;  // per layer, summed over runs
    htvm::firmware::timer timer{};
    void before_layer(std::size_t, const htvm::layer_info&) { timer.start(); }
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t*, const htvm::shape&) {
        ticks[i] += timer.stop().ticks;
    }
};

void profile() {
    constexpr int runs = mlperf_tiny::files_available ? 10 : 1;  // under QEMU one run is slow enough
    static std::uint64_t ticks[model::layer_count];
    for (int r = 0; r < runs; ++r) model::run(input_buffer, output_buffer, timing_observer{ticks});
    std::uint64_t total = 0, macs = 0;
    for (std::size_t i = 1; i < model::layer_count; ++i) {
        total += ticks[i];
        macs += static_cast<std::uint64_t>(model::layers[i].macs);
    }
    const htvm::firmware::counter_info counter = htvm::firmware::counter_description();
    std::printf("%-4s %-26s %-18s %-7s %-16s %10s %12s %6s\n", "#", "layer", "TFLite op", "tensor", "output shape",
                "MACs", counter.tick_unit, "share");
    for (std::size_t i = 1; i < model::layer_count; ++i) {
        const htvm::shape s = model::graph.output[i];
        char shape_text[48];
        std::snprintf(shape_text, sizeof shape_text, "[%d,%d,%d,%d]", s.n, s.h, s.w, s.c);
        const auto layer_macs = static_cast<std::uint64_t>(model::layers[i].macs);
        const int per_mille = total > 0 ? static_cast<int>(ticks[i] * 1000 / total) : 0;
        std::printf("%-4d %-26s %-18s %-7d %-16s %10s %12s %3d.%d%%\n", static_cast<int>(i), model::layers[i].name,
                    m::layer_operator[i], m::layer_tensor[i], shape_text, htvm::firmware::to_decimal(layer_macs).text,
                    htvm::firmware::to_decimal(ticks[i] / runs).text, per_mille / 10, per_mille % 10);
    }
    std::printf("total: %s MACs, %s %s per inference (%s, average of %d runs), arena %d bytes\n",
                htvm::firmware::to_decimal(macs).text, htvm::firmware::to_decimal(total / runs).text, counter.tick_unit,
                counter.source, runs, model::arena_bytes);
}

bool parse_seed(const char* text, std::uint32_t& seed) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(text, &end, 10);
    if (end == text || *end != '\0' || text[0] == '-' || value > 0xFFFFFFFFul) return false;
    seed = static_cast<std::uint32_t>(value);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const char* program = argc > 0 && argv[0] != nullptr ? argv[0] : "mlperf_tiny";
    // Bare metal has no files (and semihosting may pass a placeholder command line): golden check only.
    if (argc <= 1 || !mlperf_tiny::files_available) return check_golden();

    const char *input_path = nullptr, *output_path = nullptr, *dump_path = nullptr;
    bool want_profile = false, have_seed = false;
    std::uint32_t seed = 1;
    for (int i = 1; i < argc; ++i) {
        const char* arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0) {
            print_usage(stdout, program);
            return 0;
        } else if (std::strcmp(arg, "--input") == 0 && has_value) {
            input_path = argv[++i];
        } else if (std::strcmp(arg, "--output") == 0 && has_value) {
            output_path = argv[++i];
        } else if (std::strcmp(arg, "--dump-tensors") == 0 && has_value) {
            dump_path = argv[++i];
        } else if (std::strcmp(arg, "--seed") == 0 && has_value) {
            if (!parse_seed(argv[++i], seed)) {
                std::fprintf(stderr, "%s: error: --seed needs a number from 0 to 4294967295, got '%s'\n", program, argv[i]);
                return 2;
            }
            have_seed = true;
        } else if (std::strcmp(arg, "--profile") == 0) {
            want_profile = true;
        } else {
            const bool known = std::strcmp(arg, "--input") == 0 || std::strcmp(arg, "--output") == 0 ||
                               std::strcmp(arg, "--dump-tensors") == 0 || std::strcmp(arg, "--seed") == 0;
            if (known) std::fprintf(stderr, "%s: error: %s needs a value\n", program, arg);
            else std::fprintf(stderr, "%s: error: unknown argument '%s'\n", program, arg);
            print_usage(stderr, program);
            return 2;
        }
    }
    if (input_path != nullptr && have_seed) {
        std::fprintf(stderr, "%s: error: give either --input or --seed, not both\n", program);
        return 2;
    }

    if (input_path != nullptr) {
        long actual = 0;
        switch (mlperf_tiny::read_exact(input_path, input_buffer, input_bytes, actual)) {
            case mlperf_tiny::read_status::ok: break;
            case mlperf_tiny::read_status::cannot_open:
                std::fprintf(stderr, "%s: error: cannot open input file '%s'\n", program, input_path);
                return 1;
            case mlperf_tiny::read_status::wrong_size:
                std::fprintf(stderr,
                             "%s: error: input file '%s' has %ld bytes; the model needs exactly %d "
                             "(raw int8, NHWC [%d, %d, %d, %d])\n",
                             program, input_path, actual, input_bytes, model::input_shape.n, model::input_shape.h,
                             model::input_shape.w, model::input_shape.c);
                return 1;
        }
    } else {
        mlperf_tiny::lcg_input(seed, input_buffer, input_bytes);  // --seed N, or seed 1 by default
    }

    model::run(input_buffer, output_buffer);
    if (output_path != nullptr) {
        if (!mlperf_tiny::write_bytes(output_path, output_buffer, output_bytes)) {
            std::fprintf(stderr, "%s: error: cannot write output file '%s'\n", program, output_path);
            return 1;
        }
    } else if (!want_profile || dump_path != nullptr) {
        std::printf("output values (int8, zero point %d):", static_cast<int>(m::output_quantization.zero_point));
        for (int i = 0; i < output_bytes; ++i) std::printf(" %d", output_buffer[i]);
        std::printf("\n");
    }
    if (dump_path != nullptr && !dump_tensors(dump_path)) {
        std::fprintf(stderr, "%s: error: cannot write tensor dump '%s'\n", program, dump_path);
        return 1;
    }
    if (want_profile) profile();
    return 0;
}
