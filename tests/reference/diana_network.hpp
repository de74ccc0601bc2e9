// Runs an htvm::network through the Eigen reference of diana_reference.hpp, layer by layer, with the
// arithmetic each layer is given: DIANA digital (int8 weights, bias, shift/clip: what the CPU and the
// digital accelerator compute) or analog (ternary weights, 7-bit inputs, ADC clip, batch norm).
// It reads the layer records (the network's definition) but none of htvm's analysis: producers,
// shapes and padding are worked out here again.
#pragma once
#include <htvm/layers.hpp>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "diana_reference.hpp"

namespace diana_ref {

enum class arithmetic { digital, analog };

inline requant from_core(const htvm::shift_requant& rq) { return {rq.shift, rq.relu, rq.clip_min, rq.clip_max}; }

inline conv_geometry geometry_of(htvm::hw kernel, htvm::hw stride, const htvm::padding& pad, const tensor& in) {
    conv_geometry g{kernel.h, kernel.w, stride.h, stride.w, 0, 0, 0, 0};
    axis y{}, x{};
    if (pad.mode == htvm::padding_mode::same) {
        y = same_axis(in.h, kernel.h, stride.h);
        x = same_axis(in.w, kernel.w, stride.w);
    } else if (pad.mode == htvm::padding_mode::explicit_pads) {
        y = explicit_axis(in.h, kernel.h, stride.h, pad.top, pad.bottom);
        x = explicit_axis(in.w, kernel.w, stride.w, pad.left, pad.right);
    } else {
        y = explicit_axis(in.h, kernel.h, stride.h, 0, 0);
        x = explicit_axis(in.w, kernel.w, stride.w, 0, 0);
    }
    g.out_h = y.out;
    g.out_w = x.out;
    g.pad_top = y.before;
    g.pad_left = x.before;
    return g;
}

template <std::size_t N>
int producer_of(const htvm::network<N>& net, std::size_t i, int which) {
    const htvm::from& f = net.layers[i].operands().ref[which];
    if (f.is_previous()) return static_cast<int>(i) - 1;
    if (f.name == nullptr) return f.index;
    int found = -1;
    for (std::size_t j = 0; j < i; ++j)
        if (std::strcmp(net.layers[j].name(), f.name) == 0) found = static_cast<int>(j);
    if (found < 0) throw std::runtime_error("reference: unknown input name");
    return found;
}

// The analog form that `forms` gives the layer called `name` (the reference's own lookup).
inline const htvm::diana::analog_variant& analog_form_of(const htvm::diana::forms_view& forms, const char* name) {
    for (std::size_t k = 0; k < forms.count; ++k)
        if (forms.entry[k].layer != nullptr && std::strcmp(forms.entry[k].layer, name) == 0) return forms.entry[k].analog;
    throw std::runtime_error("reference: an analog layer without an analog form");
}

// Every layer's output for `input`; `choice(i)` says which arithmetic layer i uses; the analog
// layers' constants come from `forms`.
template <std::size_t N, class Choice>
std::vector<tensor> run(const htvm::network<N>& net, const std::vector<std::int8_t>& input, Choice&& choice,
                        const htvm::diana::forms_view& forms = {}) {
    using htvm::get;
    using htvm::is;
    std::vector<tensor> out(N);
    for (std::size_t i = 0; i < N; ++i) {
        const htvm::layer& l = net.layers[i];
        if (is<htvm::input>(l)) {
            const htvm::shape s = get<htvm::input>(l).shape;
            out[i] = tensor{s.h, s.w, s.c, input};
            continue;
        }
        const tensor& a = out[static_cast<std::size_t>(producer_of(net, i, 0))];
        if (is<htvm::conv2d>(l)) {
            const auto& op = get<htvm::conv2d>(l);
            const conv_geometry g = geometry_of(op.kernel, op.stride, op.padding, a);
            if (choice(i) == arithmetic::analog) {
                const auto& an = analog_form_of(forms, op.name);
                const matrix t = unpack_analog(an.weights.data, op.filters, a.c, op.kernel.h, op.kernel.w);
                out[i] = conv_analog(a, g, t, an.scale, an.offset, requant{an.shift, an.relu, an.clip_min, an.clip_max});
            } else {
                out[i] = conv_digital(a, g, op.weights.data, op.bias.data, op.filters, from_core(op.requant.shifted));
            }
        } else if (is<htvm::depthwise_conv2d>(l)) {
            const auto& op = get<htvm::depthwise_conv2d>(l);
            out[i] = depthwise_digital(a, geometry_of(op.kernel, op.stride, op.padding, a), op.weights.data, op.bias.data,
                                       from_core(op.requant.shifted));
        } else if (is<htvm::dense>(l)) {
            const auto& op = get<htvm::dense>(l);
            out[i] = dense_digital(a, op.weights.data, op.bias.data, op.units, from_core(op.requant.shifted));
        } else if (is<htvm::add>(l)) {
            out[i] = add_digital(a, out[static_cast<std::size_t>(producer_of(net, i, 1))], from_core(get<htvm::add>(l).requant));
        } else if (is<htvm::avg_pool>(l)) {
            const auto& op = get<htvm::avg_pool>(l);
            if (op.padding.mode != htvm::padding_mode::valid) throw std::runtime_error("reference: avg_pool VALID only");
            out[i] = avg_pool(a, op.window.h, op.window.w, op.stride.h, op.stride.w);
        } else if (is<htvm::global_avg_pool>(l)) {
            out[i] = avg_pool(a, a.h, a.w, 1, 1);
        } else if (is<htvm::reshape>(l)) {
            const htvm::shape to = get<htvm::reshape>(l).to;
            tensor t = a;
            if (to.elements() == 0) { t.h = 1; t.w = 1; t.c = a.size(); }
            else { t.h = to.h; t.w = to.w; t.c = to.c; }
            out[i] = t;
        } else {
            throw std::runtime_error("reference: operator not modeled");
        }
    }
    return out;
}

}  // namespace diana_ref
