// Must not compile: the add names a layer "conv9" that does not exist.
#include <htvm/htvm.hpp>

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 4, 4, 4}},
    htvm::clip{.name = "relu", .min = 0},
    htvm::add{.name = "sum", .lhs = "relu", .rhs = "conv9"},
};

int main() { htvm::model<net>::run(); }
