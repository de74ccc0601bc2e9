// int8 fully connected: out[u] = requant(sum_i (in[i] - zp) * w[u][i] + bias[u]).
//
// Blocked over 8 units (a layer with fewer takes them one at a time): each input byte is loaded and
// offset by the zero point once per block and feeds 8 multiply-adds, so the cost per MAC is about one
// weight load, one multiply and one add. Sizes are run-time values: every dense layer of a network
// shares one instance per block height (with compile-time sizes each layer had its own, which cost
// flash for no speed); a network's unit counts only decide which of the two heights it compiles.
#pragma once
#include <cstdint>

#include "../quant.hpp"
#include "geometry.hpp"
#include "mac_block.hpp"
#include "requantize.hpp"

namespace htvm::cpu {
namespace detail {

// acc[m] += sum_k (x[k] + offset) * w[m * features + k], k < features. One pointer per weight row
// and the k loop four deep: a row pointer then advances once per four loads, which keeps the cost per
// MAC at about one weight load, one multiply and one add with the row length known only at run time.
template <int M>
[[gnu::always_inline]] inline void dense_dot(std::uint32_t (&acc)[M], const std::int8_t* x, const std::int8_t* w,
                                             int features, std::int32_t offset) {
    const std::int8_t* row[M];
#pragma GCC unroll 16
    for (int m = 0; m < M; ++m) row[m] = w + m * features;
    const std::int8_t* const end4 = x + (features & ~3);
    const std::int8_t* const end = x + features;
#pragma GCC unroll 1
    while (x != end4) {
        opaque(x);
        std::uint32_t in[4];
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) in[j] = static_cast<std::uint32_t>(x[j]) + static_cast<std::uint32_t>(offset);
#pragma GCC unroll 16
        for (int m = 0; m < M; ++m) {
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) acc[m] += static_cast<std::uint32_t>(row[m][j]) * in[j];
            row[m] += 4;
        }
        x += 4;
    }
    // (For M = 1 no unit loop: GCC applied that loop's unroll pragma to this one, 16 copies of it.)
#pragma GCC unroll 1
    while (x != end) {
        opaque(x);
        const std::uint32_t in = static_cast<std::uint32_t>(*x++) + static_cast<std::uint32_t>(offset);
        if constexpr (M == 1) {
            acc[0] += static_cast<std::uint32_t>(*row[0]++) * in;
        } else {
#pragma GCC unroll 16
            for (int m = 0; m < M; ++m) acc[m] += static_cast<std::uint32_t>(*row[m]++) * in;
        }
    }
}

// Units [u, u + M). Not inlined, one instance per block height: the sizes are run-time values, so
// every dense layer of a network shares the same code. `shared`: the output stage of every unit
// when the layer is per tensor (as TFLite's fully connected layers are).
template <int M, class Stage>
[[HTVM_MAC_FUNCTION]] void dense_units(int u, int features, const std::int8_t* __restrict input,
                                       const std::int8_t* __restrict weights, const std::int32_t* bias,
                                       std::int32_t offset, const Stage& stage,
                                       const typename Stage::channel& shared, std::int8_t* __restrict output) {
    std::uint32_t acc[M];
#pragma GCC unroll 16
    for (int m = 0; m < M; ++m) acc[m] = bias != nullptr ? static_cast<std::uint32_t>(bias[u + m]) : 0u;
    dense_dot<M>(acc, input, weights + u * features, features, offset);
    if constexpr (M == 1) {  // one requantization in the code, whichever parameters it takes
        const typename Stage::channel c = stage.per_channel() ? channel_at(stage, u, unknown_bound) : shared;
        output[u] = requantize_value(stage, c, u, acc[0]);
    } else if (!stage.per_channel()) {
#pragma GCC unroll 16
        for (int m = 0; m < M; ++m) output[u + m] = requantize_value(stage, shared, u + m, acc[m]);
    } else {
        // One channel's parameters at a time (a copy of all M would be M * 44 bytes of stack, and
        // code to fill it).
        std::uint32_t sums[M];
#pragma GCC unroll 16
        for (int m = 0; m < M; ++m) sums[m] = acc[m];
#pragma GCC unroll 1
        for (int m = 0; m < M; ++m)
            output[u + m] = requantize_value(stage, channel_at(stage, u + m, unknown_bound), u + m, sums[m]);
    }
}

// Which block heights a layer needs: 8 (units >= 8: blocks of 8, the last one overlapping its
// predecessor when 8 does not divide the count), 1 (fewer than 8 units), or either (not known when
// compiling). A compiled network knows each layer's count, so it instantiates only what it uses.
// A layer of fewer than small_dense_macs MACs (the classifier at the end of a CNN) takes blocks of 1
// even with 8 or more units: the 8-unit block is about 1.3 kB of RV32 code, and for such a layer it
// saves at most a few thousand instructions per inference.
enum class dense_heights { eight, one, either };
inline constexpr int small_dense_macs = 1024;

template <class Features, class Units>
inline constexpr dense_heights dense_heights_for = dense_heights::either;
template <class Features, int N>
inline constexpr dense_heights dense_heights_for<Features, fixed_int<N>> =
    N >= 8 ? dense_heights::eight : dense_heights::one;
template <int F, int N>
inline constexpr dense_heights dense_heights_for<fixed_int<F>, fixed_int<N>> =
    N >= 8 && F * N >= small_dense_macs ? dense_heights::eight : dense_heights::one;

// Not inlined: its locals must not add to the frame of run().
template <dense_heights heights, class Stage>
[[gnu::noinline]] void dense_blocked(int features, int units, const std::int8_t* __restrict input,
                                     const std::int8_t* __restrict weights, const std::int32_t* bias,
                                     std::int32_t offset, const Stage& stage, std::int8_t* __restrict output) {
    const typename Stage::channel shared = channel_at(stage, 0, unknown_bound);
    if constexpr (heights != dense_heights::one) {
        if (heights == dense_heights::eight || units >= 8) {
            int u = 0;
            for (; u + 8 <= units; u += 8)
                dense_units<8>(u, features, input, weights, bias, offset, stage, shared, output);
            // The last units again in one block of 8, which rewrites up to 7 outputs with the same
            // values (the output never aliases the input): cheaper than a block height more in flash.
            if (u < units) dense_units<8>(units - 8, features, input, weights, bias, offset, stage, shared, output);
            return;
        }
    }
    if constexpr (heights != dense_heights::eight) {
        for (int u = 0; u < units; ++u)
            dense_units<1>(u, features, input, weights, bias, offset, stage, shared, output);
    }
}

}  // namespace detail

// Features/Units: int (run time) or fixed_int<N> (compile time); same code either way.
template <output_arith arith = output_arith::dynamic, class Features, class Units, requant_argument Requant>
void dense(Features features, Units units, const std::int8_t* input, const std::int8_t* weights,
           const std::int32_t* bias, const Requant& rq, std::int8_t* output) {
    with_output_stage<arith>(rq, [&](const auto& stage) {
        detail::dense_blocked<detail::dense_heights_for<Features, Units>>(features, units, input, weights, bias,
                                                                          input_offset(rq), stage, output);
    });
}

}  // namespace htvm::cpu
