// The body of every DIANA example program: build the model for the policy chosen at compile time
// (-DHTVM_DIANA_POLICY=cpu_only|digital|analog|mixed), run it once on a deterministic input, print
// the dispatch table (target, reason and modeled cycles per layer) and the output bytes.
// printf only, no heap: the same source builds for the host and for bare metal.
#pragma once
#include <cstdint>
#include <cstdio>

#include <htvm/diana.hpp>

#include "generate.hpp"

#ifndef HTVM_DIANA_POLICY
#define HTVM_DIANA_POLICY mixed
#endif

namespace diana_examples {

using policy = htvm::diana::policy::HTVM_DIANA_POLICY;

// The input every configuration of every example uses (also used by the tests).
template <int N>
void fill_input(std::int8_t (&input)[N]) {
    lcg r(20240607u);
    for (auto& x : input) x = r.int8();
}

template <const auto& net, const auto& forms>
int run_example(const char* name) {
    using model = htvm::model<net, htvm::diana::target<policy, forms>>;
    static std::int8_t input[model::input_bytes];
    static std::int8_t output[model::output_bytes];
    fill_input(input);
    model::run(input, output);

    std::printf("program: diana_%s_%s (arena %d bytes)\n", name, policy::name, model::arena_bytes);
    htvm::diana::print_dispatch_table(htvm::diana::dispatch_table_of<net, policy, forms>, [](const char* line) { std::printf("%s\n", line); });
    static constexpr char digits[] = "0123456789abcdef";
    std::printf("output: ");
    for (int k = 0; k < model::output_bytes; ++k) {
        const auto byte = static_cast<std::uint8_t>(output[k]);
        std::putchar(digits[byte >> 4]);
        std::putchar(digits[byte & 0xF]);
    }
    std::putchar('\n');
    return 0;
}

}  // namespace diana_examples
