// Tensor shapes. Activations are NHWC int8 with batch 1, as in TFLite Micro.
#pragma once
#include <cstdint>

namespace htvm {

struct shape {
    int n = 1, h = 1, w = 1, c = 1;

    constexpr int elements() const { return n * h * w * c; }
    friend constexpr bool operator==(const shape&, const shape&) = default;
};

// A pair of spatial integers (kernel size, stride, pool window...).
struct hw {
    int h = 1, w = 1;
    friend constexpr bool operator==(const hw&, const hw&) = default;
};

}  // namespace htvm
