// A network compiled ahead of time: its analysis, memory plan and arena are compile-time constants,
// and run() is a fixed sequence of kernel calls on constant arena addresses.
//
//     inline constexpr htvm::network net{htvm::input{...}, htvm::conv2d{...}, ...};
//     using model = htvm::model<net>;
//     model::run(input_bytes, output_bytes);
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "cpu_target.hpp"
#include "diagnostics.hpp"
#include "graph.hpp"
#include "memory_plan.hpp"

namespace htvm {

// Receives a call before and after every layer (its index, model::layers[i], and after it the
// output tensor); the default does nothing and costs nothing.
struct no_observer {
    void before_layer(std::size_t, const layer_info&) {}
    void after_layer(std::size_t, const layer_info&, const std::int8_t*, const shape&) {}
};

// MACs of one layer, at compile time (a running program reads model::layers[i].macs).
template <std::size_t N>
constexpr long long layer_macs(const network<N>& net, const graph_info<N>& g, std::size_t i) {
    return visit(net.layers[i], [&](const auto& op) { return op.macs(g.operand_shapes_of(i), g.output[i]); });
}

// A target may check the whole model once, at compile time (budgets, its own tables), with
//     template <const auto& net, const auto& graph> static constexpr bool check();
// which returns true or instantiates a diagnostic; run() asserts it.
template <class Target, const auto& net, const auto& graph>
constexpr bool target_accepts() {
    if constexpr (requires { Target::template check<net, graph>(); })
        return Target::template check<net, graph>();
    else
        return true;
}

template <const auto& net, class Target = cpu_target>
struct model {
    static constexpr const auto& network = net;
    static constexpr std::size_t layer_count = net.size();
    static constexpr const auto& graph = graph_of<net>;
    static constexpr bool graph_is_sound = diagnose_graph_errors<net, graph>();
    static constexpr const auto& plan = memory_plan_of<net>;
    static_assert(plan.error == planner::plan_error::none,
                  "htvm: the activations exceed the memory planner's limits (planner/requests.hpp)");

    static constexpr int arena_bytes = plan.arena_bytes;
    static constexpr int lower_bound_bytes = plan.lower_bound_bytes;
    static constexpr shape input_shape = graph.output[0];
    static constexpr shape output_shape = graph.output[layer_count - 1];
    static constexpr int input_bytes = input_shape.elements();
    static constexpr int output_bytes = output_shape.elements();
    // Name, operator, override and MACs of every layer, for what prints at run time (profiles).
    static constexpr std::array<layer_info, layer_count> layers = [] {
        std::array<layer_info, layer_count> all{};
        for (std::size_t i = 0; i < layer_count; ++i)
            all[i] = {net.layers[i].name(), net.layers[i].op_name(), net.layers[i].target(), layer_macs(net, graph, i)};
        return all;
    }();

    // Zero-initialized static storage: placed in .bss, no constructor runs.
    alignas(16) static inline std::int8_t arena[arena_bytes > 0 ? arena_bytes : 1];

    static std::int8_t* tensor(std::size_t layer) { return arena + plan.offset[layer]; }
    static std::int8_t* input() { return arena + plan.offset[0]; }
    static std::int8_t* output() { return arena + plan.offset[layer_count - 1]; }

    // Zero-copy form: write input() first, read output() afterwards.
    template <class Observer = no_observer>
    static void run(Observer&& observer = {}) {
        static_assert(graph_is_sound, "htvm: the network has errors; see the diagnostic above");
        if constexpr (graph_is_sound)
            static_assert(target_accepts<Target, net, graph>(), "htvm: the target refuses the model; see the diagnostic above");
        run_chunks(observer, std::make_index_sequence<(layer_count + chunk - 1) / chunk>{});
    }

    static void run(const std::int8_t* input_data, std::int8_t* output_data) {
        run(input_data, output_data, no_observer{});
    }

    template <class Observer>
    static void run(const std::int8_t* input_data, std::int8_t* output_data, Observer&& observer) {
        std::int8_t* in = input();
        for (int k = 0; k < input_bytes; ++k) in[k] = input_data[k];
        run(observer);
        const std::int8_t* out = output();
        for (int k = 0; k < output_bytes; ++k) output_data[k] = out[k];
    }

private:
    // Fold expressions nest; chunks keep them under Clang's default bracket depth for long networks.
    static constexpr std::size_t chunk = 64;

    template <class Observer, std::size_t... c>
    static void run_chunks(Observer& observer, std::index_sequence<c...>) {
        (run_chunk<c * chunk>(observer, std::make_index_sequence<(layer_count - c * chunk < chunk ? layer_count - c * chunk : chunk)>{}), ...);
    }

    template <std::size_t base, class Observer, std::size_t... k>
    static void run_chunk(Observer& observer, std::index_sequence<k...>) {
        (run_layer<base + k>(observer), ...);
    }

    template <std::size_t i, class Observer>
    static void run_layer(Observer& observer) {
        constexpr bool observed = !std::is_same_v<std::remove_cvref_t<Observer>, no_observer>;
        if constexpr (!is<htvm::input>(net.layers[i])) {
            // (Observers get the layer's layer_info, never the record: see layer_info.)
            if constexpr (observed) observer.before_layer(i, layers[i]);
            const std::int8_t* a = arena + plan.offset[graph.producer[i][0]];
            // if constexpr, not the ?: operator: clang's -Warray-bounds may flag the dead branch's index -1.
            const std::int8_t* b = nullptr;
            if constexpr (graph.input_count[i] > 1) b = arena + plan.offset[graph.producer[i][1]];
            Target::template execute<net, graph, i>(a, b, arena + plan.offset[i]);
            if constexpr (observed) observer.after_layer(i, layers[i], arena + plan.offset[i], graph.output[i]);
        }
    }
};

// static_assert(htvm::arena_fits<my_model, 64 * 1024>): fails with both numbers when over budget.
template <class Model, int budget_bytes>
inline constexpr bool arena_fits = sizeof(error::arena_over_budget<Model::arena_bytes, budget_bytes>) > 0;

}  // namespace htvm
