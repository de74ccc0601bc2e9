// The planner: checks the requests, decides which share memory, runs every placement strategy and
// keeps the smallest arena (the first tried among equals).
//
//     htvm::planner::request_list<3> list{};
//     list.at[0] = {.bytes = 100, .first_use = 0, .last_use = 1};
//     ...
//     constexpr auto plan = htvm::planner::plan_arena(list);  // plan.offset[i], plan.arena_bytes
//
// Each step is O(N log N) or O(N x buffers alive at once), so that 1,024 requests plan within g++'s
// and clang++'s default constant-evaluation limits.
#pragma once
#include <cstddef>

#include "check.hpp"
#include "first_fit.hpp"
#include "live_buffers.hpp"
#include "requests.hpp"
#include "sharing.hpp"
#include "two_ended.hpp"

namespace htvm::planner {

template <std::size_t N>
constexpr arena_plan<N> plan_arena(const request_list<N>& list) {
    arena_plan<N> plan{};
    const check_result checked = check_requests(list);
    if (checked.error != plan_error::none) {
        plan.error = checked.error;
        plan.error_request = checked.request;
        return plan;
    }
    plan = share_memory(list, true);

    // The bound counts every buffer on its own: reuse in place is what may go below it.
    bool reuses = false;
    for (const request& q : list.at) reuses = reuses || (q.view_of == none && q.may_reuse.count > 0);
    const arena_plan<N>& apart = reuses ? share_memory(list, false) : plan;
    plan.lower_bound_bytes = peak_alive(apart.bytes, apart.first_use, apart.last_use, static_cast<int>(N), 1);

    const live_buffers<N> live = list_buffers(list, plan);
    placement<N> best = first_fit_by_size(live);
    if (const placement<N> p = first_fit_by_lifetime(live); p.arena_bytes < best.arena_bytes) best = p;
    if (const placement<N> p = two_ended(live); p.arena_bytes < best.arena_bytes) best = p;

    plan.arena_bytes = best.arena_bytes;
    for (int b = 0; b < live.count; ++b) plan.offset[live.root[b]] = best.offset[b];
    for (std::size_t i = 0; i < N; ++i) plan.offset[i] = plan.offset[plan.root[i]];
    return plan;
}

}  // namespace htvm::planner
