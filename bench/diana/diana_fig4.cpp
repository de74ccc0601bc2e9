// Fig. 4 of the HTVM paper, MODELED: whole-network latency on DIANA's digital accelerator against
// the L1 budget, with the compile-time tiler (htvm/tiling) choosing every layer's tiles under three
// objectives:
//   none     bytes used only (htvm::tiling::bytes_only_objective): the biggest tile that fits;
//   c_ox     + DORY's accelerator heuristics: bonuses for output-channel (K, the paper's "C") and
//            output-column (OX) tiles that are multiples of 16, per K and per OX column, and for
//            tiles of at least 16 pixels (digital_array_objective without its input-row term);
//   c_ox_iy  + the input-row ("iy") heuristic: per input row of the tile (the full
//            digital_array_objective).
// The candidate tiles are the same in all three modes; only the weights of the objective change.
//
// Configuration: the paper's "digital" one. Every layer the digital accelerator can run (the
// DIANA rules) is tiled onto it with DIANA's own tile limits (htvm::diana::digital_tile_limits:
// weight memory 64,000 B, K padded to 16, 4-element words, synchronous DMA) and the swept L1; a
// layer the tiler cannot fit at that budget runs on the CPU (counted in cpu_fallbacks).
// Element-wise adds (ResNet-8), which the tiler does not tile, run untiled on the accelerator when
// their tensors fit the budget. Cycles: the library's model, htvm::diana::cycles::estimate(net, g,
// i, unit, plan) (tile by tile along the executed schedule, one tile = the untiled formula), full +
// layout for accelerator layers, cpu for the rest. Nothing is measured.
//
// Output (stdout), CSV: network,config,l1_bytes,mode,cycles,ms,peak_cycles,tiles,tiled_layers,cpu_fallbacks
// Self-check (exit status 1 when it fails): at L1 = 256,000 B with DORY's full objective the sweep
// is the digital policy itself, so its total must equal dispatch_table_of<net, policy::digital>'s.
#include <array>
#include <cmath>
#include <cstdio>

#include "ds_cnn.hpp"
#include "mobilenet.hpp"
#include "resnet8.hpp"
#include "toyadmos_dae.hpp"

namespace {

namespace tl = htvm::tiling;
namespace dn = htvm::diana;


struct mode {
    const char* name;
    tl::objective goal;
};
constexpr mode modes[] = {
    {"none", tl::bytes_only_objective},
    {"c_ox", dn::digital_array_objective_without_iy},
    {"c_ox_iy", dn::digital_array_objective},
};

struct network_cycles {
    long long cycles = 0, peak = 0;
    int tiles = 0, tiled_layers = 0, cpu_fallbacks = 0;
};

int self_check_failures = 0;

constexpr tl::memory_limits limits_at(int l1_bytes) {
    tl::memory_limits m = dn::digital_tile_limits;
    m.l1_bytes = l1_bytes;
    return m;
}

// Which layers the digital array may run is a compile-time fact. Evaluating the rule at run time
// for networks of several sizes in one program also trips a GCC 12 -Warray-bounds false positive
// (identical instantiations folded together), so it is tabled once per network at compile time.
template <const auto& net, const auto& forms>
inline constexpr auto digital_eligible = [] {
    std::array<bool, net.size()> e{};
    for (std::size_t i = 0; i < net.size(); ++i)
        e[i] = dn::digital_rule(net, dn::graph_of<net>, i, dn::view_of(forms)) == dn::rule::none;
    return e;
}();

template <const auto& net, const auto& forms>
network_cycles evaluate(int l1_bytes, const tl::objective& goal) {
    constexpr auto& g = dn::graph_of<net>;
    network_cycles r{};
    for (std::size_t i = 0; i < net.size(); ++i) {
        const htvm::layer& l = net.layers[i];
        if (htvm::is<htvm::input>(l) || htvm::is<htvm::reshape>(l)) continue;
        const long long on_cpu = dn::cycles::estimate(net, g, i, dn::unit::cpu).cpu;
        const bool arranged = dn::has_arranged_digital_weights(l, dn::view_of(forms));
        if (!digital_eligible<net, forms>[i]) {
            r.cycles += on_cpu;
            r.peak += on_cpu;
            continue;
        }
        if (!tl::tileable(l)) {  // add: untiled, when its tensors fit
            const bool fits = dn::l1_need(g, i) <= l1_bytes;
            const dn::cycles::layer_cycles c = dn::cycles::estimate(net, g, i, dn::unit::digital, arranged);
            r.cycles += fits ? c.full + c.layout : on_cpu;
            r.peak += fits ? c.peak : on_cpu;
            r.cpu_fallbacks += fits ? 0 : 1;
            r.tiles += fits ? 1 : 0;
            continue;
        }
        const tl::tile_plan plan = tl::plan_tiles(tl::problem_of(net, g, i), limits_at(l1_bytes), goal);
        if (!plan.ok()) {
            r.cycles += on_cpu;
            r.peak += on_cpu;
            ++r.cpu_fallbacks;
            continue;
        }
        const dn::cycles::layer_cycles c = dn::cycles::estimate(net, g, i, dn::unit::digital, plan, arranged);
        r.cycles += c.full + c.layout;
        r.peak += c.peak;
        r.tiles += plan.tile_count;
        ++r.tiled_layers;
    }
    return r;
}

// How many layer plans the iy term changes, and how many the C/ox terms change (for the summary printed at the end).
int plans_compared = 0, changed_by_iy = 0, changed_by_c_ox = 0;

constexpr bool same_tiles(const tl::tile_plan& a, const tl::tile_plan& b) {
    return a.status == b.status && a.tile_k == b.tile_k && a.tile_h == b.tile_h && a.tile_w == b.tile_w &&
           a.double_buffered == b.double_buffered;
}

template <const auto& net, const auto& forms>
void compare_plans(int l1_bytes) {
    constexpr auto& g = dn::graph_of<net>;
    for (std::size_t i = 0; i < net.size(); ++i) {
        if (!tl::tileable(net.layers[i]) || !digital_eligible<net, forms>[i]) continue;
        const tl::tile_problem p = tl::problem_of(net, g, i);
        const tl::memory_limits m = limits_at(l1_bytes);
        const tl::tile_plan none = tl::plan_tiles(p, m, modes[0].goal);
        const tl::tile_plan c_ox = tl::plan_tiles(p, m, modes[1].goal);
        const tl::tile_plan iy = tl::plan_tiles(p, m, modes[2].goal);
        ++plans_compared;
        changed_by_c_ox += same_tiles(none, c_ox) ? 0 : 1;
        changed_by_iy += same_tiles(c_ox, iy) ? 0 : 1;
    }
}

template <const auto& net, const auto& forms>
void sweep(const char* name) {
    // 8,000 B to 256,000 B (DIANA's L1), four steps per doubling.
    for (int step = 0; step <= 20; ++step) {
        const int l1 = static_cast<int>(8000.0 * std::pow(2.0, step / 4.0) + 0.5);
        compare_plans<net, forms>(l1);
        for (const mode& m : modes) {
            const network_cycles r = evaluate<net, forms>(l1, m.goal);
            std::printf("%s,digital,%d,%s,%lld,%.4f,%lld,%d,%d,%d\n", name, l1, m.name, r.cycles,
                        1000.0 * static_cast<double>(r.cycles) / static_cast<double>(dn::clock_hz), r.peak, r.tiles,
                        r.tiled_layers, r.cpu_fallbacks);
        }
    }
    // Self-check: the full L1 with DORY's objective is what the digital policy does.
    const network_cycles full = evaluate<net, forms>(dn::l1_bytes, dn::digital_array_objective);
    constexpr long long table = dn::dispatch_table_of<net, dn::policy::digital, forms>.total.total();
    if (full.cycles != table) {
        std::fprintf(stderr, "self-check: %s at L1 = %d B: sweep %lld cycles, dispatch_table_of<digital> %lld\n", name,
                     dn::l1_bytes, full.cycles, table);
        ++self_check_failures;
    }
}

}  // namespace

int main() {
    std::printf("network,config,l1_bytes,mode,cycles,ms,peak_cycles,tiles,tiled_layers,cpu_fallbacks\n");
    sweep<diana_examples::ds_cnn::net, diana_examples::ds_cnn::forms>(diana_examples::ds_cnn::name);
    sweep<diana_examples::mobilenet::net, diana_examples::mobilenet::forms>(diana_examples::mobilenet::name);
    sweep<diana_examples::resnet8::net, diana_examples::resnet8::forms>(diana_examples::resnet8::name);
    sweep<diana_examples::toyadmos_dae::net, diana_examples::toyadmos_dae::forms>(diana_examples::toyadmos_dae::name);
    if (self_check_failures > 0) return 1;
    std::fprintf(stderr, "diana_fig4: of %d layer plans (layers x budgets), the C/ox terms change %d, the iy term %d\n",
                 plans_compared, changed_by_c_ox, changed_by_iy);
    constexpr const tl::objective& o = dn::digital_array_objective;
    std::fprintf(stderr,
                 "diana_fig4: digital_array_objective weights: per byte %lld, per K channel %lld, per OX column %lld, "
                 "per input row (iy) %lld, K / OX multiple-of-16 bonuses %lld / %lld, min-pixels bonus %lld\n",
                 o.per_byte, o.per_k, o.per_ox, o.per_input_row, o.k_multiple_bonus, o.ox_multiple_bonus,
                 o.min_pixels_bonus);
    std::fprintf(stderr, "diana_fig4: at L1 = 256,000 B every network's total equals dispatch_table_of<net, policy::digital>\n");
    return 0;
}
