// Must not compile: a dense layer whose weights (128 x 640) do not fit the digital weight memory
// (64,000 B) forced onto the digital accelerator before tiling exists.
#include <htvm/diana.hpp>

const std::int8_t w[128 * 640] = {};
const std::int32_t b[128] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 1, 1, 640}},
    htvm::dense{.name = "big", .units = 128, .weights = w, .bias = b, .requant = htvm::diana_requant{.shift = 4},
                .target = "digital"},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::digital>>;

int main() {
    static std::int8_t in[640], out[128];
    model::run(in, out);
}
