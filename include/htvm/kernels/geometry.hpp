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
