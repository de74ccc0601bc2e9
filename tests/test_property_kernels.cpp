// Property tests: every CPU kernel against the independent reference (tests/reference/) on random
// layer configurations, bit for bit, plus the scalar requantization arithmetic on random and edge
// operands. Deterministic (fixed seeds, our own generator). Cases TFLite leaves undefined (int32
// overflow) are never generated: the generator bounds positive shifts by the largest accumulator,
// and the reference refuses undefined cases, which makes the test fail rather than pass silently.
#include <doctest/doctest.h>

#include <htvm/cpu_target.hpp>
#include <htvm/kernels/conv2d.hpp>
#include <htvm/kernels/dense.hpp>
#include <htvm/kernels/depthwise_conv2d.hpp>
#include <htvm/kernels/elementwise.hpp>
#include <htvm/kernels/pool.hpp>
#include <htvm/kernels/softmax.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "reference/htvm_bridge.hpp"
#include "reference/random.hpp"

namespace {

using ref::i64;
using ref::rng;
using ref::tensor;

void fill(rng& r, std::vector<std::int8_t>& v) {
    for (auto& x : v) x = r.byte();
}

std::vector<std::int8_t> random_bytes(rng& r, int n) {
    std::vector<std::int8_t> v(static_cast<std::size_t>(n));
    fill(r, v);
    return v;
}

// Channel counts 1..64, mostly small so that the suite stays fast.
int random_channels(rng& r) {
    const int p = r.between(0, 99);
    return p < 50 ? r.between(1, 8) : p < 78 ? r.between(9, 24) : p < 95 ? r.between(25, 63) : 64;
}

std::int32_t random_zero_point(rng& r) {
    const int p = r.between(0, 9);
    return p < 2 ? 0 : p < 3 ? -128 : p < 4 ? 127 : r.between(-128, 127);
}

// Kernel 1..7 per axis (non-square included), stride 1..2, any padding mode. `big_pads` allows
// explicit pads up to the window size and beyond (windows entirely in padding).
ref::window random_window(rng& r, bool big_pads) {
    ref::window w;
    w.kh = r.between(1, 7);
    w.kw = r.between(1, 7);
    w.sh = r.between(1, 2);
    w.sw = r.between(1, 2);
    const int mode = r.between(0, 2);
    if (mode == 0) w.padding = ref::pad_kind::valid;
    if (mode == 1) w.padding = ref::pad_kind::same;
    if (mode == 2) {
        w.padding = ref::pad_kind::explicit_pads;
        const bool big = big_pads && r.percent(15);
        w.top = r.between(0, big ? w.kh + 1 : w.kh - 1);
        w.bottom = r.between(0, big ? w.kh + 1 : w.kh - 1);
        w.left = r.between(0, big ? w.kw + 1 : w.kw - 1);
        w.right = r.between(0, big ? w.kw + 1 : w.kw - 1);
    }
    return w;
}

std::vector<std::int32_t> random_bias(rng& r, int n) {
    const int p = r.between(0, 9);
    if (p < 3) return {};
    const i64 range = p < 6 ? 1000 : p < 9 ? (i64{1} << 20) : (i64{1} << 28);
    std::vector<std::int32_t> b(static_cast<std::size_t>(n));
    for (auto& x : b) x = static_cast<std::int32_t>(r.uniform(-range, range));
    return b;
}

// Largest s with max_acc * 2^s <= 2^30, at most 30: beyond it TFLite's left shift overflows.
int max_positive_shift(i64 max_acc) {
    int s = 0;
    while (s < 30 && (max_acc << (s + 1)) <= (i64{1} << 30)) ++s;
    return s;
}

// A Q31 multiplier and shift: zero, extreme, unnormalised, realistic (from a random real scale,
// tiny ones flushing to (0, 0)), with shifts from -31 up to the largest defined positive one.
void random_multiplier(rng& r, int max_positive, std::int32_t& m, std::int32_t& s) {
    const int kind = r.between(0, 11);
    if (kind >= 9) {  // realistic: QuantizeMultiplier of a scale in 1e-12 .. 10
        const ref::q31 q = ref::quantize_multiplier(std::pow(10.0, -12.0 + 13.0 * r.unit()));
        if (q.shift <= max_positive) {
            m = q.multiplier;
            s = q.shift;
            return;
        }
    }
    switch (kind) {
        case 0: m = 0; break;
        case 1: m = INT32_MAX; break;
        case 2: m = INT32_MAX - r.between(1, 3); break;
        case 3: m = std::int32_t{1} << 30; break;
        case 4: m = static_cast<std::int32_t>(r.uniform(0, INT32_MAX)); break;
        default: m = static_cast<std::int32_t>(r.uniform(std::int64_t{1} << 30, INT32_MAX)); break;
    }
    const int p = r.between(0, 99);
    if (p < 10) s = -31;
    else if (p < 20) s = r.between(-31, -20);
    else if (p < 30) s = 0;
    else if (p < 45 && max_positive > 0) s = r.between(1, max_positive);
    else s = r.between(-19, -1);
}

enum class form { tflite_per_tensor, tflite_per_channel, diana };

form random_form(rng& r) {
    const int p = r.between(0, 9);
    return p < 3 ? form::tflite_per_tensor : p < 7 ? form::tflite_per_channel : form::diana;
}

void random_activation_range(rng& r, std::int32_t& lo, std::int32_t& hi) {
    lo = -128;
    hi = 127;
    if (r.percent(30)) {
        lo = r.between(-128, 127);
        hi = r.between(lo, 127);
    }
}

ref::requant_spec random_requant(rng& r, form f, int channels, std::int32_t input_zero_point, i64 max_acc) {
    ref::requant_spec s;
    if (f == form::diana) {
        s.form = ref::requant_spec::kind::diana;
        s.diana_shift = r.percent(50) ? r.between(0, 12) : r.between(0, 31);
        s.relu = r.percent(50);
        if (r.percent(25)) random_activation_range(r, s.clip_min, s.clip_max);
        // ReLU with clip_max < 0 leaves an empty range [0, clip_max]: no defined answer (TFLite's order
        // max-then-min gives clip_max, quant.hpp's clamp gives 0), so it is never generated.
        if (s.relu && s.clip_max < 0) s.relu = false;
        return s;
    }
    const int n = f == form::tflite_per_channel ? channels : 1;
    s.multipliers.assign(static_cast<std::size_t>(n), 0);
    s.shifts.assign(static_cast<std::size_t>(n), 0);
    const int max_positive = max_positive_shift(max_acc);
    for (int k = 0; k < n; ++k) random_multiplier(r, max_positive, s.multipliers[static_cast<std::size_t>(k)], s.shifts[static_cast<std::size_t>(k)]);
    // Per-channel with one channel would read as per-tensor in the reference: same arithmetic.
    s.input_zero_point = input_zero_point;
    s.output_zero_point = random_zero_point(r);
    random_activation_range(r, s.act_min, s.act_max);
    return s;
}

std::string describe_requant(const ref::requant_spec& s) {
    std::ostringstream o;
    if (s.form == ref::requant_spec::kind::diana) {
        o << "diana shift " << s.diana_shift << " relu " << s.relu << " clip [" << s.clip_min << "," << s.clip_max << "]";
    } else {
        o << "tflite " << (s.multipliers.size() > 1 ? "per-channel" : "per-tensor") << " m0 " << s.multipliers[0]
          << " s0 " << s.shifts[0] << " zp in " << s.input_zero_point << " out " << s.output_zero_point << " act ["
          << s.act_min << "," << s.act_max << "]";
    }
    return o.str();
}

std::string describe_window(const tensor& in, const ref::window& w) {
    std::ostringstream o;
    o << "in " << in.h << "x" << in.w << "x" << in.c << " kernel " << w.kh << "x" << w.kw << " stride " << w.sh << "x"
      << w.sw << " padding " << static_cast<int>(w.padding) << " (" << w.top << "," << w.bottom << "," << w.left << ","
      << w.right << ")";
    return o.str();
}

// Reports the first differing byte; true when equal.
bool same_bytes(const std::vector<std::int8_t>& got, const std::vector<std::int8_t>& want, const std::string& what) {
    if (got.size() != want.size()) {
        FAIL_CHECK(what << ": size " << got.size() << " vs reference " << want.size());
        return false;
    }
    for (std::size_t i = 0; i < got.size(); ++i)
        if (got[i] != want[i]) {
            FAIL_CHECK(what << ": element " << i << " is " << int{got[i]} << ", reference " << int{want[i]});
            return false;
        }
    return true;
}

const std::int32_t* bias_pointer(const std::vector<std::int32_t>& b) { return b.empty() ? nullptr : b.data(); }

// The layer record cpu_target's compile-time narrow_everywhere check reads (here called at run time
// on the random layer): its bias and requantization.
htvm::layer layer_for_narrow_check(const std::vector<std::int32_t>& bias, const htvm::requant& rq) {
    htvm::layer l{};
    if (!bias.empty()) l.bias = htvm::bias_i32(bias.data(), static_cast<int>(bias.size()));
    l.rq = rq;
    return l;
}

constexpr long mac_budget = 300000;  // per case: keeps the whole suite at a few seconds

// Counts how often each promised corner of the input space was generated, so that the suite proves
// its own coverage instead of trusting the generator.
struct coverage {
    std::map<std::string, int> seen;

    void note(bool happened, const char* what) { seen[what] += happened ? 1 : 0; }
    void window(const ref::window& w) {
        note(w.padding == ref::pad_kind::valid, "valid padding");
        note(w.padding == ref::pad_kind::same, "same padding");
        note(w.padding == ref::pad_kind::explicit_pads, "explicit padding");
        note(w.kh != w.kw, "non-square kernel");
        note(w.kh == 7 || w.kw == 7, "kernel size 7");
        note(w.sh == 2 || w.sw == 2, "stride 2");
    }
    void input(const tensor& in) { note(in.h % 2 == 1 && in.w % 2 == 1, "odd spatial size"); }
    void requant(const ref::requant_spec& s) {
        const bool tflite = s.form == ref::requant_spec::kind::tflite;
        note(!tflite, "diana requant");
        note(tflite && s.multipliers.size() > 1, "tflite per-channel");
        note(tflite && s.multipliers.size() == 1, "tflite per-tensor");
        if (tflite) {
            note(s.input_zero_point != 0 && s.output_zero_point != 0, "nonzero zero points");
            bool zero = false, near_max = false, min_shift = false, positive = false;
            for (std::size_t k = 0; k < s.multipliers.size(); ++k) {
                zero |= s.multipliers[k] == 0;
                near_max |= s.multipliers[k] >= INT32_MAX - 3;
                min_shift |= s.shifts[k] == -31;
                positive |= s.shifts[k] > 0;
            }
            note(zero, "multiplier 0");
            note(near_max, "multiplier near 2^31-1");
            note(min_shift, "shift -31");
            note(positive, "positive shift");
        } else {
            note(s.diana_shift >= 20, "diana shift >= 20");
            note(s.relu, "diana relu");
        }
    }
    void output(const std::vector<std::int8_t>& v) {
        note(std::find(v.begin(), v.end(), std::int8_t{-128}) != v.end(), "output saturates at -128");
        note(std::find(v.begin(), v.end(), std::int8_t{127}) != v.end(), "output saturates at 127");
    }
    // Every noted corner must have happened at least `minimum` times.
    void require_all(int minimum) const {
        for (const auto& entry : seen) {
            INFO(entry.first << " generated " << entry.second << " times");
            CHECK(entry.second >= minimum);
        }
    }
};

// What a compiled network does with a layer that cpu_target's compile-time check proves narrow: a
// narrow-only output stage, with the zero point added after the shift or, where that is proven too,
// folded into the rounding. run(out, arith) runs the kernel with stage `arith` (a
// std::integral_constant); its bytes must equal `want`. Notes the outcomes of the checks; false on
// a mismatch.
template <class RunNarrow>
bool narrow_stage_matches(const std::vector<std::int32_t>& bias, const ref::requant_spec& rq, int channels, int taps,
                          const std::vector<std::int8_t>& want, const std::string& what, coverage& seen,
                          RunNarrow run) {
    using htvm::cpu::output_arith;
    using htvm::cpu::zero_point_add;
    const htvm::layer l = layer_for_narrow_check(bias, ref::to_htvm(rq));
    const bool narrow = htvm::narrow_everywhere(l, channels, taps, zero_point_add::after_shift);
    const bool folded = htvm::narrow_everywhere(l, channels, taps, zero_point_add::folded);
    seen.note(narrow, "proven narrow (narrow-only stage run)");
    seen.note(folded, "proven narrow with the zero point folded (folded stage run)");
    seen.note(narrow && !folded, "proven narrow, zero point not foldable");
    seen.note(!narrow && rq.form == ref::requant_spec::kind::tflite, "TFLite, not proven narrow");
    bool ok = true;
    std::vector<std::int8_t> got(want.size());
    if (narrow) {
        run(got.data(), std::integral_constant<output_arith, output_arith::tflite_narrow>{});
        ok = same_bytes(got, want, what + ", narrow-only stage") && ok;
    }
    if (folded) {
        run(got.data(), std::integral_constant<output_arith, output_arith::tflite_narrow_folded>{});
        ok = same_bytes(got, want, what + ", narrow-only stage, zero point folded") && ok;
    }
    return ok;
}

// The input, weights and bias of a random conv2d layer (drawn in that order), or none, with nothing
// drawn, when the window leaves no output or the layer is over the MAC budget.
struct conv_layer {
    tensor in;
    std::vector<std::int8_t> weights;
    std::vector<std::int32_t> bias;
};

std::optional<conv_layer> random_conv_layer(rng& r, int h, int w_, int ic, const ref::window& w, int oc) {
    conv_layer layer{tensor(h, w_, ic), {}, {}};
    const ref::geometry g = ref::resolve(h, w_, w);
    if (g.out_h < 1 || g.out_w < 1) return std::nullopt;
    if (static_cast<long>(g.out_h) * g.out_w * oc * w.kh * w.kw * ic > mac_budget) return std::nullopt;
    fill(r, layer.in.data);
    layer.weights = random_bytes(r, oc * w.kh * w.kw * ic);
    layer.bias = random_bias(r, oc);
    return layer;
}

}  // namespace

TEST_CASE("property: conv2d equals the reference (400 random layers)") {
    rng r(0x5EED0001);
    coverage seen;
    int done = 0, failures = 0;
    while (done < 400 && failures < 5) {
        const int ic = random_channels(r), oc = random_channels(r);
        const ref::window w = random_window(r, false);
        // One draw per declarator, never two in one argument list (whose order is unspecified): the
        // cases must be the same with every compiler.
        const int h = r.between(1, 17), w_ = r.between(1, 17);
        const std::optional<conv_layer> layer = random_conv_layer(r, h, w_, ic, w, oc);
        if (!layer) continue;
        const tensor& in = layer->in;
        const auto& weights = layer->weights;
        const auto& bias = layer->bias;
        const form f = random_form(r);
        const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
        const ref::accumulators acc = ref::conv2d(in, weights, oc, bias, w, zp);
        const ref::requant_spec rq = random_requant(r, f, oc, zp, ref::largest_magnitude(acc));
        const auto want = ref::requantize(acc, rq);
        REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");

        std::vector<std::int8_t> got(want->data.size());
        htvm::cpu::conv2d(ref::to_htvm(in, w, oc), in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq),
                          got.data());
        if (!same_bytes(got, want->data, "conv2d " + describe_window(in, w) + " filters " + std::to_string(oc) + " " +
                                             describe_requant(rq)))
            ++failures;
        if (!narrow_stage_matches(bias, rq, oc, w.kh * w.kw * ic, want->data, "conv2d " + describe_window(in, w), seen,
                                  [&](std::int8_t* out, auto arith) {
                                      htvm::cpu::conv2d<decltype(arith)::value>(
                                          ref::to_htvm(in, w, oc), in.data.data(), weights.data(), bias_pointer(bias),
                                          ref::to_htvm(rq), out);
                                  }))
            ++failures;
        seen.window(w);
        seen.input(in);
        seen.requant(rq);
        seen.output(want->data);
        seen.note(ic == 64 || oc == 64, "64 channels");
        ++done;
    }
    CHECK(done == 400);
    seen.require_all(5);
}

TEST_CASE("property: conv2d on long rows, whose last block overlaps the one before (150 random layers)") {
    // Kernels of the rows path (widths 1, 2, 5; 1x1 stride 1 is one long row of pixels) on rows of
    // 40..140 pixels: where fewer than 4 pixels remain at the end of a row, the kernel computes one
    // more 4-pixel block ending at the last pixel instead of a narrower one.
    rng r(0x5EED000E);
    int done = 0, failures = 0, overlapping = 0;
    while (done < 150 && failures < 5) {
        const int ic = r.between(1, 12), oc = r.between(1, 9);
        ref::window w;
        const int shape = r.between(0, 3);
        w.kh = shape == 0 ? 1 : r.between(1, 3);
        w.kw = shape == 0 ? 1 : shape == 1 ? 2 : shape == 2 ? 5 : 1;
        w.sh = shape == 0 ? 1 : r.between(1, 2);
        w.sw = shape == 0 ? 1 : r.between(1, 2);
        w.padding = shape == 0 ? ref::pad_kind::valid : r.percent(50) ? ref::pad_kind::same : ref::pad_kind::valid;
        const int h = r.between(1, 3), w_ = r.between(40, 140);
        const std::optional<conv_layer> layer = random_conv_layer(r, h, w_, ic, w, oc);
        if (!layer) continue;
        const tensor& in = layer->in;
        const auto& weights = layer->weights;
        const auto& bias = layer->bias;
        const std::int32_t zp = random_zero_point(r);
        const ref::accumulators acc = ref::conv2d(in, weights, oc, bias, w, zp);
        const ref::requant_spec rq = random_requant(r, form::tflite_per_channel, oc, zp, ref::largest_magnitude(acc));
        const auto want = ref::requantize(acc, rq);
        REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
        std::vector<std::int8_t> got(want->data.size());
        const htvm::cpu::window_geometry geometry = ref::to_htvm(in, w, oc);
        htvm::cpu::conv2d(geometry, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq), got.data());
        if (!same_bytes(got, want->data, "conv2d " + describe_window(in, w) + " filters " + std::to_string(oc)))
            ++failures;
        const htvm::cpu::detail::conv_plan<htvm::cpu::window_geometry> plan{geometry};
        const int interior = plan.x_hi() - plan.x_lo();
        if (interior % 4 != 0 && interior >= 16 * (4 - interior % 4)) ++overlapping;
        ++done;
    }
    CHECK(done == 150);
    CHECK(overlapping >= 50);  // the overlapping block ran often enough to mean something
}

// A random pointwise layer of Cin input channels: pointwise_conv2d (the code a compiled network's 1x1
// stride-1 layers share, sizes at run time) with the run-time stage and each narrow stage a compiled
// network could give it, against the reference. Returns the number of mismatches.
template <int Cin>
int check_random_pointwise(rng& r, coverage& seen) {
    const int h = r.between(1, 9), w_ = r.between(1, 9);
    const int oc = htvm::cpu::detail::pointwise_channels * r.between(1, 6);
    const ref::window w;  // 1x1, stride 1, valid
    const std::optional<conv_layer> layer = random_conv_layer(r, h, w_, Cin, w, oc);
    REQUIRE(layer.has_value());
    const tensor& in = layer->in;
    const form f = random_form(r);
    const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
    const ref::accumulators acc = ref::conv2d(in, layer->weights, oc, layer->bias, w, zp);
    const ref::requant_spec rq = random_requant(r, f, oc, zp, ref::largest_magnitude(acc));
    const auto want = ref::requantize(acc, rq);
    REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
    const htvm::requant htvm_rq = ref::to_htvm(rq);

    auto run = [&](std::int8_t* out, auto arith) {
        htvm::cpu::with_output_stage<decltype(arith)::value>(htvm_rq, [&](const auto& stage) {
            using stage_type = std::remove_cvref_t<decltype(stage)>;
            const htvm::cpu::detail::pointwise_layer<stage_type> pointwise{
                {h * w_, oc, Cin}, &htvm::cpu::detail::pointwise_blocks<Cin, stage_type>};
            htvm::cpu::detail::pointwise_conv2d(pointwise, in.data.data(), layer->weights.data(),
                                                bias_pointer(layer->bias), htvm::cpu::input_offset(htvm_rq), stage,
                                                out);
        });
    };
    const std::string what = "pointwise " + describe_window(in, w) + " filters " + std::to_string(oc);
    int failures = 0;
    std::vector<std::int8_t> got(want->data.size());
    run(got.data(), std::integral_constant<htvm::cpu::output_arith, htvm::cpu::output_arith::dynamic>{});
    if (!same_bytes(got, want->data, what + " " + describe_requant(rq))) ++failures;
    if (!narrow_stage_matches(layer->bias, rq, oc, Cin, want->data, what, seen, run)) ++failures;
    seen.note(h * w_ < htvm::cpu::detail::pointwise_pixels, "fewer pixels than one block");
    seen.note(h * w_ > 4 && (h * w_) % htvm::cpu::detail::pointwise_pixels != 0, "blocks and remaining pixels");
    seen.requant(rq);
    seen.output(want->data);
    return failures;
}

// A random depthwise layer (weights, bias, requantization) on `in`, filled here, with window w: the
// kernel with the run-time stage and with each narrow stage a compiled network could give it, against
// the reference. Returns the number of mismatches.
int check_random_depthwise(rng& r, tensor& in, const ref::window& w, const std::string& label, coverage& seen) {
    const int c = in.c;
    fill(r, in.data);
    const auto weights = random_bytes(r, w.kh * w.kw * c);
    const auto bias = random_bias(r, c);
    const form f = random_form(r);
    const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
    const ref::accumulators acc = ref::depthwise_conv2d(in, weights, bias, w, zp);
    const ref::requant_spec rq = random_requant(r, f, c, zp, ref::largest_magnitude(acc));
    const auto want = ref::requantize(acc, rq);
    REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");

    int failures = 0;
    std::vector<std::int8_t> got(want->data.size());
    htvm::cpu::depthwise_conv2d(ref::to_htvm(in, w, c), in.data.data(), weights.data(), bias_pointer(bias),
                                ref::to_htvm(rq), got.data());
    if (!same_bytes(got, want->data, label + " " + describe_window(in, w) + " " + describe_requant(rq))) ++failures;
    if (!narrow_stage_matches(bias, rq, c, w.kh * w.kw, want->data, label + " " + describe_window(in, w), seen,
                              [&](std::int8_t* out, auto arith) {
                                  htvm::cpu::depthwise_conv2d<decltype(arith)::value>(
                                      ref::to_htvm(in, w, c), in.data.data(), weights.data(), bias_pointer(bias),
                                      ref::to_htvm(rq), out);
                              }))
        ++failures;
    seen.input(in);
    seen.requant(rq);
    seen.output(want->data);
    return failures;
}

TEST_CASE("property: the shared pointwise kernel equals the reference (5 input widths x 80 random layers)") {
    rng r(0x5EED0011);
    coverage seen;
    int failures = 0;
    for (int k = 0; k < 80 && failures < 5; ++k) {
        failures += check_random_pointwise<1>(r, seen);
        failures += check_random_pointwise<3>(r, seen);
        failures += check_random_pointwise<8>(r, seen);
        failures += check_random_pointwise<16>(r, seen);
        failures += check_random_pointwise<40>(r, seen);
    }
    CHECK(failures == 0);
    seen.require_all(5);
}

TEST_CASE("conv2d runs fixed 1x1 stride-1 geometries on the shared pointwise kernel when 4 divides the filters") {
    using htvm::cpu::fixed_window;
    using htvm::cpu::window_geometry;
    using htvm::cpu::detail::runs_pointwise;
    static_assert(runs_pointwise<fixed_window<window_geometry{{1, 5, 3, 8}, {1, 5, 3, 12}}>>());
    static_assert(!runs_pointwise<fixed_window<window_geometry{{1, 5, 3, 8}, {1, 5, 3, 6}}>>(), "6 filters");
    static_assert(!runs_pointwise<fixed_window<window_geometry{{1, 6, 4, 8}, {1, 3, 2, 12}, {1, 1}, {2, 2}}>>(),
                  "stride 2");
    static_assert(!runs_pointwise<fixed_window<window_geometry{{1, 5, 3, 8}, {1, 5, 3, 12}, {3, 3}, {1, 1}, 1, 1}>>(),
                  "3x3 window");
    static_assert(!runs_pointwise<window_geometry>(), "a run-time geometry");

    // Through the public entry, as a compiled network calls it: 15 pixels (3 blocks and 3 more).
    constexpr window_geometry g{{1, 5, 3, 8}, {1, 5, 3, 12}};
    rng r(0x5EED0012);
    const ref::window w;
    for (int trial = 0; trial < 20; ++trial) {
        const std::optional<conv_layer> layer = random_conv_layer(r, 5, 3, 8, w, 12);
        REQUIRE(layer.has_value());
        const std::int32_t zp = random_zero_point(r);
        const ref::accumulators acc = ref::conv2d(layer->in, layer->weights, 12, layer->bias, w, zp);
        const ref::requant_spec rq = random_requant(r, form::tflite_per_channel, 12, zp, ref::largest_magnitude(acc));
        const auto want = ref::requantize(acc, rq);
        REQUIRE(want.has_value());
        std::vector<std::int8_t> got(want->data.size());
        // The TFLite parameters alone, as cpu_target passes them.
        htvm::cpu::conv2d(fixed_window<g>{}, layer->in.data.data(), layer->weights.data(), bias_pointer(layer->bias),
                          ref::to_htvm(rq).tflite, got.data());
        CHECK(same_bytes(got, want->data, "fixed pointwise, trial " + std::to_string(trial)));
    }
}

TEST_CASE("property: depthwise_conv2d equals the reference (400 random layers)") {
    rng r(0x5EED0002);
    coverage seen;
    int done = 0, failures = 0;
    while (done < 400 && failures < 5) {
        const int c = random_channels(r);
        const ref::window w = random_window(r, false);
        const int h = r.between(1, 19), w_ = r.between(1, 19);
        tensor in(h, w_, c);
        const ref::geometry g = ref::resolve(in.h, in.w, w);
        if (g.out_h < 1 || g.out_w < 1) continue;
        failures += check_random_depthwise(r, in, w, "depthwise", seen);
        seen.window(w);
        ++done;
    }
    CHECK(done == 400);
    seen.require_all(5);
}

// The shared 3x3 depthwise kernel (depthwise_3x3.hpp) on the geometries it runs: stride 1 or 2, at
// most one padding column on each side, any padding rows (up to whole output rows in the padding),
// 1 to 20 columns and rows, 1 to 19 channels.
TEST_CASE("property: the shared 3x3 depthwise kernel equals the reference (300 random layers)") {
    rng r(0x5EED0009);
    coverage seen;
    int done = 0, failures = 0, right_pixels = 0, padded_rows = 0;
    while (done < 300 && failures < 5) {
        ref::window w;
        w.kh = w.kw = 3;
        w.sh = w.sw = r.between(1, 2);
        w.padding = ref::pad_kind::explicit_pads;
        w.top = r.between(0, 3);
        w.bottom = r.between(0, 3);
        w.left = r.between(0, 1);
        w.right = r.between(0, 1);
        const int c = r.between(1, 19);
        const int h = r.between(1, 20), w_ = r.between(1, 20);
        tensor in(h, w_, c);
        const ref::geometry g = ref::resolve(in.h, in.w, w);
        if (g.out_h < 1 || g.out_w < 1) continue;
        const htvm::cpu::window_geometry geometry = ref::to_htvm(in, w, c);
        using run_time_plan = htvm::cpu::detail::depthwise_plan<htvm::cpu::window_geometry>;
        REQUIRE(htvm::cpu::detail::runs_shared_3x3(run_time_plan{geometry}));
        failures += check_random_depthwise(r, in, w, "shared depthwise", seen);
        // A right padding column read by the last pixel; an output row whose windows lie wholly in padding rows.
        if (htvm::cpu::right_padding(in.w, g.out_w, 3, w.sw, g.pad_left) == 1) ++right_pixels;
        if (w.top >= 3 || (g.out_h - 1) * w.sh - g.pad_top >= in.h) ++padded_rows;
        ++done;
    }
    CHECK(done == 300);
    CHECK(right_pixels >= 50);
    CHECK(padded_rows >= 10);
    seen.require_all(5);
}

// Compiled networks run the kernels on fixed_window<G> geometries, whose row structure (edge pixels,
// last block width, padding columns) is chosen at compile time and instantiates only the blocks that
// geometry runs. These cases cover that choice for 3x3 windows: stride 1 and 2, no or one padding
// column on either side, 1 to 7 output columns (every last-block width of the depthwise rows, whose
// blocks are 4 pixels wide); the geometry must be the reference's, and the output too.
namespace {
namespace fixed_cases {

struct row_case {
    int stride, pad_left, pad_right, out_w;
};

constexpr int widths = 7;
constexpr int count = 2 * 2 * 2 * widths;
constexpr std::array<row_case, count> cases = [] {
    std::array<row_case, count> all{};
    int k = 0;
    for (int stride = 1; stride <= 2; ++stride)
        for (int left = 0; left <= 1; ++left)
            for (int right = 0; right <= 1; ++right)
                for (int out_w = 1; out_w <= widths; ++out_w) all[static_cast<std::size_t>(k++)] = {stride, left, right, out_w};
    return all;
}();

constexpr int in_h = 5;  // one padding row on top and bottom

constexpr ref::window window_of(const row_case& c) {
    ref::window w;
    w.kh = w.kw = 3;
    w.sh = w.sw = c.stride;
    w.padding = ref::pad_kind::explicit_pads;
    w.top = w.bottom = 1;
    w.left = c.pad_left;
    w.right = c.pad_right;
    return w;
}

constexpr htvm::cpu::window_geometry geometry_of(const row_case& c, int in_c, int out_c) {
    const int in_w = (c.out_w - 1) * c.stride + 3 - c.pad_left - c.pad_right;
    const int out_h = (in_h + 2 - 3) / c.stride + 1;
    return {htvm::shape{1, in_h, in_w, in_c}, htvm::shape{1, out_h, c.out_w, out_c}, htvm::hw{3, 3},
            htvm::hw{c.stride, c.stride}, 1, c.pad_left};
}

constexpr int depthwise_channels = 3;
constexpr int conv_in = 8, conv_out = 3;  // 8: the strided columns path; 3: a block of 2 and a single channel

// One case, four random layers of each kind: depthwise and conv2d in their compiled (fixed) instance
// against the reference. The run-time choice of output stage covers both kinds of instance: DIANA's
// stage, like the narrow-only TFLite stages of a compiled network, has no exact-only channels (so the
// row structure is decided wholly at compile time); TFLite's checked stage keeps the run-time choice.
template <std::size_t index>
void check(rng& r, coverage& seen, int& failures) {
    constexpr row_case c = cases[index];
    constexpr htvm::cpu::window_geometry dw = geometry_of(c, depthwise_channels, depthwise_channels);
    constexpr htvm::cpu::window_geometry cv = geometry_of(c, conv_in, conv_out);
    const htvm::cpu::fixed_window<dw> dw_fixed{};
    const htvm::cpu::fixed_window<cv> cv_fixed{};
    const ref::window w = window_of(c);
    for (int trial = 0; trial < 4; ++trial) {
        {
            tensor in(dw.in.h, dw.in.w, dw.in.c);
            fill(r, in.data);
            const auto weights = random_bytes(r, 9 * dw.in.c);
            const auto bias = random_bias(r, dw.in.c);
            const form f = random_form(r);
            const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
            const ref::accumulators acc = ref::depthwise_conv2d(in, weights, bias, w, zp);
            const ref::requant_spec rq = random_requant(r, f, dw.in.c, zp, ref::largest_magnitude(acc));
            const auto want = ref::requantize(acc, rq);
            REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
            REQUIRE(ref::to_htvm(in, w, dw.in.c) == dw);
            const std::string what = "fixed depthwise " + describe_window(in, w) + " " + describe_requant(rq);
            // Both codes a compiled network can give the layer: the shared 3x3 kernel and its own instance.
            static_assert(htvm::cpu::detail::runs_shared_3x3(htvm::cpu::detail::depthwise_plan<decltype(dw_fixed)>{}));
            std::vector<std::int8_t> got(want->data.size());
            htvm::cpu::depthwise_conv2d(dw_fixed, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq),
                                        got.data());
            if (!same_bytes(got, want->data, what + " (shared)")) ++failures;
            std::vector<std::int8_t> own(want->data.size());
            htvm::cpu::depthwise_conv2d<htvm::cpu::output_arith::dynamic, htvm::cpu::depthwise_code::own>(
                dw_fixed, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq), own.data());
            if (!same_bytes(own, want->data, what + " (own instance)")) ++failures;
            seen.requant(rq);
        }
        {
            const std::optional<conv_layer> layer = random_conv_layer(r, cv.in.h, cv.in.w, conv_in, w, conv_out);
            REQUIRE(layer.has_value());
            const form f = random_form(r);
            const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
            const ref::accumulators acc = ref::conv2d(layer->in, layer->weights, conv_out, layer->bias, w, zp);
            const ref::requant_spec rq = random_requant(r, f, conv_out, zp, ref::largest_magnitude(acc));
            const auto want = ref::requantize(acc, rq);
            REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
            REQUIRE(ref::to_htvm(layer->in, w, conv_out) == cv);
            const std::string what = "fixed conv2d " + describe_window(layer->in, w) + " " + describe_requant(rq);
            std::vector<std::int8_t> got(want->data.size());
            htvm::cpu::conv2d(cv_fixed, layer->in.data.data(), layer->weights.data(), bias_pointer(layer->bias),
                              ref::to_htvm(rq), got.data());
            if (!same_bytes(got, want->data, what)) ++failures;
            seen.requant(rq);
        }
    }
}

template <std::size_t... index>
void check_all(rng& r, coverage& seen, int& failures, std::index_sequence<index...>) {
    (check<index>(r, seen, failures), ...);
}

}  // namespace fixed_cases
}  // namespace

TEST_CASE("property: compiled (fixed) 3x3 geometries equal the reference (56 row layouts, 448 layers)") {
    rng r(0x5EED0007);
    coverage seen;
    int failures = 0;
    fixed_cases::check_all(r, seen, failures, std::make_index_sequence<fixed_cases::count>{});
    CHECK(failures == 0);
    seen.require_all(5);
}

// A random dense layer and its reference output. The draws keep one order (input, weights, bias,
// form, zero point, requantization), so a seed gives the same layers every time.
struct dense_layer {
    tensor in;
    std::vector<std::int8_t> weights;
    std::vector<std::int32_t> bias;
    ref::requant_spec rq;
    std::optional<tensor> want;
};

dense_layer random_dense_layer(rng& r, int units, int features) {
    dense_layer layer{tensor(1, 1, features), {}, {}, {}, {}};
    fill(r, layer.in.data);
    layer.weights = random_bytes(r, units * features);
    layer.bias = random_bias(r, units);
    const form f = random_form(r);
    const std::int32_t zp = f == form::diana ? 0 : random_zero_point(r);
    const ref::accumulators acc = ref::dense(layer.in, layer.weights, units, layer.bias, zp);
    layer.rq = random_requant(r, f, units, zp, ref::largest_magnitude(acc));
    layer.want = ref::requantize(acc, layer.rq);
    REQUIRE_MESSAGE(layer.want.has_value(), "the generator made a TFLite-undefined case");
    return layer;
}

TEST_CASE("property: dense equals the reference (300 random layers)") {
    rng r(0x5EED0003);
    coverage seen;
    int failures = 0;
    for (int done = 0; done < 300 && failures < 5; ++done) {
        const int units = random_channels(r);
        const int features = r.percent(20) ? r.between(1, 8) : r.between(9, 700);
        const dense_layer layer = random_dense_layer(r, units, features);
        const tensor& in = layer.in;
        const auto& weights = layer.weights;
        const auto& bias = layer.bias;
        const ref::requant_spec& rq = layer.rq;
        const auto& want = layer.want;

        std::vector<std::int8_t> got(want->data.size());
        htvm::cpu::dense(in.c, units, in.data.data(), weights.data(), bias_pointer(bias), ref::to_htvm(rq), got.data());
        if (!same_bytes(got, want->data,
                        "dense " + std::to_string(in.c) + " -> " + std::to_string(units) + " " + describe_requant(rq)))
            ++failures;
        if (!narrow_stage_matches(bias, rq, units, in.c, want->data,
                                  "dense " + std::to_string(in.c) + " -> " + std::to_string(units), seen,
                                  [&](std::int8_t* out, auto arith) {
                                      htvm::cpu::dense<decltype(arith)::value>(
                                          in.c, units, in.data.data(), weights.data(), bias_pointer(bias),
                                          ref::to_htvm(rq), out);
                                  }))
            ++failures;
        seen.requant(rq);
        seen.output(want->data);
    }
    seen.require_all(3);
}

// A compiled network passes its unit count as a constant: only the block height it needs is then
// instantiated (8, with an overlapping last block, or 1 below 8 units). Each count below, 40 random
// layers against the reference; the weights are exactly units * features bytes and the output has
// guard bytes, so the overlapping block must stay inside both.
template <int units>
void check_dense_fixed_units(rng& r) {
    for (int done = 0; done < 40; ++done) {
        const int features = r.between(1, 300);
        const dense_layer layer = random_dense_layer(r, units, features);
        const tensor& in = layer.in;
        const auto& bias = layer.bias;
        const ref::requant_spec& rq = layer.rq;
        const auto& want = layer.want;
        // Eight guard bytes after the output: a block that overruns the last unit changes them.
        constexpr std::int8_t guard = 0x5A;
        std::vector<std::int8_t> got(want->data.size() + 8, guard);
        htvm::cpu::dense(in.c, htvm::cpu::fixed_int<units>{}, in.data.data(), layer.weights.data(), bias_pointer(bias),
                         ref::to_htvm(rq), got.data());
        const std::vector<std::int8_t> guards(got.begin() + units, got.end());
        got.resize(units);
        REQUIRE(same_bytes(got, want->data,
                           "dense " + std::to_string(in.c) + " -> fixed " + std::to_string(units) + " " +
                               describe_requant(rq)));
        REQUIRE_MESSAGE(guards == std::vector<std::int8_t>(8, guard), "dense wrote past its last unit");
    }
}

TEST_CASE("property: dense with a compile-time unit count equals the reference") {
    rng r(0x5EED000F);
    check_dense_fixed_units<1>(r);
    check_dense_fixed_units<7>(r);
    check_dense_fixed_units<8>(r);
    check_dense_fixed_units<9>(r);
    check_dense_fixed_units<15>(r);
    check_dense_fixed_units<24>(r);
}

// With the feature count a constant too (as a compiled network passes it), a layer under
// small_dense_macs MACs takes blocks of 1 even with 8 or more units.
template <int features, int units>
void check_dense_fixed_sizes(rng& r) {
    for (int done = 0; done < 20; ++done) {
        const dense_layer layer = random_dense_layer(r, units, features);
        std::vector<std::int8_t> got(layer.want->data.size());
        htvm::cpu::dense(htvm::cpu::fixed_int<features>{}, htvm::cpu::fixed_int<units>{}, layer.in.data.data(),
                         layer.weights.data(), bias_pointer(layer.bias), ref::to_htvm(layer.rq), got.data());
        REQUIRE(same_bytes(got, layer.want->data,
                           "dense fixed " + std::to_string(features) + " -> fixed " + std::to_string(units) + " " +
                               describe_requant(layer.rq)));
    }
}

TEST_CASE("property: dense with compile-time sizes equals the reference, small layers in blocks of 1") {
    using htvm::cpu::fixed_int;
    using htvm::cpu::detail::dense_heights;
    using htvm::cpu::detail::dense_heights_for;
    static_assert(htvm::cpu::detail::small_dense_macs == 1024);
    static_assert(dense_heights_for<fixed_int<64>, fixed_int<10>> == dense_heights::one);     // 640 MACs
    static_assert(dense_heights_for<fixed_int<128>, fixed_int<8>> == dense_heights::eight);   // 1,024
    static_assert(dense_heights_for<int, fixed_int<10>> == dense_heights::eight);             // features unknown
    rng r(0x5EED0013);
    check_dense_fixed_sizes<64, 10>(r);
    check_dense_fixed_sizes<127, 8>(r);
    check_dense_fixed_sizes<128, 8>(r);
    check_dense_fixed_sizes<100, 12>(r);
}

TEST_CASE("property: average and max pools equal the reference (200 + 200 random layers)") {
    rng r(0x5EED0004);
    coverage seen;
    for (const bool is_max : {false, true}) {
        int done = 0, failures = 0;
        while (done < 200 && failures < 5) {
            const ref::window w = random_window(r, true);
            const int h = r.between(1, 17), w_ = r.between(1, 17), ch = random_channels(r);
            tensor in(h, w_, ch);
            const ref::geometry g = ref::resolve(in.h, in.w, w);
            if (g.out_h < 1 || g.out_w < 1) continue;
            fill(r, in.data);
            std::int32_t lo = -128, hi = 127;
            random_activation_range(r, lo, hi);
            const tensor want = ref::pool(in, w, is_max, lo, hi);
            std::vector<std::int8_t> got(want.data.size());
            const auto geometry = ref::to_htvm(in, w, in.c);
            if (is_max) htvm::cpu::max_pool(geometry, lo, hi, in.data.data(), got.data());
            else htvm::cpu::avg_pool(geometry, lo, hi, in.data.data(), got.data());
            if (!same_bytes(got, want.data,
                            std::string(is_max ? "max_pool " : "avg_pool ") + describe_window(in, w) + " act [" +
                                std::to_string(lo) + "," + std::to_string(hi) + "]"))
                ++failures;
            seen.window(w);
            seen.input(in);
            seen.note(w.padding == ref::pad_kind::explicit_pads && (w.top >= w.kh || w.left >= w.kw),
                      "window entirely in padding");
            ++done;
        }
        CHECK(done == 200);
    }
    seen.require_all(5);
}

TEST_CASE("property: global average pool equals the reference (100 random layers)") {
    rng r(0x5EED0005);
    for (int done = 0; done < 100; ++done) {
        const int h = r.between(1, 16), w_ = r.between(1, 16), ch = random_channels(r);
        tensor in(h, w_, ch);
        fill(r, in.data);
        std::int32_t lo = -128, hi = 127;
        random_activation_range(r, lo, hi);
        const tensor want = ref::global_avg_pool(in, lo, hi);
        std::vector<std::int8_t> got(want.data.size());
        const htvm::cpu::window_geometry g{htvm::shape{1, in.h, in.w, in.c}, htvm::shape{1, 1, 1, in.c},
                                           htvm::hw{in.h, in.w}, htvm::hw{1, 1}, 0, 0};
        htvm::cpu::avg_pool(g, lo, hi, in.data.data(), got.data());
        if (!same_bytes(got, want.data, "global_avg_pool " + describe_window(in, ref::window{}))) break;
    }
}

TEST_CASE("property: TFLite add equals the reference (200 random layers)") {
    rng r(0x5EED0006);
    for (int done = 0; done < 200; ++done) {
        const int n = r.between(1, 300);
        tensor a(1, 1, n), b(1, 1, n);
        fill(r, a.data);
        fill(r, b.data);
        ref::add_params p;
        p.zp1 = random_zero_point(r);
        p.zp2 = random_zero_point(r);
        p.out_zp = random_zero_point(r);
        random_activation_range(r, p.act_min, p.act_max);
        if (r.percent(60)) {
            // As TFLite's Prepare derives them from the three scales.
            const double s1 = std::pow(10.0, -3.0 + 3.0 * r.unit()), s2 = std::pow(10.0, -3.0 + 3.0 * r.unit());
            const double so = std::pow(10.0, -3.0 + 3.0 * r.unit());
            const double twice_max = 2 * std::max(s1, s2);
            const ref::q31 q1 = ref::quantize_multiplier(s1 / twice_max), q2 = ref::quantize_multiplier(s2 / twice_max);
            const ref::q31 qo = ref::quantize_multiplier(twice_max / ((1 << 20) * so));
            p = ref::add_params{p.zp1, p.zp2, p.out_zp, 20, q1.multiplier, q2.multiplier, qo.multiplier, q1.shift,
                                q2.shift, qo.shift, p.act_min, p.act_max};
        } else {
            // Extreme multipliers; shifts <= 0 as TFLite's ADD requires; left shift 0..20.
            std::int32_t m = 0, s = 0;
            random_multiplier(r, 0, m, s);
            p.m1 = m, p.s1 = s;
            random_multiplier(r, 0, m, s);
            p.m2 = m, p.s2 = s;
            random_multiplier(r, 0, m, s);
            p.m_out = m, p.s_out = s;
            p.left_shift = r.percent(50) ? 20 : r.between(0, 20);
        }
        const auto want = ref::add_tflite(a, b, p);
        REQUIRE_MESSAGE(want.has_value(), "the generator made a TFLite-undefined case");
        const htvm::tflite_add_params hp{p.zp1, p.zp2, p.out_zp, p.left_shift, p.m1, p.s1, p.m2, p.s2, p.m_out, p.s_out,
                                         p.act_min, p.act_max};
        // Half of the cases in place over the left input, as the memory plan arranges.
        std::vector<std::int8_t> got = a.data;
        std::vector<std::int8_t> separate(got.size());
        const bool in_place = r.percent(50);
        htvm::cpu::add_tflite(n, hp, got.data(), b.data.data(), in_place ? got.data() : separate.data());
        if (!in_place) got = separate;
        std::ostringstream o;
        o << "add_tflite n " << n << " zp " << p.zp1 << "," << p.zp2 << "," << p.out_zp << " ls " << p.left_shift << " m "
          << p.m1 << "/" << p.s1 << " " << p.m2 << "/" << p.s2 << " " << p.m_out << "/" << p.s_out;
        if (!same_bytes(got, want->data, o.str())) break;
    }
}

namespace {

// add_tflite<P> (compile-time parameters, as cpu_target calls it) on every pair of int8 inputs against
// the reference, having checked that P takes output path `path` (0: narrow, zero point folded;
// 1: narrow, zero point after the shift; 2: the general path).
template <htvm::tflite_add_params P>
void check_compile_time_add(int path) {
    using htvm::cpu::zero_point_add;
    constexpr std::uint64_t bound =
        htvm::cpu::detail::add_tables<P>::input1.magnitude + htvm::cpu::detail::add_tables<P>::input2.magnitude;
    constexpr bool folded = htvm::cpu::detail::add_narrow_is_exact<P, zero_point_add::folded>(bound);
    constexpr bool narrow = htvm::cpu::detail::add_narrow_is_exact<P, zero_point_add::after_shift>(bound);
    CHECK((folded ? 0 : narrow ? 1 : 2) == path);
    tensor a(1, 256, 256), b(1, 256, 256);
    for (int i = 0; i < 256 * 256; ++i) {
        a.data[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(i % 256 - 128);
        b.data[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(i / 256 - 128);
    }
    const auto want = ref::add_tflite(a, b,
                                      ref::add_params{P.input1_zero_point, P.input2_zero_point, P.output_zero_point,
                                                      P.left_shift, P.input1_multiplier, P.input2_multiplier,
                                                      P.output_multiplier, P.input1_shift, P.input2_shift,
                                                      P.output_shift, P.act_min, P.act_max});
    REQUIRE(want.has_value());
    std::vector<std::int8_t> got(a.data.size());
    htvm::cpu::add_tflite<P>(256 * 256, a.data.data(), b.data.data(), got.data());
    CHECK(same_bytes(got, want->data, "add_tflite<P>, output path " + std::to_string(path)));
}

}  // namespace

TEST_CASE("add_tflite with compile-time parameters: each output path equals the reference on all input pairs") {
    constexpr std::int32_t half = 1 << 30;
    // Inputs (x - zp) * 2^20 * 0.5; output * 0.5 * 2^-18 and + 2: zp * 2^18 fits, the zero point folds.
    check_compile_time_add<htvm::tflite_add_params{1, -1, 2, 20, half, 0, half, 0, half, -18, -128, 127}>(0);
    // Right shift 25 with output zero point -100: -100 * 2^25 does not fit, the zero point is added after
    // the shift (outputs about -103 .. -97, rounding at every step).
    check_compile_time_add<htvm::tflite_add_params{5, -7, -100, 20, half, 0, half, -1, INT32_MAX, -25, -128, 127}>(1);
    // An output left shift (no right shift to round in): the general path.
    check_compile_time_add<htvm::tflite_add_params{0, 3, -10, 0, half, 0, half, 0, half, 1, -100, 120}>(2);
}

TEST_CASE("property: the computed ADD rescaling reproduces its full table (3,000 random inputs)") {
    // What add_tflite<P> rescales an input with, one high multiply and a shift (add_computed_lookup),
    // must equal TFLite's per-input arithmetic (add_rescaled_input, two roundings) for all 256 values,
    // for TFLite-like parameters: left shift 20, input multipliers in [2^29, 2^31) (real multipliers
    // up to 1), shifts 0 .. -20, so that both forms of the rounding (e = 0 and e > 0) are covered.
    rng r(0x5EED0010);
    int exact = 0, unshifted = 0;
    for (int done = 0; done < 3000; ++done) {
        const std::int32_t zero_point = random_zero_point(r);
        const std::int32_t multiplier = (1 << 29) + r.between(0, (1 << 30) + ((1 << 30) - 1) - (1 << 29));
        const std::int32_t shift = -r.between(0, 20);
        const htvm::cpu::detail::add_table full = htvm::cpu::detail::make_add_table(zero_point, 20, multiplier, shift);
        const htvm::cpu::detail::add_computed_lookup lookup =
            htvm::cpu::detail::make_add_computed_lookup(zero_point, 20, multiplier, shift);
        if (!htvm::cpu::detail::add_computed_reproduces(lookup, full)) continue;
        ++exact;
        unshifted += shift == 0 ? 1 : 0;
        for (int i = 0; i < 256; ++i) {
            const std::int32_t want =
                htvm::cpu::detail::add_rescaled_input(i - 128, zero_point, 20, multiplier, shift);
            const std::int32_t got = lookup(i - 128);
            REQUIRE_MESSAGE(got == want, "zp " << zero_point << " m " << multiplier << " s " << shift << " x "
                                               << i - 128 << ": computed " << got << ", exact " << want);
        }
    }
    // Every one of these is reproduced (the flash saving applies to real networks).
    CHECK(exact == 3000);
    CHECK(unshifted > 50);
}

TEST_CASE("the computed ADD rescaling rounds ties as TFLite does") {
    // m = 2^30 (0.5), left shift 20: a = d * 2^20, a * m / 2^31 = d * 2^19 has no fraction; shift -20
    // then divides by 2^20, so d = +-1 lands exactly on +-0.5 and d = +-3 on +-1.5: TFLite's
    // RoundingDivideByPOT rounds those half away from zero (1, -1, 2, -2).
    constexpr htvm::cpu::detail::add_computed_lookup lookup =
        htvm::cpu::detail::make_add_computed_lookup(0, 20, 1 << 30, -20);
    static_assert(lookup(1) == 1 && lookup(-1) == -1 && lookup(3) == 2 && lookup(-3) == -2 && lookup(0) == 0);
    // A multiplier of 2^29 + 2^10 and no right shift: a * m / 2^31 = d * 2^18 + d / 2, a tie for every
    // odd d, which SaturatingRoundingDoublingHighMul rounds up (toward +infinity): d = 1 (x = -99)
    // gives 2^18 + 1, d = -1 (x = -101) gives -2^18.
    constexpr std::int32_t m = (1 << 29) + (1 << 10);
    constexpr htvm::cpu::detail::add_table full = htvm::cpu::detail::make_add_table(-100, 20, m, 0);
    constexpr htvm::cpu::detail::add_computed_lookup halves =
        htvm::cpu::detail::make_add_computed_lookup(-100, 20, m, 0);
    static_assert(htvm::cpu::detail::add_computed_reproduces(halves, full));
    static_assert(halves(-99) == (1 << 18) + 1 && halves(-101) == -(1 << 18));
    for (int x = -128; x < 128; ++x) CHECK(halves(x) == htvm::cpu::detail::add_rescaled_input(x, -100, 20, m, 0));
}

namespace {
// A table no computed rescaling can follow: add_lookup then reads the full table.
constexpr htvm::cpu::detail::add_table zigzag_table = [] {
    htvm::cpu::detail::add_table t{};
    for (int i = 0; i < 256; ++i) t.value[i] = (i % 2 == 0 ? 1000 : -1000) * i;
    return t;
}();
constexpr htvm::cpu::detail::add_computed_lookup zigzag_computed =
    htvm::cpu::detail::make_add_computed_lookup(0, 20, 1 << 30, -10);
// A right shift of 31 would need a post shift of 32: not reproduced, whatever the table.
constexpr htvm::cpu::detail::add_computed_lookup too_far =
    htvm::cpu::detail::make_add_computed_lookup(0, 20, 1 << 30, -31);
}  // namespace

TEST_CASE("an ADD rescaling the formula does not reproduce keeps the full table") {
    static_assert(!htvm::cpu::detail::add_computed_reproduces(zigzag_computed, zigzag_table));
    static_assert(
        !htvm::cpu::detail::add_computed_reproduces(too_far, htvm::cpu::detail::make_add_table(0, 20, 1 << 30, -31)));
    const auto lookup = htvm::cpu::detail::add_lookup<zigzag_table, zigzag_computed>();
    static_assert(std::is_same_v<decltype(lookup), const htvm::cpu::detail::add_full_lookup<zigzag_table>>);
    for (int x = -128; x < 128; ++x) CHECK(lookup(x) == zigzag_table.value[x + 128]);
}

TEST_CASE("property: DIANA add equals the reference (150 random layers)") {
    rng r(0x5EED0007);
    for (int done = 0; done < 150; ++done) {
        const int n = r.between(1, 300);
        tensor a(1, 1, n), b(1, 1, n);
        fill(r, a.data);
        fill(r, b.data);
        htvm::diana_requant d{.shift = r.between(0, 31), .relu = r.percent(50)};
        if (r.percent(30)) random_activation_range(r, d.clip_min, d.clip_max);
        if (d.relu && d.clip_max < 0) d.relu = false;  // empty range: see random_requant
        const tensor want = ref::add_diana(a, b, d.shift, d.relu, d.clip_min, d.clip_max);
        std::vector<std::int8_t> got(a.data.size());
        htvm::cpu::add_diana(n, d, a.data.data(), b.data.data(), got.data());
        if (!same_bytes(got, want.data, "add_diana shift " + std::to_string(d.shift))) break;
    }
}

TEST_CASE("property: clip and pad equal the reference (100 + 100 random layers)") {
    rng r(0x5EED0008);
    for (int done = 0; done < 100; ++done) {
        tensor in(1, 1, r.between(1, 500));
        fill(r, in.data);
        const std::int32_t lo = r.between(-128, 127), hi = r.between(lo, 127);
        const tensor want = ref::clip(in, lo, hi);
        std::vector<std::int8_t> got = in.data;  // in place
        htvm::cpu::clip(in.size(), lo, hi, got.data(), got.data());
        if (!same_bytes(got, want.data, "clip [" + std::to_string(lo) + "," + std::to_string(hi) + "]")) break;
    }
    for (int done = 0; done < 100; ++done) {
        const int h = r.between(1, 9), w_ = r.between(1, 9), ch = random_channels(r);
        tensor in(h, w_, ch);
        fill(r, in.data);
        const int top = r.between(0, 3), bottom = r.between(0, 3), left = r.between(0, 3), right = r.between(0, 3);
        const std::int8_t value = r.byte();
        const tensor want = ref::pad(in, top, bottom, left, right, value);
        std::vector<std::int8_t> got(want.data.size());
        htvm::cpu::pad(htvm::shape{1, in.h, in.w, in.c}, top, left, htvm::shape{1, want.h, want.w, want.c}, value,
                       in.data.data(), got.data());
        if (!same_bytes(got, want.data, "pad " + describe_window(in, ref::window{}))) break;
    }
}

TEST_CASE("property: softmax equals the reference, its parameters equal TFLite's Prepare (300 random layers)") {
    rng r(0x5EED0009);
    int failures = 0;
    for (int done = 0; done < 300 && failures < 5; ++done) {
        // Parameters from (beta, input scale): typical, saturated (left shift 31) or barely above
        // TFLite's lower limit (beta * scale * 2^26 just over 1).
        double beta = 0.05 + 5.0 * r.unit(), scale = std::pow(10.0, -4.0 + 4.3 * r.unit());
        const int kind = r.between(0, 9);
        if (kind == 0) scale = 100.0 + 1e6 * r.unit();
        if (kind == 1) {
            beta = 1.0;
            scale = (1.0 + 3.0 * r.unit()) / static_cast<double>(1 << 26);
        }
        if (kind == 2) beta = static_cast<double>(static_cast<float>(beta)), scale = static_cast<double>(static_cast<float>(scale));
        REQUIRE(htvm::tflite_softmax_params_supported(beta, scale));
        const htvm::tflite_softmax_params hp = htvm::tflite_softmax_params_for(beta, scale);
        const ref::softmax_params rp = ref::softmax_params_for(beta, scale);
        CHECK(hp.input_multiplier == rp.multiplier);
        CHECK(hp.input_left_shift == rp.left_shift);
        CHECK(hp.diff_min == rp.diff_min);

        // Mostly short rows; some long enough (512+ near-equal values) for the sum of exps to pass 512,
        // where TFLite stops and htvm returns the rounded probability 0.
        const int depth_kind = r.between(0, 19);
        const int rows = r.between(1, 4);
        const int depth = depth_kind < 14 ? r.between(1, 64) : depth_kind < 19 ? r.between(65, 300) : r.between(500, 2000);
        tensor in(1, rows, depth);
        const int pattern = depth > 400 && r.percent(60) ? r.between(4, 6) : r.between(0, 9);
        const int top = r.between(-128, 127);
        for (auto& v : in.data) {
            if (pattern < 4) v = r.byte();                                                      // anything
            else if (pattern < 6) v = static_cast<std::int8_t>(std::max(-128, top - r.between(0, 10)));  // close values
            else if (pattern < 7) v = static_cast<std::int8_t>(top);                           // all equal
            else if (pattern < 8) v = r.percent(50) ? std::int8_t{-128} : (r.percent(50) ? std::int8_t{127} : r.byte());
            else v = static_cast<std::int8_t>(std::clamp(top + rp.diff_min + r.between(-2, 2), -128, 127));  // near diff_min
        }
        if (pattern >= 8) in.data[0] = static_cast<std::int8_t>(top);  // the row maximum sits diff_min above
        const tensor want = ref::softmax(in, rp);
        std::vector<std::int8_t> got = in.data;
        const bool in_place = r.percent(50);
        std::vector<std::int8_t> separate(got.size());
        htvm::cpu::softmax(rows, depth, hp, got.data(), in_place ? got.data() : separate.data());
        if (!in_place) got = separate;
        std::ostringstream o;
        o << "softmax rows " << rows << " depth " << depth << " pattern " << pattern << " m " << rp.multiplier << " ls "
          << rp.left_shift << " diff_min " << rp.diff_min;
        if (!same_bytes(got, want.data, o.str())) ++failures;
    }
}

// ---- scalar arithmetic --------------------------------------------------------------------------

namespace {
std::int32_t random_int32(rng& r) {
    static constexpr std::int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30), -2, -1, 0, 1, 2, 1 << 30, INT32_MAX - 1,
                                             INT32_MAX};
    const int p = r.between(0, 9);
    if (p == 0) return edges[r.between(0, 10)];
    if (p < 4) return static_cast<std::int32_t>(r.uniform(-(1 << 16), 1 << 16));
    return static_cast<std::int32_t>(r.uniform(INT32_MIN, INT32_MAX));
}
}  // namespace

TEST_CASE("property: requantization arithmetic equals the exact reference on 300000 operand sets") {
    rng r(0x5EED000A);
    int mismatches = 0;
    for (int i = 0; i < 100000 && mismatches < 5; ++i) {
        const std::int32_t a = random_int32(r), b = random_int32(r);
        if (htvm::saturating_rounding_doubling_high_mul(a, b) != ref::doubling_high_mul(a, b)) {
            ++mismatches;
            FAIL_CHECK("saturating_rounding_doubling_high_mul(" << a << ", " << b << ")");
        }
        const int e = r.between(0, 31);
        if (htvm::rounding_divide_by_pot(a, e) != ref::rounding_shift_right(a, e)) {
            ++mismatches;
            FAIL_CHECK("rounding_divide_by_pot(" << a << ", " << e << ")");
        }
        const std::int32_t m = r.percent(80) ? static_cast<std::int32_t>(r.uniform(0, INT32_MAX)) : random_int32(r);
        const int s = r.between(-31, 30);
        const auto want = ref::scale(a, m, s);
        if (want && htvm::multiply_by_quantized_multiplier(a, m, s) != *want) {
            ++mismatches;
            FAIL_CHECK("multiply_by_quantized_multiplier(" << a << ", " << m << ", " << s << ")");
        }
    }
    CHECK(mismatches == 0);
}

namespace {

// narrow_is_exact is what both the run-time check and the compile-time proof (narrow_everywhere)
// rest on: wherever it accepts (multiplier, shift, zero point, bound), apply_narrow of that zero
// point placement must equal the exact requantization for |acc| <= bound, the bound itself included.
// Returns how many random parameter sets it accepted.
template <htvm::cpu::zero_point_add add, class Stage>
int check_narrow_is_exact(std::uint64_t seed) {
    using channel = htvm::cpu::basic_tflite_channel<add>;
    rng r(seed);
    int accepted = 0, mismatches = 0;
    for (int i = 0; i < 20000 && mismatches < 5; ++i) {
        // 6 %: a zero multiplier (pruned channels), accepted whatever the bound.
        const std::int32_t m = r.percent(6) ? 0 : static_cast<std::int32_t>(r.uniform(0, INT32_MAX));
        const int shift = r.between(-31, 4);
        const std::int32_t zp = random_zero_point(r);
        const std::uint64_t bound = r.uniform(0, i64{1} << r.between(1, 31));
        if (!channel::narrow_is_exact(shift > 0 ? shift : 0, shift > 0 ? 0 : -shift, static_cast<std::uint64_t>(m),
                                      zp, bound))
            continue;
        ++accepted;
        htvm::tflite_requant t{.output_zero_point = zp, .act_min = -128, .act_max = 127};
        t.multiplier = m;
        t.shift = shift;
        const htvm::requant rq = t;
        const channel ch = Stage(t).at(0);
        const i64 b = static_cast<i64>(bound);
        for (const i64 acc : {b, -b, b - 1, -b + 1, i64{0}, static_cast<i64>(r.uniform(0, 2 * b)) - b}) {
            if (acc < -b || acc > b) continue;
            const std::int8_t want = rq.apply(static_cast<std::int32_t>(acc), 0);
            const std::int8_t got = ch.apply_narrow(static_cast<std::uint32_t>(static_cast<std::int32_t>(acc)));
            if (got != want) {
                ++mismatches;
                FAIL_CHECK("apply_narrow(" << acc << "), multiplier " << m << " shift " << shift << " zp " << zp
                                           << " bound " << bound << ": " << int{got} << ", exact " << int{want});
            }
        }
    }
    CHECK(mismatches == 0);
    return accepted;
}

}  // namespace

TEST_CASE("property: the narrow output stage is exact for every accumulator within a bound it accepts") {
    using htvm::cpu::zero_point_add;
    const int after_shift =
        check_narrow_is_exact<zero_point_add::after_shift, htvm::cpu::tflite_narrow_output>(0x5EED000D);
    const int folded =
        check_narrow_is_exact<zero_point_add::folded, htvm::cpu::tflite_narrow_folded_output>(0x5EED000D);
    // The generator reaches the accepted regions often enough to mean something; folding the zero
    // point accepts less (zp * 2^e must fit as well).
    CHECK(folded > 2000);
    CHECK(after_shift > folded);
}

TEST_CASE("narrow_everywhere: rejects what the narrow stage cannot do exactly") {
    const std::vector<std::int32_t> small_bias{100, -100};
    htvm::tflite_requant t{.output_zero_point = 3, .act_min = -128, .act_max = 127};
    t.multiplier = 1 << 30;
    t.shift = -8;
    CHECK(htvm::narrow_everywhere(layer_for_narrow_check(small_bias, t), 2, 8));
    // With this bias |acc| may pass 2^31: the wide stage is needed.
    const std::vector<std::int32_t> huge_bias{100, 2147400000};
    CHECK_FALSE(htvm::narrow_everywhere(layer_for_narrow_check(huge_bias, t), 2, 8));
    // Only the first channel counts when the layer has one: the second one is not read.
    CHECK(htvm::narrow_everywhere(layer_for_narrow_check(huge_bias, t), 1, 8));
    // Shift 0 (no right shift): (x - [x < 0]) >> 0 is not x, the narrow formula does not apply...
    htvm::tflite_requant unshifted = t;
    unshifted.shift = 0;
    CHECK_FALSE(htvm::narrow_everywhere(layer_for_narrow_check(small_bias, unshifted), 2, 8));
    // ... unless the multiplier is 0 (a pruned channel: x = 0 whatever the accumulator).
    htvm::tflite_requant pruned = unshifted;
    pruned.multiplier = 0;
    CHECK(htvm::narrow_everywhere(layer_for_narrow_check(huge_bias, pruned), 2, 8));
    // The zero point folds into the rounding add only while zp * 2^e fits as well: MobileNet's pruned
    // channels (bias 2^30, right shift 27, zero point -128) take the narrow path, unfolded.
    const std::vector<std::int32_t> pruned_bias{1 << 30, -(1 << 30)};
    htvm::tflite_requant large_shift = t;
    large_shift.output_zero_point = -128;
    large_shift.multiplier = 1121110181;
    large_shift.shift = -27;
    const htvm::layer pruned_layer = layer_for_narrow_check(pruned_bias, large_shift);
    CHECK(htvm::narrow_everywhere(pruned_layer, 2, 8, htvm::cpu::zero_point_add::after_shift));
    CHECK_FALSE(htvm::narrow_everywhere(pruned_layer, 2, 8, htvm::cpu::zero_point_add::folded));
    CHECK(htvm::narrow_everywhere(layer_for_narrow_check(small_bias, t), 2, 8, htvm::cpu::zero_point_add::folded));
    // A negative multiplier goes through the exact path.
    const std::vector<std::int32_t> multipliers{1 << 30, -5}, shifts{-8, -8};
    htvm::tflite_requant per_channel = t;
    per_channel.multipliers = multipliers.data();
    per_channel.shifts = shifts.data();
    CHECK_FALSE(htvm::narrow_everywhere(layer_for_narrow_check(small_bias, per_channel), 2, 8));
    // DIANA's requantization has no narrow stage to prove.
    CHECK_FALSE(htvm::narrow_everywhere(
        layer_for_narrow_check(small_bias, htvm::diana_requant{.shift = 4, .clip_max = 127}), 2, 8));
}

TEST_CASE("property: quantize_multiplier equals TFLite's frexp/round formulation on 20000 reals") {
    rng r(0x5EED000B);
    int mismatches = 0;
    for (int i = 0; i < 20000 && mismatches < 5; ++i) {
        double real = 0;
        const int kind = r.between(0, 3);
        const double u = r.unit();
        const auto q31 = static_cast<double>(r.uniform(1 << 30, INT32_MAX));
        const int e = r.between(-45, 40);
        if (kind == 0) real = std::ldexp(0.5 + 0.5 * u, e);                        // any magnitude
        if (kind == 1) real = std::ldexp(1.0 - std::ldexp(u, -31), e / 2 - 15);    // rounds up to 2^31
        if (kind == 2) real = std::ldexp(q31 + 0.5, -31 + e / 2 - 8);              // ties in the rounding
        if (kind == 3) real = static_cast<double>(static_cast<float>(std::pow(10.0, -13.0 + 14.0 * r.unit())));  // float scales
        const htvm::quantized_multiplier got = htvm::quantize_multiplier(real);
        const ref::q31 want = ref::quantize_multiplier(real);
        if (got.multiplier != want.multiplier || got.shift != want.shift) {
            ++mismatches;
            FAIL_CHECK("quantize_multiplier(" << real << "): " << got.multiplier << "/" << got.shift << " vs "
                                              << want.multiplier << "/" << want.shift);
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("property: softmax fixed-point helpers equal the reference at full precision") {
    // The int8 output hides the low bits of exp and of the reciprocal; compare the raw Q values.
    rng r(0x5EED000C);
    int mismatches = 0;
    for (int i = 0; i < 50000 && mismatches < 5; ++i) {
        const int p = r.between(0, 9);
        const auto a = static_cast<std::int32_t>(p == 0 ? -r.uniform(0, 1 << 26)  // exp(-2) .. 1
                                                 : p == 1 ? INT32_MIN + r.uniform(0, 3)
                                                          : r.uniform(INT32_MIN, 0));
        const std::int32_t e = htvm::fixed_point::exp_on_negative_values_q5(a);
        if (e != ref::exp_negative(ref::fixed<5>::from_raw(a)).raw) {
            ++mismatches;
            FAIL_CHECK("exp_on_negative_values_q5(" << a << ") = " << e);
        }
        const auto x = static_cast<std::int32_t>(p < 2 ? r.uniform(0, 3) + (p == 0 ? 0 : INT32_MAX - 3) : r.uniform(0, INT32_MAX));
        const std::int32_t inv = htvm::fixed_point::one_over_one_plus_x_for_x_in_0_1(x);
        if (inv != ref::one_over_one_plus(ref::fixed<0>::from_raw(x)).raw) {
            ++mismatches;
            FAIL_CHECK("one_over_one_plus_x_for_x_in_0_1(" << x << ") = " << inv);
        }
    }
    CHECK(mismatches == 0);
}
