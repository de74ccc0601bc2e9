// How firmware programs print their output, identically on the host and under QEMU, so that tests
// can compare the two runs byte for byte:
//     output: 7f80ff00...     every output byte as two hex digits (two's complement), one line
// plus a golden check whose verdict becomes the program's exit code (QEMU's, through semihosting).
#pragma once
#include <cstdint>
#include <cstdio>

namespace htvm::firmware {

inline void print_hex_line(const char* label, const std::int8_t* data, int count) {
    static constexpr char digits[] = "0123456789abcdef";
    std::printf("%s: ", label);
    for (int k = 0; k < count; ++k) {
        const auto byte = static_cast<std::uint8_t>(data[k]);
        std::putchar(digits[byte >> 4]);
        std::putchar(digits[byte & 0xF]);
    }
    std::putchar('\n');
}

inline int count_mismatches(const std::int8_t* actual, const std::int8_t* expected, int count) {
    int mismatches = 0;
    for (int k = 0; k < count; ++k) mismatches += actual[k] != expected[k] ? 1 : 0;
    return mismatches;
}

// Prints "golden: match" or "golden: MISMATCH, <n> of <count> bytes differ (first at <i>: <a> vs <e>)"
// and returns the number of differing bytes.
inline int check_golden(const std::int8_t* actual, const std::int8_t* expected, int count) {
    const int mismatches = count_mismatches(actual, expected, count);
    if (mismatches == 0) {
        std::printf("golden: match (%d bytes)\n", count);
        return 0;
    }
    int first = 0;
    while (actual[first] == expected[first]) ++first;
    std::printf("golden: MISMATCH, %d of %d bytes differ (first at %d: %d vs %d)\n", mismatches, count, first,
                static_cast<int>(actual[first]), static_cast<int>(expected[first]));
    return mismatches;
}

}  // namespace htvm::firmware
