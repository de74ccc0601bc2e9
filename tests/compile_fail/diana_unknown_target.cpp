// Must not compile: '.target' names no DIANA unit.
#include <htvm/diana.hpp>

const std::int8_t w[8 * 4] = {};
const std::int32_t b[8] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, 4, 4, 4}},
    htvm::conv2d{.name = "pw", .filters = 8, .weights = w, .bias = b, .requant = htvm::shift_requant{.shift = 4},
                 .target = "gpu"},
};
using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed>>;

int main() {
    static std::int8_t in[4 * 4 * 4], out[4 * 4 * 8];
    model::run(in, out);
}
