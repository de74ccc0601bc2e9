// Shape inference, input resolution and error detection of the constexpr graph (htvm/graph.hpp).
// Expected shapes are computed by hand from TFLite's padding rules.
#include <doctest/doctest.h>

#include <htvm/htvm.hpp>

namespace {

const std::int8_t w_3x3x3x8[8 * 3 * 3 * 3] = {};
const std::int8_t w_1x1x8x4[4 * 1 * 1 * 8] = {};
const std::int8_t w_dw_5x5x8[5 * 5 * 8] = {};
const std::int8_t w_fc[10 * 4 * 4 * 4] = {};
const std::int32_t b8[8] = {};

constexpr htvm::requant shift4 = htvm::shift_requant{.shift = 4};

inline constexpr htvm::network chain{
    htvm::input{.name = "in", .shape = {1, 17, 16, 3}},
    // SAME, stride 2: out = ceil(17/2) = 9, ceil(16/2) = 8; pad total h = (9-1)*2+3-17 = 2 -> 1/1,
    // w = (8-1)*2+3-16 = 1 -> 0 before, 1 after.
    htvm::conv2d{.name = "c1", .filters = 8, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                 .weights = w_3x3x3x8, .bias = b8, .requant = shift4, .expect = {1, 9, 8, 8}},
    // VALID 5x5 stride 1: 9-5+1 = 5, 8-5+1 = 4.
    htvm::depthwise_conv2d{.name = "dw", .kernel = {5, 5}, .weights = w_dw_5x5x8, .requant = shift4},
    htvm::conv2d{.name = "pw", .filters = 4, .weights = w_1x1x8x4, .requant = shift4},
    // explicit pads (1,0,0,1), window 2 stride 2: (5+1-2)/2+1 = 3, (4+1-2)/2+1 = 2.
    htvm::max_pool{.name = "mp", .window = {2, 2}, .stride = {2, 2}, .padding = htvm::pads(1, 0, 0, 1)},
    htvm::pad{.name = "pad", .top = 1, .bottom = 0, .left = 1, .right = 1},  // 4 x 4 x 4
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 10, .weights = w_fc, .requant = shift4},
    htvm::reshape{.name = "out", .to = {1, 2, 5, 1}},
};
constexpr auto chain_info = htvm::analyze(chain);

}  // namespace

TEST_CASE("shape inference follows TFLite's SAME / VALID / explicit padding rules") {
    static_assert(chain_info.error.kind == htvm::graph_error_kind::none);
    CHECK(chain_info.output[1] == htvm::shape{1, 9, 8, 8});
    CHECK(chain_info.pad[1].top == 1);
    CHECK(chain_info.pad[1].bottom == 1);
    CHECK(chain_info.pad[1].left == 0);
    CHECK(chain_info.pad[1].right == 1);
    CHECK(chain_info.output[2] == htvm::shape{1, 5, 4, 8});
    CHECK(chain_info.output[3] == htvm::shape{1, 5, 4, 4});
    CHECK(chain_info.output[4] == htvm::shape{1, 3, 2, 4});
    CHECK(chain_info.output[5] == htvm::shape{1, 4, 4, 4});
    CHECK(chain_info.output[6] == htvm::shape{1, 1, 1, 64});
    CHECK(chain_info.output[7] == htvm::shape{1, 1, 1, 10});
    CHECK(chain_info.output[8] == htvm::shape{1, 2, 5, 1});
}

TEST_CASE("inputs resolve by previous layer, by name and by index; liveness follows the last reader") {
    constexpr htvm::network net{
        htvm::input{.name = "in", .shape = {1, 4, 4, 8}},
        htvm::conv2d{.name = "a", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w_3x3x3x8,
                     .requant = shift4},
        htvm::clip{.name = "b", .min = 0},
        htvm::add{.name = "sum", .lhs = "a", .rhs = 2},
    };
    // The first conv reads 8 channels but its weights were made for 3: caught as a shape mismatch.
    constexpr auto info = htvm::analyze(net);
    CHECK(info.error.kind == htvm::graph_error_kind::shape_mismatch);
    CHECK(info.error.layer == 1);
    CHECK(info.error.expected == htvm::shape{1, 4, 4, 3});
    CHECK(info.error.actual == htvm::shape{1, 4, 4, 8});

    const std::int8_t w8[8 * 3 * 3 * 8] = {};
    const htvm::network ok{
        htvm::input{.name = "in", .shape = {1, 4, 4, 8}},
        htvm::conv2d{.name = "a", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8,
                     .requant = shift4},
        htvm::clip{.name = "b", .min = 0},
        htvm::add{.name = "sum", .lhs = "a", .rhs = 2},
    };
    const auto g = htvm::analyze(ok);
    REQUIRE(g.error.kind == htvm::graph_error_kind::none);
    CHECK(g.producer[2][0] == 1);
    CHECK(g.producer[3][0] == 1);
    CHECK(g.producer[3][1] == 2);
    CHECK(g.last_use[1] == 3);
    CHECK(g.last_use[2] == 3);
}

TEST_CASE("each kind of graph error is found and located") {
    using kind = htvm::graph_error_kind;
    const std::int8_t w8[8 * 8] = {};
    auto first_error = [](const auto& net) { return htvm::analyze(net).error; };

    SUBCASE("unknown input name") {
        const htvm::network net{htvm::input{.shape = {1, 2, 2, 8}}, htvm::clip{.name = "r", .input = "nope"}};
        const auto e = first_error(net);
        CHECK(e.kind == kind::unknown_input);
        CHECK(e.layer == 1);
        CHECK(htvm::detail::same_text(e.missing, "nope"));
    }
    SUBCASE("input from a later layer") {
        const htvm::network net{htvm::input{.shape = {1, 2, 2, 8}}, htvm::clip{.name = "r", .input = 2},
                                htvm::clip{.name = "s"}};
        CHECK(first_error(net).kind == kind::input_not_earlier);
    }
    SUBCASE("add of different shapes") {
        const htvm::network net{htvm::input{.shape = {1, 2, 2, 8}},
                                htvm::conv2d{.name = "c", .filters = 8, .kernel = {1, 1}, .stride = {2, 2},
                                             .weights = w8, .requant = shift4},
                                htvm::add{.name = "sum", .lhs = 0, .rhs = "c"}};
        const auto e = first_error(net);
        CHECK(e.kind == kind::shape_mismatch);
        CHECK(e.layer == 2);
        CHECK(e.expected == htvm::shape{1, 2, 2, 8});
        CHECK(e.actual == htvm::shape{1, 1, 1, 8});
    }
    SUBCASE("weights of the wrong size") {
        const htvm::network net{htvm::input{.shape = {1, 2, 2, 8}},
                                htvm::dense{.name = "fc", .units = 3, .weights = w8, .requant = shift4}};
        CHECK(first_error(net).kind == kind::weights_size_mismatch);
    }
    SUBCASE("bias of the wrong size") {
        const std::int32_t bias3[3] = {};
        const htvm::network net{htvm::input{.shape = {1, 1, 1, 8}},
                                htvm::dense{.name = "fc", .units = 8, .weights = w8, .bias = bias3, .requant = shift4}};
        const auto e = first_error(net);
        CHECK(e.kind == kind::weights_size_mismatch);
        CHECK(e.expected_count == 8);
        CHECK(e.actual_count == 3);
    }
    SUBCASE("kernel larger than the input") {
        const htvm::network net{htvm::input{.shape = {1, 2, 2, 8}}, htvm::avg_pool{.name = "p", .window = {3, 3}}};
        const auto e = first_error(net);
        CHECK(e.kind == kind::kernel_larger_than_input);
        CHECK(e.kernel == htvm::hw{3, 3});
    }
    SUBCASE("DIANA shift out of range") {
        const htvm::network net{htvm::input{.shape = {1, 1, 1, 8}},
                                htvm::dense{.name = "fc", .units = 8, .weights = w8,
                                            .requant = htvm::shift_requant{.shift = 32}}};
        CHECK(first_error(net).kind == kind::invalid_parameters);
    }
    SUBCASE("reshape to a different element count") {
        const htvm::network net{htvm::input{.shape = {1, 2, 2, 8}}, htvm::reshape{.name = "r", .to = {1, 1, 1, 31}}};
        CHECK(first_error(net).kind == kind::shape_mismatch);
    }
    SUBCASE("input layer not first") {
        const htvm::network net{htvm::input{.shape = {1, 2, 2, 8}}, htvm::input{.name = "again"}};
        CHECK(first_error(net).kind == kind::input_layer_misplaced);
    }
    SUBCASE("declared output shape differs from the inferred one") {
        const htvm::network net{htvm::input{.shape = {1, 4, 4, 8}},
                                htvm::max_pool{.name = "p", .expect = {1, 3, 3, 8}}};
        const auto e = first_error(net);
        CHECK(e.kind == kind::output_shape_differs);
        CHECK(e.actual == htvm::shape{1, 2, 2, 8});
    }
}

TEST_CASE("empty clamp ranges and pool windows wholly in padding are rejected") {
    using kind = htvm::graph_error_kind;
    const std::int8_t w8[8 * 8] = {};
    const htvm::network relu_below_zero{
        htvm::input{.shape = {1, 1, 1, 8}},
        htvm::dense{.name = "fc", .units = 8, .weights = w8,
                    .requant = htvm::shift_requant{.shift = 1, .relu = true, .clip_max = -1}}};
    CHECK(htvm::analyze(relu_below_zero).error.kind == kind::invalid_parameters);
    const htvm::network inverted_clip{htvm::input{.shape = {1, 1, 1, 8}}, htvm::clip{.name = "c", .min = 5, .max = 4}};
    CHECK(htvm::analyze(inverted_clip).error.kind == kind::invalid_parameters);
    const htvm::network padded_pool{htvm::input{.shape = {1, 4, 4, 8}},
                                    htvm::avg_pool{.name = "p", .padding = htvm::pads(2, 0, 0, 0)}};
    CHECK(htvm::analyze(padded_pool).error.kind == kind::invalid_parameters);
    CHECK(htvm::quantize_multiplier(1.0 / 0.0).multiplier == 0);
}
