// Host check: the fast kernels of include/htvm/kernels against the frozen plain kernels
// (reference_kernels.hpp) on random geometries, random data and random requantization, including
// the edge cases of the arithmetic (multiplier INT32_MIN, shifts -31..+8, zero multipliers, clamps).
// Both the run-time geometry instance and compile-time (fixed_window) instances are checked.
// Usage: check_bitexact [cases]   (exit status 1 and the first mismatch on failure)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <htvm/kernels/conv2d.hpp>
#include <htvm/kernels/dense.hpp>
#include <htvm/kernels/depthwise_conv2d.hpp>
#include <htvm/kernels/elementwise.hpp>
#include <htvm/kernels/pool.hpp>

#include "reference_kernels.hpp"

namespace {

struct rng {
    std::uint64_t s;
    std::uint32_t next() {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(s >> 32);
    }
    int uniform(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint32_t>(hi - lo + 1)); }
    bool chance(int percent) { return uniform(0, 99) < percent; }
};

int failures = 0;

bool same(const char* what, int case_id, const std::vector<std::int8_t>& got, const std::vector<std::int8_t>& want) {
    for (std::size_t i = 0; i < got.size(); ++i)
        if (got[i] != want[i]) {
            std::printf("MISMATCH %s case %d at %zu: got %d want %d\n", what, case_id, i, got[i], want[i]);
            ++failures;
            return false;
        }
    return true;
}

// Requantization parameters with their storage.
struct random_requant {
    std::vector<std::int32_t> multipliers, shifts;
    htvm::requant rq;

    random_requant(rng& r, int channels, bool allow_per_channel = true) {
        const int kind = r.uniform(0, 9);
        auto multiplier = [&] {
            const int pick = r.uniform(0, 19);
            if (pick == 0) return std::int32_t{0};
            if (pick == 1) return std::int32_t{INT32_MIN};
            if (pick == 2) return static_cast<std::int32_t>(r.next());
            return static_cast<std::int32_t>((1u << 30) + (r.next() >> 2));
        };
        auto shift = [&] { return r.chance(10) ? r.uniform(0, 8) : r.uniform(-31, 0); };
        if (kind <= 1) {
            htvm::shift_requant d{};
            d.shift = r.uniform(0, 31);
            d.relu = r.chance(50);
            d.clip_min = r.uniform(-128, 0);
            d.clip_max = r.uniform(0, 127);
            rq = d;
        } else if (kind == 2) {
            rq = htvm::requant{};  // kind none: apply() uses the tflite defaults
        } else {
            htvm::tflite_requant t{};
            t.input_zero_point = r.uniform(-128, 127);
            t.output_zero_point = r.uniform(-128, 127);
            t.act_min = r.uniform(-128, 20);
            t.act_max = r.uniform(t.act_min, 127);
            t.multiplier = multiplier();
            t.shift = shift();
            if (allow_per_channel && r.chance(70)) {
                for (int c = 0; c < channels; ++c) {
                    multipliers.push_back(multiplier());
                    shifts.push_back(shift());
                }
                t.multipliers = multipliers.data();
                t.shifts = shifts.data();
            }
            rq = t;
        }
    }
    random_requant(const random_requant&) = delete;
};

std::vector<std::int8_t> random_bytes(rng& r, int n, int range = 127) {
    std::vector<std::int8_t> v(static_cast<std::size_t>(n));
    const bool narrow = r.chance(20);  // sometimes near the zero point, sometimes full range
    for (auto& x : v) x = static_cast<std::int8_t>(narrow ? r.uniform(-8, 8) : r.uniform(-128, range));
    return v;
}

std::vector<std::int32_t> random_bias(rng& r, int n) {
    std::vector<std::int32_t> v(static_cast<std::size_t>(n));
    const int scale = r.chance(10) ? (1 << 24) : 4096;
    for (auto& x : v) x = r.uniform(-scale, scale);
    return v;
}

htvm::cpu::window_geometry random_window(rng& r, bool depthwise) {
    htvm::cpu::window_geometry g{};
    g.kernel = {r.uniform(1, 5), r.uniform(1, 5)};
    if (r.chance(40)) g.kernel = {3, 3};
    if (!depthwise && r.chance(20)) g.kernel = {1, 1};
    g.stride = {r.uniform(1, 3), r.uniform(1, 3)};
    if (r.chance(40)) g.stride = {1, 1};
    const int c = depthwise ? r.uniform(1, 24) : r.uniform(1, 20);
    g.in = {1, r.uniform(1, 14), r.uniform(1, 14), c};
    if (r.chance(10)) g.in.w = r.uniform(20, 40);
    g.out.c = depthwise ? c : r.uniform(1, 13);
    const bool pad = r.chance(60);
    const int pad_h = pad ? r.uniform(0, g.kernel.h) : 0, pad_w = pad ? r.uniform(0, g.kernel.w) : 0;
    g.pad_top = pad ? r.uniform(0, pad_h) : 0;
    g.pad_left = pad ? r.uniform(0, pad_w) : 0;
    const int eff_h = g.in.h + pad_h - g.kernel.h, eff_w = g.in.w + pad_w - g.kernel.w;
    g.out.h = eff_h >= 0 ? eff_h / g.stride.h + 1 : 0;
    g.out.w = eff_w >= 0 ? eff_w / g.stride.w + 1 : 0;
    return g;
}

void check_conv(rng& r, int id) {
    htvm::cpu::window_geometry g = random_window(r, false);
    if (g.out.h <= 0 || g.out.w <= 0) return;
    const auto in = random_bytes(r, g.in.elements());
    const auto w = random_bytes(r, g.out.c * g.kernel.h * g.kernel.w * g.in.c);
    const auto b = random_bias(r, g.out.c);
    random_requant q(r, g.out.c);
    const std::int32_t* bias = r.chance(10) ? nullptr : b.data();
    std::vector<std::int8_t> got(static_cast<std::size_t>(g.out.elements())), want(got.size());
    reference::conv2d(g, in.data(), w.data(), bias, q.rq, want.data());
    htvm::cpu::conv2d(g, in.data(), w.data(), bias, q.rq, got.data());
    if (!same("conv2d", id, got, want))
        std::printf("  in %dx%dx%d out %dx%dx%d k %dx%d s %dx%d pad %d,%d\n", g.in.h, g.in.w, g.in.c, g.out.h,
                    g.out.w, g.out.c, g.kernel.h, g.kernel.w, g.stride.h, g.stride.w, g.pad_top, g.pad_left);
}

void check_depthwise(rng& r, int id) {
    htvm::cpu::window_geometry g = random_window(r, true);
    if (g.out.h <= 0 || g.out.w <= 0) return;
    const auto in = random_bytes(r, g.in.elements());
    const auto w = random_bytes(r, g.kernel.h * g.kernel.w * g.in.c);
    const auto b = random_bias(r, g.in.c);
    random_requant q(r, g.in.c);
    const std::int32_t* bias = r.chance(10) ? nullptr : b.data();
    std::vector<std::int8_t> got(static_cast<std::size_t>(g.out.elements())), want(got.size());
    reference::depthwise_conv2d(g, in.data(), w.data(), bias, q.rq, want.data());
    htvm::cpu::depthwise_conv2d(g, in.data(), w.data(), bias, q.rq, got.data());
    if (!same("depthwise_conv2d", id, got, want))
        std::printf("  in %dx%dx%d out %dx%d k %dx%d s %dx%d pad %d,%d\n", g.in.h, g.in.w, g.in.c, g.out.h, g.out.w,
                    g.kernel.h, g.kernel.w, g.stride.h, g.stride.w, g.pad_top, g.pad_left);
}

void check_dense(rng& r, int id) {
    const int features = r.chance(20) ? r.uniform(100, 700) : r.uniform(1, 70), units = r.uniform(1, 30);
    const auto in = random_bytes(r, features);
    const auto w = random_bytes(r, features * units);
    const auto b = random_bias(r, units);
    random_requant q(r, units);
    const std::int32_t* bias = r.chance(10) ? nullptr : b.data();
    std::vector<std::int8_t> got(static_cast<std::size_t>(units)), want(got.size());
    reference::dense(features, units, in.data(), w.data(), bias, q.rq, want.data());
    htvm::cpu::dense(features, units, in.data(), w.data(), bias, q.rq, got.data());
    if (!same("dense", id, got, want)) std::printf("  features %d units %d\n", features, units);
}

void check_pool(rng& r, int id) {
    htvm::cpu::window_geometry g = random_window(r, true);
    if (g.out.h <= 0 || g.out.w <= 0) return;
    const auto in = random_bytes(r, g.in.elements());
    const int lo = r.uniform(-128, 0), hi = r.uniform(0, 127);
    std::vector<std::int8_t> got(static_cast<std::size_t>(g.out.elements())), want(got.size());
    // A window entirely in the padding has no elements: the plain kernel divides by zero. Skip.
    for (int oy = 0; oy < g.out.h; ++oy)
        for (int ox = 0; ox < g.out.w; ++ox) {
            const int y0 = oy * g.stride.h - g.pad_top, x0 = ox * g.stride.w - g.pad_left;
            if (y0 + g.kernel.h <= 0 || y0 >= g.in.h || x0 + g.kernel.w <= 0 || x0 >= g.in.w) return;
        }
    reference::avg_pool(g, lo, hi, in.data(), want.data());
    htvm::cpu::avg_pool(g, lo, hi, in.data(), got.data());
    same("avg_pool", id, got, want);
    reference::max_pool(g, lo, hi, in.data(), want.data());
    htvm::cpu::max_pool(g, lo, hi, in.data(), got.data());
    same("max_pool", id, got, want);
}

void check_add(rng& r, int id) {
    const int count = r.chance(30) ? r.uniform(1000, 3000) : r.uniform(1, 300);
    const auto a = random_bytes(r, count), b = random_bytes(r, count);
    htvm::tflite_add_params p{};
    p.input1_zero_point = r.uniform(-128, 127);
    p.input2_zero_point = r.uniform(-128, 127);
    p.output_zero_point = r.uniform(-128, 127);
    p.left_shift = r.chance(80) ? 20 : r.uniform(0, 22);
    p.input1_multiplier = static_cast<std::int32_t>((1u << 30) + (r.next() >> 2));
    p.input2_multiplier = static_cast<std::int32_t>((1u << 30) + (r.next() >> 2));
    p.output_multiplier = static_cast<std::int32_t>((1u << 30) + (r.next() >> 2));
    if (r.chance(5)) p.input1_multiplier = INT32_MIN;
    p.input1_shift = r.uniform(-31, 0);
    p.input2_shift = r.uniform(-31, 0);
    p.output_shift = r.uniform(-31, 2);
    p.act_min = r.uniform(-128, 0);
    p.act_max = r.uniform(0, 127);
    std::vector<std::int8_t> got(static_cast<std::size_t>(count)), want(got.size());
    reference::add_tflite(count, p, a.data(), b.data(), want.data());
    htvm::cpu::add_tflite(count, p, a.data(), b.data(), got.data());
    same("add_tflite", id, got, want);
    // In place, as the memory plan may run it.
    std::vector<std::int8_t> inplace = b;
    htvm::cpu::add_tflite(count, p, a.data(), inplace.data(), inplace.data());
    same("add_tflite in place", id, inplace, want);
    htvm::shift_requant d{.shift = r.uniform(0, 8), .relu = r.chance(50)};
    reference::add_diana(count, d, a.data(), b.data(), want.data());
    htvm::cpu::add_shift(count, d, a.data(), b.data(), got.data());
    same("add_diana", id, got, want);
}

// Requantization alone, on accumulators across the whole int32 range.
void check_requant(rng& r, int id) {
    random_requant q(r, 4);
    std::vector<std::int8_t> got(64), want(64);
    for (int i = 0; i < 64; ++i) {
        std::uint32_t acc = r.next();
        if (i % 8 == 1) acc = static_cast<std::uint32_t>(r.uniform(-70000, 70000));
        if (i == 2) acc = 0x80000000u;
        if (i == 3) acc = 0x7fffffffu;
        const int c = i % 4;
        want[static_cast<std::size_t>(i)] = q.rq.apply(static_cast<std::int32_t>(acc), c);
        htvm::cpu::with_output_stage<htvm::cpu::output_arith::dynamic>(q.rq, [&](const auto& stage) {
            const auto ch = stage.at(c);
            got[static_cast<std::size_t>(i)] = stage.exact_only(ch) ? stage.exact(acc, c) : ch.apply(acc);
        });
    }
    same("requantize", id, got, want);
}

// Compile-time geometries (the instances a network gets), including the MLPerf Tiny shapes.
template <htvm::cpu::window_geometry G>
void check_fixed_conv(rng& r, int id) {
    const auto in = random_bytes(r, G.in.elements());
    const auto w = random_bytes(r, G.out.c * G.kernel.h * G.kernel.w * G.in.c);
    const auto b = random_bias(r, G.out.c);
    random_requant q(r, G.out.c);
    std::vector<std::int8_t> got(static_cast<std::size_t>(G.out.elements())), want(got.size());
    reference::conv2d(G, in.data(), w.data(), b.data(), q.rq, want.data());
    if (q.rq.kind == htvm::requant_kind::shift)
        htvm::cpu::conv2d<htvm::cpu::output_arith::shift>(htvm::cpu::fixed_window<G>{}, in.data(), w.data(), b.data(),
                                                          q.rq, got.data());
    else
        htvm::cpu::conv2d<htvm::cpu::output_arith::tflite>(htvm::cpu::fixed_window<G>{}, in.data(), w.data(),
                                                           b.data(), q.rq, got.data());
    same("conv2d fixed", id, got, want);
}

template <htvm::cpu::window_geometry G>
void check_fixed_depthwise(rng& r, int id) {
    const auto in = random_bytes(r, G.in.elements());
    const auto w = random_bytes(r, G.kernel.h * G.kernel.w * G.in.c);
    const auto b = random_bias(r, G.in.c);
    random_requant q(r, G.in.c);
    std::vector<std::int8_t> got(static_cast<std::size_t>(G.out.elements())), want(got.size());
    reference::depthwise_conv2d(G, in.data(), w.data(), b.data(), q.rq, want.data());
    if (q.rq.kind == htvm::requant_kind::shift)
        htvm::cpu::depthwise_conv2d<htvm::cpu::output_arith::shift>(htvm::cpu::fixed_window<G>{}, in.data(), w.data(),
                                                                    b.data(), q.rq, got.data());
    else
        htvm::cpu::depthwise_conv2d<htvm::cpu::output_arith::tflite>(htvm::cpu::fixed_window<G>{}, in.data(),
                                                                     w.data(), b.data(), q.rq, got.data());
    same("depthwise fixed", id, got, want);
}

template <int F, int U>
void check_fixed_dense(rng& r, int id) {
    const auto in = random_bytes(r, F);
    const auto w = random_bytes(r, F * U);
    const auto b = random_bias(r, U);
    random_requant q(r, U, false);
    std::vector<std::int8_t> got(U), want(U);
    reference::dense(F, U, in.data(), w.data(), b.data(), q.rq, want.data());
    htvm::cpu::dense<htvm::cpu::output_arith::dynamic>(htvm::cpu::fixed_int<F>{}, htvm::cpu::fixed_int<U>{},
                                                       in.data(), w.data(), b.data(), q.rq, got.data());
    same("dense fixed", id, got, want);
}

// Compile-time ADD parameters: the table path (cpu_target's), in place too.
template <htvm::tflite_add_params P>
void check_fixed_add(rng& r, int id) {
    const int count = r.uniform(1, 3000);
    const auto a = random_bytes(r, count), b = random_bytes(r, count);
    std::vector<std::int8_t> got(static_cast<std::size_t>(count)), want(got.size());
    reference::add_tflite(count, P, a.data(), b.data(), want.data());
    htvm::cpu::add_tflite<P>(count, a.data(), b.data(), got.data());
    same("add_tflite fixed", id, got, want);
    std::vector<std::int8_t> inplace = a;
    htvm::cpu::add_tflite<P>(count, inplace.data(), b.data(), inplace.data());
    same("add_tflite fixed in place", id, inplace, want);
}

constexpr htvm::tflite_add_params add_params(int zp1, int zp2, int zpo, int m1, int s1, int m2, int s2, int mo,
                                             int so, int lo, int hi) {
    return {.input1_zero_point = zp1, .input2_zero_point = zp2, .output_zero_point = zpo, .left_shift = 20,
            .input1_multiplier = m1, .input1_shift = s1, .input2_multiplier = m2, .input2_shift = s2,
            .output_multiplier = mo, .output_shift = so, .act_min = lo, .act_max = hi};
}

using htvm::cpu::window_geometry;
constexpr window_geometry conv(int h, int w, int c, int oh, int ow, int oc, int k, int s, int pt, int pl) {
    return {{1, h, w, c}, {1, oh, ow, oc}, {k, k}, {s, s}, pt, pl};
}

}  // namespace

int main(int argc, char** argv) {
    const int cases = argc > 1 ? std::atoi(argv[1]) : 3000;
    rng r{12345};
    for (int i = 0; i < cases; ++i) {
        check_requant(r, i);
        check_conv(r, i);
        check_depthwise(r, i);
        check_dense(r, i);
        check_pool(r, i);
        if (i % 10 == 0) check_add(r, i);
    }
    for (int i = 0; i < 3; ++i) {
        check_fixed_conv<conv(32, 32, 3, 32, 32, 16, 3, 1, 1, 1)>(r, i);    // ic conv1
        check_fixed_conv<conv(32, 32, 16, 32, 32, 16, 3, 1, 1, 1)>(r, i);   // ic stack 1
        check_fixed_conv<conv(32, 32, 16, 16, 16, 32, 3, 2, 0, 0)>(r, i);   // ic stack 2 (TFLite SAME, stride 2)
        check_fixed_conv<conv(32, 32, 16, 16, 16, 32, 1, 2, 0, 0)>(r, i);   // ic shortcut
        check_fixed_conv<conv(6, 6, 128, 6, 6, 128, 1, 1, 0, 0)>(r, i);     // vww pointwise
        check_fixed_conv<conv(25, 5, 64, 25, 5, 64, 1, 1, 0, 0)>(r, i);     // kws pointwise
        check_fixed_conv<conv(96, 96, 3, 48, 48, 8, 3, 2, 0, 0)>(r, i);     // vww conv1
        check_fixed_conv<window_geometry{{1, 49, 10, 1}, {1, 25, 5, 64}, {10, 4}, {2, 2}, 4, 1}>(r, i);  // kws conv1
        check_fixed_conv<conv(7, 9, 5, 7, 9, 6, 3, 1, 1, 1)>(r, i);         // channel tail
        check_fixed_conv<conv(2, 3, 4, 7, 3, 5, 3, 1, 4, 1)>(r, i);         // rows wholly in the padding
        check_fixed_depthwise<conv(25, 5, 64, 25, 5, 64, 3, 1, 1, 1)>(r, i);   // kws
        check_fixed_depthwise<conv(48, 48, 8, 48, 48, 8, 3, 1, 1, 1)>(r, i);   // vww dw1
        check_fixed_depthwise<conv(48, 48, 16, 24, 24, 16, 3, 2, 0, 0)>(r, i); // vww dw2 (stride 2)
        check_fixed_depthwise<conv(3, 3, 256, 3, 3, 256, 3, 1, 1, 1)>(r, i);   // vww dw13
        check_fixed_depthwise<conv(9, 7, 5, 5, 4, 5, 3, 2, 1, 1)>(r, i);
        check_fixed_dense<640, 128>(r, i);
        check_fixed_dense<128, 8>(r, i);
        check_fixed_dense<64, 12>(r, i);
        check_fixed_dense<256, 2>(r, i);
        check_fixed_dense<13, 7>(r, i);
        check_fixed_add<add_params(-128, -128, -128, 1311380366, -1, 1653542118, -1, 1869202801, -19, -128, 127)>(r, i);
        check_fixed_add<add_params(5, -3, 17, 1073741824, 0, 2147483647, -2, 1500000000, -18, -20, 90)>(r, i);
        check_fixed_add<add_params(100, -100, 0, 1200000000, -3, 1100000000, 0, 2000000000, -31, -128, 127)>(r, i);
        check_fixed_add<add_params(-7, 9, 3, INT32_MIN, 0, 1300000000, -1, 1700000000, 1, -128, 127)>(r, i);
        check_fixed_add<add_params(0, 0, -5, 1300000000, -1, 1300000000, -1, INT32_MIN, -20, -100, 100)>(r, i);
    }
    std::printf("%s: %d mismatches\n", failures == 0 ? "bit-exact" : "FAILED", failures);
    return failures == 0 ? 0 : 1;
}
