// Where every byte goes in the memories the DIANA accelerators read: activation layouts, the digital
// weight memory and the analog array. These index functions are the single definition used by the
// simulators, the target's transfers and build-time weight generation (docs/diana.md draws them).
//
//  - Digital activations: planar CHW, then the four bytes of every 32-bit word reversed (HTVM's
//    "reverse chunks of four bytes" transform around each accelerator call); hence the rule that
//    tensors the digital accelerator touches hold a multiple of 4 elements.
//  - Digital weights: output channels in blocks of 16 (one per PE row), [K/16][C][FY][FX][16],
//    padded with zero filters to a multiple of 16, bytes reversed in every word; depthwise
//    [C/16][FY][FX][16]; dense as a 1x1 convolution. int32 biases follow, one per padded channel.
//  - Analog weights: array row r = (fy * FX + fx) * C + c (the order of an HWC input window), column
//    = output channel; packed four columns to a byte, two bits a cell (see htvm::ternary_weights).
//    Analog activations are plain HWC: no transform.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "../layers.hpp"
#include "../shape.hpp"
#include "forms.hpp"
#include "memory_map.hpp"

namespace htvm::diana::layout {

constexpr int ceil_div(int a, int b) { return (a + b - 1) / b; }
constexpr int round_up(int v, int multiple) { return ceil_div(v, multiple) * multiple; }

// ---- activations ------------------------------------------------------------------------------

constexpr int swap_in_word(int index) { return index ^ 3; }

constexpr int digital_activation(const shape& s, int y, int x, int c) { return swap_in_word((c * s.h + y) * s.w + x); }
constexpr int digital_vector(int i) { return swap_in_word(i); }
constexpr int hwc(const shape& s, int y, int x, int c) { return (y * s.w + x) * s.c + c; }

// ---- digital weights --------------------------------------------------------------------------

enum class weight_kind : std::uint8_t { conv, depthwise, dense };

// conv: k filters of c channels, fy x fx; depthwise: k == c channels; dense: k units of c features.
struct digital_weights {
    weight_kind kind = weight_kind::conv;
    int k = 0, c = 0, fy = 1, fx = 1;
};

constexpr int padded_channels(const digital_weights& w) { return round_up(w.k, pe_rows); }

constexpr int weight_bytes(const digital_weights& w) {
    return w.kind == weight_kind::depthwise ? padded_channels(w) * w.fy * w.fx : padded_channels(w) * w.c * w.fy * w.fx;
}
constexpr int bias_offset(const digital_weights& w) { return round_up(weight_bytes(w), 4); }
constexpr int bias_bytes(const digital_weights& w) { return 4 * padded_channels(w); }
// Weights and biases of one layer in the digital weight memory.
constexpr int weight_memory_bytes(const digital_weights& w) { return bias_offset(w) + bias_bytes(w); }

// Where weight (k, fy, fx, c) lives in the digital weight memory (depthwise: c is ignored, k is the channel).
constexpr int digital_weight(const digital_weights& w, int k, int fy, int fx, int c) {
    const int block = k / pe_rows, lane = k % pe_rows;
    if (w.kind == weight_kind::depthwise) return swap_in_word(((block * w.fy + fy) * w.fx + fx) * pe_rows + lane);
    return swap_in_word((((block * w.c + c) * w.fy + fy) * w.fx + fx) * pe_rows + lane);
}

// Where the same weight lives in the core's layout (conv OHWI, depthwise HWC, dense [units][features]).
constexpr int source_weight(const digital_weights& w, int k, int fy, int fx, int c) {
    if (w.kind == weight_kind::depthwise) return (fy * w.fx + fx) * w.k + k;
    return ((k * w.fy + fy) * w.fx + fx) * w.c + c;
}

// Calls visit(k, fy, fx, c) for every real weight (depthwise: c == k).
template <class Visit>
constexpr void for_each_weight(const digital_weights& w, Visit&& visit) {
    for (int k = 0; k < w.k; ++k)
        for (int fy = 0; fy < w.fy; ++fy)
            for (int fx = 0; fx < w.fx; ++fx) {
                if (w.kind == weight_kind::depthwise) {
                    visit(k, fy, fx, k);
                } else {
                    for (int c = 0; c < w.c; ++c) visit(k, fy, fx, c);
                }
            }
}

// Copies core-layout weights into the digital layout (padding filters are zero). `out` must hold
// weight_bytes(w) elements; usable at run time and in constant evaluation (std::array).
template <class Out>
constexpr void arrange_digital(const digital_weights& w, const std::int8_t* source, Out& out) {
    for (int b = 0; b < weight_bytes(w); ++b) out[b] = 0;
    for_each_weight(w, [&](int k, int fy, int fx, int c) {
        out[digital_weight(w, k, fy, fx, c)] = source[source_weight(w, k, fy, fx, c)];
    });
}

// ---- analog weights ---------------------------------------------------------------------------

// A convolution as the analog array sees it: k output channels (columns), c * fy * fx rows.
struct analog_weights {
    int k = 0, c = 0, fy = 1, fx = 1;
};

constexpr int rows(const analog_weights& w) { return w.c * w.fy * w.fx; }
constexpr int row_bytes(const analog_weights& w) { return ceil_div(w.k, 4); }
constexpr int packed_bytes(const analog_weights& w) { return rows(w) * row_bytes(w); }
constexpr int analog_row(const analog_weights& w, int fy, int fx, int c) { return (fy * w.fx + fx) * w.c + c; }
constexpr int packed_byte(const analog_weights& w, int row, int k) { return row * row_bytes(w) + k / 4; }
constexpr int packed_shift(int k) { return 2 * (k % 4); }

constexpr std::uint8_t encode_ternary(int weight) { return weight > 0 ? 0b01 : (weight < 0 ? 0b10 : 0b00); }
constexpr int decode_ternary(unsigned two_bits) {
    return static_cast<int>(two_bits & 1u) - static_cast<int>((two_bits >> 1) & 1u);
}

// The ternary weight of column k at array row `row` of a packed buffer.
constexpr int packed_weight(const analog_weights& w, const std::uint8_t* packed, int row, int k) {
    return decode_ternary(static_cast<unsigned>(packed[packed_byte(w, row, k)]) >> packed_shift(k));
}

// Packs weights given by value(k, fy, fx, c) in {-1, 0, 1} (anything else counts as its sign).
template <class Out, class Value>
constexpr void pack_ternary_values(const analog_weights& w, Value&& value, Out& out) {
    for (int b = 0; b < packed_bytes(w); ++b) out[b] = 0;
    for (int k = 0; k < w.k; ++k)
        for (int fy = 0; fy < w.fy; ++fy)
            for (int fx = 0; fx < w.fx; ++fx)
                for (int c = 0; c < w.c; ++c) {
                    const int row = analog_row(w, fy, fx, c);
                    const int byte = packed_byte(w, row, k);
                    out[byte] = static_cast<std::uint8_t>(out[byte] | (encode_ternary(value(k, fy, fx, c)) << packed_shift(k)));
                }
}

}  // namespace htvm::diana::layout

namespace htvm::diana::error {
// Not constexpr on purpose: reaching it during constant evaluation stops the compilation, and the
// compiler names this function in its message.
inline void analog_weight_is_not_ternary_minus1_0_or_1() {}
}  // namespace htvm::diana::error

namespace htvm::diana {

namespace detail {
template <int K, int C, int FY, int FX, class Array>
consteval auto pack_ternary_checked(const Array& ohwi, std::size_t n) {
    constexpr layout::analog_weights shape{K, C, FY, FX};
    std::array<std::uint8_t, static_cast<std::size_t>(layout::packed_bytes(shape))> out{};
    for (std::size_t i = 0; i < n; ++i)
        if (ohwi[i] < -1 || ohwi[i] > 1) error::analog_weight_is_not_ternary_minus1_0_or_1();
    layout::pack_ternary_values(shape, [&](int k, int fy, int fx, int c) { return ohwi[static_cast<std::size_t>(((k * FY + fy) * FX + fx) * C + c)]; }, out);
    return out;
}
}  // namespace detail

// Packs an OHWI int8 array (constexpr) whose values are all in {-1, 0, 1} into the analog layout, at
// compile time; any other value stops the compilation ("analog_weight_is_not_ternary_minus1_0_or_1").
//     inline constexpr std::int8_t w[] = {...};
//     inline constexpr auto w_packed = htvm::diana::pack_ternary<K, C, FY, FX>(w);
//     htvm::diana::layer_form{.layer = "conv2", .analog = {.weights = htvm::diana::ternary(w_packed, K * C * FY * FX), ...}}
// Reading the values costs compile time (about 10 s per million weights with GCC): fine for small
// layers and tests; big networks bring their weights packed by a build step.
template <int K, int C, int FY, int FX, std::size_t N>
consteval auto pack_ternary(const std::int8_t (&ohwi)[N]) {
    static_assert(N == static_cast<std::size_t>(K * C * FY * FX),
                  "htvm::diana::pack_ternary: the array does not hold K * C * FY * FX weights");
    return detail::pack_ternary_checked<K, C, FY, FX>(ohwi, N);
}
template <int K, int C, int FY, int FX, std::size_t N>
consteval auto pack_ternary(const std::array<std::int8_t, N>& ohwi) {
    static_assert(N == static_cast<std::size_t>(K * C * FY * FX),
                  "htvm::diana::pack_ternary: the array does not hold K * C * FY * FX weights");
    return detail::pack_ternary_checked<K, C, FY, FX>(ohwi, N);
}

template <std::size_t N>
constexpr ternary_weights ternary(const std::array<std::uint8_t, N>& packed, int weight_count) {
    return ternary_weights{packed.data(), static_cast<int>(N), weight_count};
}

}  // namespace htvm::diana
