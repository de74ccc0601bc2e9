// The tiler's answer for one layer: tile sizes, tile counts, and the static placement of every
// buffer in L1 (and of the weight tile in the weight memory). A structural type: it can be a
// constexpr variable the executor reads, or a template argument.
#pragma once
#include <cstdint>

#include "tile_problem.hpp"

namespace htvm::tiling {

enum class tiling_status : std::uint8_t {
    ok,
    invalid_problem,          // inconsistent geometry (never produced by a sound graph)
    array_rows_exceeded,      // channels x kernel of one output exceed the array's rows
    weight_memory_too_small,  // even the smallest output-channel tile's weights do not fit
    l1_too_small,             // even a 1 x 1 output tile of the smallest channel tile does not fit
    element_multiple_unmet,   // tiles fit, but none has element counts that are multiples of the granule
};

constexpr const char* status_name(tiling_status s) {
    switch (s) {
        case tiling_status::ok: return "ok";
        case tiling_status::invalid_problem: return "invalid problem";
        case tiling_status::array_rows_exceeded: return "array rows exceeded";
        case tiling_status::weight_memory_too_small: return "weight memory too small";
        case tiling_status::l1_too_small: return "L1 too small";
        case tiling_status::element_multiple_unmet: return "no tile meets the element multiple";
    }
    return "?";
}

struct tile_plan {
    tile_problem problem{};
    tiling_status status = tiling_status::invalid_problem;

    // Tile sizes of interior tiles; border tiles (the last along an axis) may be smaller.
    int tile_k = 0;  // output channels
    int tile_c = 0;  // input channels loaded (all of them, or tile_k for a depthwise layer)
    int tile_h = 0;  // output rows
    int tile_w = 0;  // output columns
    int tiles_k = 0, tiles_h = 0, tiles_w = 0, tile_count = 0;
    int in_tile_h = 0, in_tile_w = 0;  // largest input tile, halo included, clipped to the tensor

    bool double_buffered = false;  // two input and two output buffers, DMA overlapping compute
    bool input_reused = false;     // one input tile for all output-channel tiles: loaded once

    // Static placement. With single buffering both entries of a pair are equal.
    int in_offset[2]{};
    int out_offset[2]{};
    int in_buffer_bytes = 0;    // one input buffer, aligned
    int out_buffer_bytes = 0;   // one output buffer, aligned
    int l1_bytes = 0;           // everything this layer places in L1
    bool weights_in_l1 = false;
    int weight_offset = 0;      // in L1 when weights_in_l1, else in the weight memory
    int weight_tile_bytes = 0;  // stored bytes of one weight tile (bits per weight, bias included)
    int weight_tile_elements = 0;  // int8 weights of one tile as the executor stages them

    long long score = 0;
    int candidates = 0;  // tile shapes evaluated: the tiler's cost

    // When status != ok: what was needed at the smallest tile tried, and what was available.
    long long need = 0;
    long long limit = 0;
    int smallest_tile_k = 0;

    constexpr bool ok() const { return status == tiling_status::ok; }
    constexpr bool tiled() const { return tile_count > 1; }
};

}  // namespace htvm::tiling
