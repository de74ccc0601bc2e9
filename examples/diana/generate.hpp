// Deterministic random parameters for the DIANA example networks, generated at compile time directly
// in every layout a unit reads: OHWI for the CPU, the digital accelerator's arrangement, the analog
// array's packed ternary form. Each weight is the s-th number of a per-layer linear congruential
// sequence (s = its index in the core's layout), so all layouts of a layer hold the same values.
//
// Why generated rather than read from files: the examples stand alone (no data files, no build-time
// tool, identical under a cross compiler). Why written this way (an LCG, plain arrays, one statement
// per weight, no calls in the loops): constant evaluation is slow, and Clang stops after 1,048,576
// steps per variable by default; the biggest layer has 81,920 weights.
#pragma once
#include <cstddef>
#include <cstdint>

#include <htvm/diana.hpp>

namespace diana_examples {

namespace layout = htvm::diana::layout;

inline constexpr std::uint32_t lcg_a = 1664525u, lcg_c = 1013904223u;
constexpr std::uint32_t start(std::uint32_t seed) { return seed * 2654435761u + 12345u; }
constexpr std::int8_t top_byte(std::uint32_t x) { return static_cast<std::int8_t>(x >> 24); }
constexpr int ternary_of(std::uint32_t x) { return static_cast<int>((x >> 16) % 3u) - 1; }

// A plain array in a struct: constant evaluation of std::array's operator[] costs a call each.
template <class T, int N>
struct table {
    T v[N > 0 ? N : 1];
    constexpr const T* data() const { return v; }
};

// A run-time generator with the same sequence (the example programs' input).
struct lcg {
    std::uint32_t state;
    constexpr explicit lcg(std::uint32_t seed) : state(start(seed)) {}
    constexpr std::int8_t int8() { return top_byte(state = state * lcg_a + lcg_c); }
};

// Weights of a conv2d (K, C, FY, FX), a depthwise conv (K == C channels) or a dense layer (FY = FX = 1).
template <layout::weight_kind Kind, int K, int C, int FY, int FX>
struct weight_shape {
    static constexpr layout::digital_weights digital{Kind, K, C, FY, FX};
    static constexpr int count = Kind == layout::weight_kind::depthwise ? C * FY * FX : K * C * FY * FX;
    // Arranged weights only for layers that fit the digital weight memory; bigger ones stay on the CPU.
    static constexpr bool fits_digital = layout::weight_memory_bytes(digital) <= htvm::diana::digital_weight_bytes;
    static constexpr int arranged_count = fits_digital ? layout::weight_bytes(digital) : 0;
};

template <class Shape>
constexpr table<std::int8_t, Shape::count> core_weights(std::uint32_t seed) {
    table<std::int8_t, Shape::count> w{};
    std::uint32_t x = start(seed);
    for (int s = 0; s < Shape::count; ++s) w.v[s] = top_byte(x = x * lcg_a + lcg_c);
    return w;
}

// The same values, placed where the digital accelerator reads them: layouts.hpp's digital_weight(),
// written out so that the loops make no calls (test_diana_layouts checks the two agree).
template <class Shape>
constexpr table<std::int8_t, Shape::arranged_count> arranged_weights(std::uint32_t seed) {
    table<std::int8_t, Shape::arranged_count> w{};
    if constexpr (Shape::arranged_count > 0) {
        constexpr layout::digital_weights d = Shape::digital;
        constexpr int P = htvm::diana::pe_rows;
        std::uint32_t x = start(seed);
        if constexpr (d.kind == layout::weight_kind::depthwise) {  // core order: HWC
            for (int fy = 0; fy < d.fy; ++fy)
                for (int fx = 0; fx < d.fx; ++fx)
                    for (int c = 0; c < d.c; ++c)
                        w.v[((((c / P) * d.fy + fy) * d.fx + fx) * P + c % P) ^ 3] = top_byte(x = x * lcg_a + lcg_c);
        } else {  // core order: OHWI
            for (int k = 0; k < d.k; ++k)
                for (int fy = 0; fy < d.fy; ++fy)
                    for (int fx = 0; fx < d.fx; ++fx)
                        for (int c = 0; c < d.c; ++c)
                            w.v[(((((k / P) * d.c + c) * d.fy + fy) * d.fx + fx) * P + k % P) ^ 3] = top_byte(x = x * lcg_a + lcg_c);
        }
    }
    return w;
}

// Ternary weights for the analog variant (their own sequence), packed in the array's layout. The
// array row of weight (k, fy, fx, c) is (fy * FX + fx) * C + c: its index inside filter k in OHWI,
// so the loop walks the sequence in order.
template <int K, int C, int FY, int FX>
constexpr auto analog_weights(std::uint32_t seed) {
    constexpr int rows = C * FY * FX, row_bytes = (K + 3) / 4;
    static_assert(rows * row_bytes == layout::packed_bytes(layout::analog_weights{K, C, FY, FX}));
    table<std::uint8_t, rows * row_bytes> packed{};
    std::uint32_t x = start(seed ^ 0xA5A5A5A5u);
    for (int k = 0; k < K; ++k)
        for (int row = 0; row < rows; ++row)
            packed.v[row * row_bytes + k / 4] |=
                static_cast<std::uint8_t>(layout::encode_ternary(ternary_of(x = x * lcg_a + lcg_c)) << (2 * (k % 4)));
    return packed;
}

template <int K>
constexpr table<std::int32_t, K> int32s(std::uint32_t seed, std::int32_t lo, std::int32_t hi) {
    table<std::int32_t, K> v{};
    std::uint32_t x = start(seed);
    for (int i = 0; i < K; ++i)
        v.v[i] = lo + static_cast<std::int32_t>(((x = x * lcg_a + lcg_c) >> 8) % static_cast<std::uint32_t>(hi - lo + 1));
    return v;
}

inline constexpr int shift = 4;  // DIANA requantization of every conv/dense layer (HTVM's examples)

// All parameters of one layer. Static members of a class template: generated once per program.
template <layout::weight_kind Kind, int K, int C, int FY, int FX, std::uint32_t Seed>
struct params {
    using shape = weight_shape<Kind, K, C, FY, FX>;
    static constexpr auto weights = core_weights<shape>(Seed);
    static constexpr auto arranged = arranged_weights<shape>(Seed);
    static constexpr auto bias = int32s<K>(Seed + 1, -1024, 1023);

    static constexpr htvm::weights_i8 core() { return {weights.data(), shape::count}; }
    static constexpr htvm::bias_i32 biases() { return {bias.data(), K}; }
    static constexpr htvm::weights_i8 arrangement() {
        return shape::arranged_count > 0 ? htvm::weights_i8{arranged.data(), shape::arranged_count} : htvm::weights_i8{};
    }
};

template <int K, int C, int FY, int FX, std::uint32_t Seed>
struct analog_params {
    static constexpr auto ternary = analog_weights<K, C, FY, FX>(Seed);
    static constexpr auto k = int32s<K>(Seed + 2, 8, 71);
    static constexpr auto l = int32s<K>(Seed + 3, -256, 255);

    static constexpr htvm::diana::analog_variant variant(bool relu) {
        constexpr int bytes = layout::packed_bytes(layout::analog_weights{K, C, FY, FX});
        return htvm::diana::analog_variant{htvm::diana::ternary_weights{ternary.data(), bytes, K * C * FY * FX}, k.data(),
                                           l.data(), shift, relu};
    }
};

// Builders that fill every field of a layer from its generated parameters.
template <int K, int C, int FY, int FX, std::uint32_t Seed>
constexpr htvm::conv2d conv(const char* name, htvm::from input, htvm::hw stride, htvm::padding pad, bool relu) {
    using p = params<layout::weight_kind::conv, K, C, FY, FX, Seed>;
    return htvm::conv2d{.name = name, .input = input, .filters = K, .kernel = {FY, FX}, .stride = stride, .padding = pad,
                        .weights = p::core(), .bias = p::biases(), .requant = htvm::shift_requant{.shift = shift, .relu = relu}};
}

template <int C, int FY, int FX, std::uint32_t Seed>
constexpr htvm::depthwise_conv2d depthwise(const char* name, htvm::hw stride, htvm::padding pad, bool relu) {
    using p = params<layout::weight_kind::depthwise, C, C, FY, FX, Seed>;
    return htvm::depthwise_conv2d{.name = name, .kernel = {FY, FX}, .stride = stride, .padding = pad, .weights = p::core(),
                                  .bias = p::biases(), .requant = htvm::shift_requant{.shift = shift, .relu = relu}};
}

template <int Units, int Features, std::uint32_t Seed>
constexpr htvm::dense dense(const char* name, bool relu) {
    using p = params<layout::weight_kind::dense, Units, Features, 1, 1, Seed>;
    return htvm::dense{.name = name, .units = Units, .weights = p::core(), .bias = p::biases(),
                       .requant = htvm::shift_requant{.shift = shift, .relu = relu}};
}

// The DIANA forms (htvm/diana/forms.hpp) of the same layers, from the same parameters: a conv2d's
// analog form and digital weights, a depthwise or dense layer's digital weights. Each example lists
// them beside its network with the same template arguments as the layer's builder.
template <int K, int C, int FY, int FX, std::uint32_t Seed>
constexpr htvm::diana::layer_form conv_form(const char* name, bool relu) {
    return {.layer = name,
            .analog = analog_params<K, C, FY, FX, Seed>::variant(relu),
            .digital_weights = params<layout::weight_kind::conv, K, C, FY, FX, Seed>::arrangement()};
}

template <int C, int FY, int FX, std::uint32_t Seed>
constexpr htvm::diana::layer_form depthwise_form(const char* name) {
    return {.layer = name, .digital_weights = params<layout::weight_kind::depthwise, C, C, FY, FX, Seed>::arrangement()};
}

template <int Units, int Features, std::uint32_t Seed>
constexpr htvm::diana::layer_form dense_form(const char* name) {
    return {.layer = name, .digital_weights = params<layout::weight_kind::dense, Units, Features, 1, 1, Seed>::arrangement()};
}

}  // namespace diana_examples
