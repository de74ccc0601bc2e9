// Whether a request list keeps to the ranges documented in requests.hpp: the strategies rely on
// them (steps index arrays, earlier requests are resolved first), so plan_arena checks first.
#pragma once
#include <cstddef>

#include "requests.hpp"

namespace htvm::planner {

struct check_result {
    plan_error error = plan_error::none;
    int request = none;  // the first request out of range, for plan_error::bad_request
};

namespace detail {

// r may be shared or taken over by request i: an earlier request that i's step still reads.
template <std::size_t N>
constexpr bool earlier_and_read(const request_list<N>& list, int i, int r) {
    return r >= 0 && r < static_cast<int>(N) && list.at[r].first_use < list.at[i].first_use &&
           list.at[i].first_use <= list.at[r].last_use;
}

}  // namespace detail

template <std::size_t N>
constexpr check_result check_requests(const request_list<N>& list) {
    if (list.alignment < 1 || list.alignment > max_alignment) return {plan_error::bad_alignment};
    const int steps = static_cast<int>(N);
    long long total = 0;
    for (int i = 0; i < steps; ++i) {
        const request& q = list.at[i];
        bool ok = q.bytes >= 0 && q.bytes < max_total && q.first_use >= 0 && q.first_use <= q.last_use &&
                  q.last_use <= steps && (q.view_of == none || detail::earlier_and_read(list, i, q.view_of)) &&
                  q.may_reuse.count >= 0 && q.may_reuse.count <= max_reuse &&
                  (q.away_from == none || (q.away_from >= 0 && q.away_from < steps));
        for (int k = 0; ok && k < q.may_reuse.count; ++k) ok = detail::earlier_and_read(list, i, q.may_reuse.at[k]);
        if (!ok) return {plan_error::bad_request, i};
        total += (q.bytes + list.alignment - 1) / list.alignment * list.alignment;
    }
    if (total >= max_total) return {plan_error::too_large};
    return {};
}

}  // namespace htvm::planner
