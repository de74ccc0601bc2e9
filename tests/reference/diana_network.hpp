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

inline requant from_core(const htvm::diana_requant& rq) { return {rq.shift, rq.relu, rq.clip_min, rq.clip_max}; }

inline conv_geometry geometry_of(const htvm::layer& l, const tensor& in) {
    conv_geometry g{l.kernel.h, l.kernel.w, l.stride.h, l.stride.w, 0, 0, 0, 0};
    axis y{}, x{};
    if (l.pad.mode == htvm::padding_mode::same) {
        y = same_axis(in.h, l.kernel.h, l.stride.h);
        x = same_axis(in.w, l.kernel.w, l.stride.w);
    } else if (l.pad.mode == htvm::padding_mode::explicit_pads) {
        y = explicit_axis(in.h, l.kernel.h, l.stride.h, l.pad.top, l.pad.bottom);
        x = explicit_axis(in.w, l.kernel.w, l.stride.w, l.pad.left, l.pad.right);
    } else {
        y = explicit_axis(in.h, l.kernel.h, l.stride.h, 0, 0);
        x = explicit_axis(in.w, l.kernel.w, l.stride.w, 0, 0);
    }
    g.out_h = y.out;
    g.out_w = x.out;
    g.pad_top = y.before;
    g.pad_left = x.before;
    return g;
}

template <std::size_t N>
int producer_of(const htvm::network<N>& net, std::size_t i, int which) {
    const htvm::from& f = net.layers[i].inputs[which];
    if (f.is_previous()) return static_cast<int>(i) - 1;
    if (f.name == nullptr) return f.index;
    int found = -1;
    for (std::size_t j = 0; j < i; ++j)
        if (std::strcmp(net.layers[j].name, f.name) == 0) found = static_cast<int>(j);
    if (found < 0) throw std::runtime_error("reference: unknown input name");
    return found;
}

// Every layer's output for `input`; `choice(i)` says which arithmetic layer i uses.
template <std::size_t N, class Choice>
std::vector<tensor> run(const htvm::network<N>& net, const std::vector<std::int8_t>& input, Choice&& choice) {
    std::vector<tensor> out(N);
    for (std::size_t i = 0; i < N; ++i) {
        const htvm::layer& l = net.layers[i];
        if (l.kind == htvm::op::input) {
            out[i] = tensor{l.declared.h, l.declared.w, l.declared.c, input};
            continue;
        }
        const tensor& a = out[static_cast<std::size_t>(producer_of(net, i, 0))];
        switch (l.kind) {
            case htvm::op::conv2d: {
                const conv_geometry g = geometry_of(l, a);
                if (choice(i) == arithmetic::analog) {
                    const matrix t = unpack_analog(l.analog.weights.data, l.filters, a.c, l.kernel.h, l.kernel.w);
                    out[i] = conv_analog(a, g, t, l.analog.scale, l.analog.offset,
                                         requant{l.analog.shift, l.analog.relu, l.analog.clip_min, l.analog.clip_max});
                } else {
                    out[i] = conv_digital(a, g, l.weights.data, l.bias.data, l.filters, from_core(l.rq.diana));
                }
                break;
            }
            case htvm::op::depthwise_conv2d:
                out[i] = depthwise_digital(a, geometry_of(l, a), l.weights.data, l.bias.data, from_core(l.rq.diana));
                break;
            case htvm::op::dense:
                out[i] = dense_digital(a, l.weights.data, l.bias.data, l.filters, from_core(l.rq.diana));
                break;
            case htvm::op::add:
                out[i] = add_digital(a, out[static_cast<std::size_t>(producer_of(net, i, 1))], from_core(l.rq.diana));
                break;
            case htvm::op::avg_pool:
                if (l.pad.mode != htvm::padding_mode::valid) throw std::runtime_error("reference: avg_pool VALID only");
                out[i] = avg_pool(a, l.kernel.h, l.kernel.w, l.stride.h, l.stride.w);
                break;
            case htvm::op::global_avg_pool:
                out[i] = avg_pool(a, a.h, a.w, 1, 1);
                break;
            case htvm::op::reshape: {
                tensor t = a;
                if (l.declared.elements() == 0) { t.h = 1; t.w = 1; t.c = a.size(); }
                else { t.h = l.declared.h; t.w = l.declared.w; t.c = l.declared.c; }
                out[i] = t;
                break;
            }
            default:
                throw std::runtime_error("reference: operator not modeled");
        }
    }
    return out;
}

}  // namespace diana_ref
