// Tiny text formatting for firmware output. printf's %llu is not in every embedded C library's
// reduced printf, so 64-bit values are turned into text here and printed with %s.
#pragma once
#include <cstdint>

namespace htvm::firmware {

struct decimal_text {
    char text[21]{};  // 2^64 - 1 has 20 digits
};

constexpr decimal_text to_decimal(std::uint64_t value) {
    char reversed[20]{};
    int digits = 0;
    do {
        reversed[digits++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    decimal_text out{};
    for (int k = 0; k < digits; ++k) out.text[k] = reversed[digits - 1 - k];
    return out;
}

}  // namespace htvm::firmware
