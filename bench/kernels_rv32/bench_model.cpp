// Instructions per layer of one MLPerf Tiny model (BENCH_MODEL = kws, ic, vww or ad), plain kernels
// ("before", reference_kernels.hpp) against htvm's kernels ("after", cpu_target), on bare-metal RV32
// under QEMU with -icount shift=0: minstret is read before and after every layer. Every layer's
// output of the fast run is compared with the plain run's (a hash of the tensor), so the program also
// checks bit-exactness of the compiled (constant-geometry) kernel instances. It builds for the host
// too (counts are then 0, only the comparison is meaningful). Exit status 1 on any mismatch.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "models.hpp"
#include "reference_kernels.hpp"

#ifndef BENCH_MODEL
#define BENCH_MODEL kws
#endif
#define BENCH_STR2(x) #x
#define BENCH_STR(x) BENCH_STR2(x)

namespace {

namespace m = bench::BENCH_MODEL;
using fast = htvm::model<m::net>;
using plain = htvm::model<m::net, reference::target>;
constexpr std::size_t layers = m::net.size();

std::uint32_t instructions() {
#if defined(__riscv)
    std::uint32_t v;
    // csrr v, minstret, spelled as .insn so that -march=rv32imc (without Zicsr) assembles it.
    asm volatile(".insn i 0x73, 2, %0, x0, -1022" : "=r"(v));
    return v;
#else
    return 0;
#endif
}

std::uint32_t fnv1a(const std::int8_t* p, int n) {
    std::uint32_t h = 2166136261u;
    for (int i = 0; i < n; ++i) h = (h ^ static_cast<std::uint8_t>(p[i])) * 16777619u;
    return h;
}

struct recorder {
    std::uint32_t start = 0;
    std::uint32_t count[layers]{};
    std::uint32_t hash[layers]{};
    void before_layer(std::size_t, const htvm::layer_info&) { start = instructions(); }
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* out, const htvm::shape& s) {
        const std::uint32_t end = instructions();
        count[i] = end - start;
        hash[i] = fnv1a(out, s.elements());
    }
};

recorder before, after;
std::int8_t input[fast::input_bytes];
std::int8_t out_plain[fast::output_bytes], out_fast[fast::output_bytes];

}  // namespace

int main() {
    m::fill_parameters();
    std::uint32_t seed = 1;
    for (auto& v : input) v = static_cast<std::int8_t>(bench::lcg(seed) >> 24);
    plain::run(input, out_plain, before);
    fast::run(input, out_fast, after);

    std::printf("model %s: instructions per layer (RV32, minstret), plain kernels -> htvm kernels\n",
                BENCH_STR(BENCH_MODEL));
    std::printf("%-12s %-17s %10s %11s %11s %7s %7s %s\n", "layer", "op", "MACs", "before", "after", "b/MAC",
                "a/MAC", "exact");
    unsigned long long total_before = 0, total_after = 0, total_macs = 0;
    int mismatches = 0;
    for (std::size_t i = 1; i < layers; ++i) {
        const htvm::layer_info& l = fast::layers[i];
        const long long macs = l.macs;
        const bool exact = before.hash[i] == after.hash[i];
        mismatches += exact ? 0 : 1;
        total_before += before.count[i];
        total_after += after.count[i];
        total_macs += static_cast<unsigned long long>(macs);
        if (std::strcmp(l.op, htvm::reshape::op_name) == 0) continue;
        std::printf("%-12s %-17s %10ld %11lu %11lu %7.2f %7.2f %s\n", l.name, l.op,
                    static_cast<long>(macs), static_cast<unsigned long>(before.count[i]),
                    static_cast<unsigned long>(after.count[i]),
                    macs > 0 ? static_cast<double>(before.count[i]) / static_cast<double>(macs) : 0.0,
                    macs > 0 ? static_cast<double>(after.count[i]) / static_cast<double>(macs) : 0.0,
                    exact ? "yes" : "NO");
    }
    for (int k = 0; k < fast::output_bytes; ++k) mismatches += out_plain[k] != out_fast[k] ? 1 : 0;
    std::printf("%-12s %-17s %10lu %11lu %11lu %7.2f %7.2f %s\n", "total", "", static_cast<unsigned long>(total_macs),
                static_cast<unsigned long>(total_before), static_cast<unsigned long>(total_after),
                static_cast<double>(total_before) / static_cast<double>(total_macs),
                static_cast<double>(total_after) / static_cast<double>(total_macs), mismatches == 0 ? "yes" : "NO");
    std::printf("%s\n", mismatches == 0 ? "bit-exact" : "MISMATCH");
    return mismatches == 0 ? 0 : 1;
}
