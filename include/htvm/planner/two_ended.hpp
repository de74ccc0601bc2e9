// Two-ended placement: buffers in the order their steps write them, each inside an arena of the
// lower bound's size, at the free end farthest from the buffer it is computed from. A chain then
// ping-pongs between the two ends and meets the bound exactly, which size-ordered first-fit often
// misses.
#pragma once
#include <cstddef>

#include "free_space.hpp"
#include "live_buffers.hpp"

namespace htvm::planner {

// Candidates for buffer b are the two ends of the target arena and the edges of every placed buffer
// alive with it (in buffer order, which decides ties); a buffer that fits nowhere inside the target
// takes the candidate with the lowest end.
template <std::size_t N>
constexpr placement<N> two_ended(const live_buffers<N>& live) {
    // The largest total alive at one step, on aligned sizes: the smallest arena any placement reaches.
    const int target = peak_alive(live.size, live.first_use, live.last_use, live.count, 1);
    const int alignment = live.alignment;
    placement<N> at{};
    occupied<N> taken{};
    bool placed[N]{};
    for (int b = 0; b < live.count; ++b) {
        const int size = live.size[b];
        taken.collect(live, at, placed, b);
        const int s = live.away_from[b];
        // Twice the centre of the source buffer (doubled, to stay in integers), or -1: no preference.
        const int away_from = s != none && placed[s] ? 2 * at.offset[s] + live.size[s] : -1;
        int best = -1, best_end = 0, best_distance = -1;
        auto consider = [&](int offset) {
            if (!taken.fits(offset, size)) return;
            const int end = offset + size;
            const int centre = 2 * offset + size;
            const int distance = away_from < 0 ? 0 : (centre > away_from ? centre - away_from : away_from - centre);
            const bool inside = end <= target, best_inside = best >= 0 && best_end <= target;
            const bool better = best < 0 || (inside && !best_inside) || (inside && best_inside && distance > best_distance) ||
                                (!inside && !best_inside && end < best_end);
            if (better) {
                best = offset;
                best_end = end;
                best_distance = distance;
            }
        };
        consider(0);
        consider((target - size) / alignment * alignment);  // the top end, aligned down
        for (int n = 0; n < taken.near_count; ++n) {
            const int j = taken.near[n];
            consider(at.offset[j] + live.size[j]);
            consider(at.offset[j] - size);
        }
        at.offset[b] = best;
        placed[b] = true;
        if (best_end > at.arena_bytes) at.arena_bytes = best_end;
    }
    return at;
}

}  // namespace htvm::planner
