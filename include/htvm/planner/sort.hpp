// The two sorts the planner needs, both stable (ties keep their order, which decides placements) and
// cheap enough for constant evaluation: plans of 1,024 buffers must stay within the compilers'
// default limits, so nothing here is quadratic.
#pragma once
#include <cstddef>

namespace htvm::planner::detail {

// Sorts order[0, count) by `before`, through `scratch`: bottom-up merge sort, O(n log n).
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

// Writes items[0, count) to sorted[0, count) ordered by key(item), a small integer in [0, keys):
// counting sort, O(count + keys). Sorting by step is this: steps are bounded by the request count.
template <int keys, std::size_t N, class Key>
constexpr void sort_by_key(const int (&items)[N], int count, int (&sorted)[N], Key key) {
    int next[keys + 1]{};  // first position of each key, once summed
    for (int k = 0; k < count; ++k) ++next[key(items[k]) + 1];
    for (int v = 0; v < keys; ++v) next[v + 1] += next[v];
    for (int k = 0; k < count; ++k) sorted[next[key(items[k])]++] = items[k];
}

}  // namespace htvm::planner::detail
