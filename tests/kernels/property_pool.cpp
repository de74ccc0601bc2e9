// Kernel property tests: average, max and global average pools. What they promise, and the helpers
// they share: property_common.hpp.
#include <doctest/doctest.h>

#include <htvm/kernels/pool.hpp>

#include <string>
#include <vector>

#include "kernels/property_common.hpp"

using namespace property;

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
