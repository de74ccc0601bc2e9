// The memory planner's interface: what it is asked (one request per tensor: its bytes, the steps
// it is alive, how it may share memory) and what it answers (an arena offset per request). It knows
// nothing of networks or operators: memory_plan.hpp turns a network into requests, the strategies
// (first_fit.hpp, two_ended.hpp) place buffers, plan.hpp runs them all and keeps the smallest arena.
#pragma once
#include <cstddef>

namespace htvm {

inline constexpr int arena_alignment = 4;  // word loads of int8 data on RV32 want 4-byte offsets

namespace planner {

inline constexpr int none = -1;             // no request
inline constexpr int max_reuse = 4;         // in-place candidates one request may name
inline constexpr int max_total = 1 << 30;   // bound on all requests' bytes together (sums stay in int)
inline constexpr int max_alignment = 4096;

// The requests a request may take over in place, in order of preference:  .may_reuse = {2, 5}
struct reuse_candidates {
    int at[max_reuse]{};
    int count = 0;

    constexpr reuse_candidates() = default;
    template <class... R>
    constexpr reuse_candidates(R... r) : at{static_cast<int>(r)...}, count(static_cast<int>(sizeof...(R))) {
        static_assert(sizeof...(R) <= max_reuse, "htvm::planner: at most max_reuse in-place candidates");
    }
    constexpr void add(int r) { at[count++] = r; }
};

// One tensor. Steps number the execution order from 0 (for a network, its layer indices). In the
// ranges below N is the capacity of the request_list; plan_arena checks them and reports the first
// request outside them (arena_plan::error, error_request) instead of planning.
//
//  bytes      [0, max_total). 0: the request takes no arena space (its offset is 0, or its
//             buffer's when it shares one).
//  first_use  [0, N]: the step that writes it.
//  last_use   [first_use, N]: the last step that reads it (first_use when none does). It covers
//             every step that reads it, the steps writing its views and in-place successors included.
//  view_of    none, or a request r with r.first_use < first_use <= r.last_use: this request IS r's
//             memory (a zero-copy view, e.g. a reshape). A buffer lives from the first use of the
//             request that starts it to the last use of any request in it, and is as large as the
//             largest. When view_of is set, may_reuse is not looked at.
//  may_reuse  up to max_reuse requests, each in view_of's range, in order of preference: this
//             request takes over the memory of the first one whose buffer is read by no step after
//             first_use, written by no other request at first_use, and holds no `keep` request (an
//             element-wise step writing over an input it reads for the last time). When none
//             qualifies, the request gets memory of its own.
//  keep       true: no request takes over this one's memory in place, even after its last use
//             (data the caller still reads, e.g. a network's input).
//  away_from  none, or any request in [0, N): a placement hint, the request this one is computed
//             from. The two-ended strategy puts this one's buffer at the free end farthest from it,
//             so that a chain ping-pongs between the two ends of the arena. Only the hint of the
//             request that starts a buffer counts.
struct request {
    int bytes = 0;
    int first_use = 0;
    int last_use = 0;
    int view_of = none;
    reuse_candidates may_reuse{};
    bool keep = false;
    int away_from = none;
};

template <std::size_t N>
struct request_list {
    request at[N]{};
    int alignment = arena_alignment;  // [1, max_alignment]: every offset a multiple, every size rounded up
};

enum class plan_error : unsigned char {
    none,
    bad_request,    // request error_request is outside the ranges above
    bad_alignment,  // request_list::alignment is outside [1, max_alignment]
    too_large,      // all the requests' bytes, each rounded up to the alignment, reach max_total
};

// The answer. Requests that share memory form one buffer, named after its root: the one of them
// written first (views and in-place successors are always written after what they share).
template <std::size_t N>
struct arena_plan {
    int root[N]{};        // the root of request i's buffer (i itself when it shares none)
    int offset[N]{};      // arena offset of request i: a multiple of the alignment, its root's
    int bytes[N]{};       // size of the buffer rooted at i; 0 when root[i] != i
    int first_use[N]{};   // steps the buffer rooted at i is alive (for a request that is not a root,
    int last_use[N]{};    // its own steps)
    int arena_bytes = 0;  // the arena: every buffer lies in [0, arena_bytes)
    // Largest total of buffers alive at one step without in-place reuse (views still share),
    // unaligned: no plan that reuses nothing in place can use fewer bytes.
    int lower_bound_bytes = 0;
    int buffers = 0;      // roots
    plan_error error = plan_error::none;  // when not none, nothing else is set
    int error_request = none;
};

}  // namespace planner
}  // namespace htvm
