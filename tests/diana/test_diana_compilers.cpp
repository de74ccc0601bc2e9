// The DIANA target gives the same bytes whichever compiler builds it (issue #23, item 2): tools/test.sh
// runs this test in its g++ and clang++ builds.
//
// Clang 14 read every accelerator tile's L1 buffer offsets from the wrong fields of the tile plan,
// because the target indexed the plan's template parameter object at run time
// (tp.in_offset[t.in_buffer]; see target.hpp). A single digital conv2d then computed wrong bytes at
// every optimization level (its input and output buffers overlapped), while g++ was exact.
//
// Every layer of small networks, one per path of the target's tile visitors (digital conv2d as in
// the issue, depthwise, dense, build-time arranged weights, several tiles along rows and along
// output channels, analog conv2d on the whole array and on column tiles), is checked against the
// independent Eigen reference (tests/reference/diana_network.hpp). A recording SoC also checks every
// accelerator job: its L1 buffers are the ones the compile-time plan placed, they stay inside the
// plan's L1 and they do not overlap (a job that would leave L1 is not run).
#include "reference/random.hpp"
#include "reference/diana_examples.hpp"

#include <htvm/diana.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace htvm::diana;
namespace tiling = htvm::tiling;

constexpr htvm::shift_requant rq(int shift, bool relu = false) { return {.shift = shift, .relu = relu}; }

// ---- the issue's layer: one digital conv2d, 10x10x16 -> 8x8x32 (2,048 output bytes) ------------
std::int8_t issue_w[32 * 3 * 3 * 16];
std::int32_t issue_b[32];
inline constexpr htvm::network issue_net{
    htvm::input{.name = "in", .shape = {1, 10, 10, 16}},
    htvm::conv2d{.name = "conv", .filters = 32, .kernel = {3, 3}, .weights = issue_w, .bias = issue_b, .requant = rq(9)},
};

// ---- more single conv2d layers: same padding with 20 channels (a partial PE block), 5x5, stride 2 -
std::int8_t same_w[20 * 3 * 3 * 16];
std::int32_t same_b[20];
inline constexpr htvm::network same_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 16}},
    htvm::conv2d{.name = "conv", .filters = 20, .kernel = {3, 3}, .padding = htvm::same, .weights = same_w, .bias = same_b,
                 .requant = rq(9, true)},
};
std::int8_t five_w[16 * 5 * 5 * 16];
std::int32_t five_b[16];
inline constexpr htvm::network five_net{
    htvm::input{.name = "in", .shape = {1, 8, 16, 16}},
    htvm::conv2d{.name = "conv", .filters = 16, .kernel = {5, 5}, .padding = htvm::same, .weights = five_w, .bias = five_b,
                 .requant = rq(10)},
};
std::int8_t s2_w[32 * 3 * 3 * 8];
std::int32_t s2_b[32];
inline constexpr htvm::network stride_net{
    htvm::input{.name = "in", .shape = {1, 17, 17, 8}},
    htvm::conv2d{.name = "conv", .filters = 32, .kernel = {3, 3}, .stride = {2, 2}, .weights = s2_w, .bias = s2_b,
                 .requant = rq(9)},
};

// ---- conv2d, depthwise, dense on the digital accelerator; the same with arranged weights --------
std::int8_t c_w[16 * 3 * 3 * 8], dw_w[3 * 3 * 16], fc_w[12 * 8 * 8 * 16];
std::int32_t c_b[16], dw_b[16], fc_b[12];
constexpr layout::digital_weights c_shape{layout::weight_kind::conv, 16, 8, 3, 3};
constexpr layout::digital_weights dw_shape{layout::weight_kind::depthwise, 16, 16, 3, 3};
constexpr layout::digital_weights fc_shape{layout::weight_kind::dense, 12, 8 * 8 * 16, 1, 1};
std::int8_t c_arranged[layout::weight_bytes(c_shape)], dw_arranged[layout::weight_bytes(dw_shape)],
    fc_arranged[layout::weight_bytes(fc_shape)];
inline constexpr htvm::network block_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 8}},
    htvm::conv2d{.name = "conv", .filters = 16, .kernel = {3, 3}, .padding = htvm::same, .weights = c_w, .bias = c_b,
                 .requant = rq(9, true)},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::pads(1, 1, 1, 1), .weights = dw_w, .bias = dw_b,
                           .requant = rq(7)},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 12, .weights = fc_w, .bias = fc_b, .requant = rq(11)},
};
// The same network with its weights arranged at build time (its DIANA forms).
inline constexpr layer_form arranged_forms[] = {
    {.layer = "conv", .digital_weights = c_arranged},
    {.layer = "dw", .digital_weights = dw_arranged},
    {.layer = "fc", .digital_weights = fc_arranged},
};

// ---- tiled: a 3x3 conv whose tensors exceed L1 (98,304 B in + 163,840 B out; between a small input
// and a small output for L2, as in test_diana_tiling), on both accelerators; a dense layer whose
// weights exceed the digital weight memory; an analog conv wider than the 512 columns -------------
std::int8_t pre_w[24 * 4], big_w[40 * 3 * 3 * 24];
std::int32_t pre_b[24], big_b[40], big_k[40], big_l[40];
std::uint8_t big_t[3 * 3 * 24 * 10];  // 216 rows x ceil(40 / 4) bytes
inline constexpr htvm::network tiled_net{
    htvm::input{.name = "in", .shape = {1, 64, 64, 4}},
    htvm::conv2d{.name = "widen", .filters = 24, .weights = pre_w, .bias = pre_b, .requant = rq(7)},
    htvm::conv2d{.name = "conv", .filters = 40, .kernel = {3, 3}, .padding = htvm::same, .weights = big_w, .bias = big_b,
                 .requant = rq(11)},
    htvm::avg_pool{.name = "pool", .window = {2, 2}, .stride = {2, 2}},
};
inline constexpr layer_form tiled_forms[] = {
    {.layer = "conv", .analog = {.weights = {big_t, 40 * 216}, .scale = big_k, .offset = big_l, .shift = 2}}};
std::int8_t wide_fc_w[96 * 2000];
std::int32_t wide_fc_b[96];
inline constexpr htvm::network weight_tiled_net{
    htvm::input{.name = "in", .shape = {1, 1, 1, 2000}},
    htvm::dense{.name = "fc", .units = 96, .weights = wide_fc_w, .bias = wide_fc_b, .requant = rq(11)},
};
std::int8_t wide_w[600 * 64];
std::int32_t wide_b[600], wide_k[600], wide_l[600];
std::uint8_t wide_t[64 * 150];  // 64 rows x ceil(600 / 4) bytes
inline constexpr htvm::network column_tiled_net{
    htvm::input{.name = "in", .shape = {1, 8, 8, 64}},
    htvm::conv2d{.name = "wide", .filters = 600, .weights = wide_w, .bias = wide_b, .requant = rq(11)},
};
inline constexpr layer_form column_tiled_forms[] = {
    {.layer = "wide", .analog = {.weights = {wide_t, 600 * 64}, .scale = wide_k, .offset = wide_l, .shift = 1}}};

ref::rng draw{23};

void fill_all() {
    draw.fill(issue_w, -128, 127), draw.fill(issue_b, -5000, 5000), draw.fill(same_w, -128, 127), draw.fill(same_b, -5000, 5000);
    draw.fill(five_w, -128, 127), draw.fill(five_b, -5000, 5000), draw.fill(s2_w, -128, 127), draw.fill(s2_b, -5000, 5000);
    draw.fill(c_w, -128, 127), draw.fill(c_b, -3000, 3000), draw.fill(dw_w, -128, 127), draw.fill(dw_b, -3000, 3000);
    draw.fill(fc_w, -128, 127), draw.fill(fc_b, -3000, 3000);
    layout::arrange_digital(c_shape, c_w, c_arranged);
    layout::arrange_digital(dw_shape, dw_w, dw_arranged);
    layout::arrange_digital(fc_shape, fc_w, fc_arranged);
    draw.fill(pre_w, -128, 127), draw.fill(pre_b, -500, 500), draw.fill(big_w, -128, 127), draw.fill(big_b, -5000, 5000);
    draw.fill(big_t, 0, 255), draw.fill(big_k, 1, 4), draw.fill(big_l, -20, 20);
    draw.fill(wide_fc_w, -128, 127), draw.fill(wide_fc_b, -5000, 5000);
    draw.fill(wide_w, -128, 127), draw.fill(wide_b, -5000, 5000), draw.fill(wide_t, 0, 255), draw.fill(wide_k, 1, 4), draw.fill(wide_l, -20, 20);
}

// ---- the recording SoC ------------------------------------------------------------------------

struct job_record {
    int layer = 0;
    int input = 0, input_bytes = 0;
    int output = 0, output_bytes = 0;
};

// The simulated SoC, recording the L1 buffers of every accelerator call. A call whose buffers leave
// L1 is recorded but not run (it would write past the simulated memory).
struct recording_soc : simulated_soc {
    static inline int layer = 0;  // set by the observer before each layer
    static inline std::vector<job_record> jobs;

    static bool record(int input, int input_bytes, int output, int output_bytes) {
        jobs.push_back({layer, input, input_bytes, output, output_bytes});
        return input >= 0 && output >= 0 && input + input_bytes <= l1_bytes && output + output_bytes <= l1_bytes;
    }
    static void digital_conv(const digital::conv_job& job) {
        if (record(job.input, job.in.elements(), job.output, job.out.elements())) simulated_soc::digital_conv(job);
    }
    static void digital_dense(const digital::dense_job& job) {
        if (record(job.input, job.features, job.output, job.units)) simulated_soc::digital_dense(job);
    }
    static void analog_conv(const analog::conv_job& job) {
        if (record(job.input, job.in.elements(), job.output, job.out.elements())) simulated_soc::analog_conv(job);
    }
};

struct recording_capture : diana_ref::capture {
    void before_layer(std::size_t i, const htvm::layer_info&) { recording_soc::layer = static_cast<int>(i); }
};

// Runs `net` under Policy on the recording SoC: every layer against the Eigen reference, and every
// accelerator job's buffers against the layer's tile plan. Returns how many jobs ran.
template <const auto& net, class Policy, const auto& forms = no_forms>
int run_and_check_jobs(const std::vector<std::int8_t>& input) {
    using model = htvm::model<net, target<Policy, forms, recording_soc>>;
    constexpr auto& plan = plan_of<net, Policy, forms>;
    recording_soc::jobs.clear();
    recording_capture seen;
    seen.outputs.resize(net.size());
    std::vector<std::int8_t> out(static_cast<std::size_t>(model::output_bytes));
    model::run(input.data(), out.data(), seen);

    const std::vector<diana_ref::arithmetic> how = diana_ref::arithmetic_of<net, forms, Policy>();
    const std::vector<diana_ref::tensor> expected =
        diana_ref::run(net, input, [&](std::size_t i) { return how[i]; }, view_of(forms));
    const std::string policy = Policy::name;
    CAPTURE(policy);
    for (std::size_t i = 1; i < net.size(); ++i) {
        const std::string layer = net.layers[i].name();
        CAPTURE(layer);
        CHECK(seen.outputs[i] == expected[i].data);
    }
    CHECK(out == expected.back().data);

    for (const job_record& j : recording_soc::jobs) {
        const tiling::tile_plan& tiles = plan.tiles[static_cast<std::size_t>(j.layer)];
        const std::string layer = net.layers[static_cast<std::size_t>(j.layer)].name();
        CAPTURE(layer);
        CAPTURE(j.input);
        CAPTURE(j.output);
        REQUIRE(tiles.ok());
        CHECK(j.input == tiles.in_offset[0]);  // DIANA's buffers are single (dma_is_asynchronous == false)
        CHECK(j.output == tiles.out_offset[0]);
        CHECK(j.input_bytes <= tiles.in_buffer_bytes);
        CHECK(j.output_bytes <= tiles.out_buffer_bytes);
        CHECK(j.input + j.input_bytes <= tiles.l1_bytes);
        CHECK(j.output + j.output_bytes <= tiles.l1_bytes);
        CHECK((j.input + j.input_bytes <= j.output || j.output + j.output_bytes <= j.input));
    }
    return static_cast<int>(recording_soc::jobs.size());
}

template <const auto& net, class Policy, const auto& forms = no_forms>
constexpr bool on(std::size_t i, unit u) {
    return plan_of<net, Policy, forms>.layer[i].target == u;
}

}  // namespace

TEST_CASE("the issue's layer: one digital conv2d, bit-exact with the reference") {
    static_assert(on<issue_net, policy::digital>(1, unit::digital));
    static_assert(plan_of<issue_net, policy::digital>.tiles[1].tile_count == 1);
    static_assert(htvm::model<issue_net, target<policy::digital>>::output_bytes == 2048);
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        fill_all();
        const std::vector<std::int8_t> input = draw.bytes(10 * 10 * 16);
        diana_ref::run_and_check<issue_net, no_forms, policy::digital>(input);  // the plain simulated SoC
        CHECK(run_and_check_jobs<issue_net, policy::digital>(input) == 1);
    }
}

TEST_CASE("single digital conv2d layers: same padding, a partial PE block, 5x5, stride 2") {
    static_assert(on<same_net, policy::digital>(1, unit::digital) && on<five_net, policy::digital>(1, unit::digital) &&
                  on<stride_net, policy::digital>(1, unit::digital));
    for (int round = 0; round < 2; ++round) {
        CAPTURE(round);
        fill_all();
        CHECK(run_and_check_jobs<same_net, policy::digital>(draw.bytes(8 * 8 * 16)) == 1);
        CHECK(run_and_check_jobs<five_net, policy::digital>(draw.bytes(8 * 16 * 16)) == 1);
        CHECK(run_and_check_jobs<stride_net, policy::digital>(draw.bytes(17 * 17 * 8)) == 1);
    }
}

TEST_CASE("digital conv2d, depthwise and dense, with weights arranged at load time and at build time") {
    static_assert(on<block_net, policy::digital>(1, unit::digital) && on<block_net, policy::digital>(2, unit::digital) &&
                  on<block_net, policy::digital>(4, unit::digital));
    static_assert(has_arranged_digital_weights(block_net.layers[4], view_of(arranged_forms)) &&
                  on<block_net, policy::digital, arranged_forms>(4, unit::digital) &&
                  plan_of<block_net, policy::digital, arranged_forms>.layer[4].arranged_weights &&
                  !plan_of<block_net, policy::digital>.layer[4].arranged_weights);
    for (int round = 0; round < 2; ++round) {
        CAPTURE(round);
        fill_all();
        const std::vector<std::int8_t> input = draw.bytes(8 * 8 * 8);
        CHECK(run_and_check_jobs<block_net, policy::digital>(input) == 3);
        CHECK(run_and_check_jobs<block_net, policy::digital, arranged_forms>(input) == 3);
    }
}

TEST_CASE("tiled layers: rows of a conv on both accelerators, output channels of a dense and of an analog conv") {
    constexpr auto& digital_conv = plan_of<tiled_net, policy::digital, tiled_forms>.tiles[2];
    constexpr auto& analog_conv = plan_of<tiled_net, policy::analog, tiled_forms>.tiles[2];
    constexpr auto& dense = plan_of<weight_tiled_net, policy::digital>.tiles[1];
    constexpr auto& columns = plan_of<column_tiled_net, policy::analog, column_tiled_forms>.tiles[1];
    static_assert(on<tiled_net, policy::digital, tiled_forms>(2, unit::digital) && digital_conv.tiled());
    static_assert(on<tiled_net, policy::analog, tiled_forms>(2, unit::analog) && analog_conv.tiled());
    static_assert(on<weight_tiled_net, policy::digital>(1, unit::digital) && dense.tiles_k > 1);
    static_assert(on<column_tiled_net, policy::analog, column_tiled_forms>(1, unit::analog) && columns.tiles_k > 1);
    fill_all();
    const std::vector<std::int8_t> input = draw.bytes(64 * 64 * 4);
    // Layer 1 (widen) is one more job in each configuration where it runs on an accelerator.
    CHECK(run_and_check_jobs<tiled_net, policy::digital, tiled_forms>(input) == 1 + digital_conv.tile_count);
    CHECK(run_and_check_jobs<tiled_net, policy::analog, tiled_forms>(input) ==
          (on<tiled_net, policy::analog, tiled_forms>(1, unit::analog) ? 1 : 0) + analog_conv.tile_count);
    CHECK(run_and_check_jobs<weight_tiled_net, policy::digital>(draw.bytes(2000)) == dense.tile_count);
    CHECK(run_and_check_jobs<column_tiled_net, policy::analog, column_tiled_forms>(draw.bytes(8 * 8 * 64)) == columns.tile_count);
}
