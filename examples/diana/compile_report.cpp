// Prints the DIANA compile report of one of the paper's networks (chosen at build time with
// HTVM_REPORT_NETWORK) for every policy, and writes the L2 plan as an SVG when given a path:
//     diana_report_<network> [l2_plan.svg]
#include <cstdio>

#include <htvm/diana/compile_report.hpp>

#include HTVM_REPORT_HEADER

namespace {
namespace example = diana_examples::HTVM_REPORT_NETWORK;

template <class Policy>
void report() {
    htvm::diana::print_compile_report<example::net, Policy>();
    std::printf("\n");
}
}  // namespace

int main(int argc, char** argv) {
    std::printf("== %s ==\n", example::name);
    report<htvm::diana::policy::cpu_only>();
    report<htvm::diana::policy::digital>();
    report<htvm::diana::policy::analog>();
    report<htvm::diana::policy::mixed>();
    if (argc > 1) {
        std::FILE* svg = std::fopen(argv[1], "w");
        if (svg == nullptr) {
            std::fprintf(stderr, "cannot write %s\n", argv[1]);
            return 1;
        }
        htvm::diana::write_l2_plan_svg<example::net, htvm::diana::policy::mixed>(svg, example::name);
        std::fclose(svg);
        std::printf("wrote the L2 plan of the mixed configuration to %s\n", argv[1]);
    }
    return 0;
}
