// The compile report of one network on DIANA (htvm::diana::print_compile_report: per layer the unit,
// tiles, L1/L2 use, MACs, MODELED cycles and utilisation; totals; why layers stay on the CPU), and
// its L2 activation plan over time as an SVG picture:
//
//     <program> [--policy cpu_only|digital|analog|mixed] [l2_plan.svg]
//
// Without --policy it reports every policy and draws the mixed one. A network is a compile-time
// constant, so the program is built once per network: htvm_add_model(<target> ...) defines
// <target>_report for an imported .tflite; for a network written in C++ compile this file with
//     HTVM_REPORT_HEADER  the header that declares the network, e.g. "my_net.hpp"
//     HTVM_REPORT_NET     the qualified name of its htvm::network, e.g. my_net::net
//     HTVM_REPORT_TITLE   optional: an expression giving its name as a const char*
//     HTVM_REPORT_FORMS   optional: the qualified name of its table of DIANA forms (htvm/diana/forms.hpp)
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <htvm/diana/compile_report.hpp>

#include HTVM_REPORT_HEADER

#define HTVM_REPORT_STRING2(x) #x
#define HTVM_REPORT_STRING(x) HTVM_REPORT_STRING2(x)
#ifndef HTVM_REPORT_TITLE
#define HTVM_REPORT_TITLE HTVM_REPORT_STRING(HTVM_REPORT_NET)
#endif

namespace {

constexpr const auto& net = HTVM_REPORT_NET;
#ifdef HTVM_REPORT_FORMS
constexpr const auto& forms = HTVM_REPORT_FORMS;
#else
constexpr const auto& forms = htvm::diana::no_forms;
#endif
const char* const policies[] = {"cpu_only", "digital", "analog", "mixed"};

template <class Policy>
int report(const char* svg_path) {
    htvm::diana::print_compile_report<net, Policy, forms>();
    if (svg_path == nullptr) return 0;
    std::FILE* svg = std::fopen(svg_path, "w");
    if (svg == nullptr) {
        std::fprintf(stderr, "htvm report: cannot write %s: %s\n", svg_path, std::strerror(errno));
        return 1;
    }
    htvm::diana::write_l2_plan_svg<net, Policy, forms>(svg, HTVM_REPORT_TITLE);
    if (std::fclose(svg) != 0) {
        std::fprintf(stderr, "htvm report: writing %s failed\n", svg_path);
        return 1;
    }
    std::printf("wrote the L2 plan of policy %s to %s\n", Policy::name, svg_path);
    return 0;
}

int report(const char* policy, const char* svg_path) {
    namespace p = htvm::diana::policy;
    if (std::strcmp(policy, "cpu_only") == 0) return report<p::cpu_only>(svg_path);
    if (std::strcmp(policy, "digital") == 0) return report<p::digital>(svg_path);
    if (std::strcmp(policy, "analog") == 0) return report<p::analog>(svg_path);
    return report<p::mixed>(svg_path);
}

int usage(const char* program, const char* problem) {
    std::fprintf(stderr, "%s: %s\nusage: %s [--policy cpu_only|digital|analog|mixed] [l2_plan.svg]\n", program,
                 problem, program);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    const char* policy = nullptr;
    const char* svg_path = nullptr;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("usage: %s [--policy cpu_only|digital|analog|mixed] [l2_plan.svg]\n"
                        "Prints the compile report of %s (cycles are MODELED) and draws its L2 plan.\n",
                        argv[0], HTVM_REPORT_TITLE);
            return 0;
        }
        if (std::strcmp(argv[i], "--policy") == 0) {
            if (i + 1 == argc) return usage(argv[0], "--policy needs a value");
            policy = argv[++i];
            bool known = false;
            for (const char* name : policies) known = known || std::strcmp(policy, name) == 0;
            if (!known) return usage(argv[0], "unknown policy");
        } else if (argv[i][0] == '-') {
            return usage(argv[0], "unknown option");
        } else if (svg_path != nullptr) {
            return usage(argv[0], "more than one picture path");
        } else {
            svg_path = argv[i];
        }
    }
    std::printf("== %s ==\n", HTVM_REPORT_TITLE);
    if (policy != nullptr) return report(policy, svg_path);
    for (const char* name : policies) {
        const bool last = std::strcmp(name, "mixed") == 0;
        if (report(name, last ? svg_path : nullptr) != 0) return 1;
        if (!last) std::printf("\n");
    }
    return 0;
}
