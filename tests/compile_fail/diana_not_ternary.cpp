// Must not compile: analog weights must be ternary; pack_ternary reads them at compile time and
// stops on the 2.
#include <htvm/diana.hpp>

inline constexpr std::int8_t w[2 * 1 * 1 * 4] = {1, 0, -1, 1, 0, 2, 1, -1};
inline constexpr auto packed = htvm::diana::pack_ternary<2, 4, 1, 1>(w);

int main() { return packed[0]; }
