// Which unit runs each layer: the policy (a compile-time type), refined per layer by the core
// `.target` field ("cpu", "digital", "analog"), decided by a constexpr pass over the network.
//
//   policy::cpu_only  every layer on the RISC-V;
//   policy::digital   every layer the digital accelerator can run (and that fits it) there;
//   policy::analog    every layer the analog accelerator can run (and that fits it) there;
//   policy::mixed     HTVM's heterogeneous mapping: the first and the last layer the digital
//                     accelerator can run, all depthwise convolutions, dense and add layers on the
//                     digital accelerator; every other conv2d on the analog one (digital when it
//                     has no analog form (forms.hpp) or does not fit the array).
// Everything an accelerator cannot run stays on the CPU; a layer too big for an accelerator's
// memories in one piece is tiled (tiling.hpp), and stays on the CPU only when not even one tile fits;
// the plan says why, and keeps the tile plan of every accelerator layer.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../graph.hpp"
#include "../tiling/plan.hpp"
#include "rules.hpp"
#include "tiling.hpp"

namespace htvm::diana {

enum class unit : std::uint8_t { cpu, digital, analog };

constexpr const char* unit_name(unit u) {
    switch (u) {
        case unit::cpu: return "cpu";
        case unit::digital: return "digital";
        case unit::analog: return "analog";
    }
    return "?";
}

enum class policy_kind : std::uint8_t { cpu_only, digital, analog, mixed };

namespace policy {
struct cpu_only { static constexpr policy_kind kind = policy_kind::cpu_only; static constexpr const char* name = "cpu_only"; };
struct digital { static constexpr policy_kind kind = policy_kind::digital; static constexpr const char* name = "digital"; };
struct analog { static constexpr policy_kind kind = policy_kind::analog; static constexpr const char* name = "analog"; };
struct mixed { static constexpr policy_kind kind = policy_kind::mixed; static constexpr const char* name = "mixed"; };
}  // namespace policy

// Why a layer landed where it did.
enum class reason : std::uint8_t {
    chosen_by_policy,     // an accelerator the policy wanted
    fallback_accelerator, // the policy's first choice could not take it; the other accelerator did
    forced,               // the layer's `.target` asked for it
    cpu_only_policy,      // the policy keeps everything on the CPU
    cpu_operator,         // no accelerator runs this operator (pooling, softmax, reshape, ...)
    rule_broken,          // an accelerator runs the operator, but not with these parameters
    needs_tiling,         // an accelerator could run it, but not even one tile fits its memories
    invalid_override,     // `.target` names an unknown unit or asks for an accelerator that cannot run it
};

struct placement {
    unit target = unit::cpu;
    reason why = reason::cpu_only_policy;
    unit considered = unit::cpu;  // the accelerator whose rule `broken` is (for cpu placements)
    rule broken = rule::none;
    bool arranged_weights = false;  // digital: the layer's form gives its weights in the digital layout
};

template <std::size_t N>
struct dispatch_plan {
    placement layer[N]{};
    // The tile plan of every layer placed on an accelerator (tiles[i].ok()); a single tile when the
    // layer fits untiled. Default (not ok) for CPU layers and for the untiled digital add.
    tiling::tile_plan tiles[N]{};
    // The first invalid `.target` override, made a compile error by the target.
    int error_layer = -1;
    unit error_unit = unit::cpu;
    rule error_rule = rule::none;
    bool error_unknown_unit = false;
    tiling::tile_plan error_tiles{};  // when error_rule is a memory rule: the failed plan (need, limit)
};

namespace detail {

constexpr bool override_is(const char* target, const char* name) { return htvm::detail::same_text(target, name); }

// What accelerator `u` makes of layer i: every rule that keeps it from running the layer, tiled if
// need be (none: it can), and the tile plan it would run the layer with. The memory is checked, and
// the tiler run, only for a tileable layer that breaks no other rule: its tiles are defined only
// then (an add's memory rule is the untiled fit; a CPU or an untiled layer gets a default plan).
struct unit_fit {
    broken_rules broken{};
    tiling::tile_plan tiles{};
};

template <std::size_t N>
constexpr unit_fit fit_on(const network<N>& net, const graph_info<N>& g, std::size_t i, unit u, forms_view forms) {
    unit_fit f{};
    if (u == unit::cpu) return f;
    f.broken = u == unit::digital ? digital_rules(net, g, i, forms) : analog_rules(net, g, i, forms);
    if (f.broken.count != 0) return f;
    if (!tiling::tileable(net.layers[i])) {
        f.broken.add(digital_fit(net, g, i));  // (a digital add: analog_rules take conv2d only)
        return f;
    }
    f.tiles = u == unit::digital ? digital_tiles(net, g, i) : analog_tiles(net, g, i);
    f.broken.add(rule_of(f.tiles, u == unit::analog));
    return f;
}

// Every rule that keeps accelerator `u` from running layer i, tiled if need be (none: it can).
template <std::size_t N>
constexpr broken_rules blockers(const network<N>& net, const graph_info<N>& g, std::size_t i, unit u,
                                forms_view forms = {}) {
    return fit_on(net, g, i, u, forms).broken;
}

constexpr bool operator_on_no_accelerator(const layer& l) {
    return !is<conv2d>(l) && !is<depthwise_conv2d>(l) && !is<dense>(l) && !is<add>(l);
}

}  // namespace detail

// One pass over the layers; each accelerator a layer is tried on is asked once (fit_on: its rules
// and, when they hold, the tiler), and the plan of the chosen one is kept. (Constant evaluation
// cost grows linearly with the layers: Clang's default step limit holds 1,024-layer networks.)
template <std::size_t N>
constexpr dispatch_plan<N> plan_dispatch(policy_kind policy, const network<N>& net, const graph_info<N>& g,
                                         forms_view forms = {}) {
    dispatch_plan<N> plan{};
    if (g.error.kind != graph_error_kind::none) return plan;  // the model diagnoses the graph's error
    // Mixed: the first and the last layer the digital accelerator can compute.
    int first_digital = -1, last_digital = -1;
    if (policy == policy_kind::mixed)
        for (std::size_t i = 1; i < N; ++i)
            if (digital_rule(net, g, i, forms) == rule::none) {
                if (first_digital < 0) first_digital = static_cast<int>(i);
                last_digital = static_cast<int>(i);
            }

    for (std::size_t i = 0; i < N; ++i) {
        const layer& l = net.layers[i];
        placement& p = plan.layer[i];
        p = placement{unit::cpu, reason::cpu_operator, unit::cpu, rule::none};
        if (!l.computes()) continue;

        // A per-layer override wins, or is an error.
        if (const char* target = l.target(); target != nullptr) {
            unit wanted = unit::cpu;
            bool known = true;
            if (detail::override_is(target, "digital")) wanted = unit::digital;
            else if (detail::override_is(target, "analog")) wanted = unit::analog;
            else if (!detail::override_is(target, "cpu")) known = false;
            const detail::unit_fit fit = known ? detail::fit_on(net, g, i, wanted, forms) : detail::unit_fit{};
            const rule r = fit.broken.first();
            if (!known || r != rule::none) {
                p = placement{unit::cpu, reason::invalid_override, wanted, r};
                if (plan.error_layer < 0) {
                    plan.error_layer = static_cast<int>(i);
                    plan.error_unit = wanted;
                    plan.error_rule = r;
                    plan.error_unknown_unit = !known;
                    if (known && is_memory_rule(r)) plan.error_tiles = fit.tiles;
                }
            } else {
                p = placement{wanted, reason::forced, wanted, rule::none};
                plan.tiles[i] = fit.tiles;
            }
            continue;
        }

        if (policy == policy_kind::cpu_only) {
            p.why = detail::operator_on_no_accelerator(l) ? reason::cpu_operator : reason::cpu_only_policy;
            continue;
        }

        // The accelerators to try, in the policy's order of preference.
        unit first = unit::cpu, second = unit::cpu;
        if (policy == policy_kind::digital) {
            first = unit::digital;
        } else if (policy == policy_kind::analog) {
            first = unit::analog;
        } else {
            const bool edge = static_cast<int>(i) == first_digital || static_cast<int>(i) == last_digital;
            const bool analog_candidate = is<conv2d>(l) && !edge;
            first = analog_candidate ? unit::analog : unit::digital;
            second = analog_candidate ? unit::digital : unit::analog;
        }
        const detail::unit_fit first_fit = detail::fit_on(net, g, i, first, forms);
        const rule first_blocker = first_fit.broken.first();
        if (first_blocker == rule::none) {
            p = placement{first, reason::chosen_by_policy, first, rule::none};
            plan.tiles[i] = first_fit.tiles;
            continue;
        }
        const detail::unit_fit second_fit = second != unit::cpu ? detail::fit_on(net, g, i, second, forms) : detail::unit_fit{};
        const rule second_blocker = second_fit.broken.first();
        if (second != unit::cpu && second_blocker == rule::none) {
            p = placement{second, reason::fallback_accelerator, first, first_blocker};
            plan.tiles[i] = second_fit.tiles;
            continue;
        }
        // Stays on the CPU: say why, preferring "needs tiling" when the layer is otherwise eligible.
        p.considered = first;
        p.broken = first_blocker;
        if (detail::operator_on_no_accelerator(l)) p.why = reason::cpu_operator;
        else p.why = is_memory_rule(first_blocker) ? reason::needs_tiling : reason::rule_broken;
        if (second != unit::cpu && p.why == reason::rule_broken && is_memory_rule(second_blocker))
            p = placement{unit::cpu, reason::needs_tiling, second, second_blocker};
    }
    for (std::size_t i = 0; i < N; ++i)
        plan.layer[i].arranged_weights = plan.layer[i].target == unit::digital && has_arranged_digital_weights(net.layers[i], forms);
    return plan;
}

}  // namespace htvm::diana
