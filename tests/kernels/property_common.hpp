// Shared by the kernel property tests (tests/kernels/property_*.cpp, one CTest test each): every CPU
// kernel against the independent reference (tests/reference/) on random layer configurations, bit
// for bit, plus the scalar requantization arithmetic on random and edge operands. Deterministic
// (fixed seeds, our own generator). Cases TFLite leaves undefined (int32 overflow) are never
// generated: the generator bounds positive shifts by the largest accumulator, and the reference
// refuses undefined cases, which makes the test fail rather than pass silently.
//
// This header holds what several of those files use: the random layer generators, the
// requantization specs, the descriptions and byte comparisons, the coverage counter and the check
// of the narrow output stages. Each test file says `using namespace property;`.
#pragma once

#include <doctest/doctest.h>

#include <htvm/cpu_target.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "reference/htvm_bridge.hpp"
#include "reference/random.hpp"

namespace property {

using ref::i64;
using ref::rng;
using ref::tensor;

inline void fill(rng& r, std::vector<std::int8_t>& v) {
    for (auto& x : v) x = r.byte();
}

inline std::vector<std::int8_t> random_bytes(rng& r, int n) {
    std::vector<std::int8_t> v(static_cast<std::size_t>(n));
    fill(r, v);
    return v;
}

// Channel counts 1..64, mostly small so that the suite stays fast.
inline int random_channels(rng& r) {
    const int p = r.between(0, 99);
    return p < 50 ? r.between(1, 8) : p < 78 ? r.between(9, 24) : p < 95 ? r.between(25, 63) : 64;
}

inline std::int32_t random_zero_point(rng& r) {
    const int p = r.between(0, 9);
    return p < 2 ? 0 : p < 3 ? -128 : p < 4 ? 127 : r.between(-128, 127);
}

// Kernel 1..7 per axis (non-square included), stride 1..2, any padding mode. `big_pads` allows
// explicit pads up to the window size and beyond (windows entirely in padding).
inline ref::window random_window(rng& r, bool big_pads) {
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

inline std::vector<std::int32_t> random_bias(rng& r, int n) {
    const int p = r.between(0, 9);
    if (p < 3) return {};
    const i64 range = p < 6 ? 1000 : p < 9 ? (i64{1} << 20) : (i64{1} << 28);
    std::vector<std::int32_t> b(static_cast<std::size_t>(n));
    for (auto& x : b) x = static_cast<std::int32_t>(r.uniform(-range, range));
    return b;
}

// Largest s with max_acc * 2^s <= 2^30, at most 30: beyond it TFLite's left shift overflows.
inline int max_positive_shift(i64 max_acc) {
    int s = 0;
    while (s < 30 && (max_acc << (s + 1)) <= (i64{1} << 30)) ++s;
    return s;
}

// A Q31 multiplier and shift: zero, extreme, unnormalised, realistic (from a random real scale,
// tiny ones flushing to (0, 0)), with shifts from -31 up to the largest defined positive one.
inline void random_multiplier(rng& r, int max_positive, std::int32_t& m, std::int32_t& s) {
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

inline form random_form(rng& r) {
    const int p = r.between(0, 9);
    return p < 3 ? form::tflite_per_tensor : p < 7 ? form::tflite_per_channel : form::diana;
}

inline void random_activation_range(rng& r, std::int32_t& lo, std::int32_t& hi) {
    lo = -128;
    hi = 127;
    if (r.percent(30)) {
        lo = r.between(-128, 127);
        hi = r.between(lo, 127);
    }
}

inline ref::requant_spec random_requant(rng& r, form f, int channels, std::int32_t input_zero_point, i64 max_acc) {
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

inline std::string describe_requant(const ref::requant_spec& s) {
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

inline std::string describe_window(const tensor& in, const ref::window& w) {
    std::ostringstream o;
    o << "in " << in.h << "x" << in.w << "x" << in.c << " kernel " << w.kh << "x" << w.kw << " stride " << w.sh << "x"
      << w.sw << " padding " << static_cast<int>(w.padding) << " (" << w.top << "," << w.bottom << "," << w.left << ","
      << w.right << ")";
    return o.str();
}

// Prints the first differing byte; true when equal.
inline bool same_bytes(const std::vector<std::int8_t>& got, const std::vector<std::int8_t>& want,
                       const std::string& what) {
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

inline const std::int32_t* bias_pointer(const std::vector<std::int32_t>& b) { return b.empty() ? nullptr : b.data(); }

// What the compile-time narrow_everywhere check reads of a MAC layer (here called at run time on
// the random layer): its bias and requantization.
struct narrow_case {
    htvm::bias_i32 bias{};
    htvm::requant rq{};
};
inline narrow_case layer_for_narrow_check(const std::vector<std::int32_t>& bias, const htvm::requant& rq) {
    narrow_case l{};
    if (!bias.empty()) l.bias = htvm::bias_i32(bias.data(), static_cast<int>(bias.size()));
    l.rq = rq;
    return l;
}
inline bool narrow_check(const narrow_case& l, int channels, int taps,
                         htvm::cpu::zero_point_add add = htvm::cpu::zero_point_add::after_shift) {
    return htvm::narrow_everywhere(l.rq, l.bias, channels, taps, add);
}

inline constexpr long mac_budget = 300000;  // per case: keeps the whole suite at a few seconds

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
    const narrow_case l = layer_for_narrow_check(bias, ref::to_htvm(rq));
    const bool narrow = narrow_check(l, channels, taps, zero_point_add::after_shift);
    const bool folded = narrow_check(l, channels, taps, zero_point_add::folded);
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

inline std::optional<conv_layer> random_conv_layer(rng& r, int h, int w_, int ic, const ref::window& w, int oc) {
    conv_layer layer{tensor(h, w_, ic), {}, {}};
    const ref::geometry g = ref::resolve(h, w_, w);
    if (g.out_h < 1 || g.out_w < 1) return std::nullopt;
    if (static_cast<long>(g.out_h) * g.out_w * oc * w.kh * w.kw * ic > mac_budget) return std::nullopt;
    fill(r, layer.in.data);
    layer.weights = random_bytes(r, oc * w.kh * w.kw * ic);
    layer.bias = random_bias(r, oc);
    return layer;
}

}  // namespace property
