// The register-blocked inner product shared by the convolution and dense kernels: M weight rows
// times N input runs, M*N int32 accumulators kept in registers. Each loaded input byte feeds M
// multiplies and each weight byte N, so a 4x4 block needs 8 loads for 16 multiply-adds.
// Accumulators are unsigned: the sum is exact modulo 2^32 whatever the order, which is what lets the
// kernels fold the input zero point out of the loop (an int32 sum that does not overflow in the
// plain order is reproduced exactly).
#pragma once
#include <cstdint>

namespace htvm::cpu {

// Keeps `p` one register: with constant strides, GCC's induction-variable pass would otherwise turn
// every x + n * step into a separate pointer (and spill them), instead of reg+immediate addressing.
template <class T>
[[gnu::always_inline]] inline void opaque(T*& p) {
#if defined(__GNUC__)
    asm("" : "+r"(p));
#else
    (void)p;
#endif
}

// Attribute of the (non-inlined) functions that hold a MAC loop. GCC's pre-register-allocation
// scheduler hoists all loads of a step to its top, and tree reassociation regroups the accumulator
// chains; either pushes a register block past RV32's 27 allocatable registers and spills
// accumulators inside the loop. Without them the loops are spill-free.
#if defined(__GNUC__) && !defined(__clang__)
#define HTVM_MAC_FUNCTION \
    gnu::noinline, gnu::optimize("no-schedule-insns", "no-tree-reassoc")
#else
#define HTVM_MAC_FUNCTION gnu::noinline
#endif

// sum of w[0 .. count) (for folding the input zero point), 4 bytes per iteration. Not inlined:
// called once per channel, and unrolled into its callers it would only grow their stack frames.
[[gnu::noinline]] inline std::uint32_t weight_sum(const std::int8_t* w, int count) {
    std::uint32_t sum = 0;
    int k = 0;
    for (; k + 4 <= count; k += 4)
        sum += static_cast<std::uint32_t>(w[k] + w[k + 1]) + static_cast<std::uint32_t>(w[k + 2] + w[k + 3]);
    for (; k < count; ++k) sum += static_cast<std::uint32_t>(w[k]);
    return sum;
}

// One k step of mac_block, at x[n * x_step + k], w[m * w_step + k].
template <int M, int N, bool add_offset>
[[gnu::always_inline]] inline void mac_step(std::uint32_t (&acc)[M][N], const std::int8_t* x, int x_step,
                                            const std::int8_t* w, int w_step, int k, std::int32_t offset) {
    std::uint32_t in[N];
#pragma GCC unroll 16
    for (int n = 0; n < N; ++n) {
        in[n] = static_cast<std::uint32_t>(x[n * x_step + k]);
        if constexpr (add_offset) in[n] += static_cast<std::uint32_t>(offset);
    }
#pragma GCC unroll 16
    for (int m = 0; m < M; ++m) {
        const std::uint32_t weight = static_cast<std::uint32_t>(w[m * w_step + k]);
#pragma GCC unroll 16
        for (int n = 0; n < N; ++n) acc[m][n] += weight * in[n];
    }
}

// acc[m][n] += sum_{k < length} (x[n * x_step + k] + offset) * w[m * w_step + k]
// (`+ offset` only when add_offset; otherwise the caller has folded it into acc), for `rows` >= 1
// kernel rows: after each row x advances by x_row_step and w by w_row_step (the row loop lives here
// so that only its counter stays live around the MAC loop).
// With constant strides every address is register + immediate.
template <int M, int N, bool add_offset>
[[gnu::always_inline]] inline void mac_block(std::uint32_t (&acc)[M][N], const std::int8_t* x, int x_step,
                                             const std::int8_t* w, int w_step, int length, std::int32_t offset,
                                             int rows = 1, int x_row_step = 0, int w_row_step = 0) {
    do {  // rows >= 1
        const std::int8_t* const end = x + length;
        // Never unrolled: at -O3 GCC would unroll short loops completely, beyond the registers.
#pragma GCC unroll 1
        while (x != end) {
            opaque(x);
            opaque(w);
            mac_step<M, N, add_offset>(acc, x, x_step, w, w_step, 0, offset);
            ++x;
            ++w;
        }
        x += x_row_step - length;
        w += w_row_step - length;
    } while (--rows > 0);
}

// Convolution rows where horizontally adjacent windows share input columns: N windows of width KW
// at stride S read (N - 1) * S + KW columns of `channels` bytes (NHWC: column j, channel c at
// x[j * channels + c]).
// acc[m][n] += sum_{c < channels} sum_{kx < KW} col(n * S + kx)[c] * w[m * w_step + kx * channels + c]
// Per input channel: one load per column and KW * M weight loads feed KW * M * N multiply-adds
// (3 x 3 kernel, stride 1, 2 x 6 block: 14 loads for 36 MACs, against 24 with mac_block).
// The first L and last R columns lie in the padding: they read as `pad_value` (the input zero point,
// which contributes nothing once the caller has folded the zero point), and x points at the first
// real column. Repeats for `rows` >= 1 kernel rows, advancing x by x_row_step and w by w_row_step.
template <int M, int N, int KW, int S, int L = 0, int R = 0>
[[gnu::always_inline]] inline void mac_block_columns(std::uint32_t (&acc)[M][N], const std::int8_t* x, int channels,
                                                     const std::int8_t* w, int w_step, std::int32_t pad_value,
                                                     int rows, int x_row_step, int w_row_step) {
    constexpr int columns = (N - 1) * S + KW;
    // One input channel at xk: column j is read at its first use (GCC reuses the load), which keeps
    // the number of live values within RV32's registers.
    auto step = [&](const std::int8_t* xk, const std::int8_t* wk) {
        auto column = [&](int j) {
            return j < L || j >= columns - R ? static_cast<std::uint32_t>(pad_value)
                                             : static_cast<std::uint32_t>(xk[(j - L) * channels]);
        };
#pragma GCC unroll 16
        for (int kx = 0; kx < KW; ++kx)
#pragma GCC unroll 16
            for (int m = 0; m < M; ++m) {
                const std::uint32_t weight = static_cast<std::uint32_t>(wk[m * w_step + kx * channels]);
#pragma GCC unroll 16
                for (int n = 0; n < N; ++n) acc[m][n] += weight * column(n * S + kx);
            }
    };
    do {  // rows >= 1
        const std::int8_t* const end = x + channels;
        // Never unrolled: at -O3 GCC would unroll short loops completely, beyond the registers.
#pragma GCC unroll 1
        while (x != end) {
            step(x, w);
            ++x;
            ++w;
        }
        x += x_row_step - channels;
        w += w_row_step - channels;
    } while (--rows > 0);
}

}  // namespace htvm::cpu
