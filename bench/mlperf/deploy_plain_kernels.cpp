// deploy_minimal.cpp with htvm's kernels swapped for the frozen plain ones
// (bench/kernels_rv32/reference_kernels.hpp: loops over run-time geometry, no register blocking, no
// per-layer kernel instances): a compile-time reference point only, timed by measure_compile.py with
// deploy_minimal.cpp's exact command. It tells how much of the firmware translation unit's compile
// time the specialised kernels cost, and what kernels that compile faster would give up: the plain
// ones need about 2 to 4 times the instructions (bench/kernels_rv32/README.md).
#include <cstdint>

#include BENCH_MODEL_HEADER

#include "../kernels_rv32/reference_kernels.hpp"

using bench_model = htvm::model<BENCH_MODEL::net, reference::target>;

std::int8_t bench_input[bench_model::input_bytes];
std::int8_t bench_output[bench_model::output_bytes];

int main() {
    bench_model::run(bench_input, bench_output);
    return 0;
}
