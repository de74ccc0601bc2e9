// Must not compile: one output pixel of 16 filters of a 3x3 conv over 256 channels needs a
// 2,304 B input window and 16 B of output, twice (double-buffered): 4,640 B > 1,000 B of L1.
#include <htvm/diana/objectives.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

const std::int8_t w[32 * 3 * 3 * 256] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "features", .shape = {1, 8, 8, 256}},
    htvm::conv2d{.name = "conv_big", .filters = 32, .kernel = {3, 3}, .padding = htvm::same, .weights = w,
                 .requant = htvm::shift_requant{.shift = 6}},
};
using model = htvm::model<net>;

constexpr htvm::tiling::memory_limits cluster{.l1_bytes = 1'000, .weight_bytes = 100'000, .min_tile_k = 16,
                                              .double_buffer = true};
constexpr const auto& plan = htvm::tiling::layer_plan<net, model::graph, 1, cluster,
                                                      htvm::diana::digital_array_objective,
                                                      htvm::to_layer_name("cluster")>;
int main() { return plan.tile_k; }
