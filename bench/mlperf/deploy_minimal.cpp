// The smallest complete application of one MLPerf Tiny model (BENCH_MODEL_HEADER, namespace
// BENCH_MODEL): the input and output buffers of the caller and one call to run(). bench/run.sh
// measures flash on this program's RV32 ELF and compile time and memory on this translation unit,
// so that neither includes measuring or printing code. Where the input comes from (a sensor driver)
// and where the output goes are the application's business; here both are plain global buffers,
// which the compiler must treat as read and written elsewhere, so nothing of the inference can be
// optimized away.
#include <cstdint>

#include BENCH_MODEL_HEADER

using bench_model = BENCH_MODEL::model;

std::int8_t bench_input[bench_model::input_bytes];
std::int8_t bench_output[bench_model::output_bytes];

int main() {
    bench_model::run(bench_input, bench_output);
    return 0;
}
