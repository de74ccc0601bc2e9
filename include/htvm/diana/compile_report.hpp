// The compile report for a network on DIANA, in the manner of Arm Vela's: per layer the unit it
// runs on, its tile sizes, L1 and L2 use, MACs, modeled cycles and utilisation; then totals with the
// CPU / accelerator split, each memory's use against its size, the modeled inference time, and for
// the layers left on the CPU the accelerator rules they break. tools/htvm-report is the program that
// prints it (htvm_add_model() builds one per imported model as <target>_report).
// Every number is a compile-time constant of the plan; cycles are MODELED (docs/diana.md).
#pragma once
#include <cstddef>
#include <cstdio>

#include "../report.hpp"
#include "budget.hpp"
#include "dispatch_table.hpp"
#include "target.hpp"

namespace htvm::diana {

// MACs per cycle when the unit is fully busy: the digital 16 x 16 PE array, or one analog array
// evaluation (all 1152 x 512 cells) every analog_mvm_cycles.
constexpr double peak_macs_per_cycle(unit u) {
    return u == unit::digital ? digital_peak_macs_per_cycle
         : u == unit::analog  ? static_cast<double>(analog_rows) * analog_columns / cycles::analog_mvm_cycles
                              : 1.0;
}

// Width of the name column: the longest layer name, so that every layer can be found by its name
// (importers name layers by operator and tensor: "depthwise_conv_2d_t23"); at least the heading's,
// and at most 40 characters, so that a very long name cuts itself rather than the table.
template <std::size_t N>
constexpr int layer_name_width(const network<N>& net) {
    constexpr int widest = 40;
    int width = 5;  // "layer"
    for (std::size_t i = 0; i < N; ++i) {
        int length = 0;
        for (const char* c = net.layers[i].name(); c != nullptr && *c != '\0' && length < widest; ++c) ++length;
        if (length > width) width = length;
    }
    return width;
}

template <const auto& net, class Policy, const auto& Forms = no_forms>
void print_compile_report(std::FILE* out = stdout) {
    using model = htvm::model<net, target<Policy, Forms>>;
    constexpr auto& g = graph_of<net>;
    constexpr auto& r = dispatch_table_of<net, Policy, Forms>;
    constexpr auto& plan = plan_of<net, Policy, Forms>;
    constexpr int name_width = layer_name_width(net);
    std::fprintf(out, "htvm compile report: policy %s, %d layers (MODELED cycles at %.0f MHz)\n\n", Policy::name,
                 static_cast<int>(model::layer_count), clock_hz / 1e6);
    std::fprintf(out, "  #  %-*s %-16s %-7s %-20s %8s %8s %7s %10s %10s %10s %6s\n", name_width, "layer", "op", "unit",
                 "tiles KxOYxOX (n)", "L1 B", "L2 off", "L2 B", "MACs", "peak cyc", "full cyc", "util");
    int l1_peak = 0, digital_weights_peak = 0, analog_cells_peak = 0;
    long long accel_cycles = 0, cpu_cycles = 0;
    for (std::size_t i = 0; i < model::layer_count; ++i) {
        const dispatch_row& e = r.layer[i];
        const unit u = e.where.target;
        const bool accelerated = u != unit::cpu;
        const long long cycles = e.cycles.total();
        char tiles[24] = "-";
        if (accelerated && e.tiles.ok())
            std::snprintf(tiles, sizeof tiles, "%dx%dx%d (%d)", e.tiles.tile_k, e.tiles.tile_h, e.tiles.tile_w,
                          e.tiles.tile_count);
        const int l1 = accelerated && e.tiles.ok() ? e.tiles.l1_bytes : 0;
        if (l1 > l1_peak) l1_peak = l1;
        if (u == unit::digital && e.tiles.weight_tile_bytes > digital_weights_peak)
            digital_weights_peak = e.tiles.weight_tile_bytes;
        if (u == unit::analog && e.tiles.weight_tile_bytes > analog_cells_peak) analog_cells_peak = e.tiles.weight_tile_bytes;
        (accelerated ? accel_cycles : cpu_cycles) += cycles;
        const double peak = static_cast<double>(e.cycles.peak) * peak_macs_per_cycle(u);
        char util[12] = "-";
        if (accelerated && e.cycles.peak > 0 && e.cycles.macs > 0)
            std::snprintf(util, sizeof util, "%.0f%%", 100.0 * static_cast<double>(e.cycles.macs) / peak);
        std::fprintf(out, "%3d  %-*.*s %-16s %-7s %-20s %8d %8d %7d %10lld %10lld %10lld %6s\n", static_cast<int>(i),
                     name_width, name_width, e.name, e.op, !e.computes ? "-" : unit_name(u), tiles,
                     l1, model::plan.offset[i], g.output[i].elements(), e.cycles.macs, e.cycles.peak, cycles, util);
    }
    const long long total = r.total.total();
    constexpr long long weights = deployed_weight_bytes(net, g, plan, view_of(Forms));
    constexpr long long l2_used = model::arena_bytes + weights + model::input_bytes + model::output_bytes;
    std::fprintf(out, "\nlayers: %d on the CPU, %d on the digital accelerator, %d on the analog accelerator\n", r.on_cpu,
                 r.on_digital, r.on_analog);
    std::fprintf(out, "cycles: %lld in all = %lld accelerator calls (peak %lld) + %lld CPU; %.1f%% on accelerators\n",
                 total, accel_cycles, r.total.peak, cpu_cycles, total > 0 ? 100.0 * accel_cycles / total : 0.0);
    std::fprintf(out, "inference: %.3f ms modeled at %.0f MHz (accelerators at peak: %.3f ms)\n",
                 1e3 * static_cast<double>(total) / clock_hz, clock_hz / 1e6,
                 1e3 * static_cast<double>(r.total.peak + cpu_cycles) / clock_hz);
    std::fprintf(out, "memory      %10s %10s %6s\n", "used B", "size B", "use");
    auto row = [&](const char* name, long long used, long long size) {
        std::fprintf(out, "%-11s %10lld %10lld %5.1f%%\n", name, used, size, 100.0 * static_cast<double>(used) / size);
    };
    row("L2", l2_used, l2_bytes);
    std::fprintf(out, "  arena %d B (lower bound %d B), constants %lld B, input + output %d B\n", model::arena_bytes,
                 model::lower_bound_bytes, weights, model::input_bytes + model::output_bytes);
    row("L1 (peak)", l1_peak, l1_bytes);
    row("digital W", digital_weights_peak, digital_weight_bytes);
    row("analog W", analog_cells_peak, analog_weight_bytes);
    // What keeps layers off the accelerators the policy allows: what to change in the model.
    if constexpr (Policy::kind == policy_kind::cpu_only) return;
    bool heading = false;
    for (std::size_t i = 0; i < model::layer_count; ++i) {
        const dispatch_row& e = r.layer[i];
        if (e.where.target != unit::cpu || e.where.why == reason::cpu_only_policy || !e.computes)
            continue;
        if (!heading) std::fprintf(out, "on the CPU, and why (per accelerator, every rule the layer breaks):\n");
        heading = true;
        std::fprintf(out, "%3d  %-*.*s ", static_cast<int>(i), name_width, name_width, e.name);
        if (e.where.why != reason::rule_broken && e.where.why != reason::needs_tiling) {
            std::fprintf(out, "%s\n", reason_text(e.where));
            continue;
        }
        // Every accelerator the policy allows, with every rule the layer breaks there: one line each,
        // the later ones indented under the first.
        bool first_line = true;
        constexpr unit accelerators[] = {unit::digital, unit::analog};
        for (const unit u : accelerators) {
            if ((u == unit::digital && Policy::kind == policy_kind::analog) ||
                (u == unit::analog && Policy::kind == policy_kind::digital))
                continue;
            const broken_rules broken = detail::blockers(net, g, i, u);
            for (int k = 0; k < broken.count; ++k) {
                if (!first_line) std::fprintf(out, "%*s", 3 + 2 + name_width + 1, "");
                std::fprintf(out, "%s: %s\n", unit_name(u), rule_text(broken.item[k]));
                first_line = false;
            }
        }
        if (first_line) std::fprintf(out, "\n");
    }
}

// The L2 activation arena over time as an SVG picture.
template <const auto& net, class Policy, const auto& Forms = no_forms>
void write_l2_plan_svg(std::FILE* out, const char* title) {
    write_memory_plan_svg<htvm::model<net, target<Policy, Forms>>, net>(out, title);
}

}  // namespace htvm::diana
