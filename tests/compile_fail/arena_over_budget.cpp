// Must not compile: the arena needs 2048 B (input 1024 B + pool output 1024 B), the budget is 1024 B.
#include <htvm/htvm.hpp>

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 16, 16, 4}},
    htvm::max_pool{.name = "pool", .window = {1, 1}, .stride = {1, 1}},
};
using model = htvm::model<net>;
static_assert(htvm::arena_fits<model, 1024>);

int main() { model::run(); }
