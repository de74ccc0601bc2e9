// Must not compile: the arena (131,072 B: conv1's 64x64x16 output and conv2's 16x16x256 one),
// 38,384 B of constants (37,888 B of them in 'conv2') and the caller's input and output buffers
// (12,288 + 65,536 B) need 247,280 B of a 128,000 B L2.
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

const std::int8_t w1[16 * 3 * 3 * 3] = {};
const std::int32_t b1[16] = {};
const std::int8_t w2[256 * 3 * 3 * 16] = {};
const std::int32_t b2[256] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 64, 64, 3}},
    htvm::conv2d{.name = "conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = w1, .bias = b1,
                 .requant = htvm::shift_requant{.shift = 6}},
    htvm::conv2d{.name = "conv2", .filters = 256, .kernel = {3, 3}, .stride = {4, 4}, .padding = htvm::same,
                 .weights = w2, .bias = b2, .requant = htvm::shift_requant{.shift = 6}},
};
using model = htvm::model<net>;

static_assert(htvm::tiling::l2_fits<model, 128'000>);
int main() {}
