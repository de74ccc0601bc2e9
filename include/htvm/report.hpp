// Compile reports for any compiled model: a per-layer table (operator, output shape, MACs, arena
// offset and bytes, live range) with totals, and the arena plan over time as an SVG picture.
// Everything printed comes from compile-time constants; only <cstdio> is used, so the report also
// works in firmware over semihosting.
#pragma once
#include <cstddef>
#include <cstdio>

#include "model.hpp"

namespace htvm {

template <class Model>
struct model_totals {
    long long macs = 0;
    int weight_bytes = 0;  // int8 weights + int32 biases, as the layers reference them
};

template <const auto& net, class Target>
constexpr model_totals<model<net, Target>> totals_of(const model<net, Target>*) {
    using m = model<net, Target>;
    model_totals<m> t{};
    for (std::size_t i = 0; i < m::layer_count; ++i) {
        t.macs += layer_macs(net, m::graph, i);
        t.weight_bytes += visit(net.layers[i], [](const auto& op) {
            if constexpr (mac_operation<std::remove_cvref_t<decltype(op)>>) return op.weights.size + 4 * op.bias.size;
            else return 0;
        });
    }
    return t;
}

template <class Model>
constexpr model_totals<Model> totals() {
    return totals_of(static_cast<const Model*>(nullptr));
}

// Prints one row per layer and the totals to `out` (stdout by default).
template <class Model, const auto& net>
void print_memory_report(std::FILE* out = stdout) {
    constexpr auto t = totals<Model>();
    std::fprintf(out, "  #  %-16s %-17s %-14s %10s %8s %7s %s\n", "layer", "op", "output", "MACs", "offset", "bytes",
                 "live");
    for (std::size_t i = 0; i < Model::layer_count; ++i) {
        const shape s = Model::graph.output[i];
        const int root = Model::plan.root[i];
        std::fprintf(out, "%3d  %-16.16s %-17s %3dx%3dx%4d %10lld %8d %7d %d..%d%s\n", static_cast<int>(i), Model::layers[i].name,
                     Model::layers[i].op, s.h, s.w, s.c, Model::layers[i].macs, Model::plan.offset[i],
                     s.elements(), Model::plan.first_use[root], Model::plan.last_use[root],
                     root != static_cast<int>(i) ? " (shares its input's memory)" : "");
    }
    std::fprintf(out, "total: %lld MACs, %d B of weights and biases, arena %d B (lower bound %d B), %d buffers\n",
                 t.macs, t.weight_bytes, Model::arena_bytes, Model::lower_bound_bytes, Model::plan.buffers);
}

// The arena over time: x = execution step, y = arena offset; one rectangle per buffer.
template <class Model, const auto& net>
void write_memory_plan_svg(std::FILE* out, const char* title) {
    constexpr int steps = static_cast<int>(Model::layer_count) + 1;
    constexpr int width = 900, height = 480, left = 70, top = 40, bottom = 40, right = 20;
    const double x_scale = static_cast<double>(width - left - right) / steps;
    const double y_scale =
        static_cast<double>(height - top - bottom) / (Model::arena_bytes > 0 ? Model::arena_bytes : 1);
    std::fprintf(out,
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                 "font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                 "<text x=\"%d\" y=\"20\" font-size=\"14\">%s: arena %d B, lower bound %d B</text>\n",
                 width, height, left, title, Model::arena_bytes, Model::lower_bound_bytes);
    for (std::size_t b = 0; b < Model::layer_count; ++b) {
        if (Model::plan.root[b] != static_cast<int>(b) || Model::plan.bytes[b] == 0) continue;
        const double x = left + Model::plan.first_use[b] * x_scale;
        const double w = (Model::plan.last_use[b] - Model::plan.first_use[b] + 1) * x_scale;
        const double y = top + Model::plan.offset[b] * y_scale;
        const double h = Model::plan.bytes[b] * y_scale;
        const int hue = static_cast<int>(b * 47 % 360);
        std::fprintf(out,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"hsl(%d,60%%,70%%)\" "
                     "stroke=\"black\" stroke-width=\"0.5\"><title>%s: %d B at offset %d, steps %d..%d</title></rect>\n",
                     x, y, w, h > 0.5 ? h : 0.5, hue, Model::layers[b].name, Model::plan.bytes[b], Model::plan.offset[b],
                     Model::plan.first_use[b], Model::plan.last_use[b]);
        if (h > 12 && w > 40)
            std::fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 3, y + 12, Model::layers[b].name);
    }
    std::fprintf(out,
                 "<text x=\"%d\" y=\"%d\">execution step (layer) &#8594;</text>\n"
                 "<text x=\"10\" y=\"%d\">offset 0</text><text x=\"10\" y=\"%d\">%d B</text>\n</svg>\n",
                 left, height - 12, top + 10, height - bottom, Model::arena_bytes);
}

}  // namespace htvm
