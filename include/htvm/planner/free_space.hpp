// What the strategies share: a placement (an offset per buffer) and, while placing buffer b, the
// arena bytes already taken at b's time by the placed buffers alive with it, as disjoint ranges.
#pragma once
#include <cstddef>

#include "live_buffers.hpp"
#include "sort.hpp"

namespace htvm::planner {

// A strategy's answer: buffer b (live_buffers numbering) lies at [offset[b], offset[b] + size[b]).
template <std::size_t N>
struct placement {
    int offset[N]{};
    int arena_bytes = 0;
};

template <std::size_t N>
struct occupied {
    int near[N]{};  // the placed buffers alive with b, in increasing buffer number
    int near_count = 0;
    int start[N]{}, end[N]{};  // their union, disjoint ranges in increasing order
    int ranges = 0;
    int scratch[N]{}, by_offset[N]{};

    constexpr void collect(const live_buffers<N>& live, const placement<N>& at, const bool (&placed)[N], int b) {
        near_count = 0;
        live.for_each_alive_with(b, [&](int j) {
            if (placed[j]) near[near_count++] = j;
        });
        for (int k = 0; k < near_count; ++k) by_offset[k] = near[k];
        detail::stable_sort(by_offset, near_count, scratch, [&](int x, int y) { return at.offset[x] < at.offset[y]; });
        ranges = 0;
        for (int k = 0; k < near_count; ++k) {
            const int j = by_offset[k];
            const int s = at.offset[j], e = s + live.size[j];
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

}  // namespace htvm::planner
