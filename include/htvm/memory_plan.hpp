// Static memory plan of a network: every activation tensor (network input and output included) gets
// a fixed offset in one arena, computed at compile time. This is the only part of planning that
// knows operators: it asks the planner (planner/plan.hpp) for one buffer per layer output, shaped
// by the operator's memory rule (ops/operator.hpp, output_memory):
//  - reshape is zero-copy: its output is a view of its input;
//  - element-wise layers (add, clip) may write in place over an input that dies at that layer;
//  - the network's input is never overwritten, and its output is read after the last layer.
#pragma once
#include <cstddef>

#include "graph.hpp"
#include "planner/plan.hpp"

namespace htvm {

// Indexed by layer: offset[i] is where layer i's output lies; root, bytes, first_use, last_use
// describe the buffers (planner/requests.hpp).
template <std::size_t N>
using memory_plan = planner::arena_plan<N>;

// Layer i's output is request i, written at step i and read until its last reader (the output: one
// step after the last layer). Without `in_place`, element-wise layers get memory of their own.
template <std::size_t N>
constexpr planner::request_list<N> memory_requests(const network<N>& net, const graph_info<N>& g, bool in_place) {
    static_assert(max_operands <= planner::max_reuse, "every operand must fit as an in-place candidate");
    planner::request_list<N> list{};
    for (std::size_t i = 0; i < N; ++i) {
        planner::request& r = list.at[i];
        r.bytes = g.output[i].elements();
        r.first_use = static_cast<int>(i);
        r.last_use = i + 1 == N ? static_cast<int>(N) : g.last_use[i];
        r.keep = i == 0;  // the caller's input
        if (g.input_count[i] > 0) r.away_from = g.producer[i][0];  // chains ping-pong (two_ended.hpp)
        const output_memory memory = net.layers[i].memory();
        if (memory == output_memory::alias_of_input) r.view_of = g.producer[i][0];
        if (memory == output_memory::may_overwrite_input && in_place)
            for (int k = 0; k < g.input_count[i]; ++k) r.may_reuse.add(g.producer[i][k]);
    }
    return list;
}

template <std::size_t N>
constexpr memory_plan<N> plan_memory(const network<N>& net, const graph_info<N>& g, bool in_place = true) {
    if (g.error.kind != graph_error_kind::none) return memory_plan<N>{};
    return planner::plan_arena(memory_requests(net, g, in_place));
}

// The memory plan of a network, computed once per program (the model and the platforms' budgets).
template <const auto& net>
inline constexpr auto memory_plan_of = plan_memory(net, graph_of<net>);

}  // namespace htvm
