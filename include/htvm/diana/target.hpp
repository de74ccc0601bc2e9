// The DIANA target for htvm::model:
//     using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed>>;
// Every layer runs where the compile-time dispatch plan put it (policy.hpp): on the CPU through
// htvm::cpu_target, or on an accelerator through the SoC interface (soc.hpp; simulators by default).
// An accelerator call, untiled, is:
//   digital: weights (build-time arranged, or arranged at load time) and int32 biases into the
//            weight memory; inputs transformed NHWC -> digital layout into L1 by the RISC-V; the
//            call; the output transformed back into the arena;
//   analog:  ternary weights and batch-norm constants into the array; input DMA'd to L1 (HWC); the
//            call; output DMA'd back.
// The arena itself lives in L2.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../cpu_target.hpp"
#include "../graph.hpp"
#include "diagnostics.hpp"
#include "layouts.hpp"
#include "policy.hpp"
#include "rules.hpp"
#include "soc.hpp"

namespace htvm::diana {

// The analysis of a network, for reading its dispatch plan without building a model.
template <const auto& net>
inline constexpr auto graph_of = analyze(net);

// The dispatch plan of `net` under `Policy`, readable at compile time:
//     static_assert(htvm::diana::plan_of<net, htvm::diana::policy::mixed>.layer[3].target == htvm::diana::unit::analog);
template <const auto& net, class Policy>
inline constexpr auto plan_of = plan_dispatch(Policy::kind, net, graph_of<net>);

template <class Policy, class Soc = simulated_soc>
struct target {
    static constexpr const char* name = "diana";
    using policy = Policy;
    using soc = Soc;

    template <const auto& net, const auto& graph>
    static constexpr auto plan = plan_dispatch(Policy::kind, net, graph);

    template <const auto& net, const auto& graph, std::size_t i>
    static void execute(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        // Only the offending layer reports, so an invalid override gives one error, not one per layer.
        static_assert(plan<net, graph>.error_layer != static_cast<int>(i) || report_dispatch_errors<net, plan<net, graph>>(),
                      "htvm::diana: invalid '.target' override; see the report above");
        constexpr placement p = plan<net, graph>.layer[i];
        if constexpr (p.target == unit::digital) {
            run_digital<net, graph, i>(a, b, out);
        } else if constexpr (p.target == unit::analog) {
            run_analog<net, graph, i>(a, out);
        } else {
            cpu_target::template execute<net, graph, i>(a, b, out);
        }
    }

private:
    static void to_digital(const shape& s, const std::int8_t* nhwc, std::int8_t* l1) {
        for (int y = 0; y < s.h; ++y)
            for (int x = 0; x < s.w; ++x)
                for (int c = 0; c < s.c; ++c) l1[layout::digital_activation(s, y, x, c)] = nhwc[layout::hwc(s, y, x, c)];
    }
    static void from_digital(const shape& s, const std::int8_t* l1, std::int8_t* nhwc) {
        for (int y = 0; y < s.h; ++y)
            for (int x = 0; x < s.w; ++x)
                for (int c = 0; c < s.c; ++c) nhwc[layout::hwc(s, y, x, c)] = l1[layout::digital_activation(s, y, x, c)];
    }
    static void to_vector(int count, const std::int8_t* source, std::int8_t* l1) {
        for (int i = 0; i < count; ++i) l1[layout::digital_vector(i)] = source[i];
    }
    static void from_vector(int count, const std::int8_t* l1, std::int8_t* destination) {
        for (int i = 0; i < count; ++i) destination[i] = l1[layout::digital_vector(i)];
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void load_digital_weights() {
        constexpr const layer& l = net.layers[i];
        constexpr layout::digital_weights w = detail::digital_weight_shape(net, graph, i);
        if constexpr (has_arranged_digital_weights(l)) {
            Soc::dma_to_digital_weights(0, l.arranged_weights.data, layout::weight_bytes(w));
        } else {
            // No build-time arrangement: the RISC-V arranges the weights while loading them.
            std::int8_t* memory = Soc::digital_weights();
            layout::arrange_digital(w, l.weights.data, memory);
        }
        Soc::dma_to_digital_weights(layout::bias_offset(w), l.bias.data, 4 * w.k);
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_digital(const std::int8_t* a, const std::int8_t* b, std::int8_t* out) {
        constexpr const layer& l = net.layers[i];
        constexpr shape in = graph.input_shape(i);
        constexpr shape result = graph.output[i];
        std::int8_t* l1 = Soc::l1();
        constexpr int input_at = 0;
        constexpr int output_at = layout::round_up(in.elements() * (l.kind == op::add ? 2 : 1), 4);
        if constexpr (l.kind == op::conv2d || l.kind == op::depthwise_conv2d) {
            load_digital_weights<net, graph, i>();
            constexpr layout::digital_weights w = detail::digital_weight_shape(net, graph, i);
            to_digital(in, a, l1 + input_at);
            digital::conv_job job{};
            job.input = input_at;
            job.output = output_at;
            job.in = in;
            job.out = result;
            job.kernel = l.kernel;
            job.stride = l.stride;
            job.pad_top = graph.pad[i].top;
            job.pad_left = graph.pad[i].left;
            job.depthwise = l.kind == op::depthwise_conv2d;
            job.weights = 0;
            job.bias = layout::bias_offset(w);
            job.rq = l.rq.diana;
            Soc::digital_conv(job);
            from_digital(result, l1 + output_at, out);
        } else if constexpr (l.kind == op::dense) {
            load_digital_weights<net, graph, i>();
            constexpr layout::digital_weights w = detail::digital_weight_shape(net, graph, i);
            to_vector(in.elements(), a, l1 + input_at);
            digital::dense_job job{};
            job.input = input_at;
            job.output = output_at;
            job.features = in.elements();
            job.units = result.c;
            job.weights = 0;
            job.bias = layout::bias_offset(w);
            job.rq = l.rq.diana;
            Soc::digital_dense(job);
            from_vector(result.elements(), l1 + output_at, out);
        } else {
            static_assert(l.kind == op::add, "htvm::diana: the digital accelerator runs conv2d, depthwise, dense and add");
            constexpr int count = result.elements();
            to_vector(count, a, l1 + input_at);
            to_vector(count, b, l1 + input_at + count);
            digital::add_job job{};
            job.lhs = input_at;
            job.rhs = input_at + count;
            job.output = output_at;
            job.elements = count;
            job.rq = l.rq.diana;
            Soc::digital_add(job);
            from_vector(count, l1 + output_at, out);
        }
    }

    template <const auto& net, const auto& graph, std::size_t i>
    static void run_analog(const std::int8_t* a, std::int8_t* out) {
        constexpr const layer& l = net.layers[i];
        constexpr shape in = graph.input_shape(i);
        constexpr shape result = graph.output[i];
        constexpr layout::analog_weights w = detail::analog_weight_shape(net, graph, i);
        Soc::analog_load(w, l.analog.weights.data, l.analog.scale, l.analog.offset, 0);
        constexpr int input_at = 0;
        constexpr int output_at = layout::round_up(in.elements(), 4);
        Soc::dma_to_l1(input_at, a, in.elements());
        analog::conv_job job{};
        job.input = input_at;
        job.output = output_at;
        job.in = in;
        job.out = result;
        job.kernel = l.kernel;
        job.stride = l.stride;
        job.pad_top = graph.pad[i].top;
        job.pad_left = graph.pad[i].left;
        job.first_column = 0;
        job.shift = l.analog.shift;
        job.relu = l.analog.relu;
        job.clip_min = l.analog.clip_min;
        job.clip_max = l.analog.clip_max;
        Soc::analog_conv(job);
        Soc::dma_from_l1(out, output_at, result.elements());
    }
};

}  // namespace htvm::diana
