// What a platform tells the tiler: the memories a tile must fit (memory_limits) and what makes one
// fitting tile better than another (objective, DORY's "bytes used + weighted heuristics"). Each
// platform defines its own values, beside its other numbers.
#pragma once

namespace htvm::tiling {

struct memory_limits {
    int l1_bytes = 0;               // activation scratchpad the tiles are moved into
    int weight_bytes = 0;           // dedicated weight memory (ignored when weights_in_l1)
    bool weights_in_l1 = false;     // no weight memory: weight tiles share L1 with the activations
    int weight_bits = 8;            // bits per weight in the weight memory (8: int8, 2: 2-bit cells);
                                    // weights in L1 are staged as int8
    int bias_bytes = 0;             // bytes per output channel stored next to the weights (0: none),
                                    // after the weights rounded up to 4 bytes
    int weight_k_granularity = 1;   // weights are stored for K rounded up to this: zero filters pad
                                    // a row of processing elements, or a packed byte of 2-bit weights
    int tile_elements_multiple = 1; // every tile's input and output element counts must be multiples
                                    // of this (an accelerator that moves 32-bit words of int8: 4)
    int array_rows = 0;             // hard limit on channels x kernel rows unrolled per output (0: none)
    int array_columns = 0;          // hard limit on output channels per tile (0: none)
    int min_tile_k = 1;             // smallest output-channel tile worth running (unless K is smaller)
    bool double_buffer = false;     // asynchronous DMA: two input and two output buffers
    int alignment = 4;              // every L1 buffer starts and ends on this many bytes
};

// Linear score of a fitting tile; the tiler keeps the highest. DORY's objective is bytes used plus
// large bonuses that encode what the accelerator and its DMA like.
struct objective {
    long long per_byte = 1;             // per byte used in L1 and in the weight memory
    int k_multiple = 16;                // output-channel granularity: candidate K tiles are its multiples
                                        // (plus all of K and halvings below it), so keep it >= 8
    long long k_multiple_bonus = 0;     // once, if the K tile is a multiple of k_multiple (or all of K)
    int ox_multiple = 16;               // output-column granularity of the candidate OX tiles, likewise
    long long ox_multiple_bonus = 0;    // once, if the OX tile is a multiple of ox_multiple (or all of OX)
    long long per_k = 0;                // per output channel in the tile (fill the array's columns)
    long long per_ox = 0;               // per output column (fewer, longer DMA rows)
    long long per_input_row = 0;        // per input row (tall input tiles: contiguous DMA)
    int min_pixels = 16;                // outputs per channel that keep the array busy
    long long min_pixels_bonus = 0;     // once, if OY x OX of the tile reaches min_pixels
};

// Plain "fill L1": no hardware preference.
inline constexpr objective bytes_only_objective{};

}  // namespace htvm::tiling
