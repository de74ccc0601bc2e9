// DIANA's L2 budget: the activation arena, the constants as deployed and the caller's input and
// output buffers must fit the 512,000 B of L2 (memory_map.hpp). Constants are counted as the chosen
// configuration keeps them: an analog layer keeps its packed two-bit weights and its int32 k and l
// per channel; a digital layer with build-time arranged weights keeps those (padded to 16 channels)
// and its bias; every other layer keeps int8 weights, bias and per-channel requantization arrays.
// The target asserts it once per model (target.hpp); the failure is htvm::error::l2_over_budget.
#pragma once
#include <cstddef>

#include "../graph.hpp"
#include "../memory_plan.hpp"
#include "../tiling/budget.hpp"
#include "layouts.hpp"
#include "memory_map.hpp"
#include "policy.hpp"
#include "rules.hpp"

namespace htvm::diana {

template <std::size_t N>
constexpr long long deployed_constant_bytes(const network<N>& net, const graph_info<N>& g, const dispatch_plan<N>& plan,
                                            std::size_t i, forms_view forms = {}) {
    const layer& l = net.layers[i];
    if (plan.layer[i].target == unit::analog)
        return layout::packed_bytes(detail::analog_weight_shape(net, g, i)) + 8LL * g.output[i].c;
    if (plan.layer[i].arranged_weights)
        return visit(l, [&](const auto& op) -> long long {
            if constexpr (mac_operation<std::remove_cvref_t<decltype(op)>>)
                return forms.of(l).digital_weights.size + 4LL * op.bias.size;
            else
                return 0;
        });
    return tiling::constant_bytes(l);
}

template <std::size_t N>
constexpr long long deployed_weight_bytes(const network<N>& net, const graph_info<N>& g, const dispatch_plan<N>& plan,
                                          forms_view forms = {}) {
    long long bytes = 0;
    for (std::size_t i = 0; i < N; ++i) bytes += deployed_constant_bytes(net, g, plan, i, forms);
    return bytes;
}

// True when the network fits L2 as deployed by `plan`; otherwise a compile error
// (htvm::error::l2_over_budget<need, limit, arena, weights, io, largest layer ...>).
template <const auto& net, const auto& graph, const auto& plan, const auto& forms = no_forms>
constexpr bool l2_fits_deployed() {
    constexpr long long arena = memory_plan_of<net>.arena_bytes;
    constexpr long long io = graph.output[0].elements() + graph.output[net.size() - 1].elements();
    return tiling::l2_fits_bytes<net, arena, l2_bytes, io, deployed_weight_bytes(net, graph, plan, view_of(forms))>;
}

}  // namespace htvm::diana
