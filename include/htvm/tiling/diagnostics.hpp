// Compile-time diagnostics of the memory budgets, in the style of htvm/diagnostics.hpp: the numbers
// travel as template arguments and appear in the "In instantiation of 'htvm::error::...<...>'"
// line the compiler prints right above the static_assert message.
#pragma once
#include "../diagnostics.hpp"

namespace htvm::error {

template <int layer, layer_name name, layer_name accelerator, int weight_bytes_needed, int weight_bytes_available,
          int output_channels_per_tile>
struct weight_memory_impossible : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: the layer's weights do not fit the accelerator's weight memory, even with the smallest "
                  "tile of output channels. The layer index, its name, the accelerator, the bytes one weight tile "
                  "needs, the bytes available and that tile's output channels are the arguments of "
                  "'htvm::error::weight_memory_impossible<layer, name, accelerator, weight_bytes_needed, "
                  "weight_bytes_available, output_channels_per_tile>' printed above. Run the layer on the CPU "
                  "(.target = \"cpu\") or split it into layers with fewer input channels.");
};

template <int layer, layer_name name, layer_name accelerator, int l1_bytes_needed, int l1_bytes_available,
          int output_channels_per_tile>
struct l1_impossible : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: no tile of the layer fits the accelerator's L1, not even one output pixel of the smallest "
                  "tile of output channels (input channels are never tiled). See "
                  "'htvm::error::l1_impossible<layer, name, accelerator, l1_bytes_needed, l1_bytes_available, "
                  "output_channels_per_tile>' above for the numbers. Run the layer on the CPU (.target = \"cpu\"), "
                  "give the accelerator more L1, or split the layer into layers with fewer input channels.");
};

template <int layer, layer_name name, layer_name accelerator, int rows_needed, int rows_available>
struct array_rows_exceeded : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: one output of the layer reads more inputs (channels x kernel height x kernel width) than "
                  "the accelerator's array has rows, and input channels cannot be tiled. See "
                  "'htvm::error::array_rows_exceeded<layer, name, accelerator, rows_needed, rows_available>' above. "
                  "Run the layer on the CPU (.target = \"cpu\") or split its input channels.");
};

template <int layer, layer_name name, layer_name accelerator, int element_multiple>
struct tile_elements_not_multiple : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: tiles of the layer fit the accelerator's memories, but none has input and output element "
                  "counts that are all multiples of what the accelerator moves at once. See "
                  "'htvm::error::tile_elements_not_multiple<layer, name, accelerator, element_multiple>' above. Run "
                  "the layer on the CPU (.target = \"cpu\") or change its channels to a multiple of that number.");
};

template <int layer, layer_name name, layer_name accelerator>
struct tiling_invalid_problem : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: the tiler was given an inconsistent layer geometry. See "
                  "'htvm::error::tiling_invalid_problem<layer, name, accelerator>' above.");
};

template <int l1_bytes_used, int l1_bytes_available, int weight_bytes_used, int weight_bytes_available>
struct tile_over_budget {
    static_assert(l1_bytes_used <= l1_bytes_available && weight_bytes_used <= weight_bytes_available,
                  "htvm: a tile plan exceeds its memories (a tiler bug). See 'htvm::error::tile_over_budget<"
                  "l1_bytes_used, l1_bytes_available, weight_bytes_used, weight_bytes_available>' above.");
};

template <long long bytes_needed, long long bytes_available, long long arena_bytes, long long weight_bytes,
          long long io_bytes, int largest_weights_layer, layer_name largest_weights_name,
          long long largest_weights_bytes>
struct l2_over_budget : spelled_for_clang<largest_weights_name> {
    static_assert(bytes_needed <= bytes_available,
                  "htvm: the network does not fit L2: activation arena + weights + input/output buffers exceed it. "
                  "The total needed, the L2 available, the arena, the weights, the I/O buffers and the layer with "
                  "the most weight bytes (index, name, bytes) are the arguments of 'htvm::error::l2_over_budget<"
                  "bytes_needed, bytes_available, arena_bytes, weight_bytes, io_bytes, largest_weights_layer, "
                  "largest_weights_name, largest_weights_bytes>' printed above. Shrink the network (fewer channels, "
                  "smaller input) or deploy it on a part with more memory.");
};

}  // namespace htvm::error
