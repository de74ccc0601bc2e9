// The CPU: runs every layer with the kernel binding of its operator (ops/<op>.hpp's run_on_cpu).
// Platforms fall back to it for what their accelerators cannot run.
#pragma once
#include <cstddef>
#include <cstdint>

#include "graph.hpp"

namespace htvm {

struct cpu_target {
    static constexpr const char* name = "cpu";

    // Runs layer i of `net`; `a`/`b` are its inputs, `out` its output (may equal an input for add/clip).
    template <const auto& net, const auto& graph, std::size_t i>
    static void execute(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        operator_at<net.layers[i].kind>::template run_on_cpu<net, graph, i>(a, b, out);
    }
};

}  // namespace htvm
