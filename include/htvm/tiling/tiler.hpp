// The compile-time tiler: picks the tile sizes of one layer that fit L1 and the weight memory and
// score highest under a DORY-style objective, and places every buffer at a static L1 offset.
//
// DORY hands the same problem to a constraint solver. Here the search is a plain loop over a pruned
// candidate set, cheap enough for constant evaluation under the compilers' default limits:
//  - output channels K: all of K (capped by the array's columns), the multiples of
//    objective.k_multiple below it, and halvings below that multiple (8, 4, 2, 1 for 16);
//  - output columns OX: all of OX, the multiples of objective.ox_multiple below it, halvings;
//  - output rows OY: for each (K, OX) pair only the tallest tile that fits, found by bisection.
//    Every objective term grows with the rows, so a shorter tile never scores higher. (With a
//    tile_elements_multiple, the tallest fitting tile whose every tile meets it; if no candidate
//    does, every tile size is tried before the layer is rejected.)
// Input channels are tiled only where that is legal without partial sums kept across tiles: for a
// depthwise layer (together with its output channels). A convolution or fully connected layer
// reads all its input channels in every tile: an accelerator that requantizes at its output cannot
// keep partial sums.
#pragma once
#include "halo.hpp"
#include "limits.hpp"
#include "plan.hpp"
#include "tile_problem.hpp"

namespace htvm::tiling {

namespace detail {

constexpr long long align_up(long long v, int a) { return a > 1 ? (v + a - 1) / a * a : v; }

// Next smaller candidate after `c` for a dimension searched in steps of `step`; 0 when done.
constexpr int next_candidate(int c, int step) {
    if (step < 1) step = 1;
    if (c > step) return (c - 1) / step * step;
    int h = step;
    while (h >= c) h /= 2;
    return h;
}

// The same, but never skipping over `floor`: the smallest tile allowed is always tried.
constexpr int next_candidate_above(int c, int step, int floor) {
    const int next = next_candidate(c, step);
    return next < floor && c > floor ? floor : next;
}

struct footprint {
    long long in = 0, out = 0, weights = 0;  // aligned bytes of one input / output buffer, one weight tile
    long long l1 = 0;                        // total L1
    bool input_reused = false;
};

// Stored bytes of the weights of `tk` output channels (padded to the granularity), then the bias.
// Weights in L1 are staged as int8, whatever weight_bits says about a dedicated weight memory.
constexpr long long weight_tile_bytes(const tile_problem& p, const memory_limits& m, int tk) {
    const int bits = m.weights_in_l1 ? 8 : m.weight_bits;
    const int padded = m.weight_k_granularity > 1 ? static_cast<int>(align_up(tk, m.weight_k_granularity)) : tk;
    const long long weights = (p.weight_elements(padded) * bits + 7) / 8;
    if (m.bias_bytes <= 0) return weights;
    return align_up(weights, 4) + static_cast<long long>(padded) * m.bias_bytes;
}

// The few distinct sizes the tiles of one axis take: the interior size, the border remainder, and
// (for inputs) the windows clipped by the padding at either end. At most `capacity` of them.
struct distinct_sizes {
    static constexpr int capacity = 16;
    int value[capacity]{};
    int size = 0;
    constexpr void add(int v) {
        for (int i = 0; i < size; ++i)
            if (value[i] == v) return;
        if (size < capacity) value[size++] = v;
    }
};

constexpr distinct_sizes output_sizes(int total, int tile) {
    distinct_sizes s{};
    s.add(tile < total ? tile : total);
    if (total % tile != 0) s.add(total % tile);
    return s;
}

// Calls visit(rows) for the input rows of every distinct tile along one axis, until it returns
// false: tiles clipped at the start (until the first one that is not), then, walking back from the
// last, tiles clipped at the end or short, until a full unclipped one. Tiles between the two
// stopping points are neither clipped nor short: the size of the tile that stopped the second walk.
template <class Visit>
constexpr bool all_input_sizes(int out_total, int tile, int stride, int kernel, int pad_before, int in_size,
                               Visit&& visit) {
    const int count = tile_count(out_total, tile);
    auto rows_of = [&](int j) {
        const int begin = j * tile;
        const int n = begin + tile > out_total ? out_total - begin : tile;
        return input_range(begin, n, stride, kernel, pad_before, in_size);
    };
    for (int j = 0; j < count; ++j) {
        const axis_range r = rows_of(j);
        if (!visit(r.count)) return false;
        if (r.pad_before == 0) break;
    }
    for (int j = count - 1; j >= 0; --j) {
        if (!visit(rows_of(j).count)) return false;
        const int last_output = j * tile + tile - 1;
        if (last_output < out_total && last_output * stride - pad_before + kernel <= in_size) break;
    }
    return true;
}

// Whether every tile of (tk, th, tw) has input and output element counts that are multiples of
// `multiple`. Cheap checks first, and out at the first tile that fails.
constexpr bool tiles_meet_multiple(const tile_problem& p, int multiple, int tk, int th, int tw) {
    if (multiple <= 1) return true;
    const distinct_sizes ks = output_sizes(p.out.c, tk);
    const distinct_sizes oys = output_sizes(p.out.h, th), oxs = output_sizes(p.out.w, tw);
    for (int a = 0; a < oys.size; ++a)
        for (int b = 0; b < oxs.size; ++b)
            for (int c = 0; c < ks.size; ++c)
                if (oys.value[a] * oxs.value[b] * ks.value[c] % multiple != 0) return false;
    // Input: channels per tile x columns per tile, then every distinct row count against them.
    distinct_sizes slices{};  // columns x channels of the input tiles
    const bool columns_ok = all_input_sizes(p.out.w, tw, p.stride.w, p.kernel.w, p.pad_left, p.in.w, [&](int cols) {
        for (int c = 0; c < ks.size; ++c)
            slices.add(static_cast<int>(static_cast<long long>(cols) *
                                        (p.kind == tile_op::depthwise_conv2d ? ks.value[c] : p.in.c) % multiple));
        return true;
    });
    (void)columns_ok;
    return all_input_sizes(p.out.h, th, p.stride.h, p.kernel.h, p.pad_top, p.in.h, [&](int rows) {
        for (int i = 0; i < slices.size; ++i)
            if (static_cast<long long>(rows) * slices.value[i] % multiple != 0) return false;
        return true;
    });
}

constexpr footprint footprint_of(const tile_problem& p, const memory_limits& m, int tk, int th, int tw, bool db) {
    footprint f{};
    const long long ih = input_extent(th, p.stride.h, p.kernel.h, p.in.h);
    const long long iw = input_extent(tw, p.stride.w, p.kernel.w, p.in.w);
    const long long tc = p.kind == tile_op::depthwise_conv2d ? tk : p.in.c;
    f.input_reused = p.kind != tile_op::depthwise_conv2d && th == p.out.h && tw == p.out.w;
    f.in = align_up(ih * iw * tc, m.alignment);
    f.out = align_up(static_cast<long long>(th) * tw * tk, m.alignment);
    f.weights = weight_tile_bytes(p, m, tk);
    f.l1 = f.in * (db && !f.input_reused ? 2 : 1) + f.out * (db ? 2 : 1) +
           (m.weights_in_l1 ? align_up(f.weights, m.alignment) : 0);
    return f;
}

constexpr long long score_of(const tile_problem& p, const objective& o, const footprint& f, bool weights_in_l1,
                             int tk, int th, int tw) {
    const int ih = input_extent(th, p.stride.h, p.kernel.h, p.in.h);
    long long s = o.per_byte * (f.l1 + (weights_in_l1 ? 0 : f.weights));
    if (tk == p.out.c || (o.k_multiple > 0 && tk % o.k_multiple == 0)) s += o.k_multiple_bonus;
    if (tw == p.out.w || (o.ox_multiple > 0 && tw % o.ox_multiple == 0)) s += o.ox_multiple_bonus;
    s += o.per_k * tk + o.per_ox * tw + o.per_input_row * ih;
    if (th * tw >= o.min_pixels) s += o.min_pixels_bonus;
    return s;
}

}  // namespace detail

constexpr tile_plan plan_tiles(const tile_problem& p, const memory_limits& m, const objective& o = {}) {
    tile_plan plan{};
    plan.problem = p;
    plan.weights_in_l1 = m.weights_in_l1;
    if (!p.valid()) return plan;

    const int K = p.out.c, OH = p.out.h, OW = p.out.w;
    if (m.array_rows > 0 && p.reduction_rows() > m.array_rows) {
        plan.status = tiling_status::array_rows_exceeded;
        plan.need = p.reduction_rows();
        plan.limit = m.array_rows;
        return plan;
    }
    const long long weight_limit = m.weights_in_l1 ? m.l1_bytes : m.weight_bytes;
    auto weights_fit = [&](int tk) { return detail::weight_tile_bytes(p, m, tk) <= weight_limit; };
    auto fits = [&](int tk, int th, int tw, bool db) {
        return detail::footprint_of(p, m, tk, th, tw, db).l1 <= m.l1_bytes;
    };

    int best_k = 0, best_h = 0, best_w = 0;
    bool best_db = false;
    long long best_score = 0;
    int best_tiles = 0;
    auto consider = [&](int tk, int th, int tw, bool db) {
        const auto f = detail::footprint_of(p, m, tk, th, tw, db);
        const long long s = detail::score_of(p, o, f, m.weights_in_l1, tk, th, tw);
        const int tiles = tile_count(K, tk) * tile_count(OH, th) * tile_count(OW, tw);
        ++plan.candidates;
        // Ties: fewer tiles (fewer DMA set-ups), then more output channels.
        if (best_k == 0 || s > best_score || (s == best_score && (tiles < best_tiles || (tiles == best_tiles && tk > best_k)))) {
            best_k = tk, best_h = th, best_w = tw, best_db = db, best_score = s, best_tiles = tiles;
        }
    };

    const int k_cap = m.array_columns > 0 && m.array_columns < K ? m.array_columns : K;
    const int k_floor = m.min_tile_k < k_cap ? m.min_tile_k : k_cap;

    auto meets_multiple = [&](int tk, int th, int tw) {
        return detail::tiles_meet_multiple(p, m.tile_elements_multiple, tk, th, tw);
    };
    bool memory_fits_somewhere = false;  // to tell "no tile fits" from "no fitting tile meets the multiple"
    // Output tiles partition the output: if it is not made of whole granules, no tiling is.
    const bool output_in_granules = m.tile_elements_multiple <= 1 || p.out.elements() % m.tile_elements_multiple == 0;

    // The whole layer at once, single-buffered: nothing to overlap, so no second buffer.
    if (k_cap == K && weights_fit(K) && fits(K, OH, OW, false) && meets_multiple(K, OH, OW)) {
        consider(K, OH, OW, false);
    } else {
        const bool db = m.double_buffer;
        int smallest_k = k_cap;
        long long smallest_l1_need = -1;
        for (int tk = k_cap; tk >= k_floor && tk > 0; tk = detail::next_candidate_above(tk, o.k_multiple, k_floor)) {
            smallest_k = tk;
            if (!weights_fit(tk)) continue;
            if (!output_in_granules && fits(tk, 1, 1, db)) {
                memory_fits_somewhere = true;
                continue;
            }
            for (int tw = OW; tw > 0; tw = detail::next_candidate(tw, o.ox_multiple)) {
                if (!fits(tk, 1, tw, db)) {
                    const long long need = detail::footprint_of(p, m, tk, 1, tw, db).l1;
                    if (smallest_l1_need < 0 || need < smallest_l1_need) smallest_l1_need = need;
                    continue;
                }
                int th = 1;
                if (fits(tk, OH, tw, db)) {
                    th = OH;
                } else {
                    // Largest th in [1, OH - 1] that fits: below OH the footprint grows with th.
                    int lo = 1, hi = OH - 1;
                    while (lo < hi) {
                        const int mid = (lo + hi + 1) / 2;
                        if (fits(tk, mid, tw, db)) lo = mid;
                        else hi = mid - 1;
                    }
                    th = lo;
                }
                memory_fits_somewhere = true;
                // The granule: shorter tiles until every tile's element counts are multiples of it.
                // Tile sizes repeat their residues quickly, so a few tries decide (a bounded cost).
                if (m.tile_elements_multiple > 1) {
                    const int lowest = th > 2 * m.tile_elements_multiple ? th - 2 * m.tile_elements_multiple : 1;
                    // (Below OH a pointwise layer's input is no longer reused: re-check the fit.)
                    while (th >= lowest && !(meets_multiple(tk, th, tw) && fits(tk, th, tw, db))) --th;
                    if (th < lowest) continue;
                }
                consider(tk, th, tw, db);
            }
        }
        // The pruned candidates can all miss the granule where an odd size would meet it (a row
        // count far below the tallest, a column count that is no candidate). Before concluding that no
        // tile meets it, try every size, tallest rows first, within a bounded number of checks
        // (this runs only for layers that would otherwise not compile).
        if (best_k == 0 && memory_fits_somewhere && m.tile_elements_multiple > 1 && output_in_granules) {
            constexpr long long max_checks = 1 << 16;
            long long checks = 0;
            for (int tk = k_cap; tk >= k_floor && tk > 0 && checks < max_checks; --tk) {
                if (!weights_fit(tk)) continue;
                for (int tw = OW; tw > 0 && checks < max_checks; --tw)
                    for (int th = OH; th > 0 && checks < max_checks; --th) {
                        ++checks;
                        if (fits(tk, th, tw, db) && meets_multiple(tk, th, tw)) {
                            consider(tk, th, tw, db);
                            break;
                        }
                    }
            }
        }
        if (best_k == 0) {
            plan.smallest_tile_k = smallest_k;
            if (memory_fits_somewhere) {
                plan.status = tiling_status::element_multiple_unmet;
                plan.need = m.tile_elements_multiple;
                plan.limit = 0;
            } else if (!weights_fit(smallest_k)) {
                plan.status = tiling_status::weight_memory_too_small;
                plan.need = detail::weight_tile_bytes(p, m, smallest_k);
                plan.limit = weight_limit;
            } else {
                plan.status = tiling_status::l1_too_small;
                plan.need = smallest_l1_need;
                plan.limit = m.l1_bytes;
            }
            return plan;
        }
    }

    // The winner, and the static L1 layout: inputs, outputs, then (if it lives in L1) the weight tile.
    const auto f = detail::footprint_of(p, m, best_k, best_h, best_w, best_db);
    plan.status = tiling_status::ok;
    plan.tile_k = best_k;
    plan.tile_c = p.kind == tile_op::depthwise_conv2d ? best_k : p.in.c;
    plan.tile_h = best_h;
    plan.tile_w = best_w;
    plan.tiles_k = tile_count(K, best_k);
    plan.tiles_h = tile_count(OH, best_h);
    plan.tiles_w = tile_count(OW, best_w);
    plan.tile_count = plan.tiles_k * plan.tiles_h * plan.tiles_w;
    plan.in_tile_h = input_extent(best_h, p.stride.h, p.kernel.h, p.in.h);
    plan.in_tile_w = input_extent(best_w, p.stride.w, p.kernel.w, p.in.w);
    plan.double_buffered = best_db;
    plan.input_reused = f.input_reused;
    plan.in_buffer_bytes = static_cast<int>(f.in);
    plan.out_buffer_bytes = static_cast<int>(f.out);
    const bool two_inputs = best_db && !f.input_reused;
    plan.in_offset[0] = 0;
    plan.in_offset[1] = two_inputs ? plan.in_buffer_bytes : 0;
    const int outputs = plan.in_buffer_bytes * (two_inputs ? 2 : 1);
    plan.out_offset[0] = outputs;
    plan.out_offset[1] = outputs + (best_db ? plan.out_buffer_bytes : 0);
    const int after_outputs = outputs + plan.out_buffer_bytes * (best_db ? 2 : 1);
    plan.weight_offset = m.weights_in_l1 ? after_outputs : 0;
    plan.weight_tile_bytes = static_cast<int>(f.weights);
    plan.weight_tile_elements = static_cast<int>(p.weight_elements(best_k));
    plan.l1_bytes = static_cast<int>(f.l1);
    plan.score = best_score;
    return plan;
}

}  // namespace htvm::tiling
