// DIANA's numbers for the platform-independent tiler (htvm/tiling/): the memories a tile of each
// accelerator must fit, and the plan of one layer on one accelerator. The dispatch
// (policy.hpp), the target (target.hpp), the cycle model and the dispatch table all read the same plan.
//
// Double buffering is off: HTVM's DIANA back end (DORY's Diana templates) issues every L2 <-> L1
// copy and waits for it right away (one input and one output buffer per layer, a barrier after each
// DMA), and the SoC interface (soc.hpp) is synchronous. The cycle model therefore adds transfers and
// computation without overlap; a board support package with an asynchronous DMA would set
// `double_buffer` here and the schedule and cycle model would overlap them (htvm/tiling/schedule.hpp).
#pragma once
#include <cstddef>

#include "../graph.hpp"
#include "../tiling/limits.hpp"
#include "../tiling/plan.hpp"
#include "../tiling/problem.hpp"
#include "../tiling/tiler.hpp"
#include "memory_map.hpp"
#include "objectives.hpp"
#include "rules.hpp"

namespace htvm::diana {

inline constexpr bool dma_is_asynchronous = false;  // see the comment above and docs/diana.md

// Digital: int8 weights in the 64,000 B weight memory, K padded to the 16 PE rows, an int32 bias per
// padded channel after them; tensors move in 32-bit words (element counts multiples of 4).
inline constexpr tiling::memory_limits digital_tile_limits{.l1_bytes = l1_bytes,
                                                            .weight_bytes = digital_weight_bytes,
                                                            .bias_bytes = 4,
                                                            .weight_k_granularity = pe_rows,
                                                            .tile_elements_multiple = 4,
                                                            .min_tile_k = pe_rows,
                                                            .double_buffer = dma_is_asynchronous};

// Analog: ternary cells, two bits each, four columns to a byte; C*FY*FX rows may not be split (the
// column sum is taken before the ADC), output channels are tiled over the 512 columns.
inline constexpr tiling::memory_limits analog_tile_limits{.l1_bytes = l1_bytes,
                                                           .weight_bytes = analog_weight_bytes,
                                                           .weight_bits = 2,
                                                           .weight_k_granularity = 4,
                                                           .array_rows = analog_rows,
                                                           .array_columns = analog_columns,
                                                           .double_buffer = dma_is_asynchronous};

// The tile plan of layer i on the digital (or analog) accelerator. Only for conv2d, depthwise and
// dense layers (analog: conv2d) that pass the accelerator's rule.
template <std::size_t N>
constexpr tiling::tile_plan digital_tiles(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    return tiling::plan_tiles(tiling::problem_of(net, g, i), digital_tile_limits, digital_array_objective);
}
template <std::size_t N>
constexpr tiling::tile_plan analog_tiles(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    return tiling::plan_tiles(tiling::problem_of(net, g, i), analog_tile_limits, analog_array_objective);
}

// The memory rule a failed plan breaks (rule::none when the plan is usable).
constexpr rule rule_of(const tiling::tile_plan& plan, bool analog) {
    switch (plan.status) {
        case tiling::tiling_status::ok: return rule::none;
        case tiling::tiling_status::weight_memory_too_small:
        case tiling::tiling_status::array_rows_exceeded:
            return analog ? rule::does_not_fit_analog_array : rule::does_not_fit_digital_weight_memory;
        case tiling::tiling_status::element_multiple_unmet: return rule::no_tile_meets_multiple_of_4;
        case tiling::tiling_status::l1_too_small:
        case tiling::tiling_status::invalid_problem: return rule::does_not_fit_l1;
    }
    return rule::does_not_fit_l1;
}

// Do the layer's tensors and weights fit the accelerator, tiled? (The untiled checks, digital_fit and
// analog_fit, stay in rules.hpp.) An add is not tiled: it must fit L1 whole.
template <std::size_t N>
constexpr rule digital_tiled_fit(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    if (!tiling::tileable(net.layers[i])) return digital_fit(net, g, i);
    return rule_of(digital_tiles(net, g, i), false);
}
template <std::size_t N>
constexpr rule analog_tiled_fit(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    return rule_of(analog_tiles(net, g, i), true);
}

}  // namespace htvm::diana
