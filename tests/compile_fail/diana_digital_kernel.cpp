// Must not compile: a 2 x 2 convolution forced onto the digital accelerator (kernels 1, 3, 5, 7 only).
#include <htvm/diana.hpp>

const std::int8_t w[8 * 2 * 2 * 4] = {};
const std::int32_t b[8] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 4}},
    htvm::conv2d{.name = "wide", .filters = 8, .kernel = {2, 2}, .weights = w, .bias = b,
                 .requant = htvm::shift_requant{.shift = 4}, .target = "digital"},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::cpu_only>>;

int main() {
    static std::int8_t in[8 * 8 * 4], out[7 * 7 * 8];
    model::run(in, out);
}
