// The README's example network (examples/resnet8) against the independent Eigen reference, layer
// by layer, on its sample input and on random inputs.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "../../examples/resnet8/resnet8_net.hpp"
#include "reference/htvm_bridge.hpp"

namespace {

struct recorder {
    std::vector<std::vector<std::int8_t>>* outputs;
    void before_layer(std::size_t, const htvm::layer_info&) {}
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* data, const htvm::shape& s) {
        (*outputs)[i].assign(data, data + s.elements());
    }
};

void check_against_reference(const std::vector<std::int8_t>& image) {
    using model = resnet8::model;
    ref::tensor input(32, 32, 3);
    input.data = image;
    const std::vector<ref::tensor> want = ref::run_network(resnet8::net, input);
    std::vector<std::vector<std::int8_t>> got(model::layer_count);
    std::int8_t scores[10];
    recorder rec{&got};
    model::run(image.data(), scores, rec);
    for (std::size_t i = 1; i < model::layer_count; ++i) {
        INFO("layer " << i << " (" << resnet8::net.layers[i].name() << ")");
        CHECK(got[i] == want[i].data);
    }
    CHECK(std::vector<std::int8_t>(scores, scores + 10) == want.back().data);
}

}  // namespace

TEST_CASE("ResNet-8 example: every layer equals the Eigen reference") {
    check_against_reference(std::vector<std::int8_t>(std::begin(resnet8::sample_input.values),
                                                     std::end(resnet8::sample_input.values)));
    std::mt19937 rng(8);
    for (int trial = 0; trial < 5; ++trial) {
        std::vector<std::int8_t> image(32 * 32 * 3);
        for (auto& v : image) v = static_cast<std::int8_t>(static_cast<int>(rng() % 256) - 128);
        check_against_reference(image);
    }
}
