// Compile-time errors of the DIANA platform. As in the core (htvm/diagnostics.hpp), the values travel
// as template arguments and the compiler prints them in the "In instantiation of ..." line above the
// static_assert message.
#pragma once
#include "../diagnostics.hpp"
#include "../tiling/checked.hpp"
#include "policy.hpp"
#include "rules.hpp"
#include "tiling.hpp"

namespace htvm::diana::error {

template <int layer, layer_name name, unit accelerator, rule broken>
struct target_override_cannot_run_on_accelerator : htvm::error::spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm::diana: a layer's '.target' forces an accelerator that cannot run it (or whose memories not even "
                  "one tile of it fits). The layer index, its name, the accelerator and the rule the layer breaks are the "
                  "arguments of 'htvm::diana::error::target_override_cannot_run_on_accelerator<layer, name, "
                  "accelerator, rule>' printed above. Remove the override, or change the layer so it obeys the rule.");
};

template <int layer, layer_name name, layer_name requested>
struct unknown_target_override : htvm::error::spelled_for_clang<name> {
    static_assert(layer < 0,
                  "htvm::diana: a layer's '.target' must be \"cpu\", \"digital\" or \"analog\". The layer index, its name "
                  "and the requested target are the arguments of 'htvm::diana::error::unknown_target_override<layer, "
                  "name, requested>' printed above.");
};

template <int entry, layer_name names, forms_error error>
struct bad_form : htvm::error::spelled_for_clang<names> {
    static_assert(entry < 0,
                  "htvm::diana: an entry of the table of forms (htvm::diana::layer_form) is wrong. Its index in the "
                  "table, the layer it names and what is wrong are the arguments of 'htvm::diana::error::bad_form<entry, "
                  "names, error>' printed above. Each entry must name a layer of the network (its .name), no layer "
                  "twice, and give digital_weights only to conv2d, depthwise_conv2d and dense layers.");
};

}  // namespace htvm::diana::error

namespace htvm::diana {

// Instantiates the diagnostic for the first wrong entry of a table of forms; true when there is none.
template <const auto& net, const auto& forms>
constexpr bool diagnose_form_errors() {
    constexpr forms_check check = check_forms(net, forms);
    if constexpr (check.error == forms_error::none)
        return true;
    else
        return sizeof(error::bad_form<check.entry, to_layer_name(forms.entry[check.entry].layer), check.error>) == 0;
}

// Instantiates the diagnostic for the first invalid override of `plan`; true when there is none.
template <const auto& net, const auto& plan>
constexpr bool diagnose_dispatch_errors() {
    if constexpr (plan.error_layer < 0) {
        return true;
    } else {
        constexpr const layer& l = net.layers[static_cast<std::size_t>(plan.error_layer)];
        constexpr layer_name name = to_layer_name(l.name());
        if constexpr (plan.error_unknown_unit)
            return sizeof(error::unknown_target_override<plan.error_layer, name, to_layer_name(l.target())>) == 0;
        else if constexpr (is_memory_rule(plan.error_rule) && plan.error_tiles.status != tiling::tiling_status::ok &&
                           plan.error_tiles.status != tiling::tiling_status::invalid_problem)
            // Not even one tile fits: the tiler's diagnostic names the layer, what one tile needs and the limit
            // (htvm::error::weight_memory_impossible, l1_impossible, array_rows_exceeded, ...).
            return tiling::diagnose_tiling<plan.error_layer, name, to_layer_name(unit_name(plan.error_unit)),
                                           plan.error_tiles,
                                           plan.error_unit == unit::analog ? analog_tile_limits : digital_tile_limits>();
        else
            return sizeof(error::target_override_cannot_run_on_accelerator<plan.error_layer, name, plan.error_unit,
                                                                           plan.error_rule>) == 0;
    }
}

}  // namespace htvm::diana
