// Runs the imported keyword-spotting model on a golden input and compares its output with the one
// TFLite Micro's reference kernels produced (tests/data/mlperf_tiny/golden/kws).
#include <cstdio>
#include <vector>

#include "kws_model.hpp"

namespace {

std::vector<std::int8_t> read_file(const char* path, std::size_t expected) {
    std::vector<std::int8_t> bytes(expected);
    std::FILE* file = std::fopen(path, "rb");
    if (file == nullptr) {
        std::fprintf(stderr, "cannot open %s\n", path);
        return {};
    }
    const std::size_t read = std::fread(bytes.data(), 1, expected, file);
    const bool exact = read == expected && std::fgetc(file) == EOF;
    std::fclose(file);
    if (!exact) {
        std::fprintf(stderr, "%s does not hold exactly %zu bytes\n", path, expected);
        return {};
    }
    return bytes;
}

}  // namespace

int main() {
    const auto input = read_file(GOLDEN_INPUT, kws::model::input_bytes);
    const auto want = read_file(GOLDEN_OUTPUT, kws::model::output_bytes);
    if (input.empty() || want.empty()) return 2;
    std::vector<std::int8_t> got(want.size());
    kws::model::run(input.data(), got.data());
    if (got != want) {
        std::fprintf(stderr, "the imported model's output differs from TFLite Micro's\n");
        return 1;
    }
    return 0;
}
