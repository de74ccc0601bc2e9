// Test harness for the DIANA example networks: runs a network's model in one configuration,
// capturing every layer's output, and checks it against the Eigen reference (diana_network.hpp)
// with the arithmetic the placement implies (analog for analog layers, DIANA digital otherwise).
#pragma once
#include <doctest/doctest.h>

#include <htvm/diana.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "diana_network.hpp"

namespace diana_ref {

// The input of the example programs (examples/diana/run_example.hpp): the same LCG.
inline std::vector<std::int8_t> example_input(int bytes) {
    std::vector<std::int8_t> v(static_cast<std::size_t>(bytes));
    std::uint32_t x = 20240607u * 2654435761u + 12345u;
    for (auto& b : v) b = static_cast<std::int8_t>((x = x * 1664525u + 1013904223u) >> 24);
    return v;
}

struct capture {
    std::vector<std::vector<std::int8_t>> outputs;
    void before_layer(std::size_t, const htvm::layer_info&) {}
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* out, const htvm::shape& s) {
        outputs[i].assign(out, out + s.elements());
    }
};

template <const auto& net, const auto& forms, class Policy>
std::vector<arithmetic> arithmetic_of() {
    constexpr auto& plan = htvm::diana::plan_of<net, Policy, forms>;
    std::vector<arithmetic> a(net.size());
    for (std::size_t i = 0; i < net.size(); ++i)
        a[i] = plan.layer[i].target == htvm::diana::unit::analog ? arithmetic::analog : arithmetic::digital;
    return a;
}

// Runs the model, checks every layer against the reference, returns the layer outputs.
template <const auto& net, const auto& forms, class Policy>
std::vector<std::vector<std::int8_t>> run_and_check(const std::vector<std::int8_t>& input) {
    using model = htvm::model<net, htvm::diana::target<Policy, forms>>;
    static_assert(model::layer_count == net.size());
    capture seen;
    seen.outputs.resize(net.size());
    seen.outputs[0] = input;
    std::vector<std::int8_t> out(static_cast<std::size_t>(model::output_bytes));
    model::run(input.data(), out.data(), seen);
    const std::vector<arithmetic> how = arithmetic_of<net, forms, Policy>();
    const std::vector<tensor> expected = run(net, input, [&](std::size_t i) { return how[i]; }, htvm::diana::view_of(forms));
    int mismatching_layers = 0;
    for (std::size_t i = 1; i < net.size(); ++i) {
        CAPTURE(Policy::name);
        CAPTURE(net.layers[i].name());
        CHECK(seen.outputs[i] == expected[i].data);
        mismatching_layers += seen.outputs[i] == expected[i].data ? 0 : 1;
    }
    CHECK(mismatching_layers == 0);
    CHECK(out == expected.back().data);
    return seen.outputs;
}

// Layers whose whole ancestry uses the same arithmetic in both configurations.
template <const auto& net>
std::vector<bool> same_arithmetic(const std::vector<arithmetic>& a, const std::vector<arithmetic>& b) {
    std::vector<bool> same(net.size(), true);
    for (std::size_t i = 1; i < net.size(); ++i) {
        same[i] = a[i] == b[i];
        const int inputs = net.layers[i].operands().count;
        for (int k = 0; k < inputs; ++k) same[i] = same[i] && same[static_cast<std::size_t>(producer_of(net, i, k))];
    }
    return same;
}

// Outputs are identical across two configurations wherever the arithmetic is the same; returns
// how many layers were compared.
template <const auto& net, const auto& forms, class P, class Q>
int check_identical_where_arithmetic_agrees(const std::vector<std::vector<std::int8_t>>& p,
                                            const std::vector<std::vector<std::int8_t>>& q) {
    const std::vector<bool> same = same_arithmetic<net>(arithmetic_of<net, forms, P>(), arithmetic_of<net, forms, Q>());
    int compared = 0;
    for (std::size_t i = 1; i < net.size(); ++i)
        if (same[i]) {
            CAPTURE(P::name);
            CAPTURE(Q::name);
            CAPTURE(net.layers[i].name());
            CHECK(p[i] == q[i]);
            ++compared;
        }
    return compared;
}

// With tiling, every layer that an accelerator of the policy can compute (its rule passes) runs on an
// accelerator: none stays on the CPU for memory, and the printed dispatch table says "not even one tile"
// nowhere. Returns how many layers run in more than one tile.
template <const auto& net, const auto& forms, class Policy>
int check_every_eligible_layer_accelerated() {
    using namespace htvm::diana;
    constexpr auto& g = graph_of<net>;
    constexpr auto& plan = plan_of<net, Policy, forms>;
    int tiled = 0;
    for (std::size_t i = 1; i < net.size(); ++i) {
        CAPTURE(Policy::name);
        CAPTURE(net.layers[i].name());
        const bool digital_ok = Policy::kind != policy_kind::analog && digital_rule(net, g, i, view_of(forms)) == rule::none;
        const bool analog_ok = Policy::kind != policy_kind::digital && analog_rule(net, g, i, view_of(forms)) == rule::none;
        CHECK(plan.layer[i].why != reason::needs_tiling);
        if (digital_ok || analog_ok) CHECK(plan.layer[i].target != unit::cpu);
        if (plan.layer[i].target != unit::cpu && htvm::tiling::tileable(net.layers[i])) {
            CHECK(plan.tiles[i].ok());
            tiled += plan.tiles[i].tiled() ? 1 : 0;
        }
    }
    bool says_needs_tiling = false;
    print_dispatch_table(dispatch_table_of<net, Policy, forms>, [&](const char* line) {
        const std::string text(line);
        says_needs_tiling = says_needs_tiling || text.find("not even one tile") != std::string::npos ||
                            text.find("needs tiling") != std::string::npos;
    });
    CHECK_FALSE(says_needs_tiling);
    return tiled;
}

// Runs all four configurations and cross-checks them; returns the outputs per configuration.
template <const auto& net, const auto& forms>
void check_four_configurations() {
    using namespace htvm::diana;
    const auto input = example_input(graph_of<net>.output[0].elements());
    const auto cpu = run_and_check<net, forms, policy::cpu_only>(input);
    const auto digital = run_and_check<net, forms, policy::digital>(input);
    const auto analog = run_and_check<net, forms, policy::analog>(input);
    const auto mixed = run_and_check<net, forms, policy::mixed>(input);
    // cpu_only and digital compute the same arithmetic everywhere: every layer identical.
    CHECK(check_identical_where_arithmetic_agrees<net, forms, policy::cpu_only, policy::digital>(cpu, digital) ==
          static_cast<int>(net.size()) - 1);
    CHECK(cpu.back() == digital.back());
    check_identical_where_arithmetic_agrees<net, forms, policy::cpu_only, policy::analog>(cpu, analog);
    check_identical_where_arithmetic_agrees<net, forms, policy::analog, policy::mixed>(analog, mixed);
    check_identical_where_arithmetic_agrees<net, forms, policy::digital, policy::mixed>(digital, mixed);
}

}  // namespace diana_ref
