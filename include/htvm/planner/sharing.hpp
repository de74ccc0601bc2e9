// Which requests share a buffer: a view joins the buffer it views; with in-place reuse on, a request
// takes over the buffer of its first candidate that no later step reads. Gives each buffer its root,
// size and live steps (arena_plan's root, bytes, first_use, last_use, buffers), no offsets yet.
#pragma once
#include <cstddef>

#include "requests.hpp"
#include "sort.hpp"

namespace htvm::planner {

// `list` must pass check_requests.
template <std::size_t N>
constexpr arena_plan<N> share_memory(const request_list<N>& list, bool in_place) {
    constexpr int n = static_cast<int>(N);
    arena_plan<N> plan{};
    // Requests in the order their steps write them, and at one step the views first: a view keeps
    // its buffer read after that step, which the step's other requests must see before taking it.
    int all[N]{}, order[N]{};
    for (int i = 0; i < n; ++i) all[i] = i;
    detail::sort_by_key<2 * n + 2>(all, n, order, [&](int i) {
        return 2 * list.at[i].first_use + (list.at[i].view_of == none ? 1 : 0);
    });
    // Per root, so far: the last step writing one of its requests, and whether one must be kept.
    int written_at[N]{};
    bool kept[N]{};
    for (int k = 0; k < n; ++k) {
        const int i = order[k];
        const request& q = list.at[i];
        int r = i;
        if (q.view_of != none) {
            r = plan.root[q.view_of];
        } else if (in_place) {
            for (int c = 0; c < q.may_reuse.count; ++c) {
                const int candidate = plan.root[q.may_reuse.at[c]];
                // Free after this step, and not being written by another request of this step.
                if (!kept[candidate] && plan.last_use[candidate] <= q.first_use &&
                    written_at[candidate] < q.first_use) {
                    r = candidate;
                    break;
                }
            }
        }
        plan.root[i] = r;
        plan.first_use[i] = q.first_use;  // a root's steps start as its buffer's; the others' stay theirs
        plan.last_use[i] = q.last_use;
        if (r == i) {
            plan.bytes[i] = q.bytes;
            ++plan.buffers;
        } else {
            if (q.last_use > plan.last_use[r]) plan.last_use[r] = q.last_use;
            if (q.bytes > plan.bytes[r]) plan.bytes[r] = q.bytes;
        }
        written_at[r] = q.first_use;  // steps only grow in this order
        kept[r] = kept[r] || q.keep;
    }
    return plan;
}

}  // namespace htvm::planner
