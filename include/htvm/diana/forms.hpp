// DIANA-only constants of a network's layers, kept beside the network so that the network itself
// stays platform-free (the same declaration deploys on the CPU or any platform):
//   - the analog form of a conv2d: the analog array computes another function than the int8 layer
//     (ternary weights, the accumulator clipped to the ADC's range, per-channel batch-norm k and l,
//     a shift and a clip), so a model meant for it carries these constants from its training;
//   - the weights of a conv2d, depthwise_conv2d or dense already in the digital accelerator's layout
//     (layouts.hpp), so that the RISC-V does not arrange them at run time.
// Each entry names its layer; the target refuses a table naming a layer the network does not have, or
// one layer twice, or giving digital weights to a layer without weights (htvm::diana::error::bad_form).
//
//     inline constexpr htvm::diana::layer_form forms[] = {
//         {.layer = "conv2", .analog = {.weights = htvm::diana::ternary_weights{packed, 9 * 16 * 16},
//                                      .scale = k2, .offset = l2, .shift = 6, .relu = true}},
//         {.layer = "conv3", .digital_weights = conv3_arranged},
//     };
//     using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed, forms>>;
#pragma once
#include <cstddef>
#include <cstdint>

#include "../graph.hpp"
#include "../layers.hpp"

namespace htvm::diana {

// Ternary weights {-1, 0, +1} packed four to a byte, two bits each (bit 0 adds +1, bit 1 adds -1,
// so both or neither is 0): every bit pattern is a ternary weight, so a value of this type cannot
// hold anything else. The order of the weights is the analog array's (layouts.hpp).
struct ternary_weights {
    const std::uint8_t* data = nullptr;
    int bytes = 0;
    int count = 0;  // number of weights packed in `data`

    constexpr ternary_weights() = default;
    template <std::size_t N>
    constexpr ternary_weights(const std::uint8_t (&packed)[N], int weight_count)
        : data(packed), bytes(static_cast<int>(N)), count(weight_count) {}
    constexpr ternary_weights(const std::uint8_t* packed, int packed_bytes, int weight_count)
        : data(packed), bytes(packed_bytes), count(weight_count) {}
    constexpr bool empty() const { return data == nullptr; }
};

// How a conv2d computes on the analog array: ternary weights, the accumulator clipped to the ADC's
// range, a per-output-channel scale k and offset l (batch norm), an arithmetic right shift and a clip.
struct analog_variant {
    ternary_weights weights{};
    const std::int32_t* scale = nullptr;   // per output channel (DIANA's k)
    const std::int32_t* offset = nullptr;  // per output channel (DIANA's lambda)
    int shift = 0;
    bool relu = false;
    std::int32_t clip_min = -128, clip_max = 127;

    constexpr bool present() const { return !weights.empty(); }
};

// The DIANA-only constants of one layer, found by the layer's name. Either part may be left empty.
struct layer_form {
    const char* layer = nullptr;
    analog_variant analog{};
    weights_i8 digital_weights{};  // the layer's weights in layout::digital_weight_index order
};

// A table of forms as the DIANA code reads it: any array of layer_form, or none.
struct forms_view {
    const layer_form* entry = nullptr;
    std::size_t count = 0;

    // The form of the layer called `name`, or an empty one.
    constexpr layer_form of(const char* name) const {
        for (std::size_t k = 0; k < count; ++k)
            if (htvm::detail::same_text(entry[k].layer, name)) return entry[k];
        return layer_form{};
    }
    constexpr layer_form of(const layer& l) const { return named(l.name()) && count > 0 ? of(l.name()) : layer_form{}; }
    static constexpr bool named(const char* name) { return name != nullptr && name[0] != '\0'; }
};

inline constexpr forms_view no_forms{};

constexpr forms_view view_of(const forms_view& forms) { return forms; }
template <std::size_t M>
constexpr forms_view view_of(const layer_form (&forms)[M]) {
    return {forms, M};
}

// What can be wrong with a table of forms for a network (the target refuses it at compile time).
enum class forms_error : std::uint8_t {
    none,
    names_no_layer,               // no layer of the network has the entry's name (or it is empty)
    names_a_layer_twice,          // an earlier entry names the same layer
    digital_weights_on_a_layer_without_weights,  // only conv2d, depthwise_conv2d and dense have weights
};

struct forms_check {
    forms_error error = forms_error::none;
    int entry = -1;  // the first wrong entry
};

template <std::size_t N>
constexpr forms_check check_forms(const network<N>& net, forms_view forms) {
    for (std::size_t k = 0; k < forms.count; ++k) {
        const layer_form& f = forms.entry[k];
        const int entry = static_cast<int>(k);
        int found = -1;
        for (std::size_t i = 0; i < N && found < 0; ++i)
            if (forms_view::named(f.layer) && htvm::detail::same_text(net.layers[i].name(), f.layer)) found = static_cast<int>(i);
        if (found < 0) return {forms_error::names_no_layer, entry};
        for (std::size_t j = 0; j < k; ++j)
            if (htvm::detail::same_text(forms.entry[j].layer, f.layer)) return {forms_error::names_a_layer_twice, entry};
        const layer& l = net.layers[static_cast<std::size_t>(found)];
        if (!f.digital_weights.empty() && !is<conv2d>(l) && !is<depthwise_conv2d>(l) && !is<dense>(l))
            return {forms_error::digital_weights_on_a_layer_without_weights, entry};
    }
    return {};
}

}  // namespace htvm::diana
