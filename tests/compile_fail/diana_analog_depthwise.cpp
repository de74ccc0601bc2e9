// Must not compile: a depthwise convolution forced onto the analog accelerator (groups = 1 only).
#include <htvm/diana.hpp>

const std::int8_t w[3 * 3 * 8] = {};
const std::int32_t b[8] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 8}},
    htvm::depthwise_conv2d{.name = "dw1", .kernel = {3, 3}, .padding = htvm::same, .weights = w, .bias = b,
                           .requant = htvm::shift_requant{.shift = 4}, .target = "analog"},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed>>;

int main() {
    static std::int8_t in[8 * 8 * 8], out[8 * 8 * 8];
    model::run(in, out);
}
