// What the placement strategies see: the buffers to place (those of more than 0 bytes), numbered in
// the order their steps write them, and which of them are alive at the same time as a given one.
// Nothing here assumes a buffer per step: steps only bound the arrays (they lie in [0, N]).
#pragma once
#include <cstddef>

#include "requests.hpp"
#include "sort.hpp"

namespace htvm::planner {

template <std::size_t N>
struct live_buffers {
    // A buffer alive for at most `reach` steps can only meet buffers written at most `reach` steps
    // before it or during its life: the few alive longer are listed apart (long_lived), so finding
    // the buffers alive with one costs O(buffers alive at once), not O(buffers).
    static constexpr int reach = 8;

    int count = 0;
    int alignment = 1;
    int root[N]{};       // the request that roots buffer b
    int bytes[N]{};      // as requested (the largest of the requests sharing it)
    int size[N]{};       // rounded up to the alignment: what it takes in the arena
    int first_use[N]{};  // non-decreasing in b
    int last_use[N]{};
    int away_from[N]{};  // the buffer this one is computed from (none: no hint)
    int written_from[N + 2]{};  // the first buffer written at step s or later, for s in [0, N + 1]
    int long_lived[N]{};        // buffers alive for more than `reach` steps, in order
    int long_count = 0;

    // Calls f(j) for every other buffer j alive at some step when buffer b is, in increasing j.
    template <class F>
    constexpr void for_each_alive_with(int b, F f) const {
        const int first = first_use[b], last = last_use[b];
        const int window = first > reach ? first - reach : 0;
        for (int k = 0; k < long_count && first_use[long_lived[k]] < window; ++k)
            if (last_use[long_lived[k]] >= first) f(long_lived[k]);
        for (int j = written_from[window]; j < count && first_use[j] <= last; ++j)
            if (j != b && last_use[j] >= first) f(j);
    }
};

// The buffers of a sharing (share_memory), with the placement hints of their root requests.
template <std::size_t N>
constexpr live_buffers<N> list_buffers(const request_list<N>& list, const arena_plan<N>& shared) {
    constexpr int n = static_cast<int>(N);
    live_buffers<N> live{};
    live.alignment = list.alignment;
    int roots[N]{}, buffer_of[N]{};  // buffer_of: by root request
    int count = 0;
    for (int i = 0; i < n; ++i)
        if (shared.root[i] == i && shared.bytes[i] > 0) roots[count++] = i;
    detail::sort_by_key<n + 1>(roots, count, live.root, [&](int r) { return shared.first_use[r]; });
    live.count = count;
    for (int i = 0; i < n; ++i) buffer_of[i] = none;
    for (int b = 0; b < count; ++b) {
        const int r = live.root[b];
        buffer_of[r] = b;
        live.bytes[b] = shared.bytes[r];
        live.size[b] = (shared.bytes[r] + list.alignment - 1) / list.alignment * list.alignment;
        live.first_use[b] = shared.first_use[r];
        live.last_use[b] = shared.last_use[r];
        if (live.last_use[b] - live.first_use[b] > live_buffers<N>::reach) live.long_lived[live.long_count++] = b;
    }
    for (int b = 0; b < count; ++b) {
        const int hint = list.at[live.root[b]].away_from;
        const int from = hint == none ? none : buffer_of[shared.root[hint]];
        live.away_from[b] = from == b ? none : from;
    }
    for (int s = n + 1, b = count; s >= 0; --s) {
        while (b > 0 && live.first_use[b - 1] >= s) --b;
        live.written_from[s] = b;
    }
    return live;
}

// The largest total of `bytes` alive at one step, each rounded up to `alignment`, over the buffers
// rooted at requests with bytes > 0 (arena_plan's arrays) or the first `count` (live_buffers'):
// no placement of them can use less. Steps lie in [0, N].
template <std::size_t N>
constexpr int peak_alive(const int (&bytes)[N], const int (&first_use)[N], const int (&last_use)[N], int count,
                         int alignment) {
    // Bytes written minus bytes freed at each step (a buffer last read at step s is freed at s + 1).
    int change[N + 2]{};
    for (int b = 0; b < count; ++b)
        if (bytes[b] > 0) {
            const int size = (bytes[b] + alignment - 1) / alignment * alignment;
            change[first_use[b]] += size;
            change[last_use[b] + 1] -= size;
        }
    int peak = 0, alive = 0;
    for (std::size_t step = 0; step <= N; ++step) {
        alive += change[step];
        if (alive > peak) peak = alive;
    }
    return peak;
}

}  // namespace htvm::planner
