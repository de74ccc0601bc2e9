// The network record: a layer holds one operator of ops/all.hpp's list, as a tagged union, so that
// shape inference, memory planning and dispatch are plain constexpr loops over an array while each
// operator keeps its own parameter type. A network is written with the operators themselves:
//     htvm::conv2d{.name = "conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same,
//                  .weights = conv1_weights, .bias = conv1_bias, .requant = htvm::tflite_requant{...}}
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "ops/all.hpp"

namespace htvm {

namespace detail {

template <class... Ops>
union op_storage;

template <class Op>
union op_storage<Op> {
    Op op;
    constexpr op_storage(const Op& o) : op(o) {}
    template <class T>
    constexpr const T& get() const {
        return op;
    }
};

template <class Op, class... Rest>
union op_storage<Op, Rest...> {
    Op op;
    op_storage<Rest...> rest;
    constexpr op_storage(const Op& o) : op(o) {}
    template <class T>
        requires(!std::is_same_v<T, Op>)
    constexpr op_storage(const T& o) : rest(o) {}
    template <class T>
    constexpr const T& get() const {
        if constexpr (std::is_same_v<T, Op>) return op;
        else return rest.template get<T>();
    }
};

template <int k, class Op, class... Rest>
struct type_at {
    using type = typename type_at<k - 1, Rest...>::type;
};
template <class Op, class... Rest>
struct type_at<0, Op, Rest...> {
    using type = Op;
};

template <class List>
struct operator_table;
template <class... Ops>
struct operator_table<operator_list<Ops...>> {
    using storage = op_storage<Ops...>;
    static constexpr int count = sizeof...(Ops);
    template <class T>
    static constexpr int index_of = [] {
        int index = -1, k = 0;
        ((std::is_same_v<T, Ops> ? (index = k, ++k) : ++k), ...);
        return index;
    }();
    template <int k>
    using at = typename type_at<k, Ops...>::type;
};

using table = operator_table<operators>;

}  // namespace detail

// The operator type of kind index k.
template <int k>
struct operator_of {
    using type = typename detail::table::template at<k>;
};
template <int k>
using operator_at = typename operator_of<k>::type;

// Whether T is one of the listed operators.
template <class T>
concept listed_operator = detail::table::index_of<T> >= 0;

namespace detail {
// (Defined before `layer`, not inside it: Clang does not evaluate a member function template that a
// constructor of the same class calls in a constant expression.)
template <class Op>
constexpr const char* target_of(const Op& op) {
    if constexpr (requires { op.target; }) return op.target;
    else return nullptr;
}
template <class Op>
constexpr shape expect_of(const Op& op) {
    if constexpr (requires { op.expect; }) return op.expect;
    else return shape{0, 0, 0, 0};
}
}  // namespace detail

struct layer {
    int kind = 0;  // the operator's index in `operators`
    detail::table::storage storage;

    // What every operator has is copied out once, here, where the operator's type is known: generic
    // code reads it without visiting the union (visits cost compile time).
    template <listed_operator Op>
    constexpr layer(const Op& op)
        : kind(detail::table::index_of<Op>),
          storage(op),
          name_(op.name),
          op_name_(Op::op_name),
          target_(detail::target_of(op)),
          expect_(detail::expect_of(op)),
          operands_(op.operands()),
          memory_(Op::memory),
          computes_(Op::computes) {}
    // A builder that is another operator's short form (relu -> clip, flatten -> reshape, ...).
    template <class Builder>
        requires requires { typename Builder::lowers_to; }
    constexpr layer(const Builder& b) : layer(static_cast<typename Builder::lowers_to>(b)) {}
    constexpr layer() : layer(input{}) {}

    constexpr const char* name() const { return name_; }
    constexpr const char* op_name() const { return op_name_; }
    constexpr operand_list operands() const { return operands_; }
    constexpr const char* target() const { return target_; }  // the layer's `.target` override, or nullptr
    constexpr shape expect() const { return expect_; }         // its `.expect`, or all zeros (unchecked)
    constexpr output_memory memory() const { return memory_; }
    constexpr bool computes() const { return computes_; }

private:
    const char* name_;
    const char* op_name_;
    const char* target_;
    shape expect_;
    operand_list operands_;
    output_memory memory_;
    bool computes_;
};

template <class Op>
constexpr bool is(const layer& l) {
    return l.kind == detail::table::index_of<Op>;
}

// The operator layer `l` holds; only for the one it holds (is<Op>): constant evaluation refuses
// any other.
template <class Op>
constexpr const Op& get(const layer& l) {
    return l.storage.template get<Op>();
}

namespace detail {
// One function per visitor, not one per operator and visitor: instantiations cost compile time.
template <class F, int... k>
constexpr auto visit_each(const layer& l, F& f, std::integer_sequence<int, k...>) {
    using result = decltype(f(get<operator_at<0>>(l)));
    if constexpr (std::is_void_v<result>) {
        (void)((l.kind == k && (f(get<operator_at<k>>(l)), true)) || ...);
    } else {
        result r{};
        (void)((l.kind == k && (r = f(get<operator_at<k>>(l)), true)) || ...);
        return r;
    }
}
}  // namespace detail

// f(the operator layer `l` holds); f returns the same type for every operator.
template <class F>
constexpr auto visit(const layer& l, F&& f) {
    return detail::visit_each(l, f, std::make_integer_sequence<int, detail::table::count>{});
}

// What a running program may read about a layer (model::layers, observers): a few constants copied
// out of the record. The record itself is read only at compile time, and should stay so: one
// run-time read of it puts the whole record, and every weight array it points to, into the binary.
struct layer_info {
    const char* name = "";
    const char* op = "";           // the operator's name
    const char* target = nullptr;  // the layer's `.target` override, if any
    long long macs = 0;            // multiply-accumulates of one inference
};

}  // namespace htvm
