// First-fit placement: buffers taken in a fixed order, each at the lowest offset that overlaps no
// placed buffer alive at the same time; TFLite Micro's greedy planner with two orders.
#pragma once
#include <cstddef>

#include "free_space.hpp"
#include "live_buffers.hpp"
#include "sort.hpp"

namespace htvm::planner {

// Places live's buffers in `order` (a permutation of [0, live.count)).
template <std::size_t N>
constexpr placement<N> first_fit(const live_buffers<N>& live, const int (&order)[N]) {
    placement<N> at{};
    occupied<N> taken{};
    bool placed[N]{};
    for (int k = 0; k < live.count; ++k) {
        const int b = order[k];
        taken.collect(live, at, placed, b);
        at.offset[b] = taken.lowest_fit(live.size[b]);
        placed[b] = true;
        if (at.offset[b] + live.size[b] > at.arena_bytes) at.arena_bytes = at.offset[b] + live.size[b];
    }
    return at;
}

// Largest first, the earlier written first among equals: big buffers claim the low offsets and
// small ones fill the gaps they leave.
template <std::size_t N>
constexpr placement<N> first_fit_by_size(const live_buffers<N>& live) {
    int order[N]{}, scratch[N]{};
    for (int b = 0; b < live.count; ++b) order[b] = b;
    detail::stable_sort(order, live.count, scratch, [&](int a, int b) {
        return live.bytes[a] != live.bytes[b] ? live.bytes[a] > live.bytes[b] : live.first_use[a] < live.first_use[b];
    });
    return first_fit(live, order);
}

// Longest-lived first, the larger first among equals: a skip connection alive across many steps
// takes its place before the short-lived buffers that come and go around it.
template <std::size_t N>
constexpr placement<N> first_fit_by_lifetime(const live_buffers<N>& live) {
    int order[N]{}, scratch[N]{};
    for (int b = 0; b < live.count; ++b) order[b] = b;
    detail::stable_sort(order, live.count, scratch, [&](int a, int b) {
        const int la = live.last_use[a] - live.first_use[a], lb = live.last_use[b] - live.first_use[b];
        return la != lb ? la > lb : live.bytes[a] > live.bytes[b];
    });
    return first_fit(live, order);
}

}  // namespace htvm::planner
