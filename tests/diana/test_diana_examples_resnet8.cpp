// ResNet-8 (examples/diana/resnet8.hpp): dispatch in the four configurations, and every layer of
// every configuration bit-exact against the Eigen reference.
#include "reference/diana_examples.hpp"
#include "resnet8.hpp"

namespace {
using namespace htvm::diana;
constexpr auto& net = diana_examples::resnet8::net;
constexpr auto& forms = diana_examples::resnet8::forms;
template <class P>
constexpr const placement& at(std::size_t i) { return plan_of<net, P, forms>.layer[i]; }
// Layers: 0 input, 1-3 conv1-3, 4 add1, 5-7 conv4-6, 8 add2, 9-11 conv7-9, 12 add3, 13 pool, 14 flatten, 15 fc
constexpr std::size_t convs[] = {1, 2, 3, 5, 6, 7, 9, 10, 11};
constexpr std::size_t adds[] = {4, 8, 12};
}  // namespace

TEST_CASE("ResNet-8: where each configuration puts the layers") {
    for (std::size_t i : convs) CHECK(at<policy::digital>(i).target == unit::digital);
    for (std::size_t i : adds) CHECK(at<policy::digital>(i).target == unit::digital);
    static_assert(at<policy::digital>(15).target == unit::digital && at<policy::digital>(13).target == unit::cpu);

    for (std::size_t i : convs) CHECK(at<policy::analog>(i).target == unit::analog);
    for (std::size_t i : adds) CHECK(at<policy::analog>(i).target == unit::cpu);

    static_assert(at<policy::mixed>(1).target == unit::digital && at<policy::mixed>(15).target == unit::digital);
    for (std::size_t i : convs)
        if (i != 1) CHECK(at<policy::mixed>(i).target == unit::analog);
    for (std::size_t i : adds) CHECK(at<policy::mixed>(i).target == unit::digital);
}

TEST_CASE("ResNet-8: every accelerator-eligible layer runs on an accelerator (tiled where needed)") {
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::digital>();
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::analog>();
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::mixed>();
}

TEST_CASE("ResNet-8: four configurations bit-exact against the reference") {
    diana_ref::check_four_configurations<net, forms>();
}
