// The firmware support on the host (htvm/firmware/*.hpp): decimal formatting, MAC counting of the
// profile, the timer's host implementation, the stack meter's host behaviour, the golden check and
// the profile observer driven by a real model::run(). The bare-metal implementations run under QEMU
// (tests/firmware/firmware.cmake).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

#include <htvm/htvm.hpp>
#include <htvm/firmware/format.hpp>
#include <htvm/firmware/output.hpp>
#include <htvm/firmware/profile.hpp>
#include <htvm/firmware/run_and_check.hpp>
#include <htvm/firmware/stack_meter.hpp>
#include <htvm/firmware/timer.hpp>

namespace {

const std::int8_t conv_w[6 * 3 * 3 * 2] = {1, 2, 3};
const std::int8_t dw_w[3 * 3 * 6] = {1};

// Hand-computed MACs. conv: VALID 3x3 on 5x4x2 gives 3x2x6, 3*2 pixels * 6 filters * 3*3*2 taps;
// depthwise: SAME 3x3 stride 2 on 3x2 gives 2x1x6, 2*1 pixels * 6 channels * 9 taps; dense: 5 x 12.
constexpr std::uint64_t conv_macs = 3 * 2 * 6 * 3 * 3 * 2;  // 648
constexpr std::uint64_t dw_macs = 2 * 1 * 6 * 3 * 3;        // 108

const std::int8_t fc12_w[5 * 12] = {1};
inline constexpr htvm::network net_fc{
    htvm::input{.name = "in", .shape = {1, 5, 4, 2}},
    htvm::conv2d{.name = "conv", .filters = 6, .kernel = {3, 3}, .weights = conv_w,
                 .requant = htvm::shift_requant{.shift = 2}},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .stride = {2, 2}, .padding = htvm::same, .weights = dw_w,
                           .requant = htvm::shift_requant{.shift = 1}},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = 5, .weights = fc12_w, .requant = htvm::shift_requant{.shift = 3}},
};
constexpr std::uint64_t fc_macs = 5 * 12;

// Counts calls and forwards to the profile printer, to see that it is a well-behaved observer.
struct counting_profile {
    htvm::firmware::profile_printer profile;
    int before = 0, after = 0;
    void before_layer(std::size_t i, const htvm::layer_info& l) {
        ++before;
        profile.before_layer(i, l);
    }
    void after_layer(std::size_t i, const htvm::layer_info& l, const std::int8_t* out, const htvm::shape& s) {
        ++after;
        profile.after_layer(i, l, out, s);
    }
};

}  // namespace

TEST_CASE("to_decimal matches printf's %llu, including 0 and 2^64 - 1") {
    const std::uint64_t values[] = {0u, 1u, 9u, 10u, 12345u, 4294967295u, 4294967296u, 18446744073709551615u};
    for (const std::uint64_t v : values) {
        char expected[32];
        std::snprintf(expected, sizeof expected, "%llu", static_cast<unsigned long long>(v));
        CHECK(std::strcmp(htvm::firmware::to_decimal(v).text, expected) == 0);
    }
    static_assert(htvm::firmware::to_decimal(907).text[0] == '9' && htvm::firmware::to_decimal(907).text[3] == '\0');
}

TEST_CASE("model::layers: the MACs of the hand count, and the record's names, operators and overrides") {
    using model = htvm::model<net_fc>;
    CHECK(static_cast<std::uint64_t>(model::layers[1].macs) == conv_macs);
    CHECK(static_cast<std::uint64_t>(model::layers[2].macs) == dw_macs);
    CHECK(static_cast<std::uint64_t>(model::layers[4].macs) == fc_macs);
    CHECK(model::layers[3].macs == 0);  // reshape: no MACs
    for (std::size_t i = 0; i < model::layer_count; ++i) {
        CHECK(model::layers[i].macs == htvm::layer_macs(net_fc, model::graph, i));
        CHECK(std::strcmp(model::layers[i].name, net_fc.layers[i].name()) == 0);
        CHECK(std::strcmp(model::layers[i].op, net_fc.layers[i].op_name()) == 0);
        CHECK(model::layers[i].target == nullptr);
    }
}

TEST_CASE("the host timer counts nanoseconds of a steady clock") {
    const htvm::firmware::counter_info info = htvm::firmware::counter_description();
    CHECK(std::strcmp(info.source, "steady_clock") == 0);
    CHECK(std::strcmp(info.tick_unit, "ns") == 0);
    CHECK_FALSE(info.counts_instructions);

    htvm::firmware::timer t;
    t.start();
    volatile std::uint32_t sink = 0;
    for (std::uint32_t k = 0; k < 100000; ++k) sink = sink + k;
    const htvm::firmware::elapsed first = t.stop();
    const htvm::firmware::elapsed later = t.stop();  // same start: cannot be earlier
    CHECK(later.ticks >= first.ticks);
    CHECK(first.instructions == 0);
    const htvm::firmware::counters a = htvm::firmware::read_counters();
    const htvm::firmware::counters b = htvm::firmware::read_counters();
    CHECK(b.ticks >= a.ticks);
}

TEST_CASE("the profile observer sees every computing layer once and sums its MACs") {
    using model = htvm::model<net_fc>;
    std::int8_t input[model::input_bytes] = {};
    std::int8_t output[model::output_bytes] = {};
    counting_profile observer;
    model::run(input, output, observer);
    observer.profile.print_total();
    CHECK(observer.before == 4);  // every layer but the input
    CHECK(observer.after == 4);
    CHECK(observer.profile.total_macs() == conv_macs + dw_macs + fc_macs);
}

TEST_CASE("golden check: counts differing bytes and prints the first") {
    const std::int8_t a[5] = {1, 2, 3, 4, 5};
    const std::int8_t same[5] = {1, 2, 3, 4, 5};
    const std::int8_t other[5] = {1, 2, -3, 4, 6};
    CHECK(htvm::firmware::count_mismatches(a, same, 5) == 0);
    CHECK(htvm::firmware::count_mismatches(a, other, 5) == 2);
    CHECK(htvm::firmware::check_golden(a, same, 5) == 0);
    CHECK(htvm::firmware::check_golden(a, other, 5) == 2);
}

TEST_CASE("run_and_check returns 0 on a match and 1 on a mismatch") {
    using model = htvm::model<net_fc>;
    static std::int8_t input[model::input_bytes];
    for (int k = 0; k < model::input_bytes; ++k) input[k] = static_cast<std::int8_t>(k * 7 - 40);
    std::int8_t expected[model::output_bytes];
    model::run(input, expected);
    CHECK(htvm::firmware::run_and_check<model>("test", input, expected) == 0);
    expected[model::output_bytes - 1] = static_cast<std::int8_t>(expected[model::output_bytes - 1] ^ 0x10);
    CHECK(htvm::firmware::run_and_check<model>("test", input, expected) == 1);
    CHECK(htvm::firmware::run_and_check<model>("test", input, nullptr) == 0);
}

TEST_CASE("the stack meter measures nothing on the host") {
    htvm::firmware::stack_meter meter;
    meter.paint();
    const htvm::firmware::stack_usage usage = meter.measure();
    CHECK_FALSE(usage.available);
    CHECK(meter.print_usage());
}
