// Must not compile: a stride-3 convolution forced onto DIANA's digital accelerator, which strides
// by 1x1 or 2x2 only (tiling does not change what the array can compute).
#include <htvm/diana.hpp>

const std::int8_t w[8 * 3 * 3 * 4] = {};
const std::int32_t b[8] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 16, 16, 4}},
    htvm::conv2d{.name = "stride3", .filters = 8, .kernel = {3, 3}, .stride = {3, 3}, .weights = w, .bias = b,
                 .requant = htvm::shift_requant{.shift = 4}, .target = "digital"},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed>>;

int main() {
    static std::int8_t in[16 * 16 * 4], out[5 * 5 * 8];
    model::run(in, out);
}
