// What every operator shares: how it names its inputs, the padding vocabulary, references to
// constant data, and what its shape inference returns. An operator is one struct in
// ops/<name>.hpp that satisfies htvm::operation (below) and is listed once in ops/all.hpp.
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../shape.hpp"

namespace htvm {

enum class padding_mode : std::uint8_t { valid, same, explicit_pads };

struct padding {
    padding_mode mode = padding_mode::valid;
    int top = 0, bottom = 0, left = 0, right = 0;
};
inline constexpr padding valid{padding_mode::valid};
inline constexpr padding same{padding_mode::same};
constexpr padding pads(int top, int bottom, int left, int right) {
    return {padding_mode::explicit_pads, top, bottom, left, right};
}

// A reference to constant data with its element count. Built from a plain array, it records the
// address and the size only: constant evaluation never reads the values (weights stay opaque).
template <class T>
struct const_span {
    const T* data = nullptr;
    int size = 0;

    constexpr const_span() = default;
    template <std::size_t N>
    constexpr const_span(const T (&array)[N]) : data(array), size(static_cast<int>(N)) {}
    constexpr const_span(const T* pointer, int count) : data(pointer), size(count) {}
    constexpr bool empty() const { return data == nullptr; }
};
using weights_i8 = const_span<std::int8_t>;
using bias_i32 = const_span<std::int32_t>;

// Which earlier layer feeds an operand: by name, by index, or (default) the previous layer.
struct from {
    const char* name = nullptr;
    int index = -1;

    constexpr from() = default;
    constexpr from(const char* layer_name) : name(layer_name) {}
    constexpr from(int layer_index) : index(layer_index) {}
    constexpr bool is_previous() const { return name == nullptr && index < 0; }
};

inline constexpr int max_operands = 2;

// An operator's inputs, in order.
struct operand_list {
    from ref[max_operands]{};
    int count = 0;
};

enum class graph_error_kind : unsigned char {
    none,
    input_layer_misplaced,
    unknown_input,
    input_not_earlier,
    shape_mismatch,
    output_shape_differs,
    weights_size_mismatch,
    kernel_larger_than_input,
    invalid_parameters,
};

// Padding in elements on each side, after SAME has been resolved against the input size.
struct resolved_padding {
    int top = 0, bottom = 0, left = 0, right = 0;
};

// The shapes of an operator's inputs, in the order of its operand_list.
struct operand_shapes {
    shape in[max_operands]{};
    int count = 0;
    constexpr const shape& operator[](int k) const { return in[k]; }
};

// What shape inference found: the output shape and resolved padding, or the first error with the
// numbers its diagnostic shows.
struct inference {
    shape out{};
    resolved_padding pad{};
    graph_error_kind error = graph_error_kind::none;
    shape expected{}, actual{};
    int expected_count = 0, actual_count = 0;
    hw kernel{};

    constexpr bool ok() const { return error == graph_error_kind::none; }
    static constexpr inference failed(graph_error_kind kind) {
        inference r{};
        r.error = kind;
        return r;
    }
    static constexpr inference of(shape out) {
        inference r{};
        r.out = out;
        return r;
    }
};

// How an operator's output uses memory: a buffer of its own, its first input's buffer (a reshape),
// or an input's buffer when that input is read by no later layer (element-wise operators).
enum class output_memory : std::uint8_t { own, alias_of_input, may_overwrite_input };

// The interface of an operator. `op_name` names it in printed tables and diagnostics; `computes` is false
// for the operators that move no data (input, reshape); `operands()` lists its inputs; `infer` checks
// its parameters against its input shapes and gives the output shape; `macs` counts its
// multiply-accumulates. Each operator also binds its CPU kernel (`run_on_cpu<net, graph, i>`), which
// takes compile-time arguments and so is not part of the concept.
template <class Op>
concept operation = std::is_trivially_copyable_v<Op> && requires(const Op& op, const operand_shapes& in, shape out) {
    { Op::op_name } -> std::convertible_to<const char*>;
    { Op::memory } -> std::convertible_to<output_memory>;
    { Op::computes } -> std::convertible_to<bool>;
    { op.name } -> std::convertible_to<const char*>;
    { op.operands() } -> std::same_as<operand_list>;
    { op.infer(in) } -> std::same_as<inference>;
    { op.macs(in, out) } -> std::same_as<long long>;
};

// The operators a network can hold, in one list (ops/all.hpp).
template <operation... Ops>
struct operator_list {};

// The network record that holds any listed operator (layers.hpp), and its typed accessors: `is<Op>`,
// `get<Op>` (only for the operator it holds) and `visit` (calls f with the operator it holds).
struct layer;
template <int kind>
struct operator_of;  // ::type, the operator of kind index `kind`
template <class Op>
constexpr bool is(const layer& l);
template <class Op>
constexpr const Op& get(const layer& l);
template <class F>
constexpr auto visit(const layer& l, F&& f);

}  // namespace htvm
