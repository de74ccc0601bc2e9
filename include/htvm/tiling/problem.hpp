// Which layers the tiler plans, and their problems: the operators that describe themselves as a
// tile problem (ops/<op>.hpp's as_tile_problem).
#pragma once
#include <cstddef>

#include "../graph.hpp"
#include "tile_problem.hpp"

namespace htvm::tiling {

template <class Op>
concept tileable_operation = requires(const Op& op, const operand_shapes& in, shape out, resolved_padding pad) {
    { op.as_tile_problem(in, out, pad) } -> std::same_as<tile_problem>;
};

// Whether layer `l` is something the tiler can plan (conv2d, depthwise_conv2d, dense).
constexpr bool tileable(const layer& l) {
    return visit(l, [](const auto& op) { return tileable_operation<std::remove_cvref_t<decltype(op)>>; });
}

// The problem of layer `i` of an analysed network. Call only for tileable layers.
template <std::size_t N>
constexpr tile_problem problem_of(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    return visit(net.layers[i], [&](const auto& op) {
        if constexpr (tileable_operation<std::remove_cvref_t<decltype(op)>>)
            return op.as_tile_problem(g.operand_shapes_of(i), g.output[i], g.pad[i]);
        else
            return tile_problem{};
    });
}

}  // namespace htvm::tiling
