// Must not compile: a dense layer forced onto the digital accelerator whose smallest tile, 16 output
// channels (one PE row each) of 4096 weights plus their biases (65,600 B), exceeds the 64,000 B
// digital weight memory. The tiler's diagnostic names the layer, what one tile needs and the limit.
#include <htvm/diana.hpp>

const std::int8_t w[16 * 4096] = {};
const std::int32_t b[16] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 1, 1, 4096}},
    htvm::dense{.name = "big", .units = 16, .weights = w, .bias = b, .requant = htvm::shift_requant{.shift = 4},
                .target = "digital"},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::digital>>;

int main() {
    static std::int8_t in[4096], out[16];
    model::run(in, out);
}
