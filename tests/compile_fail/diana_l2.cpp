// Must not compile: the activations of this network (a 64 x 64 x 64 tensor feeding a 64 x 64 x 64
// tensor: 524,288 B of arena) exceed DIANA's 512,000 B L2 on their own (561,920 B with weights and
// I/O). Tiling moves tiles between L2 and L1; it cannot make the tensors in L2 smaller. The error
// gives need, limit and the parts.
#include <htvm/diana.hpp>

const std::int8_t w1[64 * 4] = {}, w2[64 * 64] = {};
const std::int32_t b[64] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 64, 64, 4}},
    htvm::conv2d{.name = "widen", .filters = 64, .weights = w1, .bias = b, .requant = htvm::shift_requant{.shift = 4}},
    htvm::conv2d{.name = "mix", .filters = 64, .weights = w2, .bias = b, .requant = htvm::shift_requant{.shift = 4}},
    htvm::avg_pool{.name = "pool", .window = {4, 4}, .stride = {4, 4}},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed>>;

int main() {
    static std::int8_t in[64 * 64 * 4], out[16 * 16 * 64];
    model::run(in, out);
}
