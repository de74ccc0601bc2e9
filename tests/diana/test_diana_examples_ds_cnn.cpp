// DS-CNN (examples/diana/ds_cnn.hpp): dispatch in the four configurations, and every layer of every
// configuration bit-exact against the Eigen reference.
#include "reference/diana_examples.hpp"
#include "ds_cnn.hpp"

namespace {
using namespace htvm::diana;
constexpr auto& net = diana_examples::ds_cnn::net;
constexpr auto& forms = diana_examples::ds_cnn::forms;
template <class P>
constexpr const placement& at(std::size_t i) { return plan_of<net, P, forms>.layer[i]; }
// Layers: 0 input, 1 conv1, 2 dw1, 3 pw1, 4 dw2, 5 pw2, 6 dw3, 7 pw3, 8 dw4, 9 pw4, 10 pool, 11 flatten, 12 fc
}  // namespace

TEST_CASE("DS-CNN: where each configuration puts the layers") {
    // The 49 x 10 input has 490 elements: the first conv cannot use the digital accelerator.
    static_assert(at<policy::digital>(1).target == unit::cpu && at<policy::digital>(1).why == reason::rule_broken &&
                  at<policy::digital>(1).broken == rule::element_count_not_multiple_of_4);
    for (std::size_t i : {2, 3, 4, 5, 6, 7, 8, 9, 12}) CHECK(at<policy::digital>(i).target == unit::digital);
    static_assert(at<policy::digital>(10).target == unit::cpu);

    for (std::size_t i : {1, 3, 5, 7, 9}) CHECK(at<policy::analog>(i).target == unit::analog);
    for (std::size_t i : {2, 4, 6, 8}) CHECK(at<policy::analog>(i).broken == rule::analog_needs_groups_1);
    static_assert(at<policy::analog>(12).target == unit::cpu && at<policy::analog>(12).broken == rule::analog_runs_conv2d_only);

    static_assert(at<policy::mixed>(1).target == unit::analog);  // not digital-capable, so not the "first" layer
    for (std::size_t i : {2, 4, 6, 8, 12}) CHECK(at<policy::mixed>(i).target == unit::digital);
    for (std::size_t i : {3, 5, 7, 9}) CHECK(at<policy::mixed>(i).target == unit::analog);
    for (std::size_t i = 1; i < net.size(); ++i) CHECK(at<policy::cpu_only>(i).target == unit::cpu);
}

TEST_CASE("DS-CNN: every accelerator-eligible layer runs on an accelerator (tiled where needed)") {
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::digital>();
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::analog>();
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::mixed>();
}

TEST_CASE("DS-CNN: four configurations bit-exact against the reference") {
    diana_ref::check_four_configurations<net, forms>();
}
