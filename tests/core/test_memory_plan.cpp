// The static memory plan (htvm/memory_plan.hpp): hand-computed small cases, and random DAGs checked
// by an independent brute-force validator (no two buffers alive at one step may share a byte).
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include <htvm/htvm.hpp>

namespace {

constexpr htvm::requant shift0 = htvm::shift_requant{};

// Independent check: recompute which layers read which tensor from the graph, and verify that no
// two distinct buffers alive at the same step overlap in the arena and that all lie inside it.
template <std::size_t N>
void check_plan_is_safe(const htvm::network<N>& net, const htvm::graph_info<N>& g, const htvm::memory_plan<N>& p) {
    const int n = static_cast<int>(N);
    // Bytes of layer i's output live from step i to its last reader, or n for the network output.
    std::vector<int> end(N);
    for (int i = 0; i < n; ++i) end[i] = i;
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < g.input_count[i]; ++k) end[g.producer[i][k]] = std::max(end[g.producer[i][k]], i);
    // Follow reshape aliases backwards: the alias's readers keep its source alive.
    for (int i = n - 1; i >= 0; --i)
        if (htvm::is<htvm::reshape>(net.layers[i])) end[g.producer[i][0]] = std::max(end[g.producer[i][0]], end[i]);
    end[n - 1] = n;
    for (int i = n - 1; i >= 0; --i)
        if (htvm::is<htvm::reshape>(net.layers[i]) && i == n - 1) end[g.producer[i][0]] = n;
    for (int i = 0; i < n; ++i) {
        CHECK(p.offset[i] % htvm::arena_alignment == 0);
        CHECK(p.offset[i] + g.output[i].elements() <= p.arena_bytes);
    }
    for (int a = 0; a < n; ++a)
        for (int b = a + 1; b < n; ++b) {
            if (htvm::is<htvm::reshape>(net.layers[b])) continue;  // shares its input's bytes by design
            // Layer b may legally write over a when a's last reader is b itself (in-place element-wise).
            const bool in_place = (htvm::is<htvm::add>(net.layers[b]) || htvm::is<htvm::clip>(net.layers[b])) &&
                                  end[a] == b && p.offset[a] == p.offset[b];
            const bool a_alive_at_b = end[a] >= b;
            if (!a_alive_at_b || in_place) continue;
            const int a0 = p.offset[a], a1 = a0 + g.output[a].elements();
            const int b0 = p.offset[b], b1 = b0 + g.output[b].elements();
            INFO("layers ", a, " and ", b, " overlap: [", a0, ",", a1, ") and [", b0, ",", b1, ")");
            CHECK((a1 <= b0 || b1 <= a0));
        }
}

}  // namespace

TEST_CASE("a chain needs the two largest neighbours; in-place clip reuses its input") {
    // in 100 B -> pool 25 B -> clip (in place) -> flatten (alias) -> pool output.
    static constexpr htvm::network net{
        htvm::input{.shape = {1, 10, 10, 1}},
        htvm::avg_pool{.name = "p", .window = {2, 2}, .stride = {2, 2}},
        htvm::clip{.name = "relu", .min = 0},
        htvm::flatten{.name = "flat"},
    };
    using model = htvm::model<net>;
    // Alive at step 1: input (100) + pool output (25). Without in-place the clip would add a third
    // 25 B buffer next to the pool output at step 2: bound = max(125, 50) = 125.
    static_assert(model::lower_bound_bytes == 125);
    static_assert(model::plan.root[2] == 1);  // clip writes over the pool output
    static_assert(model::plan.root[3] == 1);  // flatten aliases it too
    // 25 B rounds up to 28 B for alignment: 100 + 28.
    static_assert(model::arena_bytes == 128);
    check_plan_is_safe(net, model::graph, model::plan);
}

TEST_CASE("a residual keeps its skip input alive until the add") {
    const std::int8_t w[4 * 4] = {};
    const htvm::network net{
        htvm::input{.shape = {1, 4, 4, 4}},                                              // 64 B
        htvm::conv2d{.name = "a", .filters = 4, .weights = w, .requant = shift0},       // 64 B, alive 1..3
        htvm::conv2d{.name = "b", .filters = 4, .weights = w, .requant = shift0},       // 64 B
        htvm::add{.name = "sum", .lhs = "a", .rhs = "b"},                              // in place over a or b
    };
    const auto g = htvm::analyze(net);
    const auto p = htvm::plan_memory(net, g);
    // step 2: a and b alive (input dead after step 1: 128); step 1: in + a = 128; with the add
    // computed out of place: a + b + sum = 192 at step 3. In place, 128 suffice.
    CHECK(p.lower_bound_bytes == 192);
    CHECK(p.arena_bytes == 128);
    check_plan_is_safe(net, g, p);
}

TEST_CASE("random DAGs: the plan never overlaps live buffers and never beats the in-place-free bound by cheating") {
    std::mt19937 rng(20261121);
    constexpr std::size_t n = 24;
    static const std::int8_t w[64 * 64] = {};
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<htvm::layer> layers;
        htvm::network<n> net{};
        int channels = 1 + static_cast<int>(rng() % 8);
        int size = 4 + static_cast<int>(rng() % 12);
        net.layers[0] = htvm::input{.shape = {1, size, size, channels}};
        for (std::size_t i = 1; i < n; ++i) {
            const int choice = static_cast<int>(rng() % 5);
            const int back = 1 + static_cast<int>(rng() % std::min<std::size_t>(i, 4));
            if (choice == 0 && i >= 2) {
                // add of the previous layer and an earlier one of the same shape, if any
                const auto g = htvm::analyze(net);
                int other = -1;
                for (int j = static_cast<int>(i) - 2; j >= 0; --j)
                    if (g.output[j] == g.output[i - 1]) { other = j; break; }
                if (other >= 0) { net.layers[i] = htvm::add{.name = "add", .lhs = static_cast<int>(i - 1), .rhs = other}; continue; }
            }
            if (choice == 1) { net.layers[i] = htvm::clip{.name = "clip", .min = 0}; continue; }
            if (choice == 2) { net.layers[i] = htvm::flatten{.name = "flat"}; continue; }
            const auto g = htvm::analyze(net);
            (void)back;
            const htvm::shape in = g.output[i - 1];
            const int filters = 1 + static_cast<int>(rng() % 8);
            const int in_c = in.c;
            net.layers[i] = htvm::conv2d{.name = "conv", .filters = filters, .weights = {w, filters * in_c},
                                         .requant = shift0};
        }
        const auto g = htvm::analyze(net);
        REQUIRE(g.error.kind == htvm::graph_error_kind::none);
        const auto p = htvm::plan_memory(net, g);
        check_plan_is_safe(net, g, p);
        const auto no_in_place = htvm::plan_memory(net, g, false);
        check_plan_is_safe(net, g, no_in_place);
        // Without in-place reuse no plan can go under the largest sum alive at one step.
        CHECK(no_in_place.arena_bytes >= no_in_place.lower_bound_bytes);
    }
}
