// ToyADMOS DAE (examples/diana/toyadmos_dae.hpp): dispatch in the four configurations, and every
// layer of every configuration bit-exact against the Eigen reference.
#include "reference/diana_examples.hpp"
#include "toyadmos_dae.hpp"

namespace {
using namespace htvm::diana;
constexpr auto& net = diana_examples::toyadmos_dae::net;
constexpr auto& forms = diana_examples::toyadmos_dae::forms;
template <class P>
constexpr const placement& at(std::size_t i) { return plan_of<net, P, forms>.layer[i]; }
}  // namespace

TEST_CASE("ToyADMOS DAE: where each configuration puts the layers") {
    // 640 x 128 weights (81,920 B) exceed the digital weight memory: the two outer layers run tiled
    // over their output channels (the input vector loaded once for all of them).
    for (auto i : {std::size_t{1}, std::size_t{10}}) {
        CAPTURE(i);
        CHECK(digital_fit(net, graph_of<net>, i) == rule::does_not_fit_digital_weight_memory);
        CHECK(at<policy::digital>(i).target == unit::digital);
        CHECK(at<policy::mixed>(i).target == unit::digital);
        const htvm::tiling::tile_plan& p = plan_of<net, policy::digital, forms>.tiles[i];
        CHECK(p.ok());
        CHECK(p.tiles_k > 1);
        CHECK(p.tile_k % 16 == 0);
        CHECK(p.input_reused);
        CHECK(p.weight_tile_bytes <= digital_weight_bytes);
    }
    for (std::size_t i = 2; i < 10; ++i) {
        CHECK(at<policy::digital>(i).target == unit::digital);
        CHECK(at<policy::mixed>(i).target == unit::digital);
        CHECK(at<policy::analog>(i).target == unit::cpu);
        CHECK(at<policy::analog>(i).broken == rule::analog_runs_conv2d_only);
    }
}

TEST_CASE("ToyADMOS DAE: every accelerator-eligible layer runs on an accelerator (tiled where needed)") {
    CHECK(diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::digital>() == 2);
    CHECK(diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::mixed>() == 2);
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::analog>();
}

TEST_CASE("ToyADMOS DAE: four configurations bit-exact against the reference") {
    diana_ref::check_four_configurations<net, forms>();
}
