// The MLPerf Tiny input generator (examples/mlperf_tiny/lcg_input.hpp) reproduces the reference's
// seed1..3 input files byte for byte, so the programs' --seed and built-in checks use the real inputs.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lcg_input.hpp"

TEST_CASE("the LCG inputs equal the reference seedK.in files") {
    for (const char* net : {"kws", "ic", "vww", "ad"})
        for (int seed = 1; seed <= 3; ++seed) {
            const std::string path = std::string(HTVM_MLPERF_DATA_DIR) + "/golden/" + net + "/seed" + std::to_string(seed) + ".in";
            std::ifstream in(path, std::ios::binary);
            REQUIRE(in.good());
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            REQUIRE(!bytes.empty());
            std::vector<std::int8_t> generated(bytes.size());
            mlperf_tiny::lcg_input(static_cast<std::uint32_t>(seed), generated.data(), static_cast<int>(generated.size()));
            INFO(path);
            CHECK(std::vector<std::int8_t>(bytes.begin(), bytes.end()) == generated);
        }
}

TEST_CASE("other seeds give other inputs") {
    std::int8_t a[64], b[64];
    mlperf_tiny::lcg_input(1, a, 64);
    mlperf_tiny::lcg_input(4, b, 64);
    int same = 0;
    for (int i = 0; i < 64; ++i) same += a[i] == b[i];
    CHECK(same < 8);
}
