// The dispatch table: per layer its name, operator, unit, the reason it is there and its modeled
// cycles. It is a constant (read it in static_asserts) and it prints as text lines at run time:
//
//     constexpr auto& r = htvm::diana::dispatch_table_of<net, htvm::diana::policy::mixed>;
//     static_assert(r.layer[5].where.target == htvm::diana::unit::analog);
//     htvm::diana::print_dispatch_table(r, [](const char* line) { std::printf("%s\n", line); });
//
// The library itself never calls printf: the caller decides where lines go.
#pragma once
#include <cstddef>

#include "../graph.hpp"
#include "../layers.hpp"
#include "cycle_model.hpp"
#include "policy.hpp"
#include "target.hpp"

namespace htvm::diana {

struct dispatch_row {
    const char* name = "";
    const char* op = "";     // the operator's name
    bool computes = false;   // false for the layers that move no data (input, reshape)
    placement where{};
    cycles::layer_cycles cycles{};
    tiling::tile_plan tiles{};  // how the layer is tiled on its accelerator (tiles.ok(); tile_count 1: untiled)
};

template <std::size_t N>
struct dispatch_table {
    const char* policy = "";
    dispatch_row layer[N]{};
    int on_cpu = 0, on_digital = 0, on_analog = 0;  // layers that compute (input and reshape excluded)
    cycles::layer_cycles total{};

    static constexpr std::size_t size() { return N; }
};

// The table of a dispatch plan (plan_of), with each layer's modeled cycles.
template <class Policy, std::size_t N>
constexpr dispatch_table<N> make_dispatch_table(const network<N>& net, const graph_info<N>& g, const dispatch_plan<N>& plan) {
    dispatch_table<N> r{};
    r.policy = Policy::name;
    for (std::size_t i = 0; i < N; ++i) {
        dispatch_row& e = r.layer[i];
        e.name = net.layers[i].name();
        e.op = net.layers[i].op_name();
        e.computes = net.layers[i].computes();
        e.where = plan.layer[i];
        e.tiles = plan.tiles[i];
        e.cycles = cycles::estimate(net, g, i, e.where.target, e.tiles, e.where.arranged_weights);
        if (e.computes) {
            r.on_cpu += e.where.target == unit::cpu ? 1 : 0;
            r.on_digital += e.where.target == unit::digital ? 1 : 0;
            r.on_analog += e.where.target == unit::analog ? 1 : 0;
        }
        r.total.macs += e.cycles.macs;
        r.total.peak += e.cycles.peak;
        r.total.full += e.cycles.full;
        r.total.layout += e.cycles.layout;
        r.total.cpu += e.cycles.cpu;
    }
    return r;
}

template <const auto& net, class Policy, const auto& Forms = no_forms>
inline constexpr auto dispatch_table_of = make_dispatch_table<Policy>(net, graph_of<net>, plan_of<net, Policy, Forms>);

// Why the layer is where it is, in words (the broken rule, when there is one, is rule_text(where.broken)).
constexpr const char* reason_text(const placement& p) {
    switch (p.why) {
        case reason::chosen_by_policy: return "policy";
        case reason::fallback_accelerator: return "policy's first choice cannot run it";
        case reason::forced: return "forced by .target";
        case reason::cpu_only_policy: return "cpu_only policy";
        case reason::cpu_operator: return "no accelerator runs this operator";
        case reason::rule_broken: return "accelerator rule broken";
        case reason::needs_tiling: return "does not fit the accelerator, not even one tile";
        case reason::invalid_override: return "invalid .target override";
    }
    return "?";
}

namespace detail {

// A fixed line buffer with just enough formatting for the table (no printf, no heap).
struct line_buffer {
    char text[256]{};
    int length = 0;

    void put(char c) {
        if (length < static_cast<int>(sizeof text) - 1) text[length++] = c;
        text[length] = '\0';
    }
    void put(const char* s) {
        for (; s != nullptr && *s != '\0'; ++s) put(*s);
    }
    void clear() {
        length = 0;
        text[0] = '\0';
    }
    void put_cycles(const cycles::layer_cycles& c) {
        put_number(c.macs, 10);
        put_number(c.peak, 10);
        put_number(c.full, 10);
        put_number(c.layout, 10);
        put_number(c.cpu, 10);
    }
    void pad_to(int column) {
        while (length < column) put(' ');
    }
    void put_number(long long value, int width) {
        char digits[24]{};
        int n = 0;
        const bool negative = value < 0;
        unsigned long long v = negative ? 0ULL - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
        do {
            digits[n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int k = n + (negative ? 1 : 0); k < width; ++k) put(' ');
        if (negative) put('-');
        while (n > 0) put(digits[--n]);
    }
};

}  // namespace detail

// Calls line(const char*) once per text line: a header, one line per layer, totals. One line
// buffer on the stack, reused for every line.
template <std::size_t N, class Line>
void print_dispatch_table(const dispatch_table<N>& r, Line&& line) {
    detail::line_buffer b;
    b.put("dispatch (policy ");
    b.put(r.policy);
    b.put("): ");
    b.put_number(r.on_digital, 0);
    b.put(" digital, ");
    b.put_number(r.on_analog, 0);
    b.put(" analog, ");
    b.put_number(r.on_cpu, 0);
    b.put(" cpu; cycles modeled at 260 MHz (docs/diana.md)");
    line(static_cast<const char*>(b.text));

    b.clear();
    b.put("  #  layer");
    b.pad_to(22);
    b.put("op");
    b.pad_to(40);
    b.put("target          MACs      peak      full    layout       cpu  reason");
    line(static_cast<const char*>(b.text));

    for (std::size_t i = 0; i < N; ++i) {
        const dispatch_row& e = r.layer[i];
        const bool computes = e.computes;
        b.clear();
        b.put_number(static_cast<long long>(i), 3);
        b.put("  ");
        b.put(e.name);
        b.pad_to(22);
        b.put(e.op);
        b.pad_to(40);
        b.put(computes ? unit_name(e.where.target) : "-");
        b.pad_to(48);
        b.put_cycles(e.cycles);
        b.put("  ");
        if (!computes) {
            b.put("no computation");
        } else {
            b.put(reason_text(e.where));
            if (e.tiles.ok() && e.tiles.tiled()) {
                // Interior tile size K x OY x OX and the number of tiles.
                b.put("; tiles ");
                b.put_number(e.tiles.tile_k, 0);
                b.put("x");
                b.put_number(e.tiles.tile_h, 0);
                b.put("x");
                b.put_number(e.tiles.tile_w, 0);
                b.put(" (KxOYxOX), ");
                b.put_number(e.tiles.tile_count, 0);
                b.put(" tiles");
            }
            if (e.where.broken != rule::none && e.where.why != reason::cpu_operator) {
                b.put(" (");
                b.put(unit_name(e.where.considered));
                b.put(": ");
                b.put(rule_text(e.where.broken));
                b.put(")");
            }
        }
        line(static_cast<const char*>(b.text));
    }

    b.clear();
    b.put("     total");
    b.pad_to(48);
    b.put_cycles(r.total);
    b.put("  = ");
    b.put_number(r.total.total(), 0);
    b.put(" cycles, ");
    b.put_number(r.total.total() * 1000000LL / clock_hz, 0);
    b.put(" us");
    line(static_cast<const char*>(b.text));
}

}  // namespace htvm::diana
