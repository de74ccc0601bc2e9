// Bit-exact functional model of DIANA's analog in-memory-compute accelerator, as an ideal (noise-free)
// integer machine:
//   - the 1152 x 512 array holds two-bit ternary cells (layout: see layouts.hpp); a layer's weights
//     occupy rows 0..C*FY*FX-1 and a range of columns;
//   - inputs come from L1 in HWC order; the DAC saturates them to 7-bit signed magnitude [-63, 63];
//   - every column sums input x weight over its rows; the 6-bit ADC clips the sum to [-32, 31];
//   - the SIMD post-processing applies per-column batch norm and requantization:
//         y = k[col] * adc + l[col];   out = clip(y >> shift, relu ? max(0, clip_min) : clip_min, clip_max)
// Real silicon adds analog noise and ADC gain error; this model is the arithmetic that HTVM's
// compiler targets, which is what a bit-exact reference can check.
//
// A job runs one TILE: a sub-range of output rows/columns (input window with halo in L1, padding only
// at the layer's border) over a contiguous range of output channels = array columns. Input
// channels cannot be split: the array sums all rows before the ADC.
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "../shape.hpp"
#include "layouts.hpp"
#include "memory_map.hpp"

namespace htvm::diana::analog {

// The array and the SIMD unit's per-column constants.
struct array_state {
    std::uint8_t* cells = nullptr;  // analog_weight_bytes: rows of analog_columns / 4 bytes
    std::int32_t* k = nullptr;      // analog_columns batch-norm scales
    std::int32_t* l = nullptr;      // analog_columns batch-norm offsets
};

constexpr int cell_byte(int row, int column) { return row * (analog_columns / 4) + column / 4; }
constexpr int cell_shift(int column) { return 2 * (column % 4); }

inline int cell(const array_state& a, int row, int column) {
    return layout::decode_ternary(static_cast<unsigned>(a.cells[cell_byte(row, column)]) >> cell_shift(column));
}

// Programs rows 0..rows(w)-1 of columns first_column .. first_column + w.k - 1 from packed weights
// (layouts.hpp's analog layout), and loads the batch-norm constants of those columns.
inline void load(const array_state& a, const layout::analog_weights& w, const std::uint8_t* packed,
                 const std::int32_t* k, const std::int32_t* l, int first_column = 0) {
    for (int row = 0; row < layout::rows(w); ++row)
        for (int ch = 0; ch < w.k; ++ch) {
            const int column = first_column + ch;
            const unsigned code = layout::encode_ternary(layout::packed_weight(w, packed, row, ch));
            std::uint8_t& byte = a.cells[cell_byte(row, column)];
            byte = static_cast<std::uint8_t>((byte & ~(0b11u << cell_shift(column))) | (code << cell_shift(column)));
        }
    for (int ch = 0; ch < w.k; ++ch) {
        a.k[first_column + ch] = k[ch];
        a.l[first_column + ch] = l[ch];
    }
}

struct conv_job {
    int input = 0, output = 0;     // L1 offsets, HWC
    shape in{}, out{};             // out.c = columns used
    hw kernel{1, 1};
    hw stride{1, 1};
    int pad_top = 0, pad_left = 0;
    int first_column = 0;          // array column of the tile's first output channel
    int shift = 0;
    bool relu = false;
    std::int32_t clip_min = -128, clip_max = 127;
};

constexpr std::int32_t dac(std::int32_t x) { return clamp(x, analog_input_min, analog_input_max); }
constexpr std::int32_t adc(std::int32_t column_sum) { return clamp(column_sum, adc_min, adc_max); }

constexpr std::int8_t post_process(std::int32_t adc_value, std::int32_t k, std::int32_t l, const conv_job& job) {
    const std::int32_t y = k * adc_value + l;
    const std::int32_t low = job.relu && job.clip_min < 0 ? 0 : job.clip_min;
    return static_cast<std::int8_t>(clamp(y >> job.shift, low, job.clip_max));
}

inline void run_conv(const conv_job& job, std::int8_t* l1, const array_state& a) {
    const std::int8_t* in = l1 + job.input;
    std::int8_t* out = l1 + job.output;
    const int channels = job.in.c;
    for (int oy = 0; oy < job.out.h; ++oy) {
        for (int ox = 0; ox < job.out.w; ++ox) {
            for (int ch = 0; ch < job.out.c; ++ch) {
                const int column = job.first_column + ch;
                std::int32_t sum = 0;
                for (int fy = 0; fy < job.kernel.h; ++fy) {
                    const int iy = oy * job.stride.h - job.pad_top + fy;
                    if (iy < 0 || iy >= job.in.h) continue;
                    for (int fx = 0; fx < job.kernel.w; ++fx) {
                        const int ix = ox * job.stride.w - job.pad_left + fx;
                        if (ix < 0 || ix >= job.in.w) continue;
                        const int row0 = (fy * job.kernel.w + fx) * channels;
                        for (int c = 0; c < channels; ++c)
                            sum += dac(in[layout::hwc(job.in, iy, ix, c)]) * cell(a, row0 + c, column);
                    }
                }
                out[layout::hwc(job.out, oy, ox, ch)] = post_process(adc(sum), a.k[column], a.l[column], job);
            }
        }
    }
}

}  // namespace htvm::diana::analog
