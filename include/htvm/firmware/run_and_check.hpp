// The body of a firmware program that runs one model once and prints what it did, the same way on
// the host and on bare metal:
//
//     int main() { return htvm::firmware::run_and_check<model>("kws", input, expected_output); }
//
// prints
//     program: kws (rv32)
//     <per-layer profile table, see profile.hpp>
//     output: <hex bytes>                  <- what the QEMU tests compare with the host's run
//     golden: match (12 bytes)             <- only when `expected` is given
//     stack: 1234 of 16384 bytes used      <- bare metal only
// and returns 0 only when the output equals `expected` (if given) and the stack did not overflow,
// so a failing check fails QEMU's exit code through semihosting.
#pragma once
#include <cstdint>
#include <cstdio>

#include "machine.hpp"
#include "output.hpp"
#include "profile.hpp"
#include "stack_meter.hpp"

namespace htvm::firmware {

template <class Model>
int run_and_check(const char* program, const std::int8_t* input, const std::int8_t* expected) {
    stack_meter stack;
    stack.paint();
    std::printf("program: %s (%s)\n", program, machine_name);

    // Static storage (.bss): the output may be larger than a small stack should carry.
    static std::int8_t output[Model::output_bytes];
    profile_printer profile;
    Model::run(input, output, profile);
    profile.print_total();

    print_hex_line("output", output, Model::output_bytes);
    const int mismatches = expected != nullptr ? check_golden(output, expected, Model::output_bytes) : 0;
    const bool stack_ok = stack.print_usage();
    return mismatches == 0 && stack_ok ? 0 : 1;
}

}  // namespace htvm::firmware
