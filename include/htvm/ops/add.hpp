// Element-wise add of two same-shape tensors (residual connections), with TFLite's arithmetic (each
// input with its own scale: htvm::tflite_add) or the shift form (int32 sum, shift, clip: `.requant`).
#pragma once
#include <cstddef>
#include <cstdint>

#include "../kernels/elementwise.hpp"
#include "../kernels/geometry.hpp"
#include "operator.hpp"

namespace htvm {

struct add {
    static constexpr const char* op_name = "add";
    static constexpr output_memory memory = output_memory::may_overwrite_input;
    static constexpr bool computes = true;

    const char* name = "";
    from lhs{};
    from rhs{};
    tflite_add_params tflite{};
    shift_requant requant{};
    bool use_tflite = false;  // set by htvm::tflite_add
    const char* target = nullptr;

    constexpr operand_list operands() const { return {{lhs, rhs}, 2}; }

    constexpr inference infer(const operand_shapes& in) const {
        if (!(in[1] == in[0])) {
            inference r = inference::failed(graph_error_kind::shape_mismatch);
            r.expected = in[0];
            r.actual = in[1];
            return r;
        }
        if (!use_tflite && !htvm::requant(requant).valid()) return inference::failed(graph_error_kind::invalid_parameters);
        return inference::of(in[0]);
    }

    constexpr long long macs(const operand_shapes&, shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t* lhs, const std::int8_t* rhs, std::int8_t* out) {
        constexpr const add& op = get<add>(net.layers[i]);
        constexpr cpu::fixed_int<graph.output[i].elements()> count{};
        if constexpr (op.use_tflite) {
            // TFLite's parameters as a template argument: the input rescaling becomes compile-time tables.
            cpu::add_tflite<op.tflite>(count, lhs, rhs, out);
        } else {
            static constexpr shift_requant rq = op.requant;
            cpu::add_shift(count, rq, lhs, rhs, out);
        }
    }
};

// TFLite's ADD: both inputs rescaled to a common scale after a left shift of 20.
struct tflite_add {
    using lowers_to = add;
    const char* name = "";
    from lhs{};
    from rhs{};
    tflite_add_params params{};
    constexpr operator add() const { return {.name = name, .lhs = lhs, .rhs = rhs, .tflite = params, .use_tflite = true}; }
};

}  // namespace htvm
