// Compile-time error diagnostics. C++20 static_assert messages must be string literals, so the values
// (layer index, name, shapes, bytes) travel as template arguments: the compiler prints them in the
// "In instantiation of 'htvm::error::...<...>'" line right above the static_assert message.
// Each diagnostic is instantiated only when its check failed.
#pragma once
#include <cstddef>
#include <utility>

#include "shape.hpp"

namespace htvm {

// A layer name copied into a structural type so that it can be a template argument.
struct layer_name {
    char text[40]{};
};
constexpr layer_name to_layer_name(const char* name) {
    layer_name out{};
    for (int i = 0; name != nullptr && name[i] != '\0' && i < 39; ++i) out.text[i] = name[i];
    return out;
}

namespace error {

template <char...>
inline constexpr bool spelled_out = false;

// Clang prints a layer_name argument as character codes ({{99, 111, 110, 118, 50, 0, ...}}), but a
// pack of chars as characters: under Clang every diagnostic below first instantiates
// layer_called<'c', 'o', 'n', 'v', '2'> for its layer (as its base class), so the name can be read
// in the line above the diagnostic's. GCC prints layer_name{"conv2"} itself and gets no extra error.
template <char... name>
struct layer_called {
    static_assert(spelled_out<name...>,
                  "htvm: the layer that the error below names, spelled out: the arguments of "
                  "'htvm::error::layer_called<...>'");
};

namespace detail {
constexpr std::size_t name_length(const layer_name& name) {
    std::size_t length = 0;
    while (length < sizeof name.text && name.text[length] != '\0') ++length;
    return length;
}
template <layer_name name, std::size_t... i>
layer_called<name.text[i]...> spell(std::index_sequence<i...>);
}  // namespace detail

#if defined(__clang__)
template <layer_name name>
using spelled_for_clang = decltype(detail::spell<name>(std::make_index_sequence<detail::name_length(name)>{}));
#else
template <layer_name name>
struct spelled_for_clang {};
#endif

template <int layer, layer_name name, shape expected, shape actual>
struct shape_mismatch : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: shape mismatch: the layer's input does not have the shape it needs. The layer index, "
                  "its name, the expected and the actual shape are the arguments of "
                  "'htvm::error::shape_mismatch<layer, name, expected, actual>' printed above.");
};

template <int layer, layer_name name, shape inferred, shape expected>
struct output_shape_differs : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: the layer's inferred output shape differs from the one its '.expect' declares. See "
                  "'htvm::error::output_shape_differs<layer, name, inferred, expected>' above.");
};

template <int layer, layer_name name, int expected_elements, int actual_elements>
struct weights_size_mismatch : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: the layer's weight (or bias) array has the wrong number of elements for its shape. "
                  "See 'htvm::error::weights_size_mismatch<layer, name, expected_elements, actual_elements>' "
                  "above.");
};

template <int layer, layer_name name, layer_name missing_input>
struct unknown_input : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: the layer reads from a layer name that is not declared before it. See "
                  "'htvm::error::unknown_input<layer, name, missing_input>' above.");
};

template <int layer, layer_name name, int referenced_layer>
struct input_not_earlier : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: a layer may only read from layers declared before it (the graph runs in declaration "
                  "order). See 'htvm::error::input_not_earlier<layer, name, referenced_layer>' above.");
};

template <int layer, layer_name name, shape input, int kernel_h, int kernel_w>
struct kernel_larger_than_input : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: the kernel or window does not fit the (padded) input, so the output would be empty. "
                  "See 'htvm::error::kernel_larger_than_input<layer, name, input, kernel_h, kernel_w>' above.");
};

template <int layer, layer_name name>
struct invalid_parameters : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: the layer has a missing or out-of-range parameter (filters/units <= 0, kernel or stride "
                  "< 1, missing weights, a requantization shift outside 0..31, an empty clamp range (min > max), explicit "
                  "pool padding as large as the window). See "
                  "'htvm::error::invalid_parameters<layer, name>' above.");
};

template <int layer, layer_name name>
struct input_layer_misplaced : spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm: a network starts with exactly one htvm::input layer, at index 0. See "
                  "'htvm::error::input_layer_misplaced<layer, name>' above.");
};

template <int arena_bytes, int budget_bytes>
struct arena_over_budget {
    static_assert(arena_bytes <= budget_bytes,
                  "htvm: the activation arena does not fit the memory budget. Both numbers are the arguments of "
                  "'htvm::error::arena_over_budget<arena_bytes, budget_bytes>' printed above; shrink the "
                  "network's activations or give it more memory.");
};

}  // namespace error
}  // namespace htvm
