// int8 fully connected: out[u] = requant(sum_i (in[i] - zp) * w[u][i] + bias[u]).
#pragma once
#include <cstdint>

#include "../quant.hpp"

namespace htvm::cpu {

inline void dense(int features, int units, const std::int8_t* input, const std::int8_t* weights,
                  const std::int32_t* bias, const requant& rq, std::int8_t* output) {
    const std::int32_t input_offset = -rq.input_zero_point();
    for (int u = 0; u < units; ++u) {
        const std::int8_t* row = weights + u * features;
        std::int32_t acc = 0;
        for (int i = 0; i < features; ++i) acc += (input[i] + input_offset) * row[i];
        if (bias != nullptr) acc += bias[u];
        output[u] = rq.apply(acc, u);
    }
}

}  // namespace htvm::cpu
