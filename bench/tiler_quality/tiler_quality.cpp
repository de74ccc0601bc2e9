// Tiler quality: the compile-time tiler's plan (htvm::tiling::plan_tiles, run here as an ordinary
// function: the same constexpr code) against the best plan of an exhaustive search, both scored
// with the SAME cycle model, htvm::diana::cycles::estimate(net, g, i, unit::digital, plan)
// (full + layout: tile by tile along the executed schedule; one tile = the untiled formula).
//
// Cases: random layers that DIANA's digital accelerator can run (conv2d, depthwise, dense; kernels
// 1/3/5/7, stride 1 or 2, symmetric padding, element counts multiples of 4), each under every L1
// budget of a fixed list, with DIANA's other tile limits (htvm::diana::digital_tile_limits).
// The exhaustive search tries every legal tile: output channels K in the accelerator's 16-channel
// blocks (every multiple of 16 below K, and K itself), every output-row count 1..OY, every
// output-column count 1..OX, and single or double buffering where the limits allow it; legal means
// the tiler's own accounting says it fits L1 and the weight memory and every tile is made of whole
// 4-element words. A lower bound (per tile at least a call and an output DMA set-up, plus the
// untiled peak) skips candidates that cannot win; it never skips the optimum.
//
//     tiler_quality [--geometries N] [--seed S] [--csv dir]
//
// Writes <dir>/tiler_quality.csv (cases, median_ratio, worst_ratio: the tiler's objective for DIANA,
// digital_array_objective) and <dir>/tiler_quality_by_kind.csv (per layer kind and per objective:
// no heuristics / C-ox / C-ox + iy), and prints a summary. ratio = tiler cycles / optimum cycles >= 1.
// Exit status 1 if a check fails (the tiler's plan outside the legal set, or a ratio below 1).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <htvm/diana.hpp>
#include <htvm/tiling/tiling.hpp>

namespace {

namespace tl = htvm::tiling;
namespace dn = htvm::diana;

constexpr int budgets[] = {8'000, 16'000, 32'000, 64'000, 128'000, 256'000};

struct objective_mode {
    const char* name;
    tl::objective goal;
};
constexpr objective_mode modes[] = {
    {"digital_array_objective (C/ox + iy)", dn::digital_array_objective},
    {"C/ox only (no iy term)", dn::digital_array_objective_without_iy},
    {"no heuristics (bytes only)", tl::bytes_only_objective},
};
constexpr int mode_count = static_cast<int>(sizeof(modes) / sizeof(modes[0]));

// The layers' weights come arranged at build time (their DIANA form), as the examples deploy them:
// the cycle model then charges no RISC-V time for arranging weights.
constexpr bool weights_arranged = true;

// Weights and biases of any layer here (the values do not matter to the cycle model).
std::vector<std::int8_t> weight_pool(4 << 20);
std::vector<std::int32_t> bias_pool(4096);

struct geometry {
    tl::tile_op kind = tl::tile_op::conv2d;
    int h = 1, w = 1, c = 1, k = 1, fy = 1, fx = 1, stride = 1, pad_y = 0, pad_x = 0;
    int features = 0, units = 0;  // dense
};

htvm::network<2> network_of(const geometry& g) {
    const htvm::shift_requant rq{.shift = 4, .relu = true};
    const std::int8_t* w = weight_pool.data();
    const std::int32_t* b = bias_pool.data();
    if (g.kind == tl::tile_op::dense) {
        return htvm::network<2>{htvm::input{.name = "in", .shape = {1, 1, 1, g.features}},
                                htvm::dense{.name = "fc", .units = g.units, .weights = {w, g.units * g.features},
                                            .bias = {b, g.units}, .requant = rq}};
    }
    const htvm::padding pad = htvm::pads(g.pad_y, g.pad_y, g.pad_x, g.pad_x);
    if (g.kind == tl::tile_op::depthwise_conv2d) {
        return htvm::network<2>{
            htvm::input{.name = "in", .shape = {1, g.h, g.w, g.c}},
            htvm::depthwise_conv2d{.name = "dw", .kernel = {g.fy, g.fx}, .stride = {g.stride, g.stride}, .padding = pad,
                                   .weights = {w, g.fy * g.fx * g.c}, .bias = {b, g.c}, .requant = rq}};
    }
    return htvm::network<2>{
        htvm::input{.name = "in", .shape = {1, g.h, g.w, g.c}},
        htvm::conv2d{.name = "conv", .filters = g.k, .kernel = {g.fy, g.fx}, .stride = {g.stride, g.stride},
                     .padding = pad, .weights = {w, g.k * g.fy * g.fx * g.c}, .bias = {b, g.k}, .requant = rq}};
}

geometry random_geometry(std::mt19937& rng) {
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto one_of = [&](std::initializer_list<int> v) { return *(v.begin() + pick(0, static_cast<int>(v.size()) - 1)); };
    geometry g{};
    const int r = pick(0, 9);
    g.kind = r < 5 ? tl::tile_op::conv2d : (r < 8 ? tl::tile_op::depthwise_conv2d : tl::tile_op::dense);
    if (g.kind == tl::tile_op::dense) {
        g.features = 4 * pick(4, 1024);
        g.units = pick(0, 1) ? 4 * pick(1, 128) : one_of({16, 32, 64, 128, 256, 512});
        return g;
    }
    g.h = pick(4, 64);
    g.w = pick(0, 2) ? g.h : pick(4, 64);
    g.stride = pick(0, 3) ? 1 : 2;
    if (g.kind == tl::tile_op::conv2d) {
        g.c = one_of({1, 2, 3, 4, 8, 16, 24, 32, 48, 64, 96, 128});
        g.k = pick(0, 1) ? pick(1, 256) : one_of({8, 16, 24, 32, 48, 64, 96, 128, 256});
        g.fy = one_of({1, 1, 3, 3, 3, 5, 7});
        g.fx = pick(0, 4) ? g.fy : one_of({1, 3, 5, 7});
    } else {
        g.c = pick(0, 1) ? pick(1, 256) : one_of({8, 16, 32, 64, 128, 256});
        g.k = g.c;
        g.fy = one_of({3, 3, 3, 5, 7});
        g.fx = g.fy;
    }
    const bool same = pick(0, 3) != 0;
    g.pad_y = same ? g.fy / 2 : 0;
    g.pad_x = same ? g.fx / 2 : 0;
    return g;
}

long long cost(const htvm::network<2>& net, const htvm::graph_info<2>& g, const tl::tile_plan& plan) {
    const dn::cycles::layer_cycles c = dn::cycles::estimate(net, g, 1, dn::unit::digital, plan, weights_arranged);
    return c.full + c.layout;
}

// A plan for an arbitrary tile size, laid out as plan_tiles lays out its winner.
tl::tile_plan make_plan(const tl::tile_problem& p, const tl::memory_limits& m, int tk, int th, int tw, bool db) {
    const auto f = tl::detail::footprint_of(p, m, tk, th, tw, db);
    tl::tile_plan plan{};
    plan.problem = p;
    plan.weights_in_l1 = m.weights_in_l1;
    plan.status = tl::tiling_status::ok;
    plan.tile_k = tk;
    plan.tile_c = p.kind == tl::tile_op::depthwise_conv2d ? tk : p.in.c;
    plan.tile_h = th;
    plan.tile_w = tw;
    plan.tiles_k = tl::tile_count(p.out.c, tk);
    plan.tiles_h = tl::tile_count(p.out.h, th);
    plan.tiles_w = tl::tile_count(p.out.w, tw);
    plan.tile_count = plan.tiles_k * plan.tiles_h * plan.tiles_w;
    plan.in_tile_h = tl::input_extent(th, p.stride.h, p.kernel.h, p.in.h);
    plan.in_tile_w = tl::input_extent(tw, p.stride.w, p.kernel.w, p.in.w);
    plan.double_buffered = db;
    plan.input_reused = f.input_reused;
    plan.in_buffer_bytes = static_cast<int>(f.in);
    plan.out_buffer_bytes = static_cast<int>(f.out);
    const bool two_inputs = db && !f.input_reused;
    plan.in_offset[0] = 0;
    plan.in_offset[1] = two_inputs ? plan.in_buffer_bytes : 0;
    const int outputs = plan.in_buffer_bytes * (two_inputs ? 2 : 1);
    plan.out_offset[0] = outputs;
    plan.out_offset[1] = outputs + (db ? plan.out_buffer_bytes : 0);
    plan.weight_offset = m.weights_in_l1 ? outputs + plan.out_buffer_bytes * (db ? 2 : 1) : 0;
    plan.weight_tile_bytes = static_cast<int>(f.weights);
    plan.weight_tile_elements = static_cast<int>(p.weight_elements(tk));
    plan.l1_bytes = static_cast<int>(f.l1);
    return plan;
}

bool legal(const tl::tile_problem& p, const tl::memory_limits& m, int tk, int th, int tw, bool db) {
    const bool k_ok = tk == p.out.c || (tk % htvm::diana::pe_rows == 0 && tk < p.out.c);
    if (!k_ok || th < 1 || th > p.out.h || tw < 1 || tw > p.out.w || (db && !m.double_buffer)) return false;
    if (tl::detail::weight_tile_bytes(p, m, tk) > (m.weights_in_l1 ? m.l1_bytes : m.weight_bytes)) return false;
    if (tl::detail::footprint_of(p, m, tk, th, tw, db).l1 > m.l1_bytes) return false;
    return tl::detail::tiles_meet_multiple(p, m.tile_elements_multiple, tk, th, tw);
}

struct optimum {
    bool found = false;
    long long cycles = 0;
    int tk = 0, th = 0, tw = 0;
    bool db = false;
    long long evaluated = 0;
};

// Every legal tile, largest first; candidates whose lower bound cannot beat the best are skipped.
optimum brute_force(const htvm::network<2>& net, const htvm::graph_info<2>& g, const tl::tile_problem& p,
                    const tl::memory_limits& m, std::map<std::tuple<int, int, int, bool>, long long>& memo) {
    optimum best{};
    const dn::cycles::layer_cycles whole = dn::cycles::estimate(net, g, 1, dn::unit::digital, weights_arranged);
    const long long per_tile_floor = dn::cycles::call_overhead_cycles + dn::cycles::dma_setup_cycles;
    std::vector<int> ks{p.out.c};
    for (int k = (p.out.c - 1) / htvm::diana::pe_rows * htvm::diana::pe_rows; k >= htvm::diana::pe_rows; k -= htvm::diana::pe_rows)
        ks.push_back(k);
    for (int tk : ks)
        for (int th = p.out.h; th >= 1; --th)
            for (int tw = p.out.w; tw >= 1; --tw)
                for (int b = 0; b < (m.double_buffer ? 2 : 1); ++b) {
                    const bool db = b == 1;
                    const long long tiles = static_cast<long long>(tl::tile_count(p.out.c, tk)) *
                                            tl::tile_count(p.out.h, th) * tl::tile_count(p.out.w, tw);
                    if (best.found && tiles * per_tile_floor + whole.peak >= best.cycles) continue;
                    if (!legal(p, m, tk, th, tw, db)) continue;
                    const auto key = std::make_tuple(tk, th, tw, db);
                    auto it = memo.find(key);
                    long long c = 0;
                    if (it != memo.end()) {
                        c = it->second;
                    } else {
                        c = cost(net, g, make_plan(p, m, tk, th, tw, db));
                        memo.emplace(key, c);
                        ++best.evaluated;
                    }
                    if (!best.found || c < best.cycles) best = {true, c, tk, th, tw, db, best.evaluated};
                }
    return best;
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const std::size_t i = static_cast<std::size_t>(pos);
    const double frac = pos - static_cast<double>(i);
    return i + 1 < v.size() ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

const char* kind_name(tl::tile_op k) {
    return k == tl::tile_op::conv2d ? "conv2d" : (k == tl::tile_op::depthwise_conv2d ? "depthwise_conv2d" : "dense");
}

}  // namespace

int main(int argc, char** argv) {
    int geometries = 1000;
    unsigned seed = 20240607u;
    std::string dir = ".";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--geometries")) geometries = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--seed")) seed = static_cast<unsigned>(std::strtoul(argv[i + 1], nullptr, 10));
        else if (!std::strcmp(argv[i], "--csv")) dir = argv[i + 1];
    }
    std::mt19937 rng(seed);
    for (std::size_t i = 0; i < weight_pool.size(); ++i) weight_pool[i] = static_cast<std::int8_t>(i * 37 % 251);

    // ratios[mode][group]: group 0..2 the layer kind, 3 all, 4 all with K a multiple of 16 (the
    // channel counts of real networks; a K border tile of 1..15 channels makes the 4-element rule bite)
    constexpr int groups = 5;
    const char* const group_names[groups] = {"conv2d", "depthwise_conv2d", "dense", "all", "all_k_multiple_of_16"};
    std::vector<double> ratios[mode_count][groups];
    int optimal[mode_count][groups]{}, tiler_failed[mode_count][groups]{};
    int failures = 0, infeasible = 0, skipped_geometries = 0, used_geometries = 0, tiled_cases = 0;
    struct worst_case {
        double ratio = 0;
        tl::tile_problem p{};
        int l1 = 0;
        tl::tile_plan plan{};
        optimum best{};
        long long cycles = 0;
    } worst;  // of the first objective (DIANA's)
    long long evaluated = 0;

    int made = 0;
    while (made < geometries) {
        const geometry geo = random_geometry(rng);
        const htvm::network<2> net = network_of(geo);
        const htvm::graph_info<2> g = htvm::analyze(net);
        if (g.error.kind != htvm::graph_error_kind::none || dn::digital_rule(net, g, 1) != dn::rule::none ||
            tl::detail::weight_tile_bytes(tl::problem_of(net, g, 1), dn::digital_tile_limits,
                                          std::min(g.output[1].c, htvm::diana::pe_rows)) > htvm::diana::digital_weight_bytes) {
            ++skipped_geometries;  // not a DIANA digital layer, or not even 16 channels fit the weight memory
            continue;
        }
        ++made;
        ++used_geometries;
        const tl::tile_problem p = tl::problem_of(net, g, 1);
        const int kind = static_cast<int>(p.kind);
        const bool k16 = p.out.c % htvm::diana::pe_rows == 0;
        std::map<std::tuple<int, int, int, bool>, long long> memo;
        for (int l1 : budgets) {
            tl::memory_limits m = dn::digital_tile_limits;
            m.l1_bytes = l1;
            const optimum best = brute_force(net, g, p, m, memo);
            evaluated += best.evaluated;
            if (!best.found) {
                ++infeasible;
                continue;
            }
            tiled_cases += (best.tk != p.out.c || best.th != p.out.h || best.tw != p.out.w) ? 1 : 0;
            for (int mi = 0; mi < mode_count; ++mi) {
                const tl::tile_plan plan = tl::plan_tiles(p, m, modes[mi].goal);
                if (!plan.ok()) {
                    ++tiler_failed[mi][kind];
                    ++tiler_failed[mi][3];
                    if (k16) ++tiler_failed[mi][4];
                    continue;
                }
                // The tiler's plan must be in the legal set, and laid out as make_plan lays it out.
                const tl::tile_plan mine = make_plan(p, m, plan.tile_k, plan.tile_h, plan.tile_w, plan.double_buffered);
                if (!legal(p, m, plan.tile_k, plan.tile_h, plan.tile_w, plan.double_buffered) ||
                    mine.l1_bytes != plan.l1_bytes || mine.tile_count != plan.tile_count ||
                    mine.input_reused != plan.input_reused || mine.weight_tile_bytes != plan.weight_tile_bytes) {
                    std::fprintf(stderr, "check: the tiler's plan %dx%dx%d is not a legal candidate as the search sees it\n",
                                 plan.tile_k, plan.tile_h, plan.tile_w);
                    ++failures;
                    continue;
                }
                const long long c = cost(net, g, plan);
                const double ratio = static_cast<double>(c) / static_cast<double>(best.cycles);
                if (ratio < 1.0) {
                    std::fprintf(stderr, "check: the tiler beats the exhaustive search (%lld < %lld)\n", c, best.cycles);
                    ++failures;
                }
                if (mi == 0 && ratio > worst.ratio) worst = {ratio, p, l1, plan, best, c};
                ratios[mi][kind].push_back(ratio);
                ratios[mi][3].push_back(ratio);
                optimal[mi][kind] += c == best.cycles ? 1 : 0;
                optimal[mi][3] += c == best.cycles ? 1 : 0;
                if (k16) {
                    ratios[mi][4].push_back(ratio);
                    optimal[mi][4] += c == best.cycles ? 1 : 0;
                }
            }
        }
    }

    const std::vector<double>& main_ratios = ratios[0][3];
    const std::string main_csv = dir + "/tiler_quality.csv";
    if (FILE* f = std::fopen(main_csv.c_str(), "w")) {
        std::fprintf(f, "cases,median_ratio,worst_ratio\n%zu,%.4f,%.4f\n", main_ratios.size(), percentile(main_ratios, 0.5),
                     main_ratios.empty() ? 0.0 : *std::max_element(main_ratios.begin(), main_ratios.end()));
        std::fclose(f);
    } else {
        std::fprintf(stderr, "tiler_quality: cannot write %s\n", main_csv.c_str());
        return 1;
    }
    const std::string kind_csv = dir + "/tiler_quality_by_kind.csv";
    if (FILE* f = std::fopen(kind_csv.c_str(), "w")) {
        std::fprintf(f, "objective,layers,cases,optimal_cases,median_ratio,p90_ratio,worst_ratio,tiler_found_no_plan\n");
        for (int mi = 0; mi < mode_count; ++mi)
            for (int k = 0; k < groups; ++k) {
                const auto& r = ratios[mi][k];
                std::fprintf(f, "%s,%s,%zu,%d,%.4f,%.4f,%.4f,%d\n", modes[mi].name,
                             group_names[k], r.size(), optimal[mi][k],
                             percentile(r, 0.5), percentile(r, 0.9), r.empty() ? 0.0 : *std::max_element(r.begin(), r.end()),
                             tiler_failed[mi][k]);
            }
        std::fclose(f);
    }
    std::printf("tiler_quality: %d geometries (%d random draws skipped: not a DIANA digital layer or 16 channels too big "
                "for the weight memory) x %zu L1 budgets; %d geometry x budget pairs with no legal plan at all; "
                "%d cases where the optimum is tiled; %lld plans costed by the exhaustive search\n",
                used_geometries, skipped_geometries, sizeof(budgets) / sizeof(budgets[0]), infeasible, tiled_cases,
                evaluated);
    for (int mi = 0; mi < mode_count; ++mi)
        for (int k : {3, 4}) {
            const auto& r = ratios[mi][k];
            std::printf("  %s, %s: cases %zu, optimal %d, median %.4f, p90 %.4f, worst %.4f, tiler found no plan %d\n",
                        modes[mi].name, group_names[k], r.size(), optimal[mi][k], percentile(r, 0.5), percentile(r, 0.9),
                        r.empty() ? 0.0 : *std::max_element(r.begin(), r.end()), tiler_failed[mi][k]);
        }
    if (worst.ratio > 0) {
        const tl::tile_problem& p = worst.p;
        std::printf("  worst case (%s): %s %dx%dx%d -> %dx%dx%d, kernel %dx%d, stride %d, L1 %d B: tiler %dx%dx%d "
                    "(K x OY x OX, %d tiles) %lld cycles, optimum %dx%dx%d%s %lld cycles\n",
                    modes[0].name, kind_name(p.kind), p.in.h, p.in.w, p.in.c, p.out.h, p.out.w, p.out.c, p.kernel.h,
                    p.kernel.w, p.stride.h, worst.l1, worst.plan.tile_k, worst.plan.tile_h, worst.plan.tile_w,
                    worst.plan.tile_count, worst.cycles, worst.best.tk, worst.best.th, worst.best.tw,
                    worst.best.db ? " double-buffered" : "", worst.best.cycles);
    }
    if (failures > 0) {
        std::fprintf(stderr, "tiler_quality: %d checks failed\n", failures);
        return 1;
    }
    return 0;
}
