// The network's input: its shape. It computes nothing; the caller writes it.
#pragma once
#include <cstddef>
#include <cstdint>

#include "operator.hpp"

namespace htvm {

struct input {
    static constexpr const char* op_name = "input";
    static constexpr output_memory memory = output_memory::own;
    static constexpr bool computes = false;

    const char* name = "input";
    htvm::shape shape{};

    constexpr operand_list operands() const { return {}; }
    constexpr inference infer(const operand_shapes&) const { return inference::of(shape); }
    constexpr long long macs(const operand_shapes&, htvm::shape) const { return 0; }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_on_cpu(const std::int8_t*, const std::int8_t*, std::int8_t*) {}
};

}  // namespace htvm
