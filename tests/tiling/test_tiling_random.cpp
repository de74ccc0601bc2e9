// Tiled execution against the untiled kernels, over random geometries and memory budgets: every
// plan the tiler returns is checked by independent code (coverage of the output, buffer bounds and
// overlap, memory limits, maximality of the row tile), then run tile by tile through a DMA that
// makes each copy either at once or at the next wait() (so a missing wait or a buffer reused too
// early corrupts the result) and compared bit for bit with the untiled CPU kernel. Failures are checked to be real:
// no 1x1 tile of any allowed channel count fits, or (element granule) no tile of any size that fits
// meets the granule, by exhaustive search.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <htvm/diana/objectives.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

namespace {

using namespace htvm::tiling;
using htvm::diana::analog_array_objective;
using htvm::diana::digital_array_objective;
using htvm::cpu::window_geometry;

// An asynchronous DMA at its most inconvenient: each copy happens either at once or at the next
// wait() (then last request first), at random. Reading a buffer before waiting for its load,
// overwriting a buffer still being read or stored, or two copies in flight touching the same bytes
// all show up as wrong results.
struct racing_dma {
    struct request {
        std::int8_t* dst;
        const std::int8_t* src;
        copy_shape shape;
    };
    std::mt19937& rng;
    std::vector<request> pending;
    void start(std::int8_t* dst, const std::int8_t* src, const copy_shape& s) {
        if (rng() % 2 == 0) {
            copy_strided(dst, src, s);
            return;
        }
        pending.push_back({dst, src, s});
    }
    void wait() {
        for (auto r = pending.rbegin(); r != pending.rend(); ++r) copy_strided(r->dst, r->src, r->shape);
        pending.clear();
    }
};

struct random_case {
    tile_problem problem{};
    memory_limits limits{};
    objective goal{};
    htvm::requant rq{};
    bool with_bias = true;
    bool explicit_pads = false;
};

// TFLite's output size for one axis; -1 when the kernel does not fit.
struct axis {
    int out = -1, before = 0;
};
axis make_axis(std::mt19937& rng, int in, int kernel, int stride, int mode, bool& explicit_pads) {
    axis a{};
    if (mode == 0) {  // valid
        if (in >= kernel) a.out = (in - kernel) / stride + 1;
    } else if (mode == 1) {  // same
        a.out = (in + stride - 1) / stride;
        const int total = std::max((a.out - 1) * stride + kernel - in, 0);
        a.before = total / 2;
    } else {  // explicit, any pads below the kernel size
        std::uniform_int_distribution<int> pad(0, kernel - 1);
        a.before = pad(rng);
        const int after = pad(rng);
        const int span = in + a.before + after - kernel;
        if (span >= 0) a.out = span / stride + 1;
        explicit_pads = true;
    }
    return a;
}

int uniform(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

long long untiled_bytes(const tile_problem& p) {
    return static_cast<long long>(p.in.elements()) + p.out.elements();
}

bool make_case(std::mt19937& rng, random_case& c) {
    const int kind = uniform(rng, 0, 9);
    tile_problem& p = c.problem;
    if (kind < 2) {
        const int features = uniform(rng, 1, 400);  // one draw per statement: a fixed order
        p = dense_problem(features, uniform(rng, 1, 80));
    } else {
        const bool depthwise = kind < 5;
        const int h = uniform(rng, 1, 24), w = uniform(rng, 1, 24);
        const int channels = uniform(rng, 1, depthwise ? 40 : 20);
        htvm::hw kernel{uniform(rng, 1, 7), uniform(rng, 1, 7)};
        if (uniform(rng, 0, 7) == 0) kernel = {7, 5};
        const htvm::hw stride{uniform(rng, 1, 3), uniform(rng, 1, 3)};
        const int mode = uniform(rng, 0, 2);
        const axis y = make_axis(rng, h, kernel.h, stride.h, mode, c.explicit_pads);
        const axis x = make_axis(rng, w, kernel.w, stride.w, mode, c.explicit_pads);
        if (y.out < 1 || x.out < 1) return false;
        const htvm::shape in{1, h, w, channels};
        p = depthwise ? depthwise_problem(in, kernel, stride, y.before, x.before, y.out, x.out)
                      : conv_problem(in, uniform(rng, 1, 48), kernel, stride, y.before, x.before, y.out, x.out);
    }
    REQUIRE(p.valid());

    // Budgets from a thirtieth of the untiled layer to a little more than all of it (log-uniform).
    const double full = static_cast<double>(untiled_bytes(p));
    const double l1 = full * std::pow(2.0, std::uniform_real_distribution<double>(-5.0, 0.2)(rng));
    memory_limits& m = c.limits;
    m.l1_bytes = std::max(8, static_cast<int>(l1));
    m.alignment = std::array{1, 4, 16}[uniform(rng, 0, 2)];
    m.double_buffer = uniform(rng, 0, 1) == 1;
    m.weights_in_l1 = uniform(rng, 0, 4) == 0;
    m.bias_bytes = uniform(rng, 0, 1) * 4;
    m.weight_bits = uniform(rng, 0, 3) == 0 ? 2 : 8;
    const long long all_weights = p.weight_elements(p.out.c);
    m.weight_bytes = uniform(rng, 0, 1) == 0 ? 1 << 20
                                             : std::max(4, static_cast<int>(all_weights * uniform(rng, 10, 120) / 100));
    if (m.weights_in_l1) m.l1_bytes += static_cast<int>(all_weights / uniform(rng, 1, 8));
    m.min_tile_k = std::array{1, 1, 3, 16}[uniform(rng, 0, 3)];
    m.weight_k_granularity = std::array{1, 1, 4, 16}[uniform(rng, 0, 3)];
    m.tile_elements_multiple = std::array{1, 1, 1, 2, 4}[uniform(rng, 0, 4)];
    if (uniform(rng, 0, 5) == 0) m.array_columns = uniform(rng, 1, p.out.c);
    if (uniform(rng, 0, 9) == 0) m.array_rows = uniform(rng, 1, 2 * p.reduction_rows());
    c.goal = std::array{digital_array_objective, analog_array_objective, bytes_only_objective}[uniform(rng, 0, 2)];

    // Requantization: TFLite per channel (pointers offset per tile) or DIANA's shift.
    c.with_bias = uniform(rng, 0, 3) != 0;
    return true;
}

// Stored bytes of a weight tile: K padded to the granularity, int8 in L1 or weight_bits in a weight
// memory, then (4-byte aligned) the bias.
long long weight_bytes(const random_case& c, int tk) {
    const memory_limits& m = c.limits;
    const int bits = m.weights_in_l1 ? 8 : m.weight_bits;
    const long long padded = (tk + m.weight_k_granularity - 1) / m.weight_k_granularity * m.weight_k_granularity;
    const long long weights = (padded * c.problem.reduction_rows() * bits + 7) / 8;
    return m.bias_bytes == 0 ? weights : (weights + 3) / 4 * 4 + padded * m.bias_bytes;
}

// Whether every tile of (tk, th, tw) moves element counts that are multiples of the granule:
// walks all tiles with its own window arithmetic.
bool all_tiles_multiple(const random_case& c, int tk, int th, int tw) {
    const tile_problem& p = c.problem;
    const int m = c.limits.tile_elements_multiple;
    if (m <= 1) return true;
    auto loaded = [](int begin, int n, int stride, int kernel, int pad, int size) {
        const int first = begin * stride - pad, end = first + (n - 1) * stride + kernel;
        return std::max(0, std::min(end, size) - std::max(first, 0));
    };
    for (int k = 0; k < p.out.c; k += tk)
        for (int y = 0; y < p.out.h; y += th)
            for (int x = 0; x < p.out.w; x += tw) {
                const int nk = std::min(tk, p.out.c - k), ny = std::min(th, p.out.h - y), nx = std::min(tw, p.out.w - x);
                const long long in = static_cast<long long>(loaded(y, ny, p.stride.h, p.kernel.h, p.pad_top, p.in.h)) *
                                     loaded(x, nx, p.stride.w, p.kernel.w, p.pad_left, p.in.w) *
                                     (p.kind == tile_op::depthwise_conv2d ? nk : p.in.c);
                if (static_cast<long long>(nk) * ny * nx % m != 0 || in % m != 0) return false;
            }
    return true;
}

// Independent footprint of an interior tile, as the plan's contract states it.
long long footprint(const random_case& c, int tk, int th, int tw) {
    const tile_problem& p = c.problem;
    const memory_limits& m = c.limits;
    auto align = [&](long long v) { return (v + m.alignment - 1) / m.alignment * m.alignment; };
    const long long ih = std::min((th - 1) * p.stride.h + p.kernel.h, p.in.h);
    const long long iw = std::min((tw - 1) * p.stride.w + p.kernel.w, p.in.w);
    const long long channels = p.kind == tile_op::depthwise_conv2d ? tk : p.in.c;
    const bool single = th == p.out.h && tw == p.out.w && tk == p.out.c;
    const bool reused = p.kind != tile_op::depthwise_conv2d && th == p.out.h && tw == p.out.w;
    const bool db = m.double_buffer && !single;
    const long long weights = weight_bytes(c, tk);
    return align(ih * iw * channels) * (db && !reused ? 2 : 1) + align(static_cast<long long>(th) * tw * tk) * (db ? 2 : 1) +
           (m.weights_in_l1 ? align(weights) : 0);
}

struct coverage {
    int ok = 0, tiled = 0, double_buffered = 0, border_tiles = 0, channel_tiles = 0, column_tiles = 0;
    int stride2 = 0, kernel7x5 = 0, padded = 0, depthwise = 0, dense = 0, weights_in_l1 = 0, reused = 0;
    int weight_failures = 0, l1_failures = 0, row_failures = 0, multiple_failures = 0, with_multiple = 0;
};

void check_failure_is_real(const random_case& c, const tile_plan& plan, coverage& cov) {
    const tile_problem& p = c.problem;
    const memory_limits& m = c.limits;
    CHECK(plan.need > plan.limit);
    if (plan.status == tiling_status::array_rows_exceeded) {
        ++cov.row_failures;
        CHECK(p.reduction_rows() > m.array_rows);
        return;
    }
    if (plan.status == tiling_status::element_multiple_unmet) {
        // Some tile fits the memories (the tiler saw one), but none of the candidates it tries
        // meets the granule; the whole layer never does.
        ++cov.multiple_failures;
        CHECK(m.tile_elements_multiple > 1);
        CHECK(plan.need == m.tile_elements_multiple);
        // No tile of any size that fits the memories meets the granule (exhaustive).
        const int cap = m.array_columns > 0 ? std::min(m.array_columns, p.out.c) : p.out.c;
        const long long weight_limit = m.weights_in_l1 ? m.l1_bytes : m.weight_bytes;
        for (int tk = std::min(m.min_tile_k, cap); tk <= cap; ++tk) {
            if (weight_bytes(c, tk) > weight_limit) continue;
            for (int tw = 1; tw <= p.out.w; ++tw)
                for (int th = 1; th <= p.out.h; ++th)
                    if (footprint(c, tk, th, tw) <= m.l1_bytes && all_tiles_multiple(c, tk, th, tw)) {
                        FAIL_CHECK("the tiler found no tile meeting the granule, but " << tk << " x " << th << " x " << tw
                                                                                       << " (K x OY x OX) does");
                        return;
                    }
        }
        return;
    }
    const int cap = m.array_columns > 0 ? std::min(m.array_columns, p.out.c) : p.out.c;
    const int floor = std::min(m.min_tile_k, cap);
    const long long weight_limit = m.weights_in_l1 ? m.l1_bytes : m.weight_bytes;
    bool any_fits = false;
    for (int tk = floor; tk <= cap; ++tk)
        any_fits = any_fits || (weight_bytes(c, tk) <= weight_limit && footprint(c, tk, 1, 1) <= m.l1_bytes);
    CHECK_FALSE(any_fits);
    if (plan.status == tiling_status::weight_memory_too_small) {
        ++cov.weight_failures;
        CHECK(plan.smallest_tile_k == floor);
        CHECK(plan.need == weight_bytes(c, floor));
    } else {
        REQUIRE(plan.status == tiling_status::l1_too_small);
        ++cov.l1_failures;
    }
}

void check_plan(const random_case& c, const tile_plan& plan) {
    const tile_problem& p = c.problem;
    const memory_limits& m = c.limits;
    CHECK(plan.l1_bytes <= m.l1_bytes);
    CHECK(footprint(c, plan.tile_k, plan.tile_h, plan.tile_w) == plan.l1_bytes);
    CHECK(weight_bytes(c, plan.tile_k) <= (m.weights_in_l1 ? m.l1_bytes : m.weight_bytes));
    CHECK(plan.weight_tile_bytes == weight_bytes(c, plan.tile_k));
    if (m.array_columns > 0) CHECK(plan.tile_k <= m.array_columns);
    if (m.array_rows > 0) CHECK(p.reduction_rows() <= m.array_rows);
    CHECK((plan.tile_k >= std::min(m.min_tile_k, p.out.c) || plan.tile_k == m.array_columns));
    // The row tile is the tallest that fits (all objective terms grow with it) and meets the granule.
    CHECK(all_tiles_multiple(c, plan.tile_k, plan.tile_h, plan.tile_w));
    for (int th = plan.tile_h + 1; th <= p.out.h; ++th) {
        // A single tile (th == OH etc.) has no second buffers: the tiler tried it first.
        if (th == p.out.h && plan.tile_w == p.out.w && plan.tile_k == p.out.c) continue;
        CHECK((footprint(c, plan.tile_k, th, plan.tile_w) > m.l1_bytes || !all_tiles_multiple(c, plan.tile_k, th, plan.tile_w)));
    }

    // Buffers: aligned, inside the plan's L1, pairwise disjoint.
    struct range {
        long long begin, end;
    };
    std::vector<range> buffers{{plan.in_offset[0], plan.in_offset[0] + plan.in_buffer_bytes},
                               {plan.out_offset[0], plan.out_offset[0] + plan.out_buffer_bytes}};
    if (plan.in_offset[1] != plan.in_offset[0]) buffers.push_back({plan.in_offset[1], plan.in_offset[1] + plan.in_buffer_bytes});
    if (plan.out_offset[1] != plan.out_offset[0])
        buffers.push_back({plan.out_offset[1], plan.out_offset[1] + plan.out_buffer_bytes});
    if (m.weights_in_l1) buffers.push_back({plan.weight_offset, plan.weight_offset + plan.weight_tile_bytes});
    CHECK(plan.double_buffered == (m.double_buffer && plan.tile_count > 1));
    for (std::size_t a = 0; a < buffers.size(); ++a) {
        CHECK(buffers[a].begin % m.alignment == 0);
        CHECK(buffers[a].end <= plan.l1_bytes);
        for (std::size_t b = a + 1; b < buffers.size(); ++b)
            CHECK((buffers[a].end <= buffers[b].begin || buffers[b].end <= buffers[a].begin));
    }

    // Every output element belongs to exactly one tile; every tile fits its buffers.
    std::vector<int> owner(static_cast<std::size_t>(p.out.elements()), 0);
    for (int n = 0; n < plan.tile_count; ++n) {
        const tile_window t = tile_at(plan, n);
        CHECK(t.oy_count >= 1);
        CHECK(t.ox_count >= 1);
        CHECK(t.k_count >= 1);
        CHECK(static_cast<long long>(t.rows.count) * t.cols.count * t.c_count <= plan.in_buffer_bytes);
        CHECK(static_cast<long long>(t.oy_count) * t.ox_count * t.k_count <= plan.out_buffer_bytes);
        CHECK(p.weight_elements(t.k_count) <= plan.weight_tile_elements);
        if (m.tile_elements_multiple > 1) {
            CHECK(t.rows.count * t.cols.count * t.c_count % m.tile_elements_multiple == 0);
            CHECK(t.oy_count * t.ox_count * t.k_count % m.tile_elements_multiple == 0);
        }
        CHECK(t.rows.begin >= 0);
        CHECK(t.rows.begin + t.rows.count <= p.in.h);
        CHECK(t.cols.begin + t.cols.count <= p.in.w);
        for (int y = t.oy_begin; y < t.oy_begin + t.oy_count; ++y)
            for (int x = t.ox_begin; x < t.ox_begin + t.ox_count; ++x)
                for (int k = t.k_begin; k < t.k_begin + t.k_count; ++k) ++owner[static_cast<std::size_t>((y * p.out.w + x) * p.out.c + k)];
    }
    CHECK(std::all_of(owner.begin(), owner.end(), [](int o) { return o == 1; }));
}

// Plain loops, written from the definitions (independent of htvm's kernels): int32 accumulation of
// (x - zero point) * w over the window, bias, requantization.
void naive(const tile_problem& p, const std::int8_t* in, const std::int8_t* w, const std::int32_t* bias,
           const htvm::requant& rq, std::int8_t* out) {
    const std::int32_t zp = rq.input_zero_point();
    for (int y = 0; y < p.out.h; ++y)
        for (int x = 0; x < p.out.w; ++x)
            for (int k = 0; k < p.out.c; ++k) {
                std::int32_t acc = bias != nullptr ? bias[k] : 0;
                for (int ky = 0; ky < p.kernel.h; ++ky)
                    for (int kx = 0; kx < p.kernel.w; ++kx) {
                        const int iy = y * p.stride.h - p.pad_top + ky, ix = x * p.stride.w - p.pad_left + kx;
                        if (iy < 0 || iy >= p.in.h || ix < 0 || ix >= p.in.w) continue;
                        const std::int8_t* px = in + (iy * p.in.w + ix) * p.in.c;
                        if (p.kind == tile_op::depthwise_conv2d) {
                            acc += (px[k] - zp) * w[(ky * p.kernel.w + kx) * p.out.c + k];
                        } else {
                            const std::int8_t* f = w + ((k * p.kernel.h + ky) * p.kernel.w + kx) * p.in.c;
                            for (int c = 0; c < p.in.c; ++c) acc += (px[c] - zp) * f[c];
                        }
                    }
                out[(y * p.out.w + x) * p.out.c + k] = rq.apply(acc, k);
            }
}

void untiled(const tile_problem& p, const std::int8_t* in, const std::int8_t* w, const std::int32_t* bias,
             const htvm::requant& rq, std::int8_t* out) {
    const window_geometry g{p.in, p.out, p.kernel, p.stride, p.pad_top, p.pad_left};
    switch (p.kind) {
        case tile_op::conv2d: htvm::cpu::conv2d(g, in, w, bias, rq, out); break;
        case tile_op::depthwise_conv2d: htvm::cpu::depthwise_conv2d(g, in, w, bias, rq, out); break;
        case tile_op::dense: htvm::cpu::dense(p.in.c, p.out.c, in, w, bias, rq, out); break;
    }
}

TEST_CASE("random geometries x budgets: tiled execution is bit-exact with the untiled kernel") {
    std::mt19937 rng(20240605);
    coverage cov{};
    int tries = 0;
    while (cov.ok < 1200 && tries < 20000) {
        ++tries;
        random_case c{};
        if (!make_case(rng, c)) continue;
        const tile_problem& p = c.problem;
        const tile_plan plan = plan_tiles(p, c.limits, c.goal);
        if (!plan.ok()) {
            check_failure_is_real(c, plan, cov);
            continue;
        }
        CAPTURE(tries);
        check_plan(c, plan);

        // Data and quantization.
        std::uniform_int_distribution<int> byte(-128, 127);
        std::vector<std::int8_t> input(static_cast<std::size_t>(p.in.elements()));
        std::vector<std::int8_t> weights(static_cast<std::size_t>(p.weight_elements(p.out.c)));
        std::vector<std::int32_t> bias(static_cast<std::size_t>(p.out.c));
        std::vector<std::int32_t> multipliers(bias.size()), shifts(bias.size());
        for (auto& v : input) v = static_cast<std::int8_t>(byte(rng));
        for (auto& v : weights) v = static_cast<std::int8_t>(byte(rng));
        for (auto& v : bias) v = uniform(rng, -5000, 5000);
        for (auto& v : multipliers) v = uniform(rng, 1 << 30, 0x7fffffff);
        for (auto& v : shifts) v = uniform(rng, -12, -4);
        htvm::requant rq = htvm::shift_requant{.shift = uniform(rng, 4, 10), .relu = uniform(rng, 0, 1) == 1};
        if (uniform(rng, 0, 1) == 0)
            rq = htvm::tflite_requant{.multipliers = multipliers.data(), .shifts = shifts.data(),
                                      .input_zero_point = uniform(rng, -20, 20), .output_zero_point = uniform(rng, -20, 20)};
        const std::int32_t* b = c.with_bias ? bias.data() : nullptr;

        std::vector<std::int8_t> expected(static_cast<std::size_t>(p.out.elements()));
        untiled(p, input.data(), weights.data(), b, rq, expected.data());
        // The untiled kernel is the reference; it is itself checked against plain loops here.
        std::vector<std::int8_t> plain(expected.size());
        naive(p, input.data(), weights.data(), b, rq, plain.data());
        REQUIRE(plain == expected);

        // Memories: L1 of exactly the plan's size plus a guard band, poisoned.
        constexpr int guard = 64;
        std::vector<std::int8_t> l1(static_cast<std::size_t>(plan.l1_bytes + guard), std::int8_t{0x5a});
        std::vector<std::int8_t> weight_memory(static_cast<std::size_t>(plan.weight_tile_elements + guard), std::int8_t{0x5a});
        std::vector<std::int8_t> output(expected.size(), std::int8_t{0x33});
        const tiled_io io{input.data(), weights.data(), output.data(), l1.data(), weight_memory.data()};
        racing_dma dma{rng, {}};
        cpu_tile_kernel kernel{p.kind, b, rq};
        run_tiled(plan, io, dma, kernel);
        REQUIRE(dma.pending.empty());
        CHECK(output == expected);
        CHECK(std::all_of(l1.end() - guard, l1.end(), [](std::int8_t v) { return v == 0x5a; }));
        CHECK(std::all_of(weight_memory.end() - guard, weight_memory.end(), [](std::int8_t v) { return v == 0x5a; }));

        // The cycle model: with compute and DMA costs it can only be between the larger of the two
        // totals (perfect overlap) and their sum (none); without double buffering it is the sum.
        long long compute_total = 0, transfer_total = 0;
        auto compute = [](const tile_window& t) { return 3LL * t.oy_count * t.ox_count * t.k_count + 50; };
        auto transfer = [](const copy_shape& s) { return s.bytes() / 4 + 10; };
        for (int n = 0; n < plan.tile_count; ++n) {
            const tile_window t = tile_at(plan, n);
            compute_total += compute(t);
            transfer_total += transfer(t.output) + (t.new_input ? transfer(t.input) : 0) +
                              (t.new_weights ? transfer(t.weights) : 0);
        }
        const long long cycles = tiled_cycles(plan, compute, transfer);
        if (plan.double_buffered) {
            CHECK(cycles >= std::max(compute_total, transfer_total));
            CHECK(cycles <= compute_total + transfer_total);
        } else {
            CHECK(cycles == compute_total + transfer_total);
        }

        ++cov.ok;
        cov.tiled += plan.tile_count > 1;
        cov.double_buffered += plan.double_buffered;
        cov.border_tiles += (p.out.h % plan.tile_h != 0) || (p.out.w % plan.tile_w != 0) || (p.out.c % plan.tile_k != 0);
        cov.channel_tiles += plan.tiles_k > 1;
        cov.column_tiles += plan.tiles_w > 1;
        cov.stride2 += plan.tile_count > 1 && (p.stride.h == 2 || p.stride.w == 2);
        cov.kernel7x5 += plan.tile_count > 1 && p.kernel == htvm::hw{7, 5};
        cov.padded += plan.tile_count > 1 && (p.pad_top > 0 || p.pad_left > 0);
        cov.depthwise += plan.tile_count > 1 && p.kind == tile_op::depthwise_conv2d;
        cov.dense += plan.tile_count > 1 && p.kind == tile_op::dense;
        cov.weights_in_l1 += plan.tile_count > 1 && c.limits.weights_in_l1;
        cov.reused += plan.input_reused && plan.tiles_k > 1;
        cov.with_multiple += plan.tile_count > 1 && c.limits.tile_elements_multiple > 1;
    }
    MESSAGE("tiled cases ", cov.ok, " of ", tries, " tries: ", cov.tiled, " tiled, ", cov.double_buffered,
            " double-buffered, ", cov.border_tiles, " with border tiles, ", cov.channel_tiles, " channel-tiled, ",
            cov.column_tiles, " column-tiled, ", cov.stride2, " stride 2, ", cov.kernel7x5, " 7x5, ", cov.padded,
            " padded, ", cov.depthwise, " depthwise, ", cov.dense, " dense, ", cov.weights_in_l1,
            " weights in L1, ", cov.reused, " input reused; failures: ", cov.weight_failures, " weight memory, ",
            cov.l1_failures, " L1, ", cov.row_failures, " array rows, ", cov.multiple_failures,
            " element multiple; ", cov.with_multiple, " tiled with an element multiple");
    CHECK(cov.ok >= 1000);
    CHECK(cov.tiled >= 700);
    CHECK(cov.double_buffered >= 200);
    CHECK(cov.border_tiles >= 300);
    CHECK(cov.channel_tiles >= 100);
    CHECK(cov.column_tiles >= 100);
    CHECK(cov.stride2 >= 100);
    CHECK(cov.kernel7x5 >= 30);
    CHECK(cov.padded >= 100);
    CHECK(cov.depthwise >= 100);
    CHECK(cov.dense >= 50);
    CHECK(cov.weights_in_l1 >= 50);
    CHECK(cov.reused >= 20);
    CHECK(cov.weight_failures >= 5);
    CHECK(cov.l1_failures >= 5);
    CHECK(cov.row_failures >= 1);
    CHECK(cov.with_multiple >= 100);
}

}  // namespace
