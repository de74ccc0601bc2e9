// The DIANA data layouts (htvm/diana/layouts.hpp) against docs/diana.md: hand-computed positions,
// an independent decoder of the packed analog weights (tests/reference/diana_reference.hpp), and the
// examples' compile-time generator against the library's arrangement.
#include <doctest/doctest.h>

#include <htvm/diana.hpp>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "../../examples/diana/generate.hpp"
#include "reference/diana_reference.hpp"

namespace layout = htvm::diana::layout;

TEST_CASE("digital activations: CHW planes with the bytes of every word reversed") {
    // 0..7 -> 3 2 1 0 7 6 5 4
    const int expected[8] = {3, 2, 1, 0, 7, 6, 5, 4};
    for (int i = 0; i < 8; ++i) CHECK(layout::digital_vector(i) == expected[i]);
    // h=2, w=3, c=2: element (y=1, x=2, c=1) is CHW index (1*2 + 1)*3 + 2 = 11, word-swapped 8.
    CHECK(layout::digital_activation(htvm::shape{1, 2, 3, 2}, 1, 2, 1) == 8);
    // (y=0, x=0, c=1) is CHW 6 -> 5.
    CHECK(layout::digital_activation(htvm::shape{1, 2, 3, 2}, 0, 0, 1) == 5);
    // A bijection over any tensor with a multiple of 4 elements.
    const htvm::shape s{1, 5, 4, 3};
    std::set<int> seen;
    for (int y = 0; y < s.h; ++y)
        for (int x = 0; x < s.w; ++x)
            for (int c = 0; c < s.c; ++c) seen.insert(layout::digital_activation(s, y, x, c));
    CHECK(seen.size() == 60u);
    CHECK(*seen.begin() == 0);
    CHECK(*seen.rbegin() == 59);
}

TEST_CASE("digital weights: [K/16][C][FY][FX][16] with zero filters up to 16, words reversed") {
    const layout::digital_weights conv{layout::weight_kind::conv, 20, 3, 1, 1};
    CHECK(layout::weight_bytes(conv) == 32 * 3);
    // (k=17, c=2): block 1, lane 1 -> ((1*3 + 2)*16 + 1) = 81, word-swapped 82.
    CHECK(layout::digital_weight(conv, 17, 0, 0, 2) == 82);
    CHECK(layout::source_weight(conv, 17, 0, 0, 2) == 17 * 3 + 2);

    const layout::digital_weights dw{layout::weight_kind::depthwise, 20, 20, 3, 3};
    CHECK(layout::weight_bytes(dw) == 32 * 9);
    // (channel 18, fy=2, fx=1): block 1, lane 2 -> ((1*3 + 2)*3 + 1)*16 + 2 = 258, word-swapped 257.
    CHECK(layout::digital_weight(dw, 18, 2, 1, 18) == 257);
    CHECK(layout::source_weight(dw, 18, 2, 1, 18) == (2 * 3 + 1) * 20 + 18);

    const layout::digital_weights fc{layout::weight_kind::dense, 12, 64, 1, 1};
    CHECK(layout::weight_bytes(fc) == 16 * 64);
    CHECK(layout::bias_offset(fc) == 1024);
    CHECK(layout::weight_memory_bytes(fc) == 1024 + 4 * 16);
    // Odd sizes: weights end at 16*5*3*3 = 720, biases start at 720 (already a multiple of 4).
    CHECK(layout::bias_offset(layout::digital_weights{layout::weight_kind::conv, 9, 5, 3, 3}) == 720);
}

TEST_CASE("arrange_digital puts every OHWI weight where the documented formula says, zeros elsewhere") {
    constexpr int K = 20, C = 3, FY = 3, FX = 5;
    const layout::digital_weights w{layout::weight_kind::conv, K, C, FY, FX};
    std::vector<std::int8_t> ohwi(K * C * FY * FX);
    for (std::size_t i = 0; i < ohwi.size(); ++i) ohwi[i] = static_cast<std::int8_t>(1 + i % 120);  // never 0
    std::vector<std::int8_t> out(static_cast<std::size_t>(layout::weight_bytes(w)), 99);
    std::int8_t* p = out.data();
    layout::arrange_digital(w, ohwi.data(), p);
    int nonzero = 0;
    for (int k = 0; k < 32; ++k)
        for (int c = 0; c < C; ++c)
            for (int fy = 0; fy < FY; ++fy)
                for (int fx = 0; fx < FX; ++fx) {
                    const int index = ((((k / 16) * C + c) * FY + fy) * FX + fx) * 16 + k % 16;
                    const std::int8_t v = out[static_cast<std::size_t>(index ^ 3)];
                    if (k < K) {
                        CHECK(v == ohwi[static_cast<std::size_t>(((k * FY + fy) * FX + fx) * C + c)]);
                        ++nonzero;
                    } else {
                        CHECK(v == 0);
                    }
                }
    CHECK(nonzero == K * C * FY * FX);
}

TEST_CASE("the examples' generator writes the same arrangement as layouts.hpp") {
    using conv_shape = diana_examples::weight_shape<layout::weight_kind::conv, 20, 7, 3, 3>;
    constexpr auto core = diana_examples::core_weights<conv_shape>(7);
    constexpr auto arranged = diana_examples::arranged_weights<conv_shape>(7);
    std::vector<std::int8_t> expected(static_cast<std::size_t>(conv_shape::arranged_count));
    std::int8_t* p = expected.data();
    layout::arrange_digital(conv_shape::digital, core.data(), p);
    for (int i = 0; i < conv_shape::arranged_count; ++i) CHECK(arranged.v[i] == expected[static_cast<std::size_t>(i)]);

    using dw_shape = diana_examples::weight_shape<layout::weight_kind::depthwise, 24, 24, 3, 3>;
    constexpr auto dw_core = diana_examples::core_weights<dw_shape>(8);
    constexpr auto dw_arranged = diana_examples::arranged_weights<dw_shape>(8);
    std::vector<std::int8_t> dw_expected(static_cast<std::size_t>(dw_shape::arranged_count));
    std::int8_t* q = dw_expected.data();
    layout::arrange_digital(dw_shape::digital, dw_core.data(), q);
    for (int i = 0; i < dw_shape::arranged_count; ++i) CHECK(dw_arranged.v[i] == dw_expected[static_cast<std::size_t>(i)]);

    // Layers too big for the weight memory get no arrangement.
    using big = diana_examples::weight_shape<layout::weight_kind::dense, 128, 640, 1, 1>;
    static_assert(!big::fits_digital && big::arranged_count == 0);
}

TEST_CASE("ternary cells: bit 0 adds +1, bit 1 adds -1") {
    CHECK(layout::decode_ternary(0b00) == 0);
    CHECK(layout::decode_ternary(0b01) == 1);
    CHECK(layout::decode_ternary(0b10) == -1);
    CHECK(layout::decode_ternary(0b11) == 0);
    for (int w = -1; w <= 1; ++w) CHECK(layout::decode_ternary(layout::encode_ternary(w)) == w);
}

namespace {
constexpr int K = 6, C = 5, FY = 3, FX = 3;
constexpr std::array<std::int8_t, K * C * FY * FX> make_ternary() {
    std::array<std::int8_t, K * C * FY * FX> w{};
    for (int i = 0; i < K * C * FY * FX; ++i) w[static_cast<std::size_t>(i)] = static_cast<std::int8_t>((i * 7 + i / 5) % 3 - 1);
    return w;
}
constexpr auto ternary_ohwi = make_ternary();
}  // namespace

TEST_CASE("pack_ternary packs at compile time in the layout the independent decoder reads") {
    constexpr auto packed = htvm::diana::pack_ternary<K, C, FY, FX>(ternary_ohwi);
    static_assert(packed.size() == static_cast<std::size_t>(C * FY * FX * 2));  // ceil(6/4) = 2 bytes a row
    const diana_ref::matrix m = diana_ref::unpack_analog(packed.data(), K, C, FY, FX);
    for (int k = 0; k < K; ++k)
        for (int fy = 0; fy < FY; ++fy)
            for (int fx = 0; fx < FX; ++fx)
                for (int c = 0; c < C; ++c)
                    CHECK(m((fy * FX + fx) * C + c, k) == ternary_ohwi[((k * FY + fy) * FX + fx) * C + c]);

    // The examples' generator packs the same way: unpack it and compare with its own sequence.
    constexpr auto gen = diana_examples::analog_weights<K, C, FY, FX>(5);
    const diana_ref::matrix g = diana_ref::unpack_analog(gen.data(), K, C, FY, FX);
    std::uint32_t x = diana_examples::start(5u ^ 0xA5A5A5A5u);
    int counts[3] = {0, 0, 0};
    for (int k = 0; k < K; ++k)
        for (int row = 0; row < C * FY * FX; ++row) {
            x = x * diana_examples::lcg_a + diana_examples::lcg_c;
            const int expected = diana_examples::ternary_of(x);
            CHECK(g(row, k) == expected);
            ++counts[expected + 1];
        }
    CHECK(counts[0] > 0);  // all three values occur
    CHECK(counts[1] > 0);
    CHECK(counts[2] > 0);
}
