// Must not compile: the table of DIANA forms names a layer that the network does not have.
#include <htvm/diana.hpp>

const std::int8_t w[8 * 3 * 3 * 8] = {};
const std::int32_t b[8] = {}, k[8] = {}, l[8] = {};
const std::uint8_t ternary[3 * 3 * 8 * 2] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 8}},
    htvm::conv2d{.name = "conv1", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w, .bias = b,
                 .requant = htvm::shift_requant{.shift = 4}},
};
// "conv2" is a typo for "conv1": silently ignoring it would leave conv1 off the analog array.
inline constexpr htvm::diana::layer_form forms[] = {
    {.layer = "conv2", .analog = {.weights = {ternary, 8 * 72}, .scale = k, .offset = l, .shift = 4}},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed, forms>>;

int main() {
    static std::int8_t in[8 * 8 * 8], out[8 * 8 * 8];
    model::run(in, out);
}
