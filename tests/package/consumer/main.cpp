// Runs a two-layer network and checks its output against a hand computation: 2x2 average pool of
// [1 2; 3 5] = 11/4 = 2.75, rounded half away from zero -> 3; then ReLU.
#include <htvm/htvm.hpp>

inline constexpr htvm::network net{
    htvm::input{.name = "x", .shape = {1, 2, 2, 1}},
    htvm::avg_pool{.name = "pool", .window = {2, 2}, .stride = {2, 2}},
    htvm::relu{.name = "relu"},
};

int main() {
    const std::int8_t in[4] = {1, 2, 3, 5};
    std::int8_t out[1] = {};
    htvm::model<net>::run(in, out);
    return out[0] == 3 ? 0 : 1;
}
