// Glue between htvm's parameter records and the reference: turns htvm::requant, layer records and
// whole networks into reference calls. It reads htvm's plain data (layers.hpp, network<N>) only; it
// never calls htvm's kernels, its quant.hpp arithmetic or its graph analysis (inputs are resolved by
// name here, shapes and padding come from reference/layers.hpp).
#pragma once
#include <htvm/graph.hpp>
#include <htvm/kernels/geometry.hpp>
#include <htvm/layers.hpp>

#include <cstddef>
#include <cstring>
#include <vector>

#include "layers.hpp"
#include "softmax.hpp"

namespace ref {

inline requant_spec from_htvm(const htvm::requant& rq, int channels) {
    requant_spec s;
    if (rq.kind == htvm::requant_kind::shift) {
        s.form = requant_spec::kind::diana;
        s.diana_shift = rq.shifted.shift;
        s.relu = rq.shifted.relu;
        s.clip_min = rq.shifted.clip_min;
        s.clip_max = rq.shifted.clip_max;
        return s;
    }
    // TFLite (kind none carries TFLite's defaults: multiplier 0, so every output is the zero point).
    const htvm::tflite_requant& t = rq.tflite;
    if (t.multipliers != nullptr) {
        s.multipliers.assign(t.multipliers, t.multipliers + channels);
        s.shifts.assign(t.shifts, t.shifts + channels);
    } else {
        s.multipliers = {t.multiplier};
        s.shifts = {t.shift};
    }
    s.input_zero_point = t.input_zero_point;
    s.output_zero_point = t.output_zero_point;
    s.act_min = t.act_min;
    s.act_max = t.act_max;
    return s;
}

inline window window_of(htvm::hw kernel, htvm::hw stride, const htvm::padding& p) {
    window w{kernel.h, kernel.w, stride.h, stride.w, pad_kind::valid, p.top, p.bottom, p.left, p.right};
    if (p.mode == htvm::padding_mode::same) w.padding = pad_kind::same;
    if (p.mode == htvm::padding_mode::explicit_pads) w.padding = pad_kind::explicit_pads;
    return w;
}

inline add_params from_htvm(const htvm::tflite_add_params& p) {
    return {p.input1_zero_point, p.input2_zero_point, p.output_zero_point, p.left_shift,
            p.input1_multiplier, p.input2_multiplier, p.output_multiplier,
            p.input1_shift,      p.input2_shift,      p.output_shift,
            p.act_min,           p.act_max};
}

inline softmax_params from_htvm(const htvm::tflite_softmax_params& p) {
    return {p.input_multiplier, p.input_left_shift, p.diff_min};
}

// The other direction, for driving htvm's kernels with a reference case. The returned requant points
// into `s` (per-channel arrays): keep `s` alive while it is used.
inline htvm::requant to_htvm(const requant_spec& s) {
    if (s.form == requant_spec::kind::diana)
        return htvm::shift_requant{.shift = s.diana_shift, .relu = s.relu, .clip_min = s.clip_min, .clip_max = s.clip_max};
    htvm::tflite_requant t{.input_zero_point = s.input_zero_point,
                           .output_zero_point = s.output_zero_point,
                           .act_min = s.act_min,
                           .act_max = s.act_max};
    if (s.multipliers.size() > 1) {
        t.multipliers = s.multipliers.data();
        t.shifts = s.shifts.data();
    } else {
        t.multiplier = s.multipliers[0];
        t.shift = s.shifts[0];
    }
    return t;
}

inline htvm::cpu::window_geometry to_htvm(const tensor& in, const window& w, int out_channels) {
    const geometry g = resolve(in.h, in.w, w);
    return {htvm::shape{1, in.h, in.w, in.c}, htvm::shape{1, g.out_h, g.out_w, out_channels}, htvm::hw{w.kh, w.kw},
            htvm::hw{w.sh, w.sw}, g.pad_top, g.pad_left};
}

template <class T>
std::vector<T> copy_of(const htvm::const_span<T>& s) {
    return s.empty() ? std::vector<T>{} : std::vector<T>(s.data, s.data + s.size);
}

// Output of every layer of `net` for `input`, computed by the reference. Empty tensors (size 0 data)
// mark a layer whose result TFLite leaves undefined.
template <std::size_t N>
std::vector<tensor> run_network(const htvm::network<N>& net, const tensor& input) {
    using htvm::get;
    using htvm::is;
    std::vector<tensor> out(N);
    auto producer = [&](std::size_t i, int which) -> const tensor& {
        const htvm::from& f = net.layers[i].operands().ref[which];
        if (f.name != nullptr) {
            for (std::size_t j = i; j-- > 0;)
                if (std::strcmp(net.layers[j].name(), f.name) == 0) return out[j];
            require(false, "unknown layer name");
        }
        return out[f.index >= 0 ? static_cast<std::size_t>(f.index) : i - 1];
    };
    auto finish = [](const std::optional<tensor>& t) { return t ? *t : tensor(0, 0, 0); };
    for (std::size_t i = 0; i < N; ++i) {
        const htvm::layer& l = net.layers[i];
        if (is<htvm::input>(l)) {
            out[i] = input;
        } else if (is<htvm::conv2d>(l)) {
            const auto& op = get<htvm::conv2d>(l);
            const requant_spec rq = from_htvm(op.requant, op.filters);
            out[i] = finish(requantize(conv2d(producer(i, 0), copy_of(op.weights), op.filters, copy_of(op.bias),
                                              window_of(op.kernel, op.stride, op.padding), rq.input_zero_point),
                                       rq));
        } else if (is<htvm::depthwise_conv2d>(l)) {
            const auto& op = get<htvm::depthwise_conv2d>(l);
            const tensor& in = producer(i, 0);
            const requant_spec rq = from_htvm(op.requant, in.c);
            out[i] = finish(requantize(depthwise_conv2d(in, copy_of(op.weights), copy_of(op.bias),
                                                        window_of(op.kernel, op.stride, op.padding), rq.input_zero_point),
                                       rq));
        } else if (is<htvm::dense>(l)) {
            const auto& op = get<htvm::dense>(l);
            const requant_spec rq = from_htvm(op.requant, op.units);
            out[i] = finish(requantize(
                dense(producer(i, 0), copy_of(op.weights), op.units, copy_of(op.bias), rq.input_zero_point), rq));
        } else if (is<htvm::add>(l)) {
            const auto& op = get<htvm::add>(l);
            if (op.use_tflite)
                out[i] = finish(add_tflite(producer(i, 0), producer(i, 1), from_htvm(op.tflite)));
            else
                out[i] = add_diana(producer(i, 0), producer(i, 1), op.requant.shift, op.requant.relu, op.requant.clip_min,
                                   op.requant.clip_max);
        } else if (is<htvm::avg_pool>(l)) {
            const auto& op = get<htvm::avg_pool>(l);
            out[i] = pool(producer(i, 0), window_of(op.window, op.stride, op.padding), false, op.act_min, op.act_max);
        } else if (is<htvm::max_pool>(l)) {
            const auto& op = get<htvm::max_pool>(l);
            out[i] = pool(producer(i, 0), window_of(op.window, op.stride, op.padding), true, op.act_min, op.act_max);
        } else if (is<htvm::global_avg_pool>(l)) {
            const auto& op = get<htvm::global_avg_pool>(l);
            out[i] = global_avg_pool(producer(i, 0), op.act_min, op.act_max);
        } else if (is<htvm::reshape>(l)) {
            tensor t = producer(i, 0);
            const htvm::shape to = get<htvm::reshape>(l).to;
            if (to.elements() == 0) {
                t.c = t.size();
                t.h = t.w = 1;
            } else {
                t.h = to.h;
                t.w = to.w;
                t.c = to.c;
            }
            out[i] = t;
        } else if (is<htvm::softmax>(l)) {
            out[i] = softmax(producer(i, 0), from_htvm(get<htvm::softmax>(l).params));
        } else if (is<htvm::clip>(l)) {
            out[i] = clip(producer(i, 0), get<htvm::clip>(l).min, get<htvm::clip>(l).max);
        } else if (is<htvm::pad>(l)) {
            const auto& op = get<htvm::pad>(l);
            out[i] = pad(producer(i, 0), op.top, op.bottom, op.left, op.right, op.value);
        } else {
            require(false, "operator not modeled by the reference");
        }
    }
    return out;
}

}  // namespace ref
