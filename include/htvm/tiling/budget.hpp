// The L2 budget of a whole network: activation arena + constant data (weights, biases, per-channel
// requantization arrays) + the caller's input and output buffers, against what the platform has.
//
//     static_assert(htvm::tiling::l2_fits<model, 512'000>);          // htvm::model<net, Target>
//     static_assert(htvm::tiling::l2_fits_bytes<net, arena, 512'000, io, weights>);  // own numbers
// A platform that stores weights differently (2-bit weights, say) passes its own count.
#pragma once
#include <cstddef>

#include "../diagnostics.hpp"
#include "../graph.hpp"
#include "../model.hpp"
#include "diagnostics.hpp"

namespace htvm::tiling {

struct l2_usage {
    long long weight_bytes = 0;
    int largest_layer = -1;           // the layer with the most constant bytes
    const char* largest_name = "";
    long long largest_bytes = 0;
};

// Constant bytes of one layer as htvm stores them: int8 weights, int32 bias, and two int32 per output
// channel (multiplier and shift) when the requantization is per channel.
constexpr long long constant_bytes(const layer& l) {
    return visit(l, [](const auto& op) -> long long {
        if constexpr (mac_operation<std::remove_cvref_t<decltype(op)>>) {
            long long bytes = op.weights.size + 4LL * op.bias.size;
            if (op.requant.kind == requant_kind::tflite && op.requant.tflite.per_channel()) bytes += 8LL * op.channels();
            return bytes;
        } else {
            return 0;
        }
    });
}

template <std::size_t N>
constexpr l2_usage network_constants(const network<N>& net) {
    l2_usage u{};
    for (std::size_t i = 0; i < N; ++i) {
        const long long bytes = constant_bytes(net.layers[i]);
        u.weight_bytes += bytes;
        if (bytes > u.largest_bytes) {
            u.largest_bytes = bytes;
            u.largest_layer = static_cast<int>(i);
            u.largest_name = net.layers[i].name();
        }
    }
    return u;
}

namespace detail {
template <class Model>
struct model_network;  // only htvm::model<net, Target> tells its network
template <const auto& net, class Target>
struct model_network<model<net, Target>> {
    static constexpr const auto& value = net;
};
}  // namespace detail

// arena + weights + io against l2_limit; weight_bytes < 0: count them from the network.
template <const auto& net, long long arena_bytes, long long l2_limit, long long io_bytes, long long weight_bytes = -1>
consteval bool check_l2() {
    constexpr l2_usage u = network_constants(net);
    constexpr long long weights = weight_bytes < 0 ? u.weight_bytes : weight_bytes;
    constexpr long long need = arena_bytes + weights + io_bytes;
    if constexpr (need > l2_limit)
        return sizeof(error::l2_over_budget<need, l2_limit, arena_bytes, weights, io_bytes, u.largest_layer,
                                            to_layer_name(u.largest_name), u.largest_bytes>) == 0;
    else
        return true;
}

template <const auto& net, long long arena_bytes, long long l2_limit, long long io_bytes, long long weight_bytes = -1>
inline constexpr bool l2_fits_bytes = check_l2<net, arena_bytes, l2_limit, io_bytes, weight_bytes>();

// For htvm::model: its arena, the network's constants, and separate input and output buffers
// (model::run(in, out) copies from and to the caller's buffers).
template <class Model, long long l2_limit, long long weight_bytes = -1>
inline constexpr bool l2_fits = check_l2<detail::model_network<Model>::value, Model::arena_bytes, l2_limit,
                                         Model::input_bytes + Model::output_bytes, weight_bytes>();

}  // namespace htvm::tiling
