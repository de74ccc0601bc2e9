// Compile-time cost: every MLPerf Tiny accelerator layer is planned as a constant expression, one
// evaluation per (layer, memory budget), under the compilers' DEFAULT limits (GCC's
// -fconstexpr-ops-limit=33554432, Clang's -fconstexpr-steps=1048576). CTest compiles this file with
// g++ and clang++ and no constexpr flags; it passes when it compiles.
#include <htvm/diana/objectives.hpp>
#include <htvm/tiling/tiler.hpp>
#include <mlperf_tiny_layers.hpp>
#include <utility>

namespace {

using namespace htvm::tiling;
using htvm::diana::analog_array_objective;
using htvm::diana::digital_array_objective;
using htvm::bench::mlperf_tiny_layers;

// DIANA (issue 5): digital array with a 64,000 B weight memory, analog array of 1152 x 512 ternary cells.
// Weights stored as DIANA's layouts store them (K padded to 16 PE rows / 4 columns a byte), and
// every digital tile a whole number of 32-bit words.
constexpr memory_limits diana_digital{.l1_bytes = 256'000, .weight_bytes = 64'000, .weight_bits = 8, .bias_bytes = 4,
                                      .weight_k_granularity = 16, .tile_elements_multiple = 4, .min_tile_k = 16,
                                      .double_buffer = true};
constexpr memory_limits diana_analog{.l1_bytes = 256'000, .weight_bytes = 147'456, .weight_bits = 2,
                                     .weight_k_granularity = 4, .array_rows = 1152, .array_columns = 512,
                                     .double_buffer = true};
constexpr memory_limits words_4k{.l1_bytes = 4'000, .weight_bytes = 64'000, .bias_bytes = 4, .weight_k_granularity = 16,
                                 .tile_elements_multiple = 4, .double_buffer = true};
// Tighter L1s force real searches (many candidates, bisection on the rows).
constexpr memory_limits l1_64k{.l1_bytes = 64'000, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true};
constexpr memory_limits l1_16k{.l1_bytes = 16'000, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true};
constexpr memory_limits l1_4k{.l1_bytes = 4'000, .weight_bytes = 64'000, .bias_bytes = 4, .double_buffer = true};
constexpr memory_limits l1_2k_shared{.l1_bytes = 2'048, .weights_in_l1 = true, .double_buffer = false};

template <std::size_t i, memory_limits limits, objective goal>
constexpr bool plan_is_found() {
    constexpr tile_plan plan = plan_tiles(mlperf_tiny_layers[i].problem, limits, goal);  // one evaluation
    return plan.ok();
}

// Layers whose tensors are not whole words cannot meet a multiple of 4 even untiled (DIANA's rules
// keep them off the digital accelerator: KWS conv1's 490-element input, the 10- and 2-unit
// classifiers); for them the tiler must say so rather than fail otherwise.
constexpr bool whole_words(const tile_problem& p) { return p.in.elements() % 4 == 0 && p.out.elements() % 4 == 0; }

template <std::size_t i, memory_limits limits, objective goal>
constexpr bool plan_is_found_or_not_words() {
    constexpr tile_plan plan = plan_tiles(mlperf_tiny_layers[i].problem, limits, goal);  // one evaluation
    return plan.ok() ||
           (plan.status == tiling_status::element_multiple_unmet && !whole_words(mlperf_tiny_layers[i].problem));
}

// The analog array runs convolutions and dense layers whose channels x kernel fit its rows.
constexpr bool analog_eligible(std::size_t i) {
    const tile_problem& p = mlperf_tiny_layers[i].problem;
    return p.kind != tile_op::depthwise_conv2d && p.reduction_rows() <= diana_analog.array_rows;
}

template <std::size_t i>
constexpr bool layer_plans() {
    static_assert(mlperf_tiny_layers[i].problem.valid());
    static_assert(plan_is_found_or_not_words<i, diana_digital, digital_array_objective>(),
                  "a layer does not tile on DIANA's digital array");
    static_assert(plan_is_found_or_not_words<i, words_4k, digital_array_objective>());
    if constexpr (analog_eligible(i))
        static_assert(plan_is_found<i, diana_analog, analog_array_objective>(), "a layer does not tile on DIANA's analog array");
    static_assert(plan_is_found<i, l1_64k, digital_array_objective>());
    static_assert(plan_is_found<i, l1_16k, digital_array_objective>());
    static_assert(plan_is_found<i, l1_4k, digital_array_objective>());
    static_assert(plan_is_found<i, l1_4k, bytes_only_objective>());
    // Weights sharing 2 kB of L1: the biggest filters (e.g. VWW pw13: 256 B each) still fit one at a time.
    static_assert(plan_is_found<i, l1_2k_shared, digital_array_objective>());
    return true;
}

template <std::size_t... i>
constexpr bool all_layers(std::index_sequence<i...>) {
    return (layer_plans<i>() && ...);
}
static_assert(all_layers(std::make_index_sequence<htvm::bench::mlperf_tiny_layer_count>{}));

}  // namespace
