// Run-time geometry of a kernel call. In a compiled network every field is a compile-time constant
// passed by value, so the optimizer sees fixed loop bounds; tests pass random ones.
#pragma once
#include "../shape.hpp"

namespace htvm::cpu {

struct window_geometry {
    shape in{}, out{};
    hw kernel{1, 1};
    hw stride{1, 1};
    int pad_top = 0, pad_left = 0;  // bottom/right padding follows from the output size
};

}  // namespace htvm::cpu
