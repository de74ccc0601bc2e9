// MobileNetV1 0.25 (examples/diana/mobilenet.hpp): dispatch in the four configurations, and every
// layer of every configuration bit-exact against the Eigen reference.
#include "reference/diana_examples.hpp"
#include "mobilenet.hpp"

namespace {
using namespace htvm::diana;
constexpr auto& net = diana_examples::mobilenet::net;
constexpr auto& forms = diana_examples::mobilenet::forms;
template <class P>
constexpr const placement& at(std::size_t i) { return plan_of<net, P, forms>.layer[i]; }
// Layers: 0 input, 1 conv1, 2..27 dw/pw pairs (dw even, pw odd), 28 pool, 29 flatten, 30 fc
}  // namespace

TEST_CASE("MobileNet: where each configuration puts the layers") {
    // The last pointwise conv (256 x 256 weights + biases = 66,560 B) does not fit the 64,000 B
    // digital weight memory untiled: it runs tiled over its output channels; it fits the analog array.
    static_assert(digital_fit(net, graph_of<net>, 27) == rule::does_not_fit_digital_weight_memory);
    static_assert(at<policy::digital>(27).target == unit::digital && at<policy::digital>(27).why == reason::chosen_by_policy);
    constexpr auto& pw = plan_of<net, policy::digital, forms>.tiles[27];
    static_assert(pw.ok() && pw.tiles_k > 1 && pw.tile_k % 16 == 0 && pw.weight_tile_bytes <= digital_weight_bytes);
    for (std::size_t i = 1; i < 28; ++i) CHECK(at<policy::digital>(i).target == unit::digital);
    static_assert(at<policy::digital>(30).target == unit::digital);

    static_assert(at<policy::analog>(1).target == unit::analog && at<policy::analog>(27).target == unit::analog);
    for (std::size_t i = 2; i < 28; i += 2) CHECK(at<policy::analog>(i).target == unit::cpu);
    for (std::size_t i = 3; i < 28; i += 2) CHECK(at<policy::analog>(i).target == unit::analog);

    static_assert(at<policy::mixed>(1).target == unit::digital);   // first digital-capable layer
    static_assert(at<policy::mixed>(30).target == unit::digital);  // last one: the classifier
    for (std::size_t i = 2; i < 28; i += 2) CHECK(at<policy::mixed>(i).target == unit::digital);
    for (std::size_t i = 3; i < 28; i += 2) CHECK(at<policy::mixed>(i).target == unit::analog);
}

TEST_CASE("MobileNet: every accelerator-eligible layer runs on an accelerator (tiled where needed)") {
    CHECK(diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::digital>() >= 1);
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::analog>();
    diana_ref::check_every_eligible_layer_accelerated<net, forms, policy::mixed>();
}

TEST_CASE("MobileNet: four configurations bit-exact against the reference") {
    diana_ref::check_four_configurations<net, forms>();
}
