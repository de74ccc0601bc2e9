// int8 fully connected: out[u] = requant(sum_i (in[i] - zp) * w[u][i] + bias[u]).
//
// Blocked over 8 units (then 4, then 1): each input byte is loaded and offset by the zero point once
// per block and feeds 8 multiply-adds, so the cost per MAC is about one weight load, one multiply
// and one add.
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "mac_block.hpp"
#include "requantize.hpp"

namespace htvm::cpu {
namespace detail {

template <int M, class Stage>
[[gnu::always_inline]] inline void dense_units(int u, int features, const std::int8_t* __restrict input,
                                               const std::int8_t* __restrict weights, const std::int32_t* bias,
                                               std::int32_t offset, const Stage& stage,
                                               std::int8_t* __restrict output) {
    std::uint32_t acc[M][1];
#pragma GCC unroll 16
    for (int m = 0; m < M; ++m) acc[m][0] = bias != nullptr ? static_cast<std::uint32_t>(bias[u + m]) : 0u;
    mac_block<M, 1, true>(acc, input, 0, weights + u * features, features, features, offset);
    typename Stage::channel ch[M];
#pragma GCC unroll 16
    for (int m = 0; m < M; ++m) ch[m] = stage.at(u + m);
    requantize_block<M, 1>(stage, ch, u, acc, output + u, 0);
}

// Not inlined: its locals must not add to the frame of run().
template <class Features, class Units, class Stage>
[[gnu::noinline]] void dense_blocked(Features features_, Units units_, const std::int8_t* __restrict input,
                                     const std::int8_t* __restrict weights, const std::int32_t* bias,
                                     std::int32_t offset, const Stage& stage, std::int8_t* __restrict output) {
    const int features = features_, units = units_;
    int u = 0;
    for (; u + 8 <= units; u += 8) dense_units<8>(u, features, input, weights, bias, offset, stage, output);
    for (; u + 4 <= units; u += 4) dense_units<4>(u, features, input, weights, bias, offset, stage, output);
    for (; u < units; ++u) dense_units<1>(u, features, input, weights, bias, offset, stage, output);
}

}  // namespace detail

// Features/Units: int (run time) or fixed_int<N> (compile time); same code either way.
template <output_arith arith = output_arith::dynamic, class Features, class Units>
void dense(Features features, Units units, const std::int8_t* input, const std::int8_t* weights,
           const std::int32_t* bias, const requant& rq, std::int8_t* output) {
    with_output_stage<arith>(rq, [&](const auto& stage) {
        detail::dense_blocked(features, units, input, weights, bias, -rq.input_zero_point(), stage, output);
    });
}

}  // namespace htvm::cpu
