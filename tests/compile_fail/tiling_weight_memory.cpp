// Must not compile: layer 7 'conv_pw3' reads 4380 channels, so even 16 of its filters need
// 16 x 4380 + 16 x 4 (bias) = 70,144 B of DIANA's 64,000 B digital weight memory.
#include <htvm/diana/objectives.hpp>
#include <htvm/htvm.hpp>
#include <htvm/tiling/tiling.hpp>

const std::int8_t w_a[16 * 8] = {};
const std::int8_t w_dw[3 * 3 * 16] = {};
const std::int8_t w_pw1[16 * 16] = {};
const std::int8_t w_pw2[4380 * 16] = {};
const std::int8_t w_pw3[32 * 4380] = {};

inline constexpr htvm::network net{
    htvm::input{.name = "image", .shape = {1, 4, 4, 8}},
    htvm::conv2d{.name = "conv_a", .filters = 16, .weights = w_a, .requant = htvm::shift_requant{.shift = 4}},
    htvm::relu{.name = "relu"},
    htvm::depthwise_conv2d{.name = "dw", .padding = htvm::same, .weights = w_dw, .requant = htvm::shift_requant{.shift = 4}},
    htvm::conv2d{.name = "conv_pw1", .filters = 16, .weights = w_pw1, .requant = htvm::shift_requant{.shift = 4}},
    htvm::max_pool{.name = "pool"},
    htvm::conv2d{.name = "conv_pw2", .filters = 4380, .weights = w_pw2, .requant = htvm::shift_requant{.shift = 4}},
    htvm::conv2d{.name = "conv_pw3", .filters = 32, .weights = w_pw3, .requant = htvm::shift_requant{.shift = 4}},
};
using model = htvm::model<net>;

// Every convolution on a digital array with DIANA's memories.
struct digital_platform {
    template <class Net, class Graph>
    static constexpr htvm::tiling::layer_tiling tiling(const Net& n, const Graph&, std::size_t i) {
        if (!htvm::tiling::tileable(n.layers[i])) return {};
        return {true,
                htvm::tiling::memory_limits{.l1_bytes = 256'000, .weight_bytes = 64'000, .bias_bytes = 4,
                                            .min_tile_k = 16, .double_buffer = true},
                htvm::diana::digital_array_objective, htvm::to_layer_name("digital")};
    }
};

constexpr auto plans = htvm::tiling::network_plans<net, model::graph, digital_platform>::plans;
int main() { return plans[7].tile_k; }
