// Static memory plan: every activation tensor (network input and output included) gets a fixed
// offset in one arena, computed at compile time from liveness over the execution order.
//  - reshape is zero-copy: its output is its input's memory;
//  - element-wise layers (add, clip) write in place over an input that dies at that layer;
//  - placement is greedy-by-size with first-fit gap search among buffers alive at the same time,
//    tried with two orders (size, then start time as tie-break; and longest-lived first);
//  - and, for up to 96 buffers, execution order with each buffer at the free end farthest from its
//    source (chains ping-pong and meet the lower bound); the smallest arena wins.
#pragma once
#include <cstddef>

#include "graph.hpp"

namespace htvm {

inline constexpr int arena_alignment = 4;  // word loads of int8 data on RV32 want 4-byte offsets

template <std::size_t N>
struct memory_plan {
    int root[N]{};        // the layer whose buffer holds this layer's output (itself unless aliased)
    int first_use[N]{};   // live interval of buffer `root == i`, in execution steps
    int last_use[N]{};
    int bytes[N]{};       // size of buffer `i` when root[i] == i, else 0
    int offset[N]{};      // arena offset of layer i's output (aliases share their root's)
    int arena_bytes = 0;
    int lower_bound_bytes = 0;  // largest total of buffers alive at one step, no aliasing
    int buffers = 0;
};

namespace detail {

constexpr int align_up(int v, int a) { return (v + a - 1) / a * a; }

constexpr bool overlaps_in_time(int a_first, int a_last, int b_first, int b_last) {
    return !(a_last < b_first || b_last < a_first);
}

// Places buffers in `order` at the lowest offset that overlaps no placed buffer alive at the same time.
template <std::size_t N>
constexpr int place(memory_plan<N>& plan, const int (&order)[N], int count) {
    bool placed[N]{};
    int arena = 0;
    for (int k = 0; k < count; ++k) {
        const int b = order[k];
        const int size = align_up(plan.bytes[b], arena_alignment);
        int offset = 0;
        // Restart the scan whenever a conflict moves the candidate; N is small (<= a few hundred).
        for (bool moved = true; moved;) {
            moved = false;
            for (std::size_t j = 0; j < N; ++j) {
                if (!placed[j] || !overlaps_in_time(plan.first_use[b], plan.last_use[b], plan.first_use[j], plan.last_use[j]))
                    continue;
                const int j_end = plan.offset[j] + align_up(plan.bytes[j], arena_alignment);
                if (offset < j_end && plan.offset[j] < offset + size) {
                    offset = j_end;
                    moved = true;
                }
            }
        }
        plan.offset[b] = offset;
        placed[b] = true;
        if (offset + size > arena) arena = offset + size;
    }
    return arena;
}

// Places buffers in execution order inside an arena of `target` bytes (the aligned lower bound),
// each at the free end farthest from the buffer it is computed from: a chain then ping-pongs
// between the two ends and meets the bound exactly, which size-ordered first-fit often misses.
// Candidates are the two ends and the edges of every placed buffer; a buffer that fits nowhere
// inside `target` takes the candidate with the lowest end. O(N^3) on buffers: used for N <= 96.
template <std::size_t N>
constexpr int place_two_ended(memory_plan<N>& plan, const int (&order)[N], int count, const int (&source)[N],
                              int target) {
    bool placed[N]{};
    int arena = 0;
    for (int k = 0; k < count; ++k) {
        const int b = order[k];
        const int size = align_up(plan.bytes[b], arena_alignment);
        auto fits = [&](int offset) {
            if (offset < 0) return false;
            for (std::size_t j = 0; j < N; ++j)
                if (placed[j] && overlaps_in_time(plan.first_use[b], plan.last_use[b], plan.first_use[j], plan.last_use[j]) &&
                    offset < plan.offset[j] + align_up(plan.bytes[j], arena_alignment) && plan.offset[j] < offset + size)
                    return false;
            return true;
        };
        const int s = source[b];
        const int away_from = s >= 0 && placed[s] ? 2 * plan.offset[s] + align_up(plan.bytes[s], arena_alignment) : -1;
        int best = -1, best_end = 0, best_distance = -1;
        auto consider = [&](int offset) {
            if (!fits(offset)) return;
            const int end = offset + size;
            const int centre_distance = away_from < 0 ? 0 : (2 * offset + size > away_from ? 2 * offset + size - away_from : away_from - 2 * offset - size);
            const bool inside = end <= target, best_inside = best >= 0 && best_end <= target;
            const bool better = best < 0 || (inside && !best_inside) ||
                                (inside && best_inside && centre_distance > best_distance) ||
                                (!inside && !best_inside && end < best_end);
            if (better) { best = offset; best_end = end; best_distance = centre_distance; }
        };
        consider(0);
        consider((target - size) / arena_alignment * arena_alignment);  // the top end, aligned down
        for (std::size_t j = 0; j < N; ++j)
            if (placed[j]) {
                consider(plan.offset[j] + align_up(plan.bytes[j], arena_alignment));
                consider(plan.offset[j] - size);
            }
        plan.offset[b] = best;
        placed[b] = true;
        if (best_end > arena) arena = best_end;
    }
    return arena;
}

}  // namespace detail

namespace detail {

// Which buffer holds each layer's output and when each buffer is alive; no offsets yet.
template <std::size_t N>
constexpr memory_plan<N> assign_buffers(const network<N>& net, const graph_info<N>& g, bool in_place) {
    memory_plan<N> plan{};
    for (std::size_t i = 0; i < N; ++i) {
        const layer& l = net.layers[i];
        plan.root[i] = static_cast<int>(i);
        if (l.kind == op::reshape) {
            plan.root[i] = plan.root[g.producer[i][0]];
        } else if (in_place && (l.kind == op::add || l.kind == op::clip)) {
            // Reuse an input's buffer when that input (through any alias) is read by no later layer.
            for (int k = 0; k < g.input_count[i]; ++k) {
                const int r = plan.root[g.producer[i][k]];
                bool dies_here = r != 0;  // never overwrite the caller-visible network input
                for (std::size_t j = 0; j < N; ++j)
                    if (plan.root[j] == r && j < i && g.last_use[j] > static_cast<int>(i)) dies_here = false;
                if (dies_here) { plan.root[i] = r; break; }
            }
        }
    }
    // Live intervals: from the producing step to the last step reading any alias of the buffer.
    for (std::size_t i = 0; i < N; ++i) { plan.first_use[i] = static_cast<int>(i); plan.last_use[i] = static_cast<int>(i); }
    for (std::size_t i = 0; i < N; ++i) {
        const int r = plan.root[i];
        if (g.last_use[i] > plan.last_use[r]) plan.last_use[r] = g.last_use[i];
    }
    plan.last_use[plan.root[N - 1]] = static_cast<int>(N);  // the output is read after the last step
    for (std::size_t i = 0; i < N; ++i)
        if (plan.root[i] == static_cast<int>(i)) { plan.bytes[i] = g.output[i].elements(); ++plan.buffers; }
    return plan;
}

// The largest total of buffers alive at one step, each rounded up to `alignment`.
template <std::size_t N>
constexpr int peak_alive(const memory_plan<N>& plan, int alignment) {
    int peak = 0;
    for (int step = 0; step <= static_cast<int>(N); ++step) {
        int alive = 0;
        for (std::size_t b = 0; b < N; ++b)
            if (plan.bytes[b] > 0 && plan.first_use[b] <= step && step <= plan.last_use[b])
                alive += align_up(plan.bytes[b], alignment);
        if (alive > peak) peak = alive;
    }
    return peak;
}

}  // namespace detail

template <std::size_t N>
constexpr memory_plan<N> plan_memory(const network<N>& net, const graph_info<N>& g, bool in_place = true) {
    if (g.error.kind != graph_error_kind::none) return memory_plan<N>{};
    memory_plan<N> plan = detail::assign_buffers(net, g, in_place);
    // Lower bound on the same tensors without in-place reuse: largest sum alive at one step.
    plan.lower_bound_bytes = detail::peak_alive(in_place ? detail::assign_buffers(net, g, false) : plan, 1);

    int by_size[N]{}, by_lifetime[N]{};
    int count = 0;
    for (std::size_t b = 0; b < N; ++b)
        if (plan.bytes[b] > 0) { by_size[count] = by_lifetime[count] = static_cast<int>(b); ++count; }
    auto sort = [&](int (&order)[N], auto before) {
        for (int a = 1; a < count; ++a)
            for (int k = a; k > 0 && before(order[k], order[k - 1]); --k) {
                const int t = order[k]; order[k] = order[k - 1]; order[k - 1] = t;
            }
    };
    sort(by_size, [&](int a, int b) {
        return plan.bytes[a] != plan.bytes[b] ? plan.bytes[a] > plan.bytes[b] : plan.first_use[a] < plan.first_use[b];
    });
    sort(by_lifetime, [&](int a, int b) {
        const int la = plan.last_use[a] - plan.first_use[a], lb = plan.last_use[b] - plan.first_use[b];
        return la != lb ? la > lb : plan.bytes[a] > plan.bytes[b];
    });
    memory_plan<N> second = plan, third = plan;
    const int size_first = detail::place(plan, by_size, count);
    const int lifetime_first = detail::place(second, by_lifetime, count);
    int arena = size_first;
    if (lifetime_first < arena) { plan = second; arena = lifetime_first; }
    if (count <= 96) {
        // Execution order, and the buffer each one is computed from (its first input's root).
        int by_start[N]{}, source[N]{};
        int k = 0;
        for (std::size_t b = 0; b < N; ++b) {
            source[b] = -1;
            if (third.bytes[b] == 0) continue;
            by_start[k++] = static_cast<int>(b);
            if (g.input_count[b] > 0) source[b] = third.root[g.producer[b][0]];
        }
        // The bound again, on aligned sizes: the smallest arena any placement can reach.
        const int target = detail::peak_alive(third, arena_alignment);
        const int two_ended = detail::place_two_ended(third, by_start, count, source, target);
        if (two_ended < arena) { plan = third; arena = two_ended; }
    }
    plan.arena_bytes = arena;
    for (std::size_t i = 0; i < N; ++i) plan.offset[i] = plan.offset[plan.root[i]];
    return plan;
}

}  // namespace htvm
