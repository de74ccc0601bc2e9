// Static memory plan: every activation tensor (network input and output included) gets a fixed
// offset in one arena, computed at compile time from liveness over the execution order.
//  - reshape is zero-copy: its output is its input's memory;
//  - element-wise layers (add, clip) write in place over an input that dies at that layer;
//  - placement is greedy-by-size with first-fit gap search among buffers alive at the same time,
//    tried with two orders (size, then start time as tie-break; and longest-lived first);
//  - and execution order with each buffer at the free end farthest from its source (chains
//    ping-pong and meet the lower bound); the smallest arena wins.
// Every step is O(N log N) or O(N x buffers alive at once), so that networks of 1,024 layers plan
// within g++'s and clang++'s default constant-evaluation limits.
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

// Stable merge sort of order[0, count) by `before`, through `scratch`. O(n log n): the plan of a
// 1,024-layer network must stay within the compilers' default constant-evaluation limits.
template <std::size_t N, class Before>
constexpr void stable_sort(int (&order)[N], int count, int (&scratch)[N], Before before) {
    for (int width = 1; width < count; width *= 2) {
        for (int lo = 0; lo < count; lo += 2 * width) {
            const int mid = lo + width < count ? lo + width : count;
            const int hi = lo + 2 * width < count ? lo + 2 * width : count;
            int a = lo, b = mid, k = lo;
            while (a < mid && b < hi) scratch[k++] = before(order[b], order[a]) ? order[b++] : order[a++];
            while (a < mid) scratch[k++] = order[a++];
            while (b < hi) scratch[k++] = order[b++];
        }
        for (int k = 0; k < count; ++k) order[k] = scratch[k];
    }
}

// Which buffers can be alive together, without comparing every pair: buffer j is born at step j
// (its root layer writes it), so a buffer alive for at most `reach` steps can only meet buffers born
// within `reach` steps before it or during its own life; the few that live longer are listed.
template <std::size_t N>
struct lifetime_index {
    static constexpr int reach = 8;
    int long_lived[N]{};  // buffers alive for more than `reach` steps, in index order
    int long_count = 0;
};

template <std::size_t N>
constexpr lifetime_index<N> index_lifetimes(const memory_plan<N>& plan) {
    lifetime_index<N> index{};
    for (std::size_t b = 0; b < N; ++b)
        if (plan.bytes[b] > 0 && plan.last_use[b] - plan.first_use[b] > lifetime_index<N>::reach)
            index.long_lived[index.long_count++] = static_cast<int>(b);
    return index;
}

// Calls f(j) for every other buffer j alive at some step when buffer b is, in increasing j.
template <std::size_t N, class F>
constexpr void for_each_alive_with(const memory_plan<N>& plan, const lifetime_index<N>& index, int b, F f) {
    const int first = plan.first_use[b], last = plan.last_use[b];
    const int window = first > lifetime_index<N>::reach ? first - lifetime_index<N>::reach : 0;
    for (int k = 0; k < index.long_count && index.long_lived[k] < window; ++k)
        if (plan.last_use[index.long_lived[k]] >= first) f(index.long_lived[k]);
    for (int j = window; j <= last && j < static_cast<int>(N); ++j)
        if (j != b && plan.bytes[j] > 0 && overlaps_in_time(first, last, plan.first_use[j], plan.last_use[j])) f(j);
}

// The arena bytes taken, at the time of buffer b, by the buffers already placed: `near` lists them
// in index order, and [start, end) holds their union as disjoint ranges in increasing order.
template <std::size_t N>
struct occupied {
    int near[N]{};
    int near_count = 0;
    int start[N]{}, end[N]{};
    int ranges = 0;
    int scratch[N]{}, by_offset[N]{};

    constexpr void collect(const memory_plan<N>& plan, const lifetime_index<N>& index, const bool (&placed)[N],
                           int b) {
        near_count = 0;
        for_each_alive_with(plan, index, b, [&](int j) {
            if (placed[j]) near[near_count++] = j;
        });
        for (int k = 0; k < near_count; ++k) by_offset[k] = near[k];
        stable_sort(by_offset, near_count, scratch,
                    [&](int x, int y) { return plan.offset[x] < plan.offset[y]; });
        ranges = 0;
        for (int k = 0; k < near_count; ++k) {
            const int j = by_offset[k];
            const int s = plan.offset[j], e = s + align_up(plan.bytes[j], arena_alignment);
            if (ranges > 0 && s <= end[ranges - 1]) {
                if (e > end[ranges - 1]) end[ranges - 1] = e;
            } else {
                start[ranges] = s;
                end[ranges] = e;
                ++ranges;
            }
        }
    }

    // The lowest offset >= 0 where `size` bytes overlap none of the ranges.
    constexpr int lowest_fit(int size) const {
        int offset = 0;
        for (int k = 0; k < ranges && start[k] < offset + size; ++k)
            if (end[k] > offset) offset = end[k];
        return offset;
    }

    constexpr bool fits(int offset, int size) const {
        if (offset < 0) return false;
        // The last range starting before offset + size is the only one that can overlap.
        int lo = 0, hi = ranges;
        while (lo < hi) {
            const int mid = (lo + hi) / 2;
            if (start[mid] < offset + size) lo = mid + 1;
            else hi = mid;
        }
        return lo == 0 || end[lo - 1] <= offset;
    }
};

// Places buffers in `order` at the lowest offset that overlaps no placed buffer alive at the same time.
template <std::size_t N>
constexpr int place(memory_plan<N>& plan, const lifetime_index<N>& index, const int (&order)[N], int count,
                    occupied<N>& taken) {
    bool placed[N]{};
    int arena = 0;
    for (int k = 0; k < count; ++k) {
        const int b = order[k];
        const int size = align_up(plan.bytes[b], arena_alignment);
        taken.collect(plan, index, placed, b);
        const int offset = taken.lowest_fit(size);
        plan.offset[b] = offset;
        placed[b] = true;
        if (offset + size > arena) arena = offset + size;
    }
    return arena;
}

// Places buffers in execution order inside an arena of `target` bytes (the aligned lower bound),
// each at the free end farthest from the buffer it is computed from: a chain then ping-pongs
// between the two ends and meets the bound exactly, which size-ordered first-fit often misses.
// Candidates are the two ends and the edges of every placed buffer alive at the same time (in index
// order, which decides ties); a buffer that fits nowhere inside `target` takes the candidate with
// the lowest end.
template <std::size_t N>
constexpr int place_two_ended(memory_plan<N>& plan, const lifetime_index<N>& index, const int (&order)[N],
                              int count, const int (&source)[N], int target, occupied<N>& taken) {
    bool placed[N]{};
    int arena = 0;
    for (int k = 0; k < count; ++k) {
        const int b = order[k];
        const int size = align_up(plan.bytes[b], arena_alignment);
        taken.collect(plan, index, placed, b);
        const int s = source[b];
        const int away_from = s >= 0 && placed[s] ? 2 * plan.offset[s] + align_up(plan.bytes[s], arena_alignment) : -1;
        int best = -1, best_end = 0, best_distance = -1;
        auto consider = [&](int offset) {
            if (!taken.fits(offset, size)) return;
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
        for (int n = 0; n < taken.near_count; ++n) {
            const int j = taken.near[n];
            consider(plan.offset[j] + align_up(plan.bytes[j], arena_alignment));
            consider(plan.offset[j] - size);
        }
        plan.offset[b] = best;
        placed[b] = true;
        if (best_end > arena) arena = best_end;
    }
    return arena;
}

// Which buffer holds each layer's output and when each buffer is alive; no offsets yet.
template <std::size_t N>
constexpr memory_plan<N> assign_buffers(const network<N>& net, const graph_info<N>& g, bool in_place) {
    memory_plan<N> plan{};
    // The last step reading any layer aliased to buffer r so far (layers are visited in order).
    int read_until[N]{};
    for (std::size_t i = 0; i < N; ++i) {
        const output_memory memory = net.layers[i].memory();
        plan.root[i] = static_cast<int>(i);
        if (memory == output_memory::alias_of_input) {
            plan.root[i] = plan.root[g.producer[i][0]];
        } else if (in_place && memory == output_memory::may_overwrite_input) {
            // Reuse an input's buffer when that input (through any alias) is read by no later layer.
            for (int k = 0; k < g.input_count[i]; ++k) {
                const int r = plan.root[g.producer[i][k]];
                // never overwrite the caller-visible network input
                if (r != 0 && read_until[r] <= static_cast<int>(i)) { plan.root[i] = r; break; }
            }
        }
        const int r = plan.root[i];
        if (g.last_use[i] > read_until[r]) read_until[r] = g.last_use[i];
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
    // Bytes born minus bytes freed at each step 0..N (a buffer read at step N is freed at N + 1).
    int change[N + 2]{};
    for (std::size_t b = 0; b < N; ++b)
        if (plan.bytes[b] > 0) {
            change[plan.first_use[b]] += align_up(plan.bytes[b], alignment);
            change[plan.last_use[b] + 1] -= align_up(plan.bytes[b], alignment);
        }
    int peak = 0, alive = 0;
    for (std::size_t step = 0; step <= N; ++step) {
        alive += change[step];
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
    int scratch[N]{};
    detail::stable_sort(by_size, count, scratch, [&](int a, int b) {
        return plan.bytes[a] != plan.bytes[b] ? plan.bytes[a] > plan.bytes[b] : plan.first_use[a] < plan.first_use[b];
    });
    detail::stable_sort(by_lifetime, count, scratch, [&](int a, int b) {
        const int la = plan.last_use[a] - plan.first_use[a], lb = plan.last_use[b] - plan.first_use[b];
        return la != lb ? la > lb : plan.bytes[a] > plan.bytes[b];
    });
    const detail::lifetime_index<N> index = detail::index_lifetimes(plan);
    detail::occupied<N> taken{};
    memory_plan<N> second = plan, third = plan;
    const int size_first = detail::place(plan, index, by_size, count, taken);
    const int lifetime_first = detail::place(second, index, by_lifetime, count, taken);
    int arena = size_first;
    if (lifetime_first < arena) { plan = second; arena = lifetime_first; }
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
    const int two_ended = detail::place_two_ended(third, index, by_start, count, source, target, taken);
    if (two_ended < arena) { plan = third; arena = two_ended; }
    plan.arena_bytes = arena;
    for (std::size_t i = 0; i < N; ++i) plan.offset[i] = plan.offset[plan.root[i]];
    return plan;
}

}  // namespace htvm
