// Must not compile: conv2's weights are for 4 input channels, conv1 produces 16.
#include <htvm/htvm.hpp>

const std::int8_t conv1_weights[16 * 3 * 3 * 3] = {};
const std::int8_t conv2_weights[8 * 3 * 3 * 4] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 8, 8, 3}},
    htvm::conv2d{.name = "conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = conv1_weights,
                 .requant = htvm::shift_requant{.shift = 4}},
    htvm::conv2d{.name = "conv2", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = conv2_weights,
                 .requant = htvm::shift_requant{.shift = 4}},
};

int main() { htvm::model<net>::run(); }
