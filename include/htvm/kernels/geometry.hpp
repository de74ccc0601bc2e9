// Geometry of a kernel call. Kernels are templates on the geometry type: tests pass a run-time
// window_geometry, a compiled network passes fixed_window<G>, whose fields are static constants, so
// that the same kernel source gets constant loop bounds and strides (immediate address offsets).
#pragma once
#include "../shape.hpp"

namespace htvm::cpu {

struct window_geometry {
    shape in{}, out{};
    hw kernel{1, 1};
    hw stride{1, 1};
    int pad_top = 0, pad_left = 0;  // bottom/right padding follows from the output size

    friend constexpr bool operator==(const window_geometry&, const window_geometry&) = default;
};

// window_geometry G as compile-time constants; reads like a window_geometry.
template <window_geometry G>
struct fixed_window {
    static constexpr shape in = G.in;
    static constexpr shape out = G.out;
    static constexpr hw kernel = G.kernel;
    static constexpr hw stride = G.stride;
    static constexpr int pad_top = G.pad_top;
    static constexpr int pad_left = G.pad_left;
};

template <class Geometry>
inline constexpr bool is_fixed_window = false;
template <window_geometry G>
inline constexpr bool is_fixed_window<fixed_window<G>> = true;

// The horizontal window arithmetic of the convolution plans (conv_plan, depthwise_plan) for a row of
// in_w input and out_w output columns, kernel width kw, stride sw.
// Padding columns right of the input that the last window reaches (negative: none, and unread
// input columns).
[[gnu::always_inline]] constexpr int right_padding(int in_w, int out_w, int kw, int sw, int pad_left) {
    return (out_w - 1) * sw + kw - pad_left - in_w;
}
// Output columns [inside_begin, inside_end) have windows inside the input horizontally:
// ox * sw - pad_left >= 0 and ox * sw - pad_left + kw <= in_w.
[[gnu::always_inline]] constexpr int inside_begin(int out_w, int sw, int pad_left) {
    const int lo = pad_left > 0 ? (pad_left + sw - 1) / sw : 0;
    return lo < out_w ? lo : out_w;
}
[[gnu::always_inline]] constexpr int inside_end(int in_w, int out_w, int kw, int sw, int pad_left) {
    const int lo = inside_begin(out_w, sw, pad_left);
    const int room = in_w - kw + pad_left;
    const int hi = room >= 0 ? room / sw + 1 : 0;
    return hi < lo ? lo : (hi > out_w ? out_w : hi);
}

// For a fixed geometry, whether Condition{}(plan) is known to be true / false; for a run-time
// geometry neither is known. Code behind `if constexpr (!known_false<C, Plan>)` is then never
// instantiated for a geometry that provably never runs it.
// (Plan: a kernel's plan type, with `static constexpr bool fixed` and constexpr members.)
template <class Condition, class Plan>
inline constexpr bool known_true = [] {
    if constexpr (Plan::fixed) return Condition{}(Plan{});
    else return false;
}();
template <class Condition, class Plan>
inline constexpr bool known_false = [] {
    if constexpr (Plan::fixed) return !Condition{}(Plan{});
    else return false;
}();

// A compile-time int that converts to int (sizes of the flat kernels: dense, element-wise).
template <int N>
struct fixed_int {
    constexpr operator int() const { return N; }
};

}  // namespace htvm::cpu
