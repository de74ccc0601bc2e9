// Must not compile: a 3x3 conv over 256 channels unrolls 2,304 inputs per output, and the analog
// array has 1,152 rows; input channels are never tiled.
#include <htvm/diana/objectives.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

const std::int8_t w1[64 * 3] = {};
const std::int8_t w2[64 * 3 * 3 * 256] = {};
const std::int8_t w_up[256 * 64] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 8, 8, 3}},
    htvm::conv2d{.name = "stem", .filters = 64, .weights = w1, .requant = htvm::shift_requant{.shift = 6}},
    htvm::conv2d{.name = "expand", .filters = 256, .weights = w_up, .requant = htvm::shift_requant{.shift = 6}},
    htvm::conv2d{.name = "wide3x3", .filters = 64, .kernel = {3, 3}, .padding = htvm::same, .weights = w2,
                 .requant = htvm::shift_requant{.shift = 6}},
};
using model = htvm::model<net>;

constexpr htvm::tiling::memory_limits analog{.l1_bytes = 256'000, .weight_bytes = 147'456, .weight_bits = 2,
                                             .array_rows = 1152, .array_columns = 512, .double_buffer = true};
constexpr const auto& plan = htvm::tiling::layer_plan<net, model::graph, 3, analog,
                                                      htvm::diana::analog_array_objective,
                                                      htvm::to_layer_name("analog")>;
int main() { return plan.tile_k; }
