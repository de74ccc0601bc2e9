// What the compile-time tiler costs, per MLPerf Tiny layer: the plan it finds on DIANA's digital
// array, the candidates it evaluates, its run time when called as an ordinary function, and - the
// number that matters, since it runs inside the compiler - the compile time per plan, from a
// translation unit that plans the layer 100 times (five memory budgets x 20 L1 sizes) with g++ and
// clang++, minus a headers-only baseline; plus the smallest power-of-two constexpr limit each
// compiler needs for the costliest of those plans (the defaults are -fconstexpr-ops-limit=2^25 for
// GCC and -fconstexpr-steps=2^20 for Clang).
//
//     tiler_cost [--quick] [--csv path]     (--quick: no limit search, one timing run)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>  // getpid

#include <htvm/diana/objectives.hpp>
#include <htvm/tiling/tiler.hpp>

#include "mlperf_tiny_layers.hpp"

namespace {

using namespace htvm::tiling;
using htvm::diana::analog_array_objective;
using htvm::diana::digital_array_objective;
using htvm::bench::mlperf_tiny_layers;

// DIANA (issue 5; include/htvm/diana/memory_map.hpp): weights stored as its layouts store them, tiles
// in whole 32-bit words on the digital array.
constexpr memory_limits diana_digital{.l1_bytes = 256'000, .weight_bytes = 64'000, .weight_bits = 8, .bias_bytes = 4,
                                      .weight_k_granularity = 16, .tile_elements_multiple = 4, .min_tile_k = 16,
                                      .double_buffer = true};
constexpr memory_limits diana_analog{.l1_bytes = 256'000, .weight_bytes = 147'456, .weight_bits = 2,
                                     .weight_k_granularity = 4, .array_rows = 1152, .array_columns = 512,
                                     .double_buffer = true};

// The budgets each layer's translation unit plans under: L1 size, and the rest of a memory_limits
// initializer as C++ source. Each is planned `variants` times with L1 one byte smaller each time
// (distinct arguments: no evaluation is reused), so the tiler's share of the compile time stands
// out of the compiler's start-up noise.
struct budget {
    int l1_bytes;
    const char* rest;
};
const budget budgets[] = {
    {256'000, ".weight_bytes = 64'000, .bias_bytes = 4, .weight_k_granularity = 16, .tile_elements_multiple = 4, "
              ".min_tile_k = 16, .double_buffer = true"},
    {64'000, ".weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true"},
    {16'000, ".weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true"},
    {4'000, ".weight_bytes = 64'000, .bias_bytes = 4, .weight_k_granularity = 16, .tile_elements_multiple = 4, "
            ".double_buffer = true"},
    {2'048, ".weights_in_l1 = true"},
};
constexpr int variants = 20;
constexpr int plans_per_unit = static_cast<int>(sizeof(budgets) / sizeof(budgets[0])) * variants;

std::string translation_unit(int layer) {
    std::string s = "#include <htvm/diana/objectives.hpp>\n#include <htvm/tiling/tiler.hpp>\n#include <mlperf_tiny_layers.hpp>\n"
                    "using namespace htvm::tiling;\nusing htvm::diana::digital_array_objective;\n";
    if (layer < 0) return s;  // the baseline: headers only
    int n = 0;
    for (const budget& b : budgets)
        for (int v = 0; v < variants; ++v)
            s += "constexpr tile_plan plan" + std::to_string(n++) + " = plan_tiles(htvm::bench::mlperf_tiny_layers[" +
                 std::to_string(layer) + "].problem, memory_limits{.l1_bytes = " + std::to_string(b.l1_bytes - v) +
                 ", " + b.rest + "}, digital_array_objective);\n";
    return s;
}

struct toolchain {
    std::string name;
    std::string compiler;
    std::string limit_flag;  // followed by the number
};

std::filesystem::path work_dir() {
    auto dir = std::filesystem::temp_directory_path() / ("htvm_tiler_cost_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

// Compiles `source` (syntax only); returns seconds, or a negative number when it fails.
double compile(const toolchain& t, const std::string& source, const std::string& extra_flags) {
    const auto file = work_dir() / "tu.cpp";
    std::ofstream(file) << source;
    const std::string command = t.compiler + " -std=c++20 -fsyntax-only -I" HTVM_INCLUDE_DIR " -I" HTVM_BENCH_DIR " " +
                                extra_flags + " " + file.string() + " > /dev/null 2>&1";
    const auto start = std::chrono::steady_clock::now();
    const int status = std::system(command.c_str());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return status == 0 ? seconds : -1.0;
}

double best_of(const toolchain& t, const std::string& source, int repeats) {
    double best = 1e9;
    for (int r = 0; r < repeats; ++r) {
        const double s = compile(t, source, "");
        if (s < 0) return -1.0;
        best = std::min(best, s);
    }
    return best;
}

// Smallest 2^k (k in [8, 26]) with which the unit compiles: bisection on k.
int smallest_limit_log2(const toolchain& t, const std::string& source) {
    int lo = 8, hi = 26;
    if (compile(t, source, t.limit_flag + std::to_string(1 << lo)) >= 0) return lo;
    while (hi - lo > 1) {
        const int mid = (lo + hi) / 2;
        if (compile(t, source, t.limit_flag + std::to_string(1 << mid)) >= 0) hi = mid;
        else lo = mid;
    }
    return hi;
}

double run_time_ns(const tile_problem& p, const memory_limits& m) {
    constexpr int calls = 2000;
    volatile long long sink = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) {
        memory_limits varied = m;
        varied.l1_bytes -= i % 2;  // keep the optimizer from hoisting the call
        sink = sink + plan_tiles(p, varied, digital_array_objective).score;
    }
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / calls;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // line by line, also into a file
    bool quick = false;
    std::string csv_path = HTVM_RESULTS_DIR "/tiler_cost.csv";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") quick = true;
        else if (arg == "--csv" && i + 1 < argc) csv_path = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--quick] [--csv path]\n", argv[0]);
            return 2;
        }
    }
    const std::vector<toolchain> toolchains{{"g++", HTVM_GXX, "-fconstexpr-ops-limit="},
                                            {"clang++", HTVM_CLANGXX, "-fconstexpr-steps="}};
    const int repeats = quick ? 1 : 3;

    std::vector<double> baseline;
    for (const auto& t : toolchains) baseline.push_back(best_of(t, translation_unit(-1), repeats));
    std::printf("baseline (headers only): g++ %.0f ms, clang++ %.0f ms\n", baseline[0] * 1e3, baseline[1] * 1e3);

    std::filesystem::create_directories(std::filesystem::path(csv_path).parent_path());
    std::ofstream csv(csv_path);
    csv << "network,layer,kind,input,output,kernel,stride,digital_tile_k,digital_tile_h,digital_tile_w,digital_tiles,"
           "digital_l1_bytes,analog_tile_k,analog_tiles,candidates_16k,runtime_ns_16k,gxx_ms_per_plan,clangxx_ms_per_plan,"
           "gxx_ops_limit_log2,clang_steps_log2\n";
    std::printf("%-6s %-11s %-5s %-11s %-11s %-5s | %-17s %6s | %-9s | %5s %8s | %7s %7s | %4s %4s\n", "net", "layer",
                "kind", "input", "output", "k/s", "digital KxHxW", "tiles", "analog", "cand", "run ns", "g++ ms",
                "clang ms", "gcc", "clng");
    std::printf("%-6s %-11s %-5s %-11s %-11s %-5s | %-17s %6s | %-9s | %5s %8s | %7s %7s | %4s %4s\n", "", "", "", "",
                "", "", "(DIANA digital)", "", "K x tiles", "(16kB)", "(16kB)", "/plan", "/plan", "log2", "log2");
    int worst_gcc = 0, worst_clang = 0;
    double worst_gcc_ms = 0, worst_clang_ms = 0;
    for (int i = 0; i < htvm::bench::mlperf_tiny_layer_count; ++i) {
        const auto& layer = mlperf_tiny_layers[i];
        const tile_problem& p = layer.problem;
        const tile_plan digital = plan_tiles(p, diana_digital, digital_array_objective);
        const bool analog_ok = p.kind == tile_op::conv2d;  // DIANA's analog array runs conv2d only
        const tile_plan analog = analog_ok ? plan_tiles(p, diana_analog, analog_array_objective) : tile_plan{};
        const memory_limits tight{.l1_bytes = 16'000, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true};
        const tile_plan tight_plan = plan_tiles(p, tight, digital_array_objective);
        const double ns = run_time_ns(p, tight);

        const std::string source = translation_unit(i);
        double ms[2]{};
        int limit_log2[2]{};
        for (std::size_t t = 0; t < toolchains.size(); ++t) {
            const double s = best_of(toolchains[t], source, repeats);
            ms[t] = s < 0 ? -1 : std::max(0.0, s - baseline[t]) * 1e3 / plans_per_unit;
            limit_log2[t] = quick || s < 0 ? 0 : smallest_limit_log2(toolchains[t], source);
        }
        worst_gcc = std::max(worst_gcc, limit_log2[0]);
        worst_clang = std::max(worst_clang, limit_log2[1]);
        worst_gcc_ms = std::max(worst_gcc_ms, ms[0]);
        worst_clang_ms = std::max(worst_clang_ms, ms[1]);

        const char* kind = p.kind == tile_op::conv2d ? "conv" : p.kind == tile_op::depthwise_conv2d ? "dw" : "fc";
        char in[32], out[32], ks[16], dig[32], ana[16];
        std::snprintf(in, sizeof in, "%dx%dx%d", p.in.h, p.in.w, p.in.c);
        std::snprintf(out, sizeof out, "%dx%dx%d", p.out.h, p.out.w, p.out.c);
        std::snprintf(ks, sizeof ks, "%dx%d/%d", p.kernel.h, p.kernel.w, p.stride.h);
        if (digital.ok()) std::snprintf(dig, sizeof dig, "%dx%dx%d", digital.tile_k, digital.tile_h, digital.tile_w);
        else std::snprintf(dig, sizeof dig, "not words (cpu)");  // DIANA's 4-element rule, untiled too
        std::snprintf(ana, sizeof ana, analog_ok ? "%dx%d" : "-", analog.tile_k, analog.tile_count);
        std::printf("%-6s %-11s %-5s %-11s %-11s %-5s | %-17s %6d | %-9s | %5d %8.0f | %7.2f %7.2f | %4d %4d\n",
                    layer.network, layer.name, kind, in, out, ks, dig, digital.tile_count, ana, tight_plan.candidates, ns,
                    ms[0], ms[1], limit_log2[0], limit_log2[1]);
        csv << layer.network << ',' << layer.name << ',' << kind << ',' << in << ',' << out << ',' << p.kernel.h << 'x'
            << p.kernel.w << ',' << p.stride.h << ',' << digital.tile_k << ',' << digital.tile_h << ',' << digital.tile_w
            << ',' << digital.tile_count << ',' << digital.l1_bytes << ',' << (analog_ok ? analog.tile_k : 0) << ','
            << (analog_ok ? analog.tile_count : 0) << ',' << tight_plan.candidates << ',' << ns << ',' << ms[0] << ','
            << ms[1] << ',' << limit_log2[0] << ',' << limit_log2[1] << '\n';
    }
    std::printf("\nworst layer: g++ %.2f ms, clang++ %.2f ms of compile time per plan", worst_gcc_ms, worst_clang_ms);
    if (!quick)
        std::printf("; one plan needs at most 2^%d GCC constexpr ops (default 2^25) and 2^%d Clang steps (default 2^20)",
                    worst_gcc, worst_clang);
    std::printf("\nwrote %s\n", csv_path.c_str());
    std::filesystem::remove_all(work_dir());
    return 0;
}
