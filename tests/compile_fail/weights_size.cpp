// Must not compile: 10 units x 16 features need 160 weights; the array holds 155.
#include <htvm/htvm.hpp>

const std::int8_t fc_weights[155] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "features", .shape = {1, 1, 1, 16}},
    htvm::dense{.name = "fc", .units = 10, .weights = fc_weights, .requant = htvm::shift_requant{.shift = 2}},
};

int main() { htvm::model<net>::run(); }
