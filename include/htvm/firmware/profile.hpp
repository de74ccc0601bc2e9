// A model::run() observer that times every layer with the firmware timer and prints one table row
// per layer with printf (no heap: picolibc's printf formats on the stack).
//
//     htvm::firmware::profile_printer profile;
//     model::run(input, output, profile);
//     profile.print_total();
//
//   layer  name             op               output           MACs      cycles     instret  target
//       1  conv1            conv2d           1x8x8x8         13824      123456      120034  -
//   ...
//   total                                                     ...
//
// The timer is stopped before the row is printed, so printing is not part of any layer's count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "../layers.hpp"
#include "../shape.hpp"
#include "format.hpp"
#include "timer.hpp"

namespace htvm::firmware {

class profile_printer {
public:
    void before_layer(std::size_t, const layer_info&) {
        if (!header_printed_) print_header();
        timer_.start();
    }

    void after_layer(std::size_t index, const layer_info& l, const std::int8_t*, const shape& output) {
        const elapsed e = timer_.stop();
        const auto macs = static_cast<std::uint64_t>(l.macs);
        total_.ticks += e.ticks;
        total_.instructions += e.instructions;
        total_macs_ += macs;
        ++layers_;

        char dims[32];
        std::snprintf(dims, sizeof dims, "%dx%dx%dx%d", output.n, output.h, output.w, output.c);
        std::printf("%7u  %-16.16s %-16.16s %-13s %11s %11s", static_cast<unsigned>(index), l.name, l.op,
                    dims, to_decimal(macs).text, to_decimal(e.ticks).text);
        if (info_.counts_instructions) std::printf(" %11s", to_decimal(e.instructions).text);
        std::printf("  %s\n", l.target != nullptr ? l.target : "-");
    }

    // The totals row: sums over the layers seen so far.
    void print_total() const {
        std::printf("  total  %-16s %-16s %-13s %11s %11s", "", "", "", to_decimal(total_macs_).text,
                    to_decimal(total_.ticks).text);
        if (info_.counts_instructions) std::printf(" %11s", to_decimal(total_.instructions).text);
        std::printf("  (%u layers, %s)\n", static_cast<unsigned>(layers_), info_.source);
    }

    elapsed total() const { return total_; }
    std::uint64_t total_macs() const { return total_macs_; }

private:
    void print_header() {
        info_ = counter_description();
        header_printed_ = true;
        std::printf("  layer  %-16s %-16s %-13s %11s %11s", "name", "op", "output", "MACs", info_.tick_unit);
        if (info_.counts_instructions) std::printf(" %11s", "instret");
        std::printf("  target\n");
    }

    timer timer_{};
    counter_info info_{};
    elapsed total_{};
    std::uint64_t total_macs_ = 0;
    std::size_t layers_ = 0;
    bool header_printed_ = false;
};

}  // namespace htvm::firmware
