// Must not compile: KWS's first convolution reads a 49 x 10 x 1 input, so however its rows are cut,
// some input tile holds a number of elements that is not a multiple of 4 (DIANA's digital
// accelerator moves whole 32-bit words).
#include <htvm/diana/objectives.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

const std::int8_t w[64 * 10 * 4 * 1] = {};
const std::int32_t b[64] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "mfcc", .shape = {1, 49, 10, 1}},
    htvm::conv2d{.name = "conv1", .filters = 64, .kernel = {10, 4}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = w, .bias = b, .requant = htvm::shift_requant{.shift = 6, .relu = true}},
};
using model = htvm::model<net>;

constexpr htvm::tiling::memory_limits words{.l1_bytes = 1'500, .weight_bytes = 64'000, .bias_bytes = 4,
                                            .weight_k_granularity = 16, .tile_elements_multiple = 4,
                                            .min_tile_k = 16, .double_buffer = true};
constexpr const auto& plan = htvm::tiling::layer_plan<net, model::graph, 1, words,
                                                      htvm::diana::digital_array_objective,
                                                      htvm::to_layer_name("digital")>;
int main() { return plan.tile_k; }
