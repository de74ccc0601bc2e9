// Tile plans as compile-time constants that refuse to exist when a layer cannot fit: the
// static_assert names the layer, the accelerator, what it needs and what is available.
//
//     constexpr auto& plan = htvm::tiling::layer_plan<net, graph, 7, my_accelerator_limits,
//                                                     my_accelerator_objective,
//                                                     htvm::to_layer_name("my_accelerator")>;
#pragma once
#include <array>
#include <cstddef>
#include <utility>

#include "../diagnostics.hpp"
#include "../graph.hpp"
#include "diagnostics.hpp"
#include "plan.hpp"
#include "problem.hpp"
#include "tiler.hpp"

namespace htvm::tiling {

// Instantiates the diagnostic matching a failed plan; true when the plan is usable.
template <int layer, layer_name name, layer_name accelerator, tile_plan plan, memory_limits limits>
constexpr bool diagnose_tiling() {
    if constexpr (plan.status == tiling_status::weight_memory_too_small)
        return sizeof(error::weight_memory_impossible<layer, name, accelerator, static_cast<int>(plan.need),
                                                      static_cast<int>(plan.limit), plan.smallest_tile_k>) == 0;
    else if constexpr (plan.status == tiling_status::l1_too_small)
        return sizeof(error::l1_impossible<layer, name, accelerator, static_cast<int>(plan.need),
                                           static_cast<int>(plan.limit), plan.smallest_tile_k>) == 0;
    else if constexpr (plan.status == tiling_status::array_rows_exceeded)
        return sizeof(error::array_rows_exceeded<layer, name, accelerator, static_cast<int>(plan.need),
                                                 static_cast<int>(plan.limit)>) == 0;
    else if constexpr (plan.status == tiling_status::element_multiple_unmet)
        return sizeof(error::tile_elements_not_multiple<layer, name, accelerator, static_cast<int>(plan.need)>) == 0;
    else if constexpr (plan.status == tiling_status::invalid_problem)
        return sizeof(error::tiling_invalid_problem<layer, name, accelerator>) == 0;
    else
        // The budgets of a found plan, asserted once more: L1 per tile and the weight memory.
        return sizeof(error::tile_over_budget<plan.l1_bytes, limits.l1_bytes,
                                              limits.weights_in_l1 ? 0 : plan.weight_tile_bytes,
                                              limits.weights_in_l1 ? 0 : limits.weight_bytes>) > 0;
}

template <const auto& net, const auto& graph, std::size_t i, memory_limits limits, objective goal,
          layer_name accelerator>
consteval tile_plan checked_plan() {
    static_assert(tileable(net.layers[i]), "htvm: only conv2d, depthwise_conv2d and dense layers are tiled");
    constexpr tile_plan plan = plan_tiles(problem_of(net, graph, i), limits, goal);
    constexpr bool usable = diagnose_tiling<static_cast<int>(i), to_layer_name(net.layers[i].name()), accelerator, plan,
                                            limits>();
    static_assert(usable, "htvm: the layer cannot be tiled; see the diagnostic above");
    return plan;
}

// The plan of layer i of `net` on an accelerator with `limits`, chosen under `goal`.
template <const auto& net, const auto& graph, std::size_t i, memory_limits limits, objective goal,
          layer_name accelerator>
inline constexpr tile_plan layer_plan = checked_plan<net, graph, i, limits, goal, accelerator>();

// What a platform says about one layer: whether it is tiled onto an accelerator, and with what.
struct layer_tiling {
    bool tiled = false;  // false: the layer does not run on a tiled accelerator (no plan)
    memory_limits limits{};
    objective goal{};
    layer_name accelerator{};
};

// Plans of every layer of a network. `Platform::tiling(net, graph, i)` (constexpr, static) returns the
// layer_tiling of layer i; untiled layers get a default (not ok) plan. Fails to compile, naming the
// layer, when a tiled layer cannot fit.
template <const auto& net, const auto& graph, class Platform>
struct network_plans {
    static constexpr std::size_t size = net.size();

    template <std::size_t i>
    static consteval tile_plan plan_of() {
        constexpr layer_tiling t = Platform::tiling(net, graph, i);
        if constexpr (t.tiled) return checked_plan<net, graph, i, t.limits, t.goal, t.accelerator>();
        else return tile_plan{};
    }

    template <std::size_t... i>
    static consteval std::array<tile_plan, size> all(std::index_sequence<i...>) {
        return {plan_of<i>()...};
    }

    static constexpr std::array<tile_plan, size> plans = all(std::make_index_sequence<size>{});
};

}  // namespace htvm::tiling
