// The memory planner on its own (htvm/planner/): hand-written request lists, no network, with every
// expected offset and arena size derived by hand in the comment above it. Notation: rK is request K,
// "20 B 0..1" is 20 bytes written at step 0 and last read at step 1, [a,b) an arena range.
#include <doctest/doctest.h>

#include <htvm/planner/plan.hpp>

namespace {

namespace planner = htvm::planner;
using planner::none;

// A chain in which every step reads the previous tensor, alignment 1:
//   r0 20 B 0..1,  r1 10 B 1..2,  r2 10 B 2..3,  r3 20 B 3..4; each is computed from the one before.
// Alive per step: 20, 30, 20, 30, 20: the bound is 30.
constexpr planner::request_list<4> chain = [] {
    planner::request_list<4> list{};
    list.alignment = 1;
    list.at[0] = {.bytes = 20, .first_use = 0, .last_use = 1};
    list.at[1] = {.bytes = 10, .first_use = 1, .last_use = 2, .away_from = 0};
    list.at[2] = {.bytes = 10, .first_use = 2, .last_use = 3, .away_from = 1};
    list.at[3] = {.bytes = 20, .first_use = 3, .last_use = 4, .away_from = 2};
    return list;
}();

// The same chain listed backwards: request index order is no longer the order of the steps.
constexpr planner::request_list<4> chain_backwards = [] {
    planner::request_list<4> list{};
    list.alignment = 1;
    list.at[0] = {.bytes = 20, .first_use = 3, .last_use = 4, .away_from = 1};  // r3 of `chain`
    list.at[1] = {.bytes = 10, .first_use = 2, .last_use = 3, .away_from = 2};  // r2
    list.at[2] = {.bytes = 10, .first_use = 1, .last_use = 2, .away_from = 3};  // r1
    list.at[3] = {.bytes = 20, .first_use = 0, .last_use = 1};                  // r0
    return list;
}();

template <std::size_t N>
constexpr planner::live_buffers<N> live_of(const planner::request_list<N>& list) {
    return planner::list_buffers(list, planner::share_memory(list, true));
}

// The whole plan of the chain, at compile time. First-fit by size (derived below) needs 40 B; the
// two-ended strategy meets the bound, 30 B, so the plan takes its offsets:
//   r0 0, r1 20, r2 0, r3 10 (the chain ping-pongs: low, high, low, high).
constexpr auto chain_plan = planner::plan_arena(chain);
static_assert(chain_plan.error == planner::plan_error::none);
static_assert(chain_plan.arena_bytes == 30 && chain_plan.lower_bound_bytes == 30);
static_assert(chain_plan.offset[0] == 0 && chain_plan.offset[1] == 20 && chain_plan.offset[2] == 0 &&
              chain_plan.offset[3] == 10);
static_assert(chain_plan.buffers == 4 && chain_plan.root[3] == 3);

}  // namespace

TEST_CASE("first-fit by size places a chain largest first and misses the bound") {
    // Order: bytes descending, the earlier step first among equals: r0 (20, step 0), r3 (20, step 3),
    // r1 (10, step 1), r2 (10, step 2).
    //   r0 -> 0 [0,20).
    //   r3 (3..4) meets only r2, unplaced -> 0 [0,20).
    //   r1 (1..2) meets r0 [0,20) -> 20 [20,30).
    //   r2 (2..3) meets r1 [20,30) and r3 [0,20) -> 30 [30,40). Arena 40.
    // Buffers are numbered in step order, here the request order.
    const auto live = live_of(chain);
    const auto p = planner::first_fit_by_size(live);
    CHECK(p.arena_bytes == 40);
    CHECK(p.offset[0] == 0);
    CHECK(p.offset[1] == 20);
    CHECK(p.offset[2] == 30);
    CHECK(p.offset[3] == 0);
    // Longest-lived first: every lifetime is 1 step, so bytes decide, in the same order: 40 again.
    CHECK(planner::first_fit_by_lifetime(live).arena_bytes == 40);
}

TEST_CASE("two-ended placement ping-pongs a chain and meets the bound") {
    // Target: the bound on aligned sizes, 30. Each buffer in step order takes, of the candidates
    // that fit (0, the top end 30 - size, and the edges of placed buffers alive with it), the one
    // inside the target whose centre is farthest from its source's centre (doubled: 2 * offset + size).
    //   r0: no source; 0 and 10 both fit, equally good -> the first, 0 [0,20).
    //   r1: source r0, centre x2 = 20. 0 overlaps r0; 20 fits, centre x2 = 50, distance 30 -> 20 [20,30).
    //   r2: source r1, centre x2 = 50. 0 fits, distance |10 - 50| = 40; 20 overlaps r1; r1's edges:
    //       30 ends past the target, 10 is at distance |30 - 50| = 20 -> 0 [0,10).
    //   r3: source r2, centre x2 = 10. 0 overlaps r2; 10 fits, distance |40 - 10| = 30 -> 10 [10,30).
    // Arena 30.
    const auto p = planner::two_ended(live_of(chain));
    CHECK(p.arena_bytes == 30);
    CHECK(p.offset[0] == 0);
    CHECK(p.offset[1] == 20);
    CHECK(p.offset[2] == 0);
    CHECK(p.offset[3] == 10);
}

TEST_CASE("strategies follow the steps, not the request indices") {
    // chain_backwards is `chain` with indices reversed (request k here is request 3 - k there). The
    // buffers are numbered in step order (buffer b is rooted at request 3 - b), the size ties break
    // on steps, and two-ended goes in step order: every request gets the offset its twin gets.
    const auto live = live_of(chain_backwards);
    CHECK(live.root[0] == 3);
    CHECK(live.root[3] == 0);
    const auto by_size = planner::first_fit_by_size(live);
    CHECK(by_size.arena_bytes == 40);
    CHECK(by_size.offset[2] == 30);  // buffer 2 is r1 here, r2 of `chain`
    constexpr auto p = planner::plan_arena(chain_backwards);
    static_assert(p.arena_bytes == 30 && p.lower_bound_bytes == 30);
    static_assert(p.offset[3] == 0 && p.offset[2] == 20 && p.offset[1] == 0 && p.offset[0] == 10);
    static_assert(p.first_use[0] == 3 && p.last_use[0] == 4);
}

TEST_CASE("a view shares its source's memory and keeps it alive") {
    // Alignment 4: r0 32 B 0..1; r1 48 B 1..2; r2 a view of r1, 48 B 2..3; r3 16 B 3..4.
    // r2 joins r1's buffer: 48 B alive 1..3. Buffers r0, r1, r3. Alive per step (views share even
    // for the bound): 32, 80, 48, 64, 16: bound 80, so no strategy does better than 80 and the first
    // tried, first-fit by size, is kept: r1 (48) -> 0 [0,48); r0 (32, 0..1) meets r1 -> 48 [48,80);
    // r3 (16, 3..4) meets r1 -> 48 [48,64). Arena 80.
    constexpr auto list = [] {
        planner::request_list<4> l{};
        l.at[0] = {.bytes = 32, .first_use = 0, .last_use = 1};
        l.at[1] = {.bytes = 48, .first_use = 1, .last_use = 2, .away_from = 0};
        l.at[2] = {.bytes = 48, .first_use = 2, .last_use = 3, .view_of = 1, .away_from = 1};
        l.at[3] = {.bytes = 16, .first_use = 3, .last_use = 4, .away_from = 2};
        return l;
    }();
    constexpr auto p = planner::plan_arena(list);
    static_assert(p.root[2] == 1 && p.offset[2] == p.offset[1]);
    static_assert(p.bytes[1] == 48 && p.first_use[1] == 1 && p.last_use[1] == 3 && p.bytes[2] == 0);
    static_assert(p.buffers == 3);
    static_assert(p.lower_bound_bytes == 80 && p.arena_bytes == 80);
    static_assert(p.offset[0] == 48 && p.offset[1] == 0 && p.offset[3] == 48);
}

TEST_CASE("in place: the first candidate that no later step reads is taken over") {
    // Alignment 4, a residual: r0 (the input, kept) 32 B 0..1; a = r1 32 B 1..4 (read at 2, 3, 4);
    // b = r2 32 B 2..3; c = r3 = add(a, b) 32 B 3..4, may reuse {r1, r2}; d = r4 = add(c, a) 32 B 4..5
    // (the output, read after the last step), may reuse {r3, r1}.
    //   r3: r1 is read at step 4, after 3 -> no; r2 is last read at 3 -> r3 takes r2's buffer, which
    //       now lives 2..4.
    //   r4: r3's buffer (root r2) is last read at 4 and written at 3 -> taken; it lives 2..5.
    // Buffers: r0 32 0..1, r1 32 1..4, r2 32 2..5. Alive per step: 32, 64, 64, 64, 64, 32 -> 64.
    // Without in-place reuse all five are apart: step 3 holds a, b, c = 96 B, the lower bound.
    // First-fit by size, all 32 B, step order: r0 -> 0; r1 meets r0 -> 32; r2 meets r1 only -> 0.
    // Arena 64, which nothing beats (the aligned peak).
    constexpr auto list = [] {
        planner::request_list<5> l{};
        l.at[0] = {.bytes = 32, .first_use = 0, .last_use = 1, .keep = true};
        l.at[1] = {.bytes = 32, .first_use = 1, .last_use = 4, .away_from = 0};
        l.at[2] = {.bytes = 32, .first_use = 2, .last_use = 3, .away_from = 1};
        l.at[3] = {.bytes = 32, .first_use = 3, .last_use = 4, .may_reuse = {1, 2}, .away_from = 1};
        l.at[4] = {.bytes = 32, .first_use = 4, .last_use = 5, .may_reuse = {3, 1}, .away_from = 3};
        return l;
    }();
    constexpr auto p = planner::plan_arena(list);
    static_assert(p.root[0] == 0 && p.root[1] == 1 && p.root[2] == 2 && p.root[3] == 2 && p.root[4] == 2);
    static_assert(p.first_use[2] == 2 && p.last_use[2] == 5 && p.buffers == 3);
    static_assert(p.lower_bound_bytes == 96 && p.arena_bytes == 64);
    static_assert(p.offset[0] == 0 && p.offset[1] == 32 && p.offset[2] == 0 && p.offset[3] == 0 && p.offset[4] == 0);
    // With in-place reuse off every request is its own buffer.
    constexpr auto apart = planner::share_memory(list, false);
    static_assert(apart.buffers == 5 && apart.root[3] == 3 && apart.root[4] == 4);
}

TEST_CASE("a kept request is never taken over") {
    // r0 16 B 0..1 is last read at step 1, where r1 16 B 1..2 may reuse it: taken, unless r0 is kept.
    // Kept: r0 -> 0 [0,16), r1 meets r0 -> 16 [16,32), arena 32; else both at 0, arena 16.
    constexpr auto list = [](bool keep) {
        planner::request_list<2> l{};
        l.at[0] = {.bytes = 16, .first_use = 0, .last_use = 1, .keep = keep};
        l.at[1] = {.bytes = 16, .first_use = 1, .last_use = 2, .may_reuse = {0}, .away_from = 0};
        return l;
    };
    constexpr auto kept = planner::plan_arena(list(true));
    static_assert(kept.root[1] == 1 && kept.offset[1] == 16 && kept.arena_bytes == 32);
    constexpr auto reused = planner::plan_arena(list(false));
    static_assert(reused.root[1] == 0 && reused.offset[1] == 0 && reused.arena_bytes == 16);
    static_assert(reused.lower_bound_bytes == 32);
}

TEST_CASE("requests written at one step: one takes a buffer over, a view there keeps it alive") {
    // Alignment 1. One step writing two requests that both may reuse r0 8 B 0..1:
    //   r1 4 B 1..1 (read by no step) takes r0's buffer; r2 6 B 1..2 may not, r1 writes it at
    //   step 1 -> its own buffer. r3 2 B 2..4.
    // Buffers: r0 8 0..1 (r1 inside), r2 6 1..2, r3 2 2..4; alive 8, 14, 8, 2, 2 -> 14. Apart, step 1
    // holds 8 + 4 + 6 = 18, the lower bound. First-fit by size: r0 -> 0 [0,8); r2 meets r0 -> 8
    // [8,14); r3 meets r2 -> 0 [0,2). Arena 14, the aligned peak.
    constexpr auto two_takers = [] {
        planner::request_list<4> l{};
        l.alignment = 1;
        l.at[0] = {.bytes = 8, .first_use = 0, .last_use = 1};
        l.at[1] = {.bytes = 4, .first_use = 1, .last_use = 1, .may_reuse = {0}};
        l.at[2] = {.bytes = 6, .first_use = 1, .last_use = 2, .may_reuse = {0}};
        l.at[3] = {.bytes = 2, .first_use = 2, .last_use = 4};
        return l;
    }();
    constexpr auto p = planner::plan_arena(two_takers);
    static_assert(p.root[1] == 0 && p.root[2] == 2);
    static_assert(p.bytes[0] == 8 && p.last_use[0] == 1);
    static_assert(p.lower_bound_bytes == 18 && p.arena_bytes == 14);
    static_assert(p.offset[0] == 0 && p.offset[1] == 0 && p.offset[2] == 8 && p.offset[3] == 0);

    // r1 8 B 1..2 may reuse r0 8 B 0..1, but r2, written at the same step and listed after it, is a
    // view of r0 read at step 2: views are decided first, r0's buffer lives 0..2, r1 gets its own.
    // Buffers r0 8 0..2, r1 8 1..2, r3 4 2..4: alive 8, 16, 20, 4, 4 -> 20. First-fit by size
    // (r0, r1 by step, r3): r0 -> 0; r1 meets r0 -> 8 [8,16); r3 meets both -> 16 [16,20). Arena 20.
    constexpr auto view_and_taker = [] {
        planner::request_list<4> l{};
        l.alignment = 1;
        l.at[0] = {.bytes = 8, .first_use = 0, .last_use = 1};
        l.at[1] = {.bytes = 8, .first_use = 1, .last_use = 2, .may_reuse = {0}};
        l.at[2] = {.bytes = 8, .first_use = 1, .last_use = 2, .view_of = 0};
        l.at[3] = {.bytes = 4, .first_use = 2, .last_use = 4};
        return l;
    }();
    constexpr auto q = planner::plan_arena(view_and_taker);
    static_assert(q.root[1] == 1 && q.root[2] == 0 && q.last_use[0] == 2);
    static_assert(q.arena_bytes == 20);
    static_assert(q.offset[0] == 0 && q.offset[1] == 8 && q.offset[2] == 0 && q.offset[3] == 16);
}

TEST_CASE("zero-byte requests take no space") {
    // Alignment 4: r0 8 B 0..2; r1 0 B 1..3; r2 12 B 1..2; r3 a 0-byte view of r2 2..4, which keeps
    // r2's buffer (12 B, the larger) alive 1..4. Placed: r2's buffer and r0; alive 8, 20, 20, 12, 12
    // -> 20. First-fit by size: r2 (12) -> 0 [0,12); r0 (8, 0..2) meets it -> 12 [12,20). Arena 20.
    // r1, a buffer of 0 bytes, is placed nowhere: offset 0.
    constexpr auto list = [] {
        planner::request_list<4> l{};
        l.at[0] = {.bytes = 8, .first_use = 0, .last_use = 2};
        l.at[1] = {.bytes = 0, .first_use = 1, .last_use = 3};
        l.at[2] = {.bytes = 12, .first_use = 1, .last_use = 2};
        l.at[3] = {.bytes = 0, .first_use = 2, .last_use = 4, .view_of = 2};
        return l;
    }();
    constexpr auto p = planner::plan_arena(list);
    static_assert(p.buffers == 3 && p.root[3] == 2 && p.bytes[2] == 12 && p.last_use[2] == 4);
    static_assert(p.arena_bytes == 20 && p.lower_bound_bytes == 20);
    static_assert(p.offset[0] == 12 && p.offset[1] == 0 && p.offset[2] == 0 && p.offset[3] == 0);
    static_assert(planner::list_buffers(list, planner::share_memory(list, true)).count == 2);
    // All empty: nothing to place.
    static_assert(planner::plan_arena(planner::request_list<2>{}).arena_bytes == 0);
}

namespace {

// r0 8 B 0..1 and the given r1.
constexpr planner::request_list<2> pair_with(planner::request r1) {
    planner::request_list<2> l{};
    l.at[0] = {.bytes = 8, .first_use = 0, .last_use = 1};
    l.at[1] = r1;
    return l;
}

}  // namespace

TEST_CASE("lists outside the documented ranges are reported, not planned") {
    constexpr auto ok = planner::plan_arena(pair_with({.bytes = 8, .first_use = 1, .last_use = 2, .view_of = 0}));
    static_assert(ok.error == planner::plan_error::none && ok.root[1] == 0);
    // A view of a request written at the same step, a reuse of one not read at its step, steps
    // backwards or past N, negative bytes, a hint out of range: request 1 is at fault.
    constexpr planner::request bad[] = {
        {.bytes = 8, .first_use = 0, .last_use = 1, .view_of = 0},
        {.bytes = 8, .first_use = 2, .last_use = 2, .may_reuse = {0}},
        {.bytes = 8, .first_use = 2, .last_use = 1},
        {.bytes = 8, .first_use = 1, .last_use = 3},
        {.bytes = -1, .first_use = 1, .last_use = 2},
        {.bytes = 8, .first_use = 1, .last_use = 2, .away_from = 2},
    };
    for (const planner::request& r : bad) {
        const auto p = planner::plan_arena(pair_with(r));
        CHECK(p.error == planner::plan_error::bad_request);
        CHECK(p.error_request == 1);
        CHECK(p.arena_bytes == 0);
    }
    constexpr auto misaligned = [] {
        auto l = pair_with({.bytes = 8, .first_use = 1, .last_use = 2});
        l.alignment = 0;
        return planner::plan_arena(l);
    }();
    static_assert(misaligned.error == planner::plan_error::bad_alignment);
    // Totals up to max_total (exclusive), each size rounded up to the alignment, are planned.
    constexpr int half = planner::max_total / 2;
    constexpr auto large = planner::plan_arena(pair_with({.bytes = half, .first_use = 1, .last_use = 2}));
    static_assert(large.error == planner::plan_error::none && large.arena_bytes == half + 8);
    constexpr auto too_large = [] {
        auto l = pair_with({.bytes = half, .first_use = 1, .last_use = 2});
        l.at[0].bytes = half;
        return planner::plan_arena(l);
    }();
    static_assert(too_large.error == planner::plan_error::too_large);
}
