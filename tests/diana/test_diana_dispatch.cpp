// Compile-time dispatch on DIANA: every accelerator rule, the four policies, `.target` overrides,
// tiled placements (and the layers not even one tile of which fits) and the printed dispatch table. Almost everything here is a static_assert: the
// plan is a constant. (The compile errors of invalid overrides are tests/compile_fail/diana_*.cpp.)
#include <doctest/doctest.h>

#include <htvm/diana.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

using namespace htvm::diana;
namespace layout = htvm::diana::layout;

namespace {

// Weights are opaque to the dispatch: only their sizes matter here.
std::int8_t w8x3x3x3[8 * 3 * 3 * 3], w8x2x2x3[8 * 2 * 2 * 3], w8x1x1x3[8 * 1 * 1 * 3], w3x3x8[3 * 3 * 8];
std::int8_t w8x3x3x8[8 * 3 * 3 * 8], w16x27[16 * 27];
std::int32_t b8[8], k8[8], l8[8];
std::uint8_t t8x3x3x3[3 * 3 * 3 * 2], t8x3x3x8[3 * 3 * 8 * 2];
std::int8_t big_dense[500 * 128];
std::int32_t b500[500], b4[4];

constexpr htvm::shift_requant rq{.shift = 4};
constexpr analog_variant analog3{.weights = {t8x3x3x3, 8 * 27}, .scale = k8, .offset = l8, .shift = 4};
constexpr analog_variant analog8{.weights = {t8x3x3x8, 8 * 72}, .scale = k8, .offset = l8, .shift = 4};

template <const auto& net, const auto& forms = no_forms>
constexpr rule digital_at(std::size_t i) { return digital_rule(net, graph_of<net>, i, view_of(forms)); }
template <const auto& net, const auto& forms = no_forms>
constexpr rule analog_at(std::size_t i) { return analog_rule(net, graph_of<net>, i, view_of(forms)); }

// One layer per rule (input 8 x 8 x 3 unless said otherwise).
inline constexpr htvm::network rules_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 3}},
    /*1*/ htvm::conv2d{.name = "ok", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x3, .bias = b8,
                       .requant = rq},
    /*2*/ htvm::conv2d{.name = "k2", .input = "in", .filters = 8, .kernel = {2, 2}, .weights = w8x2x2x3, .bias = b8, .requant = rq},
    /*3*/ htvm::conv2d{.name = "asym", .input = "in", .filters = 8, .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same,
                       .weights = w8x3x3x3, .bias = b8, .requant = rq},
    /*4*/ htvm::conv2d{.name = "s3", .input = "in", .filters = 8, .stride = {3, 3}, .weights = w8x1x1x3, .bias = b8, .requant = rq},
    /*5*/ htvm::conv2d{.name = "nobias", .input = "in", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x3,
                       .requant = rq},
    /*6*/ htvm::conv2d{.name = "tfl", .input = "in", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x3,
                       .bias = b8, .requant = htvm::tflite_requant{.multiplier = 1 << 30, .shift = -3}},
    /*7*/ htvm::depthwise_conv2d{.name = "dw", .input = "ok", .kernel = {3, 3}, .padding = htvm::same, .weights = w3x3x8, .bias = b8,
                                 .requant = rq},
    /*8*/ htvm::conv2d{.name = "noanalog", .input = "ok", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8,
                       .bias = b8, .requant = rq},
    /*9*/ htvm::conv2d{.name = "badcount", .input = "ok", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8,
                       .bias = b8, .requant = rq},
    /*10*/ htvm::add{.name = "add", .lhs = "ok", .rhs = "dw", .requant = {.shift = 1}},
    /*11*/ htvm::tflite_add{.name = "tadd", .lhs = "ok", .rhs = "dw"},
    /*12*/ htvm::max_pool{.name = "pool", .input = "ok"},
    /*13*/ htvm::flatten{.name = "flat"},
    /*14*/ htvm::dense{.name = "fc", .units = 500, .weights = big_dense, .bias = b500, .requant = rq},
    /*15*/ htvm::conv2d{.name = "arr", .input = "in", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x3,
                        .bias = b8, .requant = rq},
    /*16*/ htvm::conv2d{.name = "arr16", .input = "in", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x3,
                        .bias = b8, .requant = rq},
    /*17*/ htvm::conv2d{.name = "many", .input = "in", .filters = 8, .kernel = {2, 2}, .stride = {3, 3}, .weights = w8x2x2x3,
                        .requant = htvm::tflite_requant{.multiplier = 1 << 30, .shift = -3}},
};
// Its DIANA forms: analog forms (8 badcount: for 3 input channels, not 8), digital weights of the
// wrong size (15) and of the right size, 16 PE rows x 27 (16).
inline constexpr layer_form rules_forms[] = {
    {.layer = "ok", .analog = analog3},
    {.layer = "asym", .analog = analog3},
    {.layer = "badcount", .analog = analog3},
    {.layer = "arr", .digital_weights = w8x1x1x3},
    {.layer = "arr16", .digital_weights = w16x27},
};

constexpr bool lists(const broken_rules& broken, std::initializer_list<rule> expected) {
    if (broken.count != static_cast<int>(expected.size())) return false;
    int k = 0;
    for (const rule r : expected)
        if (broken.item[k++] != r) return false;
    return true;
}

}  // namespace

TEST_CASE("digital rules: HTVM's DIANA pattern checks, first broken rule named") {
    static_assert(digital_at<rules_net, rules_forms>(1) == rule::none);
    static_assert(digital_at<rules_net, rules_forms>(2) == rule::kernel_size_not_1_3_5_or_7);
    // SAME with stride 2 on an even input pads 0 before and 1 after.
    static_assert(graph_of<rules_net>.pad[3].top == 0 && graph_of<rules_net>.pad[3].bottom == 1);
    static_assert(digital_at<rules_net, rules_forms>(3) == rule::padding_not_symmetric);
    static_assert(digital_at<rules_net, rules_forms>(4) == rule::stride_not_1x1_or_2x2);
    static_assert(digital_at<rules_net, rules_forms>(5) == rule::needs_int32_bias);
    static_assert(digital_at<rules_net, rules_forms>(6) == rule::needs_diana_shift_clip_requantization);
    static_assert(digital_at<rules_net, rules_forms>(7) == rule::none);
    static_assert(digital_at<rules_net, rules_forms>(10) == rule::none);
    static_assert(digital_at<rules_net, rules_forms>(11) == rule::add_needs_diana_arithmetic);
    static_assert(digital_at<rules_net, rules_forms>(12) == rule::digital_runs_conv2d_depthwise_dense_and_add_only);
    static_assert(digital_at<rules_net, rules_forms>(14) == rule::none);  // the rule holds; the memory does not (below)
    // Arranged weights must have the digital layout's size (16 x 27 here).
    static_assert(digital_at<rules_net, rules_forms>(15) == rule::arranged_weights_have_the_wrong_size);
    static_assert(digital_at<rules_net, rules_forms>(16) == rule::none);
    static_assert(has_arranged_digital_weights(rules_net.layers[15], view_of(rules_forms)));
    static_assert(has_arranged_digital_weights(rules_net.layers[16], view_of(rules_forms)));
    static_assert(!has_arranged_digital_weights(rules_net.layers[1], view_of(rules_forms)));
    // Without its forms, a layer has neither arranged weights nor an analog form.
    static_assert(digital_at<rules_net>(15) == rule::none && !has_arranged_digital_weights(rules_net.layers[15], no_forms));
    static_assert(analog_at<rules_net>(1) == rule::analog_needs_ternary_weights_and_batch_norm_k_l);
    CHECK(std::string(rule_text(rule::padding_not_symmetric)).find("symmetric") != std::string::npos);
}

TEST_CASE("every broken rule of a layer is listed, in the order checked (the compile report prints them all)") {
    constexpr auto& g = graph_of<rules_net>;
    // 2x2 kernel, stride 3, no bias, TFLite requantization: four digital rules, the first as before.
    static_assert(lists(digital_rules(rules_net, g, 17, view_of(rules_forms)),
                        {rule::kernel_size_not_1_3_5_or_7, rule::stride_not_1x1_or_2x2, rule::needs_int32_bias,
                         rule::needs_diana_shift_clip_requantization}));
    static_assert(digital_at<rules_net, rules_forms>(17) == rule::kernel_size_not_1_3_5_or_7);
    static_assert(lists(analog_rules(rules_net, g, 17, view_of(rules_forms)),
                        {rule::kernel_size_not_1_3_5_or_7, rule::stride_not_1x1_or_2x2,
                         rule::analog_needs_ternary_weights_and_batch_norm_k_l}));
    // An operator the accelerator does not run breaks that rule only; a layer that breaks no rule and
    // fits breaks nothing.
    static_assert(lists(digital_rules(rules_net, g, 12), {rule::digital_runs_conv2d_depthwise_dense_and_add_only}));
    static_assert(lists(analog_rules(rules_net, g, 7, view_of(rules_forms)), {rule::analog_needs_groups_1}));
    static_assert(lists(detail::blockers(rules_net, g, 1, unit::digital, view_of(rules_forms)), {}));
    static_assert(lists(detail::blockers(rules_net, g, 2, unit::digital, view_of(rules_forms)), {rule::kernel_size_not_1_3_5_or_7}));
}

TEST_CASE("analog rules: conv2d, groups 1, ternary weights with batch-norm k and l") {
    static_assert(analog_at<rules_net, rules_forms>(1) == rule::none);
    static_assert(analog_at<rules_net, rules_forms>(3) == rule::padding_not_symmetric);
    static_assert(analog_at<rules_net, rules_forms>(7) == rule::analog_needs_groups_1);
    static_assert(analog_at<rules_net, rules_forms>(8) == rule::analog_needs_ternary_weights_and_batch_norm_k_l);
    static_assert(analog_at<rules_net, rules_forms>(9) == rule::analog_weights_have_the_wrong_count);
    static_assert(analog_at<rules_net, rules_forms>(10) == rule::analog_runs_conv2d_only);
    static_assert(analog_at<rules_net, rules_forms>(14) == rule::analog_runs_conv2d_only);
}

namespace {
std::int8_t w4x5x5x3[4 * 5 * 5 * 3], w16x3x3x140[16 * 3 * 3 * 140], w600x1x1x4[600 * 4];
std::int32_t b600[600], k600[600], l600[600], b16[16];
std::uint8_t t16x3x3x140[3 * 3 * 140 * 4], t600x4[4 * 150];
// Element counts and memories: 5 x 5 x 3 = 75 inputs; a 1260-row analog layer; 600 columns; 100 KB tensors.
inline constexpr htvm::network memory_net{
    htvm::input{.name = "in", .shape = {1, 5, 5, 3}},
    /*1*/ htvm::conv2d{.name = "odd", .filters = 4, .kernel = {5, 5}, .padding = htvm::same, .weights = w4x5x5x3, .bias = b4, .requant = rq},
};
inline constexpr htvm::network rows_net{
    htvm::input{.name = "in", .shape = {1, 4, 4, 140}},
    htvm::conv2d{.name = "rows", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = w16x3x3x140, .bias = b16,
                 .requant = rq},
};
inline constexpr htvm::network columns_net{
    htvm::input{.name = "in", .shape = {1, 4, 4, 4}},
    htvm::conv2d{.name = "cols", .filters = 600, .weights = w600x1x1x4, .bias = b600, .requant = rq},
};
std::int8_t w8x1x1x8[8 * 8];
std::uint8_t t8x8[8 * 2];
std::int8_t w16x4096[16 * 4096];
// 16 units x 4096 features: the smallest output-channel tile (16 PE rows) needs 65,536 B of weights.
inline constexpr htvm::network huge_dense_net{
    htvm::input{.name = "in", .shape = {1, 1, 1, 4096}},
    htvm::dense{.name = "huge", .units = 16, .weights = w16x4096, .bias = b16, .requant = rq},
};
inline constexpr htvm::network l1_net{
    htvm::input{.name = "in", .shape = {1, 128, 128, 8}},  // 131,072 in + 131,072 out > 256,000
    htvm::conv2d{.name = "wide", .filters = 8, .weights = w8x1x1x8, .bias = b8, .requant = rq},
};
inline constexpr layer_form rows_forms[] = {
    {.layer = "rows", .analog = {.weights = {t16x3x3x140, 16 * 9 * 140}, .scale = k600, .offset = l600}}};
inline constexpr layer_form columns_forms[] = {{.layer = "cols", .analog = {.weights = {t600x4, 600 * 4}, .scale = k600, .offset = l600}}};
inline constexpr layer_form l1_forms[] = {{.layer = "wide", .analog = {.weights = {t8x8, 64}, .scale = k8, .offset = l8}}};
}  // namespace

TEST_CASE("memory checks: element counts, L1, weight memory, analog array") {
    static_assert(graph_of<rows_net>.error.kind == htvm::graph_error_kind::none);
    static_assert(graph_of<columns_net>.error.kind == htvm::graph_error_kind::none);
    static_assert(graph_of<memory_net>.error.kind == htvm::graph_error_kind::none);
    static_assert(graph_of<rules_net>.error.kind == htvm::graph_error_kind::none);
    static_assert(digital_at<memory_net>(1) == rule::element_count_not_multiple_of_4);
    static_assert(digital_fit(rules_net, graph_of<rules_net>, 14) == rule::does_not_fit_digital_weight_memory);
    static_assert(digital_weight_need(rules_net, graph_of<rules_net>, 14) == 512 * 128 + 4 * 512);
    static_assert(analog_fit(rows_net, graph_of<rows_net>, 1) == rule::does_not_fit_analog_array);  // 1260 rows
    static_assert(analog_fit(columns_net, graph_of<columns_net>, 1) == rule::does_not_fit_analog_array);  // 600 columns
    static_assert(digital_fit(l1_net, graph_of<l1_net>, 1) == rule::does_not_fit_l1);
    static_assert(analog_fit(l1_net, graph_of<l1_net>, 1) == rule::does_not_fit_l1);
    static_assert(l1_need(graph_of<l1_net>, 1) == 2 * 128 * 128 * 8);
    // Too big untiled, but tiled: they run on the accelerators, and the plan keeps the tiles.
    constexpr auto& d = plan_of<l1_net, policy::digital, l1_forms>;
    static_assert(d.layer[1].target == unit::digital && d.layer[1].why == reason::chosen_by_policy);
    static_assert(d.tiles[1].ok() && d.tiles[1].tiled() && d.tiles[1].l1_bytes <= l1_bytes);
    constexpr auto& a = plan_of<l1_net, policy::analog, l1_forms>;
    static_assert(a.layer[1].target == unit::analog && a.tiles[1].ok() && a.tiles[1].tiled());
    constexpr auto& cols = plan_of<columns_net, policy::analog, columns_forms>;  // 600 columns: two column tiles
    static_assert(cols.layer[1].target == unit::analog && cols.tiles[1].tiles_k == 2 &&
                  cols.tiles[1].tile_k <= analog_columns);
    constexpr auto& big = plan_of<rules_net, policy::digital, rules_forms>;  // 128 x 500 dense, 67,584 B untiled
    static_assert(big.layer[14].target == unit::digital && big.tiles[14].tiles_k > 1);
    constexpr auto& rows = plan_of<rows_net, policy::mixed, rows_forms>;  // the only layer is the first: digital
    static_assert(rows.layer[1].target == unit::digital && rows.layer[1].why == reason::chosen_by_policy);
    // Still on the CPU when not even one tile fits: 1260 rows cannot be split over the analog array,
    // and 16 filters of 4096 weights exceed the digital weight memory. The rule says which memory.
    constexpr auto& rows_analog = plan_of<rows_net, policy::analog, rows_forms>;
    static_assert(rows_analog.layer[1].target == unit::cpu && rows_analog.layer[1].why == reason::needs_tiling &&
                  rows_analog.layer[1].broken == rule::does_not_fit_analog_array);
    static_assert(analog_tiled_fit(rows_net, graph_of<rows_net>, 1) == rule::does_not_fit_analog_array);
    constexpr auto& huge = plan_of<huge_dense_net, policy::digital>;
    static_assert(huge.layer[1].target == unit::cpu && huge.layer[1].why == reason::needs_tiling &&
                  huge.layer[1].broken == rule::does_not_fit_digital_weight_memory);
    static_assert(!huge.tiles[1].ok());
    static_assert(digital_tiles(huge_dense_net, graph_of<huge_dense_net>, 1).status ==
                  htvm::tiling::tiling_status::weight_memory_too_small);
}

namespace {
// A small network where the policies differ everywhere.
inline constexpr htvm::network policy_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 3}},
    /*1*/ htvm::conv2d{.name = "c1", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x3, .bias = b8, .requant = rq},
    /*2*/ htvm::conv2d{.name = "c2", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8, .bias = b8, .requant = rq},
    /*3*/ htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::same, .weights = w3x3x8, .bias = b8, .requant = rq},
    /*4*/ htvm::conv2d{.name = "c3", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8, .bias = b8, .requant = rq},
    /*5*/ htvm::conv2d{.name = "c4", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8, .bias = b8, .requant = rq},
    /*6*/ htvm::add{.name = "res", .lhs = "c1", .rhs = "c4", .requant = {.shift = 1, .relu = true}},
    /*7*/ htvm::max_pool{.name = "pool"},
    /*8*/ htvm::conv2d{.name = "last", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8, .bias = b8, .requant = rq},
};

inline constexpr layer_form policy_forms[] = {
    {.layer = "c1", .analog = analog3}, {.layer = "c2", .analog = analog8},
    {.layer = "c3", .analog = analog8}, {.layer = "last", .analog = analog8},
};

template <class Policy>
constexpr unit at(std::size_t i) { return plan_of<policy_net, Policy, policy_forms>.layer[i].target; }
}  // namespace

TEST_CASE("policies: cpu_only, digital, analog and HTVM's mixed mapping") {
    for (std::size_t i = 1; i < 9; ++i) CHECK(plan_of<policy_net, policy::cpu_only, policy_forms>.layer[i].target == unit::cpu);
    static_assert(plan_of<policy_net, policy::cpu_only, policy_forms>.layer[1].why == reason::cpu_only_policy);
    static_assert(plan_of<policy_net, policy::cpu_only, policy_forms>.layer[7].why == reason::cpu_operator);

    static_assert(at<policy::digital>(1) == unit::digital && at<policy::digital>(2) == unit::digital &&
                  at<policy::digital>(3) == unit::digital && at<policy::digital>(5) == unit::digital &&
                  at<policy::digital>(6) == unit::digital && at<policy::digital>(7) == unit::cpu);

    static_assert(at<policy::analog>(1) == unit::analog && at<policy::analog>(2) == unit::analog &&
                  at<policy::analog>(3) == unit::cpu && at<policy::analog>(4) == unit::analog &&
                  at<policy::analog>(5) == unit::cpu && at<policy::analog>(6) == unit::cpu && at<policy::analog>(8) == unit::analog);
    static_assert(plan_of<policy_net, policy::analog, policy_forms>.layer[5].broken == rule::analog_needs_ternary_weights_and_batch_norm_k_l);

    // mixed: first (c1) and last (last) digital-capable layers on digital; depthwise and add on
    // digital; other convs on analog, or on digital when they have no analog form (c4).
    static_assert(at<policy::mixed>(1) == unit::digital);
    static_assert(at<policy::mixed>(2) == unit::analog);
    static_assert(at<policy::mixed>(3) == unit::digital);
    static_assert(at<policy::mixed>(4) == unit::analog);
    static_assert(at<policy::mixed>(5) == unit::digital && plan_of<policy_net, policy::mixed, policy_forms>.layer[5].why == reason::fallback_accelerator);
    static_assert(at<policy::mixed>(6) == unit::digital);
    static_assert(at<policy::mixed>(7) == unit::cpu);
    static_assert(at<policy::mixed>(8) == unit::digital);
}

namespace {
inline constexpr htvm::network override_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 3}},
    htvm::conv2d{.name = "c1", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x3, .bias = b8, .requant = rq,
                 .target = "cpu"},
    htvm::conv2d{.name = "c2", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8, .bias = b8, .requant = rq,
                 .target = "digital"},
    htvm::conv2d{.name = "c3", .filters = 8, .kernel = {3, 3}, .padding = htvm::same, .weights = w8x3x3x8, .bias = b8, .requant = rq,
                 .target = "analog"},
};
inline constexpr layer_form override_forms[] = {
    {.layer = "c1", .analog = analog3}, {.layer = "c2", .analog = analog8}, {.layer = "c3", .analog = analog8}};
}  // namespace

TEST_CASE("per-layer .target overrides win over every policy") {
    static_assert(plan_of<override_net, policy::mixed, override_forms>.error_layer < 0);
    static_assert(plan_of<override_net, policy::mixed, override_forms>.layer[1].target == unit::cpu);
    static_assert(plan_of<override_net, policy::analog, override_forms>.layer[2].target == unit::digital);
    static_assert(plan_of<override_net, policy::cpu_only, override_forms>.layer[3].target == unit::analog);
    static_assert(plan_of<override_net, policy::digital, override_forms>.layer[3].why == reason::forced);
    // What observers and profiles see of the overrides (model::layers, copied from the record).
    using model = htvm::model<override_net, htvm::diana::target<policy::mixed, override_forms>>;
    CHECK(model::layers[0].target == nullptr);
    CHECK(std::string(model::layers[1].target) == "cpu");
    CHECK(std::string(model::layers[2].target) == "digital");
    CHECK(std::string(model::layers[3].target) == "analog");
    // The same kind of override on a layer that breaks a rule is an invalid plan (a compile error
    // once a model is built from it: tests/compile_fail/diana_*.cpp).
    constexpr auto& bad = plan_of<rules_net, policy::mixed, rules_forms>;
    static_assert(bad.error_layer < 0);
}

TEST_CASE("the dispatch table is a constant and prints one line per layer") {
    constexpr auto& r = dispatch_table_of<memory_net, policy::digital>;
    static_assert(r.layer[1].where.target == unit::cpu && r.layer[1].where.why == reason::rule_broken);
    constexpr auto& t = dispatch_table_of<huge_dense_net, policy::mixed>;
    static_assert(t.layer[1].where.why == reason::needs_tiling);
    static_assert(t.on_cpu == 1 && t.on_digital == 0 && t.on_analog == 0);
    std::vector<std::string> lines;
    print_dispatch_table(t, [&](const char* line) { lines.emplace_back(line); });
    REQUIRE(lines.size() == 2 + 2 + 1);  // title, header, 2 layers, total
    CHECK(lines[0].find("policy mixed") != std::string::npos);
    CHECK(lines[3].find("huge") != std::string::npos);
    CHECK(lines[3].find("cpu") != std::string::npos);
    CHECK(lines[3].find("does not fit the accelerator, not even one tile") != std::string::npos);
    CHECK(lines[3].find("do not fit the digital weight memory") != std::string::npos);
    CHECK(lines[4].find("total") != std::string::npos);

    // A tiled layer: its tile sizes and count in the table, its cycles costed tile by tile.
    constexpr auto& tiled = dispatch_table_of<l1_net, policy::digital, l1_forms>;
    constexpr htvm::tiling::tile_plan tp = tiled.layer[1].tiles;
    static_assert(tiled.on_digital == 1 && tp.tiled());
    std::vector<std::string> tiled_lines;
    print_dispatch_table(tiled, [&](const char* line) { tiled_lines.emplace_back(line); });
    const std::string expected = "; tiles " + std::to_string(tp.tile_k) + "x" + std::to_string(tp.tile_h) + "x" +
                                 std::to_string(tp.tile_w) + " (KxOYxOX), " + std::to_string(tp.tile_count) + " tiles";
    CHECK(tiled_lines[3].find(expected) != std::string::npos);
    CHECK(tiled_lines[3].find("digital") != std::string::npos);

    constexpr auto& p = dispatch_table_of<policy_net, policy::mixed, policy_forms>;
    static_assert(p.on_digital == 5 && p.on_analog == 2 && p.on_cpu == 1);
    std::vector<std::string> mixed_lines;
    print_dispatch_table(p, [&](const char* line) { mixed_lines.emplace_back(line); });
    CHECK(mixed_lines[2 + 2].find("analog") != std::string::npos);   // c2
    CHECK(mixed_lines[2 + 5].find("policy's first choice cannot run it") != std::string::npos);  // c4
    CHECK(mixed_lines[2 + 5].find("analog: needs an analog form") != std::string::npos);
}

namespace {
inline constexpr layer_form names_nothing[] = {{.layer = "ok", .analog = analog3}, {.layer = "nope", .analog = analog3}};
inline constexpr layer_form names_twice[] = {{.layer = "c1", .analog = analog3}, {.layer = "c1", .digital_weights = w16x27}};
inline constexpr layer_form weights_on_add[] = {{.layer = "res", .digital_weights = w16x27}};
inline constexpr layer_form unnamed[] = {{.analog = analog3}};
}  // namespace

TEST_CASE("a table of forms must name each layer of the network at most once") {
    static_assert(check_forms(rules_net, view_of(rules_forms)).error == forms_error::none);
    static_assert(check_forms(policy_net, view_of(policy_forms)).error == forms_error::none);
    static_assert(check_forms(rules_net, no_forms).error == forms_error::none);
    constexpr forms_check nothing = check_forms(rules_net, view_of(names_nothing));
    static_assert(nothing.error == forms_error::names_no_layer && nothing.entry == 1);
    constexpr forms_check twice = check_forms(policy_net, view_of(names_twice));
    static_assert(twice.error == forms_error::names_a_layer_twice && twice.entry == 1);
    constexpr forms_check add_weights = check_forms(policy_net, view_of(weights_on_add));
    static_assert(add_weights.error == forms_error::digital_weights_on_a_layer_without_weights && add_weights.entry == 0);
    static_assert(check_forms(policy_net, view_of(unnamed)).error == forms_error::names_no_layer);
    // A form is found by its layer's name only: the first entry of a table never names another layer.
    static_assert(view_of(policy_forms).of(policy_net.layers[2]).analog.weights.data == analog8.weights.data);
    static_assert(view_of(policy_forms).of(policy_net.layers[5]).analog.weights.data == nullptr);  // c4: none
}
