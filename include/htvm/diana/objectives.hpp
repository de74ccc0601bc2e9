// DORY's tiling objectives for DIANA's two arrays (htvm/tiling/limits.hpp: what an objective scores).
// A header of its own, with no other dependency, so that tools and tests of the generic tiler can
// use these realistic weights without the rest of the platform.
#pragma once
#include "../tiling/limits.hpp"

namespace htvm::diana {

// DORY's weights for an 8-bit digital array of 16 x 16 PEs (K and OX in multiples of 16, wide and
// tall tiles for contiguous DMA), as in its DIANA tiler; the bytes term breaks the remaining ties.
inline constexpr tiling::objective digital_array_objective{
    .per_byte = 1,
    .k_multiple = 16,
    .k_multiple_bonus = 15'000'000,
    .ox_multiple = 16,
    .ox_multiple_bonus = 15'000'000,
    .per_k = 100'000,
    .per_ox = 1'000'000,
    .per_input_row = 10'000,
    .min_pixels = 16,
    .min_pixels_bonus = 1'000'000,
};

// The digital weights without the tall-tile (iy) term: the middle curve of HTVM's Fig. 4.
inline constexpr tiling::objective digital_array_objective_without_iy = [] {
    tiling::objective o = digital_array_objective;
    o.per_input_row = 0;
    return o;
}();

// DORY's weights for an analog in-memory array: unroll as many output channels as its columns
// allow (the rows hold channels x kernel, never tiled), then prefer big, wide, tall tiles.
inline constexpr tiling::objective analog_array_objective{
    .per_byte = 1,
    .k_multiple = 16,
    .k_multiple_bonus = 0,
    .ox_multiple = 16,
    .ox_multiple_bonus = 0,
    .per_k = 100'000'000,
    .per_ox = 1'000,
    .per_input_row = 1'000,
    .min_pixels = 1,
    .min_pixels_bonus = 0,
};

}  // namespace htvm::diana
