// The bit-exact DIANA simulators against the independent Eigen reference (tests/reference/
// diana_reference.hpp), on random geometries and data:
//  - job level: every job run untiled and as tiles (output rows x columns x 16-channel blocks, with
//    input halos and border-only padding), which is what the tiling work will issue;
//  - model level: small networks through htvm::model<net, htvm::diana::target<policy>>, i.e. the
//    SoC interface, the activation layout transforms and both weight-loading paths.
#include <doctest/doctest.h>

#include <htvm/diana.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "reference/diana_reference.hpp"
#include "reference/diana_network.hpp"

namespace layout = htvm::diana::layout;

namespace {

struct rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
    std::int8_t byte() { return static_cast<std::int8_t>(between(-128, 127)); }
};

int bit_width(int v) {
    int b = 0;
    while (v > 0) { ++b; v >>= 1; }
    return b;
}

// A shift that keeps most results inside int8 for a sum of `fan_in` int8 products.
int shift_for(int fan_in) { return 5 + bit_width(fan_in) / 2; }

diana_ref::requant random_requant(rng& r, int fan_in) {
    diana_ref::requant q{shift_for(fan_in), r.between(0, 1) == 1, -128, 127};
    if (r.between(0, 3) == 0) { q.lo = r.between(-100, -1); q.hi = r.between(1, 100); }
    return q;
}
htvm::shift_requant to_core(const diana_ref::requant& q) {
    return {q.shift, q.relu, static_cast<std::int32_t>(q.lo), static_cast<std::int32_t>(q.hi)};
}

int count_distinct(const std::vector<std::int8_t>& v) {
    std::vector<std::int8_t> s = v;
    std::sort(s.begin(), s.end());
    return static_cast<int>(std::unique(s.begin(), s.end()) - s.begin());
}

std::vector<std::int8_t> l1(htvm::diana::l1_bytes);
std::vector<std::int8_t> weight_memory(htvm::diana::digital_weight_bytes);

// Splits [0, n) into `parts` ranges (the last absorbs the rest).
std::vector<std::pair<int, int>> split(int n, int parts) {
    std::vector<std::pair<int, int>> out;
    const int step = std::max(1, n / parts);
    for (int b = 0; b < n; b += step) out.push_back({b, (b + step >= n || static_cast<int>(out.size()) + 1 == parts) ? n : b + step});
    if (!out.empty()) out.back().second = n;
    out.erase(std::unique(out.begin(), out.end()), out.end());
    while (out.size() > 1 && out.back().first >= n) out.pop_back();
    return out;
}

// The input window (with halo) an output range needs, and the padding left before it.
struct window {
    int begin = 0, end = 0, pad_before = 0;
};
window input_window(int out_begin, int out_end, int stride, int pad, int kernel, int in_size) {
    const int first = out_begin * stride - pad;
    const int last = (out_end - 1) * stride - pad + kernel;  // one past
    window w{std::max(0, first), std::min(in_size, last), 0};
    w.pad_before = w.begin - first;
    return w;
}

struct conv_case {
    int h, w, c, k, kh, kw, stride, pad_h, pad_w;
    bool depthwise;
};

conv_case random_conv(rng& r, bool depthwise) {
    const int sizes[4] = {1, 3, 5, 7};
    conv_case cc{};
    cc.depthwise = depthwise;
    cc.kh = sizes[r.between(0, 3)];
    cc.kw = sizes[r.between(0, 3)];
    cc.stride = r.between(1, 2);
    cc.pad_h = r.between(0, cc.kh / 2);
    cc.pad_w = r.between(0, cc.kw / 2);
    cc.h = r.between(std::max(1, cc.kh - 2 * cc.pad_h), 13);
    cc.w = r.between(std::max(1, cc.kw - 2 * cc.pad_w), 21);
    cc.c = r.between(1, depthwise ? 40 : 24);
    cc.k = depthwise ? cc.c : r.between(1, 40);
    return cc;
}

}  // namespace

TEST_CASE("digital conv2d and depthwise jobs match the reference, untiled and tiled") {
    rng r{11};
    int cases = 0, interesting = 0;
    for (int n = 0; n < 120; ++n) {
        const bool depthwise = n % 3 == 2;
        const conv_case cc = random_conv(r, depthwise);
        diana_ref::conv_geometry g{cc.kh, cc.kw, cc.stride, cc.stride, cc.pad_h, cc.pad_w, 0, 0};
        g.out_h = (cc.h + 2 * cc.pad_h - cc.kh) / cc.stride + 1;
        g.out_w = (cc.w + 2 * cc.pad_w - cc.kw) / cc.stride + 1;
        diana_ref::tensor in{cc.h, cc.w, cc.c, std::vector<std::int8_t>(static_cast<std::size_t>(cc.h * cc.w * cc.c))};
        for (auto& x : in.data) x = r.byte();
        const int weight_count = depthwise ? cc.kh * cc.kw * cc.c : cc.k * cc.kh * cc.kw * cc.c;
        std::vector<std::int8_t> w(static_cast<std::size_t>(weight_count));
        for (auto& x : w) x = r.byte();
        std::vector<std::int32_t> bias(static_cast<std::size_t>(cc.k));
        for (auto& b : bias) b = r.between(-5000, 5000);
        const diana_ref::requant q = random_requant(r, depthwise ? cc.kh * cc.kw : cc.kh * cc.kw * cc.c);
        const diana_ref::tensor expected = depthwise ? diana_ref::depthwise_digital(in, g, w.data(), bias.data(), q)
                                                     : diana_ref::conv_digital(in, g, w.data(), bias.data(), cc.k, q);

        // The whole layer's weights in the digital layout; a 16-channel block slice is contiguous.
        const layout::digital_weights full{depthwise ? layout::weight_kind::depthwise : layout::weight_kind::conv, cc.k,
                                           cc.c, cc.kh, cc.kw};
        std::vector<std::int8_t> arranged(static_cast<std::size_t>(layout::weight_bytes(full)));
        std::int8_t* arranged_ptr = arranged.data();
        layout::arrange_digital(full, w.data(), arranged_ptr);
        const int block_bytes = layout::weight_bytes(full) / layout::ceil_div(cc.k, 16);

        for (int tiling = 0; tiling < 2; ++tiling) {
            const auto rows = split(g.out_h, tiling == 0 ? 1 : 2);
            const auto cols = split(g.out_w, tiling == 0 ? 1 : 3);
            std::vector<std::pair<int, int>> channels;
            for (int k0 = 0; k0 < cc.k; k0 += tiling == 0 ? cc.k : 16) channels.push_back({k0, std::min(cc.k, k0 + (tiling == 0 ? cc.k : 16))});
            std::vector<std::int8_t> out(expected.data.size(), 0);
            for (auto [k0, k1] : channels) {
                const int tile_k = k1 - k0;
                const int blocks = layout::ceil_div(tile_k, 16);
                std::memcpy(weight_memory.data(), arranged.data() + (k0 / 16) * block_bytes, static_cast<std::size_t>(blocks * block_bytes));
                const int bias_at = layout::round_up(blocks * block_bytes, 4);
                std::memcpy(weight_memory.data() + bias_at, bias.data() + k0, static_cast<std::size_t>(4 * tile_k));
                for (auto [oy0, oy1] : rows)
                    for (auto [ox0, ox1] : cols) {
                        const window wy = input_window(oy0, oy1, cc.stride, cc.pad_h, cc.kh, cc.h);
                        const window wx = input_window(ox0, ox1, cc.stride, cc.pad_w, cc.kw, cc.w);
                        const int c0 = depthwise ? k0 : 0, tile_c = depthwise ? tile_k : cc.c;
                        const htvm::shape tin{1, wy.end - wy.begin, wx.end - wx.begin, tile_c};
                        const htvm::shape tout{1, oy1 - oy0, ox1 - ox0, tile_k};
                        for (int y = 0; y < tin.h; ++y)
                            for (int x = 0; x < tin.w; ++x)
                                for (int c = 0; c < tin.c; ++c)
                                    l1[static_cast<std::size_t>(layout::digital_activation(tin, y, x, c))] = in.at(wy.begin + y, wx.begin + x, c0 + c);
                        htvm::diana::digital::conv_job job{};
                        job.input = 0;
                        job.output = layout::round_up(tin.elements(), 4);
                        job.in = tin;
                        job.out = tout;
                        job.kernel = {cc.kh, cc.kw};
                        job.stride = {cc.stride, cc.stride};
                        job.pad_top = wy.pad_before;
                        job.pad_left = wx.pad_before;
                        job.depthwise = depthwise;
                        job.weights = 0;
                        job.bias = bias_at;
                        job.rq = to_core(q);
                        htvm::diana::digital::run_conv(job, l1.data(), weight_memory.data());
                        for (int y = 0; y < tout.h; ++y)
                            for (int x = 0; x < tout.w; ++x)
                                for (int k = 0; k < tile_k; ++k)
                                    out[static_cast<std::size_t>(((oy0 + y) * g.out_w + ox0 + x) * cc.k + k0 + k)] =
                                        l1[static_cast<std::size_t>(job.output + layout::digital_activation(tout, y, x, k))];
                    }
            }
            CAPTURE(n);
            CAPTURE(tiling);
            CHECK(out == expected.data);
        }
        ++cases;
        interesting += count_distinct(expected.data) > 8 ? 1 : 0;
    }
    CHECK(cases == 120);
    CHECK(interesting > 60);  // the data exercises the arithmetic, not just saturation
}

TEST_CASE("digital dense and add jobs match the reference, dense also in 16-unit tiles") {
    rng r{12};
    for (int n = 0; n < 60; ++n) {
        const int features = r.between(1, 300), units = r.between(1, 70);
        diana_ref::tensor in{1, 1, features, std::vector<std::int8_t>(static_cast<std::size_t>(features))};
        for (auto& x : in.data) x = r.byte();
        std::vector<std::int8_t> w(static_cast<std::size_t>(features * units));
        for (auto& x : w) x = r.byte();
        std::vector<std::int32_t> bias(static_cast<std::size_t>(units));
        for (auto& b : bias) b = r.between(-5000, 5000);
        const diana_ref::requant q = random_requant(r, features);
        const diana_ref::tensor expected = diana_ref::dense_digital(in, w.data(), bias.data(), units, q);

        const layout::digital_weights full{layout::weight_kind::dense, units, features, 1, 1};
        std::vector<std::int8_t> arranged(static_cast<std::size_t>(layout::weight_bytes(full)));
        std::int8_t* arranged_ptr = arranged.data();
        layout::arrange_digital(full, w.data(), arranged_ptr);
        for (int i = 0; i < features; ++i) l1[static_cast<std::size_t>(layout::digital_vector(i))] = in.data[static_cast<std::size_t>(i)];
        std::vector<std::int8_t> out(static_cast<std::size_t>(units));
        for (int u0 = 0; u0 < units; u0 += 16) {
            const int tile = std::min(16, units - u0);
            std::memcpy(weight_memory.data(), arranged.data() + u0 * features, static_cast<std::size_t>(16 * features));
            std::memcpy(weight_memory.data() + layout::round_up(16 * features, 4), bias.data() + u0, static_cast<std::size_t>(4 * tile));
            htvm::diana::digital::dense_job job{0, 4096, features, tile, 0, layout::round_up(16 * features, 4), to_core(q)};
            htvm::diana::digital::run_dense(job, l1.data(), weight_memory.data());
            for (int u = 0; u < tile; ++u) out[static_cast<std::size_t>(u0 + u)] = l1[static_cast<std::size_t>(4096 + layout::digital_vector(u))];
        }
        CAPTURE(n);
        CHECK(out == expected.data);
    }
    for (int n = 0; n < 40; ++n) {
        const int count = 4 * r.between(1, 500);
        diana_ref::tensor a{1, 1, count, std::vector<std::int8_t>(static_cast<std::size_t>(count))}, b = a;
        for (auto& x : a.data) x = r.byte();
        for (auto& x : b.data) x = r.byte();
        diana_ref::requant q{r.between(0, 2), r.between(0, 1) == 1, -128, 127};
        const diana_ref::tensor expected = diana_ref::add_digital(a, b, q);
        std::memcpy(l1.data(), a.data.data(), static_cast<std::size_t>(count));
        std::memcpy(l1.data() + count, b.data.data(), static_cast<std::size_t>(count));
        htvm::diana::digital::run_add({0, count, 2 * count, count, to_core(q)}, l1.data());
        CHECK(std::equal(expected.data.begin(), expected.data.end(), l1.begin() + 2 * count));
    }
}

TEST_CASE("analog conv2d jobs match the reference: 7-bit inputs, ternary array, ADC clip, batch norm; untiled and tiled") {
    std::vector<std::uint8_t> cells(htvm::diana::analog_weight_bytes);
    std::vector<std::int32_t> array_k(htvm::diana::analog_columns), array_l(htvm::diana::analog_columns);
    const htvm::diana::analog::array_state array{cells.data(), array_k.data(), array_l.data()};
    rng r{13};
    int unclipped_adc = 0, clipped_adc = 0;
    for (int n = 0; n < 80; ++n) {
        conv_case cc = random_conv(r, false);
        if (n % 4 == 0) { cc.c = r.between(1, 3); cc.kh = cc.kw = 1; cc.pad_h = cc.pad_w = 0; }  // small sums: ADC in range
        diana_ref::conv_geometry g{cc.kh, cc.kw, cc.stride, cc.stride, cc.pad_h, cc.pad_w, 0, 0};
        g.out_h = (cc.h + 2 * cc.pad_h - cc.kh) / cc.stride + 1;
        g.out_w = (cc.w + 2 * cc.pad_w - cc.kw) / cc.stride + 1;
        diana_ref::tensor in{cc.h, cc.w, cc.c, std::vector<std::int8_t>(static_cast<std::size_t>(cc.h * cc.w * cc.c))};
        for (auto& x : in.data) x = r.byte();  // the full int8 range: the DAC must saturate
        std::vector<std::int8_t> w(static_cast<std::size_t>(cc.k * cc.kh * cc.kw * cc.c));
        for (auto& x : w) x = static_cast<std::int8_t>(r.between(-1, 1));
        std::vector<std::int32_t> k(static_cast<std::size_t>(cc.k)), l(static_cast<std::size_t>(cc.k));
        for (auto& v : k) v = r.between(-40, 40);
        for (auto& v : l) v = r.between(-600, 600);
        const diana_ref::requant q{r.between(0, 5), r.between(0, 1) == 1, -128, 127};
        // Reference: the ternary weights as an ordinary OHWI matrix (no packing involved).
        const diana_ref::tensor expected = diana_ref::conv_analog(in, g, diana_ref::ohwi_matrix(w.data(), cc.k, cc.c, cc.kh, cc.kw),
                                                                  k.data(), l.data(), q);
        {
            const diana_ref::matrix sums = diana_ref::patches(in, g, -63, 63) * diana_ref::ohwi_matrix(w.data(), cc.k, cc.c, cc.kh, cc.kw);
            for (Eigen::Index i = 0; i < sums.size(); ++i) (sums.data()[i] < -32 || sums.data()[i] > 31 ? clipped_adc : unclipped_adc)++;
        }

        const layout::analog_weights shape{cc.k, cc.c, cc.kh, cc.kw};
        std::vector<std::uint8_t> packed(static_cast<std::size_t>(layout::packed_bytes(shape)));
        layout::pack_ternary_values(shape, [&](int kk, int fy, int fx, int c) { return w[static_cast<std::size_t>(((kk * cc.kh + fy) * cc.kw + fx) * cc.c + c)]; }, packed);

        for (int tiling = 0; tiling < 2; ++tiling) {
            std::fill(cells.begin(), cells.end(), std::uint8_t{0xFF});  // stale cells must not leak in
            const int first_column = tiling == 0 ? 0 : r.between(0, htvm::diana::analog_columns - cc.k);
            htvm::diana::analog::load(array, shape, packed.data(), k.data(), l.data(), first_column);
            const auto rows = split(g.out_h, tiling == 0 ? 1 : 3);
            const auto cols = split(g.out_w, tiling == 0 ? 1 : 2);
            std::vector<std::pair<int, int>> channels{{0, cc.k}};
            if (tiling == 1 && cc.k > 1) channels = {{0, cc.k / 2}, {cc.k / 2, cc.k}};
            std::vector<std::int8_t> out(expected.data.size(), 0);
            for (auto [k0, k1] : channels)
                for (auto [oy0, oy1] : rows)
                    for (auto [ox0, ox1] : cols) {
                        const window wy = input_window(oy0, oy1, cc.stride, cc.pad_h, cc.kh, cc.h);
                        const window wx = input_window(ox0, ox1, cc.stride, cc.pad_w, cc.kw, cc.w);
                        const htvm::shape tin{1, wy.end - wy.begin, wx.end - wx.begin, cc.c};
                        const htvm::shape tout{1, oy1 - oy0, ox1 - ox0, k1 - k0};
                        for (int y = 0; y < tin.h; ++y)
                            for (int x = 0; x < tin.w; ++x)
                                for (int c = 0; c < tin.c; ++c)
                                    l1[static_cast<std::size_t>(layout::hwc(tin, y, x, c))] = in.at(wy.begin + y, wx.begin + x, c);
                        htvm::diana::analog::conv_job job{};
                        job.input = 0;
                        job.output = layout::round_up(tin.elements(), 4);
                        job.in = tin;
                        job.out = tout;
                        job.kernel = {cc.kh, cc.kw};
                        job.stride = {cc.stride, cc.stride};
                        job.pad_top = wy.pad_before;
                        job.pad_left = wx.pad_before;
                        job.first_column = first_column + k0;
                        job.shift = q.shift;
                        job.relu = q.relu;
                        htvm::diana::analog::run_conv(job, l1.data(), array);
                        for (int y = 0; y < tout.h; ++y)
                            for (int x = 0; x < tout.w; ++x)
                                for (int kk = 0; kk < tout.c; ++kk)
                                    out[static_cast<std::size_t>(((oy0 + y) * g.out_w + ox0 + x) * cc.k + k0 + kk)] =
                                        l1[static_cast<std::size_t>(job.output + layout::hwc(tout, y, x, kk))];
                    }
            CAPTURE(n);
            CAPTURE(tiling);
            CHECK(out == expected.data);
        }
    }
    CHECK(unclipped_adc > 1000);  // both sides of the ADC clip were exercised
    CHECK(clipped_adc > 1000);
}

// ---- whole small networks through the target ------------------------------------------------

namespace small {

constexpr int H = 6, W = 8, C = 5, K = 20, UNITS = 12;
std::int8_t conv_w[K * 3 * 3 * C], conv_arranged[32 * C * 9];
std::int32_t conv_b[K];
std::uint8_t conv_ternary[C * 9 * 5];  // ceil(20/4) = 5 bytes a row
std::int32_t conv_k[K], conv_l[K];
std::int8_t dw_w[3 * 3 * K], dw_arranged[32 * 9];
std::int32_t dw_b[K];
std::int8_t pw_w[K * K], pw_arranged[32 * K];
std::int32_t pw_b[K];
std::uint8_t pw_ternary[K * 5];
std::int32_t pw_k[K], pw_l[K];
std::int8_t fc_w[UNITS * H * W * K], fc_arranged[16 * H * W * K];
std::int32_t fc_b[UNITS];

constexpr htvm::shift_requant rq(int shift, bool relu) { return {.shift = shift, .relu = relu}; }

inline constexpr htvm::network net{
    htvm::input{.name = "in", .shape = {1, H, W, C}},
    htvm::conv2d{.name = "conv", .filters = K, .kernel = {3, 3}, .padding = htvm::same, .weights = conv_w, .bias = conv_b,
                 .requant = rq(9, true)},
    htvm::depthwise_conv2d{.name = "dw", .kernel = {3, 3}, .padding = htvm::pads(1, 1, 1, 1), .weights = dw_w, .bias = dw_b, .requant = rq(7, false)},
    htvm::conv2d{.name = "pw", .filters = K, .weights = pw_w, .bias = pw_b, .requant = rq(9, false)},
    htvm::add{.name = "res", .lhs = "conv", .rhs = "pw", .requant = {.shift = 1}},
    htvm::flatten{.name = "flat"},
    htvm::dense{.name = "fc", .units = UNITS, .weights = fc_w, .bias = fc_b, .requant = rq(11, false)},
};

// Its DIANA forms: the analog forms of both conv2d, digital weights arranged at load time.
inline constexpr htvm::diana::layer_form forms[] = {
    {.layer = "conv", .analog = {.weights = {conv_ternary, C * 9 * K}, .scale = conv_k, .offset = conv_l, .shift = 3, .relu = true}},
    {.layer = "pw", .analog = {.weights = {pw_ternary, K * K}, .scale = pw_k, .offset = pw_l, .shift = 2}},
};

// The same forms with every digital weight arranged at build time.
inline constexpr htvm::diana::layer_form arranged_forms[] = {
    {.layer = "conv",
     .analog = {.weights = {conv_ternary, C * 9 * K}, .scale = conv_k, .offset = conv_l, .shift = 3, .relu = true},
     .digital_weights = conv_arranged},
    {.layer = "dw", .digital_weights = dw_arranged},
    {.layer = "pw", .analog = {.weights = {pw_ternary, K * K}, .scale = pw_k, .offset = pw_l, .shift = 2}, .digital_weights = pw_arranged},
    {.layer = "fc", .digital_weights = fc_arranged},
};

void fill(rng& r) {
    for (auto& x : conv_w) x = r.byte();
    for (auto& x : dw_w) x = r.byte();
    for (auto& x : pw_w) x = r.byte();
    for (auto& x : fc_w) x = r.byte();
    for (auto* b : {&conv_b, &dw_b, &pw_b})
        for (auto& x : *b) x = r.between(-3000, 3000);
    for (auto& x : fc_b) x = r.between(-3000, 3000);
    for (auto* v : {&conv_k, &pw_k})
        for (auto& x : *v) x = r.between(1, 30);
    for (auto* v : {&conv_l, &pw_l})
        for (auto& x : *v) x = r.between(-200, 200);
    std::vector<std::int8_t> t(K * 9 * C);
    for (auto& x : t) x = static_cast<std::int8_t>(r.between(-1, 1));
    layout::pack_ternary_values(layout::analog_weights{K, C, 3, 3}, [&](int k, int fy, int fx, int c) { return t[static_cast<std::size_t>(((k * 3 + fy) * 3 + fx) * C + c)]; }, conv_ternary);
    for (auto& x : t) x = static_cast<std::int8_t>(r.between(-1, 1));
    layout::pack_ternary_values(layout::analog_weights{K, K, 1, 1}, [&](int k, int, int, int c) { return t[static_cast<std::size_t>(k * K + c)]; }, pw_ternary);
    std::int8_t* p = conv_arranged;
    layout::arrange_digital({layout::weight_kind::conv, K, C, 3, 3}, conv_w, p);
    p = dw_arranged;
    layout::arrange_digital({layout::weight_kind::depthwise, K, K, 3, 3}, dw_w, p);
    p = pw_arranged;
    layout::arrange_digital({layout::weight_kind::conv, K, K, 1, 1}, pw_w, p);
    p = fc_arranged;
    layout::arrange_digital({layout::weight_kind::dense, UNITS, H * W * K, 1, 1}, fc_w, p);
}

struct capture {
    std::vector<std::vector<std::int8_t>> outputs = std::vector<std::vector<std::int8_t>>(7);
    void before_layer(std::size_t, const htvm::layer_info&) {}
    void after_layer(std::size_t i, const htvm::layer_info&, const std::int8_t* out, const htvm::shape& s) {
        outputs[i].assign(out, out + s.elements());
    }
};

template <const auto& forms, class Policy>
void check_against_reference(const std::vector<std::int8_t>& input) {
    using model = htvm::model<net, htvm::diana::target<Policy, forms>>;
    constexpr auto& plan = htvm::diana::plan_of<net, Policy, forms>;
    capture seen;
    std::vector<std::int8_t> out(static_cast<std::size_t>(model::output_bytes));
    model::run(input.data(), out.data(), seen);
    const auto expected = diana_ref::run(
        net, input,
        [&](std::size_t i) {
            return plan.layer[i].target == htvm::diana::unit::analog ? diana_ref::arithmetic::analog : diana_ref::arithmetic::digital;
        },
        htvm::diana::view_of(forms));
    for (std::size_t i = 1; i < 7; ++i) {
        CAPTURE(Policy::name);
        CAPTURE(i);
        CHECK(seen.outputs[i] == expected[i].data);
    }
    CHECK(out == expected[6].data);
}

}  // namespace small

TEST_CASE("small networks through the DIANA target match the reference in every policy") {
    using namespace htvm::diana;
    // Where each policy puts the layers (in, conv, dw, pw, res, flat, fc).
    constexpr auto& d = plan_of<small::net, policy::digital, small::forms>;
    static_assert(d.layer[1].target == unit::digital && d.layer[2].target == unit::digital && d.layer[3].target == unit::digital &&
                  d.layer[4].target == unit::digital && d.layer[6].target == unit::digital);
    constexpr auto& a = plan_of<small::net, policy::analog, small::forms>;
    static_assert(a.layer[1].target == unit::analog && a.layer[2].target == unit::cpu && a.layer[3].target == unit::analog &&
                  a.layer[4].target == unit::cpu && a.layer[6].target == unit::cpu);
    constexpr auto& m = plan_of<small::net, policy::mixed, small::forms>;
    static_assert(m.layer[1].target == unit::digital && m.layer[2].target == unit::digital && m.layer[3].target == unit::analog &&
                  m.layer[4].target == unit::digital && m.layer[6].target == unit::digital);

    rng r{14};
    for (int round = 0; round < 5; ++round) {
        small::fill(r);
        std::vector<std::int8_t> input(static_cast<std::size_t>(small::H * small::W * small::C));
        for (auto& x : input) x = r.byte();
        small::check_against_reference<small::forms, policy::cpu_only>(input);
        small::check_against_reference<small::forms, policy::digital>(input);
        small::check_against_reference<small::forms, policy::analog>(input);
        small::check_against_reference<small::forms, policy::mixed>(input);
        small::check_against_reference<small::arranged_forms, policy::digital>(input);
        small::check_against_reference<small::arranged_forms, policy::mixed>(input);
    }
}

TEST_CASE("the modeled layout work drops when weights come arranged at build time") {
    using namespace htvm::diana;
    constexpr auto& loaded = dispatch_table_of<small::net, policy::digital, small::forms>;
    constexpr auto& arranged = dispatch_table_of<small::net, policy::digital, small::arranged_forms>;
    static_assert(loaded.layer[1].cycles.layout > arranged.layer[1].cycles.layout);
    static_assert(loaded.layer[1].cycles.full == arranged.layer[1].cycles.full);
    CHECK(loaded.total.layout - arranged.total.layout ==
          3 * (layout::weight_memory_bytes({layout::weight_kind::conv, 20, 5, 3, 3}) +
               layout::weight_memory_bytes({layout::weight_kind::depthwise, 20, 20, 3, 3}) +
               layout::weight_memory_bytes({layout::weight_kind::conv, 20, 20, 1, 1}) +
               layout::weight_memory_bytes({layout::weight_kind::dense, 12, 960, 1, 1})));
}
